/**
 * The emulator's CRM: records, property definitions, pipelines, owners, teams and associations,
 * kept in memory and shaped like HubSpot's answers.
 */
export type ObjectType = 'contacts' | 'companies' | 'deals' | 'meetings';

export const OBJECT_TYPE_IDS: Record<string, ObjectType> = {
	'0-1': 'contacts',
	'0-2': 'companies',
	'0-3': 'deals',
	'0-47': 'meetings',
	contacts: 'contacts',
	contact: 'contacts',
	companies: 'companies',
	company: 'companies',
	deals: 'deals',
	deal: 'deals',
	meetings: 'meetings',
	meeting: 'meetings',
};

/** Which property HubSpot updates on every change ("last modified"), per type. */
export const LAST_MODIFIED: Record<ObjectType, string> = {
	contacts: 'lastmodifieddate',
	companies: 'hs_lastmodifieddate',
	deals: 'hs_lastmodifieddate',
	meetings: 'hs_lastmodifieddate',
};

export interface StoredRecord {
	id: string;
	properties: Record<string, string | null>;
	createdAt: string;
	updatedAt: string;
	archived: boolean;
}

export interface PropertyDef {
	name: string;
	label: string;
	type: string;
	fieldType: string;
	groupName: string;
	description: string;
	options: Array<{ label: string; value: string; displayOrder: number; hidden: boolean }>;
	displayOrder: number;
	calculated: boolean;
	externalOptions: boolean;
	hasUniqueValue: boolean;
	hidden: boolean;
	formField: boolean;
	modificationMetadata: { archivable: boolean; readOnlyDefinition: boolean; readOnlyValue: boolean };
	createdAt: string;
	updatedAt: string;
	archived: boolean;
}

type Def = [name: string, label: string, type?: string, fieldType?: string, readOnly?: boolean];

const COMMON: Def[] = [
	['hs_object_id', 'Record ID', 'number', 'number', true],
	['createdate', 'Create Date', 'datetime', 'date', true],
	['hs_lastmodifieddate', 'Last Modified Date', 'datetime', 'date', true],
	['hubspot_owner_id', 'Owner', 'enumeration', 'select'],
];

const DEFAULT_DEFS: Record<ObjectType, Def[]> = {
	contacts: [
		['email', 'Email'],
		['firstname', 'First Name'],
		['lastname', 'Last Name'],
		['phone', 'Phone Number', 'string', 'phonenumber'],
		['company', 'Company Name'],
		['jobtitle', 'Job Title'],
		['website', 'Website URL'],
		['city', 'City'],
		['state', 'State/Region'],
		['country', 'Country/Region'],
		['lifecyclestage', 'Lifecycle Stage', 'enumeration', 'radio'],
		['associatedcompanyid', 'Primary Associated Company ID', 'number', 'number'],
		['lastmodifieddate', 'Last Modified Date', 'datetime', 'date', true],
	],
	companies: [
		['name', 'Company name'],
		['domain', 'Company Domain Name'],
		['industry', 'Industry'],
		['phone', 'Phone Number', 'string', 'phonenumber'],
		['city', 'City'],
		['state', 'State/Region'],
		['country', 'Country/Region'],
		['numberofemployees', 'Number of Employees', 'number', 'number'],
		['annualrevenue', 'Annual Revenue', 'number', 'number'],
	],
	deals: [
		['dealname', 'Deal Name'],
		['amount', 'Amount', 'number', 'number'],
		['dealstage', 'Deal Stage', 'enumeration', 'radio'],
		['pipeline', 'Pipeline', 'enumeration', 'select'],
		['closedate', 'Close Date', 'datetime', 'date'],
		['hubspot_team_id', 'HubSpot Team', 'enumeration', 'select', true],
		['board_custom_filter_key', 'Board filter key'],
	],
	meetings: [
		['hs_timestamp', 'Activity date', 'datetime', 'date'],
		['hs_meeting_title', 'Meeting name'],
		['hs_meeting_body', 'Meeting description', 'string', 'html'],
		['hs_internal_meeting_notes', 'Internal notes', 'string', 'html'],
		['hs_meeting_external_url', 'External URL'],
		['hs_meeting_location', 'Location'],
		['hs_meeting_start_time', 'Start Time', 'datetime', 'date'],
		['hs_meeting_end_time', 'End Time', 'datetime', 'date'],
		['hs_meeting_outcome', 'Meeting outcome', 'enumeration', 'select'],
		['hs_activity_type', 'Call and meeting type'],
	],
};

const ENUM_OPTIONS: Record<string, string[]> = {
	lifecyclestage: ['subscriber', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer', 'evangelist', 'other'],
	hs_meeting_outcome: ['SCHEDULED', 'COMPLETED', 'RESCHEDULED', 'NO_SHOW', 'CANCELED'],
};

export function makePropertyDef(input: Partial<PropertyDef> & { name: string }, now: string): PropertyDef {
	return {
		label: input.name,
		type: 'string',
		fieldType: 'text',
		groupName: 'contactinformation',
		description: '',
		options: [],
		displayOrder: -1,
		calculated: false,
		externalOptions: false,
		hasUniqueValue: false,
		hidden: false,
		formField: false,
		modificationMetadata: { archivable: true, readOnlyDefinition: false, readOnlyValue: false },
		createdAt: now,
		updatedAt: now,
		archived: false,
		...input,
	};
}

function defaultDefs(type: ObjectType, now: string): Map<string, PropertyDef> {
	const defs = new Map<string, PropertyDef>();
	for (const [name, label, kind = 'string', fieldType = 'text', readOnly = false] of [...COMMON, ...DEFAULT_DEFS[type]]) {
		defs.set(
			name,
			makePropertyDef(
				{
					name,
					label,
					type: kind,
					fieldType,
					groupName: `${type.replace(/s$/, '')}information`,
					options: (ENUM_OPTIONS[name] ?? []).map((value, index) => ({ label: value, value, displayOrder: index, hidden: false })),
					modificationMetadata: { archivable: false, readOnlyDefinition: true, readOnlyValue: readOnly },
					hasUniqueValue: name === 'email' || name === 'hs_object_id',
				},
				now,
			),
		);
	}
	return defs;
}

export interface Pipeline {
	id: string;
	label: string;
	displayOrder: number;
	archived: boolean;
	createdAt: string;
	updatedAt: string;
	stages: Array<{
		id: string;
		label: string;
		displayOrder: number;
		archived: boolean;
		metadata: Record<string, string>;
		createdAt: string;
		updatedAt: string;
		writePermissions: string;
	}>;
}

export interface Owner {
	id: string;
	email: string;
	firstName: string;
	lastName: string;
	userId: number;
	userIdIncludingInactive: number;
	type: 'PERSON';
	archived: boolean;
	createdAt: string;
	updatedAt: string;
	teams: Array<{ id: string; name: string; primary: boolean }>;
}

export interface Team {
	id: string;
	name: string;
	userIds: string[];
	secondaryUserIds: string[];
}

/** The contact → company association type HubSpot labels Primary (one per contact). */
export const PRIMARY_COMPANY_TYPE_ID = 1;

export interface Association {
	toObjectId: string;
	types: Array<{ associationCategory: string; associationTypeId: number }>;
}

/** What search last indexed of a record (`before`; undefined: not in the index) and when it was written since. */
interface PendingIndex {
	before: StoredRecord | undefined;
	writtenAt: number;
}

export class CrmStore {
	/** See `EmulatorOptions.searchIndexLagMs`; 0: search sees every write at once. */
	searchIndexLagMs = 0;

	readonly records = new Map<ObjectType, Map<string, StoredRecord>>();

	/** Ids in creation order (numeric ascending), for list paging and hs_object_id order. */
	readonly order = new Map<ObjectType, string[]>();

	readonly properties = new Map<ObjectType, Map<string, PropertyDef>>();

	readonly groups = new Map<ObjectType, Map<string, { name: string; label: string; displayOrder: number; archived: boolean }>>();

	readonly pipelines = new Map<string, Pipeline>();

	readonly owners: Owner[] = [];

	readonly teams: Team[] = [];

	/** "fromType:fromId:toType" → associations. */
	readonly associations = new Map<string, Association[]>();

	private nextId = 1000;

	private readonly emailIndex = new Map<string, string>();

	/** "type:id" → the search index's view of a record written less than `searchIndexLagMs` ago. */
	private readonly pendingIndex = new Map<string, PendingIndex>();

	constructor(readonly clock: () => number = Date.now) {
		this.reset();
	}

	reset(): void {
		const now = this.iso();
		for (const type of Object.keys(DEFAULT_DEFS) as ObjectType[]) {
			this.records.set(type, new Map());
			this.order.set(type, []);
			this.properties.set(type, defaultDefs(type, now));
			const groupName = `${type.replace(/s$/, '')}information`;
			this.groups.set(type, new Map([[groupName, { name: groupName, label: `${type} information`, displayOrder: 0, archived: false }]]));
		}
		this.pipelines.clear();
		this.pipelines.set('default', {
			id: 'default',
			label: 'Sales Pipeline',
			displayOrder: 0,
			archived: false,
			createdAt: now,
			updatedAt: now,
			stages: ['appointmentscheduled', 'qualifiedtobuy', 'presentationscheduled', 'decisionmakerboughtin', 'contractsent', 'closedwon', 'closedlost'].map(
				(id, index) => ({
					id,
					label: id,
					displayOrder: index,
					archived: false,
					metadata: { isClosed: String(id.startsWith('closed')), probability: String(index / 6) },
					createdAt: now,
					updatedAt: now,
					writePermissions: 'CRM_PERMISSIONS_ENFORCEMENT',
				}),
			),
		});
		this.owners.length = 0;
		this.teams.length = 0;
		this.associations.clear();
		this.emailIndex.clear();
		this.pendingIndex.clear();
		this.nextId = 1000;
	}

	iso(at = this.clock()): string {
		return new Date(at).toISOString();
	}

	newId(): string {
		return String(++this.nextId);
	}

	table(type: ObjectType): Map<string, StoredRecord> {
		return this.records.get(type)!;
	}

	findByEmail(email: string): StoredRecord | undefined {
		const id = this.emailIndex.get(email.trim().toLowerCase());
		const record = id ? this.table('contacts').get(id) : undefined;
		return record && !record.archived ? record : undefined;
	}

	findByProperty(type: ObjectType, property: string, value: string): StoredRecord | undefined {
		if (type === 'contacts' && property === 'email') return this.findByEmail(value);
		if (property === 'hs_object_id') return this.get(type, value);
		for (const record of this.table(type).values()) {
			if (!record.archived && record.properties[property] === value) return record;
		}
		return undefined;
	}

	get(type: ObjectType, id: string): StoredRecord | undefined {
		const record = this.table(type).get(id);
		return record && !record.archived ? record : undefined;
	}

	/** Creates a record; the caller has validated the properties. */
	create(type: ObjectType, properties: Record<string, string | null>, at = this.clock()): StoredRecord {
		const id = this.newId();
		const now = this.iso(at);
		this.noteWrite(type, id, undefined, at);
		const record: StoredRecord = {
			id,
			properties: { ...properties, hs_object_id: id, createdate: now, [LAST_MODIFIED[type]]: now, hs_lastmodifieddate: now },
			createdAt: now,
			updatedAt: now,
			archived: false,
		};
		this.table(type).set(id, record);
		this.order.get(type)!.push(id);
		if (type === 'contacts' && properties.email) this.emailIndex.set(properties.email.toLowerCase(), id);
		return record;
	}

	update(type: ObjectType, record: StoredRecord, properties: Record<string, string | null>, at = this.clock()): StoredRecord {
		const now = this.iso(at);
		this.noteWrite(type, record.id, record, at);
		if (type === 'contacts' && 'email' in properties) {
			if (record.properties.email) this.emailIndex.delete(record.properties.email.toLowerCase());
			if (properties.email) this.emailIndex.set(properties.email.toLowerCase(), record.id);
		}
		Object.assign(record.properties, properties, { [LAST_MODIFIED[type]]: now, hs_lastmodifieddate: now });
		record.updatedAt = now;
		return record;
	}

	archive(type: ObjectType, id: string): boolean {
		const record = this.get(type, id);
		if (!record) return false;
		this.noteWrite(type, id, record, this.clock());
		record.archived = true;
		if (type === 'contacts' && record.properties.email) this.emailIndex.delete(record.properties.email.toLowerCase());
		return true;
	}

	/**
	 * The record as search sees it at `at`: its state before the last write while that write is
	 * younger than the index lag (undefined: not indexed yet), else the record itself. Writes in a
	 * row within the lag keep the state before the first: the index catches up one lag after the last.
	 */
	searchable(type: ObjectType, record: StoredRecord, at = this.clock()): StoredRecord | undefined {
		if (this.searchIndexLagMs <= 0) return record;
		const key = `${type}:${record.id}`;
		const pending = this.pendingIndex.get(key);
		if (!pending) return record;
		if (at - pending.writtenAt < this.searchIndexLagMs) return pending.before;
		this.pendingIndex.delete(key);
		return record;
	}

	/** Before a write: what search keeps showing until the index catches up (nothing kept without a lag). */
	private noteWrite(type: ObjectType, id: string, current: StoredRecord | undefined, at: number): void {
		if (this.searchIndexLagMs <= 0) return;
		const key = `${type}:${id}`;
		const pending = this.pendingIndex.get(key);
		const caughtUp = !pending || at - pending.writtenAt >= this.searchIndexLagMs;
		const before = caughtUp ? current && { ...current, properties: { ...current.properties } } : pending.before;
		this.pendingIndex.set(key, { before, writtenAt: Math.max(at, pending?.writtenAt ?? at) });
	}

	/** Associates two records both ways; `at` is when (a contact's derived primary company changes then). */
	associate(fromType: ObjectType, fromId: string, toType: ObjectType, toId: string, typeId: number, category = 'HUBSPOT_DEFINED', at = this.clock()): void {
		const add = (a: ObjectType, aId: string, b: ObjectType, bId: string) => {
			const key = `${a}:${aId}:${b}`;
			const list = this.associations.get(key) ?? [];
			const existing = list.find((entry) => entry.toObjectId === bId);
			if (existing) {
				if (!existing.types.some((t) => t.associationTypeId === typeId)) existing.types.push({ associationCategory: category, associationTypeId: typeId });
			} else list.push({ toObjectId: bId, types: [{ associationCategory: category, associationTypeId: typeId }] });
			this.associations.set(key, list);
		};
		add(fromType, fromId, toType, toId);
		add(toType, toId, fromType, fromId);
		this.derivePrimaryCompanyOf(fromType, fromId, toType, toId, at);
	}

	/** Takes a primary label off every other association of the record (both directions). */
	demotePrimary(fromType: ObjectType, fromId: string, toType: ObjectType, typeId: number, unlabeledTypeId: number): void {
		const demote = (entry: Association) => {
			if (!entry.types.some((type) => type.associationTypeId === typeId)) return;
			entry.types = entry.types.filter((type) => type.associationTypeId !== typeId);
			if (!entry.types.length) entry.types.push({ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: unlabeledTypeId });
		};
		for (const entry of this.associationsOf(fromType, fromId, toType)) {
			demote(entry);
			const back = this.associationsOf(toType, entry.toObjectId, fromType).find((other) => other.toObjectId === fromId);
			if (back) demote(back);
			this.derivePrimaryCompanyOf(fromType, fromId, toType, entry.toObjectId);
		}
	}

	/** After a change between a contact and a company: the contact's derived property follows. */
	private derivePrimaryCompanyOf(fromType: ObjectType, fromId: string, toType: ObjectType, toId: string, at = this.clock()): void {
		if (fromType === 'contacts' && toType === 'companies') this.derivePrimaryCompany(fromId, at);
		else if (fromType === 'companies' && toType === 'contacts') this.derivePrimaryCompany(toId, at);
	}

	/**
	 * HubSpot keeps a contact's `associatedcompanyid` equal to its primary company (the contact →
	 * company association labelled Primary, type 1), or empty without one. Like any property change,
	 * a new value counts as a modification of the contact.
	 */
	derivePrimaryCompany(contactId: string, at = this.clock()): void {
		const record = this.get('contacts', contactId);
		if (!record) return;
		const primary = this.associationsOf('contacts', contactId, 'companies').find((entry) => entry.types.some((type) => type.associationTypeId === PRIMARY_COMPANY_TYPE_ID));
		const value = primary?.toObjectId ?? null;
		if ((record.properties.associatedcompanyid ?? null) !== value) this.update('contacts', record, { associatedcompanyid: value }, at);
	}

	associationsOf(fromType: ObjectType, fromId: string, toType: ObjectType): Association[] {
		return this.associations.get(`${fromType}:${fromId}:${toType}`) ?? [];
	}

	/** The record as HubSpot shows it: only the asked properties (or the defaults). */
	view(type: ObjectType, record: StoredRecord, properties: string[] | undefined): Record<string, unknown> {
		const wanted = properties?.length ? properties : defaultPropertiesOf(type);
		const shown: Record<string, string | null> = {};
		for (const name of new Set([...wanted, 'hs_object_id', 'createdate', LAST_MODIFIED[type]])) {
			// HubSpot's specs declare property values as strings: an empty value is left out.
			const value = record.properties[name];
			if (value !== null && value !== undefined && this.properties.get(type)!.has(name)) shown[name] = value;
		}
		return { id: record.id, properties: shown, createdAt: record.createdAt, updatedAt: record.updatedAt, archived: record.archived };
	}
}

export function defaultPropertiesOf(type: ObjectType): string[] {
	switch (type) {
		case 'contacts':
			return ['email', 'firstname', 'lastname'];
		case 'companies':
			return ['name', 'domain'];
		case 'deals':
			return ['dealname', 'amount', 'dealstage', 'pipeline', 'closedate'];
		default:
			return ['hs_timestamp'];
	}
}
