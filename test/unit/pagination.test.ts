import type { HubSpotClient, HubSpotRequest } from '../../nodes/shared/transport/client';
import { batchRead, batchWrite, listPage, searchAll, SEARCH_RESULT_CAP } from '../../nodes/shared/transport/pagination';
import { directClient } from '../support/direct-client';
import { startEmulator } from '../support/emulator';

/** A HubSpot with `count` contacts, answering like the search and list endpoints (cap included). */
function fakeHubSpot(count: number) {
	const calls: HubSpotRequest[] = [];
	const ids = Array.from({ length: count }, (_, i) => String(1000 + i));
	const client = {
		request: async (request: HubSpotRequest) => {
			calls.push(request);
			if (request.path.endsWith('/search')) {
				const body = request.body as any;
				const after = Number(body.after ?? 0);
				if (after + body.limit > SEARCH_RESULT_CAP) throw new Error('400: past the 10,000 cap');
				const floor = body.filterGroups.flatMap((g: any) => g.filters).find((f: any) => f.propertyName === 'hs_object_id');
				const matching = ids.filter((id) => !floor || Number(id) > Number(floor.value));
				const page = matching.slice(after, after + body.limit);
				return { total: matching.length, results: page.map((id) => ({ id, properties: {} })), paging: after + body.limit < matching.length ? { next: { after: String(after + body.limit) } } : undefined };
			}
			if (request.path.endsWith('/batch/read')) {
				return { results: (request.body as any).inputs.map((input: any) => ({ id: input.id, properties: { filled: 'yes' } })) };
			}
			const after = request.qs?.after ? ids.indexOf(String(request.qs.after)) + 1 : 0;
			const page = ids.slice(after, after + Number(request.qs?.limit));
			return { results: page.map((id) => ({ id, properties: {} })), paging: after + page.length < ids.length ? { next: { after: page[page.length - 1] } } : undefined };
		},
	} as unknown as HubSpotClient;
	return { client, calls };
}

async function collect(pages: AsyncGenerator<Array<{ id: string }>>) {
	const seen: string[] = [];
	for await (const page of pages) seen.push(...page.map((record) => record.id));
	return seen;
}

it('searches past the 10,000-result cap by restarting from the last id, without gaps or repeats', async () => {
	const { client, calls } = fakeHubSpot(25_000);
	const seen = await collect(searchAll(client, 'contacts', { properties: ['email'] }));
	expect(seen).toHaveLength(25_000);
	expect(new Set(seen).size).toBe(25_000);
	expect(calls).toHaveLength(125);
	const restarts = calls.filter((call) => (call.body as any).filterGroups.length && !(call.body as any).after);
	expect(restarts).toHaveLength(2);
	// HubSpot's documented sort form: a string would be ignored (default order).
	expect(calls.every((call) => JSON.stringify((call.body as any).sorts) === JSON.stringify([{ propertyName: 'hs_object_id', direction: 'ASCENDING' }]))).toBe(true);
});

it('descends by id with a DESCENDING sort rule, in the object form', async () => {
	const { client, calls } = fakeHubSpot(300);
	await collect(searchAll(client, 'contacts', { descending: true }));
	expect((calls[0].body as any).sorts).toEqual([{ propertyName: 'hs_object_id', direction: 'DESCENDING' }]);
});

it('adds the id floor to every filter group (OR of ANDs stays correct)', async () => {
	const { client, calls } = fakeHubSpot(10_500);
	const groups = [{ filters: [{ propertyName: 'email', operator: 'HAS_PROPERTY' as const }] }, { filters: [{ propertyName: 'phone', operator: 'HAS_PROPERTY' as const }] }];
	await collect(searchAll(client, 'contacts', { filterGroups: groups }));
	const restart = calls.find((call) => (call.body as any).filterGroups[0].filters.length === 2)!;
	expect((restart.body as any).filterGroups.every((g: any) => g.filters[1].propertyName === 'hs_object_id' && g.filters[1].operator === 'GT')).toBe(true);
});

/** Every contact, one listPage after another along its `after` cursor (at most 100 pages here). */
async function* listPages(client: Parameters<typeof listPage>[0], properties: string[]) {
	let after: string | undefined;
	for (let page = 0; page < 100; page++) {
		const answer = await listPage(client, 'contacts', properties, after);
		yield answer.records;
		after = answer.after;
		if (!after) return;
	}
}

it('lists every record 100 per page', async () => {
	const { client, calls } = fakeHubSpot(1_050);
	expect(await collect(listPages(client, ['email']))).toHaveLength(1_050);
	expect(calls).toHaveLength(11);
	expect(calls[0].qs).toMatchObject({ limit: 100, properties: 'email' });
});

it('moves a property list too long for a URL into POST batch reads (no 414)', async () => {
	const { client, calls } = fakeHubSpot(150);
	const properties = Array.from({ length: 300 }, (_, i) => `custom_property_number_${i}`);
	const seen: Array<{ properties: Record<string, string | null> }> = [];
	for await (const page of listPages(client, properties)) seen.push(...page);
	expect(seen).toHaveLength(150);
	expect(seen[0].properties.filled).toBe('yes');
	expect(calls.filter((c) => c.method === 'GET').every((c) => c.qs?.properties === undefined)).toBe(true);
	expect(calls.filter((c) => c.path.endsWith('/batch/read'))).toHaveLength(2);
});

it('batch reads in chunks of 100', async () => {
	const { client, calls } = fakeHubSpot(0);
	const records = await batchRead(client, 'contacts', Array.from({ length: 250 }, (_, i) => String(i)), ['email']);
	expect(records).toHaveLength(250);
	expect(calls.map((c) => (c.body as any).inputs.length)).toEqual([100, 100, 50]);
});

describe('batchWrite against the emulator', () => {
	it('writes 250 upserts in 3 calls and reports the inputs HubSpot refused', async () => {
		const hs = await startEmulator();
		const client = directClient(hs.url);
		const inputs = Array.from({ length: 250 }, (_, i) => ({ id: `batch${i}@example.com`, idProperty: 'email', properties: { firstname: `N${i}` } }));
		const upserted = await batchWrite(client, 'contacts', 'upsert', inputs);
		expect(upserted.calls).toBe(3);
		expect(upserted.results).toHaveLength(250);
		const ids = upserted.results.slice(0, 2).map((r) => r.id);
		const updated = await batchWrite(client, 'contacts', 'update', [...ids.map((id) => ({ id, properties: { lastname: 'X' } })), { id: '999999', properties: { lastname: 'X' } }]);
		expect(updated.results).toHaveLength(2);
		expect(updated.errors).toEqual([expect.objectContaining({ category: 'OBJECT_NOT_FOUND', ids: ['999999'] })]);
		expect(hs.emulator.contract.violations).toEqual([]);
		await hs.stop();
	});
});
