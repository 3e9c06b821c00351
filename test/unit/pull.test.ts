/**
 * Pull against the emulator: a full pull meets in the middle without gaps or repeats (and past the
 * 10,000-result cap on the search side), an incremental pull reads only what changed, the cursor
 * rule, calls per 100 records, and pulls while search trails the writes (the lookback; a full pull
 * right after an archive).
 */
import { parsePosition, pull, type PullOptions, type PullPosition, type PullSummary } from '../../nodes/HubSpotSyncProperties/sync/pull';
import type { CrmRecord } from '../../nodes/shared/transport/pagination';
import { seedCrm } from '../hubspot-emulator/seed';
import { directClient, UNPACED } from '../support/direct-client';
import { startEmulator, type RunningEmulator } from '../support/emulator';

jest.setTimeout(120_000);

let hs: RunningEmulator;
const HOUR = 3_600_000;
beforeAll(async () => {
	hs = await startEmulator({ limits: { standard: { max: 1_000_000, windowMs: 1_000 }, search: { max: 1_000_000, windowMs: 1_000 }, daily: 1e12 } });
	seedCrm(hs.emulator.store, { contacts: 25_000, at: Date.now() - HOUR });
});
afterAll(() => hs.stop());

async function collect(options: Partial<Parameters<typeof pull>[1]> = {}) {
	const client = directClient(hs.url, UNPACED);
	const records: CrmRecord[] = [];
	const summary: PullSummary = await pull(client, { objectType: 'contacts', properties: ['email', 'firstname'], lookbackMs: 60_000, parallelSearch: true, ...options }, (page) => records.push(...page));
	return { records, summary, calls: client.stats.calls };
}

it('full: list climbs, search descends past its cap, they meet: every record once', async () => {
	const { records, summary, calls } = await collect();
	const ids = records.map((r) => r.id);
	expect(ids).toHaveLength(25_000);
	expect(new Set(ids).size).toBe(25_000);
	expect(records[0].properties.email).toMatch(/@example\.com$/);
	expect(summary.listPages).toBeGreaterThan(0);
	expect(summary.searchPages).toBeGreaterThan(50);
	expect(summary.records).toBe(25_000);
	// 100 per list page, 200 per search page, plus at most one overlapping page per side.
	expect(calls / (25_000 / 100)).toBeLessThan(0.8);
	expect(hs.emulator.contract.violations).toEqual([]);
});

it('full without search: the list alone, 100 per page', async () => {
	const { records, calls } = await collect({ parallelSearch: false });
	expect(new Set(records.map((r) => r.id)).size).toBe(25_000);
	expect(calls).toBe(250);
});

it('incremental: only the changed records, past the 10,000 cap, and a cursor that loses nothing', async () => {
	const full = await collect();
	const cursor = Date.parse(full.summary.newCursor!);
	expect(cursor).toBeLessThanOrEqual(Date.now() - 60_000 + 1_000);
	const all = [...hs.emulator.store.table('contacts').values()];
	const changed = all.filter((_, index) => index % 2 === 0).slice(0, 12_000);
	for (const record of changed) hs.emulator.store.update('contacts', record, { jobtitle: 'Changed' });
	const { records, summary } = await collect({ since: cursor });
	expect(summary.mode).toBe('incremental');
	expect(new Set(records.map((r) => r.id))).toEqual(new Set(changed.map((r) => r.id)));
	expect(records).toHaveLength(12_000);
	// The new cursor: the latest change seen or the run's start, whichever is earlier, minus the lookback.
	const latest = Math.max(...changed.map((r) => Date.parse(String(r.properties.lastmodifieddate))));
	expect(Date.parse(summary.newCursor!)).toBeLessThanOrEqual(latest - 60_000);
	expect(Date.parse(summary.newCursor!)).toBeGreaterThan(cursor);
});

it('incremental with nothing changed reads nothing and keeps the cursor from going back', async () => {
	// After every change the earlier tests made (they may have finished within the last second).
	const latest = Math.max(...[...hs.emulator.store.table('contacts').values()].map((r) => Date.parse(String(r.properties.lastmodifieddate))));
	const since = latest + 1;
	const { records, summary, calls } = await collect({ since });
	expect(records).toHaveLength(0);
	expect(calls).toBe(1);
	expect(Date.parse(summary.newCursor!)).toBeGreaterThanOrEqual(since);
});

it('incremental with more changes than "full above" reads everything instead, and says so', async () => {
	// After every earlier change (the 12,000 above may be less than a second old), so only these 3,000 count.
	const latest = Math.max(...[...hs.emulator.store.table('contacts').values()].map((r) => Date.parse(String(r.properties.lastmodifieddate))));
	const since = latest + 1;
	await new Promise((resolve) => setTimeout(resolve, 5));
	const changed = [...hs.emulator.store.table('contacts').values()].slice(0, 3_000);
	for (const record of changed) hs.emulator.store.update('contacts', record, { jobtitle: 'Many' });
	const modes = new Set<string>();
	const client = directClient(hs.url, UNPACED);
	const records: CrmRecord[] = [];
	const summary = await pull(client, { objectType: 'contacts', properties: ['email'], since, lookbackMs: 60_000, parallelSearch: true, fullAbove: 2_000 }, (page, mode) => {
		modes.add(mode);
		records.push(...page);
	});
	expect(summary.mode).toBe('full');
	expect([...modes]).toEqual(['full']);
	expect(new Set(records.map((r) => r.id)).size).toBe(25_000);
	// Below the threshold it stays incremental: the same 3,000 changes with a higher bar.
	const few = await collect({ since, fullAbove: 5_000 });
	expect(few.summary.mode).toBe('incremental');
	expect(few.records).toHaveLength(3_000);
});

/**
 * A pull in chunks, each call going on from the position the previous one answered (through its
 * JSON text, as between two n8n executions); `between` runs after each chunk but the last.
 */
async function chunkedPull(url: string, options: Partial<PullOptions> & { maxRecords: number }, between: (chunk: number) => void = () => undefined) {
	const ids: string[] = [];
	const summaries: PullSummary[] = [];
	let continueFrom: PullPosition | undefined;
	// Bounded: a pull that never says done fails the test instead of looping.
	for (let chunk = 0; chunk < 200; chunk++) {
		const summary = await pull(directClient(url, UNPACED), { objectType: 'contacts', properties: ['email'], lookbackMs: 60_000, parallelSearch: true, runId: 'run-1', ...options, continueFrom }, (page) => ids.push(...page.map((record) => record.id)));
		summaries.push(summary);
		if (summary.done) return { ids, summaries };
		const position = parsePosition(summary.continueFrom!);
		if (typeof position === 'string') throw new Error(position);
		continueFrom = position;
		between(chunk);
	}
	throw new Error('the pull never said done');
}

it('incremental in chunks of about 1,000: the 3,000 changed records once each, the cursor only at the end', async () => {
	const latest = Math.max(...[...hs.emulator.store.table('contacts').values()].map((r) => Date.parse(String(r.properties.lastmodifieddate))));
	const since = latest + 1;
	await new Promise((resolve) => setTimeout(resolve, 5));
	const changed = [...hs.emulator.store.table('contacts').values()].filter((_, index) => index % 7 === 0).slice(0, 3_000);
	for (const record of changed) hs.emulator.store.update('contacts', record, { jobtitle: 'Chunked' });
	const { ids, summaries } = await chunkedPull(hs.url, { since, maxRecords: 1_000 });
	expect(ids).toHaveLength(3_000);
	expect(new Set(ids)).toEqual(new Set(changed.map((record) => record.id)));
	expect(summaries.length).toBeGreaterThanOrEqual(3);
	for (const summary of summaries.slice(0, -1)) {
		expect(summary).toMatchObject({ done: false, newCursor: null, mode: 'incremental' });
		// A chunk ends at the end of the page where it reaches its budget (200 per search page).
		expect(summary.records).toBeGreaterThanOrEqual(1_000);
		expect(summary.records).toBeLessThanOrEqual(1_200);
	}
	const last = summaries[summaries.length - 1];
	expect(last).toMatchObject({ done: true, continueFrom: null, totalRecords: 3_000, runId: 'run-1' });
	expect(Date.parse(last.newCursor!)).toBeGreaterThanOrEqual(since);
});

it('incremental in chunks that switches to full ("full above"): every record once, in full mode from the first chunk', async () => {
	const latest = Math.max(...[...hs.emulator.store.table('contacts').values()].map((r) => Date.parse(String(r.properties.lastmodifieddate))));
	const since = latest + 1;
	await new Promise((resolve) => setTimeout(resolve, 5));
	for (const record of [...hs.emulator.store.table('contacts').values()].slice(0, 3_000)) hs.emulator.store.update('contacts', record, { jobtitle: 'Switch' });
	const { ids, summaries } = await chunkedPull(hs.url, { since, fullAbove: 2_000, maxRecords: 5_000 });
	expect(summaries.map((summary) => summary.mode)).toEqual(summaries.map(() => 'full'));
	expect(summaries.length).toBeGreaterThanOrEqual(5);
	expect(ids).toHaveLength(25_000);
	expect(new Set(ids).size).toBe(25_000);
});

it('a position that is not one is named, not guessed at', () => {
	expect(parsePosition('page 3')).toMatch(/not the JSON text/);
	expect(parsePosition('{"records": 4}')).toMatch(/continueFrom/);
});

describe('a full pull where HubSpot reads only the documented sort form', () => {
	// The emulator ignores a sort it cannot read (default order, ascending ids), as HubSpot plausibly
	// does: a search that asked to descend with a string would climb from the bottom like the list.
	let small: RunningEmulator;
	beforeAll(async () => {
		small = await startEmulator({ limits: { standard: { max: 1_000_000, windowMs: 1_000 }, search: { max: 1_000_000, windowMs: 1_000 }, daily: 1e12 } });
		seedCrm(small.emulator.store, { contacts: 12_000, at: Date.now() - HOUR });
	});
	afterAll(() => small.stop());

	it('returns each of 12,000 contacts exactly once, both halves sorted as asked', async () => {
		const client = directClient(small.url, UNPACED);
		const ids: string[] = [];
		const summary = await pull(client, { objectType: 'contacts', properties: ['email'], lookbackMs: 60_000, parallelSearch: true }, (page) => ids.push(...page.map((record) => record.id)));
		expect(ids).toHaveLength(12_000);
		expect(new Set(ids)).toEqual(new Set(small.emulator.store.order.get('contacts')));
		expect(summary.searchPages).toBeGreaterThan(1);
		expect(small.emulator.stats.ignoredSorts).toEqual({ count: 0, examples: [] });
	});
});

describe.each(['ascending', 'unordered'] as const)('a full pull where HubSpot lists records %s', (listOrder) => {
	// HubSpot documents the list's `after` as an opaque cursor, not an order: the pull must be right
	// under any order, and keep meeting the search in the middle when the list does climb.
	let own: RunningEmulator;
	beforeAll(async () => {
		own = await startEmulator({ listOrder, limits: { standard: { max: 1_000_000, windowMs: 1_000 }, search: { max: 1_000_000, windowMs: 1_000 }, daily: 1e12 } });
		seedCrm(own.emulator.store, { contacts: 12_000, at: Date.now() - HOUR });
	});
	afterAll(() => own.stop());
	const fullPull = async (onPage: (ids: string[]) => void = () => undefined) => {
		const client = directClient(own.url, UNPACED);
		const ids: string[] = [];
		const summary = await pull(client, { objectType: 'contacts', properties: ['email'], lookbackMs: 60_000, parallelSearch: true }, (page) => {
			ids.push(...page.map((record) => record.id));
			onPage(ids);
		});
		return { ids, summary, calls: client.stats.calls };
	};

	it('returns each of 12,000 contacts exactly once', async () => {
		const { ids, summary, calls } = await fullPull();
		expect(ids).toHaveLength(12_000);
		expect(new Set(ids)).toEqual(new Set(own.emulator.store.order.get('contacts')));
		expect(summary.records).toBe(12_000);
		// Climbing, the list meets the search (100 + 200 per call pair): well under the 120 list pages alone.
		if (listOrder === 'ascending') expect(calls).toBeLessThan(0.8 * 120);
	});

	it('returns each contact once when the search\'s first page comes after the list has given more than 1,000 records', async () => {
		// The search waits (its rate limit, a slow answer) while the list reads on: by then the list's
		// last 1,000 ids no longer name every record it gave.
		own.emulator.configure({ faults: { script: [{ match: 'POST /crm/objects/2026-03/contacts/search', delayMs: 3_000 }] } });
		try {
			const { ids } = await fullPull();
			expect(ids).toHaveLength(12_000);
			expect(new Set(ids)).toEqual(new Set(own.emulator.store.order.get('contacts')));
		} finally {
			own.emulator.configure({ faults: { script: [] } });
		}
	});

	it('in chunks of about 1,000: each of 12,000 contacts exactly once, a small position, the first chunk\'s cursor at the end', async () => {
		let clock = Date.parse('2026-05-01T09:00:00Z');
		const firstStart = clock;
		const { ids, summaries } = await chunkedPull(own.url, { maxRecords: 1_000, now: () => clock }, () => (clock += HOUR));
		const live = own.emulator.store.order.get('contacts')!.filter((id) => own.emulator.store.get('contacts', id));
		expect(ids).toHaveLength(live.length);
		expect(new Set(ids)).toEqual(new Set(live));
		expect(summaries.length).toBeGreaterThanOrEqual(9);
		for (const summary of summaries.slice(0, -1)) {
			expect(summary).toMatchObject({ done: false, newCursor: null, mode: 'full' });
			// Both halves stop at the end of the page in flight: at most a list page and a search page over.
			expect(summary.records).toBeGreaterThanOrEqual(1_000);
			expect(summary.records).toBeLessThan(1_000 + 100 + 200);
			// What a chunk hands on does not grow with the portal (no set of the ids read).
			expect(summary.continueFrom!.length).toBeLessThan(12_000);
		}
		const last = summaries[summaries.length - 1];
		expect(last).toMatchObject({ done: true, continueFrom: null, totalRecords: live.length, runId: 'run-1' });
		expect(last.newCursor).toBe(new Date(firstStart - 60_000).toISOString());
		if (listOrder === 'ascending') expect(summaries.reduce((sum, summary) => sum + summary.listPages, 0)).toBeLessThan(0.8 * 120);
	});

	it('in chunks, with records archived and created between them: each live record once, none twice', async () => {
		const before = own.emulator.store.order.get('contacts')!.filter((id) => own.emulator.store.get('contacts', id));
		const archived: string[] = [];
		const created: string[] = [];
		const { ids } = await chunkedPull(own.url, { maxRecords: 1_000 }, (chunk) => {
			if (chunk === 1) for (const index of [3_000, 6_000, 9_000]) (archived.push(before[index]), own.emulator.store.archive('contacts', before[index]));
			if (chunk === 3) created.push(own.emulator.store.create('contacts', { email: `chunk.new.${listOrder}@example.com` }).id);
		});
		expect(new Set(ids).size).toBe(ids.length);
		const stayed = before.filter((id) => !archived.includes(id));
		expect(ids.filter((id) => stayed.includes(id)).sort()).toEqual([...stayed].sort());
		// Nothing that was never there; a record created meanwhile may wait for the next incremental pull.
		expect(ids.filter((id) => !before.includes(id) && !created.includes(id))).toEqual([]);
	});

	it('a record archived during the pull is not waited for, and every other record comes once', async () => {
		const table = own.emulator.store.order.get('contacts')!;
		const victim = table[Math.floor(table.length / 3)];
		let archived = false;
		// Once both halves are under way (the search has counted it), before either has read it.
		const { ids, summary } = await fullPull((seen) => {
			if (archived || seen.length < 1_000 || seen.includes(victim)) return;
			own.emulator.store.archive('contacts', victim);
			archived = true;
		});
		expect(archived).toBe(true);
		expect(new Set(ids).size).toBe(ids.length);
		expect(new Set(ids)).toEqual(new Set(own.emulator.store.order.get('contacts')!.filter((id) => own.emulator.store.get('contacts', id))));
		if (listOrder === 'ascending') expect(summary.listPages).toBeLessThan(120);
	});
});

describe('pulls while HubSpot\'s search index trails the writes', () => {
	// HubSpot's search trails writes by seconds; the list and reads by id do not. The emulator plays a
	// 5-second lag on the store's clock, which the test moves (and the pull reads), so nothing sleeps.
	const LAG = 5_000;
	const LOOKBACK = 60_000;
	let lagging: RunningEmulator;
	let now: number;
	beforeEach(async () => {
		lagging = await startEmulator({ searchIndexLagMs: LAG, limits: { standard: { max: 1_000_000, windowMs: 1_000 }, search: { max: 1_000_000, windowMs: 1_000 }, daily: 1e12 } });
		now = Date.parse('2026-05-01T09:00:00Z');
		Object.assign(lagging.emulator.store, { clock: () => now });
		seedCrm(lagging.emulator.store, { contacts: 2_000, at: now - 2 * HOUR });
	});
	afterEach(() => lagging.stop());

	const pullLagging = async (options: Partial<Parameters<typeof pull>[1]> = {}) => {
		const records: CrmRecord[] = [];
		const summary = await pull(
			directClient(lagging.url, UNPACED),
			{ objectType: 'contacts', properties: ['email', 'firstname'], lookbackMs: LOOKBACK, parallelSearch: true, now: () => now, ...options },
			(page) => records.push(...page),
		);
		return { records, summary, ids: records.map((record) => record.id) };
	};
	const contactIds = () => lagging.emulator.store.order.get('contacts')!;
	const live = () => contactIds().filter((id) => lagging.emulator.store.get('contacts', id));
	const changeFirstName = (id: string, firstname: string) => lagging.emulator.store.update('contacts', lagging.emulator.store.get('contacts', id)!, { firstname });

	it('incremental: a change still inside the lag is missed, and read by the next pull from the cursor the lookback set back', async () => {
		const since = now - 10 * 60_000;
		const changed = contactIds()[700];
		changeFirstName(changed, 'Late');
		// The pull starts a second after the change, well inside the lag.
		now += 1_000;
		const first = await pullLagging({ since });
		expect(first.ids).not.toContain(changed);
		now += LAG;
		const next = await pullLagging({ since: Date.parse(first.summary.newCursor!) });
		expect(next.ids).toEqual([changed]);
		expect(next.records[0].properties.firstname).toBe('Late');
	});

	it('incremental without a lookback: a change inside the lag is missed for good', async () => {
		const since = now - 10 * 60_000;
		const changed = contactIds()[700];
		changeFirstName(changed, 'Late');
		// The pull starts a second after the change, well inside the lag.
		now += 1_000;
		const first = await pullLagging({ since, lookbackMs: 0 });
		expect(first.ids).not.toContain(changed);
		now += LAG;
		const next = await pullLagging({ since: Date.parse(first.summary.newCursor!), lookbackMs: 0 });
		// Search shows the change by now, yet the cursor has moved past it.
		expect((await lagging.call('POST', '/crm/objects/2026-03/contacts/search', { filterGroups: [{ filters: [{ propertyName: 'firstname', operator: 'EQ', value: 'Late' }] }] })).body.total).toBe(1);
		expect(next.ids).not.toContain(changed);
		now += HOUR;
		expect((await pullLagging({ since: Date.parse(next.summary.newCursor!), lookbackMs: 0 })).ids).not.toContain(changed);
	});

	it.each([
		['the search descends through', 1_900],
		['the list climbs through', 100],
	])('full, right after an archive in the part %s: each live record once, the archived one at most once more', async (_part, index) => {
		const victim = contactIds()[index];
		lagging.emulator.store.archive('contacts', victim);
		const { ids, summary } = await pullLagging();
		expect(new Set(ids).size).toBe(ids.length);
		const liveIds = live();
		expect(liveIds).not.toContain(victim);
		expect(ids.filter((id) => id !== victim).sort()).toEqual([...liveIds].sort());
		expect(summary.records).toBe(ids.length);
	});

	it('full, right after a create and an update inside the lag: the next incremental from its cursor reads both', async () => {
		const updated = contactIds()[1_950];
		changeFirstName(updated, 'Fresh');
		const created = lagging.emulator.store.create('contacts', { email: 'new.in.lag@example.com', firstname: 'New' }).id;
		const full = await pullLagging();
		expect(new Set(full.ids).size).toBe(full.ids.length);
		// Every record that existed before the writes is read once, whatever the index shows of the new ones.
		expect(full.ids.filter((id) => id !== created).sort()).toEqual(live().filter((id) => id !== created).sort());
		now += LAG;
		const next = await pullLagging({ since: Date.parse(full.summary.newCursor!) });
		expect(next.ids).toEqual(expect.arrayContaining([updated, created]));
		expect(next.records.find((record) => record.id === updated)!.properties.firstname).toBe('Fresh');
	});
});
