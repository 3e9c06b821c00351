/**
 * The property sync's incremental write without n8n's API (Settings → n8nApiUrl blank, the template's
 * default): the changed records are inserted and each one's older row deleted by its own filtered
 * delete. Same result as the API path of property-sync.test.ts, one table scan per record.
 */
import { seedCrm } from '../hubspot-emulator/seed';
import { waitForWebhook } from '../../scripts/n8n-runtime';
import { callWebhook, dataTableId, dataTableRows, startE2eEnvironment, templateForE2e, withWebhookTrigger, type E2eEnvironment } from './n8n-e2e';

jest.setTimeout(600_000);

const CONTACTS = 2_000;
const COMPANIES = 20;
let env: E2eEnvironment;

beforeAll(async () => {
	env = await startE2eEnvironment(
		[
			templateForE2e('record-history.json'),
			templateForE2e('error-workflow-history.json'),
			templateForE2e('property-sync-run.json'),
			templateForE2e('property-sync-chunk.json'),
			withWebhookTrigger(templateForE2e('property-sync-nightly.json'), 'Every night at 00:00', 'e2e/property-sync-nightly'),
			withWebhookTrigger(templateForE2e('property-sync-setup.json'), 'Run setup', 'e2e/property-sync-setup', 'noData'),
		],
		{},
		{ beforeStart: ({ emulator }) => void seedCrm(emulator.store, { contacts: CONTACTS, companies: COMPANIES, at: Date.now() - 2 * 3_600_000 }) },
	);
	await waitForWebhook(`${env.n8n.url}/webhook/e2e/property-sync-setup`);
});
afterAll(async () => {
	await env?.teardown();
});

const nightly = () => callWebhook(env, 'e2e/property-sync-nightly', {});

it('an incremental run replaces the rows of the changed records, one row each, and leaves a same-id row of another type', async () => {
	expect((await callWebhook(env, 'e2e/property-sync-setup', {})).status).toBe(200);
	expect((await nightly()).json).toMatchObject({ status: 'finished', contacts: { mode: 'full', records: CONTACTS } });
	const changed = [...env.emulator.store.table('contacts').values()].filter((_, index) => index % 40 === 0);
	for (const record of changed) env.emulator.store.update('contacts', record, { firstname: `Changed ${record.id}` });
	const records = await dataTableId(env, 'hubspot_sync_records');
	await env.n8n.api('POST', `/data-tables/${records}/rows`, { data: [{ objectType: 'companies', hubspotId: changed[0].id, name: 'Same id as a contact', runId: 'earlier' }] });

	expect((await nightly()).json).toMatchObject({ status: 'finished', contacts: { mode: 'incremental', records: changed.length }, companies: { mode: 'incremental', records: 0 } });
	const after = await dataTableRows(env, 'hubspot_sync_records');
	expect(after).toHaveLength(CONTACTS + COMPANIES + 1);
	expect(new Set(after.map((row) => `${row.objectType}:${row.hubspotId}`)).size).toBe(after.length);
	const contacts = new Map(after.filter((row) => row.objectType === 'contacts').map((row) => [row.hubspotId, row]));
	for (const record of changed) expect(JSON.parse(contacts.get(record.id).properties).firstname).toBe(`Changed ${record.id}`);
	expect(after.filter((row) => row.objectType === 'companies' && row.hubspotId === changed[0].id)).toEqual([expect.objectContaining({ name: 'Same id as a contact' })]);
});
