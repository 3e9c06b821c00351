/**
 * JSON parameters through n8n's engine: Push's "Properties Object" and Write History's pause and
 * link states, given text that is not JSON, stop the node with an error naming the item and the
 * field and showing what that field takes (its own example, not another field's).
 */
import type { IDataObject } from 'n8n-workflow';

import { DEFAULT_SERVICE_KEY } from '../hubspot-emulator';
import { startEmulator, type RunningEmulator } from '../support/emulator';
import { runWorkflow } from '../support/workflow-harness';

/** Items (the trigger) → one node of this package, named Node. */
const oneNode = (type: string, parameters: IDataObject, extra: IDataObject = {}) => ({
	name: 'json parameter',
	nodes: [
		{ id: 'a', name: 'Items', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
		{ id: 'b', name: 'Node', type: `n8n-nodes-hubspot-sync.${type}`, typeVersion: 1, position: [200, 0], parameters, ...extra },
	],
	connections: { Items: { main: [[{ node: 'Node', type: 'main', index: 0 }]] } },
	settings: { executionOrder: 'v1' },
});

const errorText = (error: Error | undefined) => {
	expect(error).toBeDefined();
	return { message: error!.message, description: String((error as Error & { description?: string }).description ?? '') };
};

describe('Write History', () => {
	const history = { language: 'en', direction: 'to_hubspot', objectType: 'contact', runId: 'r1', linkState: '', pauseState: '', pauseAfter: 5, integration: 'hubspot' };

	it('shows a pause row for a pause state that is not JSON', async () => {
		const workflow = oneNode('hubSpotSyncWriteHistory', { ...history, pauseState: '{ paused: yes' });
		const result = await runWorkflow(workflow, {}, [{ status: 'created' }]);
		const { message, description } = errorText(result.error('Node'));
		expect(message).toBe('Item 0: "Current Pause State" is not valid JSON');
		expect(description).toContain('{ "paused": false, "consecutiveAuthFailures": 0 }');
		expect(description).not.toContain('disabledReason');
	});

	it('names the item whose link state is not JSON and shows a link row', async () => {
		const workflow = oneNode('hubSpotSyncWriteHistory', { ...history, linkState: '={{ $json.link }}' });
		const result = await runWorkflow(workflow, {}, [{ status: 'created', link: '' }, { status: 'created', link: '{enabled: nope' }]);
		const { message, description } = errorText(result.error('Node'));
		expect(message).toBe('Item 1: "Current Link State" is not valid JSON');
		expect(description).toContain('{ "enabled": false, "disabledReason": "NOT_FOUND" }');
	});
});

describe('Push', () => {
	let hs: RunningEmulator;
	beforeAll(async () => {
		hs = await startEmulator();
	});
	afterAll(() => hs.stop());

	it('shows HubSpot properties for a properties object that is not JSON, and writes nothing', async () => {
		const workflow = oneNode(
			'hubSpotSyncProperties',
			{ authentication: 'serviceKey', operation: 'push', objectType: 'contacts', mappingMode: 'object', propertiesObject: '={{ $json.text }}', conflictRule: 'incomingWins', dryRun: false },
			{ credentials: { hubSpotSyncServiceKeyApi: { id: 'cred1', name: 'HubSpot service key' } } },
		);
		hs.emulator.resetStats();
		const result = await runWorkflow(workflow, { hubSpotSyncServiceKeyApi: { accessToken: DEFAULT_SERVICE_KEY, baseUrl: hs.url } }, [{ text: '{ "email": "a@example.com"' }]);
		const { message, description } = errorText(result.error('Node'));
		expect(message).toBe('Item 0: "Properties Object" is not valid JSON');
		expect(description).toContain('HubSpot property names and the values to write');
		expect(description).toContain('{ "email": "a@example.com", "firstname": "Hina" }');
		expect(Object.keys(hs.emulator.stats.byOperation).filter((operation) => /batch\/(create|update|upsert)/.test(operation))).toEqual([]);
	});
});
