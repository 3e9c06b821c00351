import type { IExecuteFunctions } from 'n8n-workflow';

import {
	BookingFieldError,
	checkLength,
	checkTimes,
	contactNameOf,
	displayName,
	formatForPeople,
	isMeetingTypeEnabled,
	normalizeEmail,
	parseBookingTime,
	parseName,
	renderTemplate,
} from '../../nodes/HubSpotSyncCreateMeeting/booking';
import { DEFAULT_BODY, DEFAULT_TITLE } from '../../nodes/HubSpotSyncCreateMeeting/actions/fields';
import { readBooking } from '../../nodes/HubSpotSyncCreateMeeting/actions/read';

const field = (fn: () => unknown) => {
	try {
		fn();
	} catch (error) {
		if (error instanceof BookingFieldError) return error.field;
		throw error;
	}
	throw new Error('expected a BookingFieldError');
};

describe('parseBookingTime', () => {
	it('keeps an explicit offset', () => {
		expect(parseBookingTime('2026-12-01T10:00:00+09:00', 'Start Time', 'Europe/Berlin').toUTC().toISO()).toBe('2026-12-01T01:00:00.000Z');
	});
	it('reads a naive time in the given zone', () => {
		expect(parseBookingTime('2026-07-01T10:00', 'Start Time', 'Europe/Berlin').toUTC().toISO()).toBe('2026-07-01T08:00:00.000Z');
	});
	it('reads epoch milliseconds as number or text', () => {
		expect(parseBookingTime(1_795_000_000_000, 'Start Time', 'UTC').toMillis()).toBe(1_795_000_000_000);
		expect(parseBookingTime('1795000000000', 'Start Time', 'UTC').toMillis()).toBe(1_795_000_000_000);
	});
	it.each(['', 'tomorrow', '2026-13-01T00:00:00Z', '2026-02-29T10:00:00Z'])('rejects %p', (value) => {
		expect(field(() => parseBookingTime(value, 'Start Time', 'UTC'))).toBe('Start Time');
	});
	it('rejects an end that is not after the start', () => {
		const start = parseBookingTime('2026-12-01T10:00:00Z', 'Start Time', 'UTC');
		expect(field(() => checkTimes(start, start))).toBe('End Time');
	});
});

describe('normalizeEmail', () => {
	it('trims and lowercases', () => expect(normalizeEmail('  Yui.Sato@Example.COM ')).toBe('yui.sato@example.com'));
	it.each(['', '   ', 'no-at-sign', 'a@b', 'two@@example.com', 'sp ace@example.com', null, 42])('rejects %p', (value) => {
		expect(field(() => normalizeEmail(value))).toBe('Guest Email');
	});
});

describe('isMeetingTypeEnabled', () => {
	it('treats empty and * as every type', () => {
		expect(isMeetingTypeEnabled('demo', '')).toBe(true);
		expect(isMeetingTypeEnabled('demo', '*')).toBe(true);
	});
	it('matches a list case-insensitively, separated by commas or lines', () => {
		expect(isMeetingTypeEnabled('Demo', 'intro-call,\n demo ')).toBe(true);
		expect(isMeetingTypeEnabled('support', 'intro-call, demo')).toBe(false);
	});
});

describe('renderTemplate', () => {
	it('fills placeholders, spaces allowed', () => {
		expect(renderTemplate('{{ meetingType }} with {{guestName}}', { meetingType: 'Demo', guestName: 'Yui' }, 'Title Template')).toBe('Demo with Yui');
	});
	it('names the field and lists the placeholders for a typo', () => {
		try {
			renderTemplate('{{gestName}}', { guestName: 'Yui' }, 'Title Template');
			throw new Error('no error');
		} catch (error) {
			expect((error as BookingFieldError).field).toBe('Title Template');
			expect((error as BookingFieldError).hint).toContain('{{guestName}}');
		}
	});
});

it('limits text to HubSpot’s 65,536 characters', () => {
	expect(checkLength('x'.repeat(65_536), 'Body Template')).toHaveLength(65_536);
	expect(field(() => checkLength('x'.repeat(65_537), 'Body Template'))).toBe('Body Template');
});

describe('parseName', () => {
	it('reads Latin names given name first', () => {
		expect(parseName('Yui Sato')).toEqual({ firstname: 'Yui', lastname: 'Sato' });
		expect(parseName('Mary Ann Smith')).toEqual({ firstname: 'Mary Ann', lastname: 'Smith' });
		expect(parseName('Cher')).toEqual({ firstname: 'Cher' });
		expect(parseName('  ')).toEqual({});
	});
	it.each([
		['山田 太郎', { lastname: '山田', firstname: '太郎' }],
		['山田\u3000太郎', { lastname: '山田', firstname: '太郎' }],
		['\u3000山田\u3000\u3000太郎\u3000', { lastname: '山田', firstname: '太郎' }],
		['さとう ゆい', { lastname: 'さとう', firstname: 'ゆい' }],
		['山田 エミ', { lastname: '山田', firstname: 'エミ' }],
		['ラモス 瑠偉', { lastname: 'ラモス', firstname: '瑠偉' }],
		['김 민준', { lastname: '김', firstname: '민준' }],
	])('reads %p family name first', (name, expected) => {
		expect(parseName(name)).toEqual(expected);
	});
	it('keeps a Japanese name written without a space whole, as the last name', () => {
		expect(parseName('山田太郎')).toEqual({ lastname: '山田太郎' });
	});
	it('reads a name only in katakana as a foreign name, given name first', () => {
		expect(parseName('ジョン スミス')).toEqual({ firstname: 'ジョン', lastname: 'スミス' });
		expect(parseName('ジョン・スミス')).toEqual({ firstname: 'ジョン', lastname: 'スミス' });
		expect(parseName('ｼﾞｮﾝ･ｽﾐｽ')).toEqual({ firstname: 'ｼﾞｮﾝ', lastname: 'ｽﾐｽ' });
		expect(parseName('ジョー')).toEqual({ firstname: 'ジョー' });
	});
	it.each([
		['鈴木 一郎 🙇', { lastname: '鈴木', firstname: '一郎' }],
		['🙇‍♂️ 鈴木　一郎', { lastname: '鈴木', firstname: '一郎' }],
		['鈴木一郎🙇🏻', { lastname: '鈴木一郎' }],
		['Yui Sato 👍🏽', { firstname: 'Yui', lastname: 'Sato' }],
		['Yui ★ Sato 🇯🇵', { firstname: 'Yui', lastname: 'Sato' }],
		['Yui Sato - ', { firstname: 'Yui', lastname: 'Sato' }],
		["Jean-Luc O'Brien", { firstname: 'Jean-Luc', lastname: "O'Brien" }],
	])('drops emoji, symbols and punctuation-only words from %p', (name, expected) => {
		expect(parseName(name)).toEqual(expected);
	});
	it.each(['🙇', '👨‍👩‍👧 🎉', '- ・ 。', '123'])('finds no name in %p', (name) => {
		expect(parseName(name)).toEqual({});
	});
});

describe('contactNameOf', () => {
	it('uses separate first and last names as they are, trimmed, without splitting Guest Name', () => {
		expect(contactNameOf('山田 太郎', ' 太郎 ', ' 山田 ')).toEqual({ firstname: '太郎', lastname: '山田' });
		expect(contactNameOf('Sato Yui', 'Yui', 'Sato')).toEqual({ firstname: 'Yui', lastname: 'Sato' });
		expect(contactNameOf('Mary Ann Smith', 'Mary Ann 🙂', '')).toEqual({ firstname: 'Mary Ann 🙂' });
		expect(contactNameOf('山田 太郎', '', '山田')).toEqual({ lastname: '山田' });
	});
	it('parses Guest Name when neither is set', () => {
		expect(contactNameOf('山田 太郎', '  ', '')).toEqual({ lastname: '山田', firstname: '太郎' });
		expect(contactNameOf('')).toEqual({});
	});
});

it('writes a name in the order of its script', () => {
	expect(displayName({ firstname: '太郎', lastname: '山田' })).toBe('山田 太郎');
	expect(displayName({ firstname: 'Yui', lastname: 'Sato' })).toBe('Yui Sato');
	expect(displayName({ firstname: 'ジョン', lastname: 'スミス' })).toBe('ジョン スミス');
	expect(displayName({ lastname: '山田' })).toBe('山田');
	expect(displayName({})).toBe('');
});

describe('readBooking: the contact’s name', () => {
	/** The parameters n8n hands the node for one create item; unset fields answer their fallback. */
	const read = (parameters: Record<string, unknown>) => {
		const all: Record<string, unknown> = {
			bookingId: 'b-1',
			meetingType: 'Demo',
			guestEmail: 'taro.yamada@example.com',
			startTime: '2026-12-01T10:00:00+09:00',
			endTime: '2026-12-01T10:30:00+09:00',
			titleTemplate: DEFAULT_TITLE,
			bodyTemplate: DEFAULT_BODY,
			...parameters,
		};
		const ctx = {
			getNodeParameter: (name: string, _item: number, fallback: unknown) => (name in all ? all[name] : fallback),
			getNode: () => ({ name: 'Create Meeting', type: 'hubSpotSyncCreateMeeting', typeVersion: 1, position: [0, 0], parameters: {} }),
			getTimezone: () => 'Asia/Tokyo',
		} as unknown as IExecuteFunctions;
		return readBooking(ctx, 0, 'create');
	};

	it('parses Guest Name family name first for a Japanese name, emoji dropped', () => {
		const booking = read({ guestName: '鈴木 一郎 🙇' });
		expect(booking.contactName).toEqual({ lastname: '鈴木', firstname: '一郎' });
		expect(booking.timedProperties?.hs_meeting_title).toBe('Demo: 鈴木 一郎 🙇');
	});
	it('takes Guest First / Last Name as they are and does not split Guest Name', () => {
		const booking = read({ guestName: 'Taro Yamada (Sales)', guestFirstName: ' 太郎 ', guestLastName: '山田' });
		expect(booking.contactName).toEqual({ firstname: '太郎', lastname: '山田' });
		expect(booking.guestName).toBe('Taro Yamada (Sales)');
	});
	it('titles the meeting from first and last name in their script’s order when Guest Name is empty', () => {
		const booking = read({ guestFirstName: '太郎', guestLastName: '山田' });
		expect(booking.timedProperties?.hs_meeting_title).toBe('Demo: 山田 太郎');
	});
	it('gives the contact no name made from the email', () => {
		const booking = read({});
		expect(booking.contactName).toEqual({});
		expect(booking.guestName).toBe('taro.yamada');
	});
});

it('formats times for people in the operator’s zone', () => {
	expect(formatForPeople(parseBookingTime('2026-12-01T01:00:00Z', 'Start Time', 'UTC'), 'Asia/Tokyo')).toBe('2026-12-01 10:00 (Asia/Tokyo)');
});
