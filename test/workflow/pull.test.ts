/** Sync Properties → Pull through n8n's engine: records on the first output, the run summary on the second. */
import { DEFAULT_SERVICE_KEY } from '../hubspot-emulator';
import { seedCrm } from '../hubspot-emulator/seed';
import { startEmulator, type RunningEmulator } from '../support/emulator';
import { runWorkflow } from '../support/workflow-harness';
import fixture from './fixtures/test-properties.workflow.json';

let hs: RunningEmulator;
beforeAll(async () => {
	hs = await startEmulator();
	seedCrm(hs.emulator.store, { contacts: 3_000, companies: 40, at: Date.now() - 3_600_000 });
});
afterAll(() => hs.stop());

const NODE = 'Test Contact Properties';
function pullWorkflow(parameters: Record<string, unknown>) {
	const copy = structuredClone(fixture);
	copy.nodes[1].parameters = { authentication: 'serviceKey', operation: 'pull', objectType: 'contacts', propertyNames: ['email', 'firstname'], extraPropertyNames: '', mode: 'full', pullOptions: {}, ...parameters } as never;
	return copy;
}
const run = (parameters: Record<string, unknown>) => runWorkflow(pullWorkflow(parameters), { hubSpotSyncServiceKeyApi: { accessToken: DEFAULT_SERVICE_KEY, baseUrl: hs.url } });

it('pulls every contact with the chosen properties, and summarizes the run', async () => {
	hs.emulator.resetStats();
	const result = await run({});
	const records = result.output(NODE, 0);
	expect(records).toHaveLength(3_000);
	expect(new Set(records.map((item) => item.json.id)).size).toBe(3_000);
	expect(records[0].json).toMatchObject({ properties: { email: expect.stringMatching(/@example\.com$/), firstname: expect.any(String) } });
	const [summary] = result.output(NODE, 1).map((item) => item.json);
	// The summary accounts for every call HubSpot saw, 429s included (retried, never surfaced).
	expect(summary).toMatchObject({ objectType: 'contacts', mode: 'full', records: 3_000, calls: hs.emulator.stats.requests, http429: hs.emulator.stats.http429 });
	expect(result.error(NODE)).toBeUndefined();
	expect(Number(summary.calls)).toBeLessThanOrEqual(31);
});

it('pulls companies incrementally from a cursor, and the empty cursor means full', async () => {
	const company = [...hs.emulator.store.table('companies').values()][3];
	hs.emulator.store.update('companies', company, { industry: 'RETAIL' });
	const changed = await run({ objectType: 'companies', propertyNames: ['name', 'industry'], mode: 'incremental', since: new Date(Date.now() - 60_000).toISOString() });
	expect(changed.output(NODE, 0).map((item) => item.json.id)).toEqual([company.id]);
	const first = await run({ objectType: 'companies', propertyNames: ['name'], mode: 'incremental', since: '' });
	expect(first.output(NODE, 0)).toHaveLength(40);
	expect(first.output(NODE, 1)[0].json.mode).toBe('full');
});

it('names the field when the cursor is not a time', async () => {
	const result = await run({ mode: 'incremental', since: 'yesterday-ish' });
	const error = result.error(NODE) as Error & { description?: string };
	expect(error.message).toBe('The cursor "yesterday-ish" is not a time');
	expect(error.description).toContain('Field "Changed Since (Cursor)"');
});
