/**
 * Every HubSpot operation the nodes call, once, as one list: adding an operation is one entry.
 * Paths come from the product's own hubspotPaths, so a version switch there is followed here.
 * Each entry runs on both sides (HubSpot and the local emulator) with that side's own ids; what
 * an answer should say beyond its shape is the entry's `check`.
 */
import { MEETING_TO } from '../../nodes/HubSpotSyncCreateMeeting/actions/create.operation';
import { PACKAGE_PROPERTY_GROUP } from '../../nodes/shared/properties';
import { associationTypeId } from '../../nodes/shared/transport/associations';
import { idSort } from '../../nodes/shared/transport/pagination';
import { hubspotPaths, type CrmObjectType } from '../../nodes/shared/transport/paths';

export interface Answer {
	status: number;
	body: unknown;
	/** X-HubSpot-RateLimit-* headers of the answer (names in lower case). */
	rateHeaders: Record<string, string>;
}

/** The marks that tell this run's records from anything else in the account. */
export interface Marker {
	stamp: number;
	/** `n8n-smoke-<stamp>`: the meeting's booking id, the start of every email. */
	tag: string;
	/** `n8n smoke <stamp>`: company, deal and meeting names. */
	name: string;
	emails: string[];
	domain: string;
}

export function markerOf(stamp: number): Marker {
	const tag = `n8n-smoke-${stamp}`;
	return { stamp, tag, name: `n8n smoke ${stamp}`, emails: [1, 2, 3].map((n) => `${tag}-${n}@example.com`), domain: `${tag}.example.com` };
}

/**
 * Properties the smoke needs. Fixed names, reused by later runs (HubSpot limits unique-value
 * properties to ten per object, so a new one per run would soon run out); the first run creates
 * them, later runs find them.
 */
export const SMOKE_CONTACT_PROPERTY = 'n8n_smoke_tags';
export const SMOKE_MEETING_PROPERTY = 'n8n_smoke_booking_id';
export const SMOKE_GROUP = PACKAGE_PROPERTY_GROUP;

/** What one side (HubSpot or the emulator) has answered so far in this run. */
export interface SideState {
	marker: Marker;
	/** Ids from this side's answers, by name: contact0..2, company, deal, meeting, pipeline, stage... */
	ids: Record<string, string>;
	/** Facts later operations need (e.g. whether the marker property exists on this side). */
	flags: Record<string, boolean>;
	/** Records made in this run, to archive at the end. */
	created: Record<CrmObjectType, string[]>;
	archived: Record<CrmObjectType, string[]>;
	answers: Record<string, Answer>;
	/** Operations that answered with one of their expected statuses. */
	passed: Set<string>;
}

export interface Check {
	/** What the answer says (no values), compared between HubSpot and the emulator. */
	fact?: string;
	/** Why the answer is not what the product relies on; the row then fails. */
	problem?: string;
}

export interface SmokeOperation {
	name: string;
	method: 'GET' | 'POST' | 'PATCH';
	path: (side: SideState) => string;
	query?: (side: SideState) => Record<string, string | number | boolean>;
	body?: (side: SideState) => unknown;
	/** Operations this one needs (their ids or records): skipped when one did not answer as expected. */
	dependsOn?: string[];
	/** Statuses HubSpot may answer here; any other is reported as unexpected. */
	expect: number[];
	/** Sent only when this holds (a fallback after a refusal). */
	when?: (side: SideState) => boolean;
	/** Search reads an index that trails writes: the request is repeated (bounded) until this holds. */
	until?: (answer: Answer, side: SideState) => boolean;
	check?: (answer: Answer, side: SideState) => Check;
	/** Keeps what later operations and the final archive need. */
	keep?: (answer: Answer, side: SideState) => void;
	/** Parts of the answer that depend on the account's other records, left out of the comparison. */
	ignoreShape?: string[];
}

/** HubSpot's answers are read defensively: any field may be missing. */
type Json = any;

const HUBSPOT_DEFINED = 'HUBSPOT_DEFINED';
const CONTACT_TO_COMPANY_PRIMARY = associationTypeId('contacts', 'companies', 'primary')!;
const CONTACT_TO_COMPANY_UNLABELED = associationTypeId('contacts', 'companies', 'unlabeled')!;
const DEAL_TO_COMPANY_PRIMARY = associationTypeId('deals', 'companies', 'primary')!;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const results = (answer: Answer): Json[] => (Array.isArray((answer.body as Json)?.results) ? (answer.body as Json).results : []);
const idsOf = (answer: Answer): string[] => results(answer).map((record) => String(record.id));
const contactIds = (side: SideState) => [0, 1, 2].map((n) => side.ids[`contact${n}`]).filter(Boolean);
const categoryOf = (answer: Answer): string => String((answer.body as Json)?.category ?? 'none');
const existingIdIn = (answer: Answer): string | undefined => /Existing ID:\s*(\d+)/i.exec(String((answer.body as Json)?.message ?? ''))?.[1];
const traceIdsOf = (answer: Answer): string[] => results(answer).map((record) => record.objectWriteTraceId).filter((trace) => typeof trace === 'string');

function remember(side: SideState, type: CrmObjectType, ids: string[]): void {
	for (const id of ids) if (!side.created[type].includes(id)) side.created[type].push(id);
}

function order(ids: string[]): 'ascending' | 'descending' | 'one record' | 'unordered' {
	if (ids.length < 2) return 'one record';
	const numbers = ids.map(Number);
	if (numbers.every((id, index) => index === 0 || id > numbers[index - 1])) return 'ascending';
	if (numbers.every((id, index) => index === 0 || id < numbers[index - 1])) return 'descending';
	return 'unordered';
}

/**
 * Whether batch write results carry back each input's objectWriteTraceId (unverified for update and
 * upsert): Push pairs by it when present and by the record's key otherwise, so either answer is
 * fine; the fact is recorded in docs/hubspot-fidelity.md.
 */
function traceCheck(answer: Answer, sent: number): Check {
	const traces = traceIdsOf(answer);
	if (traces.length === sent) return { fact: 'objectWriteTraceId echoed on every result' };
	return { fact: `objectWriteTraceId echoed on ${traces.length} of ${sent}` };
}

/** A scope the service key lacks is HubSpot's 403 MISSING_SCOPES; which scope, from its body. */
export function missingScopesOf(answer: Answer): string[] | undefined {
	const body = answer.body as Json;
	if (answer.status !== 403 || body?.category !== 'MISSING_SCOPES') return undefined;
	const scopes = (Array.isArray(body.errors) ? body.errors : []).flatMap((error: Json) => error?.context?.requiredGranularScopes ?? error?.context?.requiredScopes ?? []);
	return scopes.map(String);
}

const contactSearch = (side: SideState, extra: Record<string, unknown>) => ({
	filterGroups: [{ filters: [{ propertyName: 'hs_object_id', operator: 'IN', values: contactIds(side) }] }],
	properties: ['email', 'lastmodifieddate'],
	...extra,
});

const meetingProperties = (side: SideState): Record<string, string> => {
	const start = new Date(side.marker.stamp + 86_400_000);
	const end = new Date(start.getTime() + 1_800_000);
	return {
		hs_timestamp: start.toISOString(),
		hs_meeting_title: side.marker.name,
		hs_meeting_start_time: start.toISOString(),
		hs_meeting_end_time: end.toISOString(),
		hs_meeting_outcome: 'SCHEDULED',
		[SMOKE_MEETING_PROPERTY]: side.marker.tag,
	};
};

const association = (id: string, associationTypeId: number) => ({ to: { id }, types: [{ associationCategory: HUBSPOT_DEFINED, associationTypeId }] });

const meetingBody = (side: SideState) => ({
	properties: meetingProperties(side),
	associations: [
		association(side.ids.contact0, MEETING_TO.contact),
		...(side.ids.company ? [association(side.ids.company, MEETING_TO.company)] : []),
		...(side.ids.deal ? [association(side.ids.deal, MEETING_TO.deal)] : []),
	],
});

/** One association of a HubSpot-defined type, made by batch create (Associate's call). */
const associationCreate = (
	name: string,
	from: CrmObjectType,
	to: CrmObjectType,
	ids: (side: SideState) => { fromId: string; toId: string },
	typeId: number,
	dependsOn: string[],
): SmokeOperation => ({
	name,
	method: 'POST',
	path: () => hubspotPaths.associationsBatchCreate(from, to),
	body: (side) => {
		const { fromId, toId } = ids(side);
		return { inputs: [{ from: { id: fromId }, to: { id: toId }, types: [{ associationCategory: HUBSPOT_DEFINED, associationTypeId: typeId }] }] };
	},
	dependsOn,
	expect: [200, 201],
	check: (answer) => (results(answer).length === 1 ? { fact: 'one result' } : { problem: `${results(answer).length} results for one pair` }),
});

const archiveOperation = (type: CrmObjectType, name: string): SmokeOperation => ({
	name,
	method: 'POST',
	path: () => hubspotPaths.batch(type, 'archive'),
	body: (side) => ({ inputs: side.created[type].filter((id) => !side.archived[type].includes(id)).map((id) => ({ id })) }),
	when: (side) => side.created[type].some((id) => !side.archived[type].includes(id)),
	expect: [204],
	keep: (_answer, side) => side.archived[type].push(...side.created[type].filter((id) => !side.archived[type].includes(id))),
});

export const SMOKE_OPERATIONS: SmokeOperation[] = [
	{
		name: 'account details',
		method: 'GET',
		path: () => hubspotPaths.accountDetails(),
		expect: [200],
		check: (answer) => (typeof (answer.body as Json)?.portalId === 'number' ? {} : { problem: 'no portalId in the answer' }),
	},
	// Properties: what ensureProperty does (read, group, create), then Ensure Property Options' update.
	{
		name: 'contacts property read',
		method: 'GET',
		path: () => hubspotPaths.property('contacts', SMOKE_CONTACT_PROPERTY),
		expect: [200, 404],
		keep: (answer, side) => void (answer.status === 200 && (side.flags.contactProperty = true)),
	},
	{
		name: 'contacts property group create',
		method: 'POST',
		path: () => hubspotPaths.propertyGroups('contacts'),
		body: () => ({ ...SMOKE_GROUP, displayOrder: -1 }),
		expect: [201, 409],
	},
	{
		name: 'contacts property create',
		method: 'POST',
		path: () => hubspotPaths.properties('contacts'),
		body: () => ({
			name: SMOKE_CONTACT_PROPERTY,
			label: 'n8n smoke tags',
			groupName: SMOKE_GROUP.name,
			type: 'enumeration',
			fieldType: 'checkbox',
			formField: false,
			options: [{ label: 'smoke-a', value: 'smoke-a', displayOrder: 0, hidden: false }],
		}),
		expect: [201, 409],
		keep: (_answer, side) => void (side.flags.contactProperty = true),
	},
	{
		name: 'contacts property update (options)',
		method: 'PATCH',
		path: () => hubspotPaths.property('contacts', SMOKE_CONTACT_PROPERTY),
		body: () => ({
			options: ['smoke-a', 'smoke-b'].map((value, displayOrder) => ({ label: value, value, displayOrder, hidden: false })),
		}),
		dependsOn: ['contacts property create'],
		expect: [200],
		check: (answer) => {
			const values = ((answer.body as Json)?.options ?? []).map((option: Json) => option.value);
			return values.includes('smoke-b') ? { fact: 'options replaced' } : { problem: 'the new option is missing from the answer' };
		},
	},
	{
		name: 'contacts properties list',
		method: 'GET',
		path: () => hubspotPaths.properties('contacts'),
		query: () => ({ archived: false }),
		expect: [200],
		check: (answer) => (idsOfNames(answer).includes(SMOKE_CONTACT_PROPERTY) ? { fact: 'marker property listed' } : { fact: 'marker property not listed' }),
	},
	{
		name: 'meetings property group create',
		method: 'POST',
		path: () => hubspotPaths.propertyGroups('meetings'),
		body: () => ({ ...SMOKE_GROUP, displayOrder: -1 }),
		expect: [201, 409],
	},
	{
		// The key unverified fact: does HubSpot keep unique values on meetings? Read its answer.
		name: 'meetings property create (hasUniqueValue)',
		method: 'POST',
		path: () => hubspotPaths.properties('meetings'),
		body: () => ({ name: SMOKE_MEETING_PROPERTY, label: 'n8n smoke booking id', groupName: SMOKE_GROUP.name, type: 'string', fieldType: 'text', formField: false, hasUniqueValue: true }),
		expect: [201, 409, 400],
		check: (answer) => {
			if (answer.status === 201) return { fact: `created; answer says hasUniqueValue ${String((answer.body as Json)?.hasUniqueValue)}` };
			if (answer.status === 400) return { fact: `refused (${categoryOf(answer)})` };
			return { fact: 'exists from an earlier run' };
		},
	},
	{
		name: 'meetings property create (plain, after a refusal)',
		method: 'POST',
		path: () => hubspotPaths.properties('meetings'),
		body: () => ({ name: SMOKE_MEETING_PROPERTY, label: 'n8n smoke booking id', groupName: SMOKE_GROUP.name, type: 'string', fieldType: 'text', formField: false }),
		when: (side) => side.answers['meetings property create (hasUniqueValue)']?.status === 400,
		expect: [201, 409],
	},
	{
		name: 'meetings property read (hasUniqueValue)',
		method: 'GET',
		path: () => hubspotPaths.property('meetings', SMOKE_MEETING_PROPERTY),
		expect: [200],
		check: (answer) => ({ fact: `hasUniqueValue ${String((answer.body as Json)?.hasUniqueValue)}` }),
	},
	// Contacts: Push's upsert by email, then every read the nodes make.
	{
		name: 'contacts batch upsert by email',
		method: 'POST',
		path: () => hubspotPaths.batch('contacts', 'upsert'),
		body: (side) => ({
			inputs: side.marker.emails.map((email, index) => ({
				idProperty: 'email',
				id: email,
				objectWriteTraceId: String(index),
				properties: { email, firstname: 'n8n smoke', lastname: String(side.marker.stamp), ...(side.flags.contactProperty ? { [SMOKE_CONTACT_PROPERTY]: 'smoke-a' } : {}) },
			})),
		}),
		expect: [200],
		keep: (answer, side) => {
			for (const record of results(answer)) {
				const index = Number(record.objectWriteTraceId ?? side.marker.emails.indexOf(record.properties?.email));
				if (index >= 0 && index < 3) side.ids[`contact${index}`] = String(record.id);
			}
			remember(side, 'contacts', idsOf(answer));
		},
		check: (answer) => {
			const traced = traceCheck(answer, 3);
			const created = results(answer).filter((record) => record.new === true).length;
			return { fact: `${traced.fact}; new: ${created} of 3`, problem: traced.problem ?? (created === 3 ? undefined : 'upsert did not report the new contacts as new') };
		},
	},
	{
		name: 'contact create with an existing email (409)',
		method: 'POST',
		path: () => hubspotPaths.objects('contacts'),
		body: (side) => ({ properties: { email: side.marker.emails[0] } }),
		dependsOn: ['contacts batch upsert by email'],
		expect: [409],
		keep: (answer, side) => void (answer.status === 201 && remember(side, 'contacts', [String((answer.body as Json).id)])),
		check: (answer, side) => {
			const existing = existingIdIn(answer);
			if (!existing) return { fact: `category ${categoryOf(answer)}, no "Existing ID" in the message`, problem: 'the message names no existing id, so a duplicate cannot be found' };
			return existing === side.ids.contact0
				? { fact: `category ${categoryOf(answer)}, message names the existing contact` }
				: { fact: `category ${categoryOf(answer)}, message names another id`, problem: 'the existing id is not the contact with that email' };
		},
	},
	{
		name: 'contact create with a bad property (400)',
		method: 'POST',
		path: () => hubspotPaths.objects('contacts'),
		body: (side) => ({ properties: { email: `${side.marker.tag}-bad@example.com`, n8n_smoke_no_such_property: 'x' } }),
		expect: [400],
		keep: (answer, side) => void (answer.status === 201 && remember(side, 'contacts', [String((answer.body as Json).id)])),
		check: (answer) => {
			const uuid = UUID.test(String((answer.body as Json)?.correlationId ?? ''));
			const fact = `category ${categoryOf(answer)}, correlationId ${uuid ? 'a UUID' : 'missing'}`;
			return categoryOf(answer) === 'VALIDATION_ERROR' && uuid ? { fact } : { fact, problem: 'not a VALIDATION_ERROR with a correlation id' };
		},
	},
	{
		name: 'contact read by email (idProperty)',
		method: 'GET',
		path: (side) => hubspotPaths.object('contacts', side.marker.emails[0]),
		query: () => ({ idProperty: 'email', properties: 'email,firstname,lastname,associatedcompanyid' }),
		dependsOn: ['contacts batch upsert by email'],
		expect: [200],
		check: (answer, side) => (String((answer.body as Json)?.id) === side.ids.contact0 ? { fact: 'found the contact' } : { problem: 'answered another record' }),
	},
	{
		name: 'contacts list, first page',
		method: 'GET',
		path: () => hubspotPaths.objects('contacts'),
		query: () => ({ limit: 2, archived: false, properties: 'email' }),
		dependsOn: ['contacts batch upsert by email'],
		expect: [200],
		keep: (answer, side) => void ((side.ids.listAfter = String((answer.body as Json)?.paging?.next?.after ?? '')), (side.ids.listLast = idsOf(answer).pop() ?? '')),
		check: (answer) => {
			// A full pull's list half climbs from the lowest id and meets the search coming down.
			if (order(idsOf(answer)) !== 'ascending') return { fact: `order ${order(idsOf(answer))}`, problem: 'the list does not climb by id' };
			return (answer.body as Json)?.paging?.next?.after ? { fact: 'ascending ids, paging.next.after given' } : { problem: 'no paging.next.after although more contacts exist' };
		},
	},
	{
		name: 'contacts list, next page (after)',
		method: 'GET',
		path: () => hubspotPaths.objects('contacts'),
		query: (side) => ({ limit: 2, archived: false, properties: 'email', after: side.ids.listAfter }),
		dependsOn: ['contacts list, first page'],
		expect: [200],
		// Whether yet another page follows depends on how many contacts the account holds.
		ignoreShape: ['paging'],
		check: (answer, side) => {
			const ids = idsOf(answer).map(Number);
			return ids.length && ids.every((id) => id > Number(side.ids.listLast)) ? { fact: 'continues after the first page' } : { problem: 'the next page does not continue after the first' };
		},
	},
	{
		name: 'contacts search, object sort descending',
		method: 'POST',
		path: () => hubspotPaths.search('contacts'),
		body: (side) => contactSearch(side, { sorts: [idSort(true)], limit: 2 }),
		dependsOn: ['contacts batch upsert by email'],
		expect: [200],
		until: (answer) => (answer.body as Json)?.total === 3,
		keep: (answer, side) => void ((side.ids.searchAfter = String((answer.body as Json)?.paging?.next?.after ?? '')), (side.ids.searchLast = idsOf(answer).pop() ?? '')),
		check: (answer) => {
			const sorted = order(idsOf(answer));
			const after = Boolean((answer.body as Json)?.paging?.next?.after);
			const fact = `total ${String((answer.body as Json)?.total)}, ${sorted}, paging.next.after ${after ? 'given' : 'missing'}`;
			if (sorted !== 'descending') return { fact, problem: 'the object-form sort was not applied: a full pull would climb twice' };
			return after ? { fact } : { fact, problem: 'no paging.next.after for the third contact' };
		},
	},
	{
		name: 'contacts search, next page (after)',
		method: 'POST',
		path: () => hubspotPaths.search('contacts'),
		body: (side) => contactSearch(side, { sorts: [idSort(true)], limit: 2, after: side.ids.searchAfter }),
		dependsOn: ['contacts search, object sort descending'],
		expect: [200],
		check: (answer, side) => {
			const ids = idsOf(answer);
			return ids.length === 1 && Number(ids[0]) < Number(side.ids.searchLast) ? { fact: 'the third contact, lower id' } : { problem: 'the second page does not continue the descending order' };
		},
	},
	{
		// The string form the product used to send: what HubSpot does with it is unverified.
		name: 'contacts search, string sort "-hs_object_id"',
		method: 'POST',
		path: () => hubspotPaths.search('contacts'),
		body: (side) => contactSearch(side, { sorts: ['-hs_object_id'], limit: 3 }),
		dependsOn: ['contacts batch upsert by email'],
		expect: [200, 400],
		until: (answer) => (answer.body as Json)?.total === 3,
		check: (answer) => (answer.status === 400 ? { fact: `refused (${categoryOf(answer)})` } : { fact: `order ${order(idsOf(answer))}` }),
	},
	{
		name: 'contacts search, query',
		method: 'POST',
		path: () => hubspotPaths.search('contacts'),
		body: (side) => ({ query: String(side.marker.stamp), properties: ['lastname'], limit: 10 }),
		dependsOn: ['contacts batch upsert by email'],
		expect: [200],
		until: (answer) => Number((answer.body as Json)?.total) >= 3,
		check: (answer, side) => {
			const ids = idsOf(answer);
			const marked = ids.filter((id) => contactIds(side).includes(id)).length;
			const fact = `${marked} marked, ${ids.length - marked} other`;
			return marked === 3 && ids.length === 3 ? { fact } : { fact, problem: 'query did not match exactly the marked contacts' };
		},
	},
	{
		name: 'contacts search past 10,000 results (400)',
		method: 'POST',
		path: () => hubspotPaths.search('contacts'),
		body: (side) => contactSearch(side, { sorts: [idSort()], limit: 100, after: '9950' }),
		dependsOn: ['contacts batch upsert by email'],
		expect: [400],
		check: (answer) => ({ fact: `category ${categoryOf(answer)}` }),
	},
	{
		name: 'contacts batch read by email',
		method: 'POST',
		path: () => hubspotPaths.batch('contacts', 'read'),
		body: (side) => ({ idProperty: 'email', inputs: side.marker.emails.map((id) => ({ id })), properties: ['email', 'firstname', 'lastname'], propertiesWithHistory: [] }),
		dependsOn: ['contacts batch upsert by email'],
		expect: [200],
		check: (answer) => (results(answer).length === 3 ? { fact: 'found 3 of 3' } : { problem: `found ${results(answer).length} of 3` }),
	},
	{
		name: 'contacts batch read, one unknown email (207)',
		method: 'POST',
		path: () => hubspotPaths.batch('contacts', 'read'),
		body: (side) => ({ idProperty: 'email', inputs: [side.marker.emails[0], `${side.marker.tag}-missing@example.com`].map((id) => ({ id })), properties: ['email'], propertiesWithHistory: [] }),
		dependsOn: ['contacts batch upsert by email'],
		expect: [207],
		check: (answer) => {
			const errors = ((answer.body as Json)?.errors ?? []).map((error: Json) => String(error?.category));
			const fact = `${results(answer).length} found, errors: ${errors.join(', ') || 'none'}`;
			return errors.length ? { fact } : { fact, problem: 'the unknown email is not reported as an error' };
		},
	},
	{
		name: 'contacts batch update',
		method: 'POST',
		path: () => hubspotPaths.batch('contacts', 'update'),
		body: (side) => ({ inputs: contactIds(side).slice(0, 2).map((id, index) => ({ id, objectWriteTraceId: String(index), properties: { jobtitle: 'n8n smoke' } })) }),
		dependsOn: ['contacts batch upsert by email'],
		expect: [200],
		check: (answer) => traceCheck(answer, 2),
	},
	// Companies: Push's search by domain, batch create and update.
	{
		name: 'companies batch create',
		method: 'POST',
		path: () => hubspotPaths.batch('companies', 'create'),
		body: (side) => ({ inputs: [{ objectWriteTraceId: '0', properties: { name: side.marker.name, domain: side.marker.domain } }] }),
		expect: [201],
		keep: (answer, side) => {
			const [id] = idsOf(answer);
			if (id) side.ids.company = id;
			remember(side, 'companies', idsOf(answer));
		},
		check: (answer) => traceCheck(answer, 1),
	},
	{
		name: 'companies search by domain',
		method: 'POST',
		path: () => hubspotPaths.search('companies'),
		body: (side) => ({ filterGroups: [{ filters: [{ propertyName: 'domain', operator: 'IN', values: [side.marker.domain] }] }], sorts: [idSort()], properties: ['domain', 'name'], limit: 10 }),
		dependsOn: ['companies batch create'],
		expect: [200],
		until: (answer) => Number((answer.body as Json)?.total) >= 1,
		check: (answer, side) => (idsOf(answer).includes(side.ids.company) ? { fact: 'found the company' } : { problem: 'the company is not found by its domain' }),
	},
	{
		name: 'companies batch update',
		method: 'POST',
		path: () => hubspotPaths.batch('companies', 'update'),
		body: (side) => ({ inputs: [{ id: side.ids.company, objectWriteTraceId: '0', properties: { city: 'Tokyo' } }] }),
		dependsOn: ['companies batch create'],
		expect: [200],
		check: (answer) => traceCheck(answer, 1),
	},
	// Associations: Associate (primary / unlabeled), Reconcile's primary company read.
	associationCreate('associations create contact→company, Primary (type 1)', 'contacts', 'companies', (side) => ({ fromId: side.ids.contact0, toId: side.ids.company }), CONTACT_TO_COMPANY_PRIMARY, ['contacts batch upsert by email', 'companies batch create']),
	associationCreate('associations create contact→company, unlabeled (type 279)', 'contacts', 'companies', (side) => ({ fromId: side.ids.contact1, toId: side.ids.company }), CONTACT_TO_COMPANY_UNLABELED, ['contacts batch upsert by email', 'companies batch create']),
	{
		name: 'associations batch read contacts→companies',
		method: 'POST',
		path: () => hubspotPaths.associationsBatchRead('contacts', 'companies'),
		body: (side) => ({ inputs: contactIds(side).map((id) => ({ id })) }),
		dependsOn: ['associations create contact→company, Primary (type 1)'],
		expect: [200, 207],
		check: (answer, side) => {
			const typesOf = (id: string) => {
				const entry = results(answer).find((result) => String(result?.from?.id) === id);
				if (!entry) return 'absent';
				const types = (entry.to ?? []).flatMap((target: Json) => (target.associationTypes ?? []).map((type: Json) => Number(type.typeId)));
				return types.length ? [...new Set(types)].sort((a, b) => Number(a) - Number(b)).join('+') : 'empty';
			};
			const errors = ((answer.body as Json)?.errors ?? []).length;
			const primary = typesOf(side.ids.contact0);
			const fact = `primary contact ${primary}, unlabeled contact ${typesOf(side.ids.contact1)}, contact without company ${typesOf(side.ids.contact2)}, ${errors} error(s)`;
			return primary.split('+').includes(String(CONTACT_TO_COMPANY_PRIMARY)) ? { fact } : { fact, problem: 'the Primary label is not read back' };
		},
	},
	{
		name: 'contact associatedcompanyid after Primary',
		method: 'GET',
		path: (side) => hubspotPaths.object('contacts', side.ids.contact0),
		query: () => ({ properties: 'associatedcompanyid' }),
		dependsOn: ['associations create contact→company, Primary (type 1)'],
		expect: [200],
		// A derived property may follow the association a moment later.
		until: (answer, side) => (answer.body as Json)?.properties?.associatedcompanyid === side.ids.company,
		check: (answer, side) => ({ fact: `associatedcompanyid ${(answer.body as Json)?.properties?.associatedcompanyid === side.ids.company ? 'is' : 'is not'} the primary company` }),
	},
	// Deals: pipelines, Push by deal id, Map Deal Stage's write-back, Associate deal → company.
	{
		name: 'deal pipelines read',
		method: 'GET',
		path: () => hubspotPaths.pipelines('deals'),
		expect: [200],
		keep: (answer, side) => {
			const pipeline = results(answer).find((candidate) => !candidate.archived && (candidate.stages ?? []).length);
			if (!pipeline) return;
			side.ids.pipeline = String(pipeline.id);
			side.ids.stage = String(pipeline.stages[0].id);
			side.ids.nextStage = String((pipeline.stages[1] ?? pipeline.stages[0]).id);
		},
		check: (_answer, side) => (side.ids.pipeline ? { fact: 'a pipeline with stages' } : { problem: 'no pipeline with stages' }),
	},
	{
		name: 'deals batch create',
		method: 'POST',
		path: () => hubspotPaths.batch('deals', 'create'),
		body: (side) => ({ inputs: [{ objectWriteTraceId: '0', properties: { dealname: side.marker.name, pipeline: side.ids.pipeline, dealstage: side.ids.stage, amount: '1000' } }] }),
		dependsOn: ['deal pipelines read'],
		expect: [201],
		keep: (answer, side) => {
			const [id] = idsOf(answer);
			if (id) side.ids.deal = id;
			remember(side, 'deals', idsOf(answer));
		},
		check: (answer) => traceCheck(answer, 1),
	},
	{
		name: 'deals batch read',
		method: 'POST',
		path: () => hubspotPaths.batch('deals', 'read'),
		body: (side) => ({ inputs: [{ id: side.ids.deal }], properties: ['dealname', 'pipeline', 'dealstage'], propertiesWithHistory: [] }),
		dependsOn: ['deals batch create'],
		expect: [200],
		check: (answer, side) => (idsOf(answer).includes(side.ids.deal) ? { fact: 'found the deal' } : { problem: 'the deal is not read back' }),
	},
	{
		name: 'deals batch update (stage)',
		method: 'POST',
		path: () => hubspotPaths.batch('deals', 'update'),
		body: (side) => ({ inputs: [{ id: side.ids.deal, objectWriteTraceId: '0', properties: { dealstage: side.ids.nextStage } }] }),
		dependsOn: ['deals batch create'],
		expect: [200],
		check: (answer) => traceCheck(answer, 1),
	},
	associationCreate('associations create deal→company, Primary (type 5)', 'deals', 'companies', (side) => ({ fromId: side.ids.deal, toId: side.ids.company }), DEAL_TO_COMPANY_PRIMARY, ['deals batch create', 'companies batch create']),
	{ name: 'owners list', method: 'GET', path: () => hubspotPaths.owners(), query: () => ({ limit: 100 }), expect: [200] },
	{ name: 'teams list', method: 'GET', path: () => hubspotPaths.teams(), expect: [200] },
	// Meetings: Create Meeting (inline associations, booking id), its lookups, reschedule and cancel.
	{
		name: 'meeting create with associations (200, 188, 212)',
		method: 'POST',
		path: () => hubspotPaths.objects('meetings'),
		body: meetingBody,
		dependsOn: ['meetings property read (hasUniqueValue)', 'contacts batch upsert by email'],
		expect: [201],
		keep: (answer, side) => {
			const id = (answer.body as Json)?.id;
			if (id === undefined) return;
			side.ids.meeting = String(id);
			remember(side, 'meetings', [String(id)]);
		},
	},
	{
		// With unique values kept on meetings this is HubSpot's 409; without, a second meeting.
		name: 'meeting create again, same booking id',
		method: 'POST',
		path: () => hubspotPaths.objects('meetings'),
		body: meetingBody,
		dependsOn: ['meeting create with associations (200, 188, 212)'],
		expect: [201, 409],
		keep: (answer, side) => void (answer.status === 201 && remember(side, 'meetings', [String((answer.body as Json).id)])),
		check: (answer, side) => {
			if (answer.status === 201) return { fact: 'a second meeting was made (values not kept unique)' };
			return { fact: `refused (409), message ${existingIdIn(answer) === side.ids.meeting ? 'names the first meeting' : 'names no or another id'}` };
		},
	},
	{
		name: 'contact read by email with its meetings',
		method: 'GET',
		path: (side) => hubspotPaths.object('contacts', side.marker.emails[0]),
		query: () => ({ idProperty: 'email', properties: 'email,firstname,lastname,associatedcompanyid', associations: 'meetings' }),
		dependsOn: ['meeting create with associations (200, 188, 212)'],
		expect: [200],
		check: (answer, side) => {
			const inline = ((answer.body as Json)?.associations?.meetings?.results ?? []).map((entry: Json) => String(entry.id));
			return { fact: `${inline.length} meeting(s) inline`, problem: inline.includes(side.ids.meeting) ? undefined : 'the new meeting is not among the contact’s associations' };
		},
	},
	{
		name: 'contact meetings list (v4)',
		method: 'GET',
		path: (side) => hubspotPaths.objectAssociations('contacts', side.ids.contact0, 'meetings'),
		query: () => ({ limit: 500 }),
		dependsOn: ['meeting create with associations (200, 188, 212)'],
		expect: [200],
		check: (answer, side) => {
			const listed = results(answer).map((entry) => String(entry.toObjectId ?? entry.id));
			return { fact: `${listed.length} meeting(s) listed`, problem: listed.includes(side.ids.meeting) ? undefined : 'the new meeting is not listed' };
		},
	},
	{
		name: 'meetings batch read (booking id)',
		method: 'POST',
		path: () => hubspotPaths.batch('meetings', 'read'),
		body: (side) => ({ inputs: [{ id: side.ids.meeting }], properties: [SMOKE_MEETING_PROPERTY], propertiesWithHistory: [] }),
		dependsOn: ['meeting create with associations (200, 188, 212)'],
		expect: [200],
		check: (answer, side) => (results(answer)[0]?.properties?.[SMOKE_MEETING_PROPERTY] === side.marker.tag ? { fact: 'booking id read back' } : { problem: 'the booking id is not read back' }),
	},
	{
		name: 'meetings search by booking id',
		method: 'POST',
		path: () => hubspotPaths.search('meetings'),
		body: (side) => ({ filterGroups: [{ filters: [{ propertyName: SMOKE_MEETING_PROPERTY, operator: 'EQ', value: side.marker.tag }] }], sorts: [idSort()], properties: [SMOKE_MEETING_PROPERTY], limit: 10 }),
		dependsOn: ['meeting create with associations (200, 188, 212)'],
		expect: [200],
		until: (answer, side) => idsOf(answer).includes(side.ids.meeting),
		check: (answer, side) => (idsOf(answer)[0] === side.ids.meeting ? { fact: `${idsOf(answer).length} found, the first meeting first` } : { problem: 'the meeting is not found first by its booking id' }),
	},
	{
		name: 'meeting update by id (cancel)',
		method: 'PATCH',
		path: (side) => hubspotPaths.object('meetings', side.ids.meeting),
		body: () => ({ properties: { hs_meeting_outcome: 'CANCELED' } }),
		dependsOn: ['meeting create with associations (200, 188, 212)'],
		expect: [200],
	},
	{
		// Needs a unique property: HubSpot documents idProperty as one.
		name: 'meeting update by booking id (idProperty)',
		method: 'PATCH',
		path: (side) => hubspotPaths.object('meetings', side.marker.tag),
		query: () => ({ idProperty: SMOKE_MEETING_PROPERTY }),
		body: (side) => ({ properties: { hs_meeting_title: `${side.marker.name} (rescheduled)` } }),
		dependsOn: ['meeting create with associations (200, 188, 212)'],
		expect: [200, 400],
		check: (answer, side) => {
			if (answer.status === 400) return { fact: `refused (${categoryOf(answer)})` };
			return { fact: String((answer.body as Json)?.id) === side.ids.meeting ? 'updated the meeting' : 'updated another meeting' };
		},
	},
	// Archive (Delete (Archive) and the clean-up), then what HubSpot shows of archived records.
	archiveOperation('contacts', 'contacts batch archive'),
	{
		name: 'contacts search after archive',
		method: 'POST',
		path: () => hubspotPaths.search('contacts'),
		body: (side) => contactSearch(side, { sorts: [idSort()], limit: 10 }),
		dependsOn: ['contacts batch archive'],
		expect: [200],
		until: (answer) => (answer.body as Json)?.total === 0,
		check: (answer) => ({ fact: (answer.body as Json)?.total === 0 ? 'archived contacts not found' : 'archived contacts still found' }),
	},
	{
		name: 'contact read by email after archive (404)',
		method: 'GET',
		path: (side) => hubspotPaths.object('contacts', side.marker.emails[0]),
		query: () => ({ idProperty: 'email' }),
		dependsOn: ['contacts batch archive'],
		expect: [404],
		check: (answer) => ({ fact: `category ${categoryOf(answer)}` }),
	},
	archiveOperation('meetings', 'meetings batch archive'),
	archiveOperation('deals', 'deals batch archive'),
	archiveOperation('companies', 'companies batch archive'),
];

function idsOfNames(answer: Answer): string[] {
	return results(answer).map((definition) => String(definition.name));
}

/** Operations the smoke cannot run with a service key, named in its output. */
export const NOT_RUN = ['OAuth token refresh (n8n’s OAuth2 credential does it; needs an installed OAuth app, not a service key)'];
