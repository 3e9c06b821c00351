/**
 * Reading every record of a type (full) or the ones changed since a cursor (incremental), as fast
 * as HubSpot's budgets allow: in a full pull the list endpoint (standard budget, 100 per page)
 * climbs from the lowest id while the search endpoint (its own 5/s budget, 200 per page)
 * descends from the highest, and they stop where they meet. Together they use both budgets.
 */
import type { HubSpotClient } from './transport/client';
import { listAll, searchAll, type CrmRecord } from './transport/pagination';
import type { CrmObjectType } from './transport/paths';

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
export async function pull(client: HubSpotClient, options: PullOptions, onPage: (records: CrmRecord[], mode: PullSummary['mode']) => void): Promise<PullSummary> {
	const now = options.now ?? Date.now;
	const started = now();
	const modified = lastModifiedProperty(options.objectType);
	const properties = [...new Set([...options.properties, modified])];
	const seen = new Set<string>();
	let maxModified = -Infinity;
	let records = 0;
	let mode: PullSummary['mode'] = options.since === undefined ? 'full' : 'incremental';
	const emit = (page: CrmRecord[]) => {
		const fresh = page.filter((record) => !seen.has(record.id));
		for (const record of fresh) {
			seen.add(record.id);
			const at = Date.parse(String(record.properties[modified] ?? record.updatedAt ?? ''));
			if (!Number.isNaN(at)) maxModified = Math.max(maxModified, at);
		}
		records += fresh.length;
		if (fresh.length) onPage(fresh, mode);
	};
	let listPages = 0;
	let searchPages = 0;
	if (options.since !== undefined) {
		const filterGroups = [{ filters: [{ propertyName: modified, operator: 'GTE' as const, value: String(options.since) }] }];
		// HubSpot's total on the first page decides: few changes are read here, many switch to full.
		const onTotal = (total: number) => {
			if (options.fullAbove !== undefined && total > options.fullAbove) mode = 'full';
			return mode === 'incremental';
		};
		for await (const page of searchAll(client, options.objectType, { filterGroups, properties, onTotal })) {
			searchPages++;
			emit(page);
		}
	}
	if (mode === 'full') {
		// Where each side has got to: the list climbs, the search descends.
		let listHigh = -Infinity;
		let searchLow = Infinity;
		const climb = async () => {
			for await (const page of listAll(client, options.objectType, properties)) {
				listPages++;
				const below = page.filter((record) => idOf(record) < searchLow);
				emit(below);
				if (page.length) listHigh = Math.max(listHigh, idOf(page[page.length - 1]));
				if (below.length < page.length) return;
			}
		};
		const descend = async () => {
			for await (const page of searchAll(client, options.objectType, { properties, descending: true })) {
				searchPages++;
				const above = page.filter((record) => idOf(record) > listHigh);
				emit(above);
				if (page.length) searchLow = Math.min(searchLow, idOf(page[page.length - 1]));
				if (above.length < page.length) return;
			}
		};
		await Promise.all(options.parallelSearch ? [climb(), descend()] : [climb()]);
	}
	// Nothing changed during the run is lost: never beyond the run's start, minus the lookback.
	const cursor = Math.min(Number.isFinite(maxModified) ? maxModified : started, started) - options.lookbackMs;
	return {
		objectType: options.objectType,
		mode,
		records,
		listPages,
		searchPages,
		since: options.since === undefined ? null : new Date(options.since).toISOString(),
		newCursor: new Date(mode === 'full' ? started - options.lookbackMs : Math.max(cursor, options.since!)).toISOString(),
		durationMs: now() - started,
	};
}
