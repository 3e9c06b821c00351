/**
 * `npm run demo`: n8n with every template, wired to a local HubSpot emulator seeded with sample
 * contacts, companies, deals, owners and pipelines, to a stand-in sales app for the deal sync and to a
 * Salesforce stand-in for the Salesforce bridge. It runs the set-up workflows, posts a few bookings,
 * runs a property sync, a deal sync, the two-way company, contact and deal syncs and the Salesforce bridge, prints what
 * happened, and keeps everything running until Ctrl-C. No HubSpot or Salesforce account is needed.
 * Data lives in HUBSPOT_SYNC_DEMO_HOME (default ~/.n8n-hubspot-sync-demo), recreated at each start.
 */
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { DEFAULT_OWNER, waitForWebhook } from './n8n-runtime';
import { seedCrm } from '../test/hubspot-emulator/seed';
import { startSalesforceStandIn } from '../test/support/salesforce-standin';
import { startTargetApp } from '../test/support/target-app';
import { callWebhook, CARD_FORM_LOGIN, dataTableRows, editTemplate, startE2eEnvironment, templateForE2e, WEBHOOK_HEADER, withSettings, withWebhookTrigger } from '../test/e2e/n8n-e2e';

/** What the demo calls a schedule it replaced by a webhook: the node says what it is, not the schedule it no longer runs. */
export const DEMO_WEBHOOK_NAME = 'Run now (demo webhook)';

/**
 * A template whose schedule trigger becomes a webhook the demo (and you) can call at once, renamed
 * DEMO_WEBHOOK_NAME; the connections follow the new name.
 */
function withDemoWebhook(templatePath: string, scheduleName: string, webhookPath: string): string {
	return editTemplate(withWebhookTrigger(templatePath, scheduleName, webhookPath, 'noData'), (workflow) => {
		const json = workflow as unknown as { nodes: Array<{ name: string }>; connections: Record<string, Record<string, Array<Array<{ node: string }>>>> };
		json.nodes.find((node) => node.name === scheduleName)!.name = DEMO_WEBHOOK_NAME;
		json.connections[DEMO_WEBHOOK_NAME] = json.connections[scheduleName];
		delete json.connections[scheduleName];
		for (const outputs of Object.values(json.connections)) for (const targets of Object.values(outputs).flat()) for (const target of targets ?? []) if (target.node === scheduleName) target.node = DEMO_WEBHOOK_NAME;
	});
}

/**
 * A port from the environment (like HUBSPOT_EMULATOR_PORT): unset or empty → fallback (0 = any free port);
 * anything but a whole number 0-65535 is refused with the variable's name.
 */
export function portFromEnv(name: string, fallback: number, env: NodeJS.ProcessEnv = process.env): number {
	const text = env[name]?.trim();
	if (!text) return fallback;
	const port = Number(text);
	if (!/^\d+$/.test(text) || port > 65_535) throw new Error(`${name}=${text} is not a port: set a whole number from 1 to 65535 (0: any free port), or leave it unset`);
	return port;
}

/** Two pipelines' stages mapped to the sales app's order statuses (edit it in Map Deal Stage). */
const MAPPING = {
	rows: [
		{ stage: 'pipeline-1/pipeline-1-new', status: 'Lead', isTarget: true },
		{ stage: 'pipeline-1/pipeline-1-won', status: 'Ordered', isTarget: true },
		{ stage: 'default/closedwon', status: 'Ordered', isTarget: true },
	],
};

const BOOKINGS = [
	{ bookingId: 'DEMO-1', meetingType: 'intro-call', email: 'contact1@example.com', name: 'Hina Tanaka', start: '2026-12-01T10:00:00+09:00', end: '2026-12-01T10:30:00+09:00', location: 'Zoom' },
	{ bookingId: 'DEMO-2', meetingType: 'demo', email: 'contact2@example.com', name: 'Kenji Sato', start: '2026-12-02T14:00:00+09:00', end: '2026-12-02T15:00:00+09:00', location: 'Tokyo office' },
	{ bookingId: 'DEMO-3', meetingType: 'intro-call', email: 'nobody@example.org', name: 'Not In HubSpot', start: '2026-12-03T09:00:00+09:00', end: '2026-12-03T09:30:00+09:00', location: 'Zoom' },
];

async function main() {
	const began = Date.now();
	const userFolder = process.env.HUBSPOT_SYNC_DEMO_HOME ?? path.join(os.homedir(), '.n8n-hubspot-sync-demo');
	const port = portFromEnv('N8N_PORT', 5678);
	const emulatorPort = portFromEnv('HUBSPOT_EMULATOR_PORT', 4010);
	// Unset: any free port, as before; set them to keep the URLs you put in Settings between starts.
	const salesAppPort = portFromEnv('DEMO_SALES_APP_PORT', 0);
	const salesforcePort = portFromEnv('DEMO_SALESFORCE_PORT', 0);
	rmSync(userFolder, { recursive: true, force: true });
	process.env.KEEP_E2E_FOLDER = '1';

	const target = await startTargetApp(salesAppPort);
	const salesforce = await startSalesforceStandIn(undefined, salesforcePort);
	for (let n = 1; n <= 5; n++) salesforce.add('Lead', { Email: `lead${n}@salesforce.example.com`, FirstName: `Lead ${n}`, LastName: 'Demo', Company: `Demo Co ${n}`, Country: 'Japan', State: '東京都' });
	salesforce.add('Contact', { Email: 'contact3@example.com', FirstName: 'Renamed in Salesforce', LastName: 'Demo', MailingCountry: 'JP' });
	const settings = { targetUrl: `${target.url}/api/orders`, accountLabel: 'Demo sales app' };
	console.log('Building the package, importing the templates and starting n8n with the HubSpot emulator ...');
	const env = await startE2eEnvironment(
		[
			templateForE2e('record-history.json'),
			templateForE2e('error-workflow-history.json'),
			templateForE2e('sync-history-report.json'),
			withWebhookTrigger(templateForE2e('meeting-setup.json'), 'Run once', 'demo/meeting-setup'),
			templateForE2e('meeting-booked-to-hubspot.json', { 'Create HubSpot meeting': { enabledMeetingTypes: 'intro-call, demo' } }),
			withWebhookTrigger(templateForE2e('property-sync-setup.json'), 'Run setup', 'demo/property-sync-setup', 'noData'),
			templateForE2e('property-sync-run.json'),
			templateForE2e('property-sync-chunk.json'),
			templateForE2e('property-sync-nightly.json'),
			templateForE2e('property-sync-manual.json'),
			templateForE2e('property-sync-test.json'),
			withWebhookTrigger(templateForE2e('deal-sync-setup.json'), 'Run setup', 'demo/deal-sync-setup', 'noData'),
			// Its 5-minute schedule becomes a webhook here, so that the demo (and you) can run it at once.
			withSettings(withDemoWebhook(templateForE2e('deal-sync-hubspot-to-target.json', { 'Map Deal Stage': { mapping: MAPPING } }), 'Every 5 minutes', 'demo/deals-to-target'), 'Settings', settings),
			withSettings(templateForE2e('deal-sync-target-to-hubspot.json', { 'Map Deal Stage': { mapping: MAPPING } }), 'Settings', settings),
			withWebhookTrigger(templateForE2e('two-way-sync-setup.json'), 'Run setup', 'demo/two-way-setup', 'noData'),
			// The 10-minute schedules become webhooks here, so that the demo (and you) can run them at once.
			withDemoWebhook(templateForE2e('two-way-contact-sync.json'), 'Every 10 minutes', 'demo/two-way-sync'),
			withDemoWebhook(templateForE2e('two-way-company-sync.json'), 'Every 10 minutes', 'demo/two-way-company-sync'),
			withDemoWebhook(templateForE2e('two-way-deal-sync.json'), 'Every 10 minutes', 'demo/two-way-deal-sync'),
			withSettings(withDemoWebhook(templateForE2e('salesforce-bridge.json'), 'Every 10 minutes', 'demo/salesforce-bridge'), 'Settings', { salesforceUrl: salesforce.url }),
			templateForE2e('card-import-to-hubspot.json'),
		],
		{ port: emulatorPort },
		{
			port,
			userFolder,
			beforeStart: ({ emulator }) => {
				seedCrm(emulator.store, { contacts: 200, companies: 40, deals: 60, owners: 4, teams: 2, pipelines: 2, at: Date.now() - 3_600_000 });
			},
			extraCredentials: [salesforce.credential()],
		},
	);
	const stop = async () => {
		console.log('\nStopping n8n, the emulator and the sales app ...');
		await env.teardown();
		await target.stop();
		await salesforce.stop();
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);

	await waitForWebhook(`${env.n8n.url}/webhook/demo/property-sync-setup`);
	await callWebhook(env, 'demo/property-sync-setup', {});
	await callWebhook(env, 'demo/deal-sync-setup', {});
	await callWebhook(env, 'demo/meeting-setup', {});
	for (const booking of BOOKINGS) await callWebhook(env, 'hubspot-sync/booking', booking);
	const sync = await callWebhook(env, 'hubspot-sync/properties/sync', { mode: 'full' });
	await callWebhook(env, 'demo/deals-to-target', {});
	await waitForWebhook(`${env.n8n.url}/webhook/demo/two-way-setup`);
	await callWebhook(env, 'demo/two-way-setup', {});
	// Companies first: their links are what the contact sync needs to keep each contact's primary company.
	await callWebhook(env, 'demo/two-way-company-sync', {});
	await callWebhook(env, 'demo/two-way-sync', {});
	await callWebhook(env, 'demo/two-way-deal-sync', {});
	const appDeals = (await dataTableRows(env, 'sample_app_deals')).length;
	const appContacts = await dataTableRows(env, 'sample_app_contacts');
	const appCompanies = (await dataTableRows(env, 'sample_app_companies')).length;
	const withCompany = appContacts.filter((row) => row.companyId).length;
	await callWebhook(env, 'demo/salesforce-bridge', {});
	const history = await dataTableRows(env, 'hubspot_sync_history');
	const count = (status: string) => history.filter((row) => row.status === status).length;
	const meetingRecords = [...env.emulator.store.table('meetings').values()];
	const meetings = meetingRecords.length;
	const meetingsWithCompany = meetingRecords.filter((meeting) => env.emulator.store.associationsOf('meetings', meeting.id, 'companies').length).length;
	console.log(`
The demo is ready in ${((Date.now() - began) / 1000).toFixed(0)} s.

  n8n            ${env.n8n.url.replace('127.0.0.1', 'localhost')}/   (log in as ${DEFAULT_OWNER.email} / ${DEFAULT_OWNER.password})
  HubSpot        the emulator at ${env.emulator.url}, credential "HubSpot emulator (service key)"
  Sales app      ${target.url} (stand-in for the deal sync's other side)
  Salesforce     ${salesforce.url} (stand-in for the Salesforce bridge; credential "Salesforce account")

  Meetings       ${meetings} created in HubSpot from ${BOOKINGS.length} bookings (one contact is unknown: see its history row), ${meetingsWithCompany} with the guest's primary company
  Properties     ${(sync.json?.contacts?.records ?? 0) + (sync.json?.companies?.records ?? 0)} contacts and companies synced into the Data table hubspot_sync_records
  Deals          ${target.orders.size} deals sent to the sales app by stage mapping; the others are skip rows
  Two-way sync   ${appContacts.length} contacts and ${appCompanies} companies in the Data tables sample_app_contacts and sample_app_companies (the stand-in app), linked to HubSpot; ${withCompany} contacts with their primary company; ${appDeals} deals in sample_app_deals
  Salesforce     ${salesforce.records.Lead.size} leads in Salesforce (${salesforce.records.Lead.size - 5} created from HubSpot contacts); 5 leads became HubSpot contacts
  History        ${history.length} rows in hubspot_sync_history: ${count('success')} success, ${count('skip')} skip, ${count('error')} error

  Run the deal sync again: curl -X POST ${env.n8n.url}/webhook/demo/deals-to-target
  Run the two-way sync:    curl -X POST ${env.n8n.url}/webhook/demo/two-way-company-sync; curl -X POST ${env.n8n.url}/webhook/demo/two-way-sync; curl -X POST ${env.n8n.url}/webhook/demo/two-way-deal-sync
  Import cards (CSV form): ${env.n8n.url.replace('127.0.0.1', 'localhost')}/form/hubspot-sync-card-import (login ${CARD_FORM_LOGIN.user} / ${CARD_FORM_LOGIN.password})
  Post a booking: curl -X POST ${env.n8n.url}/webhook/hubspot-sync/booking -H '${WEBHOOK_HEADER.name}: ${WEBHOOK_HEADER.value}' -H 'content-type: application/json' -d '${JSON.stringify(BOOKINGS[0]).replace('DEMO-1', 'DEMO-4')}'

Press Ctrl-C to stop.`);
}

// Only when run as `npm run demo` (the tests import portFromEnv).
if (require.main === module) {
	main().catch((error) => {
		console.error(error.message);
		process.exit(1);
	});
}
