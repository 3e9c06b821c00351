/** Sync Properties → Push through n8n's engine against the emulator: matching, conflict rules, dry run, bad input. */
import type { IDataObject } from 'n8n-workflow';

import { DEFAULT_SERVICE_KEY } from '../hubspot-emulator';
import { seedCrm } from '../hubspot-emulator/seed';
import { startEmulator, type RunningEmulator } from '../support/emulator';
import { runWorkflow } from '../support/workflow-harness';
import fixture from './fixtures/test-properties.workflow.json';

let hs: RunningEmulator;
beforeAll(async () => {
	hs = await startEmulator();
	seedCrm(hs.emulator.store, { contacts: 300, companies: 20, at: Date.now() - 3_600_000 });
});
afterAll(() => hs.stop());

const NODE = 'Test Contact Properties';
function pushWorkflow(parameters: Record<string, unknown>, continueOnFail = false) {
	const copy = structuredClone(fixture);
	copy.nodes[1].parameters = { authentication: 'serviceKey', operation: 'push', objectType: 'contacts', mappingMode: 'byName', conflictRule: 'incomingWins', dryRun: false, ...parameters } as never;
	if (continueOnFail) Object.assign(copy.nodes[1], { onError: 'continueRegularOutput' });
	return copy;
}
const run = (parameters: Record<string, unknown>, items: IDataObject[], continueOnFail = false) =>
	runWorkflow(pushWorkflow(parameters, continueOnFail), { hubSpotSyncServiceKeyApi: { accessToken: DEFAULT_SERVICE_KEY, baseUrl: hs.url } }, items);
const contactByEmail = (email: string) => hs.emulator.store.findByProperty('contacts', 'email', email);

it('creates new contacts and updates existing ones matched by email, in 2 calls per 100 plus the definitions', async () => {
	const items = [
		...Array.from({ length: 150 }, (_, i) => ({ email: `contact${i + 1}@example.com`, jobtitle: 'CTO', unknown_field: 'x' })),
		...Array.from({ length: 50 }, (_, i) => ({ email: `  New${i}@Push.example.com `, firstname: `New ${i}`, lifecyclestage: 'Lead' })),
	];
	hs.emulator.resetStats();
	const result = await run({}, items);
	expect(result.error(NODE)).toBeUndefined();
	const out = result.output(NODE, 0).map((item) => item.json);
	// The seed has no CTO: every matched contact changes.
	expect(out.slice(0, 150).every((json) => json.status === 'updated' && json.changedProperties)).toBe(true);
	expect(out.slice(150).every((json) => json.status === 'created' && json.hubspotId)).toBe(true);
	expect(out[0]).toMatchObject({ status: expect.stringMatching(/updated|unchanged/), matchedBy: 'email', ignoredFields: ['unknown_field'] });
	expect(contactByEmail('new7@push.example.com')?.properties).toMatchObject({ firstname: 'New 7', lifecyclestage: 'lead' });
	expect(contactByEmail('contact42@example.com')?.properties.jobtitle).toBe('CTO');
	// Every item is paired with its input.
	expect(result.output(NODE, 0).map((item) => (item.pairedItem as { item: number }).item)).toEqual(items.map((_, i) => i));
	const [summary] = result.output(NODE, 1).map((item) => item.json);
	expect(summary).toMatchObject({ items: 200, created: 50, skipped: 0, errors: 0, calls: hs.emulator.stats.requests });
	// 1 definitions + 2 batch reads + 2 upserts.
	expect(hs.emulator.stats.requests).toBe(5);

	// The same push again changes nothing and writes nothing.
	hs.emulator.resetStats();
	const again = (await run({}, items)).output(NODE, 1)[0].json;
	expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 200 });
	expect(hs.emulator.stats.requests).toBe(3);
});

it('without reading first: one upsert per 100 contacts, created and updated told apart by HubSpot, blanks still never overwrite', async () => {
	const existing = contactByEmail('contact201@example.com')!;
	const { lastname, city } = existing.properties;
	const items = [
		...Array.from({ length: 120 }, (_, i) => ({ email: `contact${i + 151}@example.com`, jobtitle: 'Blind', city: '' })),
		...Array.from({ length: 80 }, (_, i) => ({ email: `Blind${i}@Push.example.com`, firstname: `Blind ${i}` })),
		{ email: 'not-an-email', firstname: 'x' },
	];
	hs.emulator.resetStats();
	const result = await run({ readFirst: false }, items);
	expect(result.error(NODE)).toBeUndefined();
	const out = result.output(NODE, 0).map((item) => item.json);
	expect(out.slice(0, 120).every((json) => json.status === 'updated' && json.matchedBy === 'email' && json.hubspotId)).toBe(true);
	expect(out.slice(120, 200).every((json) => json.status === 'created' && json.matchedBy === null && json.hubspotId)).toBe(true);
	expect(out[200]).toMatchObject({ status: 'skipped', code: 'INVALID_EMAIL' });
	expect(out[50].hubspotId).toBe(existing.id);
	// Only the incoming non-blank values were written: the blank city and the other properties stay.
	expect(existing.properties).toMatchObject({ jobtitle: 'Blind', lastname, city });
	expect(contactByEmail('blind7@push.example.com')?.properties.firstname).toBe('Blind 7');
	// 1 definitions call + 2 upserts for 200 contacts, no reads.
	expect(hs.emulator.stats.requests).toBe(3);
	expect(Object.keys(hs.emulator.stats.byOperation).filter((operation) => /batch\/read/.test(operation))).toEqual([]);
	expect(result.output(NODE, 1)[0].json).toMatchObject({ created: 80, updated: 120, skipped: 1, errors: 0 });
});

it('"Read Before Writing" off is ignored where a read decides what is written (Fill Blanks Only, dry run)', async () => {
	const contact = contactByEmail('contact260@example.com')!;
	const firstname = contact.properties.firstname;
	hs.emulator.resetStats();
	const fill = (await run({ readFirst: false, conflictRule: 'fillBlanks' }, [{ email: 'contact260@example.com', firstname: 'Other' }])).output(NODE, 0)[0].json;
	expect(fill).toMatchObject({ status: 'unchanged', keptProperties: ['firstname'] });
	expect(contact.properties.firstname).toBe(firstname);
	const dry = (await run({ readFirst: false, dryRun: true }, [{ email: 'contact260@example.com', firstname: 'Other' }])).output(NODE, 0)[0].json;
	expect(dry).toMatchObject({ status: 'updated', dryRun: true, changedProperties: ['firstname'] });
	expect(contact.properties.firstname).toBe(firstname);
});

it('applies the conflict rule, and a blank never overwrites', async () => {
	const contact = contactByEmail('contact5@example.com')!;
	hs.emulator.store.update('contacts', contact, { phone: '' });
	const firstname = contact.properties.firstname;
	const item = { email: 'contact5@example.com', firstname: 'Changed', phone: '090-0000', city: '' };
	const fill = (await run({ conflictRule: 'fillBlanks' }, [item])).output(NODE, 0)[0].json;
	expect(fill).toMatchObject({ status: 'updated', changedProperties: ['phone'], keptProperties: ['firstname'] });
	expect(contact.properties).toMatchObject({ firstname, phone: '090-0000', city: expect.any(String) });
	expect(contact.properties.city).not.toBe('');
	const hubspotWins = (await run({ conflictRule: 'hubspotWins' }, [{ ...item, phone: '03-9999' }])).output(NODE, 0)[0].json;
	expect(hubspotWins).toMatchObject({ status: 'unchanged', keptProperties: ['firstname', 'phone'] });
	const incoming = (await run({ conflictRule: 'incomingWins' }, [item])).output(NODE, 0)[0].json;
	expect(incoming).toMatchObject({ status: 'updated', changedProperties: ['firstname'] });
	expect(contact.properties.firstname).toBe('Changed');
});

it('dry run reports what would happen and writes nothing', async () => {
	const before = hs.emulator.store.table('contacts').size;
	hs.emulator.resetStats();
	const result = await run({ dryRun: true }, [{ email: 'dry@run.example.com', firstname: 'Dry' }, { email: 'contact6@example.com', jobtitle: 'Dry Runner' }]);
	expect(result.output(NODE, 0).map((item) => [item.json.status, item.json.dryRun])).toEqual([['created', true], ['updated', true]]);
	expect(hs.emulator.store.table('contacts').size).toBe(before);
	expect(contactByEmail('contact6@example.com')?.properties.jobtitle).not.toBe('Dry Runner');
	expect(hs.emulator.stats.requests).toBe(2);
});

it('skips contacts without a valid email, and creates them unmatched when not required', async () => {
	const required = (await run({}, [{ email: 'broken@', firstname: 'A' }, { firstname: 'No email' }])).output(NODE, 0).map((item) => item.json);
	expect(required.map((json) => [json.status, json.code])).toEqual([['skipped', 'INVALID_EMAIL'], ['skipped', 'INVALID_EMAIL']]);
	expect(required[1].reason).toContain('no email address');
	const optional = (await run({ requireValidEmail: false }, [{ firstname: 'No email at all' }])).output(NODE, 0)[0].json;
	expect(optional).toMatchObject({ status: 'created', matchedBy: null });
	expect(hs.emulator.store.get('contacts', String(optional.hubspotId))?.properties.firstname).toBe('No email at all');
});

it('matches companies by domain, then by name, and merges repeats', async () => {
	const items = [
		{ domain: 'https://www.company3.example.com/', city: 'Sapporo' },
		{ name: 'company 4', city: 'Kobe' },
		{ domain: 'fresh.example.org', name: 'Fresh KK' },
		{ domain: 'FRESH.example.org', numberofemployees: '12' },
	];
	const out = (await run({ objectType: 'companies' }, items)).output(NODE, 0).map((item) => item.json);
	expect(out.map((json) => [json.status, json.matchedBy])).toEqual([['updated', 'domain'], ['updated', 'name'], ['created', null], ['created', null]]);
	expect(out[2].hubspotId).toBe(out[3].hubspotId);
	expect(out[3].mergedWithItems).toEqual([2]);
	const fresh = hs.emulator.store.get('companies', String(out[2].hubspotId))!;
	expect(fresh.properties).toMatchObject({ domain: 'fresh.example.org', name: 'Fresh KK', numberofemployees: '12' });
	// Pushing it again finds it by domain: no second company.
	const again = (await run({ objectType: 'companies' }, [items[2]])).output(NODE, 0)[0].json;
	expect(again).toMatchObject({ status: 'unchanged', hubspotId: out[2].hubspotId });
});

it('names the item and field of bad input, and writes nothing without continue-on-fail', async () => {
	const before = hs.emulator.store.table('contacts').size;
	const items = [{ email: 'ok1@bad.example.com' }, { email: 'ok2@bad.example.com', numberofemployees: 'many' }];
	const failed = await run({ mappingMode: 'manual', fieldMapping: { fields: [{ property: 'email', value: '={{ $json.email }}' }, { property: 'numberofemployees', value: '={{ $json.numberofemployees }}' }] }, objectType: 'companies' }, items);
	const error = failed.error(NODE) as Error & { description?: string };
	expect(error.message).toBe('Item 0: Field Mapping row 1 names HubSpot property "email", which does not exist on companies');
	expect(hs.emulator.store.table('contacts').size).toBe(before);

	const typo = await run({ mappingMode: 'manual', fieldMapping: { fields: [{ property: 'emial', value: '={{ $json.email }}' }] } }, items);
	expect((typo.error(NODE) as Error & { description?: string }).description).toBe('Did you mean "email"?');

	const manual = { mappingMode: 'manual', objectType: 'companies', fieldMapping: { fields: [{ property: 'domain', value: '={{ $json.email.split("@")[1] }}' }, { property: 'numberofemployees', value: '={{ $json.numberofemployees }}' }] } };
	const stopped = await run(manual, items);
	expect(stopped.error(NODE)?.message).toBe('Item 1: Field Mapping row 2 (HubSpot property "numberofemployees", number): "many" is not a number');
	expect(hs.emulator.store.findByProperty('companies', 'domain', 'bad.example.com')).toBeUndefined();

	// With continue on fail, the good item is written and the bad one is an error item.
	const continued = (await run(manual, items, true)).output(NODE, 0).map((item) => item.json);
	expect(continued[0]).toMatchObject({ status: 'created' });
	expect(continued[1]).toMatchObject({ error: { code: 'INPUT_INVALID', message: expect.stringContaining('Item 1') } });
});

it('deals: updated by HubSpot id (one batch read, one batch update), created without one; an unknown id writes nothing', async () => {
	seedCrm(hs.emulator.store, { deals: 3, pipelines: 1 });
	const [first] = [...hs.emulator.store.table('deals').values()];
	const before = hs.emulator.store.table('deals').size;
	hs.emulator.resetStats();
	const items = [
		{ hubspotId: first.id, dealname: 'Renamed deal', amount: '1200' },
		{ hubspotId: '', dealname: 'New deal', amount: '50', dealstage: first.properties.dealstage, pipeline: first.properties.pipeline },
		{ hubspotId: '987654', dealname: 'Gone' },
	];
	const out = (await run({ objectType: 'deals', mappingMode: 'byName' }, items)).output(NODE, 0).map((item) => item.json);
	expect(out[0]).toMatchObject({ status: 'updated', hubspotId: first.id, matchedBy: 'id', changedProperties: ['dealname', 'amount'] });
	expect(out[1]).toMatchObject({ status: 'created', matchedBy: null });
	expect(out[2]).toMatchObject({ status: 'skipped', code: 'NOT_FOUND', reason: expect.stringContaining('987654') });
	expect(hs.emulator.store.get('deals', first.id)?.properties).toMatchObject({ dealname: 'Renamed deal', amount: '1200' });
	expect(hs.emulator.store.get('deals', String(out[1].hubspotId))?.properties.dealname).toBe('New deal');
	expect(hs.emulator.store.table('deals').size).toBe(before + 1);
	// Definitions, one batch read (both ids), one update, one create.
	expect(hs.emulator.stats.requests).toBe(4);
});

it('a value HubSpot refuses fails only its own record: the batch is resent one by one', async () => {
	hs.emulator.resetStats();
	// HubSpot refuses a whole batch for one value; here, a text over its 65,536-character limit.
	const items = [{ email: 'fine1@split.example.com' }, { email: 'long@split.example.com', firstname: 'x'.repeat(70_000) }, { email: 'fine2@split.example.com' }];
	const out = (await run({}, items, true)).output(NODE, 0).map((item) => item.json);
	expect(out[0]).toMatchObject({ status: 'created' });
	expect(out[2]).toMatchObject({ status: 'created' });
	expect(out[1]).toMatchObject({ error: { code: 'VALIDATION', hubspotMessage: expect.stringContaining('too long') } });
	expect(contactByEmail('long@split.example.com')).toBeUndefined();
});

it('a resent upsert after a dropped connection does not make a second contact', async () => {
	hs.emulator.configure({ faults: { script: [{ match: 'POST /crm/objects/2026-03/contacts/batch/upsert', reset: 'after' }] } });
	const out = (await run({}, [{ email: 'once@reset.example.com', firstname: 'Once' }])).output(NODE, 0)[0].json;
	expect(out).toMatchObject({ status: expect.stringMatching(/created|updated/) });
	const matching = [...hs.emulator.store.table('contacts').values()].filter((record) => record.properties.email === 'once@reset.example.com');
	expect(matching).toHaveLength(1);
});

describe.each(['echo', 'omit'] as const)('with HubSpot answering batch writes %s trace ids', (batchTraceIds) => {
	// HubSpot documents objectWriteTraceId for batch create; whether update and upsert results echo
	// it is unverified, and the order of results is not promised: pushes must be right either way.
	let own: RunningEmulator;
	beforeAll(async () => {
		own = await startEmulator({ batchTraceIds });
		seedCrm(own.emulator.store, { contacts: 200, companies: 10, deals: 4, pipelines: 1, at: Date.now() - 3_600_000 });
	});
	afterAll(() => own.stop());
	const runOwn = (parameters: Record<string, unknown>, items: IDataObject[]) =>
		runWorkflow(pushWorkflow(parameters), { hubSpotSyncServiceKeyApi: { accessToken: DEFAULT_SERVICE_KEY, baseUrl: own.url } }, items);
	const outcomes = async (parameters: Record<string, unknown>, items: IDataObject[]) => {
		const result = await runOwn(parameters, items);
		expect(result.error(NODE)).toBeUndefined();
		return result.output(NODE, 0).map((item) => item.json);
	};
	const idOf = (type: 'contacts' | 'companies', property: string, value: string) => own.emulator.store.findByProperty(type, property, value)?.id;

	it('contacts: each upserted record gets its own HubSpot id, read first or not, across batches', async () => {
		const items = [
			...Array.from({ length: 120 }, (_, i) => ({ email: `Contact${i + 1}@Example.com`, jobtitle: `Pair ${i}` })),
			...Array.from({ length: 40 }, (_, i) => ({ email: `pair${i}@new.example.com`, firstname: `Pair ${i}` })),
		];
		const out = await outcomes({}, items);
		expect(out.map((json) => json.status)).toEqual([...Array(120).fill('updated'), ...Array(40).fill('created')]);
		expect(out.map((json) => json.hubspotId)).toEqual(items.map((item) => idOf('contacts', 'email', item.email.toLowerCase())));
		expect(own.emulator.store.get('contacts', String(out[7].hubspotId))?.properties.jobtitle).toBe('Pair 7');

		const blindItems = [{ email: 'contact150@example.com', jobtitle: 'Blind' }, { email: 'blind@new.example.com', firstname: 'Blind' }];
		const blind = await outcomes({ readFirst: false }, blindItems);
		expect(blind.map((json) => [json.status, json.matchedBy])).toEqual([['updated', 'email'], ['created', null]]);
		expect(blind.map((json) => json.hubspotId)).toEqual(blindItems.map((item) => idOf('contacts', 'email', item.email)));
	});

	it('contacts without an email: created, each item with the record made from it', async () => {
		const items = ['Ichiro', 'Jiro', 'Saburo'].map((firstname) => ({ firstname, lastname: 'Keyless' }));
		const out = await outcomes({ requireValidEmail: false }, items);
		expect(out.map((json) => json.status)).toEqual(['created', 'created', 'created']);
		expect(out.map((json) => own.emulator.store.get('contacts', String(json.hubspotId))?.properties.firstname)).toEqual(['Ichiro', 'Jiro', 'Saburo']);
	});

	it('companies: updated by domain or name and created, each item with its own company', async () => {
		const items = [
			{ domain: 'company2.example.com', city: 'Fukuoka' },
			{ name: 'Company 5', city: 'Sendai' },
			{ domain: 'pair-a.example.org', name: 'Pair A' },
			{ domain: 'pair-b.example.org', name: 'Pair B' },
			{ name: 'Pair C' },
		];
		const out = await outcomes({ objectType: 'companies' }, items);
		expect(out.map((json) => [json.status, json.matchedBy])).toEqual([['updated', 'domain'], ['updated', 'name'], ['created', null], ['created', null], ['created', null]]);
		expect(out.map((json) => json.hubspotId)).toEqual([
			idOf('companies', 'domain', 'company2.example.com'),
			idOf('companies', 'name', 'Company 5'),
			idOf('companies', 'domain', 'pair-a.example.org'),
			idOf('companies', 'domain', 'pair-b.example.org'),
			idOf('companies', 'name', 'Pair C'),
		]);
		expect(own.emulator.store.get('companies', String(out[1].hubspotId))?.properties.city).toBe('Sendai');
	});

	it('deals: updated by id and created, each item with its own deal', async () => {
		const deals = [...own.emulator.store.table('deals').values()];
		const items = [
			...deals.slice(0, 3).map((deal, i) => ({ hubspotId: deal.id, dealname: `Renamed ${i}` })),
			...[1, 2].map((n) => ({ hubspotId: '', dealname: `Fresh ${n}`, amount: String(n * 100), dealstage: deals[0].properties.dealstage, pipeline: deals[0].properties.pipeline })),
		];
		const out = await outcomes({ objectType: 'deals' }, items);
		expect(out.map((json) => json.status)).toEqual(['updated', 'updated', 'updated', 'created', 'created']);
		expect(out.slice(0, 3).map((json) => json.hubspotId)).toEqual(deals.slice(0, 3).map((deal) => deal.id));
		expect(out.map((json) => own.emulator.store.get('deals', String(json.hubspotId))?.properties.dealname)).toEqual(items.map((item) => item.dealname));
	});
});
