/**
 * The emulator's search index lag (`searchIndexLagMs`): HubSpot's search trails writes by seconds,
 * while reads by id, batch reads and the list are consistent at once. A create, update or archive
 * reaches search only once it is as old as the lag. Time is the store's clock, moved by the test,
 * so nothing sleeps and a slow machine cannot outrun the lag.
 */
import { startEmulator, type RunningEmulator } from '../support/emulator';

const LAG = 5_000;
const OBJECTS = '/crm/objects/2026-03/contacts';

let hs: RunningEmulator;
let now: number;
/** Moves the store's clock (record timestamps, and so the age of each write) forward. */
const advance = (ms: number) => (now += ms);
beforeEach(async () => {
	hs = await startEmulator({ searchIndexLagMs: LAG });
	now = Date.parse('2026-05-01T09:00:00Z');
	Object.assign(hs.emulator.store, { clock: () => now });
});
afterEach(() => hs.stop());

const search = async (filters: Array<{ propertyName: string; operator: string; value: string }>) => {
	const answer = await hs.call('POST', `${OBJECTS}/search`, { filterGroups: [{ filters }], properties: ['email', 'firstname'] });
	expect(answer.status).toBe(200);
	return answer.body as { total: number; results: Array<{ id: string; archived: boolean; properties: Record<string, string> }> };
};
const searchByEmail = (email: string) => search([{ propertyName: 'email', operator: 'EQ', value: email }]);

async function createContact(email: string, firstname: string) {
	const created = await hs.call('POST', OBJECTS, { properties: { email, firstname } });
	expect(created.status).toBe(201);
	return String(created.body.id);
}

it('a new contact is read by id, email, batch and list at once, found by search only once the lag has passed', async () => {
	const id = await createContact('lag.new@example.com', 'New');
	expect(await searchByEmail('lag.new@example.com')).toMatchObject({ total: 0, results: [] });
	expect((await hs.call('GET', `${OBJECTS}/${id}`)).status).toBe(200);
	expect((await hs.call('GET', `${OBJECTS}/lag.new@example.com?idProperty=email`)).body.id).toBe(id);
	const batch = await hs.call('POST', `${OBJECTS}/batch/read`, { inputs: [{ id }], properties: ['email'], propertiesWithHistory: [] });
	expect(batch.body.results.map((record: { id: string }) => record.id)).toEqual([id]);
	expect((await hs.call('GET', `${OBJECTS}?limit=100`)).body.results.map((record: { id: string }) => record.id)).toEqual([id]);
	advance(LAG - 1);
	expect((await searchByEmail('lag.new@example.com')).total).toBe(0);
	advance(1);
	expect((await searchByEmail('lag.new@example.com')).results.map((record) => record.id)).toEqual([id]);
});

it('an update: search shows (and matches on) the old value until the lag has passed, the read by id the new one', async () => {
	const id = await createContact('lag.update@example.com', 'Before');
	advance(LAG);
	expect((await hs.call('PATCH', `${OBJECTS}/${id}`, { properties: { firstname: 'After' } })).status).toBe(200);
	advance(LAG - 1);
	expect((await searchByEmail('lag.update@example.com')).results.map((record) => record.properties.firstname)).toEqual(['Before']);
	expect((await search([{ propertyName: 'firstname', operator: 'EQ', value: 'After' }])).total).toBe(0);
	expect((await hs.call('GET', `${OBJECTS}/${id}?properties=firstname`)).body.properties.firstname).toBe('After');
	advance(1);
	expect((await searchByEmail('lag.update@example.com')).results.map((record) => record.properties.firstname)).toEqual(['After']);
	expect((await search([{ propertyName: 'firstname', operator: 'EQ', value: 'Before' }])).total).toBe(0);
});

it('writes in a row within the lag: search keeps the state before the first until one lag after the last', async () => {
	const id = await createContact('lag.burst@example.com', 'One');
	advance(LAG);
	await hs.call('PATCH', `${OBJECTS}/${id}`, { properties: { firstname: 'Two' } });
	advance(LAG - 1);
	await hs.call('PATCH', `${OBJECTS}/${id}`, { properties: { firstname: 'Three' } });
	advance(LAG - 1);
	expect((await searchByEmail('lag.burst@example.com')).results.map((record) => record.properties.firstname)).toEqual(['One']);
	advance(1);
	expect((await searchByEmail('lag.burst@example.com')).results.map((record) => record.properties.firstname)).toEqual(['Three']);
});

it('an archived contact is still found by search until the lag has passed, gone from reads at once', async () => {
	const id = await createContact('lag.archive@example.com', 'Gone');
	advance(LAG);
	expect((await hs.call('DELETE', `${OBJECTS}/${id}`)).status).toBe(204);
	const early = await searchByEmail('lag.archive@example.com');
	expect(early.total).toBe(1);
	expect(early.results[0]).toMatchObject({ id, archived: false });
	expect((await hs.call('GET', `${OBJECTS}/${id}`)).status).toBe(404);
	expect((await hs.call('GET', `${OBJECTS}?limit=100`)).body.results).toEqual([]);
	advance(LAG);
	expect(await searchByEmail('lag.archive@example.com')).toMatchObject({ total: 0, results: [] });
});

it('without a lag (the default) search sees every write at once', async () => {
	hs.emulator.configure({ searchIndexLagMs: 0 });
	const id = await createContact('lag.none@example.com', 'Now');
	expect((await searchByEmail('lag.none@example.com')).results.map((record) => record.id)).toEqual([id]);
	expect((await hs.call('DELETE', `${OBJECTS}/${id}`)).status).toBe(204);
	expect((await searchByEmail('lag.none@example.com')).total).toBe(0);
});
