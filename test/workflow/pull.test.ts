/** Sync Properties → Pull through n8n's engine: records on the first output, the run summary on the second. */
import { DEFAULT_SERVICE_KEY } from '../hubspot-emulator';
import { seedCrm } from '../hubspot-emulator/seed';
import { startEmulator, type RunningEmulator } from '../support/emulator';
import { runWorkflow } from '../support/workflow-harness';
import fixture from './fixtures/test-properties.workflow.json';

jest.setTimeout(30_000);

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

it('pulls every contact once when HubSpot lists them in an order other than ascending ids', async () => {
	// HubSpot documents the list's `after` as a cursor, not an order; the search half stays sorted.
	hs.emulator.configure({ listOrder: 'unordered' });
	try {
		const records = (await run({})).output(NODE, 0);
		expect(records).toHaveLength(3_000);
		expect(new Set(records.map((item) => item.json.id))).toEqual(new Set(hs.emulator.store.order.get('contacts')));
	} finally {
		hs.emulator.configure({ listOrder: 'ascending' });
	}
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

it('pulls a 300-property list (too long for a URL) without a 414, in Data Table Row format', async () => {
	const names = Array.from({ length: 300 }, (_, i) => `custom_${i}`);
	for (const name of names.slice(0, 3)) hs.emulator.store.properties.get('contacts')!.set(name, { ...hs.emulator.store.properties.get('contacts')!.get('firstname')!, name, label: name });
	const result = await run({ propertyNames: [], extraPropertyNames: ['email', ...names].join('\n'), pullOptions: { outputFormat: 'dataTableRow' } });
	expect(result.error(NODE)).toBeUndefined();
	const rows = result.output(NODE, 0).map((item) => item.json);
	expect(rows).toHaveLength(3_000);
	expect(rows[0]).toEqual({
		objectType: 'contacts',
		hubspotId: expect.any(String),
		email: expect.stringMatching(/@example\.com$/),
		domain: '',
		name: expect.any(String),
		properties: expect.any(String),
		hubspotUpdatedAt: expect.any(String),
		runId: expect.any(String),
		pullMode: 'full',
	});
	expect(JSON.parse(String(rows[0].properties)).email).toBe(rows[0].email);
});

it('puts a failed pull on the error output, with no partial records', async () => {
	const failing = pullWorkflow({});
	Object.assign(failing.nodes[1], { onError: 'continueRegularOutput' });
	// Twice: n8n itself resends a request answered 401 once.
	hs.emulator.configure({ faults: { script: [{ match: 'GET /crm/objects/2026-03/contacts', status: 401 }, { match: 'GET /crm/objects/2026-03/contacts', status: 401 }] } });
	const result = await runWorkflow(failing, { hubSpotSyncServiceKeyApi: { accessToken: DEFAULT_SERVICE_KEY, baseUrl: hs.url } });
	const items = result.output(NODE, 0).map((item) => item.json);
	expect(items).toHaveLength(1);
	expect(items[0]).toMatchObject({ error: { code: 'AUTH_INVALID', objectType: 'contacts', correlationId: expect.any(String) } });
	expect(result.output(NODE, 1)).toHaveLength(0);
	hs.emulator.configure({ faults: {} });
});
