/**
 * The deal sync templates in a real n8n against the emulator (3 pipelines, 2,000 deals across teams
 * and owners) and a stand-in target app: exactly the deals that pass the rules and have a mapped
 * stage reach the target, with a skip row for every other; the exclusion flip disables and
 * re-enables a link; a status change moves the HubSpot deal; a deleted deal gives one error row;
 * after 5 authentication failures the integration pauses and stops calling HubSpot.
 */
import { createHmac } from 'node:crypto';

import { DEFAULT_OAUTH_CLIENT, DEFAULT_SERVICE_KEY } from '../hubspot-emulator';
import { seedCrm } from '../hubspot-emulator/seed';
import { waitForWebhook } from '../../scripts/n8n-runtime';
import { SEEDED_STAGE_MAPPING as MAPPING, startTargetApp, type TargetApp } from '../support/target-app';
import { callWebhook, dataTableRows, startE2eEnvironment, templateForE2e, updateDataTableRows, withSettings, withWebhookTrigger, type E2eEnvironment } from './n8n-e2e';

jest.setTimeout(900_000);

const DEALS = 2_000;
const MAPPED_STAGES = new Set(MAPPING.rows.map((row) => row.stage.split('/')[1]));
let env: E2eEnvironment;
let target: TargetApp;

beforeAll(async () => {
	target = await startTargetApp();
	const settings = { targetUrl: `${target.url}/api/orders`, accountLabel: 'East office' };
	env = await startE2eEnvironment(
		[
			templateForE2e('record-history.json'),
			templateForE2e('error-workflow-history.json'),
			withWebhookTrigger(templateForE2e('deal-sync-setup.json'), 'Run setup', 'e2e/deal-sync-setup', 'noData'),
			withSettings(withWebhookTrigger(templateForE2e('deal-sync-hubspot-to-target.json', { 'Filter Deals': { allowedValues: 'east' }, 'Map Deal Stage': { mapping: MAPPING } }), 'Every 5 minutes', 'e2e/deals-to-target', 'noData'), 'Settings', settings),
			withSettings(templateForE2e('deal-sync-target-to-hubspot.json', { 'Map Deal Stage': { mapping: MAPPING } }), 'Settings', settings),
		],
		{},
		{ beforeStart: ({ emulator }) => void seedCrm(emulator.store, { deals: DEALS, owners: 6, teams: 3, pipelines: 3, at: Date.now() - 3_600_000 }) },
	);
	await waitForWebhook(`${env.n8n.url}/webhook/e2e/deal-sync-setup`);
});
afterAll(async () => {
	await env?.teardown();
	await target?.stop();
});

const call = (path: string, body: unknown = {}) => callWebhook(env, path, body);
const syncToTarget = () => call('e2e/deals-to-target');
const statusChange = (targetId: string, status: string) => call('hubspot-sync/deals/status', { targetId, status });
const rows = (name: string) => dataTableRows(env, name);
const deals = () => [...env.emulator.store.table('deals').values()].filter((deal) => !deal.archived);
const expectedSynced = () => deals().filter((deal) => deal.properties.board_custom_filter_key === 'east' && MAPPED_STAGES.has(String(deal.properties.dealstage)) && deal.properties.exclude_from_board_integration !== 'true');
const linkOf = async (dealId: string) => (await rows('hubspot_sync_deal_links')).find((row) => row.hubspotId === dealId);
const historyOf = async (dealId: string) => (await rows('hubspot_sync_history')).filter((row) => row.hubspotId === dealId && row.objectType === 'deal');

it('set-up creates the exclusion property and the tables', async () => {
	expect((await call('e2e/deal-sync-setup')).status).toBe(200);
	expect(env.emulator.store.properties.get('deals')!.get('exclude_from_board_integration')).toMatchObject({ type: 'bool', fieldType: 'booleancheckbox' });
	expect(await rows('hubspot_sync_runs')).toEqual([expect.objectContaining({ scope: 'deal-sync', status: 'idle' })]);
	expect(await rows('hubspot_sync_state')).toEqual([expect.objectContaining({ integration: 'hubspot-deals', paused: false, consecutiveAuthFailures: 0 })]);
});

it('syncs exactly the deals that pass the rules and have a mapped stage, with a skip row for each other deal', async () => {
	env.emulator.resetStats();
	const started = Date.now();
	expect((await syncToTarget()).status).toBe(200);
	const seconds = (Date.now() - started) / 1000;
	const expected = expectedSynced();
	expect(expected.length).toBeGreaterThan(50);
	expect(new Set([...target.orders.values()].map((order) => order.hubspotDealId))).toEqual(new Set(expected.map((deal) => deal.id)));
	expect(target.orders.size).toBe(expected.length);
	const won = [...target.orders.values()].find((order) => order.stage === 'Won');
	expect(won).toMatchObject({ status: 'Ordered', accountLabel: 'East office' });
	const history = (await rows('hubspot_sync_history')).filter((row) => row.objectType === 'deal');
	const count = (code: string) => history.filter((row) => row.code === code).length;
	const east = deals().filter((deal) => deal.properties.board_custom_filter_key === 'east').length;
	expect(count('OK')).toBe(expected.length);
	expect(count('FILTERED_OUT')).toBe(DEALS - east);
	expect(count('STAGE_UNMAPPED')).toBe(east - expected.length);
	expect(history.find((row) => row.code === 'STAGE_UNMAPPED')).toMatchObject({ status: 'skip', accountLabel: 'East office', message: expect.any(String) });
	expect(history).toHaveLength(DEALS);
	const links = await rows('hubspot_sync_deal_links');
	expect(links).toHaveLength(expected.length);
	expect(links.every((link) => link.enabled === true && /^ORD-\d+$/.test(link.targetId))).toBe(true);
	expect(env.emulator.contract.violations).toEqual([]);
	console.log(`deal sync, first run: ${DEALS} deals in ${seconds.toFixed(1)} s, ${env.emulator.stats.requests} HubSpot calls, ${expected.length} to the target`);
});

it('a deal set to excluded has its link disabled with one row; set back, it is re-enabled', async () => {
	const deal = expectedSynced()[0];
	env.emulator.store.update('deals', deal, { exclude_from_board_integration: 'true' });
	const writesBefore = target.requests;
	await syncToTarget();
	expect(await linkOf(deal.id)).toMatchObject({ enabled: false, disabledReason: 'EXCLUDED' });
	expect((await historyOf(deal.id)).filter((row) => row.code === 'EXCLUDED')).toEqual([expect.objectContaining({ status: 'skip', firstError: true })]);
	expect(target.requests).toBe(writesBefore);
	// Changed again while excluded: still disabled, no second row.
	env.emulator.store.update('deals', deal, { amount: '777' });
	await syncToTarget();
	expect((await historyOf(deal.id)).filter((row) => row.code === 'EXCLUDED')).toHaveLength(1);
	env.emulator.store.update('deals', deal, { exclude_from_board_integration: 'false' });
	await syncToTarget();
	expect(await linkOf(deal.id)).toMatchObject({ enabled: true, disabledReason: '' });
	expect((await historyOf(deal.id)).map((row) => row.code)).toContain('LINK_ENABLED');
	expect([...target.orders.values()].find((order) => order.hubspotDealId === deal.id)?.amount).toBe('777');
});

it('a status change in the target moves the HubSpot deal to the mapped stage', async () => {
	const deal = expectedSynced().find((candidate) => candidate.properties.dealstage === 'pipeline-1-new')!;
	const link = await linkOf(deal.id);
	env.emulator.resetStats();
	const answer = await statusChange(link.targetId, 'Ordered');
	expect(answer.json).toMatchObject({ status: 'success', code: 'OK', hubspotId: deal.id, targetId: link.targetId, direction: 'to_hubspot' });
	expect(env.emulator.store.get('deals', deal.id)?.properties.dealstage).toBe('pipeline-1-won');
	// The link row knows the deal's pipeline: read the pipelines, update the deal.
	expect(env.emulator.stats.requests).toBe(2);
	const unmapped = await statusChange(link.targetId, 'Shipped');
	expect(unmapped.json).toMatchObject({ status: 'skip', code: 'STAGE_UNMAPPED' });
});

it('a deal deleted in HubSpot gives one error row and a disabled link; later changes write nothing', async () => {
	const deal = expectedSynced()[1];
	const link = await linkOf(deal.id);
	env.emulator.store.archive('deals', deal.id);
	const first = await statusChange(link.targetId, 'Ordered');
	expect(first.json).toMatchObject({ status: 'error', code: 'NOT_FOUND', firstError: true, correlationId: expect.any(String) });
	expect(await linkOf(deal.id)).toMatchObject({ enabled: false, disabledReason: 'NOT_FOUND' });
	const again = await statusChange(link.targetId, 'Lead');
	expect(again.json).toMatchObject({ status: 'skipped', code: 'NOT_FOUND', reason: 'Sync for this record is disabled: the deal no longer exists in HubSpot.' });
	expect((await historyOf(deal.id)).filter((row) => row.code === 'NOT_FOUND')).toHaveLength(1);
});

it('after 5 runs answered 401 the integration pauses; later runs are PAUSED rows with no HubSpot call', async () => {
	env.emulator.revokeServiceKey(DEFAULT_SERVICE_KEY);
	try {
		for (let run = 1; run <= 5; run++) {
			await syncToTarget();
			const [state] = await rows('hubspot_sync_state');
			expect(state).toMatchObject({ consecutiveAuthFailures: run, paused: run === 5 });
		}
		const authRows = (await rows('hubspot_sync_history')).filter((row) => row.code === 'AUTH_INVALID');
		expect(authRows).toHaveLength(5);
		expect(authRows[0]).toMatchObject({ status: 'error', remedy: expect.stringMatching(/reconnect/i) });
		expect(JSON.stringify(authRows)).not.toContain(DEFAULT_SERVICE_KEY);
		env.emulator.resetStats();
		await syncToTarget();
		const paused = await statusChange('ORD-1', 'Ordered');
		expect(paused.json).toMatchObject({ status: 'skip', code: 'PAUSED' });
		expect(env.emulator.stats.requests).toBe(0);
		expect((await rows('hubspot_sync_history')).filter((row) => row.code === 'PAUSED')).toHaveLength(2);
		expect(await rows('hubspot_sync_runs')).toEqual([expect.objectContaining({ scope: 'deal-sync', status: 'idle' })]);
	} finally {
		env.emulator.restoreServiceKey(DEFAULT_SERVICE_KEY);
	}
});

it('a deal sync killed with n8n: the lease lets the next run proceed, which says so and syncs every deal again', async () => {
	// Resumed after the pause of the previous test (the README's way: reset the row), a full re-read.
	await updateDataTableRows(env, 'hubspot_sync_state', 'integration', 'hubspot-deals', { paused: false, consecutiveAuthFailures: 0 });
	await updateDataTableRows(env, 'hubspot_sync_runs', 'scope', 'deal-sync', { dealsCursor: '', leaseMinutes: 0.5 });
	const historyBefore = (await rows('hubspot_sync_history')).length;
	const sentBefore = target.requests;
	const killed = syncToTarget().catch(() => ({ status: 0, json: undefined }));
	const deadline = Date.now() + 60_000;
	while (target.requests < sentBefore + 20 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
	await env.kill();
	expect((await killed).status).toBe(0);
	await env.restart();
	await waitForWebhook(`${env.n8n.url}/webhook/e2e/deals-to-target`);
	const [stuck] = await rows('hubspot_sync_runs');
	expect(stuck.status).toBe('running');
	// No row recorded before the kill is lost.
	expect((await rows('hubspot_sync_history')).length).toBeGreaterThanOrEqual(historyBefore);
	// While the lease runs, a scheduled run leaves the claim alone. The lease is renewed here as the killed
	// run would have, so a slow restart on a loaded machine cannot let it lapse before this check.
	const leaseUntil = new Date(Date.now() + 30_000).toISOString();
	await updateDataTableRows(env, 'hubspot_sync_runs', 'scope', 'deal-sync', { leaseUntil });
	env.emulator.resetStats();
	await syncToTarget();
	expect(env.emulator.stats.requests).toBe(0);
	expect((await rows('hubspot_sync_runs'))[0].status).toBe('running');
	await new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(leaseUntil) - Date.now()) + 500));
	const sentBeforeRecovery = target.requests;
	await syncToTarget();
	const history = await rows('hubspot_sync_history');
	expect(history.filter((row) => row.code === 'RUN_INTERRUPTED')).toEqual([expect.objectContaining({ objectType: 'run', status: 'error' })]);
	// The recovery run read every deal again and sent each synced one once.
	expect(target.requests - sentBeforeRecovery).toBe(expectedSynced().length);
	expect(await rows('hubspot_sync_runs')).toEqual([expect.objectContaining({ status: 'idle', lastResult: 'success' })]);
});

describe('HubSpot webhooks start a run at once, only when signed by HubSpot for the app', () => {
	const hookPath = 'hubspot-sync/hubspot-events';
	// HubSpot signs the public URL (n8n's WEBHOOK_URL), which is what the Webhook node reports.
	const publicUrl = () => `http://localhost:${new URL(env.n8n.url).port}/webhook/${hookPath}`;
	const sign = (body: string, timestamp: number, secret = DEFAULT_OAUTH_CLIENT.clientSecret) => createHmac('sha256', secret).update(`POST${publicUrl()}${body}${timestamp}`).digest('base64');
	const deliver = async (body: string, headers: Record<string, string>) => {
		const response = await fetch(`${env.n8n.url}/webhook/${hookPath}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
		return { status: response.status, text: await response.text() };
	};

	it('refuses unsigned, wrongly signed and stale requests with 401 and runs nothing', async () => {
		const body = JSON.stringify([{ objectId: 1, subscriptionType: 'deal.propertyChange' }]);
		env.emulator.resetStats();
		const sentBefore = target.requests;
		const now = Date.now();
		const answers = [
			await deliver(body, {}),
			await deliver(body, { 'X-HubSpot-Signature-v3': sign(body, now, 'not-the-secret'), 'X-HubSpot-Request-Timestamp': String(now) }),
			await deliver(body, { 'X-HubSpot-Signature-v3': sign(body, now - 600_000), 'X-HubSpot-Request-Timestamp': String(now - 600_000) }),
		];
		expect(answers.map((answer) => answer.status)).toEqual([401, 401, 401]);
		expect(JSON.parse(answers[2].text)).toMatchObject({ status: 'rejected', code: 'SIGNATURE_INVALID', reason: expect.stringContaining('away from now') });
		await new Promise((resolve) => setTimeout(resolve, 1_000));
		expect(env.emulator.stats.requests).toBe(0);
		expect(target.requests).toBe(sentBefore);
	});

	it('a signed deal change is answered 204 and synced to the target without waiting for the schedule', async () => {
		const deal = expectedSynced()[2];
		env.emulator.store.update('deals', deal, { amount: '4242' });
		const body = JSON.stringify([{ objectId: Number(deal.id), subscriptionType: 'deal.propertyChange', propertyName: 'amount', propertyValue: '4242' }]);
		const now = Date.now();
		const answer = await deliver(body, { 'X-HubSpot-Signature-v3': sign(body, now), 'X-HubSpot-Request-Timestamp': String(now) });
		expect(answer.status).toBe(204);
		const order = () => [...target.orders.values()].find((candidate) => candidate.hubspotDealId === deal.id);
		const deadline = Date.now() + 30_000;
		while (order()?.amount !== '4242' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
		expect(order()?.amount).toBe('4242');
	});
});
