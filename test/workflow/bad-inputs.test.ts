/**
 * Walks the bad-input catalog (test/bad-inputs/catalog.ts) through n8n's engine against the
 * emulator: each bad item, sent with a good one under "continue on fail", ends as an error item or
 * a skip naming the item and the field; the good item goes through; nothing is written for the
 * bad item. A configuration error stops the node before it writes anything.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { CATALOG, goodBooking, type BadInputCase, type CatalogNode } from '../bad-inputs/catalog';
import { DEFAULT_SERVICE_KEY } from '../hubspot-emulator';
import { seedCrm } from '../hubspot-emulator/seed';
import { startEmulator, type RunningEmulator } from '../support/emulator';
import { runWorkflow } from '../support/workflow-harness';
import meetingFixture from './fixtures/create-meeting.workflow.json';
import dealsFixture from './fixtures/deals-filter-map.workflow.json';

let hs: RunningEmulator;
const credentials = () => ({ hubSpotSyncServiceKeyApi: { accessToken: DEFAULT_SERVICE_KEY, baseUrl: hs.url } });

const TYPES: Record<CatalogNode, string> = {
	createMeeting: 'n8n-nodes-hubspot-sync.hubSpotSyncCreateMeeting',
	push: 'n8n-nodes-hubspot-sync.hubSpotSyncProperties',
	pull: 'n8n-nodes-hubspot-sync.hubSpotSyncProperties',
	testProperties: 'n8n-nodes-hubspot-sync.hubSpotSyncProperties',
	mapDealStage: 'n8n-nodes-hubspot-sync.hubSpotSyncMapDealStage',
	filterDeals: 'n8n-nodes-hubspot-sync.hubSpotSyncFilterDeals',
	writeHistory: 'n8n-nodes-hubspot-sync.hubSpotSyncWriteHistory',
};

const DEFAULTS: Record<CatalogNode, Record<string, unknown>> = {
	createMeeting: meetingFixture.nodes[1].parameters,
	push: { authentication: 'serviceKey', operation: 'push', objectType: 'contacts', mappingMode: 'byName', conflictRule: 'incomingWins', dryRun: false },
	pull: { authentication: 'serviceKey', operation: 'pull', objectType: 'contacts', propertyNames: ['email'], extraPropertyNames: '', mode: 'full', pullOptions: {} },
	testProperties: { authentication: 'serviceKey', operation: 'testProperties', objectType: 'contacts', propertyNames: [], extraPropertyNames: '={{ $json.names ?? "email" }}', options: {} },
	mapDealStage: dealsFixture.nodes[2].parameters,
	filterDeals: dealsFixture.nodes[1].parameters,
	writeHistory: { language: 'en', direction: 'to_hubspot', objectType: 'contact', runId: 'r1', linkState: '', pauseState: '', pauseAfter: 5, integration: 'hubspot' },
};

/** The item that goes with the bad one, and must go through. */
function goodItemFor(testCase: BadInputCase): IDataObject {
	const objectType = testCase.parameters?.objectType;
	switch (testCase.node) {
		case 'createMeeting':
			return goodBooking();
		case 'push':
			if (objectType === 'deals') return { dealname: `Good deal ${Date.now()}` };
			return objectType === 'companies' ? { domain: `good-${Date.now()}.example.org`, name: 'Good KK' } : { email: `good-${Date.now()}@push.example.com`, firstname: 'Good' };
		case 'testProperties':
			return { names: 'email' };
		case 'mapDealStage':
			return testCase.parameters?.direction === 'statusToStage' ? { dealId: '2', pipeline: 'pipeline-1', status: 'Ordered' } : { id: '2', pipeline: 'pipeline-1', dealstage: 'pipeline-1-won' };
		case 'filterDeals':
			return { id: [...hs.emulator.store.table('deals').keys()][0] };
		default:
			return { status: 'created' };
	}
}

function workflowFor(testCase: BadInputCase) {
	return {
		id: 'badInputs',
		name: `bad input: ${testCase.id}`,
		nodes: [
			{ parameters: {}, id: 'b0', name: 'Items', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0] },
			{
				parameters: { ...DEFAULTS[testCase.node], ...testCase.parameters },
				id: 'b1',
				name: 'Node',
				type: TYPES[testCase.node],
				typeVersion: 1,
				position: [200, 0],
				onError: 'continueRegularOutput',
				...(testCase.node === 'writeHistory' ? {} : { credentials: { hubSpotSyncServiceKeyApi: { id: 'cred1', name: 'HubSpot service key' } } }),
			},
		],
		connections: { Items: { main: [[{ node: 'Node', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

const SKIP_STATUSES = new Set(['skipped', 'skip', 'filtered', 'unmapped', 'excluded']);
const textOf = (json: IDataObject) => {
	const error = json.error as IDataObject | undefined;
	return error ? `${error.message} ${error.description ?? ''}` : `${json.reason ?? ''}`;
};

beforeAll(async () => {
	hs = await startEmulator();
	seedCrm(hs.emulator.store, { contacts: 50, companies: 5, deals: 30, pipelines: 3, owners: 4, teams: 2 });
	const ensure = async (node: CatalogNode, parameters: Record<string, unknown>) =>
		await runWorkflow(workflowFor({ id: 'setup', node, parameters, bad: {}, expect: { kind: 'nodeError', mentions: [] } }), credentials(), [{}]);
	await ensure('createMeeting', { operation: 'ensureBookingProperty' });
	await ensure('filterDeals', { operation: 'ensureExclusionProperty' });
});
afterAll(() => hs.stop());

it('has at least 30 cases, each with a unique name', () => {
	expect(CATALOG.length).toBeGreaterThanOrEqual(30);
	expect(new Set(CATALOG.map((testCase) => testCase.id)).size).toBe(CATALOG.length);
});

it.each(CATALOG.map((testCase) => [testCase.id, testCase] as const))('%s', async (_name, testCase) => {
	const good = goodItemFor(testCase);
	hs.emulator.resetStats();
	const result = await runWorkflow(workflowFor(testCase), credentials(), [testCase.bad, good]);
	const writes = () => Object.entries(hs.emulator.stats.byOperation).filter(([operation]) => !/^GET|batch\/read|\/search$/.test(operation) && operation.startsWith('P')).reduce((sum, [, count]) => sum + count, 0);

	const all: INodeExecutionData[] = ([0, 1, 2] as const).flatMap((output) => result.output('Node', output));
	const pairedTo = (index: number) => all.filter((item) => (item.pairedItem as { item: number } | undefined)?.item === index);
	if (testCase.expect.kind === 'nodeError') {
		const error = result.error('Node') as (Error & { description?: string }) | undefined;
		const items = [...pairedTo(0), ...pairedTo(1)];
		const text = error ? `${error.message} ${error.description ?? ''}` : items.map((item) => textOf(item.json)).join(' ');
		// Stopped as a whole, or every item an error: the operator's configuration is wrong.
		expect(error !== undefined || (items.length === 2 && items.every((item) => item.json.error))).toBe(true);
		for (const mention of testCase.expect.mentions) expect(text).toContain(mention);
		expect(writes()).toBe(0);
		return;
	}
	expect(result.error('Node')).toBeUndefined();
	const [badOut] = pairedTo(0);
	expect(badOut).toBeDefined();
	const json = badOut.json;
	if (testCase.expect.kind === 'error') {
		expect(json.error).toMatchObject({ code: testCase.expect.code });
		// The message names the item.
		expect(String((json.error as IDataObject).message)).toMatch(/^Item 0\b/);
	} else {
		expect(SKIP_STATUSES.has(String(json.status))).toBe(true);
		expect(json.code).toBe(testCase.expect.code);
	}
	for (const mention of testCase.expect.mentions) expect(textOf(json)).toContain(mention);
	// The good item went through.
	const goodOut = pairedTo(1);
	expect(goodOut.length).toBeGreaterThan(0);
	expect(goodOut.every((item) => !item.json.error)).toBe(true);
	// Nothing written for the bad item.
	if (testCase.node === 'createMeeting') {
		const meetings = [...hs.emulator.store.table('meetings').values()].filter((meeting) => meeting.properties.n8n_booking_id === testCase.bad.bookingId);
		expect(meetings).toHaveLength(0);
	}
	if (testCase.node === 'push') {
		const key = String(testCase.bad.email ?? testCase.bad.domain ?? '');
		const written = [...hs.emulator.store.table(testCase.parameters?.objectType === 'companies' ? 'companies' : 'contacts').values()].filter((record) => key && (record.properties.email === key || record.properties.domain === key));
		expect(written).toHaveLength(0);
	}
});
