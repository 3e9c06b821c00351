import type { PropertyDef, StoredRecord } from './store';

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

export function matchesFilter(record: StoredRecord, filter: Filter, def: PropertyDef | undefined): boolean {
	const raw = record.properties[filter.propertyName];
	const isNumeric = filter.propertyName === 'hs_object_id' || (def && ['number', 'datetime', 'date'].includes(def.type));
	const text = raw === null || raw === undefined ? undefined : String(raw);
	const compare = (target: unknown): number | undefined => {
		if (text === undefined) return undefined;
		if (isNumeric) {
			const left = numeric(text);
			const right = numeric(target);
			return left === undefined || right === undefined ? undefined : left - right;
		}
		return text.toLowerCase().localeCompare(String(target).toLowerCase());
	};
	switch (filter.operator) {
		case 'EQ':
			return compare(filter.value) === 0;
		case 'NEQ':
			return compare(filter.value) !== 0;
		case 'LT':
			return (compare(filter.value) ?? 0) < 0 && text !== undefined;
		case 'LTE':
			return (compare(filter.value) ?? 1) <= 0 && text !== undefined;
		case 'GT':
			return (compare(filter.value) ?? 0) > 0;
		case 'GTE':
			return (compare(filter.value) ?? -1) >= 0 && text !== undefined;
		case 'BETWEEN':
			return text !== undefined && (compare(filter.value) ?? -1) >= 0 && (compare(filter.highValue) ?? 1) <= 0;
		case 'IN':
			return (filter.values ?? []).some((value) => compare(value) === 0);
		case 'NOT_IN':
			return !(filter.values ?? []).some((value) => compare(value) === 0);
		case 'HAS_PROPERTY':
			return text !== undefined && text !== '';
		case 'NOT_HAS_PROPERTY':
			return text === undefined || text === '';
		case 'CONTAINS_TOKEN':
			return text !== undefined && tokenMatch(text, String(filter.value ?? ''));
		case 'NOT_CONTAINS_TOKEN':
			return text === undefined || !tokenMatch(text, String(filter.value ?? ''));
		default:
			throw new Error(`Unsupported operator ${filter.operator}`);
	}
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

/** A sort given as the 2026-03 spec's string ("name" or "-name") or as v3's object. */
export function parseSort(sort: unknown): { propertyName: string; descending: boolean } | undefined {
	if (typeof sort === 'string') {
		return sort.startsWith('-') ? { propertyName: sort.slice(1), descending: true } : { propertyName: sort, descending: false };
	}
	if (sort && typeof sort === 'object' && 'propertyName' in sort) {
		const { propertyName, direction } = sort as { propertyName: string; direction?: string };
		return { propertyName, descending: direction === 'DESCENDING' };
	}
	return undefined;
}
