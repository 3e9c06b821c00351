import { DEFAULT_SERVICE_KEY } from '../hubspot-emulator';
import { seedCrm } from '../hubspot-emulator/seed';
import { startEmulator, type RunningEmulator } from '../support/emulator';
import { runWorkflow } from '../support/workflow-harness';
import workflow from './fixtures/test-properties.workflow.json';

let hs: RunningEmulator;

beforeAll(async () => {
	hs = await startEmulator();
	seedCrm(hs.emulator.store, { customProperties: { contacts: ['favorite_color'] } });
});
afterAll(() => hs.stop());

const credentials = () => ({ hubSpotSyncServiceKeyApi: { accessToken: DEFAULT_SERVICE_KEY, baseUrl: hs.url } });

it('reports each property with exists, label, type and suggestions, in one HubSpot call', async () => {
	hs.emulator.resetStats();
	const result = await runWorkflow(workflow, credentials());
	expect(result.error('Test Contact Properties')).toBeUndefined();
	const rows = result.output('Test Contact Properties').map((item) => item.json);
	expect(rows.map((row) => [row.name, row.exists])).toEqual([
		['email', true],
		['firstname', true],
		['emial', false],
		['lastname', true],
		['favorite_colour', false],
	]);
	expect(rows[0]).toMatchObject({ label: 'Email', type: 'string', fieldType: 'text', suggestions: [] });
	expect(rows[2].suggestions).toContain('email');
	expect(rows[4].suggestions).toEqual(['favorite_color']);
	expect(result.output('Test Contact Properties').every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
	expect(hs.emulator.stats.requests).toBe(1);
});

it('fails naming the field and the closest names when "Fail on Missing Property" is on', async () => {
	const strict = structuredClone(workflow);
	strict.nodes[1].parameters.options = { failOnMissing: true } as never;
	const result = await runWorkflow(strict, credentials());
	const error = result.error('Test Contact Properties') as Error & { description?: string };
	expect(error.message).toBe('Item 0: property "emial" does not exist on HubSpot contacts');
	expect(error.description).toContain('Field "Property Names"');
	expect(error.description).toContain('"email"');
});

it('turns a HubSpot rejection into AUTH_INVALID with the correlation id and no token in the error', async () => {
	const result = await runWorkflow(workflow, { hubSpotSyncServiceKeyApi: { accessToken: 'revoked-key-123', baseUrl: hs.url } });
	const error = result.error('Test Contact Properties') as Error & { description?: string; context?: Record<string, any> };
	expect(error.message).toContain('AUTH_INVALID');
	expect(error.context?.hubspot).toMatchObject({ code: 'AUTH_INVALID', httpStatus: 401 });
	expect(error.context?.hubspot.correlationId).toMatch(/^[0-9a-f-]{36}$/);
	expect(JSON.stringify(result.run)).not.toContain('revoked-key-123');
});

it('emits an error item with the classification when "continue on fail" is set', async () => {
	const lenient = structuredClone(workflow) as typeof workflow & { nodes: Array<Record<string, unknown>> };
	lenient.nodes[1].onError = 'continueRegularOutput';
	const result = await runWorkflow(lenient, { hubSpotSyncServiceKeyApi: { accessToken: 'revoked-key-123', baseUrl: hs.url } });
	const [item] = result.output('Test Contact Properties');
	expect(item.json.error).toMatchObject({ code: 'AUTH_INVALID', httpStatus: 401 });
	expect(item.pairedItem).toEqual({ item: 0 });
});
