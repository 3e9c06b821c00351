import type { ObjectType, PropertyDef, StoredRecord } from './store';

export interface Filter {
	propertyName: string;
	operator: string;
	value?: string | number | boolean;
	highValue?: string | number;
	values?: Array<string | number>;
}

/** HubSpot compares dates and numbers as numbers; filter values may be epoch ms or ISO strings. */
function numeric(value: unknown): number | undefined {
	if (value === null || value === undefined || value === '') return undefined;
	if (typeof value === 'number') return value;
	const text = String(value);
	if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
	const date = Date.parse(text);
	return Number.isNaN(date) ? undefined : date;
}

/** Compiles a filter once per request into a predicate (searches scan up to 100k records). */
export function compileFilter(filter: Filter, def: PropertyDef | undefined): (record: StoredRecord) => boolean {
	const name = filter.propertyName;
	const isNumeric = name === 'hs_object_id' || (def !== undefined && ['number', 'datetime', 'date'].includes(def.type));
	const target = (value: unknown) => (isNumeric ? numeric(value) : String(value ?? '').toLowerCase());
	const low = target(filter.value);
	const high = target(filter.highValue);
	const values = (filter.values ?? []).map(target);
	/** Sign of record value minus target, or undefined when either side is missing. */
	const compare = (raw: string | null | undefined, right: number | string | undefined): number | undefined => {
		if (raw === null || raw === undefined || right === undefined) return undefined;
		if (isNumeric) {
			const left = numeric(raw);
			return left === undefined ? undefined : left - (right as number);
		}
		return raw.toLowerCase().localeCompare(right as string);
	};
	const has = (raw: string | null | undefined) => raw !== null && raw !== undefined && raw !== '';
	switch (filter.operator) {
		case 'EQ':
			return (r) => compare(r.properties[name], low) === 0;
		case 'NEQ':
			return (r) => compare(r.properties[name], low) !== 0;
		case 'LT':
			return (r) => (compare(r.properties[name], low) ?? 0) < 0;
		case 'LTE':
			return (r) => (compare(r.properties[name], low) ?? 1) <= 0;
		case 'GT':
			return (r) => (compare(r.properties[name], low) ?? 0) > 0;
		case 'GTE':
			return (r) => (compare(r.properties[name], low) ?? -1) >= 0;
		case 'BETWEEN':
			return (r) => (compare(r.properties[name], low) ?? -1) >= 0 && (compare(r.properties[name], high) ?? 1) <= 0;
		case 'IN':
			return (r) => values.some((value) => compare(r.properties[name], value) === 0);
		case 'NOT_IN':
			return (r) => !values.some((value) => compare(r.properties[name], value) === 0);
		case 'HAS_PROPERTY':
			return (r) => has(r.properties[name]);
		case 'NOT_HAS_PROPERTY':
			return (r) => !has(r.properties[name]);
		case 'CONTAINS_TOKEN':
			return (r) => has(r.properties[name]) && tokenMatch(String(r.properties[name]), String(filter.value ?? ''));
		case 'NOT_CONTAINS_TOKEN':
			return (r) => !has(r.properties[name]) || !tokenMatch(String(r.properties[name]), String(filter.value ?? ''));
		default:
			throw new Error(`Unsupported operator ${filter.operator}`);
	}
}

/** The lowest id a search can match when every group bounds hs_object_id from below. */
export function idFloorOf(groups: Array<{ filters: Filter[] }>): number | undefined {
	if (!groups.length) return undefined;
	let floor = Infinity;
	for (const group of groups) {
		const bound = (group.filters ?? [])
			.filter((f) => f.propertyName === 'hs_object_id' && (f.operator === 'GT' || f.operator === 'GTE'))
			.map((f) => Number(f.value) + (f.operator === 'GT' ? 1 : 0));
		if (!bound.length) return undefined;
		floor = Math.min(floor, Math.max(...bound));
	}
	return Number.isFinite(floor) ? floor : undefined;
}

function tokenMatch(text: string, token: string): boolean {
	const pattern = new RegExp(`^${token.toLowerCase().replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
	return text
		.toLowerCase()
		.split(/[\s@.,;]+/)
		.concat(text.toLowerCase())
		.some((word) => pattern.test(word));
}

export const KNOWN_OPERATORS = new Set([
	'EQ', 'NEQ', 'LT', 'LTE', 'GT', 'GTE', 'BETWEEN', 'IN', 'NOT_IN', 'HAS_PROPERTY', 'NOT_HAS_PROPERTY', 'CONTAINS_TOKEN', 'NOT_CONTAINS_TOKEN',
]);

export interface SortRule {
	propertyName: string;
	descending: boolean;
}

/**
 * A sort rule in the form HubSpot's search guide documents, `{ propertyName, direction }`. The
 * 2026-03 spec types sorts as strings, but no HubSpot document says how a string sorts, and reports
 * against HubSpot's own clients say other forms were ignored: a string is no rule (undefined), and
 * the search keeps its default order (ascending ids), the pessimistic reading.
 */
export function parseSort(sort: unknown): SortRule | undefined {
	if (!sort || typeof sort !== 'object' || typeof (sort as { propertyName?: unknown }).propertyName !== 'string') return undefined;
	const { propertyName, direction } = sort as { propertyName: string; direction?: string };
	return { propertyName, descending: direction === 'DESCENDING' };
}

/**
 * The properties a search's `query` looks in: HubSpot's "default searchable properties" per object
 * (the search guide). Object types not listed here have no documented list: a query on them is refused.
 */
export const QUERY_PROPERTIES: Partial<Record<ObjectType, string[]>> = {
	contacts: ['firstname', 'lastname', 'email', 'phone', 'hs_additional_emails', 'fax', 'mobilephone', 'company', 'hs_marketable_until_renewal'],
	companies: ['website', 'phone', 'name', 'domain'],
	deals: ['dealname', 'pipeline', 'dealstage', 'description', 'dealtype'],
};

/** HubSpot's limit on a query's length (the spec: "up to 3000 characters"). */
export const QUERY_MAX_LENGTH = 3_000;

/**
 * A search `query` as a predicate: every word of the query must begin a word of one of the
 * searchable properties, or the whole value (so "ann@example.com" finds that email, not
 * "joann@example.com"), ignoring case. HubSpot does not document how `query` matches: word
 * prefixes are this emulator's reading, unverified.
 */
export function compileQuery(query: string, properties: string[]): (record: StoredRecord) => boolean {
	const words = query.toLowerCase().split(/\s+/).filter(Boolean);
	return (record) => {
		const tokens = properties.flatMap((name) => {
			const value = record.properties[name];
			if (value === null || value === undefined || value === '') return [];
			const text = value.toLowerCase();
			return [text, ...text.split(/[\s@.,;:/()+\-_]+/).filter(Boolean)];
		});
		return words.every((word) => tokens.some((token) => token.startsWith(word)));
	};
}

/** The highest id a search can match when every group bounds hs_object_id from above. */
export function idCeilingOf(groups: Array<{ filters: Filter[] }>): number | undefined {
	if (!groups.length) return undefined;
	let ceiling = -Infinity;
	for (const group of groups) {
		const bound = (group.filters ?? [])
			.filter((f) => f.propertyName === 'hs_object_id' && (f.operator === 'LT' || f.operator === 'LTE'))
			.map((f) => Number(f.value) - (f.operator === 'LT' ? 1 : 0));
		if (!bound.length) return undefined;
		ceiling = Math.max(ceiling, Math.min(...bound));
	}
	return Number.isFinite(ceiling) ? ceiling : undefined;
}
