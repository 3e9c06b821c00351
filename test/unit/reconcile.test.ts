/** Two-way sync decisions (nodes/HubSpotSyncReconcile/engine): every conflict-rule case, conversions, matching, convergence. */
import type { PropertyDefinition } from '../../nodes/shared/properties';
import { appToHubspot, decideField, hubspotToApp, reconcile, type AppSide, type FieldMapping, type HubSpotSide, type ReconcileSettings, type SyncLink } from '../../nodes/HubSpotSyncReconcile/engine/reconcile';
import { sameValue } from '../../nodes/shared/values';

const twoWayApp = { direction: 'twoWay', defaultSide: 'app' } as const;
const twoWayHubspot = { direction: 'twoWay', defaultSide: 'hubspot' } as const;

describe('decideField: the conflict rules', () => {
	it('equal values write nothing', () => {
		expect(decideField('a', 'a', undefined, false, twoWayApp)).toEqual({ value: 'a' });
		expect(decideField(undefined, undefined, 'x', true, twoWayApp)).toEqual({ value: undefined });
	});
	it('first sync, both differ: the default app wins', () => {
		expect(decideField('h', 'a', undefined, false, twoWayApp)).toEqual({ toHubspot: 'a', value: 'a' });
		expect(decideField('h', 'a', undefined, false, twoWayHubspot)).toEqual({ toApp: 'h', value: 'h' });
	});
	it('changed on one side only: that side wins, whatever the default', () => {
		expect(decideField('base', 'new', 'base', true, twoWayHubspot)).toEqual({ toHubspot: 'new', value: 'new' });
		expect(decideField('new', 'base', 'base', true, twoWayApp)).toEqual({ toApp: 'new', value: 'new' });
	});
	it('changed on both sides: the default app wins', () => {
		expect(decideField('h2', 'a2', 'base', true, twoWayApp)).toEqual({ toHubspot: 'a2', value: 'a2' });
		expect(decideField('h2', 'a2', 'base', true, twoWayHubspot)).toEqual({ toApp: 'h2', value: 'h2' });
	});
	it('a blank in the default app never overwrites the other: the other value fills it', () => {
		expect(decideField('h', undefined, undefined, false, twoWayApp)).toEqual({ toApp: 'h', value: 'h' });
		expect(decideField(undefined, 'a', undefined, false, twoWayHubspot)).toEqual({ toHubspot: 'a', value: 'a' });
	});
	it('a value cleared on one side since the last sync is put back, not spread', () => {
		expect(decideField('kept', undefined, 'kept', true, twoWayApp)).toEqual({ toApp: 'kept', value: 'kept' });
		expect(decideField(undefined, 'kept', 'kept', true, twoWayHubspot)).toEqual({ toHubspot: 'kept', value: 'kept' });
	});
	it('only app → HubSpot: HubSpot edits stay in HubSpot, app changes win even over a HubSpot default', () => {
		const oneWay = { direction: 'toHubspot', defaultSide: 'hubspot' } as const;
		expect(decideField('h2', 'base', 'base', true, oneWay)).toEqual({ value: 'base' });
		expect(decideField('h2', 'a2', 'base', true, oneWay)).toEqual({ toHubspot: 'a2', value: 'a2' });
		expect(decideField('h', undefined, 'h0', true, oneWay)).toEqual({ value: 'h' });
	});
	it('only HubSpot → app: the mirror image', () => {
		const oneWay = { direction: 'toApp', defaultSide: 'app' } as const;
		expect(decideField('base', 'a2', 'base', true, oneWay)).toEqual({ value: 'base' });
		expect(decideField('h2', 'a2', 'base', true, oneWay)).toEqual({ toApp: 'h2', value: 'h2' });
	});
	it("compares as the property's type: 10 and 10.0, one instant in two formats", () => {
		const number: PropertyDefinition = { name: 'n', label: 'n', type: 'number', fieldType: 'number' };
		const datetime: PropertyDefinition = { name: 'd', label: 'd', type: 'datetime', fieldType: 'date' };
		expect(decideField('10', '10.0', undefined, false, twoWayApp, (l, r) => sameValue(number, l, r))).toEqual({ value: '10' });
		expect(decideField('2026-12-01T01:00:00.000Z', '2026-12-01T10:00:00+09:00', undefined, false, twoWayApp, (l, r) => sameValue(datetime, l, r)).toHubspot).toBeUndefined();
	});
});

const definitions = new Map<string, PropertyDefinition>(
	[
		{ name: 'email', label: 'Email', type: 'string', fieldType: 'text' },
		{ name: 'firstname', label: 'First name', type: 'string', fieldType: 'text' },
		{ name: 'numemployees', label: 'Employees', type: 'number', fieldType: 'number' },
		{ name: 'opted_in', label: 'Opted in', type: 'bool', fieldType: 'booleancheckbox' },
		{ name: 'birthday', label: 'Birthday', type: 'date', fieldType: 'date' },
		{ name: 'last_meeting', label: 'Last meeting', type: 'datetime', fieldType: 'date' },
		{ name: 'lifecyclestage', label: 'Lifecycle', type: 'enumeration', fieldType: 'select', options: [{ label: 'Lead', value: 'lead' }, { label: 'Customer', value: 'customer' }] },
		{ name: 'domain', label: 'Domain', type: 'string', fieldType: 'text' },
		{ name: 'name', label: 'Name', type: 'string', fieldType: 'text' },
		{ name: 'country', label: 'Country', type: 'string', fieldType: 'text' },
		{ name: 'state', label: 'State', type: 'string', fieldType: 'text' },
	].map((definition) => [definition.name, definition]),
);
const map = (appField: string, hubspotProperty: string, appType: FieldMapping['appType'] = 'text', extra: Partial<FieldMapping> = {}): FieldMapping => ({ appField, hubspotProperty, appType, enabled: true, ...extra });

describe('type conversion between the apps', () => {
	it('checkbox ↔ boolean, number, date ↔ datetime, picklist values', () => {
		expect(appToHubspot(map('opt', 'opted_in', 'boolean'), definitions.get('opted_in'), true)).toBe('true');
		expect(appToHubspot(map('opt', 'opted_in', 'boolean'), definitions.get('opted_in'), 'yes')).toBe('true');
		expect(hubspotToApp(map('opt', 'opted_in', 'boolean'), 'false')).toBe(false);
		expect(appToHubspot(map('staff', 'numemployees', 'number'), definitions.get('numemployees'), 25)).toBe('25');
		expect(hubspotToApp(map('staff', 'numemployees', 'number'), '25.5')).toBe(25.5);
		// An app datetime into a HubSpot date property keeps the (UTC) day; a HubSpot date into an app datetime is midnight UTC.
		expect(appToHubspot(map('born', 'birthday', 'datetime'), definitions.get('birthday'), '2026-12-01T10:00:00Z')).toBe('2026-12-01');
		expect(hubspotToApp(map('born', 'birthday', 'datetime'), '2026-12-01')).toBe('2026-12-01T00:00:00.000Z');
		expect(hubspotToApp(map('met', 'last_meeting', 'date'), '2026-12-01T10:00:00.000Z')).toBe('2026-12-01');
		expect(hubspotToApp(map('met', 'last_meeting', 'date'), String(Date.UTC(2026, 11, 1)))).toBe('2026-12-01');
		const stage = map('status', 'lifecyclestage', 'text', { picklist: [{ app: 'Prospect', hubspot: 'lead' }, { app: 'Client', hubspot: 'customer' }] });
		expect(appToHubspot(stage, definitions.get('lifecyclestage'), 'client')).toBe('customer');
		expect(appToHubspot(stage, definitions.get('lifecyclestage'), 'Lead')).toBe('lead');
		expect(hubspotToApp(stage, 'lead')).toBe('Prospect');
		expect(appToHubspot(stage, definitions.get('lifecyclestage'), '  ')).toBeUndefined();
	});
	it('a value HubSpot cannot store is refused with what would do', () => {
		expect(() => appToHubspot(map('staff', 'numemployees', 'number'), definitions.get('numemployees'), 'many')).toThrow('"many" is not a number');
		expect(() => appToHubspot(map('status', 'lifecyclestage'), definitions.get('lifecyclestage'), 'VIP')).toThrow('"VIP" is not an option of lifecyclestage');
	});
});

const contactMappings = [map('mail', 'email'), map('first', 'firstname'), map('optIn', 'opted_in', 'boolean'), map('status', 'lifecyclestage', 'text', { picklist: [{ app: 'Client', hubspot: 'customer' }, { app: 'Prospect', hubspot: 'lead' }] })];
const settings = (overrides: Partial<ReconcileSettings> = {}): ReconcileSettings => ({
	objectType: 'contacts',
	direction: 'twoWay',
	defaultSide: 'app',
	mappings: contactMappings,
	definitions,
	requireValidEmail: true,
	createInHubspot: true,
	createInApp: true,
	resyncDeleted: false,
	...overrides,
});

describe('reconcile: matching and skips', () => {
	it('matches contacts by email, trimmed and case-insensitive', () => {
		const result = reconcile([{ id: '1', properties: { email: 'hina@example.com', firstname: 'Hina' } }], [{ id: 'A', fields: { mail: '  Hina@Example.COM ', first: 'Hina' } }], [], settings());
		// Nothing to write, but the pair's first link is saved so that later edits are told apart.
		expect(result).toEqual({
			hubspotUpdates: [],
			appUpdates: [],
			hubspotCreates: [],
			appCreates: [],
			linkSaves: [{ key: 'email:hina@example.com', hubspotId: '1', appId: 'A', values: { email: 'hina@example.com', firstname: 'Hina' } }],
			hubspotDeletes: [],
			skips: [],
		});
	});
	it('matches companies by domain without scheme or www, then by name', () => {
		const companies = settings({ objectType: 'companies', mappings: [map('site', 'domain'), map('title', 'name'), map('staff', 'numemployees', 'number')] });
		const result = reconcile(
			[{ id: '1', properties: { domain: 'acme.com', name: 'Acme', numemployees: '10' } }, { id: '2', properties: { name: 'Kobe Trading', numemployees: '3' } }],
			[{ id: 'A', fields: { site: 'https://www.ACME.com/about', title: 'Acme', staff: 12 } }, { id: 'B', fields: { title: ' Kobe Trading ', staff: 3 } }],
			[],
			companies,
		);
		// First sync, app is the default: Acme's staff count goes to HubSpot; Kobe (matched by name, no domain) already agrees.
		expect(result.hubspotUpdates.map((write) => [write.hubspotId, write.appId, write.values])).toEqual([['1', 'A', { numemployees: '12' }]]);
		expect(result.hubspotCreates).toEqual([]);
		expect(result.appCreates).toEqual([]);
	});
	it('skips, with reasons, what cannot or must not sync', () => {
		const result = reconcile(
			[
				{ id: '1', properties: { email: 'not-an-email' } },
				{ id: '2', properties: { firstname: 'No email' } },
				{ id: '3', properties: { email: 'dup@example.com' } },
				{ id: '4', properties: { email: 'DUP@example.com' } },
				{ id: '5', properties: { email: 'left-out@example.com' }, included: false },
			],
			[{ id: 'A', fields: { mail: 'ok@example.com', optIn: 'perhaps' } }],
			[],
			settings(),
		);
		expect(result.skips.map((skip) => [skip.side, skip.id, skip.code])).toEqual([
			['hubspot', '1', 'INVALID_EMAIL'],
			['hubspot', '2', 'MISSING_MATCH_KEY'],
			['hubspot', '4', 'DUPLICATE_KEY'],
			['app', 'A', 'VALUE_INVALID'],
			['hubspot', '5', 'FILTERED_OUT'],
		]);
		expect(result.skips[2].reason).toBe('Record 4 in HubSpot has the same email as record 3; only the first is synced.');
		expect(result.skips[3].reason).toContain('Record A in the app, field "optIn": "perhaps" is not a yes/no value');
		// The invalid app record is not created in HubSpot: a bad value never becomes a half record.
		expect(result.hubspotCreates).toEqual([]);
		expect(result.appCreates.map((write) => write.hubspotId)).toEqual(['3']);
	});
});

describe('reconcile: creates, deletes, directions', () => {
	it('creates on the other side with each side’s types; app picklist values translated', () => {
		const result = reconcile(
			[{ id: '7', properties: { email: 'new-in-hubspot@example.com', firstname: 'Ren', opted_in: 'true', lifecyclestage: 'customer' } }],
			[{ id: 'B', fields: { mail: 'New-In-App@Example.com', first: 'Sora', optIn: false, status: 'Prospect' } }],
			[],
			settings(),
		);
		expect(result.appCreates).toEqual([
			expect.objectContaining({ hubspotId: '7', appId: null, values: { mail: 'new-in-hubspot@example.com', first: 'Ren', optIn: true, status: 'Client' } }),
		]);
		expect(result.hubspotCreates).toEqual([
			expect.objectContaining({ appId: 'B', hubspotId: null, values: { email: 'new-in-app@example.com', firstname: 'Sora', opted_in: 'false', lifecyclestage: 'lead' } }),
		]);
	});
	it('each create can be switched off', () => {
		const result = reconcile([{ id: '7', properties: { email: 'a@example.com' } }], [{ id: 'B', fields: { mail: 'b@example.com' } }], [], settings({ createInApp: false, createInHubspot: false }));
		expect([result.appCreates, result.hubspotCreates]).toEqual([[], []]);
	});
	it('a record deleted on one side after a sync is not created again, unless resynced', () => {
		const links: SyncLink[] = [
			{ key: 'email:gone-from-app@example.com', hubspotId: '8', appId: 'C', values: {} },
			{ key: 'email:gone-from-hubspot@example.com', hubspotId: '9', appId: 'D', values: {} },
		];
		const hubspot = [{ id: '8', properties: { email: 'gone-from-app@example.com' } }];
		const app = [{ id: 'D', fields: { mail: 'gone-from-hubspot@example.com' } }];
		const normal = reconcile(hubspot, app, links, settings());
		expect(normal.skips.map((skip) => [skip.id, skip.code])).toEqual([['8', 'DELETED_IN_APP'], ['D', 'DELETED_IN_HUBSPOT']]);
		expect([normal.appCreates, normal.hubspotCreates]).toEqual([[], []]);
		const resync = reconcile(hubspot, app, links, settings({ resyncDeleted: true }));
		expect([resync.appCreates.length, resync.hubspotCreates.length, resync.skips.length]).toEqual([1, 1, 0]);
	});
	it('a deletion in the app deletes the HubSpot record only for the kinds chosen; too many at once are all held', () => {
		const links: SyncLink[] = [
			{ key: 'email:lead@example.com', hubspotId: '8', appId: 'L1', values: {}, appKind: 'lead' },
			{ key: 'email:contact@example.com', hubspotId: '9', appId: 'C1', values: {}, appKind: 'contact' },
		];
		const hubspot = [{ id: '8', properties: { email: 'lead@example.com' } }, { id: '9', properties: { email: 'contact@example.com' } }];
		const leadsOnly = reconcile(hubspot, [], links, settings({ deleteInHubspotKinds: ['lead'] }));
		expect(leadsOnly.hubspotDeletes.map((entry) => [entry.hubspotId, entry.appId])).toEqual([['8', 'L1']]);
		expect(leadsOnly.skips.map((skip) => [skip.id, skip.code])).toEqual([['9', 'DELETED_IN_APP']]);
		// Off by default: nothing is deleted.
		expect(reconcile(hubspot, [], links, settings()).hubspotDeletes).toEqual([]);
		// A resync creates the app record again instead of deleting.
		const resync = reconcile(hubspot, [], links, settings({ deleteInHubspotKinds: ['lead', 'contact'], resyncDeleted: true }));
		expect([resync.hubspotDeletes.length, resync.appCreates.length]).toEqual([0, 2]);
		const held = reconcile(hubspot, [], links, settings({ deleteInHubspotKinds: ['lead', 'contact'], maxDeletes: 1 }));
		expect(held.hubspotDeletes).toEqual([]);
		expect(held.skips.map((skip) => skip.code)).toEqual(['DELETES_HELD', 'DELETES_HELD']);
		expect(held.skips[0].reason).toContain('2 HubSpot records would be deleted in one run, more than the 1 allowed; none was deleted.');
	});
	it('a linked record that is still there but unmatched is never taken for deleted, nor created again', () => {
		const links: SyncLink[] = [
			{ key: 'email:old@example.com', hubspotId: '8', appId: 'A', values: {}, appKind: 'lead' },
			{ key: 'email:bad@example.com', hubspotId: '9', appId: 'B', values: {}, appKind: 'lead' },
		];
		const hubspot = [{ id: '8', properties: { email: 'old@example.com' } }, { id: '9', properties: { email: 'bad@example.com' } }];
		// A's email changed in the app; B now has a value HubSpot cannot take.
		const app = [{ id: 'A', fields: { mail: 'new@example.com' } }, { id: 'B', fields: { mail: 'bad@example.com', optIn: 'perhaps' } }];
		const result = reconcile(hubspot, app, links, settings({ deleteInHubspotKinds: ['lead'] }));
		expect([result.hubspotDeletes, result.hubspotCreates, result.appCreates]).toEqual([[], [], []]);
		expect(result.skips.map((skip) => [skip.side, skip.id, skip.code, skip.otherId])).toEqual([
			['app', 'B', 'VALUE_INVALID', undefined],
			['app', 'A', 'MATCH_KEY_CHANGED', '8'],
		]);
		expect(result.skips[1].reason).toBe('Record A in the app was synced as old@example.com and now has the email new@example.com; it is not created again in HubSpot. Change the email on the other side too, so that the two match again.');
		// The same in HubSpot.
		const renamed = reconcile([{ id: '8', properties: { email: 'renamed@example.com' } }], [{ id: 'A', fields: { mail: 'old@example.com' } }], links.slice(0, 1), settings({ deleteInHubspotKinds: ['lead'] }));
		expect([renamed.hubspotDeletes, renamed.appCreates, renamed.hubspotCreates]).toEqual([[], [], []]);
		expect(renamed.skips.map((skip) => [skip.side, skip.id, skip.code])).toEqual([['hubspot', '8', 'MATCH_KEY_CHANGED']]);
	});
	it('app records may be kept from creating HubSpot records one by one, and their kind goes into the link', () => {
		const result = reconcile([], [{ id: 'L1', fields: { mail: 'lead@example.com' }, kind: 'lead', createInHubspot: false }, { id: 'C1', fields: { mail: 'contact@example.com' }, kind: 'contact' }], [], settings());
		expect(result.hubspotCreates.map((write) => [write.appId, write.link.appKind])).toEqual([['C1', 'contact']]);
	});
	it('only app → HubSpot never writes to the app, not even creates', () => {
		const result = reconcile(
			[{ id: '1', properties: { email: 'x@example.com', firstname: 'HubSpot name' } }, { id: '2', properties: { email: 'only-hubspot@example.com' } }],
			[{ id: 'A', fields: { mail: 'x@example.com', first: 'App name' } }],
			[],
			settings({ direction: 'toHubspot', defaultSide: 'hubspot' }),
		);
		expect(result.hubspotUpdates.map((write) => write.values)).toEqual([{ firstname: 'App name' }]);
		expect([result.appUpdates, result.appCreates]).toEqual([[], []]);
	});
});

const nothing = { hubspotUpdates: [], appUpdates: [], hubspotCreates: [], appCreates: [], linkSaves: [], hubspotDeletes: [], skips: [] };

/** Upserts links by key, as the template's Data table step does. */
function saveLinks(links: SyncLink[], saves: SyncLink[]): SyncLink[] {
	const byKey = new Map(links.map((link) => [link.key, link]));
	for (const link of saves) byKey.set(link.key, link);
	return [...byKey.values()];
}

describe('reconcile: country and state values as ISO codes', () => {
	const place = settings({ mappings: [map('mail', 'email'), map('land', 'country', 'text', { normalize: 'country' }), map('region', 'state', 'text', { normalize: 'state' })] });
	it('the same place in other words is no change; a change is written as the code; creates carry codes', () => {
		const link: SyncLink = { key: 'email:x@example.com', hubspotId: '1', appId: 'A', values: { email: 'x@example.com', country: 'JP', state: 'JP-13' } };
		const same = reconcile([{ id: '1', properties: { email: 'x@example.com', country: 'Japan', state: '東京都' } }], [{ id: 'A', fields: { mail: 'x@example.com', land: '日本', region: 'Tokyo' } }], [link], place);
		expect({ ...same, linkSaves: [] }).toEqual(nothing);
		const moved = reconcile([{ id: '1', properties: { email: 'x@example.com', country: 'United States', state: 'California' } }], [{ id: 'A', fields: { mail: 'x@example.com', land: 'JP', region: 'JP-13' } }], [link], place);
		expect(moved.appUpdates.map((write) => write.values)).toEqual([{ land: 'US', region: 'US-CA' }]);
		const created = reconcile([], [{ id: 'B', fields: { mail: 'new@example.com', land: 'アメリカ', region: 'new york', } }, { id: 'C', fields: { mail: 'other@example.com', land: 'Atlantis' } }], [], place);
		expect(created.hubspotCreates.map((write) => write.values)).toEqual([
			{ email: 'new@example.com', country: 'US', state: 'US-NY' },
			// Not a known country: written as it is, not guessed.
			{ email: 'other@example.com', country: 'Atlantis' },
		]);
	});
});

describe('reconcile: record filters', () => {
	const pair = (included: { hubspot?: boolean; app?: boolean }) =>
		reconcile(
			[{ id: '1', properties: { email: 'x@example.com', firstname: 'HubSpot name', lifecyclestage: 'lead' }, included: included.hubspot }],
			[{ id: 'A', fields: { mail: 'x@example.com', first: 'App name', status: 'Client' }, included: included.app }],
			[{ key: 'email:x@example.com', hubspotId: '1', appId: 'A', values: { email: 'x@example.com', firstname: 'App name', lifecyclestage: 'lead' } }],
			settings(),
		);
	it('each side’s filter limits what that side sends; it may still receive', () => {
		// HubSpot changed firstname, the app changed the stage.
		const both = pair({});
		expect([both.hubspotUpdates.map((write) => write.values), both.appUpdates.map((write) => write.values)]).toEqual([[{ lifecyclestage: 'customer' }], [{ first: 'HubSpot name' }]]);
		const hubspotOut = pair({ hubspot: false });
		expect([hubspotOut.hubspotUpdates.map((write) => write.values), hubspotOut.appUpdates]).toEqual([[{ lifecyclestage: 'customer' }], []]);
		// The held-back change stays pending in the link: it flows once the record is included again.
		expect(hubspotOut.hubspotUpdates[0].link.values.firstname).toBe('App name');
		const appOut = pair({ app: false });
		expect([appOut.hubspotUpdates, appOut.appUpdates.map((write) => write.values)]).toEqual([[], [{ first: 'HubSpot name' }]]);
		const neither = pair({ hubspot: false, app: false });
		expect({ ...neither, skips: [] }).toEqual(nothing);
		expect(neither.skips.map((skip) => [skip.side, skip.id, skip.code])).toEqual([['hubspot', '1', 'FILTERED_OUT']]);
	});
	it('a record outside its filter is not created on the other side, and does not let the other side create it', () => {
		const result = reconcile(
			[{ id: '1', properties: { email: 'only-hubspot@example.com' }, included: false }],
			[{ id: 'A', fields: { mail: 'only-app@example.com' }, included: false }],
			[],
			settings(),
		);
		expect([result.hubspotCreates, result.appCreates]).toEqual([[], []]);
		expect(result.skips.map((skip) => skip.reason)).toEqual([
			'Record 1 in HubSpot does not pass the HubSpot record filter (inclusion list), so nothing of it is sent to the app.',
			'Record A in the app does not pass the app record filter, so nothing of it is sent to HubSpot.',
		]);
	});
});

describe('reconcile: convergence', () => {
	/** Applies a result to both sides as the template's write steps would, and returns the links to save. */
	function apply(hubspot: HubSpotSide[], app: AppSide[], links: SyncLink[], result: ReturnType<typeof reconcile>): SyncLink[] {
		let nextId = 100;
		const saved = new Map(links.map((link) => [link.key, link]));
		for (const write of result.hubspotUpdates) Object.assign(hubspot.find((record) => record.id === write.hubspotId)!.properties, write.values);
		for (const write of result.appUpdates) Object.assign(app.find((record) => record.id === write.appId)!.fields, write.values);
		for (const write of result.hubspotCreates) {
			const id = String(nextId++);
			hubspot.push({ id, properties: { ...(write.values as Record<string, string>) } });
			write.link.hubspotId = id;
		}
		for (const write of result.appCreates) {
			const id = `N${nextId++}`;
			app.push({ id, fields: { ...write.values } });
			write.link.appId = id;
		}
		for (const write of [...result.hubspotUpdates, ...result.appUpdates, ...result.hubspotCreates, ...result.appCreates]) saved.set(write.link.key, write.link);
		return [...saved.values()];
	}

	it('a second run after applying the first writes nothing; a later change flows once', () => {
		const hubspot: HubSpotSide[] = [
			{ id: '1', properties: { email: 'both@example.com', firstname: 'Hina', opted_in: 'true', lifecyclestage: 'lead' } },
			{ id: '2', properties: { email: 'hubspot-only@example.com', firstname: 'Ren' } },
		];
		const app: AppSide[] = [
			{ id: 'A', fields: { mail: 'BOTH@example.com', first: '', optIn: false, status: 'Client' } },
			{ id: 'B', fields: { mail: 'app-only@example.com', first: 'Sora', optIn: true } },
		];
		const first = reconcile(hubspot, app, [], settings());
		// Both: the app (default) wins opted_in and the stage; its blank first name is filled from HubSpot.
		expect(first.hubspotUpdates.map((write) => write.values)).toEqual([{ opted_in: 'false', lifecyclestage: 'customer' }]);
		expect(first.appUpdates.map((write) => write.values)).toEqual([{ first: 'Hina' }]);
		let links = apply(hubspot, app, [], first);
		const second = reconcile(hubspot, app, links, settings());
		// Nothing is written to either side. The pair written both ways gets its link completed once
		// (each write saved its own part: see "a failed write…").
		expect({ ...second, linkSaves: [] }).toEqual(nothing);
		expect(second.linkSaves.map((link) => link.values)).toEqual([{ email: 'both@example.com', firstname: 'Hina', opted_in: 'false', lifecyclestage: 'customer' }]);
		links = saveLinks(links, second.linkSaves);
		expect(reconcile(hubspot, app, links, settings())).toEqual(nothing);

		// Later: HubSpot changes the first name, the app changes the stage; each flows to the other side once.
		hubspot[0].properties.firstname = 'Hinako';
		app[0].fields.status = 'Prospect';
		const third = reconcile(hubspot, app, links, settings());
		expect(third.hubspotUpdates.map((write) => write.values)).toEqual([{ lifecyclestage: 'lead' }]);
		expect(third.appUpdates.map((write) => write.values)).toEqual([{ first: 'Hinako' }]);
		links = apply(hubspot, app, links, third);
		const fourth = reconcile(hubspot, app, links, settings());
		expect({ ...fourth, linkSaves: [] }).toEqual(nothing);
		expect(reconcile(hubspot, app, saveLinks(links, fourth.linkSaves), settings())).toEqual(nothing);
	});

	it('a failed write is tried again on the next run, never reverted by the stale side', () => {
		const hubspot: HubSpotSide[] = [{ id: '1', properties: { email: 'x@example.com', firstname: 'Old', lifecyclestage: 'lead' } }];
		const app: AppSide[] = [{ id: 'A', fields: { mail: 'x@example.com', first: 'Old', status: 'Prospect' } }];
		const links = saveLinks([], reconcile(hubspot, app, [], settings()).linkSaves);
		hubspot[0].properties.firstname = 'New in HubSpot';
		app[0].fields.status = 'Client';
		const run = reconcile(hubspot, app, links, settings());
		expect(run.hubspotUpdates.map((write) => write.values)).toEqual([{ lifecyclestage: 'customer' }]);
		expect(run.appUpdates.map((write) => write.values)).toEqual([{ first: 'New in HubSpot' }]);
		// The HubSpot write succeeds and saves its link; the app write fails (its link is not saved).
		hubspot[0].properties.lifecyclestage = 'customer';
		expect(run.hubspotUpdates[0].link.values.firstname).toBe('Old');
		const afterFailure = saveLinks(links, [run.hubspotUpdates[0].link]);
		const retry = reconcile(hubspot, app, afterFailure, settings());
		expect(retry.appUpdates.map((write) => write.values)).toEqual([{ first: 'New in HubSpot' }]);
		expect(retry.hubspotUpdates).toEqual([]);
	});


	it('a mapping switched off is neither compared nor written', () => {
		const off = contactMappings.map((mapping) => (mapping.hubspotProperty === 'firstname' ? { ...mapping, enabled: false } : mapping));
		const result = reconcile([{ id: '1', properties: { email: 'x@example.com', firstname: 'One' } }], [{ id: 'A', fields: { mail: 'x@example.com', first: 'Other' } }], [], settings({ mappings: off }));
		expect([result.hubspotUpdates, result.appUpdates]).toEqual([[], []]);
	});
});

describe('reconcile: primary company associations', () => {
	// Companies linked by their own sync: HubSpot 900 = app C1, HubSpot 901 = app C2; HubSpot 999 is not synced.
	const companyLinks = [{ hubspotId: '900', appId: 'C1' }, { hubspotId: '901', appId: 'C2' }];
	const withCompany = settings({ mappings: [map('mail', 'email'), map('first', 'firstname')], associations: [{ toObjectType: 'companies', appField: 'companyId', links: companyLinks }] });
	const contact = (company?: string): HubSpotSide => ({ id: '1', properties: { email: 'x@example.com', firstname: 'X' }, ...(company ? { associations: { companies: company } } : {}) });
	const appContact = (companyId?: string): AppSide => ({ id: 'A', fields: { mail: 'x@example.com', first: 'X', ...(companyId ? { companyId } : {}) } });

	it('the same company on both sides is no write; the link keeps it', () => {
		const result = reconcile([contact('900')], [appContact('C1')], [], withCompany);
		expect([result.hubspotUpdates, result.appUpdates]).toEqual([[], []]);
		expect(result.linkSaves[0].values['@companies']).toBe('900');
	});
	it('a company only the app holds becomes the HubSpot primary; one only HubSpot holds fills the app field', () => {
		const toHubspot = reconcile([contact()], [appContact('C2')], [], withCompany);
		expect(toHubspot.hubspotUpdates).toHaveLength(1);
		expect(toHubspot.hubspotUpdates[0]).toMatchObject({ values: {}, associations: { companies: '901' } });
		expect(toHubspot.hubspotUpdates[0].link.values['@companies']).toBe('901');
		const toApp = reconcile([contact('901')], [appContact()], [], withCompany);
		expect(toApp.appUpdates.map((write) => write.values)).toEqual([{ companyId: 'C2' }]);
	});
	it('a company changed on one side since the last sync moves the other; on both, the default app wins', () => {
		const link: SyncLink = { key: 'email:x@example.com', hubspotId: '1', appId: 'A', values: { email: 'x@example.com', firstname: 'X', '@companies': '900' } };
		const appMoved = reconcile([contact('900')], [appContact('C2')], [link], withCompany);
		expect(appMoved.hubspotUpdates[0].associations).toEqual({ companies: '901' });
		expect(appMoved.appUpdates).toEqual([]);
		const hubspotMoved = reconcile([contact('901')], [appContact('C1')], [link], withCompany);
		expect(hubspotMoved.appUpdates.map((write) => write.values)).toEqual([{ companyId: 'C2' }]);
		expect(hubspotMoved.hubspotUpdates).toEqual([]);
		const bothMoved = reconcile([{ ...contact('901') }], [appContact('C1')], [{ ...link, values: { ...link.values, '@companies': '999' } }], withCompany);
		// Default app (the app) wins: HubSpot's primary becomes the app's company.
		expect(bothMoved.hubspotUpdates[0].associations).toEqual({ companies: '900' });
	});
	it('a company the other sync has not linked is left alone on both sides, and flows once it is linked', () => {
		const unsynced = reconcile([contact('999')], [appContact('C9')], [], withCompany);
		expect([unsynced.hubspotUpdates, unsynced.appUpdates]).toEqual([[], []]);
		expect(unsynced.linkSaves[0].values['@companies']).toBeUndefined();
		const linked = reconcile([contact('999')], [appContact('C9')], saveLinks([], unsynced.linkSaves), settings({ ...withCompany, associations: [{ toObjectType: 'companies', appField: 'companyId', links: [...companyLinks, { hubspotId: '999', appId: 'C9' }] }] }));
		expect([linked.hubspotUpdates, linked.appUpdates]).toEqual([[], []]);
		expect(linked.linkSaves[0].values['@companies']).toBe('999');
	});
	it('a blank company never removes the other side’s; creates carry the company across', () => {
		const link: SyncLink = { key: 'email:x@example.com', hubspotId: '1', appId: 'A', values: { email: 'x@example.com', firstname: 'X', '@companies': '900' } };
		const cleared = reconcile([contact('900')], [appContact()], [link], withCompany);
		expect(cleared.hubspotUpdates).toEqual([]);
		expect(cleared.appUpdates.map((write) => write.values)).toEqual([{ companyId: 'C1' }]);
		const creates = reconcile([{ id: '2', properties: { email: 'new@example.com' }, associations: { companies: '901' } }], [{ id: 'B', fields: { mail: 'b@example.com', companyId: 'C1' } }], [], withCompany);
		expect(creates.appCreates[0].values).toEqual({ mail: 'new@example.com', companyId: 'C2' });
		expect(creates.appCreates[0].link.values['@companies']).toBe('901');
		expect(creates.hubspotCreates[0]).toMatchObject({ values: { email: 'b@example.com' }, associations: { companies: '900' } });
		expect(creates.hubspotCreates[0].link.values['@companies']).toBe('900');
	});
	it('converges: applying the writes, the next run writes nothing', () => {
		const hubspot = [contact()];
		const app = [appContact('C2')];
		const first = reconcile(hubspot, app, [], withCompany);
		hubspot[0].associations = { ...first.hubspotUpdates[0].associations };
		const links = saveLinks([], first.hubspotUpdates.map((write) => write.link));
		const second = reconcile(hubspot, app, links, withCompany);
		expect([second.hubspotUpdates, second.appUpdates, second.linkSaves]).toEqual([[], [], []]);
	});
});

describe('reconcile: deals (no natural key: paired by their links)', () => {
	const dealDefinitions = new Map<string, PropertyDefinition>(
		[
			{ name: 'dealname', label: 'Deal name', type: 'string', fieldType: 'text' },
			{ name: 'amount', label: 'Amount', type: 'number', fieldType: 'number' },
		].map((definition) => [definition.name, definition]),
	);
	const deals = settings({ objectType: 'deals', definitions: dealDefinitions, requireValidEmail: false, mappings: [map('title', 'dealname'), map('value', 'amount', 'number')], associations: [{ toObjectType: 'companies', appField: 'companyId', links: [{ hubspotId: '900', appId: 'C1' }] }] });

	it('unlinked deals are created across, even with equal names; linked ones are compared field by field', () => {
		const first = reconcile([{ id: '11', properties: { dealname: 'Same name', amount: '10' }, associations: { companies: '900' } }], [{ id: 'D1', fields: { title: 'Same name', value: 20 } }], [], deals);
		expect(first.appCreates).toHaveLength(1);
		expect(first.appCreates[0]).toMatchObject({ key: 'hubspot:11', values: { title: 'Same name', value: 10, companyId: 'C1' } });
		expect(first.hubspotCreates).toHaveLength(1);
		expect(first.hubspotCreates[0]).toMatchObject({ key: 'app:D1', hubspotId: null, values: { dealname: 'Same name', amount: '20' }, match: {} });
		// Both creates done: the links carry the new ids.
		const links: SyncLink[] = [
			{ ...first.appCreates[0].link, appId: 'D9' },
			{ ...first.hubspotCreates[0].link, hubspotId: '12' },
		];
		const hubspot: HubSpotSide[] = [{ id: '11', properties: { dealname: 'Same name', amount: '10' }, associations: { companies: '900' } }, { id: '12', properties: { dealname: 'Same name', amount: '20' } }];
		const app: AppSide[] = [{ id: 'D1', fields: { title: 'Same name', value: 20 } }, { id: 'D9', fields: { title: 'Same name', value: 10, companyId: 'C1' } }];
		const second = reconcile(hubspot, app, links, deals);
		expect([second.hubspotUpdates, second.appUpdates, second.hubspotCreates, second.appCreates, second.skips]).toEqual([[], [], [], [], []]);
		// A change on one side flows to its linked deal only.
		app[1].fields.value = 15;
		const third = reconcile(hubspot, app, links, deals);
		expect(third.hubspotUpdates.map((write) => [write.hubspotId, write.values])).toEqual([['11', { amount: '15' }]]);
	});
	it('a linked deal deleted on one side is not created again', () => {
		const link: SyncLink = { key: 'hubspot:11', hubspotId: '11', appId: 'D1', values: { dealname: 'X' } };
		const result = reconcile([{ id: '11', properties: { dealname: 'X' } }], [], [link], deals);
		expect(result.appCreates).toEqual([]);
		expect(result.skips).toEqual([expect.objectContaining({ code: 'DELETED_IN_APP', id: '11', otherId: 'D1' })]);
	});
});

describe('reconcile: a side with unreadable items', () => {
	it('a linked record missing from that side is neither deleted nor created again; the rest syncs', () => {
		const link: SyncLink = { key: 'email:gone@example.com', hubspotId: '1', appId: 'A', appKind: 'lead', values: { email: 'gone@example.com' } };
		const hubspot: HubSpotSide[] = [{ id: '1', properties: { email: 'gone@example.com' } }, { id: '2', properties: { email: 'new@example.com' } }];
		const normal = reconcile(hubspot, [], [link], settings({ deleteInHubspotKinds: ['lead'] }));
		expect(normal.hubspotDeletes).toHaveLength(1);
		for (const extra of [{ deleteInHubspotKinds: ['lead'] }, { resyncDeleted: true }, {}]) {
			const held = reconcile(hubspot, [], [link], settings({ ...extra, unreadable: { app: 2 } }));
			expect([held.hubspotDeletes, held.appCreates.map((write) => write.key)]).toEqual([[], ['email:new@example.com']]);
			expect(held.skips).toEqual([expect.objectContaining({ code: 'SIDE_INCOMPLETE', id: '1', otherId: 'A', reason: expect.stringContaining('2 of the app\'s items could not be read') })]);
		}
		const hubspotUnread = reconcile([], [{ id: 'A', fields: { mail: 'gone@example.com' } }], [link], settings({ resyncDeleted: true, unreadable: { hubspot: 1 } }));
		expect(hubspotUnread.hubspotCreates).toEqual([]);
		expect(hubspotUnread.skips.map((skip) => skip.code)).toEqual(['SIDE_INCOMPLETE']);
	});
});

describe('reconcile: an incremental HubSpot input (only records changed since a cursor)', () => {
	const withCompany = settings({ hubspotInput: 'changed', mappings: [map('mail', 'email'), map('first', 'firstname')], associations: [{ toObjectType: 'companies', appField: 'companyId', links: [{ hubspotId: '900', appId: 'C1' }, { hubspotId: '901', appId: 'C2' }] }] });
	const link = (n: number): SyncLink => ({ key: `email:c${n}@example.com`, hubspotId: String(n), appId: `A${n}`, values: { email: `c${n}@example.com`, firstname: `F${n}`, '@companies': '900' } });
	const app = (n: number, first = `F${n}`, companyId = 'C1'): AppSide => ({ id: `A${n}`, fields: { mail: `c${n}@example.com`, first, companyId } });

	it('a linked record the pull did not return is unchanged: app changes flow to it, nothing is taken for deleted or new', () => {
		const links = [link(1), link(2), link(3)];
		// Only contact 1 changed in HubSpot; the app changed contact 2's first name and company.
		const result = reconcile([{ id: '1', properties: { email: 'c1@example.com', firstname: 'New in HubSpot' }, associations: { companies: '900' } }], [app(1), app(2, 'New in app', 'C2'), app(3)], links, withCompany);
		expect(result.appUpdates.map((write) => [write.appId, write.values])).toEqual([['A1', { first: 'New in HubSpot' }]]);
		expect(result.hubspotUpdates.map((write) => [write.hubspotId, write.values, write.associations])).toEqual([['2', { firstname: 'New in app' }, { companies: '901' }]]);
		expect([result.hubspotCreates, result.appCreates, result.skips, result.linkSaves]).toEqual([[], [], [], []]);
	});
	it('the same input read in full would take the missing records for deleted in HubSpot', () => {
		const result = reconcile([], [app(3)], [link(3)], { ...withCompany, hubspotInput: 'all' });
		expect(result.skips.map((skip) => skip.code)).toEqual(['DELETED_IN_HUBSPOT']);
		expect(reconcile([], [app(3)], [link(3)], withCompany).skips).toEqual([]);
	});
	it('a record linked by a key whose mapping is off still pairs (the key gives the match value)', () => {
		const off = settings({ hubspotInput: 'changed', mappings: [map('mail', 'email', 'text', { enabled: false }), map('first', 'firstname')] });
		const result = reconcile([], [app(4, 'Changed')], [{ key: 'email:c4@example.com', hubspotId: '4', appId: 'A4', values: { firstname: 'F4' } }], off);
		expect(result.hubspotUpdates.map((write) => [write.hubspotId, write.values])).toEqual([['4', { firstname: 'Changed' }]]);
		expect(result.skips).toEqual([]);
	});
});
