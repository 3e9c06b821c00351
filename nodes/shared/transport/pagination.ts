import type { IDataObject } from 'n8n-workflow';

import type { HubSpotClient, HubSpotRequest, Outcome } from './client';
import type { HubSpotFailure } from './errors';
import { hubspotPaths, type CrmObjectType } from './paths';

/** HubSpot's page and batch sizes. */
export const LIST_PAGE_SIZE = 100;
export const SEARCH_PAGE_SIZE = 200;
export const BATCH_SIZE = 100;
/** A search can page through at most 10,000 results; past that HubSpot answers 400. */
export const SEARCH_RESULT_CAP = 10_000;
/** Above this many characters of property names, a GET URL risks HubSpot's 414. */
export const MAX_PROPERTIES_QUERY_LENGTH = 2_000;

export interface CrmRecord extends IDataObject {
	id: string;
	properties: Record<string, string | null>;
	createdAt?: string;
	updatedAt?: string;
	archived?: boolean;
}

interface Paged<T> {
	results: T[];
	paging?: { next?: { after?: string } };
}

export interface SearchFilter {
	propertyName: string;
	operator:
		| 'EQ'
		| 'NEQ'
		| 'LT'
		| 'LTE'
		| 'GT'
		| 'GTE'
		| 'BETWEEN'
		| 'IN'
		| 'NOT_IN'
		| 'HAS_PROPERTY'
		| 'NOT_HAS_PROPERTY'
		| 'CONTAINS_TOKEN'
		| 'NOT_CONTAINS_TOKEN';
	value?: string;
	highValue?: string;
	values?: string[];
}

export interface SearchQuery {
	/** OR of groups, AND within a group. Empty: every record. */
	filterGroups?: Array<{ filters: SearchFilter[] }>;
	properties?: string[];
	/** Extra sort keys are not supported: paging past the cap needs hs_object_id order. */
	pageSize?: number;
	/** Highest ids first (a pull that meets a list coming up from the lowest). */
	descending?: boolean;
	/** Told HubSpot's total of the first page; answering false stops before anything is yielded. */
	onTotal?: (total: number) => boolean;
	/**
	 * Start past this record id (above it ascending, below it descending): where an earlier read
	 * stopped. HubSpot's total is then not asked for (`onTotal` is not called).
	 */
	pastId?: string;
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
	const chunks: T[][] = [];
	for (let start = 0; start < items.length; start += size)
		chunks.push(items.slice(start, start + size));
	return chunks;
}

/** One page of the list endpoint (up to 100 records) and the cursor of the next, if any. */
export async function listPage(
	client: HubSpotClient,
	objectType: CrmObjectType,
	properties: string[],
	after: string | undefined,
): Promise<{ records: CrmRecord[]; after?: string }> {
	// A long property list would overflow the URL (414): then the page lists only ids and the
	// properties come from one POST batch read.
	const tooLongForUrl = properties.join(',').length > MAX_PROPERTIES_QUERY_LENGTH;
	const qs: IDataObject = { limit: LIST_PAGE_SIZE, archived: false };
	if (after) qs.after = after;
	if (properties.length && !tooLongForUrl) qs.properties = properties.join(',');
	const page = await client.request<Paged<CrmRecord>>({
		method: 'GET',
		path: hubspotPaths.objects(objectType),
		qs,
	});
	const records = tooLongForUrl
		? await batchRead(
				client,
				objectType,
				page.results.map((record) => record.id),
				properties,
			)
		: page.results;
	return { records, after: page.paging?.next?.after };
}

/**
 * Every record matching a search, past HubSpot's 10,000-result cap: results are sorted by
 * hs_object_id, and when the next page would cross the cap the query restarts from the last id
 * seen (`hs_object_id > last`, or `<` when descending), added to every filter group.
 */
export async function* searchAll(
	client: HubSpotClient,
	objectType: CrmObjectType,
	query: SearchQuery,
): AsyncGenerator<CrmRecord[]> {
	const pageSize = query.pageSize ?? SEARCH_PAGE_SIZE;
	let lastId: string | undefined = query.pastId;
	let offset = 0;
	let after: string | undefined;
	for (;;) {
		const page = await client.request<Paged<CrmRecord> & { total?: number }>({
			method: 'POST',
			path: hubspotPaths.search(objectType),
			body: {
				filterGroups: withIdBound(query.filterGroups ?? [], lastId, query.descending ? 'LT' : 'GT'),
				// HubSpot's search guide documents a sort as an object; a string it cannot read is ignored
				// (default order), which would turn the descending half of a full pull into a second climb.
				sorts: [idSort(query.descending)],
				properties: query.properties ?? [],
				limit: pageSize,
				...(after ? { after } : {}),
			} as IDataObject,
		});
		if (
			query.onTotal &&
			lastId === undefined &&
			offset === 0 &&
			!after &&
			query.onTotal(page.total ?? page.results.length) === false
		)
			return;
		if (page.results.length) yield page.results;
		after = page.paging?.next?.after;
		if (!after || page.results.length === 0) return;
		offset += page.results.length;
		if (offset + pageSize > SEARCH_RESULT_CAP) {
			lastId = page.results[page.results.length - 1].id;
			offset = 0;
			after = undefined;
		}
	}
}

/**
 * The sort rule paging past the cap rests on: by record id, in HubSpot's documented object form.
 */
export function idSort(descending = false): {
	propertyName: 'hs_object_id';
	direction: 'ASCENDING' | 'DESCENDING';
} {
	return { propertyName: 'hs_object_id', direction: descending ? 'DESCENDING' : 'ASCENDING' };
}

function withIdBound(
	filterGroups: Array<{ filters: SearchFilter[] }>,
	lastId: string | undefined,
	operator: 'GT' | 'LT',
): Array<{ filters: SearchFilter[] }> {
	if (lastId === undefined) return filterGroups;
	const floor: SearchFilter = { propertyName: 'hs_object_id', operator, value: lastId };
	if (!filterGroups.length) return [{ filters: [floor] }];
	return filterGroups.map((group) => ({ filters: [...group.filters, floor] }));
}

/** Reads records by id (or by a unique property such as email), 100 per call, by POST. */
export async function batchRead(
	client: HubSpotClient,
	objectType: CrmObjectType,
	ids: string[],
	properties: string[],
	idProperty?: string,
): Promise<CrmRecord[]> {
	const records: CrmRecord[] = [];
	for (const ids100 of chunk(ids, BATCH_SIZE)) {
		const answer = await client.request<{ results: CrmRecord[] }>({
			method: 'POST',
			path: hubspotPaths.batch(objectType, 'read'),
			body: {
				inputs: ids100.map((id) => ({ id })),
				properties,
				propertiesWithHistory: [],
				...(idProperty ? { idProperty } : {}),
			},
		});
		records.push(...answer.results);
	}
	return records;
}

/** Every page of a list endpoint that pages with `after` (owners, pipelines' stages, ...). */
export async function listPaged<T>(
	client: HubSpotClient,
	path: string,
	qs: IDataObject = {},
): Promise<T[]> {
	const all: T[] = [];
	let after: string | undefined;
	// Bounded: HubSpot's owner and team lists are small; 1,000 pages is far past any real account.
	for (let page = 0; page < 1000; page++) {
		const answer = await client.request<Paged<T>>({
			method: 'GET',
			path,
			qs: { limit: LIST_PAGE_SIZE, ...qs, ...(after ? { after } : {}) },
		});
		all.push(...(answer.results ?? []));
		after = answer.paging?.next?.after;
		if (!after) break;
	}
	return all;
}

/** One input of a batch write that HubSpot did not apply, with its reason. */
export interface BatchInputError {
	category: string;
	message: string;
	/** Ids (or unique values) of the inputs concerned, when HubSpot names them. */
	ids: string[];
}

/** HubSpot's per-input errors of a batch answer, in one shape. */
export function batchInputErrors(
	errors: Array<{ category?: string; message?: string; context?: { ids?: string[] } }> | undefined,
): BatchInputError[] {
	return (errors ?? []).map((error) => ({
		category: error.category ?? 'UNKNOWN',
		message: error.message ?? '',
		ids: error.context?.ids ?? [],
	}));
}

/**
 * What HubSpot answers to a batch create, update or upsert: the records written and, on 207, the
 * inputs it did not apply.
 */
export interface BatchWriteAnswer {
	results?: CrmRecord[];
	errors?: Array<{
		category?: string;
		message?: string;
		context?: { ids?: string[]; objectWriteTraceId?: string[] };
	}>;
}

export type BatchWriteAction = 'create' | 'update' | 'upsert';

/**
 * One batch write request (at most 100 inputs). Updates and upserts by a unique key are
 * idempotent, so they are retried like reads; creates are not (a resend could create twice).
 */
function batchWriteRequest(
	objectType: CrmObjectType,
	action: BatchWriteAction,
	inputs: IDataObject[],
): HubSpotRequest {
	return {
		method: 'POST',
		path: hubspotPaths.batch(objectType, action),
		body: { inputs },
		idempotent: action !== 'create',
	};
}

/**
 * Sends one batch of at most 100 writes. A failure whose code is `expected` is answered as the
 * outcome's failure instead of thrown, so a caller can resend a batch HubSpot refused whole
 * (VALIDATION, CONFLICT) one record at a time.
 */
export async function attemptBatchWrite(
	client: HubSpotClient,
	objectType: CrmObjectType,
	action: BatchWriteAction,
	inputs: IDataObject[],
	expected: HubSpotFailure['code'][],
): Promise<Outcome<BatchWriteAnswer>> {
	return await client.attempt<BatchWriteAnswer>(
		batchWriteRequest(objectType, action, inputs),
		expected,
	);
}

export interface BatchWriteResult {
	results: CrmRecord[];
	errors: BatchInputError[];
	/** HubSpot calls made (one per chunk of 100). */
	calls: number;
}

/**
 * Batch create, update or upsert in chunks of 100. HubSpot answers 207 with per-input errors
 * when part of a batch fails: those are collected, not thrown, so the caller can report each
 * item. Updates and upserts by a unique key are idempotent, so they are retried like reads;
 * creates are not.
 */
export async function batchWrite(
	client: HubSpotClient,
	objectType: CrmObjectType,
	action: BatchWriteAction,
	inputs: IDataObject[],
): Promise<BatchWriteResult> {
	const outcome: BatchWriteResult = { results: [], errors: [], calls: 0 };
	for (const inputs100 of chunk(inputs, BATCH_SIZE)) {
		const answer = await client.request<BatchWriteAnswer>(
			batchWriteRequest(objectType, action, inputs100),
		);
		outcome.calls++;
		outcome.results.push(...(answer.results ?? []));
		outcome.errors.push(...batchInputErrors(answer.errors));
	}
	return outcome;
}

/**
 * Archives (HubSpot's delete) records by id, 100 per call. Archiving an archived record is a no-op,
 * so it may be resent.
 */
export async function batchArchive(
	client: HubSpotClient,
	objectType: CrmObjectType,
	ids: string[],
): Promise<number> {
	let calls = 0;
	for (const ids100 of chunk(ids, BATCH_SIZE)) {
		await client.request({
			method: 'POST',
			path: hubspotPaths.batch(objectType, 'archive'),
			body: { inputs: ids100.map((id) => ({ id })) },
			idempotent: true,
		});
		calls++;
	}
	return calls;
}
