/**
 * HubSpot Reconcile 1.1 through n8n's engine against the emulator: the node follows the summary of
 * the Sync Properties → Pull before it (full or incremental, and its calls), reads the calls rows
 * from the node the operator names, and takes a mapping as one row (same-name text field unless its
 * options say otherwise). Where it cannot tell, it says what to choose.
 */
import type { IDataObject } from 'n8n-workflow';

import { DEFAULT_SERVICE_KEY } from '../hubspot-emulator';
import { seedCrm } from '../hubspot-emulator/seed';
import { startEmulator, type RunningEmulator } from '../support/emulator';
import { runWorkflow } from '../support/workflow-harness';

let hs: RunningEmulator;
beforeEach(async () => {
	hs = await startEmulator();
	seedCrm(hs.emulator.store, { contacts: 4, at: Date.now() - 3_600_000 });
});
afterEach(() => hs.stop());

const PACKAGE = 'n8n-nodes-hubspot-sync';
const RECONCILE = 'HubSpot Reconcile';
const SKIPPED = 6;
const SUMMARY = 7;
const serviceKey = { authentication: 'serviceKey' };
const credentials = { credentials: { hubSpotSyncServiceKeyApi: { id: 'cred1', name: 'HubSpot service key' } } };
// One row each: email and firstname have the app field of the same name; the stage is named otherwise.
const MAPPINGS = [
	{ hubspotProperty: 'email' },
	{ hubspotProperty: 'firstname' },
	{ hubspotProperty: 'lifecyclestage', options: { appField: 'stage', picklist: 'Prospect = lead, Client = customer' } },
];

const node = (name: string, type: string, position: [number, number], parameters: IDataObject, extra: IDataObject = {}) => ({ id: name, name, type, typeVersion: 1, position, parameters, ...extra });
const pullNode = (name: string, parameters: IDataObject = {}) =>
	node(name, `${PACKAGE}.hubSpotSyncProperties`, [200, -200], { ...serviceKey, operation: 'pull', objectType: 'contacts', mode: 'full', propertyNames: ['email', 'firstname', 'lifecyclestage'], ...parameters }, credentials);

interface Graph {
	/** The nodes feeding the HubSpot input, in order; the last one is connected to Reconcile. */
	hubspotNodes: IDataObject[];
	app?: IDataObject[];
	links?: IDataObject[];
	callsRows?: IDataObject[];
	reconcile?: IDataObject;
}

function workflow({ hubspotNodes, app = [], links = [], callsRows, reconcile = {} }: Graph) {
	const chain = hubspotNodes.map((entry) => String(entry.name));
	const sources = [...chain.slice(0, 1), 'App records', 'Links', ...(callsRows ? ['Calls rows'] : [])];
	return {
		name: 'reconcile 1.1',
		nodes: [
			node('Start', 'n8n-nodes-base.manualTrigger', [0, 0], {}),
			...hubspotNodes,
			node('App records', 'test.items', [200, 0], { items: JSON.stringify(app) }),
			node('Links', 'test.items', [200, 200], { items: JSON.stringify(links) }),
			...(callsRows ? [node('Calls rows', 'test.items', [200, 400], { items: JSON.stringify(callsRows) })] : []),
			{
				...node(RECONCILE, `${PACKAGE}.hubSpotSyncReconcile`, [400, 0], { ...serviceKey, objectType: 'contacts', direction: 'twoWay', defaultSide: 'app', fieldMappings: { mappings: MAPPINGS }, ...reconcile }, credentials),
				typeVersion: 1.1,
			},
		],
		connections: {
			// Calls rows run first: Reconcile reads them by name, not through an input.
			Start: { main: [[...(callsRows ? ['Calls rows'] : []), ...sources.filter((name) => name !== 'Calls rows')].map((name) => ({ node: name, type: 'main', index: 0 }))] },
			...Object.fromEntries(chain.slice(0, -1).map((name, i) => [name, { main: [[{ node: chain[i + 1], type: 'main', index: 0 }]] }])),
			[chain[chain.length - 1]]: { main: [[{ node: RECONCILE, type: 'main', index: 0 }]] },
			'App records': { main: [[{ node: RECONCILE, type: 'main', index: 1 }]] },
			Links: { main: [[{ node: RECONCILE, type: 'main', index: 2 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

const run = (graph: Graph) => runWorkflow(workflow(graph), { hubSpotSyncServiceKeyApi: { accessToken: DEFAULT_SERVICE_KEY, baseUrl: hs.url } }, [{}]);
const out = (result: Awaited<ReturnType<typeof run>>, index: number) => result.output(RECONCILE, index).map((item) => item.json as Record<string, any>);

// A contact synced with app record a1 that is no longer in HubSpot.
const email = 'gone@example.com';
const lostLink = () => ({ key: `email:${email}`, hubspotId: '999999', appId: 'a1', values: JSON.stringify({ email, firstname: 'One' }) });
const linkedApp = [{ id: 'a1', email, firstname: 'One', stage: 'Prospect' }];

describe('"HubSpot Input Holds": What the Pull Says (the default)', () => {
	it('after a full pull, a linked record missing from the input was deleted in HubSpot', async () => {
		const result = await run({ hubspotNodes: [pullNode('Pull HubSpot contacts')], app: linkedApp, links: [lostLink()], reconcile: { createInApp: false } });
		expect(result.error(RECONCILE)).toBeUndefined();
		expect(out(result, SKIPPED)).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'DELETED_IN_HUBSPOT', appId: 'a1' })]));
		expect(out(result, SUMMARY)[0]).toMatchObject({ hubspotInput: 'every record' });
	});

	it('after an incremental pull, the same record is unchanged since the last sync: nothing is deleted or skipped for it', async () => {
		const since = new Date(Date.now() - 60_000).toISOString();
		const result = await run({ hubspotNodes: [pullNode('Pull HubSpot contacts', { mode: 'incremental', since })], app: linkedApp, links: [lostLink()], reconcile: { createInApp: false } });
		expect(result.error(RECONCILE)).toBeUndefined();
		expect(result.output('Pull HubSpot contacts', 1)[0].json).toMatchObject({ mode: 'incremental' });
		expect(out(result, SKIPPED).filter((json) => json.appId === 'a1')).toEqual([]);
		expect(out(result, SUMMARY)[0]).toMatchObject({ hubspotInput: 'changed records only' });
	});

	it('follows a pull that reaches it through other nodes', async () => {
		const between = node('Keep every record', 'test.items', [300, -200], { items: '[]' });
		// The node between passes nothing on: the pull is still the one the node follows.
		const result = await run({ hubspotNodes: [pullNode('Pull HubSpot contacts'), between], app: linkedApp, links: [lostLink()], reconcile: { createInApp: false } });
		expect(result.error(RECONCILE)).toBeUndefined();
		expect(out(result, SUMMARY)[0]).toMatchObject({ hubspotInput: 'every record', hubspotRecords: 0 });
	});

	it('with no pull before it, says to connect one or choose', async () => {
		const records = node('HubSpot records', 'test.items', [200, -200], { items: JSON.stringify([{ id: '1001', properties: { email } }]) });
		const result = await run({ hubspotNodes: [records] });
		expect(result.error(RECONCILE)?.message).toBe('"HubSpot Input Holds": no Sync Properties → Pull of contacts comes before this node');
		expect((result.error(RECONCILE) as { description?: string }).description).toContain('choose "Every Record (Full Pull)" or "Changed Records Only"');
		// Chosen explicitly, the same graph runs.
		const chosen = await run({ hubspotNodes: [records], reconcile: { hubspotInput: 'all' } });
		expect(chosen.error(RECONCILE)).toBeUndefined();
	});

	it('with two pulls of the object before it, names both and asks to choose', async () => {
		const second = { ...pullNode('Pull again'), position: [300, -200] };
		const result = await run({ hubspotNodes: [pullNode('Pull HubSpot contacts'), second] });
		expect(result.error(RECONCILE)).toBeUndefined();
		// One direct parent is a pull: it is the one followed.
		expect(out(result, SUMMARY)[0]).toMatchObject({ hubspotInput: 'every record' });
		const workflowTwoDirect = workflow({ hubspotNodes: [pullNode('Pull HubSpot contacts')] });
		workflowTwoDirect.nodes.push(second);
		(workflowTwoDirect.connections as Record<string, unknown>)['Pull again'] = { main: [[{ node: RECONCILE, type: 'main', index: 0 }]] };
		(workflowTwoDirect.connections.Start.main[0] as IDataObject[]).push({ node: 'Pull again', type: 'main', index: 0 });
		const ambiguous = await runWorkflow(workflowTwoDirect, { hubSpotSyncServiceKeyApi: { accessToken: DEFAULT_SERVICE_KEY, baseUrl: hs.url } }, [{}]);
		expect(ambiguous.error(RECONCILE)?.message).toBe('"HubSpot Input Holds": several HubSpot pulls of contacts come before this node ("Pull HubSpot contacts", "Pull again")');
	});
});

describe('one-row field mappings', () => {
	it('syncs a same-name text field from the property alone, and a field named otherwise from its options', async () => {
		// The app's stage is the other picklist value than HubSpot's, so it is a change.
		const inHubSpot = hs.emulator.store.findByProperty('contacts', 'email', 'contact2@example.com')!.properties.lifecyclestage;
		const [stage, lifecyclestage] = inHubSpot === 'customer' ? ['Prospect', 'lead'] : ['Client', 'customer'];
		const app = [{ id: 'a2', email: 'contact2@example.com', firstname: 'Renamed in app', stage }];
		const result = await run({ hubspotNodes: [pullNode('Pull HubSpot contacts')], app, reconcile: { createInApp: false } });
		expect(result.error(RECONCILE)).toBeUndefined();
		expect(out(result, 0)).toEqual([expect.objectContaining({ appId: 'a2', properties: { email: 'contact2@example.com', firstname: 'Renamed in app', lifecyclestage } })]);
	});

	it('a row switched off in its options is not synced; a row without a property is named', async () => {
		const app = [{ id: 'a2', email: 'contact2@example.com', firstname: 'Renamed in app', stage: 'Prospect' }];
		const off = [MAPPINGS[0], { hubspotProperty: 'firstname', options: { enabled: false } }, MAPPINGS[2]];
		const result = await run({ hubspotNodes: [pullNode('Pull HubSpot contacts')], app, reconcile: { createInApp: false, fieldMappings: { mappings: off } } });
		expect(out(result, 0).map((json) => Object.keys(json.properties).sort())).toEqual([['email', 'lifecyclestage']]);
		const empty = await run({ hubspotNodes: [pullNode('Pull HubSpot contacts')], reconcile: { fieldMappings: { mappings: [MAPPINGS[0], { options: { appField: 'first' } }] } } });
		expect(empty.error(RECONCILE)?.message).toBe('Field Mappings row 2: "HubSpot Property" is empty');
	});
});

describe('API Call Budget without expressions', () => {
	it('reads the calls rows from the node named and this run’s calls from the pull’s summary', async () => {
		const now = new Date().toISOString();
		const callsRows = [{}, { timestamp: now, calls: 90 }, { timestamp: new Date(Date.now() - 25 * 3_600_000).toISOString(), calls: 500 }];
		const app = Array.from({ length: 2 }, (_, i) => ({ id: `n${i}`, email: `budget${i}@example.com`, firstname: 'B' }));
		const result = await run({ hubspotNodes: [pullNode('Pull HubSpot contacts')], app, callsRows, reconcile: { createInApp: false, budget: { callCap: 100, callsRowsNode: 'Calls rows' } } });
		expect(result.error(RECONCILE)).toBeUndefined();
		const pullCalls = Number(result.output('Pull HubSpot contacts', 1)[0].json.calls);
		expect(pullCalls).toBeGreaterThan(0);
		// The pull's calls + Reconcile's one + Push's three for the creates.
		expect(out(result, SUMMARY)[0]).toMatchObject({ callsLast24Hours: 90, cap: 100, expectedCalls: pullCalls + 1 + 3 });
		// "Calls of This Run So Far" set: it is taken as given, and the writes would pass the cap.
		const set = await run({ hubspotNodes: [pullNode('Pull HubSpot contacts')], app, callsRows, reconcile: { createInApp: false, budget: { callCap: 100, callsRowsNode: 'Calls rows', callsThisRun: 7 } } });
		expect(out(set, SKIPPED)).toEqual([expect.objectContaining({ code: 'OVER_BUDGET', used: 90, expectedCalls: 7 + 1 + 3 })]);
	});

	it('a calls rows node that does not exist is named', async () => {
		const result = await run({ hubspotNodes: [pullNode('Pull HubSpot contacts')], reconcile: { budget: { callCap: 100, callsRowsNode: 'Calls in last 24 hours' } } });
		expect(result.error(RECONCILE)?.message).toBe('"API Call Budget → Calls Rows Node": no output of a node "Calls in last 24 hours"');
	});
});
