/**
 * Turning an incoming value into the string HubSpot stores for a property of a given type, and
 * comparing two values the way HubSpot means them (10 = 10.0, the same instant in two formats).
 * Pure; a value that cannot be converted is a ValueError naming what is wrong and what would do.
 */
import { DateTime } from 'luxon';

import type { PropertyDefinition } from './properties';

export class ValueError extends Error {
	constructor(
		message: string,
		readonly hint: string,
	) {
		super(message);
	}
}

/** A blank value never overwrites anything: null, undefined, '' and whitespace. */
export function isBlank(value: unknown): boolean {
	return (
		value === null ||
		value === undefined ||
		(typeof value === 'string' && value.trim() === '') ||
		(Array.isArray(value) && value.length === 0)
	);
}

const TRUE_WORDS = new Set(['true', 'yes', 'y', '1', 'on', 'はい']);
const FALSE_WORDS = new Set(['false', 'no', 'n', '0', 'off', 'いいえ']);

function toBoolean(raw: unknown): string {
	if (typeof raw === 'boolean') return String(raw);
	const word = String(raw).trim().toLowerCase();
	if (TRUE_WORDS.has(word)) return 'true';
	if (FALSE_WORDS.has(word)) return 'false';
	throw new ValueError(
		`"${String(raw)}" is not a yes/no value`,
		'Use true or false (yes/no, 1/0 also work).',
	);
}

function toNumber(raw: unknown): string {
	const number =
		typeof raw === 'number'
			? raw
			: typeof raw === 'string' && raw.trim() !== ''
				? Number(raw.trim())
				: NaN;
	if (!Number.isFinite(number))
		throw new ValueError(
			`"${String(raw)}" is not a number`,
			'Use digits with a dot for decimals, without thousands separators (e.g. 1234.5).',
		);
	return String(number);
}

function toInstant(raw: unknown): DateTime {
	let at: DateTime;
	if (raw instanceof Date) at = DateTime.fromJSDate(raw);
	else if (typeof raw === 'number' || (typeof raw === 'string' && /^\d{10,}$/.test(raw.trim())))
		at = DateTime.fromMillis(Number(raw));
	else if (DateTime.isDateTime(raw)) at = raw;
	else at = DateTime.fromISO(String(raw).trim(), { zone: 'utc' });
	if (!at.isValid)
		throw new ValueError(
			`"${String(raw)}" is not a date`,
			'Use ISO 8601 (2026-12-01 or 2026-12-01T10:00:00+09:00) or epoch milliseconds.',
		);
	return at;
}

function toOptions(definition: PropertyDefinition, raw: unknown): string {
	const options = definition.options ?? [];
	const multiple = definition.fieldType === 'checkbox';
	const wanted = Array.isArray(raw)
		? raw.map(String)
		: multiple
			? String(raw).split(';')
			: [String(raw)];
	const values = wanted
		.map((text) => text.trim())
		.filter(Boolean)
		.map((text) => {
			const lower = text.toLowerCase();
			const option =
				options.find((o) => o.value === text) ??
				options.find((o) => o.value.toLowerCase() === lower || o.label.toLowerCase() === lower);
			if (!option) {
				const allowed = options
					.slice(0, 10)
					.map((o) => `${o.label} (${o.value})`)
					.join(', ');
				throw new ValueError(
					`"${text}" is not an option of ${definition.name}`,
					`Use one of: ${allowed}${options.length > 10 ? ', …' : ''}.`,
				);
			}
			return option.value;
		});
	if (!multiple && values.length > 1)
		throw new ValueError(
			`${definition.name} takes one option, got ${values.length}`,
			'Send a single value.',
		);
	return values.join(';');
}

/** The value as HubSpot stores it for this property; throws ValueError when it cannot be. */
export function toHubSpotValue(definition: PropertyDefinition, raw: unknown): string {
	switch (definition.type) {
		case 'bool':
			return toBoolean(raw);
		case 'number':
			return toNumber(raw);
		case 'date':
			return toInstant(raw).toUTC().toISODate()!;
		case 'datetime':
			return toInstant(raw).toUTC().toISO({ suppressMilliseconds: false })!;
		case 'enumeration':
			return definition.options?.length ? toOptions(definition, raw) : String(raw);
		default:
			if (typeof raw === 'object' && raw !== null && !(raw instanceof Date)) {
				throw new ValueError(
					'is a list or an object, not text',
					'Map a single text value (e.g. {{ $json.address.city }}), or join a list with .join(", ").',
				);
			}
			return raw instanceof Date ? raw.toISOString() : String(raw);
	}
}

/** Whether HubSpot's stored value already says what the incoming (converted) value says. */
export function sameValue(
	definition: PropertyDefinition | undefined,
	incoming: string,
	stored: string | null | undefined,
): boolean {
	if (stored === null || stored === undefined) return false;
	switch (definition?.type) {
		case 'number':
			return Number(incoming) === Number(stored);
		case 'datetime':
			return Date.parse(incoming) === (/^\d+$/.test(stored) ? Number(stored) : Date.parse(stored));
		case 'date':
			return (
				incoming.slice(0, 10) ===
				(/^\d+$/.test(stored) ? new Date(Number(stored)).toISOString() : stored).slice(0, 10)
			);
		case 'bool':
			return incoming.toLowerCase() === stored.toLowerCase();
		case 'enumeration':
			return [...incoming.split(';')].sort().join(';') === [...stored.split(';')].sort().join(';');
		default:
			return incoming === stored;
	}
}
