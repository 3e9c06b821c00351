/**
 * HubSpot's own Node client, pointed at the emulator: if the official SDK can use it, the
 * emulator speaks HubSpot's protocol (paths, bodies, paging, association shapes).
 */
import { Client } from '@hubspot/api-client';
import { AssociationSpecAssociationCategoryEnum } from '@hubspot/api-client/lib/codegen/crm/objects/meetings';

import { DEFAULT_SERVICE_KEY } from '../hubspot-emulator';
import { seedCrm } from '../hubspot-emulator/seed';
import { startEmulator, type RunningEmulator } from '../support/emulator';

let hs: RunningEmulator;
let client: Client;

beforeAll(async () => {
	hs = await startEmulator();
	seedCrm(hs.emulator.store, { contacts: 250, companies: 3 });
	client = new Client({ accessToken: DEFAULT_SERVICE_KEY, basePath: hs.url, numberOfApiCallRetries: 0 });
});
afterAll(() => hs.stop());

it('lists contacts page by page', async () => {
	const first = await client.crm.contacts.basicApi.getPage(100, undefined, ['email']);
	expect(first.results).toHaveLength(100);
	const second = await client.crm.contacts.basicApi.getPage(100, first.paging?.next?.after, ['email']);
	expect(second.results[0].id).not.toBe(first.results[0].id);
	const all = await client.crm.contacts.getAll(100, undefined, ['email']);
	expect(all).toHaveLength(250);
	expect(new Set(all.map((c) => c.id)).size).toBe(250);
});

it('searches', async () => {
	const found = await client.crm.contacts.searchApi.doSearch({
		filterGroups: [{ filters: [{ propertyName: 'email', operator: 'EQ' as any, value: 'contact7@example.com' }] }],
		properties: ['email', 'firstname'],
		limit: 10,
		after: '0',
		sorts: [],
	});
	expect(found.total).toBe(1);
	expect(found.results[0].properties.email).toBe('contact7@example.com');
});

it('batch upserts by email', async () => {
	const answer = await client.crm.contacts.batchApi.upsert({
		inputs: [
			{ id: 'contact1@example.com', idProperty: 'email', properties: { firstname: 'Updated' } },
			{ id: 'brand-new@example.com', idProperty: 'email', properties: { firstname: 'New' } },
		],
	});
	const byEmail = Object.fromEntries(answer.results.map((r: any) => [r.properties.email ?? r.id, r]));
	expect(answer.results).toHaveLength(2);
	expect(answer.results.filter((r: any) => r._new ?? r.new)).toHaveLength(1);
	expect(Object.keys(byEmail).length).toBe(2);
	expect(hs.emulator.store.findByEmail('brand-new@example.com')?.properties.firstname).toBe('New');
	expect(hs.emulator.store.findByEmail('contact1@example.com')?.properties.firstname).toBe('Updated');
});

it('creates a meeting associated to a contact', async () => {
	const contact = hs.emulator.store.findByEmail('contact2@example.com')!;
	const meeting = await client.crm.objects.meetings.basicApi.create({
		properties: { hs_timestamp: '2026-12-01T01:00:00Z', hs_meeting_title: 'Demo call', hs_meeting_outcome: 'SCHEDULED' },
		associations: [
			{ to: { id: contact.id }, types: [{ associationCategory: AssociationSpecAssociationCategoryEnum.HubspotDefined, associationTypeId: 200 }] },
		],
	});
	expect(meeting.properties.hs_meeting_title).toBe('Demo call');
	expect(hs.emulator.store.associationsOf('meetings', meeting.id, 'contacts').map((a) => a.toObjectId)).toEqual([contact.id]);
	expect(hs.emulator.contract.violations).toEqual([]);
});
