import {
	BookingFieldError,
	checkLength,
	checkTimes,
	formatForPeople,
	isMeetingTypeEnabled,
	normalizeEmail,
	parseBookingTime,
	renderTemplate,
	splitName,
} from '../../nodes/HubSpotSyncCreateMeeting/booking';

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

it('splits names', () => {
	expect(splitName('Yui Sato')).toEqual({ firstname: 'Yui', lastname: 'Sato' });
	expect(splitName('Mary Ann Smith')).toEqual({ firstname: 'Mary Ann', lastname: 'Smith' });
	expect(splitName('Cher')).toEqual({ firstname: 'Cher' });
	expect(splitName('  ')).toEqual({});
});

it('formats times for people in the operator’s zone', () => {
	expect(formatForPeople(parseBookingTime('2026-12-01T01:00:00Z', 'Start Time', 'UTC'), 'Asia/Tokyo')).toBe('2026-12-01 10:00 (Asia/Tokyo)');
});
