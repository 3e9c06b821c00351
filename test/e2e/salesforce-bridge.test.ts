/**
 * The Salesforce bridge template in a real n8n against the HubSpot emulator and a Salesforce
 * stand-in (test/support/salesforce-standin.ts: n8n's own Salesforce node reads it, the HTTP Request
 * nodes write to it with the Salesforce credential). Checked: leads and contacts merged into HubSpot
 * contacts (Salesforce the default app, contacts before leads, country/state as ISO codes), new HubSpot
 * contacts created in Salesforce as leads with its required fields, a won opportunity making its contact
 * a customer, a second run writing nothing, edits flowing once, and deletions propagated for leads only.
 */
import { seedCrm } from '../hubspot-emulator/seed';
import { waitForWebhook } from '../../scripts/n8n-runtime';
import { startSalesforceStandIn, type SalesforceStandIn } from '../support/salesforce-standin';
import { callWebhook, hubspotWriteCalls, dataTableRows, startE2eEnvironment, templateForE2e, withSettings, withWebhookTrigger, type E2eEnvironment } from './n8n-e2e';

jest.setTimeout(900_000);

const HUBSPOT_CONTACTS = 50;
let env: E2eEnvironment;
let sf: SalesforceStandIn;

beforeAll(async () => {
	sf = await startSalesforceStandIn();
	for (let n = 1; n <= 10; n++) {
		sf.add('Contact', { Email: `contact${n}@example.com`, FirstName: `SF First ${n}`, LastName: 'placeholder', MailingCountry: n === 6 ? '' : 'JP', MailingState: n <= 3 ? '東京都' : '' });
	}
	for (let n = 1; n <= 5; n++) sf.add('Contact', { Email: `sfcontact${n}@sf.example.com`, FirstName: `Contact ${n}`, LastName: 'Salesforce', MailingCountry: 'United States', MailingState: 'CA' });
	for (let n = 1; n <= 5; n++) sf.add('Lead', { Email: `sflead${n}@sf.example.com`, FirstName: `Lead ${n}`, LastName: 'Salesforce', Company: `Lead Co ${n}`, Country: 'Japan', State: 'Osaka', Status: 'Open' });
	sf.add('Lead', { Email: 'CONTACT3@example.com', FirstName: 'Lead twin', LastName: 'Twin', Company: 'Twin Co' });
	sf.add('Lead', { Email: '', FirstName: 'No', LastName: 'Email', Company: 'Nobody' });
	const contactId = (email: string) => [...sf.records.Contact.values()].find((record) => record.Email === email)!.Id;
	sf.add('Opportunity', { Name: 'Won 1', StageName: 'Closed Won', IsWon: true, IsClosed: true, ContactId: contactId('contact4@example.com') });
	sf.add('Opportunity', { Name: 'Won 2', StageName: 'Closed Won', IsWon: true, IsClosed: true, ContactId: contactId('sfcontact1@sf.example.com') });
	sf.add('Opportunity', { Name: 'Open', StageName: 'Prospecting', IsWon: false, IsClosed: false, ContactId: contactId('contact6@example.com') });

	env = await startE2eEnvironment(
		[
			templateForE2e('record-history.json'),
			templateForE2e('error-workflow-history.json'),
			withWebhookTrigger(templateForE2e('two-way-sync-setup.json'), 'Run setup', 'e2e/two-way-setup', 'noData'),
			withSettings(withWebhookTrigger(templateForE2e('salesforce-bridge.json'), 'Every 10 minutes', 'e2e/salesforce-bridge', 'noData'), 'Settings', { salesforceUrl: sf.url, deleteInHubspotForKinds: 'lead' }),
		],
		{},
		{
			beforeStart: ({ emulator }) => {
				seedCrm(emulator.store, { contacts: HUBSPOT_CONTACTS, at: Date.now() - 3_600_000 });
				// The SF contacts' last names match HubSpot's: only the first names conflict.
				for (const record of sf.records.Contact.values()) {
					const hubspot = emulator.store.findByProperty('contacts', 'email', String(record.Email));
					if (hubspot) record.LastName = hubspot.properties.lastname;
				}
			},
			extraCredentials: [sf.credential()],
			extraSecrets: [{ kind: 'Salesforce token', value: sf.token }],
		},
	);
	await waitForWebhook(`${env.n8n.url}/webhook/e2e/salesforce-bridge`);
	await waitForWebhook(`${env.n8n.url}/webhook/e2e/two-way-setup`);
	expect((await callWebhook(env, 'e2e/two-way-setup')).status).toBe(200);
});
afterAll(async () => {
	await env?.teardown();
	await sf?.stop();
});

const sync = async () => {
	const answer = await callWebhook(env, 'e2e/salesforce-bridge');
	if (answer.status !== 200) {
		const executions = await env.n8n.api('GET', `/executions?workflowId=hsSalesforceBridge01&includeData=true&limit=1`);
		const data = executions.data[0]?.data?.resultData;
		console.log(JSON.stringify(data?.error ?? {}, null, 1).slice(0, 3000), data?.lastNodeExecuted);
	}
	expect(answer.status).toBe(200);
};
const hubspot = (email: string) => env.emulator.store.findByProperty('contacts', 'email', email)?.properties;
const live = () => [...env.emulator.store.table('contacts').values()].filter((record) => !record.archived);
const leadByEmail = (email: string) => [...sf.records.Lead.values()].find((record) => String(record.Email).toLowerCase() === email);
const sfWrites = () => (sf.requests['POST Lead'] ?? 0) + (sf.requests['POST Contact'] ?? 0) + (sf.requests['PATCH Lead'] ?? 0) + (sf.requests['PATCH Contact'] ?? 0);
const hubspotWrites = () => hubspotWriteCalls(env);
const history = async () => (await dataTableRows(env, 'hubspot_sync_history')).filter((row) => String(row.accountLabel).startsWith('Salesforce'));

it('first run: leads and contacts merged both ways, codes for places, new HubSpot contacts as leads, won opportunities make customers', async () => {
	await sync();
	// HubSpot: the 5 new Salesforce contacts and 5 new leads; not the lead twin of contact 3, not the lead without email.
	expect(live()).toHaveLength(HUBSPOT_CONTACTS + 10);
	expect(hubspot('sflead2@sf.example.com')).toMatchObject({ firstname: 'Lead 2', company: 'Lead Co 2', country: 'JP', state: 'JP-27' });
	expect(hubspot('sfcontact2@sf.example.com')).toMatchObject({ firstname: 'Contact 2', country: 'US', state: 'US-CA' });
	// Salesforce is the default app: its first names win; its prefecture arrives as a code; "Japan" = JP is no change.
	expect(hubspot('contact1@example.com')).toMatchObject({ firstname: 'SF First 1', state: 'JP-13', country: 'Japan' });
	expect(hubspot('contact3@example.com')?.firstname).toBe('SF First 3');
	// Salesforce: the 40 HubSpot-only contacts became leads, with "[not provided]" where Salesforce requires a value.
	const created = leadByEmail('contact20@example.com');
	expect(created).toMatchObject({ FirstName: hubspot('contact20@example.com')?.firstname, LastName: hubspot('contact20@example.com')?.lastname, Company: '[not provided]', Country: 'JP' });
	expect(sf.requests['POST Lead']).toBe(HUBSPOT_CONTACTS - 10);
	// A Salesforce contact blank where HubSpot has a value is filled, under the contact's own field names.
	expect([...sf.records.Contact.values()].find((record) => record.Email === 'contact6@example.com')).toMatchObject({ MailingCountry: 'JP', Phone: hubspot('contact6@example.com')?.phone });
	// Closed won → customer.
	expect([hubspot('contact4@example.com')?.lifecyclestage, hubspot('sfcontact1@sf.example.com')?.lifecyclestage]).toEqual(['customer', 'customer']);
	// An open opportunity changes nothing (contact 6 is seeded as an opportunity).
	expect(hubspot('contact6@example.com')?.lifecyclestage).toBe('opportunity');
	// One link per pair; skips explained.
	const links = (await dataTableRows(env, 'hubspot_sync_record_links')).filter((link) => link.scope === 'salesforce-bridge');
	expect(links).toHaveLength(HUBSPOT_CONTACTS + 10);
	expect(links.filter((link) => link.appKind === 'lead')).toHaveLength(HUBSPOT_CONTACTS - 10 + 5);
	const codes = (await history()).filter((row) => row.status === 'skip').map((row) => row.code).sort();
	expect(codes).toEqual(['DUPLICATE_KEY', 'MISSING_MATCH_KEY']);
	expect(env.emulator.contract.violations).toEqual([]);
});

it('the second run writes nothing to either side', async () => {
	env.emulator.resetStats();
	const before = sfWrites();
	await sync();
	expect(hubspotWrites()).toBe(0);
	expect(sfWrites()).toBe(before);
});

it('an edit on each side flows once', async () => {
	[...sf.records.Contact.values()].find((record) => record.Email === 'contact1@example.com')!.Phone = '+81-3-9999-0000';
	env.emulator.store.update('contacts', env.emulator.store.findByProperty('contacts', 'email', 'contact12@example.com')!, { firstname: 'Renamed in HubSpot' });
	await sync();
	expect(hubspot('contact1@example.com')?.phone).toBe('+81-3-9999-0000');
	expect(leadByEmail('contact12@example.com')?.FirstName).toBe('Renamed in HubSpot');
	env.emulator.resetStats();
	const before = sfWrites();
	await sync();
	expect([hubspotWrites(), sfWrites() - before]).toEqual([0, 0]);
});

it('a lead deleted in Salesforce deletes its HubSpot contact; a deleted contact does not (only leads are chosen)', async () => {
	const lead = leadByEmail('contact20@example.com')!;
	sf.records.Lead.delete(lead.Id);
	const contact = [...sf.records.Contact.values()].find((record) => record.Email === 'contact7@example.com')!;
	sf.records.Contact.delete(contact.Id);
	await sync();
	expect(hubspot('contact20@example.com')).toBeUndefined();
	expect(env.emulator.store.findByProperty('contacts', 'email', 'contact7@example.com')?.archived).toBeFalsy();
	const links = (await dataTableRows(env, 'hubspot_sync_record_links')).filter((link) => link.scope === 'salesforce-bridge');
	expect(links.find((link) => link.key === 'email:contact20@example.com')).toBeUndefined();
	expect((await history()).filter((row) => row.code === 'DELETED_IN_APP').map((row) => row.targetId)).toEqual([contact.Id]);
});
