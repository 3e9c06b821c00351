/** Connector helpers of issue 7: the 24-hour API call budget, Push call estimates, record filters and country codes. */
import { checkCallBudget, pushCalls } from '../../nodes/HubSpotSyncReconcile/engine/budget';
import { passesFilter, type FilterCondition } from '../../nodes/HubSpotSyncReconcile/engine/filter';
import { classifyItem } from '../../nodes/HubSpotSyncWriteHistory/history';
import { isHistoryCode } from '../../nodes/HubSpotSyncWriteHistory/catalog';
import type { SkipCode } from '../../nodes/HubSpotSyncReconcile/engine/reconcile';
import { planOptions, splitValues } from '../../nodes/HubSpotSyncProperties/sync/propertyOptions';
import { countryCode } from '../../nodes/HubSpotSyncReconcile/engine/country';
import { stateCode } from '../../nodes/HubSpotSyncReconcile/engine/subdivision';

describe('checkCallBudget', () => {
	const now = new Date('2026-11-23T12:00:00Z');
	const rows = [
		{ timestamp: '2026-11-22T11:00:00Z', calls: 500 }, // older than 24 hours: not counted
		{ timestamp: '2026-11-22T13:00:00Z', calls: 300 },
		{ timestamp: '2026-11-23T06:00:00Z', calls: 400 },
		{ timestamp: 'not a date', calls: 999 },
		{ timestamp: '2026-11-23T13:00:00Z', calls: 50 }, // in the future: not counted
	];
	it('counts only the last 24 hours and allows a run that fits', () => {
		expect(checkCallBudget(rows, 1000, 300, now)).toEqual({ used: 700, cap: 1000, remaining: 300, allowed: true, reason: '' });
	});
	it('refuses a run that would pass the cap, saying when it fits again', () => {
		const decision = checkCallBudget(rows, 1000, 301, now);
		expect(decision).toMatchObject({ used: 700, remaining: 300, allowed: false, retryAfter: '2026-11-23T13:00:00.000Z' });
		expect(decision.reason).toBe('This run needs about 301 HubSpot calls, but 700 of the 1000 allowed in 24 hours are used (300 left). It was skipped; it fits again after 2026-11-23T13:00:00.000Z, or raise the cap.');
		expect(checkCallBudget(rows, 1000, 700, now).retryAfter).toBe('2026-11-24T06:00:00.000Z');
	});
	it('a run larger than the cap never fits: it says so', () => {
		const decision = checkCallBudget([], 100, 150, now);
		expect(decision).toMatchObject({ allowed: false, used: 0 });
		expect(decision.retryAfter).toBeUndefined();
		expect(decision.reason).toContain('more than the cap of 100');
	});
	it('no cap (0) allows everything but still reports the use', () => {
		expect(checkCallBudget(rows, 0, 10_000, now)).toMatchObject({ allowed: true, used: 700 });
	});
});

describe('countryCode', () => {
	it.each([
		['Japan', 'JP'],
		['  japan ', 'JP'],
		['日本', 'JP'],
		['United States', 'US'],
		['USA', 'US'],
		['アメリカ合衆国', 'US'],
		['United Kingdom', 'GB'],
		['uk', 'GB'],
		['jp', 'JP'],
		['ＪＰ', 'JP'],
		['Germany', 'DE'],
		['ドイツ', 'DE'],
	])('%s → %s', (name, code) => {
		expect(countryCode(name)).toBe(code);
	});
	it('an unknown value is not guessed', () => {
		expect(countryCode('Atlantis')).toBeUndefined();
		expect(countryCode('ZZ')).toBeUndefined();
		expect(countryCode('')).toBeUndefined();
	});
});

describe('record filters (inclusion list) and Push call estimates', () => {
	const record: Record<string, unknown> = { lifecyclestage: 'Customer ', tags: 'vip;tokyo', phone: '', score: 10 };
	const passes = (conditions: FilterCondition[], combine: 'all' | 'any' = 'all') => passesFilter((field) => record[field], conditions, combine);
	it('compares trimmed and case-insensitive; lists split on commas and semicolons', () => {
		expect(passes([{ field: 'lifecyclestage', operation: 'equals', value: 'customer' }])).toBe(true);
		expect(passes([{ field: 'lifecyclestage', operation: 'notEquals', value: 'customer' }])).toBe(false);
		expect(passes([{ field: 'tags', operation: 'oneOf', value: 'osaka, TOKYO' }])).toBe(true);
		expect(passes([{ field: 'tags', operation: 'oneOf', value: 'osaka' }])).toBe(false);
		expect(passes([{ field: 'tags', operation: 'contains', value: 'VIP' }])).toBe(true);
		expect(passes([{ field: 'tags', operation: 'notContains', value: 'vip' }])).toBe(false);
		expect(passes([{ field: 'score', operation: 'equals', value: '10' }])).toBe(true);
	});
	it('empty and missing values', () => {
		expect(passes([{ field: 'phone', operation: 'isEmpty' }])).toBe(true);
		expect(passes([{ field: 'missing', operation: 'isEmpty' }])).toBe(true);
		expect(passes([{ field: 'phone', operation: 'isSet' }])).toBe(false);
		// "contains nothing" would let everything pass: it holds for no record.
		expect(passes([{ field: 'tags', operation: 'contains', value: '' }])).toBe(false);
	});
	it('all or any; no conditions (or rows without a field) let every record pass', () => {
		const mixed: FilterCondition[] = [{ field: 'lifecyclestage', operation: 'equals', value: 'lead' }, { field: 'tags', operation: 'contains', value: 'vip' }];
		expect([passes(mixed, 'all'), passes(mixed, 'any')]).toEqual([false, true]);
		expect(passes([])).toBe(true);
		expect(passes([{ field: ' ', operation: 'equals', value: 'x' }])).toBe(true);
	});
	it('Push costs its definitions read plus a read and a write per 100 records', () => {
		expect([pushCalls(0), pushCalls(1), pushCalls(100), pushCalls(101), pushCalls(1_000)]).toEqual([0, 3, 3, 5, 21]);
	});
});

describe('tag options (planOptions, splitValues)', () => {
	const existing = [{ label: 'VIP', value: 'vip' }, { label: 'Tokyo office', value: 'tokyo' }];
	it('adds only values no option has as value or label (any case), once each, in first-seen order', () => {
		const plan = planOptions(existing, splitValues(' VIP ; tokyo office;Osaka;osaka;Expo 2026;'), 300);
		expect(plan).toEqual({ added: [{ label: 'Osaka', value: 'Osaka' }, { label: 'Expo 2026', value: 'Expo 2026' }], total: 4, overLimit: false });
	});
	it('says when the property would pass the cap', () => {
		expect(planOptions(existing, ['a', 'b'], 3)).toMatchObject({ total: 4, overLimit: true });
		expect(planOptions(existing, ['a'], 3)).toMatchObject({ total: 3, overLimit: false });
	});
	it('splits on semicolons (HubSpot’s multi-checkbox form) and takes lists', () => {
		expect([splitValues('a;b; ;c'), splitValues(['x ', '', 'y']), splitValues(undefined), splitValues('one, two')]).toEqual([['a', 'b', 'c'], ['x', 'y'], [], ['one, two']]);
	});
});

describe('stateCode (ISO 3166-2)', () => {
	it('Japanese prefectures by English or Japanese name, with or without 都/府/県, and by code', () => {
		expect(['Tokyo', '東京都', '東京', 'tokyo-to', 'JP-13'].map((value) => stateCode(value))).toEqual(Array(5).fill('JP-13'));
		expect([stateCode('大阪府'), stateCode('Hokkaido'), stateCode('北海道'), stateCode('沖縄県'), stateCode('Kyoto Prefecture')]).toEqual(['JP-27', 'JP-01', 'JP-01', 'JP-47', 'JP-26']);
		expect([stateCode('13', 'JP'), stateCode('13'), stateCode('48', 'JP')]).toEqual(['JP-13', undefined, undefined]);
	});
	it('US states by name or postal code; unknown values are not guessed', () => {
		expect([stateCode('California'), stateCode(' ca '), stateCode('US-NY'), stateCode('District of Columbia')]).toEqual(['US-CA', 'US-CA', 'US-NY', 'US-DC']);
		expect([stateCode('Bavaria'), stateCode(''), stateCode('Kalifornia')]).toEqual([undefined, undefined, undefined]);
	});
});

describe('every skip of the two-way sync has an explained history code', () => {
	it('Write History knows each code (message and remedy in both languages)', () => {
		const codes: Record<SkipCode | 'OVER_BUDGET', true> = {
			INVALID_EMAIL: true, MISSING_MATCH_KEY: true, DUPLICATE_KEY: true, FILTERED_OUT: true, VALUE_INVALID: true,
			DELETED_IN_APP: true, DELETED_IN_HUBSPOT: true, DELETES_HELD: true, MATCH_KEY_CHANGED: true, OVER_BUDGET: true, SIDE_INCOMPLETE: true,
		};
		for (const code of Object.keys(codes)) {
			expect(isHistoryCode(code)).toBe(true);
			expect(classifyItem({ status: 'skipped', code, reason: 'why' })).toMatchObject({ code, status: 'skip', detail: 'why' });
		}
	});
});
