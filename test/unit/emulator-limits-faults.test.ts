/** The emulator's HubSpot-like rate limits and its fault injection, which reliability tests drive. */
import { seedCrm } from '../hubspot-emulator/seed';
import { startEmulator, type RunningEmulator } from '../support/emulator';

let hs: RunningEmulator;
beforeEach(async () => {
	// A long standard window, so that a slow machine cannot let the window roll during the test.
	hs = await startEmulator({ limits: { standard: { max: 10, windowMs: 60_000 }, search: { max: 2, windowMs: 1_000 }, daily: 1_000 } });
	seedCrm(hs.emulator.store, { contacts: 5 });
});
afterEach(() => hs.stop());

it('answers 429 TEN_SECONDLY_ROLLING past the window budget, with HubSpot’s headers and body', async () => {
	const answers = [];
	for (let i = 0; i < 12; i++) answers.push(await hs.call('GET', '/crm/objects/2026-03/contacts?limit=1'));
	expect(answers.slice(0, 10).every((a) => a.status === 200)).toBe(true);
	expect(answers[0].headers.get('x-hubspot-ratelimit-max')).toBe('10');
	expect(answers[0].headers.get('x-hubspot-ratelimit-remaining')).toBe('9');
	expect(answers[0].headers.get('x-hubspot-ratelimit-interval-milliseconds')).toBe('60000');
	expect(answers[10].status).toBe(429);
	expect(answers[10].body).toMatchObject({ status: 'error', errorType: 'RATE_LIMIT', policyName: 'TEN_SECONDLY_ROLLING' });
	expect(answers[10].body.correlationId).toMatch(/^[0-9a-f-]{36}$/);
	expect(hs.emulator.stats.http429).toBe(2);
});

it('limits search separately (SECONDLY, with Retry-After)', async () => {
	const search = () => hs.call('POST', '/crm/objects/2026-03/contacts/search', { limit: 1 });
	const statuses = [];
	for (let i = 0; i < 3; i++) statuses.push(await search());
	expect(statuses.map((s) => s.status)).toEqual([200, 200, 429]);
	expect(statuses[2].body.policyName).toBe('SECONDLY');
	expect(statuses[2].headers.get('retry-after')).toBe('1');
	expect((await hs.call('GET', '/crm/objects/2026-03/contacts?limit=1')).status).toBe(200);
});

it('stops everything at the DAILY limit', async () => {
	hs.emulator.configure({ limits: { standard: { max: 10_000, windowMs: 1_000 }, daily: 3 } });
	const statuses = [];
	for (let i = 0; i < 4; i++) statuses.push(await hs.call('GET', '/crm/objects/2026-03/contacts?limit=1'));
	expect(statuses.map((s) => s.status)).toEqual([200, 200, 200, 429]);
	expect(statuses[3].body.policyName).toBe('DAILY');
});

it('injects 5xx at the configured share, deterministically for a seed', async () => {
	hs.emulator.configure({ limits: { standard: { max: 10_000, windowMs: 1_000 } }, faults: { errorRate: 0.2 }, seed: 7 });
	const statuses: number[] = [];
	for (let i = 0; i < 400; i++) statuses.push((await hs.call('GET', '/crm/objects/2026-03/contacts?limit=1')).status);
	const failed = statuses.filter((s) => s >= 500);
	expect(failed.length).toBeGreaterThan(50);
	expect(failed.length).toBeLessThan(110);
	expect(new Set(failed)).toEqual(new Set([502, 503, 504]));
	hs.emulator.configure({ seed: 7 });
	const again: number[] = [];
	for (let i = 0; i < 400; i++) again.push((await hs.call('GET', '/crm/objects/2026-03/contacts?limit=1')).status);
	expect(again).toEqual(statuses);
});

it('resets connections, before or after processing, and adds latency', async () => {
	hs.emulator.configure({ faults: { script: [{ match: 'POST /crm/objects/2026-03/contacts$', reset: 'after' }] } });
	await expect(hs.call('POST', '/crm/objects/2026-03/contacts', { properties: { email: 'lost-answer@example.com' } })).rejects.toThrow();
	// The record exists although the client never saw the answer: the case creates must survive.
	expect(hs.emulator.store.findByEmail('lost-answer@example.com')).toBeDefined();
	hs.emulator.configure({ latencyMs: 150 });
	const started = Date.now();
	await hs.call('GET', '/account-info/2026-03/details');
	expect(Date.now() - started).toBeGreaterThanOrEqual(140);
});

it('seeds 100,000 contacts', () => {
	const counts = seedCrm(hs.emulator.store, { contacts: 100_000, companies: 10, deals: 50, owners: 4, teams: 2, pipelines: 3 });
	expect(counts).toMatchObject({ contacts: 100_005, companies: 10, deals: 50, owners: 4, teams: 2, pipelines: 3 });
	expect(hs.emulator.store.findByEmail('contact100005@example.com')).toBeDefined();
	expect(new Set([...hs.emulator.store.table('contacts').values()].map((c) => c.properties.email)).size).toBe(100_005);
});
