/**
 * Walks every route the emulator serves, in both API versions where both exist, with good and
 * bad input, and holds every request and response to HubSpot's OpenAPI specs.
 */
import { OpenApiContract } from '../hubspot-emulator';
import { seedCrm } from '../hubspot-emulator/seed';
import { startEmulator, type RunningEmulator } from '../support/emulator';

let hs: RunningEmulator;

beforeAll(async () => {
	hs = await startEmulator({ limits: { standard: { max: 100_000, windowMs: 10_000 }, search: { max: 100_000, windowMs: 1_000 }, daily: 10_000_000 } });
	seedCrm(hs.emulator.store, { contacts: 30, companies: 5, deals: 12, owners: 3, teams: 2, pipelines: 2 });
});
afterAll(() => hs.stop());

const VERSIONS = [
	{ obj: '/crm/objects/2026-03', props: '/crm/properties/2026-03', pipes: '/crm/pipelines/2026-03', owners: '/crm/owners/2026-03', teams: '/settings/users/2026-03/teams', account: '/account-info/2026-03/details', assoc: '/crm/associations/2026-03', assocObj: '/crm/objects/2026-03' },
	{ obj: '/crm/v3/objects', props: '/crm/v3/properties', pipes: '/crm/v3/pipelines', owners: '/crm/v3/owners', teams: '/settings/v3/users/teams', account: '/account-info/v3/details', assoc: '/crm/v4/associations', assocObj: '/crm/v4/objects' },
];

describe.each(VERSIONS)('routes under $obj', (v) => {
	it('lists, reads, creates, updates and archives records', async () => {
		const list = await hs.call('GET', `${v.obj}/contacts?limit=10&properties=email,firstname`);
		expect(list.status).toBe(200);
		expect(list.body.results).toHaveLength(10);
		expect(list.body.paging.next.after).toBeDefined();
		const next = await hs.call('GET', `${v.obj}/contacts?limit=10&after=${list.body.paging.next.after}`);
		expect(next.body.results[0].id).not.toBe(list.body.results[0].id);

		const created = await hs.call('POST', `${v.obj}/contacts`, { properties: { email: `new-${v.obj.length}@example.com`, firstname: 'New' } });
		expect(created.status).toBe(201);
		const got = await hs.call('GET', `${v.obj}/contacts/${created.body.id}?properties=email`);
		expect(got.body.properties.email).toBe(`new-${v.obj.length}@example.com`);
		const byEmail = await hs.call('GET', `${v.obj}/contacts/${encodeURIComponent(`new-${v.obj.length}@example.com`)}?idProperty=email`);
		expect(byEmail.body.id).toBe(created.body.id);
		const updated = await hs.call('PATCH', `${v.obj}/contacts/${created.body.id}`, { properties: { firstname: 'Renamed' } });
		expect(updated.status).toBe(200);
		expect(updated.body.properties.firstname).toBe('Renamed');
		const dup = await hs.call('POST', `${v.obj}/contacts`, { properties: { email: `new-${v.obj.length}@example.com` } });
		expect(dup.status).toBe(409);
		expect(dup.body.message).toContain(`Existing ID: ${created.body.id}`);
		const bad = await hs.call('POST', `${v.obj}/contacts`, { properties: { no_such_property: 'x' } });
		expect(bad.status).toBe(400);
		expect(bad.body.message).toContain('PROPERTY_DOESNT_EXIST');
		expect((await hs.call('DELETE', `${v.obj}/contacts/${created.body.id}`)).status).toBe(204);
		expect((await hs.call('GET', `${v.obj}/contacts/${created.body.id}`)).status).toBe(404);
		expect((await hs.call('GET', `${v.obj}/deals?limit=5&properties=dealstage,pipeline`)).status).toBe(200);
		expect((await hs.call('GET', `${v.obj}/0-3?limit=5`)).status).toBe(200);
		expect((await hs.call('GET', `${v.obj}/companies?limit=5`)).status).toBe(200);
	});

	it('serves batch read, create, update, upsert and archive', async () => {
		const read = await hs.call('POST', `${v.obj}/contacts/batch/read`, { inputs: [{ id: 'contact1@example.com' }, { id: 'nobody@example.com' }], properties: ['email'], propertiesWithHistory: [], idProperty: 'email' });
		expect(read.status).toBe(207);
		expect(read.body.results).toHaveLength(1);
		expect(read.body.errors[0].context.ids).toEqual(['nobody@example.com']);
		const tag = v.obj.includes('v3') ? 'v3' : 'dv';
		const created = await hs.call('POST', `${v.obj}/contacts/batch/create`, { inputs: [{ properties: { email: `b1-${tag}@example.com` } }, { properties: { email: `b2-${tag}@example.com` } }] });
		expect(created.status).toBe(201);
		const ids = created.body.results.map((r: any) => r.id);
		const updated = await hs.call('POST', `${v.obj}/contacts/batch/update`, { inputs: ids.map((id: string) => ({ id, properties: { lastname: 'Batch' } })) });
		expect(updated.status).toBe(200);
		const upserted = await hs.call('POST', `${v.obj}/contacts/batch/upsert`, { inputs: [{ id: `b1-${tag}@example.com`, idProperty: 'email', properties: { firstname: 'Up' } }, { id: `b3-${tag}@example.com`, idProperty: 'email', properties: { firstname: 'Fresh' } }] });
		expect(upserted.status).toBe(200);
		// Results come in no promised order: one existing record updated, one new.
		expect(upserted.body.results.map((r: any) => r.new).sort()).toEqual([false, true]);
		expect((await hs.call('POST', `${v.obj}/contacts/batch/archive`, { inputs: ids.map((id: string) => ({ id })) })).status).toBe(204);
		const tooMany = await hs.call('POST', `${v.obj}/contacts/batch/read`, { inputs: Array.from({ length: 101 }, (_, i) => ({ id: String(i) })), properties: [], propertiesWithHistory: [] });
		expect(tooMany.status).toBe(400);
	});

	it('searches with filters, sorts, paging and the 10,000-result cap', async () => {
		const search = await hs.call('POST', `${v.obj}/contacts/search`, { filterGroups: [{ filters: [{ propertyName: 'email', operator: 'CONTAINS_TOKEN', value: 'contact1*' }] }], sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }], properties: ['email'], limit: 5 });
		expect(search.status).toBe(200);
		expect(search.body.total).toBeGreaterThan(5);
		expect(search.body.paging.next.after).toBe('5');
		const gt = await hs.call('POST', `${v.obj}/deals/search`, { filterGroups: [{ filters: [{ propertyName: 'amount', operator: 'GTE', value: '5000' }] }], limit: 100 });
		expect(gt.body.results.every((d: any) => Number(d.properties.amount) >= 5000)).toBe(true);
		const capped = await hs.call('POST', `${v.obj}/contacts/search`, { after: '9900', limit: 200 });
		expect(capped.status).toBe(400);
		expect(capped.body.message).toContain('10,000');
		const unknown = await hs.call('POST', `${v.obj}/contacts/search`, { filterGroups: [{ filters: [{ propertyName: 'nope', operator: 'EQ', value: '1' }] }] });
		expect(unknown.status).toBe(400);
	});

	it('creates meetings with inline associations and reads associations', async () => {
		const contact = (await hs.call('GET', `${v.obj}/contacts?limit=1`)).body.results[0];
		const meeting = await hs.call('POST', `${v.obj}/meetings`, {
			properties: { hs_timestamp: '2026-12-01T01:00:00.000Z', hs_meeting_title: 'Intro', hs_meeting_start_time: '2026-12-01T01:00:00.000Z', hs_meeting_end_time: '2026-12-01T01:30:00.000Z', hs_meeting_outcome: 'SCHEDULED' },
			associations: [{ to: { id: contact.id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 200 }] }],
		});
		expect(meeting.status).toBe(201);
		const assoc = await hs.call('GET', `${v.assocObj}/meetings/${meeting.body.id}/associations/contacts`);
		expect(assoc.status).toBe(200);
		expect(assoc.body.results[0].toObjectId).toBe(contact.id);
		const batch = await hs.call('POST', `${v.assoc}/contacts/companies/batch/read`, { inputs: [{ id: contact.id }] });
		expect(batch.status).toBe(200);
		expect(batch.body.results[0].to.length).toBeGreaterThan(0);
		const company = (await hs.call('GET', `${v.obj}/companies?limit=1`)).body.results[0];
		expect((await hs.call('PUT', `${v.assocObj}/meetings/${meeting.body.id}/associations/default/companies/${company.id}`)).status).toBe(200);
		const badAssoc = await hs.call('POST', `${v.obj}/meetings`, { properties: { hs_timestamp: '2026-12-01T01:00:00.000Z' }, associations: [{ to: { id: '999999' }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 200 }] }] });
		expect(badAssoc.status).toBe(400);
	});

	it('serves properties, groups, pipelines, owners, teams and account details', async () => {
		const props = await hs.call('GET', `${v.props}/contacts`);
		expect(props.body.results.map((p: any) => p.name)).toContain('email');
		expect((await hs.call('GET', `${v.props}/contacts/email`)).body.name).toBe('email');
		expect((await hs.call('GET', `${v.props}/contacts/nope`)).status).toBe(404);
		expect((await hs.call('POST', `${v.props}/contacts/batch/read`, { inputs: [{ name: 'email' }], archived: false, dataSensitivity: 'non_sensitive' })).status).toBe(200);
		const groups = await hs.call('GET', `${v.props}/deals/groups`);
		expect(groups.body.results.length).toBeGreaterThan(0);
		const groupName = `sync_${v.props.length}`;
		expect((await hs.call('POST', `${v.props}/deals/groups`, { name: groupName, label: 'Sync' })).status).toBe(201);
		expect((await hs.call('POST', `${v.props}/deals/groups`, { name: groupName, label: 'Sync' })).status).toBe(409);
		const property = { name: `exclude_${v.props.length}`, label: 'Exclude', type: 'bool', fieldType: 'booleancheckbox', groupName, options: [{ label: 'Yes', value: 'true', displayOrder: 0, hidden: false }, { label: 'No', value: 'false', displayOrder: 1, hidden: false }] };
		expect((await hs.call('POST', `${v.props}/deals`, property)).status).toBe(201);
		expect((await hs.call('POST', `${v.props}/deals`, property)).status).toBe(409);
		const pipelines = await hs.call('GET', `${v.pipes}/deals`);
		expect(pipelines.body.results.length).toBe(2);
		expect((await hs.call('GET', `${v.pipes}/deals/default`)).body.stages.length).toBeGreaterThan(0);
		expect((await hs.call('GET', `${v.pipes}/deals/default/stages`)).body.results.length).toBeGreaterThan(0);
		const owners = await hs.call('GET', `${v.owners}?limit=2`);
		expect(owners.body.results).toHaveLength(2);
		expect((await hs.call('GET', `${v.owners}/${owners.body.results[0].id}`)).body.email).toContain('@');
		expect((await hs.call('GET', v.teams)).body.results).toHaveLength(2);
		expect((await hs.call('GET', v.account)).body.portalId).toBe(12345678);
	});
});

it('answers authentication and scope errors the way HubSpot does', async () => {
	const none = await hs.call('GET', '/crm/objects/2026-03/contacts', undefined, 'wrong-token');
	expect(none.status).toBe(401);
	expect(none.body.category).toBe('INVALID_AUTHENTICATION');
	const expired = hs.emulator.issueAccessToken([], -5);
	const late = await hs.call('GET', '/crm/objects/2026-03/contacts', undefined, expired);
	expect(late.body.category).toBe('EXPIRED_AUTHENTICATION');
	const narrow = hs.emulator.issueAccessToken(['crm.objects.companies.read']);
	const scoped = await hs.call('GET', '/crm/owners/2026-03', undefined, narrow);
	expect(scoped.status).toBe(403);
	expect(scoped.body.category).toBe('MISSING_SCOPES');
	expect(scoped.body.errors[0].context.requiredGranularScopes).toContain('crm.objects.owners.read');
});

it('runs the OAuth authorization-code and refresh flows', async () => {
	const redirect = 'http://127.0.0.1:9/callback';
	const authorize = await fetch(`${hs.url}/oauth/authorize?client_id=emulator-client-id&redirect_uri=${encodeURIComponent(redirect)}&scope=oauth%20crm.objects.contacts.read&state=s1`, { redirect: 'manual' });
	expect(authorize.status).toBe(302);
	const location = new URL(authorize.headers.get('location')!);
	expect(location.searchParams.get('state')).toBe('s1');
	const form = (fields: Record<string, string>) => fetch(`${hs.url}/oauth/2026-03/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
	const exchanged = await form({ grant_type: 'authorization_code', code: location.searchParams.get('code')!, redirect_uri: redirect, client_id: 'emulator-client-id', client_secret: 'emulator-client-secret' });
	expect(exchanged.status).toBe(200);
	expect(exchanged.body.token_use).toBe('access_token');
	expect((await hs.call('GET', '/crm/objects/2026-03/contacts?limit=1', undefined, exchanged.body.access_token)).status).toBe(200);
	const refreshed = await form({ grant_type: 'refresh_token', refresh_token: exchanged.body.refresh_token, client_id: 'emulator-client-id', client_secret: 'emulator-client-secret' });
	expect(refreshed.body.access_token).not.toBe(exchanged.body.access_token);
	hs.emulator.revokeRefreshTokens();
	expect((await form({ grant_type: 'refresh_token', refresh_token: exchanged.body.refresh_token, client_id: 'emulator-client-id', client_secret: 'emulator-client-secret' })).status).toBe(400);
});

it('validated every route against the specs, with no violation', () => {
	expect(hs.emulator.contract.violations).toEqual([]);
	const covered = [...hs.emulator.contract.coverage.entries()].filter(([, c]) => c.requests > 0 && c.responses > 0).map(([key]) => key).sort();
	// Printed for the issue note: the list of routes validated against the specs.
	console.log(`Routes validated against the OpenAPI specs (${covered.length}):\n${covered.join('\n')}`);
	const expected = [
		'GET /crm/objects/2026-03/contacts', 'POST /crm/objects/2026-03/contacts', 'GET /crm/objects/2026-03/contacts/{contactId}',
		'PATCH /crm/objects/2026-03/contacts/{contactId}', 'DELETE /crm/objects/2026-03/contacts/{contactId}',
		'POST /crm/objects/2026-03/contacts/batch/read', 'POST /crm/objects/2026-03/contacts/batch/create', 'POST /crm/objects/2026-03/contacts/batch/update',
		'POST /crm/objects/2026-03/contacts/batch/upsert', 'POST /crm/objects/2026-03/contacts/batch/archive', 'POST /crm/objects/2026-03/contacts/search',
		'POST /crm/objects/2026-03/meetings', 'GET /crm/objects/2026-03/{objectType}', 'GET /crm/objects/2026-03/0-3', 'POST /crm/objects/2026-03/{objectType}/search',
		'GET /crm/objects/2026-03/{objectType}/{objectId}/associations/{toObjectType}', 'POST /crm/associations/2026-03/{fromObjectType}/{toObjectType}/batch/read',
		'PUT /crm/objects/2026-03/{fromObjectType}/{fromObjectId}/associations/default/{toObjectType}/{toObjectId}',
		'GET /crm/properties/2026-03/{objectType}', 'POST /crm/properties/2026-03/{objectType}', 'GET /crm/properties/2026-03/{objectType}/{propertyName}',
		'GET /crm/properties/2026-03/{objectType}/groups', 'POST /crm/properties/2026-03/{objectType}/groups', 'POST /crm/properties/2026-03/{objectType}/batch/read',
		'GET /crm/pipelines/2026-03/{objectType}', 'GET /crm/pipelines/2026-03/{objectType}/{pipelineId}', 'GET /crm/pipelines/2026-03/{objectType}/{pipelineId}/stages',
		'GET /crm/owners/2026-03', 'GET /crm/owners/2026-03/{ownerId}', 'GET /settings/users/2026-03/teams', 'GET /account-info/2026-03/details', 'POST /oauth/2026-03/token',
		'GET /crm/v3/objects/contacts', 'POST /crm/v3/objects/contacts/search', 'GET /crm/v3/owners', 'GET /settings/v3/users/teams',
	];
	expect(expected.filter((key) => !covered.includes(key))).toEqual([]);
});

it('knows every operation of the specs', () => {
	const contract = new OpenApiContract();
	expect(contract.operations.length).toBeGreaterThan(200);
	expect(OpenApiContract.key(contract.match('GET', '/crm/objects/2026-03/contacts/12')!)).toBe('GET /crm/objects/2026-03/contacts/{contactId}');
	expect(OpenApiContract.key(contract.match('GET', '/crm/objects/2026-03/deals')!)).toBe('GET /crm/objects/2026-03/{objectType}');
});
