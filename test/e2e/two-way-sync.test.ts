/**
 * The two-way contact sync template in a real n8n against the emulator, with the sample app table
 * standing in for the other app: the first run merges both sides field by field (HubSpot is the
 * default app; blanks are filled, never spread; bad app rows are skipped with history rows), the
 * second run writes nothing to either side (convergence), a later edit on each side flows once,
 * the API call budget stops a run before its writes, and the switch row turns the sync off. With the
 * company sync template beside it, each contact's primary company is kept in sync both ways.
 */

import { seedCrm } from '../hubspot-emulator/seed';
import { waitForWebhook } from '../../scripts/n8n-runtime';
import {
	callWebhook,
	hubspotWriteCalls,
	dataTableRows,
	deleteDataTableRows,
	editTemplate,
	insertDataTableRows,
	renamedTemplate,
	startE2eEnvironment,
	templateForE2e,
	updateDataTableRows,
	withSettings,
	withWebhookTrigger,
	type E2eEnvironment,
} from './n8n-e2e';

jest.setTimeout(900_000);

const HUBSPOT_CONTACTS = 200;
const HUBSPOT_COMPANIES = 20;
const withExecutionData = (file: string) => editTemplate(file, (workflow) => void (workflow.settings = { ...workflow.settings, saveDataSuccessExecution: 'all' }));
const HUBSPOT_DEALS = 10;
const SCOPE = 'two-way-contacts';
let env: E2eEnvironment;

beforeAll(async () => {
	env = await startE2eEnvironment(
		[
			templateForE2e('record-history.json'),
			templateForE2e('error-workflow-history.json'),
			withWebhookTrigger(templateForE2e('two-way-sync-setup.json'), 'Run setup', 'e2e/two-way-setup', 'noData'),
			// The tests read the runs' node outputs: saved here (the template saves no data of successful runs).
			withExecutionData(withWebhookTrigger(withWebhookTrigger(templateForE2e('two-way-contact-sync.json'), 'Every 10 minutes', 'e2e/two-way-sync', 'noData'), 'Resync deleted records', 'e2e/two-way-resync', 'noData')),
			withWebhookTrigger(templateForE2e('two-way-company-sync.json'), 'Every 10 minutes', 'e2e/two-way-company-sync', 'noData'),
			withWebhookTrigger(templateForE2e('two-way-deal-sync.json'), 'Every 10 minutes', 'e2e/two-way-deal-sync', 'noData'),
			// The contact sync again, as an operator switches on incremental pulls (no daily full hour here, so the test never
			// meets it; a 1-s lookback, so that the other tests' changes of the last minute are not read again).
			renamedTemplate(
				editTemplate(withSettings(withWebhookTrigger(templateForE2e('two-way-contact-sync.json', { 'Pull HubSpot contacts': { pullOptions: { lookbackSeconds: 1 } } }), 'Every 10 minutes', 'e2e/two-way-sync-incremental', 'noData'), 'Settings', { incrementalPull: true, fullPullHour: -1 }), (workflow) => {
					Object.assign(workflow, { id: 'hsTwoWayContactsInc', name: 'two-way contacts, incremental' });
					workflow.settings = { ...workflow.settings, saveDataSuccessExecution: 'all' };
				}),
				'two-way-contact-sync-incremental.json',
			),
		],
		{},
		{
			beforeStart: ({ emulator }) => {
				seedCrm(emulator.store, { contacts: HUBSPOT_CONTACTS, at: Date.now() - 3_600_000 });
				// Companies seeded apart, so that contacts keep a blank "company" property; contact n's primary company is company (n mod 20).
				seedCrm(emulator.store, { companies: HUBSPOT_COMPANIES, at: Date.now() - 3_600_000 });
				const companies = [...emulator.store.table('companies').keys()];
				[...emulator.store.table('contacts').keys()].forEach((id, n) => emulator.store.associate('contacts', id, 'companies', companies[n % companies.length], 1));
				// Deals in the default pipeline; deal n's primary company is company n.
				seedCrm(emulator.store, { deals: HUBSPOT_DEALS, at: Date.now() - 3_600_000 });
				[...emulator.store.table('deals').keys()].forEach((id, n) => emulator.store.associate('deals', id, 'companies', companies[n], 5));
			},
		},
	);
	await waitForWebhook(`${env.n8n.url}/webhook/e2e/two-way-setup`);
});
afterAll(async () => env?.teardown());

const sync = async () => expect((await callWebhook(env, 'e2e/two-way-sync')).status).toBe(200);
const rows = (name: string) => dataTableRows(env, name);
const appRows = () => rows('sample_app_contacts');
const hubspotContact = (email: string) => env.emulator.store.findByProperty('contacts', 'email', email);
const contacts = () => [...env.emulator.store.table('contacts').values()].filter((record) => !record.archived);
const hubspotWrites = () => hubspotWriteCalls(env);
const primaryCompany = (contactId: string) => env.emulator.store.associationsOf('contacts', contactId, 'companies').find((entry) => entry.types.some((type) => type.associationTypeId === 1))?.toObjectId;
const history = async () => (await rows('hubspot_sync_history')).filter((row) => row.objectType === 'contact');

it('set-up creates the tables and the switch row (on)', async () => {
	expect((await callWebhook(env, 'e2e/two-way-setup')).status).toBe(200);
	expect((await rows('hubspot_sync_state')).map((row) => [row.integration, row.paused]).sort()).toEqual([['two-way-companies', false], [SCOPE, false], ['two-way-deals', false]]);
	for (const table of ['hubspot_sync_record_links', 'hubspot_sync_calls', 'sample_app_contacts', 'sample_app_companies', 'sample_app_deals']) expect(await rows(table)).toEqual([]);
});

it('first run: both sides merged field by field, bad app rows skipped with history rows', async () => {
	const seeded = (n: number) => hubspotContact(`contact${n}@example.com`)!.properties;
	await insertDataTableRows(env, 'sample_app_contacts', [
		// 60 contacts both sides know: the app's email in other case; 30 with another first name
		// (HubSpot, the default app, wins), every one with a company HubSpot lacks, none with a phone.
		...Array.from({ length: 60 }, (_, i) => ({
			mail: i % 2 ? `Contact${i + 1}@Example.com` : `contact${i + 1}@example.com`,
			first: i < 30 ? seeded(i + 1).firstname : `App first ${i + 1}`,
			last: seeded(i + 1).lastname,
			phone: '',
			company: `App Co ${i + 1}`,
		})),
		...Array.from({ length: 40 }, (_, i) => ({ mail: `new${i + 1}@app.example.com`, first: `New ${i + 1}`, last: 'App', phone: '', company: 'Made in app' })),
		{ mail: '', first: 'No email', last: 'App', phone: '', company: '' },
		{ mail: 'not-an-email', first: 'Bad email', last: 'App', phone: '', company: '' },
	]);
	env.emulator.resetStats();
	await sync();

	// HubSpot: 40 new contacts, the 60 known ones got the app's company, kept their first names.
	expect(contacts()).toHaveLength(HUBSPOT_CONTACTS + 40);
	expect(hubspotContact('new7@app.example.com')?.properties).toMatchObject({ firstname: 'New 7', lastname: 'App', company: 'Made in app' });
	expect(hubspotContact('contact31@example.com')?.properties).toMatchObject({ company: 'App Co 31', firstname: expect.not.stringMatching(/^App first/) });
	expect(hubspotContact('contact61@example.com')?.properties.company ?? '').toBe('');
	// The app: the 140 HubSpot-only contacts added; known rows got HubSpot's first name and phone.
	const app = await appRows();
	expect(app).toHaveLength(102 + HUBSPOT_CONTACTS - 60);
	const byMail = new Map(app.map((row) => [String(row.mail).toLowerCase(), row]));
	expect(byMail.get('contact31@example.com')).toMatchObject({ first: seeded(31).firstname, phone: seeded(31).phone, company: 'App Co 31' });
	expect(byMail.get('contact150@example.com')).toMatchObject({ first: seeded(150).firstname, last: seeded(150).lastname, phone: seeded(150).phone });
	// A different case of the same email is not a change: the app keeps its spelling.
	expect(byMail.get('contact2@example.com')?.mail).toBe('Contact2@Example.com');
	// One link per pair; the bad rows are skipped with a reason each.
	const links = await rows('hubspot_sync_record_links');
	expect(links).toHaveLength(HUBSPOT_CONTACTS + 40);
	expect(new Set(links.map((link) => link.key)).size).toBe(links.length);
	expect(links.every((link) => link.scope === SCOPE && link.hubspotId && link.appId)).toBe(true);
	const skips = (await history()).filter((row) => row.status === 'skip');
	expect(skips.map((row) => row.code).sort()).toEqual(['INVALID_EMAIL', 'MISSING_MATCH_KEY']);
	expect((await history()).filter((row) => row.code === 'OK')).toHaveLength(100);
	// The run summary (Reconcile's Summary output) says what was decided and the calls counted.
	const executions = await env.n8n.api('GET', '/executions?workflowId=hsTwoWayContacts01&includeData=true&limit=1');
	const summary = executions.data[0].data.resultData.runData['Run summary'][0].data.main[0][0].json;
	expect(summary).toMatchObject({ writes: 'sent to the outputs', hubspotCreates: 40, appCreates: 140, skipped: 2, callsLast24Hours: 0, cap: 20000 });
	// The calls were counted for the budget: the pull's (+ 1 for Reconcile) and Push's.
	const calls = await rows('hubspot_sync_calls');
	expect(calls.reduce((sum, row) => sum + Number(row.calls), 0)).toBe(env.emulator.stats.requests);
	expect(env.emulator.contract.violations).toEqual([]);
});

it('the second run writes nothing to either side; the third changes no link either', async () => {
	const before = await appRows();
	env.emulator.resetStats();
	await sync();
	expect(hubspotWrites()).toBe(0);
	expect(await appRows()).toEqual(before);
	expect(contacts()).toHaveLength(HUBSPOT_CONTACTS + 40);
	const links = await rows('hubspot_sync_record_links');
	await sync();
	expect(await rows('hubspot_sync_record_links')).toEqual(links);
	expect(hubspotWrites()).toBe(0);
});

it('primary companies: the company sync links the companies, then the contact sync keeps each contact’s primary company both ways', async () => {
	const callsSoFar = async () => (await rows('hubspot_sync_calls')).reduce((sum, row) => sum + Number(row.calls), 0);
	const before = await callsSoFar();
	await insertDataTableRows(env, 'sample_app_companies', [
		// Five companies HubSpot has, with their domains written as URLs; three only the app has.
		...Array.from({ length: 5 }, (_, i) => ({ name: `Company ${i + 1}`, domain: `https://www.company${i + 1}.example.com/`, city: '', phone: '' })),
		...Array.from({ length: 3 }, (_, i) => ({ name: `App Co ${i + 1}`, domain: `appco${i + 1}.example.com`, city: 'Kyoto', phone: '' })),
	]);
	env.emulator.resetStats();
	expect((await callWebhook(env, 'e2e/two-way-company-sync')).status).toBe(200);
	const companyRunRequests = env.emulator.stats.requests;
	const hubspotCompanies = [...env.emulator.store.table('companies').values()];
	expect(hubspotCompanies).toHaveLength(HUBSPOT_COMPANIES + 3);
	const appCompanies = await rows('sample_app_companies');
	expect(appCompanies).toHaveLength(8 + HUBSPOT_COMPANIES - 5);
	const companyLinks = (await rows('hubspot_sync_record_links')).filter((link) => link.scope === 'two-way-companies');
	expect(companyLinks).toHaveLength(HUBSPOT_COMPANIES + 3);
	expect(appCompanies.find((row) => row.name === 'Company 1')?.city).toBe(env.emulator.store.findByProperty('companies', 'domain', 'company1.example.com')!.properties.city);
	const appIdOfHubspot = new Map(companyLinks.map((link) => [String(link.hubspotId), String(link.appId)]));
	const hubspotIdOfApp = new Map(companyLinks.map((link) => [String(link.appId), String(link.hubspotId)]));
	const appCompanyId = (name: string) => String(appCompanies.find((row) => row.name === name)!.id);

	// The contact sync fills each app contact's company from HubSpot; a new app contact at App Co 3 is created with it.
	await insertDataTableRows(env, 'sample_app_contacts', [{ mail: 'with-company@app.example.com', first: 'With', last: 'Company', phone: '', company: 'App Co 3', companyId: appCompanyId('App Co 3') }]);
	env.emulator.resetStats();
	await sync();
	expect(primaryCompany(hubspotContact('with-company@app.example.com')!.id)).toBe(hubspotIdOfApp.get(appCompanyId('App Co 3')));
	let byMail = new Map((await appRows()).map((row) => [String(row.mail).toLowerCase(), row]));
	for (let n = 1; n <= HUBSPOT_CONTACTS; n++) {
		const id = hubspotContact(`contact${n}@example.com`)!.id;
		expect([n, byMail.get(`contact${n}@example.com`)?.companyId]).toEqual([n, appIdOfHubspot.get(primaryCompany(id)!)]);
	}
	// One association call (the new contact); every call of both runs counted for the budget.
	const associationCalls = () => env.emulator.stats.byOperation['POST /crm/associations/2026-03/{fromObjectType}/{toObjectType}/batch/create'] ?? env.emulator.stats.byOperation['POST /crm/associations/2026-03/contacts/companies/batch/create'] ?? 0;
	expect(associationCalls()).toBe(1);
	expect((await callsSoFar()) - before).toBe(companyRunRequests + env.emulator.stats.requests);
	expect(env.emulator.contract.violations).toEqual([]);

	// The app moves contact5 to App Co 2: HubSpot's primary follows; the old primary stays, unlabeled.
	const contact5 = hubspotContact('contact5@example.com')!;
	const oldPrimary = primaryCompany(contact5.id)!;
	await updateDataTableRows(env, 'sample_app_contacts', 'mail', 'contact5@example.com', { companyId: appCompanyId('App Co 2') });
	env.emulator.resetStats();
	await sync();
	expect(primaryCompany(contact5.id)).toBe(hubspotIdOfApp.get(appCompanyId('App Co 2')));
	expect(env.emulator.store.associationsOf('contacts', contact5.id, 'companies').find((entry) => entry.toObjectId === oldPrimary)?.types.map((type) => type.associationTypeId)).toEqual([279]);
	expect(associationCalls()).toBe(1);
	// HubSpot moves contact8 to company 3: the app follows.
	const contact8 = hubspotContact('contact8@example.com')!;
	env.emulator.store.demotePrimary('contacts', contact8.id, 'companies', 1, 279);
	env.emulator.store.associate('contacts', contact8.id, 'companies', env.emulator.store.findByProperty('companies', 'domain', 'company3.example.com')!.id, 1);
	await sync();
	byMail = new Map((await appRows()).map((row) => [String(row.mail).toLowerCase(), row]));
	expect(byMail.get('contact8@example.com')?.companyId).toBe(appCompanyId('Company 3'));

	// Converged: the next runs of both syncs write nothing.
	const app = await appRows();
	env.emulator.resetStats();
	await sync();
	expect((await callWebhook(env, 'e2e/two-way-company-sync')).status).toBe(200);
	expect(hubspotWrites()).toBe(0);
	expect(await appRows()).toEqual(app);
});

it('deals: paired by their links, created both ways with their primary company and stage names; converge; edits flow', async () => {
	const companyLinks = (await rows('hubspot_sync_record_links')).filter((link) => link.scope === 'two-way-companies');
	const appIdOfHubspot = new Map(companyLinks.map((link) => [String(link.hubspotId), String(link.appId)]));
	const appCompanies = await rows('sample_app_companies');
	const appCompanyId = (name: string) => String(appCompanies.find((row) => row.name === name)!.id);
	const hubspotIdOfApp = new Map(companyLinks.map((link) => [String(link.appId), String(link.hubspotId)]));
	const callsBefore = (await rows('hubspot_sync_calls')).reduce((sum, row) => sum + Number(row.calls), 0);
	await insertDataTableRows(env, 'sample_app_deals', [
		{ title: 'App deal 1', amount: 500, stage: 'Qualified', closeDate: '2026-12-24', companyId: appCompanyId('App Co 1') },
		// Named like a HubSpot deal: deals are never matched by name, so it is a deal of its own.
		{ title: 'Deal 1', amount: 800, stage: 'Won', closeDate: '', companyId: '' },
	]);
	env.emulator.resetStats();
	expect((await callWebhook(env, 'e2e/two-way-deal-sync')).status).toBe(200);
	const hubspotDeals = () => [...env.emulator.store.table('deals').values()].filter((record) => !record.archived);
	expect(hubspotDeals()).toHaveLength(HUBSPOT_DEALS + 2);
	const appDeal1 = hubspotDeals().find((deal) => deal.properties.dealname === 'App deal 1')!;
	expect(appDeal1.properties).toMatchObject({ amount: '500', dealstage: 'qualifiedtobuy' });
	expect(env.emulator.store.associationsOf('deals', appDeal1.id, 'companies').find((entry) => entry.types.some((type) => type.associationTypeId === 5))?.toObjectId).toBe(hubspotIdOfApp.get(appCompanyId('App Co 1')));
	const appDeals = await rows('sample_app_deals');
	expect(appDeals).toHaveLength(2 + HUBSPOT_DEALS);
	// The seeded deals arrive with the app's stage names and their primary company's app id.
	const seeded = [...env.emulator.store.table('deals').values()].slice(0, HUBSPOT_DEALS);
	for (const [n, deal] of seeded.entries()) {
		const row = appDeals.find((candidate) => candidate.title === deal.properties.dealname && Number(candidate.amount) === Number(deal.properties.amount));
		expect([n, row?.companyId]).toEqual([n, appIdOfHubspot.get(env.emulator.store.associationsOf('deals', deal.id, 'companies')[0].toObjectId)]);
	}
	expect(appDeals.find((row) => row.title === 'Deal 2')?.stage).toBe('Qualified');
	const links = (await rows('hubspot_sync_record_links')).filter((link) => link.scope === 'two-way-deals');
	expect(links).toHaveLength(HUBSPOT_DEALS + 2);
	expect((await rows('hubspot_sync_calls')).reduce((sum, row) => sum + Number(row.calls), 0) - callsBefore).toBe(env.emulator.stats.requests);
	expect(env.emulator.contract.violations).toEqual([]);

	// Converged: nothing to write.
	env.emulator.resetStats();
	expect((await callWebhook(env, 'e2e/two-way-deal-sync')).status).toBe(200);
	expect(hubspotWrites()).toBe(0);
	expect(await rows('sample_app_deals')).toEqual(appDeals);

	// The app raises App deal 1's amount; HubSpot marks Deal 3 won: each flows once.
	await updateDataTableRows(env, 'sample_app_deals', 'title', 'App deal 1', { amount: 650 });
	env.emulator.store.update('deals', seeded[2], { dealstage: 'closedwon' });
	env.emulator.resetStats();
	expect((await callWebhook(env, 'e2e/two-way-deal-sync')).status).toBe(200);
	expect(env.emulator.store.get('deals', appDeal1.id)?.properties.amount).toBe('650');
	expect((await rows('sample_app_deals')).find((row) => row.title === 'Deal 3')?.stage).toBe('Won');
	expect(hubspotWrites()).toBe(1);
});

const linkRowsOf = async (key: string) => (await rows('hubspot_sync_record_links')).filter((link) => link.scope === SCOPE && link.key === key);

it('an edit on each side flows to the other once; a pair edited on both sides keeps one link row', async () => {
	await updateDataTableRows(env, 'sample_app_contacts', 'mail', 'contact5@example.com', { last: 'Changed in app' });
	env.emulator.store.update('contacts', hubspotContact('contact7@example.com')!, { firstname: 'Changed in HubSpot' });
	// contact9: one field changed on each side, so both writes save its link in this run.
	await updateDataTableRows(env, 'sample_app_contacts', 'mail', 'contact9@example.com', { last: 'Last from app' });
	env.emulator.store.update('contacts', hubspotContact('contact9@example.com')!, { firstname: 'First from HubSpot' });
	const [linkBefore] = await linkRowsOf('email:contact9@example.com');
	env.emulator.resetStats();
	await sync();
	expect(hubspotContact('contact5@example.com')?.properties.lastname).toBe('Changed in app');
	const byMail = new Map((await appRows()).map((row) => [String(row.mail).toLowerCase(), row]));
	expect(byMail.get('contact7@example.com')?.first).toBe('Changed in HubSpot');
	expect(hubspotContact('contact9@example.com')?.properties.lastname).toBe('Last from app');
	expect(byMail.get('contact9@example.com')?.first).toBe('First from HubSpot');
	// Push: definitions, one batch read, one upsert (contacts 5 and 9).
	expect(hubspotWrites()).toBe(1);
	// Each save inserted a new row and deleted the one it replaced; the second of contact9's saves found the first's by key.
	const linksAfter = await linkRowsOf('email:contact9@example.com');
	expect(linksAfter).toHaveLength(1);
	expect(Number(linksAfter[0].id)).toBeGreaterThan(Number(linkBefore.id));
	env.emulator.resetStats();
	await sync();
	expect(hubspotWrites()).toBe(0);
	const [completed] = await linkRowsOf('email:contact9@example.com');
	expect(JSON.parse(completed.values)).toMatchObject({ firstname: 'First from HubSpot', lastname: 'Last from app' });
	expect(await linkRowsOf('email:contact9@example.com')).toHaveLength(1);
});

it('a key left with two link rows (a run stopped between a link’s insert and its old row’s delete) is left with one by the next run', async () => {
	const key = 'email:contact11@example.com';
	const [current] = await linkRowsOf(key);
	// The newer row is a copy of the link; the older one holds names no side has any more.
	const [copy] = await insertDataTableRows(env, 'hubspot_sync_record_links', [{ scope: SCOPE, key, hubspotId: current.hubspotId, appId: current.appId, appKind: current.appKind, values: current.values, syncedAt: current.syncedAt }]);
	await updateDataTableRows(env, 'hubspot_sync_record_links', 'id', current.id, { values: JSON.stringify({ ...JSON.parse(current.values), firstname: 'Stale first name', lastname: 'Stale last name' }) });
	const appBefore = await appRows();
	env.emulator.resetStats();
	await sync();
	// Nothing to write on either side; the link is saved again as read (the newer row), and both old rows go.
	expect(hubspotWrites()).toBe(0);
	expect(await appRows()).toEqual(appBefore);
	const left = await linkRowsOf(key);
	expect(left).toHaveLength(1);
	expect(Number(left[0].id)).toBeGreaterThan(Number(copy.id));
	expect(JSON.parse(left[0].values)).toEqual(JSON.parse(current.values));
});

it('a run deletes its calls rows older than 24 hours (the budget counts only the last 24) and keeps the others', async () => {
	const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString();
	await insertDataTableRows(env, 'hubspot_sync_calls', [
		{ scope: SCOPE, runId: 'e2e-25-hours-ago', timestamp: hoursAgo(25), calls: 0 },
		{ scope: SCOPE, runId: 'e2e-23-hours-ago', timestamp: hoursAgo(23), calls: 0 },
		{ scope: 'another-sync', runId: 'e2e-another-sync', timestamp: hoursAgo(25), calls: 0 },
	]);
	await sync();
	const runIds = (await rows('hubspot_sync_calls')).map((row) => row.runId);
	expect(runIds).not.toContain('e2e-25-hours-ago');
	expect(runIds).toContain('e2e-23-hours-ago');
	// Another sync's rows are that sync's to delete.
	expect(runIds).toContain('e2e-another-sync');
	for (const runId of ['e2e-23-hours-ago', 'e2e-another-sync']) await deleteDataTableRows(env, 'hubspot_sync_calls', 'runId', runId);
});

it('the API call budget stops a run before its writes, with one explained history row', async () => {
	const [ledger] = await insertDataTableRows(env, 'hubspot_sync_calls', [{ scope: SCOPE, runId: 'e2e-budget', timestamp: new Date().toISOString(), calls: 19_990 }]);
	expect(ledger).toMatchObject({ runId: 'e2e-budget' });
	await updateDataTableRows(env, 'sample_app_contacts', 'mail', 'contact9@example.com', { last: 'Over budget' });
	const lastname = hubspotContact('contact9@example.com')!.properties.lastname;
	env.emulator.resetStats();
	await sync();
	expect(hubspotWrites()).toBe(0);
	expect(hubspotContact('contact9@example.com')?.properties.lastname).toBe(lastname);
	const [row] = (await history()).filter((entry) => entry.code === 'OVER_BUDGET');
	expect(row).toMatchObject({ status: 'skip', message: expect.stringContaining('budget') });
	expect(row.message).toMatch(/of the 20000 allowed in 24 hours are used/);
	// Under the cap again (the big row gone), the held-back change flows.
	await deleteDataTableRows(env, 'hubspot_sync_calls', 'runId', 'e2e-budget');
	await sync();
	expect(hubspotContact('contact9@example.com')?.properties.lastname).toBe('Over budget');
});

it('the switch row turns the sync off: no HubSpot call at all', async () => {
	await updateDataTableRows(env, 'hubspot_sync_state', 'integration', SCOPE, { paused: true });
	env.emulator.store.update('contacts', hubspotContact('contact11@example.com')!, { firstname: 'While off' });
	env.emulator.resetStats();
	await sync();
	expect(env.emulator.stats.requests).toBe(0);
	await updateDataTableRows(env, 'hubspot_sync_state', 'integration', SCOPE, { paused: false });
	await sync();
	const byMail = new Map((await appRows()).map((row) => [String(row.mail).toLowerCase(), row]));
	expect(byMail.get('contact11@example.com')?.first).toBe('While off');
});

it('a record deleted on one side after a sync is skipped with a history row, and created again by "Resync deleted records"', async () => {
	await deleteDataTableRows(env, 'sample_app_contacts', 'mail', 'contact13@example.com');
	const deletedInHubspot = hubspotContact('contact14@example.com')!;
	env.emulator.store.archive('contacts', deletedInHubspot.id);
	await sync();
	const byMail = async () => new Map((await appRows()).map((row) => [String(row.mail).toLowerCase(), row]));
	expect((await byMail()).has('contact13@example.com')).toBe(false);
	expect(hubspotContact('contact14@example.com')).toBeUndefined();
	const deletions = (await history()).filter((row) => row.code === 'DELETED_IN_APP' || row.code === 'DELETED_IN_HUBSPOT');
	expect(deletions.map((row) => [row.code, row.status])).toEqual([['DELETED_IN_APP', 'skip'], ['DELETED_IN_HUBSPOT', 'skip']]);

	expect((await callWebhook(env, 'e2e/two-way-resync')).status).toBe(200);
	expect((await byMail()).get('contact13@example.com')).toMatchObject({ first: hubspotContact('contact13@example.com')!.properties.firstname });
	const recreated = hubspotContact('contact14@example.com')!;
	expect(recreated.id).not.toBe(deletedInHubspot.id);
	expect(recreated.properties.firstname).toBe((await byMail()).get('contact14@example.com')!.first);
	// Linked again: a normal run writes nothing and finds nothing deleted.
	const deletedRows = async () => (await history()).filter((row) => row.code === 'DELETED_IN_APP' || row.code === 'DELETED_IN_HUBSPOT').length;
	const before = await deletedRows();
	env.emulator.resetStats();
	await sync();
	expect(hubspotWrites()).toBe(0);
	expect(await deletedRows()).toBe(before);
});

it('incremental pulls: only HubSpot contacts changed since the cursor are read; changes flow both ways; nothing looks deleted', async () => {
	const lastRun = async () => (await env.n8n.api('GET', '/executions?workflowId=hsTwoWayContactsInc&includeData=true&limit=1')).data[0].data.resultData.runData;
	const incremental = async () => expect((await callWebhook(env, 'e2e/two-way-sync-incremental')).status).toBe(200);
	// No cursor yet: the first run pulls in full and saves the cursor.
	await incremental();
	expect((await lastRun())['Pull HubSpot contacts'][0].data.main[1][0].json).toMatchObject({ mode: 'full' });
	const [state] = (await rows('hubspot_sync_state')).filter((row) => row.integration === SCOPE);
	expect(Date.parse(state.hubspotCursor)).toBeGreaterThan(0);

	env.emulator.store.update('contacts', hubspotContact('contact21@example.com')!, { firstname: 'Changed since the cursor' });
	await updateDataTableRows(env, 'sample_app_contacts', 'mail', 'contact23@example.com', { last: 'Changed in the app' });
	env.emulator.resetStats();
	await incremental();
	const runData = await lastRun();
	const pulled = runData['Pull HubSpot contacts'][0].data.main[1][0].json;
	// The search reads what changed since the cursor (with its lookback), not the ~240 contacts.
	expect(pulled).toMatchObject({ mode: 'incremental' });
	expect(pulled.records).toBeLessThan(20);
	const byMail = new Map((await appRows()).map((row) => [String(row.mail).toLowerCase(), row]));
	expect(byMail.get('contact21@example.com')?.first).toBe('Changed since the cursor');
	expect(hubspotContact('contact23@example.com')?.properties.lastname).toBe('Changed in the app');
	expect(runData['Run summary'][0].data.main[0][0].json).toMatchObject({ hubspotCreates: 0, appCreates: 0, hubspotDeletes: 0 });
	expect((await history()).filter((row) => row.code === 'DELETED_IN_HUBSPOT').length).toBe(1);
	expect(env.emulator.contract.violations).toEqual([]);

	// Nothing changed since: the next incremental run writes nothing.
	env.emulator.resetStats();
	await incremental();
	expect(hubspotWrites()).toBe(0);
});
