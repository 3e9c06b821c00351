/**
 * HubSpot Reconcile through n8n's engine against the emulator: Pull → Reconcile (with app records
 * and links from test sources) → Push for the HubSpot writes. Checks the three-input node under
 * n8n's v1 order (an input that gets no items), the outputs' shapes and pairing, the writes landing
 * in HubSpot, the call budget, record filters and bad input.
 */
import type { IDataObject } from 'n8n-workflow';

import { DEFAULT_SERVICE_KEY } from '../hubspot-emulator';
import { seedCrm } from '../hubspot-emulator/seed';
import { startEmulator, type RunningEmulator } from '../support/emulator';
import { runWorkflow } from '../support/workflow-harness';

let hs: RunningEmulator;
beforeEach(async () => {
	hs = await startEmulator();
	seedCrm(hs.emulator.store, { contacts: 6, at: Date.now() - 3_600_000 });
});
afterEach(() => hs.stop());

const PACKAGE = 'n8n-nodes-hubspot-sync';
const RECONCILE = 'HubSpot Reconcile';
const PUSH = 'Push to HubSpot';
const MAPPINGS = [
	{ appField: 'mail', hubspotProperty: 'email', appType: 'text', enabled: true, picklist: '' },
	{ appField: 'first', hubspotProperty: 'firstname', appType: 'text', enabled: true, picklist: '' },
	{ appField: 'stage', hubspotProperty: 'lifecyclestage', appType: 'text', enabled: true, picklist: 'Prospect = lead, Client = customer, Deal = opportunity' },
];

const node = (name: string, type: string, position: [number, number], parameters: IDataObject, extra: IDataObject = {}) => ({ id: name, name, type, typeVersion: 1, position, parameters, ...extra });

function workflow(app: IDataObject[], links: IDataObject[], reconcileParameters: IDataObject = {}, reconcileNode: IDataObject = {}) {
	const serviceKey = { authentication: 'serviceKey' };
	const credentials = { credentials: { hubSpotSyncServiceKeyApi: { id: 'cred1', name: 'HubSpot service key' } } };
	return {
		name: 'reconcile',
		nodes: [
			node('Start', 'n8n-nodes-base.manualTrigger', [0, 0], {}),
			node('Pull', `${PACKAGE}.hubSpotSyncProperties`, [200, -200], { ...serviceKey, operation: 'pull', objectType: 'contacts', mode: 'full', propertyNames: ['email', 'firstname', 'lifecyclestage'] }, credentials),
			node('App records', 'test.items', [200, 0], { items: JSON.stringify(app) }),
			node('Links', 'test.items', [200, 200], { items: JSON.stringify(links) }),
			node(RECONCILE, `${PACKAGE}.hubSpotSyncReconcile`, [400, 0], { ...serviceKey, objectType: 'contacts', direction: 'twoWay', defaultSide: 'app', appIdField: 'id', fieldMappings: { mappings: MAPPINGS }, ...reconcileParameters }, { ...credentials, ...reconcileNode }),
			node(PUSH, `${PACKAGE}.hubSpotSyncProperties`, [600, 0], { ...serviceKey, operation: 'push', objectType: 'contacts', mappingMode: 'object', propertiesObject: '={{ $json.properties }}', conflictRule: 'incomingWins' }, credentials),
		],
		connections: {
			Start: { main: [[{ node: 'Pull', type: 'main', index: 0 }, { node: 'App records', type: 'main', index: 0 }, { node: 'Links', type: 'main', index: 0 }]] },
			Pull: { main: [[{ node: RECONCILE, type: 'main', index: 0 }], []] },
			'App records': { main: [[{ node: RECONCILE, type: 'main', index: 1 }]] },
			Links: { main: [[{ node: RECONCILE, type: 'main', index: 2 }]] },
			[RECONCILE]: { main: [[{ node: PUSH, type: 'main', index: 0 }], [], [{ node: PUSH, type: 'main', index: 0 }], [], [], [], []] },
		},
		settings: { executionOrder: 'v1' },
	};
}

const run = (app: IDataObject[], links: IDataObject[] = [], parameters: IDataObject = {}, reconcileNode: IDataObject = {}) =>
	runWorkflow(workflow(app, links, parameters, reconcileNode), { hubSpotSyncServiceKeyApi: { accessToken: DEFAULT_SERVICE_KEY, baseUrl: hs.url } }, [{}]);
const contact = (email: string) => hs.emulator.store.findByProperty('contacts', 'email', email)?.properties;

it('first run with no links yet (an input with no items): decides every pair, and Push writes the HubSpot side', async () => {
	const before = { ...contact('contact2@example.com')! };
	const app = [
		// contact1: same first name and stage → nothing to write, its first link is saved.
		{ id: 'a1', mail: 'CONTACT1@example.com', first: contact('contact1@example.com')!.firstname, stage: 'Prospect' },
		// contact2: the app (default) differs → HubSpot is updated.
		{ id: 'a2', mail: 'contact2@example.com', first: 'Renamed in app', stage: 'Deal' },
		{ id: 'a9', mail: 'new-in-app@example.com', first: 'Sora', stage: 'Prospect' },
		{ id: 'a10', mail: '', first: 'No email' },
	];
	const result = await run(app);
	expect(result.error(RECONCILE)).toBeUndefined();
	const out = (index: number) => result.output(RECONCILE, index).map((item) => item.json as Record<string, any>);
	expect(out(0)).toEqual([
		expect.objectContaining({ action: 'update', appId: 'a2', properties: { email: 'contact2@example.com', firstname: 'Renamed in app', lifecyclestage: 'opportunity' } }),
	]);
	expect(before.firstname).not.toBe('Renamed in app');
	expect(out(2)).toEqual([expect.objectContaining({ action: 'create', appId: 'a9', hubspotId: '', properties: { email: 'new-in-app@example.com', firstname: 'Sora', lifecyclestage: 'lead' } })]);
	// contacts 3–6 exist only in HubSpot: created in the app, with the app's picklist values.
	expect(out(3).map((json) => json.fields.mail).sort()).toEqual(['contact3@example.com', 'contact4@example.com', 'contact5@example.com', 'contact6@example.com']);
	expect(out(3).every((json) => ['Prospect', 'Client', 'Deal'].includes(json.fields.stage))).toBe(true);
	expect(out(4)).toEqual([expect.objectContaining({ action: 'link', key: 'email:contact1@example.com', appId: 'a1', link: expect.objectContaining({ values: expect.any(String) }) })]);
	expect(JSON.parse(out(4)[0].link.values)).toMatchObject({ email: 'contact1@example.com', lifecyclestage: 'lead' });
	expect(out(6)).toEqual([expect.objectContaining({ status: 'skipped', code: 'MISSING_MATCH_KEY', side: 'app', appId: 'a10' })]);
	// Each item names where it came from: the HubSpot record (input 0) and the app record (input 1).
	const update = result.output(RECONCILE, 0)[0];
	expect(update.pairedItem).toEqual([{ item: expect.any(Number), input: 0 }, { item: 1, input: 1 }]);
	expect(result.output('Pull', 0)[(update.pairedItem as Array<{ item: number }>)[0].item].json.id).toBe(update.json.hubspotId);

	// Push ran once per connected output: the update landed, the new contact exists.
	expect(contact('contact2@example.com')).toMatchObject({ firstname: 'Renamed in app', lifecyclestage: 'opportunity' });
	expect(contact('new-in-app@example.com')).toMatchObject({ firstname: 'Sora', lifecyclestage: 'lead' });
});

it('with the saved links, a second run decides nothing', async () => {
	const app = [{ id: 'a1', mail: 'contact1@example.com', first: 'Changed', stage: 'Deal' }];
	const first = await run(app, [], { createInApp: false });
	const links = [...first.output(RECONCILE, 0), ...first.output(RECONCILE, 4)].map((item) => item.json.link as IDataObject);
	expect(links).toHaveLength(1);
	const second = await run(app, links, { createInApp: false });
	for (const index of [0, 1, 2, 3, 4, 5, 6]) expect(second.output(RECONCILE, index)).toEqual([]);
});

it('each saved link names the links-table row it replaces, or that older rows are found by key; of two rows for one key the newer is the link', async () => {
	const appStage: Record<string, string> = { lead: 'Prospect', customer: 'Client', opportunity: 'Deal' };
	const hubspotIdOf = (n: number) => hs.emulator.store.findByProperty('contacts', 'email', `contact${n}@example.com`)!.id;
	const agreed = (n: number) => ({ email: `contact${n}@example.com`, firstname: contact(`contact${n}@example.com`)!.firstname, lifecyclestage: contact(`contact${n}@example.com`)!.lifecyclestage });
	const app = [
		// contact1 (row 41): its first name changed in the app, so HubSpot is updated; the save replaces row 41.
		{ id: 'a1', mail: 'contact1@example.com', first: 'Changed for the row id', stage: appStage[agreed(1).lifecyclestage ?? ''] },
		// contact2 (row 42): both sides agree and the link lacks the first name, so only the link is completed.
		{ id: 'a2', mail: 'contact2@example.com', first: agreed(2).firstname, stage: appStage[agreed(2).lifecyclestage ?? ''] },
		// contact3: two rows (a run stopped between a link's insert and the delete of its old row). Row 44, the newer, holds
		// HubSpot's first name, so the app's is a change to send to HubSpot; read as the link, row 43 would make HubSpot's
		// the change.
		{ id: 'a3', mail: 'contact3@example.com', first: 'Changed in app 3', stage: appStage[agreed(3).lifecyclestage ?? ''] },
		{ id: 'a5', mail: 'contact5@example.com', first: agreed(5).firstname, stage: appStage[agreed(5).lifecyclestage ?? ''] },
		// contact6 (row 47): HubSpot changed its first name and the app its stage since the link: both sides are written.
		{ id: 'a6', mail: 'contact6@example.com', first: 'Old first 6', stage: agreed(6).lifecyclestage === 'customer' ? 'Deal' : 'Client' },
		// new-rowid: no link yet; its create replaces no row.
		{ id: 'a4', mail: 'new-rowid@example.com', first: 'Rin', stage: 'Prospect' },
	];
	const linkOf = (n: number, rowId: number, values: IDataObject) => ({ id: rowId, key: `email:contact${n}@example.com`, hubspotId: hubspotIdOf(n), appId: `a${n}`, values: JSON.stringify(values) });
	const links = [
		linkOf(1, 41, agreed(1)),
		linkOf(2, 42, { email: 'contact2@example.com', lifecyclestage: agreed(2).lifecyclestage }),
		linkOf(3, 44, agreed(3)),
		linkOf(3, 43, { ...agreed(3), firstname: 'Changed in app 3' }),
		// contact5: two rows, nothing to write: its link (row 46) is saved again as read, so that both rows go.
		linkOf(5, 45, { ...agreed(5), firstname: 'Older first name' }),
		linkOf(5, 46, agreed(5)),
		linkOf(6, 47, { ...agreed(6), firstname: 'Old first 6' }),
	];
	const result = await run(app, links, { createInApp: false });
	expect(result.error(RECONCILE)).toBeUndefined();
	// How each save replaces the rows read: by the newest row's id, and by key where rows no id names may exist.
	const saves = (index: number) => result.output(RECONCILE, index).map((item) => [item.json.key, (item.json.link as IDataObject).rowId, (item.json.link as IDataObject).olderRowsByKey]);
	expect(saves(0)).toEqual([
		['email:contact1@example.com', '41', false],
		['email:contact3@example.com', '44', true],
		// Both writes of contact6 save its link: the second save must find the first's new row by key.
		['email:contact6@example.com', '47', true],
	]);
	expect(saves(1)).toEqual([['email:contact6@example.com', '47', true]]);
	expect(saves(2)).toEqual([['email:new-rowid@example.com', '', false]]);
	expect(saves(4)).toEqual([
		['email:contact2@example.com', '42', false],
		['email:contact5@example.com', '46', true],
	]);
	const contact5 = result.output(RECONCILE, 4)[1].json.link as IDataObject;
	expect(JSON.parse(String(contact5.values))).toEqual(agreed(5));
});

it('a call budget that the writes would exceed holds every write back with one explained skip', async () => {
	const app = Array.from({ length: 3 }, (_, i) => ({ id: `n${i}`, mail: `budget${i}@example.com`, first: 'B' }));
	const now = new Date().toISOString();
	const ledger = [{ timestamp: now, calls: 95 }, { timestamp: new Date(Date.now() - 25 * 3_600_000).toISOString(), calls: 500 }];
	const result = await run(app, [], { createInApp: false, budget: { callCap: 100, callLedger: JSON.stringify(ledger), callsThisRun: 2 } });
	for (const index of [0, 1, 2, 3, 4, 5]) expect(result.output(RECONCILE, index)).toEqual([]);
	const [skip] = result.output(RECONCILE, 6).map((item) => item.json);
	// 95 used in the last 24 h (the 500 are older) + 2 this run + 1 (definitions) + 3 (Push: definitions, one read, one write) > 100.
	expect(skip).toMatchObject({ status: 'skipped', code: 'OVER_BUDGET', used: 95, cap: 100, expectedCalls: 6 });
	expect(skip.reason).toContain('but 95 of the 100 allowed in 24 hours are used');
	expect(contact('budget0@example.com')).toBeUndefined();
	// The Summary output says what was held and the calls counted.
	expect(result.output(RECONCILE, 7).map((item) => item.json)).toEqual([expect.objectContaining({ writes: 'held back (over the API call budget)', hubspotCreates: 3, callsLast24Hours: 95, cap: 100, remaining: 5, expectedCalls: 6, reconcileCalls: 1 })]);
	// Under the cap the same run writes.
	const allowed = await run(app, [], { createInApp: false, budget: { callCap: 200, callLedger: JSON.stringify(ledger), callsThisRun: 2 } });
	expect(allowed.output(RECONCILE, 2)).toHaveLength(3);
	expect(allowed.output(RECONCILE, 7)[0].json).toMatchObject({ writes: 'sent to the outputs', hubspotCreates: 3, callsLast24Hours: 95, cap: 200, remaining: 105 });
	// Without a cap the usage is still counted.
	const uncapped = await run([], [], { createInApp: false, budget: { callLedger: JSON.stringify(ledger) } });
	expect(uncapped.output(RECONCILE, 7)[0].json).toMatchObject({ callsLast24Hours: 95, cap: null, remaining: null });
	expect(contact('budget2@example.com')).toMatchObject({ firstname: 'B' });
});

it('the HubSpot record filter (inclusion list) limits what is sent to the app', async () => {
	const result = await run([], [], { hubspotFilter: { conditions: [{ field: 'lifecyclestage', operation: 'equals', value: 'customer' }] } });
	const created = result.output(RECONCILE, 3).map((item) => item.json as Record<string, any>);
	expect(created.map((json) => json.fields.stage)).toEqual(created.map(() => 'Client'));
	expect(created.length).toBe([...hs.emulator.store.table('contacts').values()].filter((record) => record.properties.lifecyclestage === 'customer').length);
	expect(result.output(RECONCILE, 6).every((item) => item.json.code === 'FILTERED_OUT')).toBe(true);
});

it('bad input names the input, the item and the field; a wrong property is suggested', async () => {
	const noId = await run([{ id: 'a1', mail: 'x@example.com' }, { mail: 'y@example.com' }]);
	expect(noId.error(RECONCILE)?.message).toBe('App input, item 1: field "id" (the app\'s record id) is empty');
	const badLink = await run([], [{ key: 'email:x@example.com', values: '{not json' }]);
	expect(badLink.error(RECONCILE)?.message).toBe('Links input, item 0: field "values" is not an object');
	const typo = await run([], [], { fieldMappings: { mappings: [{ ...MAPPINGS[0] }, { appField: 'first', hubspotProperty: 'firstnme', appType: 'text' }] } });
	expect(typo.error(RECONCILE)?.message).toBe('Field Mappings row 2: HubSpot property "firstnme" does not exist on contacts');
	expect((typo.error(RECONCILE) as { description?: string }).description).toContain('"firstname"');
	const picklist = await run([], [], { fieldMappings: { mappings: [{ ...MAPPINGS[0], picklist: 'Prospect lead' }] } });
	expect(picklist.error(RECONCILE)?.message).toBe('Field Mappings row 1: picklist entry "Prospect lead" is not "app value = HubSpot value"');
});

it('with continue on fail, a bad app item is reported on Skipped; the linked records it may be are neither deleted nor created again', async () => {
	const email = (n: number) => `contact${n}@example.com`;
	const hubspotId = (n: number) => String(hs.emulator.store.findByProperty('contacts', 'email', email(n))!.id);
	// contact1 and contact2 were synced with app records a1 and a2; a2 now comes without its id.
	const links = [1, 2].map((n) => ({ key: `email:${email(n)}`, hubspotId: hubspotId(n), appId: `a${n}`, appKind: 'lead', values: JSON.stringify({ email: email(n) }) }));
	const app = [{ id: 'a1', mail: email(1), first: 'One', stage: 'Prospect' }, { mail: email(2), first: 'Two' }];
	const result = await run(app, links, { createInApp: false, deleteInHubspotKinds: 'lead', resyncDeleted: true }, { onError: 'continueRegularOutput' });
	expect(result.error(RECONCILE)).toBeUndefined();
	const skipped = result.output(RECONCILE, 6).map((item) => item.json as Record<string, any>);
	expect(skipped).toEqual(expect.arrayContaining([
		expect.objectContaining({ status: 'error', side: 'app', error: expect.objectContaining({ code: 'INPUT_INVALID', message: 'App input, item 1: field "id" (the app\'s record id) is empty' }) }),
		expect.objectContaining({ status: 'skipped', code: 'SIDE_INCOMPLETE', hubspotId: hubspotId(2), appId: 'a2' }),
	]));
	expect(result.output(RECONCILE, 5)).toEqual([]);
	// The readable pair is still decided (the app's first name wins: the app is the default).
	expect(result.output(RECONCILE, 0).map((item) => (item.json as Record<string, any>).appId)).toEqual(['a1']);
	expect(hs.emulator.store.findByProperty('contacts', 'email', email(2))).toBeDefined();
	// The error item pairs to the bad app item.
	const bad = result.output(RECONCILE, 6).find((item) => item.json.status === 'error')!;
	expect(bad.pairedItem).toEqual({ item: 1, input: 1 });
});
