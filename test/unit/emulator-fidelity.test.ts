/**
 * The emulator plays HubSpot where the nodes depend on it: sort rules in the documented object form
 * (a string is ignored: default order), `query` over the default searchable properties, HubSpot's 400
 * for a request outside the spec, the derived `associatedcompanyid`, and v4 association batch reads
 * (the Primary label; 207 with per-input errors).
 */
import { readPrimaryAssociations } from '../../nodes/shared/transport/associations';
import { seedCrm } from '../hubspot-emulator/seed';
import { directClient } from '../support/direct-client';
import { startEmulator, type RunningEmulator } from '../support/emulator';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SEARCH = '/crm/objects/2026-03/contacts/search';

let hs: RunningEmulator;
beforeEach(async () => {
	hs = await startEmulator();
	seedCrm(hs.emulator.store, { contacts: 30, companies: 4, deals: 5 });
});
afterEach(() => hs.stop());

const ids = (body: any) => body.results.map((record: any) => Number(record.id));
const ascending = (list: number[]) => list.every((id, index) => index === 0 || list[index - 1] < id);

describe('search sorts', () => {
	it('sorts by the object form: DESCENDING descends, ASCENDING ascends, both by hs_object_id', async () => {
		const down = await hs.call('POST', SEARCH, { sorts: [{ propertyName: 'hs_object_id', direction: 'DESCENDING' }], limit: 10 });
		expect(down.status).toBe(200);
		const highest = Math.max(...hs.emulator.store.order.get('contacts')!.map(Number));
		expect(ids(down.body)[0]).toBe(highest);
		expect(ascending([...ids(down.body)].reverse())).toBe(true);
		const up = await hs.call('POST', SEARCH, { sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }], limit: 10 });
		expect(ascending(ids(up.body))).toBe(true);
		const byName = await hs.call('POST', SEARCH, { sorts: [{ propertyName: 'firstname', direction: 'DESCENDING' }], properties: ['firstname'], limit: 30 });
		const names = byName.body.results.map((record: any) => record.properties.firstname);
		expect(names).toEqual([...names].sort().reverse());
		expect(hs.emulator.stats.ignoredSorts.count).toBe(0);
	});

	it.each([['-hs_object_id'], ['hs_object_id'], ['-firstname'], ['firstname']])('ignores the string sort %p: default order (ascending ids), noted in the stats', async (sort) => {
		const answer = await hs.call('POST', SEARCH, { sorts: [sort], properties: ['firstname'], limit: 30 });
		expect(answer.status).toBe(200);
		expect(ids(answer.body)).toEqual(hs.emulator.store.order.get('contacts')!.map(Number));
		expect(hs.emulator.stats.ignoredSorts).toEqual({ count: 1, examples: [{ objectType: 'contacts', sorts: [sort] }] });
	});

	it('refuses a direction HubSpot does not define (400), recorded as a violation', async () => {
		const answer = await hs.call('POST', SEARCH, { sorts: [{ propertyName: 'hs_object_id', direction: 'DOWN' }] });
		expect(answer.status).toBe(400);
		expect(hs.takeViolations()).toHaveLength(1);
	});
});

describe('search query', () => {
	const search = (path: string, query: string, properties: string[]) => hs.call('POST', path, { query, properties, limit: 100 });

	it('finds contacts whose default searchable properties have a word starting with each query word', async () => {
		const tanaka = [...hs.emulator.store.table('contacts').values()].filter((record) => record.properties.lastname === 'Tanaka');
		expect(tanaka.length).toBeGreaterThan(0);
		const byName = await search(SEARCH, 'tana', ['lastname']);
		expect(byName.status).toBe(200);
		expect(new Set(ids(byName.body))).toEqual(new Set(tanaka.map((record) => Number(record.id))));
		expect(byName.body.total).toBe(tanaka.length);
		// A whole email finds that contact only (contact1@… is not a prefix of contact10@…).
		const byEmail = await search(SEARCH, 'contact1@example.com', ['email']);
		expect(byEmail.body.results.map((record: any) => record.properties.email)).toEqual(['contact1@example.com']);
		// Every word must match: first name and last name of one contact.
		const [first] = [...hs.emulator.store.table('contacts').values()];
		const both = await search(SEARCH, `${first.properties.firstname} ${first.properties.lastname}`, ['firstname', 'lastname']);
		expect(both.body.results.every((record: any) => record.properties.firstname === first.properties.firstname && record.properties.lastname === first.properties.lastname)).toBe(true);
		expect(ids(both.body)).toContain(Number(first.id));
		// jobtitle is not a default searchable property of contacts.
		expect((await search(SEARCH, 'engineer', ['jobtitle'])).body.total).toBe(0);
		expect((await search(SEARCH, 'nobody-has-this', [])).body.total).toBe(0);
	});

	it('searches companies by name and domain, deals by deal name, combined with filters', async () => {
		const companies = await search('/crm/objects/2026-03/companies/search', 'company2', ['domain']);
		expect(companies.body.results.map((record: any) => record.properties.domain)).toEqual(['company2.example.com']);
		const deals = await hs.call('POST', '/crm/objects/2026-03/deals/search', { query: 'deal', filterGroups: [{ filters: [{ propertyName: 'amount', operator: 'GTE', value: '3000' }] }], properties: ['dealname', 'amount'] });
		expect(deals.body.total).toBe(3);
		expect(deals.body.results.every((record: any) => Number(record.properties.amount) >= 3000)).toBe(true);
	});

	it('refuses a query it cannot answer rather than ignoring it', async () => {
		const meetings = await hs.call('POST', '/crm/objects/2026-03/meetings/search', { query: 'intro' });
		expect(meetings.status).toBe(400);
		expect(meetings.body.message).toContain('filterGroups');
		const long = await hs.call('POST', SEARCH, { query: 'x'.repeat(3_001) });
		expect(long.status).toBe(400);
	});
});

describe('contract violations', () => {
	it('answers a request outside the spec with HubSpot 400 VALIDATION_ERROR and records it', async () => {
		const answer = await hs.call('POST', '/crm/objects/2026-03/contacts/batch/read', { inputs: 'not a list' });
		expect(answer.status).toBe(400);
		expect(answer.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR', message: expect.stringContaining('POST /crm/objects/2026-03/contacts/batch/read') });
		expect(answer.body.message).toContain('/inputs');
		expect(answer.body.correlationId).toMatch(UUID);
		const admin = await hs.call('GET', '/_emulator/violations');
		expect(admin.body.violations).toEqual([expect.objectContaining({ direction: 'request', operation: 'POST /crm/objects/2026-03/contacts/batch/read' })]);
		const [violation] = hs.takeViolations();
		expect(violation.errors.join(' ')).toContain('/inputs');
	});

	it('marks an answer of its own outside the spec as the emulator’s bug (500)', async () => {
		hs.emulator.configure({ faults: { script: [{ match: 'GET /crm/objects/2026-03/contacts$', status: 200, body: { unexpected: true } }] } });
		const answer = await hs.call('GET', '/crm/objects/2026-03/contacts');
		expect(answer.status).toBe(500);
		expect(answer.body.category).toBe('EMULATOR_BUG');
		expect(answer.body.message).toMatch(/^Emulator bug: /);
		expect(hs.takeViolations()).toEqual([expect.objectContaining({ direction: 'response', status: 200 })]);
	});

	it('fails the teardown of a test that left a violation behind', async () => {
		const other = await startEmulator();
		await other.call('POST', '/crm/objects/2026-03/contacts/batch/read', { inputs: 'not a list' });
		await expect(other.stop()).rejects.toThrow(/1 exchange\(s\) with the emulator broke HubSpot's spec:\nrequest POST \/crm\/objects\/2026-03\/contacts\/batch\/read/);
	});
});

describe('primary company', () => {
	const contacts = () => [...hs.emulator.store.table('contacts').values()];
	const companies = () => [...hs.emulator.store.table('companies').keys()];
	const READ = '/crm/associations/2026-03/contacts/companies/batch/read';

	it('seeds every contact with a company as its primary, and associatedcompanyid names it', async () => {
		const seeded = contacts();
		expect(seeded.every((record) => record.properties.associatedcompanyid === companies()[(Number(record.properties.email!.match(/\d+/)![0]) - 1) % 4])).toBe(true);
		// Deriving the property is not a later modification: seeded records keep their own time.
		expect(seeded.every((record) => record.properties.lastmodifieddate === record.createdAt)).toBe(true);
		const got = await hs.call('GET', `/crm/objects/2026-03/contacts/${seeded[0].id}?properties=associatedcompanyid`);
		expect(got.body.properties.associatedcompanyid).toBe(companies()[0]);
	});

	it('reads a contact’s companies through v4 with the Primary label on type 1 only', async () => {
		const [contact] = contacts();
		const answer = await hs.call('POST', READ, { inputs: [{ id: contact.id }] });
		expect(answer.status).toBe(200);
		expect(answer.body.results).toEqual([
			{
				from: { id: contact.id },
				to: [{ toObjectId: companies()[0], associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 1, label: 'Primary' }, { category: 'HUBSPOT_DEFINED', typeId: 279 }] }],
			},
		]);
	});

	it('follows the primary when v4 batch create moves it, and when a contact is created with one', async () => {
		const [contact] = contacts();
		const [, second] = companies();
		const moved = await hs.call('POST', '/crm/associations/2026-03/contacts/companies/batch/create', { inputs: [{ from: { id: contact.id }, to: { id: second }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 1 }] }] });
		expect(moved.status).toBe(201);
		expect(hs.emulator.store.get('contacts', contact.id)!.properties.associatedcompanyid).toBe(second);
		const read = await hs.call('POST', READ, { inputs: [{ id: contact.id }] });
		const labelled = read.body.results[0].to.filter((target: any) => target.associationTypes.some((type: any) => type.label === 'Primary'));
		expect(labelled.map((target: any) => target.toObjectId)).toEqual([second]);

		const created = await hs.call('POST', '/crm/objects/2026-03/contacts', {
			properties: { email: 'with-company@example.com' },
			associations: [{ to: { id: second }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 1 }] }],
		});
		expect(created.status).toBe(201);
		const fresh = await hs.call('GET', `/crm/objects/2026-03/contacts/${created.body.id}?properties=associatedcompanyid`);
		expect(fresh.body.properties.associatedcompanyid).toBe(second);
	});

	it('answers 207 naming each input it has no associations for (unknown id, no company), 200 when all have some', async () => {
		const [contact] = contacts();
		const lonely = hs.emulator.store.create('contacts', { email: 'lonely@example.com' });
		const answer = await hs.call('POST', READ, { inputs: [{ id: contact.id }, { id: '999999' }, { id: lonely.id }] });
		expect(answer.status).toBe(207);
		expect(answer.body.results.map((result: any) => result.from.id)).toEqual([contact.id]);
		expect(answer.body.numErrors).toBe(2);
		expect(answer.body.errors).toEqual([
			expect.objectContaining({ status: 'error', category: 'OBJECT_NOT_FOUND', message: 'No company is associated with contact 999999.', context: { fromObjectId: ['999999'], fromObjectType: ['contact'], toObjectType: ['company'] } }),
			expect.objectContaining({ message: `No company is associated with contact ${lonely.id}.`, context: expect.objectContaining({ fromObjectId: [lonely.id] }) }),
		]);
		expect((await hs.call('POST', READ, { inputs: [{ id: contact.id }] })).status).toBe(200);
	});

	it('the transport reads a 207 as: unknown and company-less contacts have no primary company', async () => {
		const [first, second] = contacts();
		const lonely = hs.emulator.store.create('contacts', { email: 'lonely@example.com' });
		hs.emulator.resetStats();
		const primary = await readPrimaryAssociations(directClient(hs.url), 'contacts', 'companies', [first.id, '999999', lonely.id, second.id]);
		expect(hs.emulator.stats.byStatus).toEqual({ 207: 1 });
		expect(primary).toEqual(new Map([[first.id, first.properties.associatedcompanyid], [second.id, second.properties.associatedcompanyid]]));
	});
});
