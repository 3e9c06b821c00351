/**
 * Primary company associations through n8n's engine against the emulator: Reconcile reads each
 * contact's primary company (1 call per 1,000 contacts), compares it with the app's company field
 * through the company sync's links, and Sync Properties → Associate writes the HubSpot side.
 */
import type { IDataObject } from 'n8n-workflow';

import { DEFAULT_SERVICE_KEY } from '../hubspot-emulator';
import { seedCrm } from '../hubspot-emulator/seed';
import { startEmulator, type RunningEmulator } from '../support/emulator';
import { runWorkflow } from '../support/workflow-harness';

let hs: RunningEmulator;
beforeEach(async () => {
	hs = await startEmulator();
	// 4 companies; contact i's primary company is company (i mod 4).
	seedCrm(hs.emulator.store, { contacts: 8, companies: 4, at: Date.now() - 3_600_000 });
});
afterEach(() => hs.stop());

const PACKAGE = 'n8n-nodes-hubspot-sync';
const serviceKey = { authentication: 'serviceKey' };
const credentials = { credentials: { hubSpotSyncServiceKeyApi: { id: 'cred1', name: 'HubSpot service key' } } };
const node = (name: string, type: string, position: [number, number], parameters: IDataObject, extra: IDataObject = {}) => ({ id: name, name, type, typeVersion: 1, position, parameters, ...extra });
const credentialsOf = () => ({ hubSpotSyncServiceKeyApi: { accessToken: DEFAULT_SERVICE_KEY, baseUrl: hs.url } });

const contacts = () => [...hs.emulator.store.table('contacts').values()].filter((record) => !record.archived);
const companyIds = () => [...hs.emulator.store.table('companies').keys()];
const primaryCompany = (contactId: string) => hs.emulator.store.associationsOf('contacts', contactId, 'companies').find((entry) => entry.types.some((type) => type.associationTypeId === 1))?.toObjectId;

describe('Sync Properties → Associate', () => {
	const workflow = (continueOnFail = false) => ({
		name: 'associate',
		nodes: [
			node('Start', 'n8n-nodes-base.manualTrigger', [0, 0], {}),
			node('Associate', `${PACKAGE}.hubSpotSyncProperties`, [200, 0], { ...serviceKey, operation: 'associate', objectType: 'contacts', associateFromId: '={{ $json.hubspotId }}', associateToId: '={{ $json.companyId }}', associationLabel: 'primary' }, { ...credentials, ...(continueOnFail ? { onError: 'continueRegularOutput' } : {}) }),
		],
		connections: { Start: { main: [[{ node: 'Associate', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	});

	it('moves each contact’s primary company, keeps the old one as an ordinary association, passes items through', async () => {
		const [first, second] = contacts();
		const [, , , last] = companyIds();
		const oldPrimary = primaryCompany(first.id)!;
		hs.emulator.resetStats();
		const skippedByPush = { status: 'skipped', code: 'INVALID_EMAIL', hubspotId: null, companyId: last };
		const result = await runWorkflow(workflow(), credentialsOf(), [{ hubspotId: first.id, companyId: last, name: 'kept' }, { hubspotId: second.id, companyId: '' }, skippedByPush]);
		expect(result.error('Associate')).toBeUndefined();
		expect(result.output('Associate', 0).map((item) => item.json)).toEqual([
			{ hubspotId: first.id, companyId: last, name: 'kept', association: { toObjectType: 'companies', toId: last, label: 'primary', status: 'associated' } },
			{ hubspotId: second.id, companyId: '' },
			skippedByPush,
		]);
		expect(result.output('Associate', 1)[0].json).toMatchObject({ operation: 'associate', associated: 1, calls: 1 });
		expect(hs.emulator.stats.requests).toBe(1);
		expect(primaryCompany(first.id)).toBe(last);
		const old = hs.emulator.store.associationsOf('contacts', first.id, 'companies').find((entry) => entry.toObjectId === oldPrimary);
		expect(old?.types.map((type) => type.associationTypeId)).toEqual([279]);
	});

	it('a bad id stops the node before any call; with continue on fail only that item fails; HubSpot’s refusal is explained', async () => {
		const [first, second] = contacts();
		const [company] = companyIds();
		hs.emulator.resetStats();
		const stopped = await runWorkflow(workflow(), credentialsOf(), [{ hubspotId: first.id, companyId: company }, { hubspotId: 'abc', companyId: company }]);
		expect(stopped.error('Associate')?.message).toBe('Item 1: "Record ID" "abc" is not a HubSpot record id');
		expect(hs.emulator.stats.requests).toBe(0);
		const continued = await runWorkflow(workflow(true), credentialsOf(), [{ hubspotId: second.id, companyId: company }, { hubspotId: 'abc', companyId: company }, { hubspotId: first.id, companyId: '424242' }]);
		const out = continued.output('Associate', 0).map((item) => item.json as Record<string, any>);
		expect(out[0].association.status).toBe('associated');
		expect(out[1]).toMatchObject({ status: 'error', error: { code: 'INPUT_INVALID', message: 'Item 1: "Record ID" "abc" is not a HubSpot record id' } });
		expect(out[2]).toMatchObject({ status: 'error', error: { code: 'VALIDATION' } });
		expect(out[2].error.message).toContain(`association of contacts ${first.id} with companies 424242`);
		expect(primaryCompany(second.id)).toBe(company);
	});
});

describe('HubSpot Reconcile with the primary company', () => {
	const RECONCILE = 'HubSpot Reconcile';
	const workflow = (app: IDataObject[], links: IDataObject[]) => ({
		name: 'reconcile-associations',
		nodes: [
			node('Start', 'n8n-nodes-base.manualTrigger', [0, 0], {}),
			node('Pull', `${PACKAGE}.hubSpotSyncProperties`, [200, -200], { ...serviceKey, operation: 'pull', objectType: 'contacts', mode: 'full', propertyNames: ['email', 'firstname'] }, credentials),
			node('App records', 'test.items', [200, 0], { items: JSON.stringify(app) }),
			node('Links', 'test.items', [200, 200], { items: JSON.stringify(links) }),
			node(RECONCILE, `${PACKAGE}.hubSpotSyncReconcile`, [400, 0], {
				...serviceKey,
				objectType: 'contacts',
				direction: 'twoWay',
				defaultSide: 'app',
				appIdField: 'id',
				createInApp: false,
				fieldMappings: { mappings: [{ appField: 'mail', hubspotProperty: 'email', appType: 'text', enabled: true, picklist: '' }, { appField: 'first', hubspotProperty: 'firstname', appType: 'text', enabled: true, picklist: '' }] },
				associations: { association: { toObjectType: 'companies', appField: 'companyId', linksScope: 'companies-sync' } },
			}, credentials),
			node('Push', `${PACKAGE}.hubSpotSyncProperties`, [600, 0], { ...serviceKey, operation: 'push', objectType: 'contacts', mappingMode: 'object', propertiesObject: '={{ $json.properties }}', conflictRule: 'incomingWins' }, credentials),
			node('Associate', `${PACKAGE}.hubSpotSyncProperties`, [800, 0], { ...serviceKey, operation: 'associate', objectType: 'contacts', associateFromId: '={{ $json.hubspotId }}', associateToId: `={{ $('${RECONCILE}').item.json.associations?.companies ?? '' }}` }, credentials),
		],
		connections: {
			Start: { main: [[{ node: 'Pull', type: 'main', index: 0 }, { node: 'App records', type: 'main', index: 0 }, { node: 'Links', type: 'main', index: 0 }]] },
			Pull: { main: [[{ node: RECONCILE, type: 'main', index: 0 }], []] },
			'App records': { main: [[{ node: RECONCILE, type: 'main', index: 1 }]] },
			Links: { main: [[{ node: RECONCILE, type: 'main', index: 2 }]] },
			[RECONCILE]: { main: [[{ node: 'Push', type: 'main', index: 0 }], [], [{ node: 'Push', type: 'main', index: 0 }], [], [], [], []] },
			Push: { main: [[{ node: 'Associate', type: 'main', index: 0 }], []] },
		},
		settings: { executionOrder: 'v1' },
	});

	it('moves HubSpot’s primary company to the app’s, fills the app’s from HubSpot’s, and creates new contacts with theirs', async () => {
		const [c1, c2, c3] = contacts();
		const companies = companyIds();
		// The company sync linked companies 0–2 as app companies K0–K2; company 3 is not synced.
		const companyLinks = companies.slice(0, 3).map((hubspotId, index) => ({ scope: 'companies-sync', key: `domain:k${index}.example`, hubspotId, appId: `K${index}`, values: '{}' }));
		const target = companies.find((id) => id !== primaryCompany(c1.id) && companies.indexOf(id) < 3)!;
		const app = [
			{ id: 'a1', mail: c1.properties.email, first: c1.properties.firstname, companyId: `K${companies.indexOf(target)}` },
			{ id: 'a2', mail: c2.properties.email, first: c2.properties.firstname },
			{ id: 'a3', mail: c3.properties.email, first: c3.properties.firstname, companyId: 'K-unsynced' },
			{ id: 'a9', mail: 'new@example.com', first: 'New', companyId: 'K0' },
		];
		hs.emulator.resetStats();
		const result = await runWorkflow(workflow(app, companyLinks), credentialsOf(), [{}]);
		expect(result.error(RECONCILE)).toBeUndefined();
		expect(result.error('Associate')).toBeUndefined();
		const out = (index: number) => result.output(RECONCILE, index).map((item) => item.json as Record<string, any>);
		// One read of associations for all 8 contacts (plus the property definitions).
		expect(hs.emulator.stats.byOperation['POST /crm/associations/2026-03/{fromObjectType}/{toObjectType}/batch/read'] ?? hs.emulator.stats.byOperation['POST /crm/associations/2026-03/contacts/companies/batch/read']).toBe(1);
		expect(out(0)).toEqual([expect.objectContaining({ appId: 'a1', associations: { companies: target } })]);
		expect(out(2)).toEqual([expect.objectContaining({ appId: 'a9', associations: { companies: companies[0] } })]);
		const c2Company = primaryCompany(c2.id)!;
		const c2Expected = companies.indexOf(c2Company) < 3 ? [{ companyId: `K${companies.indexOf(c2Company)}` }] : [];
		expect(out(1).filter((json) => json.appId === 'a2').map((json) => json.fields)).toEqual(c2Expected);
		expect(out(1).some((json) => json.appId === 'a3') || out(0).some((json) => json.appId === 'a3')).toBe(false);
		expect(primaryCompany(c1.id)).toBe(target);
		const created = hs.emulator.store.findByProperty('contacts', 'email', 'new@example.com')!;
		expect(primaryCompany(created.id)).toBe(companies[0]);
		// Push (and so Associate) runs once for the updates and once for the creates.
		const summaries = result.run.data.resultData.runData.Associate.map((task) => task.data!.main[1]![0].json);
		expect(summaries).toEqual([expect.objectContaining({ associated: 1, calls: 1 }), expect.objectContaining({ associated: 1, calls: 1 })]);
	});

	it('reads HubSpot’s 207 for a contact without a company as "no company" and gives it the app’s', async () => {
		const companies = companyIds();
		const lonely = hs.emulator.store.create('contacts', { email: 'lonely@example.com', firstname: 'Lonely' });
		const companyLinks = [{ scope: 'companies-sync', key: 'domain:k0.example', hubspotId: companies[0], appId: 'K0', values: '{}' }];
		hs.emulator.resetStats();
		const result = await runWorkflow(workflow([{ id: 'a1', mail: 'lonely@example.com', first: 'Lonely', companyId: 'K0' }], companyLinks), credentialsOf(), [{}]);
		expect(result.error(RECONCILE)).toBeUndefined();
		expect(result.error('Associate')).toBeUndefined();
		// HubSpot names the company-less contact in the errors of a 207 (multi-status) answer.
		expect(hs.emulator.stats.byStatus['207']).toBe(1);
		expect(result.output(RECONCILE, 0).map((item) => item.json)).toEqual([expect.objectContaining({ appId: 'a1', associations: { companies: companies[0] } })]);
		expect(primaryCompany(lonely.id)).toBe(companies[0]);
		expect(hs.emulator.store.get('contacts', lonely.id)!.properties.associatedcompanyid).toBe(companies[0]);
	});
});
