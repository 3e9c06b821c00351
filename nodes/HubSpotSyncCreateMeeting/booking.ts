/**
 * Pure logic of a booking: reading and checking its fields, rendering the title and body
 * templates, and which meeting types sync. No HubSpot calls here.
 */
import { DateTime } from 'luxon';

import { emailKey, isValidEmail } from '../shared/matching';

/** HubSpot's limit for a text property value. */
export const MAX_TEXT_LENGTH = 65_536;

export const MEETING_OUTCOMES = [
	'SCHEDULED',
	'COMPLETED',
	'RESCHEDULED',
	'NO_SHOW',
	'CANCELED',
] as const;

/** A field of the booking that failed a check: the node turns it into a NodeOperationError. */
export class BookingFieldError extends Error {
	constructor(
		readonly field: string,
		message: string,
		readonly hint: string,
	) {
		super(message);
	}
}

export function normalizeEmail(raw: unknown): string {
	const email = emailKey(raw);
	if (!email)
		throw new BookingFieldError(
			'Guest Email',
			'The guest email is empty',
			'Map the booking’s email address into "Guest Email".',
		);
	if (!isValidEmail(email)) {
		throw new BookingFieldError(
			'Guest Email',
			`"${String(raw)}" is not a valid email address`,
			'Check the booking form: the email needs a name, an @ and a domain.',
		);
	}
	return email;
}

/**
 * A booking time: ISO 8601 with an offset, ISO without one (read in `zone`), or epoch milliseconds.
 */
export function parseBookingTime(raw: unknown, field: string, zone: string): DateTime {
	const hint = 'Use ISO 8601 such as 2026-12-01T10:00:00+09:00, or epoch milliseconds.';
	if (raw === undefined || raw === null || raw === '')
		throw new BookingFieldError(field, `${field} is empty`, hint);
	if (typeof raw === 'number' || (typeof raw === 'string' && /^\d{10,}$/.test(raw.trim()))) {
		const time = DateTime.fromMillis(Number(raw), { zone });
		if (time.isValid) return time;
	}
	if (typeof raw === 'string') {
		const time = DateTime.fromISO(raw.trim(), { zone, setZone: true });
		if (time.isValid) return time;
		throw new BookingFieldError(
			field,
			`${field} "${raw}" is not a valid time (${time.invalidExplanation ?? time.invalidReason})`,
			hint,
		);
	}
	throw new BookingFieldError(
		field,
		`${field} must be a text or a number, not ${typeof raw}`,
		hint,
	);
}

export function checkTimeZone(zone: string): string {
	if (!DateTime.local().setZone(zone).isValid) {
		throw new BookingFieldError(
			'Time Zone',
			`"${zone}" is not a time zone`,
			'Use an IANA name such as Asia/Tokyo or Europe/Berlin.',
		);
	}
	return zone;
}

export function checkTimes(start: DateTime, end: DateTime): void {
	if (end <= start) {
		throw new BookingFieldError(
			'End Time',
			`The meeting ends (${end.toISO()}) before or when it starts (${start.toISO()})`,
			'Check the booking’s start and end times.',
		);
	}
}

/** "All" (empty or *) or a list separated by commas or new lines; matched case-insensitively. */
export function isMeetingTypeEnabled(meetingType: string, enabledTypes: string): boolean {
	const listed = enabledTypes
		.split(/[,\n]/)
		.map((type) => type.trim().toLowerCase())
		.filter(Boolean);
	if (!listed.length || listed.includes('*')) return true;
	return listed.includes(meetingType.trim().toLowerCase());
}

/**
 * Fills {{placeholder}} from the values; an unknown placeholder is an error naming the field,
 * so that a typo is caught before HubSpot shows "{{gestName}}" to a salesperson.
 */
export function renderTemplate(
	template: string,
	values: Record<string, string>,
	field: string,
): string {
	return template.replace(/\{\{\s*([A-Za-z][\w.]*)\s*\}\}/g, (_, key: string) => {
		if (!(key in values)) {
			throw new BookingFieldError(
				field,
				`Unknown placeholder {{${key}}} in ${field}`,
				`Available placeholders: ${Object.keys(values)
					.map((name) => `{{${name}}}`)
					.join(', ')}.`,
			);
		}
		return values[key];
	});
}

export function checkLength(value: string, field: string): string {
	if (value.length > MAX_TEXT_LENGTH) {
		throw new BookingFieldError(
			field,
			`${field} is ${value.length} characters long; HubSpot accepts at most ${MAX_TEXT_LENGTH}`,
			'Shorten the template or the booking text mapped into it.',
		);
	}
	return value;
}

export interface ContactName {
	firstname?: string;
	lastname?: string;
}

/**
 * Scripts whose names are written family name first. Kanji and hiragana mark a Japanese name
 * ("山田 太郎", "山田 花子"), Han also a Chinese one, Hangul a Korean one. Katakana alone does not:
 * a name written only in katakana is almost always a foreign name transcribed, which Japanese
 * writes in its own order ("ジョン・スミス", "ジョン スミス": ジョン is the given name), while a
 * Japanese guest writes their own name in kanji. The rare all-katakana Japanese name (a furigana
 * field mapped into Guest Name) comes out reversed; such a form can map Guest First / Last Name.
 */
const FAMILY_NAME_FIRST = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Hangul}]/u;
/**
 * Not part of a name: emoji and other symbols, and the joiners and selectors inside emoji
 * sequences.
 */
const NOT_NAME = /[\p{Extended_Pictographic}\p{S}\u200D\uFE0E\uFE0F\u20E3\u{E0020}-\u{E007F}]/gu;
/** Half- and full-width spaces (\s covers U+3000) and the katakana middle dot of "ジョン・スミス". */
const SEPARATOR = /[\s\u30FB\uFF65]+/u;
/** A token with no letter at all (only punctuation or digits) is not a name either. */
const LETTER = /\p{L}/u;

/** The name's words, with emoji and symbols dropped: "鈴木 一郎 🙇" → 鈴木, 一郎. */
function nameTokens(name: string): string[] {
	return name
		.replace(NOT_NAME, ' ')
		.split(SEPARATOR)
		.filter((token) => LETTER.test(token));
}

function isFamilyNameFirst(tokens: string[]): boolean {
	return tokens.some((token) => FAMILY_NAME_FIRST.test(token));
}

/**
 * First and last name from a display name, in the order its script writes names:
 * "Yui Sato" → Yui / Sato, "山田 太郎" → 太郎 / 山田. A single Latin word is the first name
 * ("Cher"). A single word in a family-first script ("山田太郎") cannot be split without a
 * dictionary and is kept whole as the last name: Japanese salespeople address a contact by the
 * family name ("{{lastname}}様" in emails), which then reads "山田太郎様" instead of "様" alone,
 * and the record still shows the full name.
 */
export function parseName(name: string): ContactName {
	const tokens = nameTokens(name);
	if (!tokens.length) return {};
	if (isFamilyNameFirst(tokens)) {
		if (tokens.length === 1) return { lastname: tokens[0] };
		return { lastname: tokens[0], firstname: tokens.slice(1).join(' ') };
	}
	if (tokens.length === 1) return { firstname: tokens[0] };
	return { firstname: tokens.slice(0, -1).join(' '), lastname: tokens[tokens.length - 1] };
}

/**
 * The contact's name for a booking: first and last name as the booking tool sent them (trimmed,
 * nothing split) when either is given; otherwise the display name parsed by parseName.
 */
export function contactNameOf(guestName: string, firstName = '', lastName = ''): ContactName {
	const firstname = firstName.trim();
	const lastname = lastName.trim();
	if (!firstname && !lastname) return parseName(guestName);
	return { ...(firstname ? { firstname } : {}), ...(lastname ? { lastname } : {}) };
}

/** The name as people read it, for {{guestName}} when only first and last name were given. */
export function displayName({ firstname = '', lastname = '' }: ContactName): string {
	const ordered = isFamilyNameFirst(nameTokens(`${lastname} ${firstname}`))
		? [lastname, firstname]
		: [firstname, lastname];
	return ordered.filter(Boolean).join(' ');
}

/**
 * How times read in titles and bodies: in the operator's time zone, e.g. "2026-12-01 10:00
 * (Asia/Tokyo)".
 */
export function formatForPeople(time: DateTime, zone: string): string {
	return `${time.setZone(zone).toFormat('yyyy-MM-dd HH:mm')} (${zone})`;
}
