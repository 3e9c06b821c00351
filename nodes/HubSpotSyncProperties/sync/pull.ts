/**
 * Reading every record of a type (full) or the ones changed since a cursor (incremental), as fast
 * as HubSpot's budgets allow: in a full pull the list endpoint (standard budget, 100 per page)
 * climbs from the lowest id while the search endpoint (its own 5/s budget, 200 per page) descends
 * from the highest, and they stop where they meet. Together they use both budgets. The search's
 * order is documented (sorted by hs_object_id); the list's is not (its `after` is an opaque
 * cursor), so the meeting is only trusted while the list does climb, and is checked by count.
 */
import type { HubSpotClient } from '../../shared/transport/client';
import { listAll, searchAll, type CrmRecord } from '../../shared/transport/pagination';
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
	now?: () => number;
}

export interface PullSummary {
	objectType: CrmObjectType;
	mode: 'full' | 'incremental';
	records: number;
	listPages: number;
	searchPages: number;
	since: string | null;
	newCursor: string;
	durationMs: number;
}

const idOf = (record: CrmRecord) => Number(record.id);

/** Emits records page by page through `onPage` (so callers never hold more than they output). */
export async function pull(
	client: HubSpotClient,
	options: PullOptions,
	onPage: (records: CrmRecord[], mode: PullSummary['mode']) => void,
): Promise<PullSummary> {
	const now = options.now ?? Date.now;
	const started = now();
	const modified = lastModifiedProperty(options.objectType);
	const properties = [...new Set([...options.properties, modified])];
	const seen = new Set<string>();
	let maxModified = -Infinity;
	let records = 0;
	let mode: PullSummary['mode'] = options.since === undefined ? 'full' : 'incremental';
	const emit = (page: CrmRecord[]): CrmRecord[] => {
		const fresh = page.filter((record) => !seen.has(record.id));
		for (const record of fresh) {
			seen.add(record.id);
			const at = Date.parse(String(record.properties[modified] ?? record.updatedAt ?? ''));
			if (!Number.isNaN(at)) maxModified = Math.max(maxModified, at);
		}
		records += fresh.length;
		if (fresh.length) onPage(fresh, mode);
		return fresh;
	};
	let listPages = 0;
	let searchPages = 0;
	if (options.since !== undefined) {
		const filterGroups = [
			{
				filters: [
					{ propertyName: modified, operator: 'GTE' as const, value: String(options.since) },
				],
			},
		];
		// HubSpot's total on the first page decides: few changes are read here, many switch to full.
		const onTotal = (total: number) => {
			if (options.fullAbove !== undefined && total > options.fullAbove) mode = 'full';
			return mode === 'incremental';
		};
		for await (const page of searchAll(client, options.objectType, {
			filterGroups,
			properties,
			onTotal,
		})) {
			searchPages++;
			emit(page);
		}
	}
	if (mode === 'full') {
		const pages = await fullPull(
			client,
			options.objectType,
			properties,
			options.parallelSearch,
			emit,
			seen,
		);
		listPages += pages.listPages;
		searchPages += pages.searchPages;
	}
	// Nothing changed during the run is lost: never beyond the run's start, minus the lookback.
	const cursor =
		Math.min(Number.isFinite(maxModified) ? maxModified : started, started) - options.lookbackMs;
	return {
		objectType: options.objectType,
		mode,
		records,
		listPages,
		searchPages,
		since: options.since === undefined ? null : new Date(options.since).toISOString(),
		newCursor: new Date(
			mode === 'full' ? started - options.lookbackMs : Math.max(cursor, options.since!),
		).toISOString(),
		durationMs: now() - started,
	};
}

/**
 * Where the two halves of a full pull have got to. The search descends sorted, so every record from
 * `searchLow` up has been read; the list's order is HubSpot's, so its records prove a range only
 * while each came with a higher id than the one before (`ascending`).
 */
interface Meeting {
	listHigh: number;
	ascending: boolean;
	listDone: boolean;
	searchLow: number;
	/** From the search's first page: its highest id, and HubSpot's total of records up to it. */
	top?: number;
	total?: number;
	/** Records read (by either half) with an id up to `top`. */
	counted: number;
	/**
	 * HubSpot's count below the meeting point against what was read, asked once when the totals
	 * differ.
	 */
	check?: Promise<boolean>;
}

/**
 * A full pull: the list climbs, the search descends, each page emitted once (emit drops repeats).
 * They stop where they meet, once the meeting is proven: the list has climbed past the search's
 * lowest id with ascending ids throughout, and every record the search counted at the start has
 * been read (or, when one went away meanwhile, HubSpot's count below the meeting point says the
 * list has them all). A list that turns out not to climb is read to its end, since only its end
 * then proves that nothing is left below the search; the search stops, as the list reads
 * everything.
 */
async function fullPull(
	client: HubSpotClient,
	objectType: CrmObjectType,
	properties: string[],
	parallelSearch: boolean,
	emit: (page: CrmRecord[]) => CrmRecord[],
	seen: ReadonlySet<string>,
): Promise<{ listPages: number; searchPages: number }> {
	const meeting: Meeting = {
		listHigh: -Infinity,
		ascending: true,
		listDone: false,
		searchLow: Infinity,
		counted: 0,
	};
	let listPages = 0;
	let searchPages = 0;
	const read = (page: CrmRecord[]) => {
		const fresh = emit(page);
		if (meeting.top !== undefined)
			meeting.counted += fresh.filter((record) => idOf(record) <= meeting.top!).length;
	};
	const verify = async (floor: number) => {
		searchPages++;
		const below = await countBelow(client, objectType, floor);
		return below !== undefined && countSeen(seen, (id) => id < floor) >= below;
	};
	const climb = async () => {
		for await (const page of listAll(client, objectType, properties)) {
			listPages++;
			for (const record of page) {
				if (idOf(record) <= meeting.listHigh) meeting.ascending = false;
				meeting.listHigh = Math.max(meeting.listHigh, idOf(record));
			}
			read(page);
			if (await met(meeting, verify)) return;
		}
		meeting.listDone = true;
	};
	const descend = async () => {
		const onTotal = (total: number) => ((meeting.total = total), true);
		for await (const page of searchAll(client, objectType, {
			properties,
			descending: true,
			onTotal,
		})) {
			searchPages++;
			if (meeting.top === undefined) {
				const top = idOf(page[0]);
				meeting.top = top;
				meeting.counted = countSeen(seen, (id) => id <= top);
			}
			meeting.searchLow = Math.min(meeting.searchLow, idOf(page[page.length - 1]));
			read(page);
			if (meeting.listDone || !meeting.ascending || (await met(meeting, verify))) return;
		}
	};
	await Promise.all(parallelSearch ? [climb(), descend()] : [climb()]);
	return { listPages, searchPages };
}

/** Whether the halves have met, and the meeting is proven (see fullPull). */
async function met(
	meeting: Meeting,
	verify: (floor: number) => Promise<boolean>,
): Promise<boolean> {
	if (!meeting.ascending || meeting.listHigh < meeting.searchLow) return false;
	if (meeting.total !== undefined && meeting.counted >= meeting.total) return true;
	meeting.check ??= verify(meeting.searchLow);
	const proven = await meeting.check;
	// Records below the meeting point that the climbing list did not return: it is not one climb.
	if (!proven) meeting.ascending = false;
	return proven;
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

function countSeen(seen: ReadonlySet<string>, within: (id: number) => boolean): number {
	let count = 0;
	for (const id of seen) if (within(Number(id))) count++;
	return count;
}
