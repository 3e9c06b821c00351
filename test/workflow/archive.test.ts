/** Sync Properties → Delete (Archive) through n8n's engine against the emulator: 100 per call, ids checked first. */
import type { IDataObject } from 'n8n-workflow';

import { DEFAULT_SERVICE_KEY } from '../hubspot-emulator';
import { seedCrm } from '../hubspot-emulator/seed';
import { startEmulator, type RunningEmulator } from '../support/emulator';
import { runWorkflow } from '../support/workflow-harness';

let hs: RunningEmulator;
beforeEach(async () => {
	hs = await startEmulator();
	seedCrm(hs.emulator.store, { contacts: 200 });
});
afterEach(() => hs.stop());

const NODE = 'Delete contacts';
const workflow = (continueOnFail: boolean) => ({
	name: 'archive',
	nodes: [
		{ id: 'start', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
		{
			id: 'archive',
			name: NODE,
			type: 'n8n-nodes-hubspot-sync.hubSpotSyncProperties',
			typeVersion: 1,
			position: [200, 0],
			credentials: { hubSpotSyncServiceKeyApi: { id: 'cred1', name: 'HubSpot service key' } },
			parameters: { authentication: 'serviceKey', operation: 'archive', objectType: 'contacts', archiveId: '={{ $json.hubspotId }}' },
			...(continueOnFail ? { onError: 'continueRegularOutput' } : {}),
		},
	],
	connections: { Start: { main: [[{ node: NODE, type: 'main', index: 0 }]] } },
	settings: { executionOrder: 'v1' },
});
const run = (items: IDataObject[], continueOnFail = false) => runWorkflow(workflow(continueOnFail), { hubSpotSyncServiceKeyApi: { accessToken: DEFAULT_SERVICE_KEY, baseUrl: hs.url } }, items);
const live = () => [...hs.emulator.store.table('contacts').values()].filter((record) => !record.archived);

it('deletes 150 contacts in 2 calls; every item says so', async () => {
	const ids = live().slice(0, 150).map((record) => record.id);
	hs.emulator.resetStats();
	const result = await run(ids.map((hubspotId) => ({ hubspotId })));
	expect(result.error(NODE)).toBeUndefined();
	expect(live()).toHaveLength(50);
	expect(hs.emulator.stats.byOperation['POST /crm/objects/2026-03/contacts/batch/archive']).toBe(2);
	expect(result.output(NODE, 0).map((item) => item.json)).toEqual(ids.map((hubspotId) => ({ objectType: 'contacts', status: 'deleted', hubspotId })));
	expect(result.output(NODE, 1)[0].json).toMatchObject({ deleted: 150, calls: 2 });
});

it('a bad id stops the node before anything is deleted; with continue on fail only that item fails', async () => {
	const [first] = live();
	const stopped = await run([{ hubspotId: first.id }, { hubspotId: 'abc' }]);
	expect(stopped.error(NODE)?.message).toBe('Item 1: "Record ID" "abc" is not a HubSpot record id');
	expect(live()).toHaveLength(200);
	const continued = await run([{ hubspotId: first.id }, { hubspotId: '' }], true);
	expect(continued.output(NODE, 0).map((item) => item.json.status ?? (item.json.error as IDataObject).message)).toEqual(['deleted', 'Item 1: "Record ID" "" is not a HubSpot record id']);
	expect(live()).toHaveLength(199);
});
