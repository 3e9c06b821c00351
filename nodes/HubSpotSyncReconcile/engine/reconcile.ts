/**
 * Two-way record sync, decided without calling anything: HubSpot records, the other app's records
 * and the last synced values ("links") in; what to write where out. Pure, so that every conflict
 * case is a unit test. The rules follow the card connector, HubSpot's data sync and
 * HubSpot's Salesforce connector:
 * - records are matched by key: contacts by email (trimmed, case-insensitive), companies by domain
 *   (no scheme, no www.), then by name;
 * - a field changed on one side since the last sync flows to the other; changed on both, the
 *   default app wins; a blank value never overwrites a value on the other side;
 * - one-way directions only write to their target, and only what changed at the source;
 * - a record deleted on one side is not created again unless a resync asks for it.
 * Values are compared in HubSpot's stored form (the property's type), so "10" and "10.0", or one
 * instant in two formats, are the same value.
 */
import { DateTime } from 'luxon';

import { domainKey, emailKey, isValidEmail, nameKey } from '../../shared/matching';
import type { PropertyDefinition } from '../../shared/properties';
import { isBlank, sameValue, toHubSpotValue, ValueError } from '../../shared/values';
import { countryCode } from './country';
import { stateCode } from './subdivision';

export type SyncSide = 'hubspot' | 'app';
export type SyncDirection = 'twoWay' | 'toHubspot' | 'toApp';
/** How the other app stores a mapped value. */
export type AppValueType = 'text' | 'number' | 'boolean' | 'date' | 'datetime';

export interface FieldMapping {
	appField: string;
	hubspotProperty: string;
	enabled: boolean;
	appType: AppValueType;
	/** App value → HubSpot option value, for picklists whose values differ between the apps. */
	picklist?: Array<{ app: string; hubspot: string }>;
	/**
	 * Country or state values become ISO codes (3166-1 alpha-2, 3166-2) on both sides before
	 * comparing and writing.
	 */
	normalize?: 'country' | 'state';
}

export interface HubSpotSide {
	id: string;
	properties: Record<string, string | null | undefined>;
	/**
	 * The record's primary associated record in HubSpot, by object type (e.g. a contact's primary
	 * company id).
	 */
	associations?: Partial<Record<AssociatedObject, string>>;
	/** False when the record filter (or the inclusion list) leaves it out of the sync. */
	included?: boolean;
}

export interface AppSide {
	id: string;
	fields: Record<string, unknown>;
	included?: boolean;
	/**
	 * False: never created in HubSpot (e.g. Salesforce leads while only contacts create HubSpot
	 * contacts).
	 */
	createInHubspot?: boolean;
	/**
	 * What kind of record it is in the app (e.g. lead, contact); kept in the link for delete
	 * propagation.
	 */
	kind?: string;
}

/** What both sides held after the last sync of a pair, in HubSpot's stored form. */
export interface SyncLink {
	key: string;
	hubspotId: string | null;
	appId: string | null;
	values: Record<string, string>;
	/** The app record's kind when it was last synced. */
	appKind?: string;
}

export type AssociatedObject = 'companies';

/**
 * An association kept in sync (a contact's primary company): the app holds the associated record's
 * app id in a field, HubSpot holds a primary association. The two are the same company when that
 * company's own sync linked them, so only associations to synced records are synced.
 */
export interface AssociationSync {
	toObjectType: AssociatedObject;
	/** The app field holding the associated record's app id (e.g. companyId). */
	appField: string;
	/** The associated object's links (its own sync's): HubSpot id ↔ app id. */
	links: Array<{ hubspotId: string; appId: string }>;
}

/**
 * The link value under which an association's last synced HubSpot id is kept (not a property name:
 * those never start with @).
 */
export const associationValueName = (toObjectType: AssociatedObject): string => `@${toObjectType}`;

export interface ReconcileSettings {
	/**
	 * Contacts match by email, companies by domain then name; deals (no natural key) by their links
	 * only.
	 */
	objectType: 'contacts' | 'companies' | 'deals';
	direction: SyncDirection;
	/** Wins when both sides changed the same field since the last sync. */
	defaultSide: SyncSide;
	mappings: FieldMapping[];
	definitions: Map<string, PropertyDefinition>;
	requireValidEmail: boolean;
	createInHubspot: boolean;
	createInApp: boolean;
	/** Create again records whose pair was deleted on one side (on demand). */
	resyncDeleted: boolean;
	/**
	 * App record kinds whose deletion deletes the HubSpot record too (as HubSpot's Salesforce
	 * connector offers; empty = never).
	 */
	deleteInHubspotKinds?: string[];
	/**
	 * More deletions than this in one run are all held back (a safeguard against a partial app read).
	 */
	maxDeletes?: number;
	/** Associations kept in sync along with the fields (primary company). */
	associations?: AssociationSync[];
	/**
	 * Items of a side that could not be read (continue on fail): any of them may be a linked record,
	 * so a linked record missing from that side is neither taken for deleted nor created again.
	 */
	unreadable?: Partial<Record<SyncSide, number>>;
	/**
	 * What the HubSpot input holds: every record (a full pull), or only those changed since a cursor
	 * (an incremental pull). With 'changed', a linked record missing from the input is unchanged
	 * since the last sync, so it stands as the link's values; HubSpot deletions are then found by
	 * full pulls only.
	 */
	hubspotInput?: 'all' | 'changed';
}

export interface Write {
	key: string;
	hubspotId: string | null;
	appId: string | null;
	/** HubSpot properties (stored form) or app fields (the app's types). */
	values: Record<string, unknown>;
	/** The link to save once the write succeeded (a create fills in the new id). */
	link: SyncLink;
	/**
	 * The match properties (email; domain and name) as HubSpot holds them, so a writer can find the
	 * record.
	 */
	match: Record<string, string>;
	/** HubSpot writes: the records to make primary associations to, by object type (HubSpot ids). */
	associations?: Partial<Record<AssociatedObject, string>>;
}

export type SkipCode =
	| 'INVALID_EMAIL'
	| 'MISSING_MATCH_KEY'
	| 'DUPLICATE_KEY'
	| 'FILTERED_OUT'
	| 'VALUE_INVALID'
	| 'DELETED_IN_APP'
	| 'DELETED_IN_HUBSPOT'
	| 'DELETES_HELD'
	| 'MATCH_KEY_CHANGED'
	| 'SIDE_INCOMPLETE';

export interface Skip {
	side: SyncSide;
	id: string;
	key: string;
	code: SkipCode;
	reason: string;
	/** The record's id on the other side, when known (e.g. the deleted record's, from the link). */
	otherId?: string;
}

export interface ReconcileResult {
	hubspotUpdates: Write[];
	appUpdates: Write[];
	hubspotCreates: Write[];
	appCreates: Write[];
	/**
	 * Pairs that need no write but whose link is new or out of date (e.g. first sync of equal
	 * records).
	 */
	linkSaves: SyncLink[];
	/**
	 * HubSpot records to delete because their app record was deleted (kinds chosen in the settings).
	 */
	hubspotDeletes: Array<{ key: string; hubspotId: string; appId: string; link: SyncLink }>;
	skips: Skip[];
}

export interface FieldDecision {
	toHubspot?: string;
	toApp?: string;
	/** The value both sides hold after the writes (the link's new value); undefined = blank. */
	value?: string;
}

const blank = (value: string | undefined): boolean => value === undefined || value === '';

/**
 * One field of a matched pair. `hubspot` and `app` are in HubSpot's stored form (undefined =
 * blank); `base` is the last synced value, `hasBase` whether the pair was synced before.
 */
export function decideField(
	hubspot: string | undefined,
	app: string | undefined,
	base: string | undefined,
	hasBase: boolean,
	settings: Pick<ReconcileSettings, 'direction' | 'defaultSide'>,
	same: (left: string, right: string) => boolean = (left, right) => left === right,
): FieldDecision {
	const equal = (left: string | undefined, right: string | undefined) =>
		(blank(left) && blank(right)) || (!blank(left) && !blank(right) && same(left!, right!));
	if (equal(hubspot, app)) return { value: blank(hubspot) ? undefined : hubspot };
	const changed = {
		hubspot: !hasBase || !equal(hubspot, base),
		app: !hasBase || !equal(app, base),
	};
	const value = { hubspot, app };
	let winner: SyncSide | undefined;
	if (settings.direction === 'toHubspot') winner = changed.app ? 'app' : undefined;
	else if (settings.direction === 'toApp') winner = changed.hubspot ? 'hubspot' : undefined;
	else if (changed.hubspot && changed.app) winner = settings.defaultSide;
	else winner = changed.hubspot ? 'hubspot' : changed.app ? 'app' : undefined;
	if (!winner) return { value: base };
	// A blank never overwrites: the other side's value stands (and, in two-way, fills the blank).
	if (blank(value[winner])) {
		const other: SyncSide = winner === 'hubspot' ? 'app' : 'hubspot';
		if (settings.direction !== 'twoWay') return { value: value[other] };
		winner = other;
	}
	return winner === 'app' ? { toHubspot: app, value: app } : { toApp: hubspot, value: hubspot };
}

/**
 * A country or state value as its ISO code; values that are not known countries or states stay as
 * they are.
 */
export function normalizeValue(mapping: Pick<FieldMapping, 'normalize'>, value: string): string {
	if (mapping.normalize === 'country') return countryCode(value) ?? value;
	if (mapping.normalize === 'state') return stateCode(value) ?? value;
	return value;
}

/** The app's value in HubSpot's stored form (undefined = blank); ValueError when it cannot be. */
export function appToHubspot(
	mapping: FieldMapping,
	definition: PropertyDefinition | undefined,
	raw: unknown,
): string | undefined {
	if (isBlank(raw)) return undefined;
	const mapped =
		mapping.picklist?.find((entry) => entry.app.toLowerCase() === String(raw).trim().toLowerCase())
			?.hubspot ?? raw;
	return normalizeValue(mapping, definition ? toHubSpotValue(definition, mapped) : String(mapped));
}

/** HubSpot's stored value in the app's type. */
export function hubspotToApp(mapping: FieldMapping, stored: string): unknown {
	const picked = mapping.picklist?.find((entry) => entry.hubspot === stored)?.app ?? stored;
	switch (mapping.appType) {
		case 'number':
			return Number(picked);
		case 'boolean':
			return picked === 'true';
		case 'date':
			return /^\d+$/.test(picked)
				? new Date(Number(picked)).toISOString().slice(0, 10)
				: picked.slice(0, 10);
		case 'datetime': {
			const at = /^\d+$/.test(picked)
				? DateTime.fromMillis(Number(picked), { zone: 'utc' })
				: DateTime.fromISO(picked, { zone: 'utc' });
			return at.isValid ? at.toUTC().toISO() : picked;
		}
		default:
			return picked;
	}
}

/**
 * The property a record is matched on: email for contacts; domain, then name, for companies; none
 * for deals.
 */
function keyOf(
	objectType: ReconcileSettings['objectType'],
	values: { email?: unknown; domain?: unknown; name?: unknown },
): { key: string; invalidEmail?: boolean } {
	if (objectType === 'deals') return { key: '' };
	if (objectType === 'contacts') {
		const email = emailKey(values.email);
		if (email && !isValidEmail(email)) return { key: '', invalidEmail: true };
		return { key: email ? `email:${email}` : '' };
	}
	const domain = domainKey(values.domain);
	if (domain) return { key: `domain:${domain}` };
	const name = nameKey(values.name);
	return { key: name ? `name:${name}` : '' };
}

/**
 * Match properties in the form HubSpot stores them, so that an email differing only in case or a
 * domain written as a URL is not a change: emails lowercase and trimmed, domains bare, names
 * trimmed.
 */
function normalizeMatchValue(property: string, value: string): string | undefined {
	if (property === 'email') return emailKey(value) || undefined;
	if (property === 'domain') return domainKey(value) || undefined;
	if (property === 'name') return value.trim() || undefined;
	return value;
}

const filteredOut = (side: SyncSide, id: string): string =>
	side === 'hubspot'
		? `Record ${id} in HubSpot does not pass the HubSpot record filter (inclusion list), so nothing of it is sent to the app.`
		: `Record ${id} in the app does not pass the app record filter, so nothing of it is sent to HubSpot.`;

interface Keyed<T> {
	key: string;
	record: T;
	values: Record<string, string | undefined>;
	/**
	 * Associations as the HubSpot id of the associated record, under associationValueName; null when
	 * the associated record is not linked by its own sync (so it cannot be named on the other side).
	 */
	associated: Record<string, string | null | undefined>;
}

/** Both ways between HubSpot ids and app ids of an associated object's linked records. */
interface AssociationIndex {
	sync: AssociationSync;
	name: string;
	appIdOf: Map<string, string>;
	hubspotIdOf: Map<string, string>;
}

function indexAssociations(settings: ReconcileSettings): AssociationIndex[] {
	return (settings.associations ?? []).map((sync) => ({
		sync,
		name: associationValueName(sync.toObjectType),
		appIdOf: new Map(sync.links.map((link) => [link.hubspotId, link.appId])),
		hubspotIdOf: new Map(sync.links.map((link) => [link.appId, link.hubspotId])),
	}));
}

function hubspotAssociated(
	indexes: AssociationIndex[],
	record: HubSpotSide,
): Record<string, string | null | undefined> {
	const associated: Record<string, string | null | undefined> = {};
	for (const index of indexes) {
		const id = record.associations?.[index.sync.toObjectType];
		associated[index.name] = id ? (index.appIdOf.has(id) ? id : null) : undefined;
	}
	return associated;
}

function appAssociated(
	indexes: AssociationIndex[],
	record: AppSide,
): Record<string, string | null | undefined> {
	const associated: Record<string, string | null | undefined> = {};
	for (const index of indexes) {
		const raw = record.fields[index.sync.appField];
		const appId = typeof raw === 'string' || typeof raw === 'number' ? String(raw).trim() : '';
		associated[index.name] = appId ? (index.hubspotIdOf.get(appId) ?? null) : undefined;
	}
	return associated;
}

/**
 * Indexes one side by key; records without a usable key, repeats and filtered ones become skips.
 */
function indexSide<T extends { id: string; included?: boolean }>(
	side: SyncSide,
	records: T[],
	settings: ReconcileSettings,
	valuesOf: (
		record: T,
	) =>
		| { values: Record<string, string | undefined>; associated: Keyed<T>['associated'] }
		| { invalid: string },
	skips: Skip[],
	/** Deals: the key comes from the record's link (or its own id), not from its values. */
	linkedKey?: (record: T) => string,
): Map<string, Keyed<T>> {
	const index = new Map<string, Keyed<T>>();
	const label = side === 'hubspot' ? 'HubSpot' : 'the app';
	for (const record of records) {
		const read = valuesOf(record);
		if ('invalid' in read) {
			skips.push({ side, id: record.id, key: '', code: 'VALUE_INVALID', reason: read.invalid });
			continue;
		}
		const { values, associated } = read;
		const { key, invalidEmail } = linkedKey
			? { key: linkedKey(record), invalidEmail: false }
			: keyOf(settings.objectType, values);
		const skip = (code: SkipCode, reason: string) =>
			skips.push({ side, id: record.id, key, code, reason });
		if (invalidEmail)
			skip('INVALID_EMAIL', `The email of record ${record.id} in ${label} is not a valid address.`);
		else if (!key && (settings.objectType !== 'contacts' || settings.requireValidEmail))
			skip(
				'MISSING_MATCH_KEY',
				`Record ${record.id} in ${label} has no ${settings.objectType === 'contacts' ? 'email' : 'domain or name'} to match on.`,
			);
		else if (!key && record.included === false) skip('FILTERED_OUT', filteredOut(side, record.id));
		else if (key && index.has(key))
			skip(
				'DUPLICATE_KEY',
				`Record ${record.id} in ${label} has the same ${key.split(':')[0]} as record ${index.get(key)!.record.id}; only the first is synced.`,
			);
		else index.set(key || `id:${side}:${record.id}`, { key, record, values, associated });
	}
	return index;
}

function valuesOnApp(
	mappings: FieldMapping[],
	values: Record<string, string | undefined>,
): Record<string, unknown> {
	const fields: Record<string, unknown> = {};
	for (const mapping of mappings) {
		const value = values[mapping.hubspotProperty];
		if (!blank(value)) fields[mapping.appField] = hubspotToApp(mapping, value!);
	}
	return fields;
}

/**
 * App fields of a write: the mapped fields plus each association's app field (the associated
 * record's app id).
 */
function appValuesOf(
	mappings: FieldMapping[],
	associations: AssociationIndex[],
	values: Record<string, string | undefined>,
): Record<string, unknown> {
	const fields = valuesOnApp(mappings, values);
	for (const index of associations) {
		const hubspotId = values[index.name];
		if (!blank(hubspotId)) fields[index.sync.appField] = index.appIdOf.get(hubspotId!);
	}
	return fields;
}

/** A HubSpot write's values: properties for Push, associations (HubSpot ids) for Associate. */
function splitAssociations(
	associations: AssociationIndex[],
	values: Record<string, string>,
): { properties: Record<string, string>; associations: Pick<Write, 'associations'> } {
	const properties = { ...values };
	const targets: Partial<Record<AssociatedObject, string>> = {};
	for (const index of associations) {
		if (properties[index.name] !== undefined)
			targets[index.sync.toObjectType] = properties[index.name];
		delete properties[index.name];
	}
	return { properties, associations: Object.keys(targets).length ? { associations: targets } : {} };
}

/** Associations that can be named on the other side (the associated record is linked). */
const translatable = (
	associated: Record<string, string | null | undefined>,
): Record<string, string | undefined> =>
	Object.fromEntries(Object.entries(associated).filter(([, id]) => id !== null)) as Record<
		string,
		string | undefined
	>;

const present = (values: Record<string, string | undefined>): Record<string, string> =>
	Object.fromEntries(Object.entries(values).filter(([, value]) => !blank(value))) as Record<
		string,
		string
	>;

const matchPropertiesOf = (objectType: ReconcileSettings['objectType']): string[] =>
	objectType === 'contacts' ? ['email'] : objectType === 'companies' ? ['domain', 'name'] : [];

function matchValues(
	settings: ReconcileSettings,
	values: Record<string, string | undefined>,
): Record<string, string> {
	return present(
		Object.fromEntries(matchPropertiesOf(settings.objectType).map((name) => [name, values[name]])),
	);
}

const kindOf = (record: AppSide): Pick<SyncLink, 'appKind'> =>
	record.kind ? { appKind: record.kind } : {};

const sameLink = (left: SyncLink, right: SyncLink): boolean =>
	left.hubspotId === right.hubspotId &&
	left.appId === right.appId &&
	(left.appKind ?? '') === (right.appKind ?? '') &&
	JSON.stringify(Object.entries(left.values).sort()) ===
		JSON.stringify(Object.entries(right.values).sort());

/**
 * A matched pair, field by field. A record left out by its side's filter sends nothing to the other
 * side (it may still receive). Each write carries its own link: the fields it writes, the fields
 * both sides already agree on, and the last synced value of fields still waiting for the other
 * write. So if one of the two writes fails, the saved link never claims a value the failed side
 * lacks, and the next run tries that field again instead of taking the stale side for a change.
 */
function reconcilePair(
	fromHubspot: Keyed<HubSpotSide>,
	fromApp: Keyed<AppSide>,
	link: SyncLink | undefined,
	mappings: FieldMapping[],
	associations: AssociationIndex[],
	settings: ReconcileSettings,
	result: ReconcileResult,
): void {
	const sendsToApp = settings.direction !== 'toHubspot' && fromHubspot.record.included !== false;
	const sendsToHubspot = settings.direction !== 'toApp' && fromApp.record.included !== false;
	if (!sendsToApp && !sendsToHubspot) {
		const side: SyncSide = fromHubspot.record.included === false ? 'hubspot' : 'app';
		const id = side === 'hubspot' ? fromHubspot.record.id : fromApp.record.id;
		result.skips.push({
			side,
			id,
			key: fromHubspot.key,
			code: 'FILTERED_OUT',
			reason: filteredOut(side, id),
		});
		return;
	}
	const toHubspot: Record<string, string> = {};
	const toApp: Record<string, string> = {};
	const linkValues = {
		hubspot: {} as Record<string, string | undefined>,
		app: {} as Record<string, string | undefined>,
		none: {} as Record<string, string | undefined>,
	};
	const settle = (name: string, decision: FieldDecision, base: string | undefined) => {
		const writeHubspot = decision.toHubspot !== undefined && sendsToHubspot;
		const writeApp = decision.toApp !== undefined && sendsToApp;
		if (writeHubspot) toHubspot[name] = decision.toHubspot!;
		if (writeApp) toApp[name] = decision.toApp!;
		const pending = decision.toHubspot !== undefined || decision.toApp !== undefined;
		const settled = pending ? base : decision.value;
		linkValues.hubspot[name] = writeHubspot ? decision.value : settled;
		linkValues.app[name] = writeApp ? decision.value : settled;
		linkValues.none[name] = settled;
	};
	for (const mapping of mappings) {
		const name = mapping.hubspotProperty;
		const definition = settings.definitions.get(name);
		const base = link?.values[name];
		settle(
			name,
			decideField(
				fromHubspot.values[name],
				fromApp.values[name],
				base,
				Boolean(link),
				settings,
				(left, right) => sameValue(definition, left, right),
			),
			base,
		);
	}
	for (const { name } of associations) {
		const base = link?.values[name];
		const [hubspotValue, appValue] = [fromHubspot.associated[name], fromApp.associated[name]];
		// A record the other sync has not linked cannot be named on the other side: leave both alone.
		if (hubspotValue === null || appValue === null) settle(name, { value: base }, base);
		else settle(name, decideField(hubspotValue, appValue, base, Boolean(link), settings), base);
	}
	const pairLink = (values: Record<string, string | undefined>): SyncLink => ({
		key: fromHubspot.key,
		hubspotId: fromHubspot.record.id,
		appId: fromApp.record.id,
		values: present(values),
		...kindOf(fromApp.record),
	});
	const pair = {
		key: fromHubspot.key,
		hubspotId: fromHubspot.record.id,
		appId: fromApp.record.id,
		match: matchValues(settings, fromHubspot.values),
	};
	const hubspotWrite = splitAssociations(associations, toHubspot);
	if (Object.keys(toHubspot).length)
		result.hubspotUpdates.push({
			...pair,
			values: hubspotWrite.properties,
			link: pairLink(linkValues.hubspot),
			...hubspotWrite.associations,
		});
	if (Object.keys(toApp).length)
		result.appUpdates.push({
			...pair,
			values: appValuesOf(mappings, associations, toApp),
			link: pairLink(linkValues.app),
		});
	if (Object.keys(toHubspot).length || Object.keys(toApp).length) return;
	const settledLink = pairLink(linkValues.none);
	if (!link || !sameLink(link, settledLink)) result.linkSaves.push(settledLink);
}

/**
 * A linked record whose match key changed on one side since the last sync (e.g. a new email):
 * creating it across would make a second record for one person, so it is skipped until both sides
 * agree.
 */
function keyChanged(
	side: SyncSide,
	record: Keyed<HubSpotSide> | Keyed<AppSide>,
	earlier: SyncLink,
): Skip {
	const field = earlier.key.split(':')[0];
	const where = side === 'hubspot' ? 'HubSpot' : 'the app';
	const other = side === 'hubspot' ? 'the app' : 'HubSpot';
	return {
		side,
		id: record.record.id,
		otherId: (side === 'hubspot' ? earlier.appId : earlier.hubspotId) ?? undefined,
		key: record.key,
		code: 'MATCH_KEY_CHANGED',
		reason: `Record ${record.record.id} in ${where} was synced as ${earlier.key.slice(field.length + 1)} and now has the ${field} ${record.key.slice(field.length + 1)}; it is not created again in ${other}. Change the ${field} on the other side too, so that the two match again.`,
	};
}

/**
 * Incremental input: linked HubSpot records the pull did not return have not changed since the last
 * sync, so they hold what the link says both sides held (associations included).
 */
function unchangedSinceLink(
	hubspot: HubSpotSide[],
	links: SyncLink[],
	objectType: ReconcileSettings['objectType'],
): HubSpotSide[] {
	const matchProperties = matchPropertiesOf(objectType);
	const pulled = new Set(hubspot.map((record) => record.id));
	const unchanged: HubSpotSide[] = [];
	for (const link of links) {
		if (!link.hubspotId || pulled.has(link.hubspotId)) continue;
		pulled.add(link.hubspotId);
		const properties: Record<string, string> = Object.fromEntries(
			Object.entries(link.values).filter(([name]) => !name.startsWith('@')),
		);
		// The match value comes from the key when its mapping is off (so not in the values).
		const [matchProperty, ...matchValue] = link.key.split(':');
		if (matchProperties.includes(matchProperty) && !properties[matchProperty])
			properties[matchProperty] = matchValue.join(':');
		const associations = Object.fromEntries(
			Object.entries(link.values)
				.filter(([name]) => name.startsWith('@'))
				.map(([name, id]) => [name.slice(1), id]),
		);
		unchanged.push({
			id: link.hubspotId,
			properties,
			...(Object.keys(associations).length ? { associations } : {}),
		});
	}
	return unchanged;
}

/**
 * Why a record without a match on the other side must be neither created across nor taken for
 * deleted, seen from either side: its linked pair is there under another key ('paired'), its own
 * key changed since the link was saved (MATCH_KEY_CHANGED), or its pair may be among the other
 * side's unreadable items (SIDE_INCOMPLETE). Undefined: none of these, so creates and deletions
 * apply.
 */
function holdUnmatched(
	side: SyncSide,
	record: Keyed<HubSpotSide> | Keyed<AppSide>,
	link: SyncLink | undefined,
	earlier: SyncLink | undefined,
	otherIds: Set<string>,
	otherUnreadable: number | undefined,
): Skip | 'paired' | undefined {
	const otherIdOf = (entry: SyncLink) => (side === 'hubspot' ? entry.appId : entry.hubspotId);
	const linkedOther = link && otherIdOf(link);
	if (linkedOther && otherIds.has(linkedOther)) return 'paired';
	const earlierOther = earlier && otherIdOf(earlier);
	if (!link && earlier && earlier.key !== record.key && earlierOther && otherIds.has(earlierOther))
		return keyChanged(side, record, earlier);
	if (link && linkedOther && otherUnreadable)
		return sideIncomplete(side, record, link, otherUnreadable);
	return undefined;
}

/**
 * A linked record whose pair is missing from a side that had unreadable items: it may be one of
 * them.
 */
function sideIncomplete(
	side: SyncSide,
	record: Keyed<HubSpotSide> | Keyed<AppSide>,
	link: SyncLink,
	unreadable: number,
): Skip {
	const [where, other] = side === 'hubspot' ? ['HubSpot', 'the app'] : ['the app', 'HubSpot'];
	const otherId = (side === 'hubspot' ? link.appId : link.hubspotId) ?? '';
	return {
		side,
		id: record.record.id,
		otherId,
		key: record.key,
		code: 'SIDE_INCOMPLETE',
		reason: `Record ${record.record.id} in ${where} is linked to ${otherId} in ${other}, which was not among ${other}'s records; ${unreadable} of ${other}'s items could not be read, so it is neither deleted nor created again. Correct those items (see their errors) and run again.`,
	};
}

/**
 * More deletions than the cap in one run look like a partial read of the app (a filter changed, a
 * page failed), not like people deleting records: all are held back with one explained skip each.
 */
function holdMassDeletes(result: ReconcileResult, maxDeletes: number): void {
	if (result.hubspotDeletes.length <= maxDeletes) return;
	const count = result.hubspotDeletes.length;
	for (const entry of result.hubspotDeletes.splice(0)) {
		result.skips.push({
			side: 'hubspot',
			id: entry.hubspotId,
			otherId: entry.appId,
			key: entry.key,
			code: 'DELETES_HELD',
			reason: `${count} HubSpot records would be deleted in one run, more than the ${maxDeletes} allowed; none was deleted. Check that the app's records were all read, then raise "Most Deletes per Run" if the deletions are real.`,
		});
	}
}

/** The links of earlier syncs, found by key and by either side's id. */
interface LinkIndex {
	byKey: Map<string, SyncLink>;
	byHubspotId: Map<string, SyncLink>;
	byAppId: Map<string, SyncLink>;
}

function indexLinks(links: SyncLink[]): LinkIndex {
	return {
		byKey: new Map(links.map((link) => [link.key, link])),
		byHubspotId: new Map(
			links.filter((link) => link.hubspotId).map((link) => [link.hubspotId!, link]),
		),
		byAppId: new Map(links.filter((link) => link.appId).map((link) => [link.appId!, link])),
	};
}

/**
 * What every step of one run reads: the settings, and what is worked out from them once, not per
 * record.
 */
interface Run {
	settings: ReconcileSettings;
	/** The mappings switched on. */
	mappings: FieldMapping[];
	/** Read even when their mapping is off: without them nothing pairs. */
	matchProperties: string[];
	associations: AssociationIndex[];
	links: LinkIndex;
	/**
	 * Ids of the records present in each side's input, whether or not they could be matched: a linked
	 * record that is present but unmatched (its email changed, or it has a bad value) was not
	 * deleted.
	 */
	present: Record<SyncSide, Set<string>>;
}

/**
 * HubSpot records by key, their mapped properties in stored form (country and state values as ISO
 * codes).
 */
function indexHubSpotRecords(
	hubspot: HubSpotSide[],
	run: Run,
	skips: Skip[],
): Map<string, Keyed<HubSpotSide>> {
	// Read once, not per record: the properties to read and the mapping (normalization) of each.
	const mappingOf = new Map<string, FieldMapping>();
	for (const mapping of run.mappings)
		if (!mappingOf.has(mapping.hubspotProperty)) mappingOf.set(mapping.hubspotProperty, mapping);
	const readProperties = [...new Set([...mappingOf.keys(), ...run.matchProperties])];
	// Deals have no natural key: a linked deal takes its link's key (so the pair meets), a new one
	// its own id.
	const linkedKey =
		run.settings.objectType === 'deals'
			? (record: HubSpotSide) => run.links.byHubspotId.get(record.id)?.key ?? `hubspot:${record.id}`
			: undefined;
	return indexSide(
		'hubspot',
		hubspot,
		run.settings,
		(record) => {
			const values: Record<string, string | undefined> = {};
			for (const name of readProperties) {
				const value = record.properties[name];
				const mapping = mappingOf.get(name);
				values[name] =
					value === null || value === undefined || value === ''
						? undefined
						: mapping
							? normalizeValue(mapping, value)
							: value;
			}
			return { values, associated: hubspotAssociated(run.associations, record) };
		},
		skips,
		linkedKey,
	);
}

/**
 * App records by key, their mapped fields converted to HubSpot's stored form; a value that cannot
 * be is a VALUE_INVALID skip.
 */
function indexAppRecords(app: AppSide[], run: Run, skips: Skip[]): Map<string, Keyed<AppSide>> {
	const { settings } = run;
	const linkedKey =
		settings.objectType === 'deals'
			? (record: AppSide) => run.links.byAppId.get(record.id)?.key ?? `app:${record.id}`
			: undefined;
	return indexSide(
		'app',
		app,
		settings,
		(record) => {
			const values: Record<string, string | undefined> = {};
			for (const mapping of settings.mappings) {
				if (!mapping.enabled && !run.matchProperties.includes(mapping.hubspotProperty)) continue;
				let value: string | undefined;
				try {
					value = appToHubspot(
						mapping,
						settings.definitions.get(mapping.hubspotProperty),
						record.fields[mapping.appField],
					);
				} catch (error) {
					const why =
						error instanceof ValueError
							? `${error.message}. ${error.hint}`
							: (error as Error).message;
					return { invalid: `Record ${record.id} in the app, field "${mapping.appField}": ${why}` };
				}
				values[mapping.hubspotProperty] =
					value === undefined ? undefined : normalizeMatchValue(mapping.hubspotProperty, value);
			}
			return { values, associated: appAssociated(run.associations, record) };
		},
		skips,
		linkedKey,
	);
}

/**
 * A HubSpot record with no app record under its key: skipped when filtered out or held (see
 * holdUnmatched); deleted in HubSpot too, or skipped, when its app record was deleted after a sync;
 * else created in the app.
 */
function settleHubSpotOnly(
	fromHubspot: Keyed<HubSpotSide>,
	link: SyncLink | undefined,
	run: Run,
	result: ReconcileResult,
): void {
	const { settings } = run;
	const { id } = fromHubspot.record;
	if (fromHubspot.record.included === false) {
		result.skips.push({
			side: 'hubspot',
			id,
			key: fromHubspot.key,
			code: 'FILTERED_OUT',
			reason: filteredOut('hubspot', id),
		});
		return;
	}
	const held = holdUnmatched(
		'hubspot',
		fromHubspot,
		link,
		run.links.byHubspotId.get(id),
		run.present.app,
		settings.unreadable?.app,
	);
	if (held) {
		if (held !== 'paired') result.skips.push(held);
		return;
	}
	const writesToApp = settings.direction !== 'toHubspot';
	if (link?.appId && !settings.resyncDeleted) {
		if (link.appKind && settings.deleteInHubspotKinds?.includes(link.appKind)) {
			result.hubspotDeletes.push({ key: fromHubspot.key, hubspotId: id, appId: link.appId, link });
		} else if (writesToApp && settings.createInApp) {
			result.skips.push({
				side: 'hubspot',
				id,
				otherId: link.appId,
				key: fromHubspot.key,
				code: 'DELETED_IN_APP',
				reason: `Record ${id} was deleted in the app (as ${link.appId}) after it was synced; it is created again only by a resync.`,
			});
		}
		return;
	}
	if (!writesToApp || !settings.createInApp || !fromHubspot.key) return;
	const values = present({ ...fromHubspot.values, ...translatable(fromHubspot.associated) });
	result.appCreates.push({
		key: fromHubspot.key,
		hubspotId: id,
		appId: null,
		values: appValuesOf(run.mappings, run.associations, values),
		link: { key: fromHubspot.key, hubspotId: id, appId: null, values },
		match: matchValues(settings, fromHubspot.values),
	});
}

/**
 * An app record no HubSpot record matched: skipped when filtered out, held (see holdUnmatched) or
 * deleted in HubSpot after a sync; else created in HubSpot, unless creating there is off for it.
 */
function settleAppOnly(fromApp: Keyed<AppSide>, run: Run, result: ReconcileResult): void {
	const { settings } = run;
	const { id } = fromApp.record;
	if (fromApp.record.included === false) {
		result.skips.push({
			side: 'app',
			id,
			key: fromApp.key,
			code: 'FILTERED_OUT',
			reason: filteredOut('app', id),
		});
		return;
	}
	if (
		settings.direction === 'toApp' ||
		!settings.createInHubspot ||
		fromApp.record.createInHubspot === false ||
		!fromApp.key
	)
		return;
	const link = run.links.byKey.get(fromApp.key);
	const held = holdUnmatched(
		'app',
		fromApp,
		link,
		run.links.byAppId.get(id),
		run.present.hubspot,
		settings.unreadable?.hubspot,
	);
	if (held) {
		if (held !== 'paired') result.skips.push(held);
		return;
	}
	if (link?.hubspotId && !settings.resyncDeleted) {
		result.skips.push({
			side: 'app',
			id,
			otherId: link.hubspotId,
			key: fromApp.key,
			code: 'DELETED_IN_HUBSPOT',
			reason: `Record ${id} was deleted in HubSpot (as ${link.hubspotId}) after it was synced; it is created again only by a resync.`,
		});
		return;
	}
	const values = present(
		Object.fromEntries(
			run.mappings.map((mapping) => [
				mapping.hubspotProperty,
				fromApp.values[mapping.hubspotProperty],
			]),
		),
	);
	for (const name of run.matchProperties)
		if (!blank(fromApp.values[name])) values[name] = fromApp.values[name]!;
	const linked = { ...values, ...present(translatable(fromApp.associated)) };
	const write = splitAssociations(run.associations, linked);
	result.hubspotCreates.push({
		key: fromApp.key,
		hubspotId: null,
		appId: id,
		values: write.properties,
		link: {
			key: fromApp.key,
			hubspotId: null,
			appId: id,
			values: linked,
			...kindOf(fromApp.record),
		},
		match: matchValues(settings, fromApp.values),
		...write.associations,
	});
}

/**
 * One run: index both sides by key, decide each pair field by field, then settle the records found
 * on one side only (creates, deletes, skips), and hold back a mass delete.
 */
export function reconcile(
	hubspot: HubSpotSide[],
	app: AppSide[],
	links: SyncLink[],
	settings: ReconcileSettings,
): ReconcileResult {
	const result: ReconcileResult = {
		hubspotUpdates: [],
		appUpdates: [],
		hubspotCreates: [],
		appCreates: [],
		linkSaves: [],
		hubspotDeletes: [],
		skips: [],
	};
	const records =
		settings.hubspotInput === 'changed'
			? [...hubspot, ...unchangedSinceLink(hubspot, links, settings.objectType)]
			: hubspot;
	const run: Run = {
		settings,
		mappings: settings.mappings.filter((mapping) => mapping.enabled),
		matchProperties: matchPropertiesOf(settings.objectType),
		associations: indexAssociations(settings),
		links: indexLinks(links),
		present: {
			hubspot: new Set(records.map((record) => record.id)),
			app: new Set(app.map((record) => record.id)),
		},
	};
	const hubspotIndex = indexHubSpotRecords(records, run, result.skips);
	const appIndex = indexAppRecords(app, run, result.skips);
	for (const [indexKey, fromHubspot] of hubspotIndex) {
		const fromApp = appIndex.get(indexKey);
		const link = fromHubspot.key ? run.links.byKey.get(fromHubspot.key) : undefined;
		if (!fromApp) {
			settleHubSpotOnly(fromHubspot, link, run, result);
			continue;
		}
		appIndex.delete(indexKey);
		reconcilePair(fromHubspot, fromApp, link, run.mappings, run.associations, settings, result);
	}
	for (const fromApp of appIndex.values()) settleAppOnly(fromApp, run, result);
	holdMassDeletes(result, settings.maxDeletes ?? 10);
	return result;
}
