/**
 * Reading every record of a type (full) or the ones changed since a cursor (incremental), as fast
 * as HubSpot's budgets allow: in a full pull the list endpoint (standard budget, 100 per page)
 * climbs from the lowest id while the search endpoint (its own 5/s budget, 200 per page) descends
 * from the highest, and they stop where they meet. Together they use both budgets. The search's
 * order is documented (sorted by hs_object_id); the list's is not (its `after` is an opaque
 * cursor), so the meeting is only trusted while the list does climb, and is checked by count.
 *
 * A pull can stop after about `maxRecords` and go on in a later call from the position it returns,
 * so that a big portal is read in chunks (each its own n8n execution, whose memory n8n frees).
 * That is why repeats are told apart by id ranges and a short list of recent ids, not by a set of
 * every id read: the position stays small whatever the portal's size.
 */
import type { HubSpotClient } from '../../shared/transport/client';
import { listPage, searchAll, type CrmRecord } from '../../shared/transport/pagination';
import type { CrmObjectType } from '../../shared/transport/paths';

/** The "last modified" property HubSpot keeps per type. */
export function lastModifiedProperty(objectType: CrmObjectType): string {
	return objectType === 'contacts' ? 'lastmodifieddate' : 'hs_lastmodifieddate';
}

export interface PullOptions {
	objectType: CrmObjectType;
	properties: string[];
	/** Incremental when set: records modified at or after this time (epoch ms). */
	since?: number;
	/** Subtracted from the new cursor so that a change indexed late is read again next time. */
	lookbackMs: number;
	/** Full pulls only: also descend with search, meeting the list in the middle. */
	parallelSearch: boolean;
	/**
	 * Incremental pulls: when more records changed than this, read everything instead (the caller
	 * can then replace its copy in bulk rather than update record by record). Unset: never.
	 */
	fullAbove?: number;
	/** Stop once about this many records were read (at the end of a page); unset: read all. */
	maxRecords?: number;
	/** Go on from where an earlier call stopped (its summary's `continueFrom`). */
	continueFrom?: PullPosition;
	/** Told to the position, so that every chunk of one pull names the same run. */
	runId?: string;
	now?: () => number;
}

export interface PullSummary {
	objectType: CrmObjectType;
	mode: 'full' | 'incremental';
	/** Records read by this call. */
	records: number;
	/** Records read by every call of this pull so far. */
	totalRecords: number;
	listPages: number;
	searchPages: number;
	since: string | null;
	/** Where the next pull starts; null while the pull is not done. */
	newCursor: string | null;
	durationMs: number;
	/** Whether every record was read; if not, call again with `continueFrom`. */
	done: boolean;
	/** The position to go on from (JSON text), null once done. */
	continueFrom: string | null;
	runId: string | null;
}

/** How many of the list's latest record ids a position keeps (see FullPosition.list.recent). */
const RECENT_LIST_IDS = 1_000;

/**
 * Where a full pull stands. The search descends from `search.top` and has read every record from
 * `search.low` up; the list climbs, and while it comes in ascending ids it has read every record
 * it will ever give below `list.high`. A list record inside the search's range is the search's
 * already; a search record is the list's already when it is one of the list's recent ids. Only the
 * last pages of the list can hold those (both halves stop, or the search stops, as soon as they
 * cross), so `recent` stays short.
 */
interface FullPosition {
	list: {
		after: string | null;
		high: number | null;
		ascending: boolean;
		done: boolean;
		/** Records the list gave that the search had not. */
		emitted: number;
		/** Of those, records above the search's top (created after the search began). */
		aboveTop: number;
		recent: number[];
	};
	search: { low: number | null; top: number | null; total: number | null; done: boolean };
	/** Records read (by either half) with an id up to `search.top`. */
	counted: number;
	/** HubSpot's count below the meeting point, once asked: whether it proved the meeting. */
	proven: boolean | null;
}

/** Where a pull stands between two calls; JSON-safe, passed on as text. */
export interface PullPosition {
	version: 1;
	objectType: CrmObjectType;
	mode: 'full' | 'incremental';
	since: number | null;
	startedAt: number;
	runId: string | null;
	records: number;
	maxModified: number | null;
	/** Incremental: the highest id read (the search climbs by id). */
	pastId: string | null;
	full: FullPosition | null;
}

const idOf = (record: CrmRecord) => Number(record.id);

function startPosition(options: PullOptions, startedAt: number): PullPosition {
	return {
		version: 1,
		objectType: options.objectType,
		mode: options.since === undefined ? 'full' : 'incremental',
		since: options.since ?? null,
		startedAt,
		runId: options.runId ?? null,
		records: 0,
		maxModified: null,
		pastId: null,
		full: null,
	};
}

function startFull(): FullPosition {
	return {
		list: {
			after: null,
			high: null,
			ascending: true,
			done: false,
			emitted: 0,
			aboveTop: 0,
			recent: [],
		},
		search: { low: null, top: null, total: null, done: false },
		counted: 0,
		proven: null,
	};
}

/** A `continueFrom` text as a position, or why it is not one. */
export function parsePosition(text: string): PullPosition | string {
	let position: PullPosition;
	try {
		position = JSON.parse(text) as PullPosition;
	} catch {
		return 'it is not the JSON text a pull summary gives';
	}
	if (position?.version !== 1 || typeof position.startedAt !== 'number')
		return 'it is not a position from a pull summary (continueFrom)';
	return position;
}

interface Chunk {
	client: HubSpotClient;
	position: PullPosition;
	properties: string[];
	/** Records of this call so far: the lanes stop at the next page once it reaches the budget. */
	spent: () => boolean;
	emit: (records: CrmRecord[]) => void;
	pages: { list: number; search: number };
}

/**
 * Emits records page by page through `onPage` (so callers never hold more than they output); with
 * `maxRecords`, stops after about that many and answers where to go on from.
 */
export async function pull(
	client: HubSpotClient,
	options: PullOptions,
	onPage: (records: CrmRecord[], mode: PullSummary['mode']) => void,
): Promise<PullSummary> {
	const now = options.now ?? Date.now;
	const started = now();
	const position = options.continueFrom ?? startPosition(options, started);
	const modified = lastModifiedProperty(position.objectType);
	const budget = options.maxRecords && options.maxRecords > 0 ? options.maxRecords : Infinity;
	let records = 0;
	const chunk: Chunk = {
		client,
		position,
		properties: [...new Set([...options.properties, modified])],
		spent: () => records >= budget,
		emit: (page) => {
			if (!page.length) return;
			for (const record of page) {
				const at = Date.parse(String(record.properties[modified] ?? record.updatedAt ?? ''));
				if (!Number.isNaN(at)) position.maxModified = Math.max(position.maxModified ?? at, at);
			}
			records += page.length;
			position.records += page.length;
			onPage(page, position.mode);
		},
		pages: { list: 0, search: 0 },
	};
	let done = false;
	if (position.mode === 'incremental') done = await incrementalChunk(chunk, options.fullAbove);
	if (position.mode === 'full') done = await fullChunk(chunk, options.parallelSearch);
	return {
		objectType: position.objectType,
		mode: position.mode,
		records,
		totalRecords: position.records,
		listPages: chunk.pages.list,
		searchPages: chunk.pages.search,
		since: position.since === null ? null : new Date(position.since).toISOString(),
		newCursor: done ? newCursor(position, options.lookbackMs) : null,
		durationMs: now() - started,
		done,
		continueFrom: done ? null : JSON.stringify(position),
		runId: position.runId,
	};
}

/**
 * Nothing changed during the run is lost: a full pull's cursor is its start, an incremental one's
 * the latest change read but never beyond the start; both minus the lookback, and never before the
 * cursor it started from.
 */
function newCursor(position: PullPosition, lookbackMs: number): string {
	if (position.mode === 'full') return new Date(position.startedAt - lookbackMs).toISOString();
	const latest = Math.min(position.maxModified ?? position.startedAt, position.startedAt);
	return new Date(Math.max(latest - lookbackMs, position.since!)).toISOString();
}

/**
 * The changed records, by search in id order (so a later call goes on above the last id). HubSpot's
 * total on the first page decides: few changes are read here, many switch to a full pull. Answers
 * whether the pull is done; false when it stopped for the budget or switched to full.
 */
async function incrementalChunk(chunk: Chunk, fullAbove: number | undefined): Promise<boolean> {
	const { position } = chunk;
	const filterGroups = [
		{
			filters: [
				{
					propertyName: lastModifiedProperty(position.objectType),
					operator: 'GTE' as const,
					value: String(position.since),
				},
			],
		},
	];
	const onTotal = (total: number) => {
		if (fullAbove !== undefined && total > fullAbove) position.mode = 'full';
		return position.mode === 'incremental';
	};
	for await (const page of searchAll(chunk.client, position.objectType, {
		filterGroups,
		properties: chunk.properties,
		onTotal,
		pastId: position.pastId ?? undefined,
	})) {
		chunk.pages.search++;
		// A record HubSpot gives twice (its paging is by offset) is at or below the last id read.
		const last = position.pastId === null ? -Infinity : Number(position.pastId);
		chunk.emit(page.filter((record) => idOf(record) > last));
		position.pastId = String(Math.max(last, ...page.map(idOf)));
		if (chunk.spent()) return false;
	}
	return position.mode === 'incremental';
}

/**
 * A full pull: the list climbs, the search descends, each record emitted once (see FullPosition).
 * They stop where they meet, once the meeting is proven: the list has climbed past the search's
 * lowest id with ascending ids throughout, and every record the search counted at the start has
 * been read (or, when one went away meanwhile, HubSpot's count below the meeting point says the
 * list has them all). A list that turns out not to climb is read to its end, since only its end
 * then proves that nothing is left below the search; the search stops, as the list reads
 * everything. Answers whether the pull is done.
 */
async function fullChunk(chunk: Chunk, parallelSearch: boolean): Promise<boolean> {
	const { client, position, properties } = chunk;
	const objectType = position.objectType;
	const full = (position.full ??= startFull());
	const { list, search } = full;
	let met = false;
	const inSearched = (id: number) =>
		search.low !== null && search.top !== null && id >= search.low && id <= search.top;
	const readList = (page: CrmRecord[]) => {
		for (const record of page) {
			if (list.high !== null && idOf(record) <= list.high) list.ascending = false;
			list.high = Math.max(list.high ?? -Infinity, idOf(record));
		}
		const fresh = page.filter((record) => !inSearched(idOf(record)));
		// No top before the search's first page: readSearch counts the list's records then.
		if (search.top !== null)
			for (const record of fresh) {
				if (idOf(record) <= search.top) full.counted++;
				else list.aboveTop++;
			}
		list.emitted += fresh.length;
		list.recent.push(...fresh.map(idOf));
		if (list.recent.length > RECENT_LIST_IDS)
			list.recent.splice(0, list.recent.length - RECENT_LIST_IDS);
		chunk.emit(fresh);
	};
	const readSearch = (page: CrmRecord[]) => {
		if (search.top === null) {
			const top = idOf(page[0]);
			search.top = top;
			const above = list.recent.filter((id) => id > top).length;
			list.aboveTop += above;
			full.counted = list.emitted - above;
		}
		const recent = new Set(list.recent);
		// Below what the search read before (its paging is by offset: a new record shifts a page),
		// and not one the list gave.
		const fresh = page.filter(
			(record) => (search.low === null || idOf(record) < search.low) && !recent.has(idOf(record)),
		);
		search.low = Math.min(search.low ?? Infinity, ...page.map(idOf));
		full.counted += fresh.length;
		chunk.emit(fresh);
	};
	const verify = async (floor: number) => {
		chunk.pages.search++;
		const below = await countBelow(client, objectType, floor);
		const listAtOrAboveFloor = list.recent.filter((id) => id >= floor && id <= search.top!).length;
		return below !== undefined && list.emitted - list.aboveTop - listAtOrAboveFloor >= below;
	};
	let check: Promise<boolean> | undefined;
	const haveMet = async (): Promise<boolean> => {
		if (!list.ascending || list.high === null || search.low === null || list.high < search.low)
			return false;
		if (search.total !== null && full.counted >= search.total) return true;
		check ??= full.proven !== null ? Promise.resolve(full.proven) : verify(search.low);
		full.proven = await check;
		// Records below the meeting point that the climbing list did not return: it is not one climb.
		if (!full.proven) list.ascending = false;
		return full.proven;
	};
	const climb = async () => {
		while (!list.done && !met && !chunk.spent()) {
			const page = await listPage(client, objectType, properties, list.after ?? undefined);
			chunk.pages.list++;
			readList(page.records);
			list.after = page.after ?? null;
			if (!page.after) list.done = true;
			if (await haveMet()) met = true;
		}
	};
	const descend = async () => {
		if (search.done || !list.ascending || chunk.spent()) return;
		const onTotal = (total: number) => ((search.total = total), true);
		for await (const page of searchAll(client, objectType, {
			properties,
			descending: true,
			onTotal,
			pastId: search.low === null ? undefined : String(search.low),
		})) {
			chunk.pages.search++;
			// A list that has ended, or turned out not to climb, gives every record outside the range
			// searched so far. A page that comes after that is dropped, not read: the list's last 1,000
			// ids may no longer name every record it gave in this page's range.
			if (list.done || !list.ascending) return void (search.done = true);
			readSearch(page);
			// readSearch does not wait: the list is still neither done nor found unordered here.
			if (met) return;
			if (await haveMet()) return void (met = true);
			if (chunk.spent()) return;
		}
		search.done = true;
	};
	await Promise.all(parallelSearch ? [climb(), descend()] : [climb()]);
	return met || list.done;
}

/** HubSpot's count of records with an id below `floor` (one search call, no records read). */
async function countBelow(
	client: HubSpotClient,
	objectType: CrmObjectType,
	floor: number,
): Promise<number | undefined> {
	let total: number | undefined;
	const filterGroups = [
		{ filters: [{ propertyName: 'hs_object_id', operator: 'LT' as const, value: String(floor) }] },
	];
	const onTotal = (count: number) => ((total = count), false);
	for await (const page of searchAll(client, objectType, {
		filterGroups,
		properties: [],
		pageSize: 1,
		onTotal,
	}))
		void page;
	return total;
}
