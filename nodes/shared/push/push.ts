/**
 * Push: records from another app into HubSpot contacts, companies or deals (seeds 001/003). Per run:
 * match every record (contacts by email in one batch read per 100; companies by domain, then by
 * name, with search; deals by HubSpot id, batch read), decide per record with the conflict rule,
 * then write in batches of 100.
 * Contacts are written by batch upsert on email, which is idempotent: a resend after a dropped
 * connection cannot make a second contact. A batch HubSpot refuses as a whole for one bad value
 * (400) is resent one record at a time, so only that record fails.
 */
import type { IDataObject } from 'n8n-workflow';

import { domainKey, emailKey, isValidEmail, nameKey } from '../matching';
import type { PropertyDefinition } from '../properties';
import type { HubSpotClient } from '../transport/client';
import { failureOfBatchInput, type HubSpotFailure } from '../transport/errors';
import { batchInputErrors, batchRead, chunk, searchAll, BATCH_SIZE, type CrmRecord } from '../transport/pagination';
import { hubspotPaths } from '../transport/paths';
import { decideWrite, mergeIncoming, type ConflictRule } from './plan';

export type PushObjectType = 'contacts' | 'companies' | 'deals';

export interface PushInput {
	itemIndex: number;
	/** Converted, non-blank values by HubSpot property name. */
	properties: Record<string, string>;
	/** Deals: the HubSpot id of the deal to update (deals have no natural key); none = a new deal. */
	recordId?: string;
}

export interface PushOptions {
	objectType: PushObjectType;
	rule: ConflictRule;
	requireValidEmail: boolean;
	dryRun: boolean;
	definitions: Map<string, PropertyDefinition>;
	/**
	 * Read existing records before writing (default). False takes effect only where a read changes
	 * nothing that is written: contacts, Incoming Wins, not a dry run. Then one upsert by email per
	 * 100 contacts; HubSpot's `new` flag tells created from updated.
	 */
	readFirst?: boolean;
}

/** Whether a push can write without reading: the upsert by email writes exactly what a read would decide. */
export function writesWithoutReading(options: Pick<PushOptions, 'objectType' | 'rule' | 'dryRun' | 'readFirst'>): boolean {
	return options.readFirst === false && options.objectType === 'contacts' && options.rule === 'incomingWins' && !options.dryRun;
}

export type PushStatus = 'created' | 'updated' | 'unchanged' | 'skipped' | 'error';

export interface PushOutcome {
	itemIndex: number;
	status: PushStatus;
	/** For skips: INVALID_EMAIL, MISSING_MATCH_KEY. */
	code?: string;
	reason?: string;
	hubspotId: string | null;
	matchedBy: 'email' | 'domain' | 'name' | 'id' | null;
	/** Properties written (or that would be, in a dry run). */
	changedProperties: string[];
	/** Incoming values HubSpot kept because of the conflict rule. */
	keptProperties: string[];
	/** Other items of the same run merged into this record (same email, domain or name). */
	mergedItems: number[];
	failure?: HubSpotFailure;
}

/** The records of one run that are one HubSpot record. */
interface Group {
	key: string;
	matchKind: 'email' | 'domain' | 'name' | 'id' | null;
	matchValue: string;
	items: PushInput[];
	properties: Record<string, string>;
	existing?: CrmRecord;
	matchedBy: PushOutcome['matchedBy'];
	outcome?: Omit<PushOutcome, 'itemIndex' | 'mergedItems'>;
}

function skip(code: string, reason: string): Group['outcome'] {
	return { status: 'skipped', code, reason, hubspotId: null, matchedBy: null, changedProperties: [], keptProperties: [] };
}

/** Keys each input, and gathers inputs for the same record into one group, in input order. */
export function groupInputs(inputs: PushInput[], options: Pick<PushOptions, 'objectType' | 'requireValidEmail'>): Group[] {
	const groups = new Map<string, Group>();
	const single = (input: PushInput, outcome?: Group['outcome']): Group => ({ key: `item:${input.itemIndex}`, matchKind: null, matchValue: '', items: [input], properties: input.properties, matchedBy: null, outcome });
	const ordered: Group[] = [];
	for (const input of inputs) {
		const properties = { ...input.properties };
		let kind: Group['matchKind'] = null;
		let value = '';
		if (options.objectType === 'deals') {
			// A deal is known by its id only: no id is a new deal, never merged with another item.
			if (input.recordId) (kind = 'id'), (value = input.recordId);
		} else if (options.objectType === 'contacts') {
			value = emailKey(properties.email);
			if (value && !isValidEmail(value)) {
				ordered.push(single(input, skip('INVALID_EMAIL', `"${properties.email}" is not a valid email address`)));
				continue;
			}
			if (!value && options.requireValidEmail) {
				ordered.push(single(input, skip('INVALID_EMAIL', 'The record has no email address, and "Require Valid Email" is on')));
				continue;
			}
			if (value) (properties.email = value), (kind = 'email');
		} else {
			const domain = domainKey(properties.domain);
			if (properties.domain !== undefined && !domain) {
				ordered.push(single(input, skip('MISSING_MATCH_KEY', `"${properties.domain}" is not a domain name (expected e.g. example.com)`)));
				continue;
			}
			if (domain) (properties.domain = domain), (kind = 'domain'), (value = domain);
			else if (nameKey(properties.name)) (kind = 'name'), (value = nameKey(properties.name));
			else {
				ordered.push(single(input, skip('MISSING_MATCH_KEY', 'The company has neither a domain nor a name to match it by')));
				continue;
			}
		}
		const key = kind ? `${kind}:${value}` : `item:${input.itemIndex}`;
		const group = groups.get(key);
		const keyed = { ...input, properties };
		if (group) {
			group.items.push(keyed);
			group.properties = mergeIncoming([group.properties, properties]);
			continue;
		}
		const created: Group = { key, matchKind: kind, matchValue: value, items: [keyed], properties, matchedBy: null };
		groups.set(key, created);
		ordered.push(created);
	}
	return ordered;
}

/** The lowest id wins when several HubSpot companies share a domain or a name: the oldest. */
function indexBy(records: CrmRecord[], keyOf: (record: CrmRecord) => string): Map<string, CrmRecord> {
	const index = new Map<string, CrmRecord>();
	for (const record of [...records].sort((a, b) => Number(a.id) - Number(b.id))) {
		const key = keyOf(record);
		if (key && !index.has(key)) index.set(key, record);
	}
	return index;
}

async function searchIn(client: HubSpotClient, property: string, values: string[], properties: string[]): Promise<CrmRecord[]> {
	const found: CrmRecord[] = [];
	for (const values100 of chunk(values, BATCH_SIZE)) {
		const filterGroups = [{ filters: [{ propertyName: property, operator: 'IN' as const, values: values100 }] }];
		for await (const page of searchAll(client, 'companies', { filterGroups, properties })) found.push(...page);
	}
	return found;
}

/** Finds the HubSpot record of each keyed group: one batch read (contacts) or search (companies) per 100 keys. */
async function matchExisting(client: HubSpotClient, groups: Group[], objectType: PushObjectType, properties: string[]): Promise<void> {
	const open = groups.filter((group) => !group.outcome && group.matchKind);
	if (objectType === 'deals') {
		const ids = open.map((group) => group.matchValue);
		if (!ids.length) return;
		const found = indexBy(await batchRead(client, 'deals', ids, properties), (record) => String(record.id));
		for (const group of open) {
			group.existing = found.get(group.matchValue);
			if (group.existing) group.matchedBy = 'id';
			// Creating it instead would make a new deal on every run.
			else group.outcome = skip('NOT_FOUND', `HubSpot has no deal with ID ${group.matchValue} (deleted or merged); nothing was written`);
		}
		return;
	}
	if (objectType === 'contacts') {
		const emails = open.map((group) => group.matchValue);
		if (!emails.length) return;
		const found = indexBy(await batchRead(client, 'contacts', emails, properties, 'email'), (record) => emailKey(record.properties.email));
		for (const group of open) (group.existing = found.get(group.matchValue)), (group.matchedBy = group.existing ? 'email' : null);
		return;
	}
	const byDomain = open.filter((group) => group.matchKind === 'domain');
	if (byDomain.length) {
		const found = indexBy(await searchIn(client, 'domain', byDomain.map((group) => group.matchValue), properties), (record) => domainKey(record.properties.domain));
		for (const group of byDomain) (group.existing = found.get(group.matchValue)), (group.matchedBy = group.existing ? 'domain' : null);
	}
	// By name: companies without a domain, and those whose domain HubSpot does not know.
	const byName = open.filter((group) => !group.existing && nameKey(group.properties.name));
	if (byName.length) {
		const names = [...new Set(byName.map((group) => nameKey(group.properties.name)))];
		const found = indexBy(await searchIn(client, 'name', names, properties), (record) => nameKey(record.properties.name));
		for (const group of byName) {
			group.existing = found.get(nameKey(group.properties.name));
			if (group.existing) group.matchedBy = 'name';
		}
	}
}

type Write = { group: Group; action: 'create' | 'update' | 'upsert'; input: IDataObject };

/**
 * Sends writes of one action in batches of 100 and settles each group's outcome from HubSpot's
 * answer, paired by objectWriteTraceId (HubSpot does not promise result order).
 */
async function sendWrites(client: HubSpotClient, objectType: PushObjectType, action: Write['action'], writes: Write[]): Promise<void> {
	let stopped: HubSpotFailure | undefined;
	const queue = chunk(writes, BATCH_SIZE);
	// Bounded: each batch is sent once, then at most once per record when HubSpot refused it whole.
	while (queue.length) {
		const batch = queue.shift()!;
		if (stopped) {
			for (const write of batch) fail(write.group, stopped);
			continue;
		}
		const inputs = batch.map((write, index) => ({ ...write.input, objectWriteTraceId: String(index) }));
		const answer = await client.attempt<{ results?: CrmRecord[]; errors?: Array<{ category?: string; message?: string; context?: { ids?: string[] } }> }>(
			{ method: 'POST', path: hubspotPaths.batch(objectType, action), body: { inputs }, idempotent: action !== 'create' },
			['VALIDATION', 'CONFLICT', 'NOT_FOUND', 'AUTH_INVALID', 'SCOPES_MISSING', 'RATE_LIMITED', 'UNAVAILABLE', 'UNKNOWN'],
		);
		if (answer.failure) {
			const refusedWhole = ['VALIDATION', 'CONFLICT'].includes(answer.failure.code);
			if (refusedWhole && batch.length > 1) queue.unshift(...batch.map((write) => [write]));
			else if (refusedWhole) fail(batch[0].group, answer.failure);
			else {
				stopped = answer.failure;
				for (const write of batch) fail(write.group, stopped);
			}
			continue;
		}
		const confirmed = new Set<Write>();
		for (const result of answer.body?.results ?? []) {
			const write = batch[Number(result.objectWriteTraceId)];
			if (!write) continue;
			confirmed.add(write);
			const created = action === 'create' || (action === 'upsert' && result.new === true);
			write.group.outcome = { ...write.group.outcome!, status: created ? 'created' : 'updated', hubspotId: String(result.id) };
		}
		for (const error of batchInputErrors(answer.body?.errors)) {
			const ids = new Set(error.ids.map((id) => id.toLowerCase()));
			for (const write of batch) {
				if (ids.has(String(write.input.id ?? '').toLowerCase())) fail(write.group, failureOfBatchInput(error));
			}
		}
		for (const write of batch) {
			if (write.group.outcome?.status === 'error' || confirmed.has(write)) continue;
			fail(write.group, { code: 'UNKNOWN', hubspotMessage: 'HubSpot did not confirm this record in its answer', attempts: 1 });
		}
	}
}

function fail(group: Group, failure: HubSpotFailure): void {
	group.outcome = { ...group.outcome!, status: 'error', failure };
}

/** Runs a push and returns one outcome per input, in input order. */
export async function push(client: HubSpotClient, inputs: PushInput[], options: PushOptions): Promise<PushOutcome[]> {
	const groups = groupInputs(inputs, options);
	const mapped = [...new Set(inputs.flatMap((input) => Object.keys(input.properties)))];
	const matchProperties = options.objectType === 'contacts' ? ['email'] : options.objectType === 'companies' ? ['domain', 'name'] : [];
	const blind = writesWithoutReading(options);
	if (!blind) await matchExisting(client, groups, options.objectType, [...new Set([...mapped, ...matchProperties])]);

	const writes: Record<Write['action'], Write[]> = { create: [], update: [], upsert: [] };
	for (const group of groups.filter((candidate) => !candidate.outcome)) {
		const decision = decideWrite(group.properties, group.existing?.properties as Record<string, string> | undefined, options.rule, options.definitions);
		const hubspotId = group.existing ? String(group.existing.id) : null;
		group.outcome = {
			status: decision.action === 'create' ? 'created' : decision.action === 'update' ? 'updated' : 'unchanged',
			reason: decision.kept.length && options.rule !== 'incomingWins' ? `HubSpot kept its values of ${decision.kept.join(', ')} (conflict rule: ${options.rule})` : undefined,
			hubspotId,
			matchedBy: group.matchedBy,
			changedProperties: Object.keys(decision.write),
			keptProperties: decision.kept,
		};
		if (decision.action === 'unchanged' || options.dryRun) continue;
		if (group.matchKind === 'email') {
			// Upsert by email also covers a contact created by someone else since the read.
			writes.upsert.push({ group, action: 'upsert', input: { idProperty: 'email', id: group.matchValue, properties: { ...decision.write, email: group.matchValue } } });
		} else if (decision.action === 'create') {
			writes.create.push({ group, action: 'create', input: { properties: decision.write } });
		} else {
			writes.update.push({ group, action: 'update', input: { id: hubspotId, properties: decision.write } });
		}
	}
	for (const action of ['upsert', 'update', 'create'] as const) {
		if (writes[action].length) await sendWrites(client, options.objectType, action, writes[action]);
	}
	// Without a read, an upsert that updated a contact is what found it by email.
	if (blind) for (const group of groups) if (group.outcome?.status === 'updated') group.outcome.matchedBy = 'email';

	const outcomes: PushOutcome[] = [];
	for (const group of groups) {
		const itemIndexes = group.items.map((item) => item.itemIndex);
		for (const item of group.items) {
			outcomes.push({ ...group.outcome!, itemIndex: item.itemIndex, mergedItems: itemIndexes.filter((index) => index !== item.itemIndex) });
		}
	}
	return outcomes.sort((left, right) => left.itemIndex - right.itemIndex);
}
