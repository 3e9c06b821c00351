/** Push's pure parts: match keys, value conversion, the conflict rules, grouping of repeated records. */
import { domainKey, emailKey, isValidEmail, nameKey } from '../../nodes/shared/matching';
import type { PropertyDefinition } from '../../nodes/shared/properties';
import { decideWrite } from '../../nodes/HubSpotSyncProperties/sync/plan';
import { groupInputs, readAnswer, type SentWrite } from '../../nodes/HubSpotSyncProperties/sync/push';
import type { CrmRecord } from '../../nodes/shared/transport/pagination';
import { isBlank, sameValue, toHubSpotValue, ValueError } from '../../nodes/shared/values';

const def = (name: string, type: string, extra: Partial<PropertyDefinition> = {}): PropertyDefinition => ({ name, label: name, type, fieldType: 'text', ...extra });
const stage = def('lifecyclestage', 'enumeration', { fieldType: 'radio', options: [{ label: 'Lead', value: 'lead' }, { label: 'Customer', value: 'customer' }] });
const defs = new Map([def('firstname', 'string'), def('phone', 'string'), def('numberofemployees', 'number'), stage].map((d) => [d.name, d]));

describe('match keys', () => {
	it('normalizes emails and domains the way HubSpot compares them', () => {
		expect(emailKey('  Yui@Example.COM ')).toBe('yui@example.com');
		expect(isValidEmail('yui@example')).toBe(false);
		expect(domainKey('https://www.Example.co.jp/about?x=1')).toBe('example.co.jp');
		expect(domainKey('WWW.example.com:8080')).toBe('example.com');
		expect(domainKey('info@shop.example.com')).toBe('shop.example.com');
		expect(domainKey('not a domain')).toBe('');
		expect(nameKey('  Acme   Corp ')).toBe('acme corp');
	});
});

describe('toHubSpotValue', () => {
	it('converts by property type', () => {
		expect(toHubSpotValue(def('n', 'number'), ' 12.50 ')).toBe('12.5');
		expect(toHubSpotValue(def('b', 'bool'), 'Yes')).toBe('true');
		expect(toHubSpotValue(def('d', 'date'), '2026-12-01T23:30:00+09:00')).toBe('2026-12-01');
		expect(toHubSpotValue(def('t', 'datetime'), 1_767_225_600_000)).toBe('2026-01-01T00:00:00.000Z');
		// Picklists accept the option's label as well as its value.
		expect(toHubSpotValue(stage, 'Customer')).toBe('customer');
		expect(toHubSpotValue(def('multi', 'enumeration', { fieldType: 'checkbox', options: [{ label: 'A', value: 'a' }, { label: 'B', value: 'b' }] }), ['B', 'a'])).toBe('b;a');
	});

	it('explains a value it cannot convert', () => {
		const reasonOf = (definition: PropertyDefinition, value: unknown) => {
			try {
				toHubSpotValue(definition, value);
			} catch (error) {
				return error instanceof ValueError ? `${error.message} | ${error.hint}` : 'other';
			}
			return 'converted';
		};
		expect(reasonOf(def('n', 'number'), '1,234')).toBe('"1,234" is not a number | Use digits with a dot for decimals, without thousands separators (e.g. 1234.5).');
		expect(reasonOf(stage, 'VIP')).toContain('"VIP" is not an option of lifecyclestage | Use one of: Lead (lead), Customer (customer)');
		expect(reasonOf(def('d', 'date'), 'next tuesday')).toContain('is not a date');
		expect(reasonOf(def('s', 'string'), { city: 'Tokyo' })).toContain('is a list or an object');
	});

	it('treats blanks and equal values as HubSpot does', () => {
		expect([null, undefined, '', '  ', []].every(isBlank)).toBe(true);
		expect(isBlank(0)).toBe(false);
		expect(sameValue(def('n', 'number'), '10', '10.0')).toBe(true);
		expect(sameValue(def('t', 'datetime'), '2026-01-01T00:00:00.000Z', '1767225600000')).toBe(true);
		expect(sameValue(def('s', 'string'), 'a', null)).toBe(false);
	});
});

describe('decideWrite: the conflict rules', () => {
	const incoming = { firstname: 'Yui', phone: '03-1111', numberofemployees: '10' };
	const existing = { firstname: 'Yuki', phone: '', numberofemployees: '10.0' };

	it('creates what does not exist', () => {
		expect(decideWrite(incoming, undefined, 'hubspotWins', defs)).toEqual({ action: 'create', write: incoming, kept: [] });
	});

	it('incoming wins: differing values replace HubSpot’s; equal ones are not rewritten', () => {
		expect(decideWrite(incoming, existing, 'incomingWins', defs)).toEqual({ action: 'update', write: { firstname: 'Yui', phone: '03-1111' }, kept: [] });
	});

	it('fill blanks: only empty HubSpot properties get values', () => {
		expect(decideWrite(incoming, existing, 'fillBlanks', defs)).toEqual({ action: 'update', write: { phone: '03-1111' }, kept: ['firstname'] });
	});

	it('HubSpot wins: an existing record is left alone', () => {
		expect(decideWrite(incoming, existing, 'hubspotWins', defs)).toEqual({ action: 'unchanged', write: {}, kept: ['firstname', 'phone'] });
	});

	it('nothing differs: unchanged', () => {
		expect(decideWrite({ numberofemployees: '10' }, existing, 'incomingWins', defs).action).toBe('unchanged');
	});
});

describe('groupInputs', () => {
	it('skips bad match keys and merges items for the same record, later values winning', () => {
		const groups = groupInputs(
			[
				{ itemIndex: 0, properties: { email: 'A@x.com', firstname: 'A' } },
				{ itemIndex: 1, properties: { email: 'broken@' } },
				{ itemIndex: 2, properties: { firstname: 'no email' } },
				{ itemIndex: 3, properties: { email: 'a@x.com ', phone: '1' } },
			],
			{ objectType: 'contacts', requireValidEmail: true },
		);
		expect(groups.map((group) => [group.key, group.items.map((item) => item.itemIndex), group.outcome?.code])).toEqual([
			['email:a@x.com', [0, 3], undefined],
			['item:1', [1], 'INVALID_EMAIL'],
			['item:2', [2], 'INVALID_EMAIL'],
		]);
		expect(groups[0].properties).toEqual({ email: 'a@x.com', firstname: 'A', phone: '1' });
	});

	it('keys companies by domain, else by name; neither is a skip', () => {
		const groups = groupInputs(
			[
				{ itemIndex: 0, properties: { domain: 'https://www.acme.com', name: 'Acme' } },
				{ itemIndex: 1, properties: { name: ' Beta  Inc ' } },
				{ itemIndex: 2, properties: { city: 'Tokyo' } },
				{ itemIndex: 3, properties: { domain: 'n/a', name: 'X' } },
			],
			{ objectType: 'companies', requireValidEmail: false },
		);
		expect(groups.map((group) => [group.key, group.outcome?.code])).toEqual([
			['domain:acme.com', undefined],
			['name:beta inc', undefined],
			['item:2', 'MISSING_MATCH_KEY'],
			['item:3', 'MISSING_MATCH_KEY'],
		]);
	});
});

describe('readAnswer: HubSpot\'s batch results paired with the writes sent', () => {
	// HubSpot documents objectWriteTraceId for batch creates only and does not promise result order.
	const result = (id: string, properties: Record<string, string>, extra: Partial<CrmRecord> = {}): CrmRecord => ({ id, properties, ...extra });
	const idsOf = (writes: SentWrite[], paired: Map<SentWrite, CrmRecord>) => writes.map((write) => paired.get(write)?.id ?? null);

	it('upserts without trace ids, answered in another order: by the idProperty value, case-insensitive', () => {
		const writes = ['a@x.com', 'b@x.com', 'c@x.com'].map((email) => ({ input: { idProperty: 'email', id: email, properties: { email } }, key: `email:${email}` }));
		const answer = { results: [result('3', { email: 'C@x.com' }), result('1', { email: 'a@x.com' }), result('2', { email: 'b@X.com' })] };
		expect(idsOf(writes, readAnswer('contacts', 'upsert', writes, answer, defs).paired)).toEqual(['1', '2', '3']);
	});

	it('updates: by record id; a result for an id not sent pairs with nothing', () => {
		const writes = ['11', '12'].map((id) => ({ input: { id, properties: { firstname: 'X' } }, key: `id:${id}` }));
		const { paired } = readAnswer('deals', 'update', writes, { results: [result('12', {}), result('99', {})] }, defs);
		expect(idsOf(writes, paired)).toEqual([null, '12']);
	});

	it('a trace id HubSpot echoes wins over order, even where the result names no key', () => {
		const writes = [{ input: { properties: { dealname: 'A' } } }, { input: { properties: { dealname: 'B' } } }];
		const answer = { results: [result('8', {}, { objectWriteTraceId: '1' }), result('7', {}, { objectWriteTraceId: '0' })] };
		expect(idsOf(writes, readAnswer('deals', 'create', writes, answer, defs).paired)).toEqual(['7', '8']);
	});

	it('company creates: by domain, else by name, the way inputs are keyed', () => {
		const writes = [
			{ input: { properties: { name: 'Acme', domain: 'acme.com' } }, key: 'domain:acme.com' },
			{ input: { properties: { name: 'Acme' } }, key: 'name:acme' },
		];
		const answer = { results: [result('2', { name: 'Acme' }), result('1', { name: 'Acme', domain: 'ACME.com' })] };
		expect(idsOf(writes, readAnswer('companies', 'create', writes, answer, defs).paired)).toEqual(['1', '2']);
	});

	it('keyless creates: by the values sent (as HubSpot stores them), then by order only when nothing else is left', () => {
		const numberDefs = new Map([['amount', def('amount', 'number')]]);
		const writes = [{ input: { properties: { dealname: 'A', amount: '10' } } }, { input: { properties: { dealname: 'B', amount: '20' } } }];
		const reversed = { results: [result('6', { dealname: 'B', amount: '20.0' }), result('5', { dealname: 'A', amount: '10' })] };
		expect(idsOf(writes, readAnswer('deals', 'create', writes, reversed, numberDefs).paired)).toEqual(['5', '6']);
		// Same values: nothing tells them apart, and both were created.
		const twins = [{ input: { properties: { dealname: 'Same' } } }, { input: { properties: { dealname: 'Same' } } }];
		expect(idsOf(twins, readAnswer('deals', 'create', twins, { results: [result('7', {}), result('8', {})] }, defs).paired)).toEqual(['7', '8']);
		// One result for two writes that it does not tell apart: neither is confirmed rather than a wrong id.
		expect(idsOf(twins, readAnswer('deals', 'create', twins, { results: [result('9', {})] }, defs).paired)).toEqual([null, null]);
	});

	it('a multi-status error names its write by id or by the trace id in its context; that write is never paired', () => {
		const writes = [{ input: { properties: { dealname: 'A' } } }, { input: { properties: { dealname: 'B' } } }];
		const answer = { results: [result('5', {})], errors: [{ category: 'VALIDATION_ERROR', message: 'bad B', context: { objectWriteTraceId: ['1'] } }] };
		const { failed, paired } = readAnswer('deals', 'create', writes, answer, defs);
		expect([...failed.entries()].map(([write, error]) => [writes.indexOf(write), error.message])).toEqual([[1, 'bad B']]);
		expect(idsOf(writes, paired)).toEqual(['5', null]);
		const updates = ['1', '2'].map((id) => ({ input: { id, properties: { dealname: 'X' } }, key: `id:${id}` }));
		const missing = readAnswer('deals', 'update', updates, { results: [result('1', {})], errors: [{ category: 'OBJECT_NOT_FOUND', message: 'gone', context: { ids: ['2'] } }] }, defs);
		expect([...missing.failed.keys()]).toEqual([updates[1]]);
		expect(idsOf(updates, missing.paired)).toEqual(['1', null]);
	});
});
