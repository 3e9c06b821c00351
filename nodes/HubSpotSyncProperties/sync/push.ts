/**
 * Push: records from another app into HubSpot contacts, companies or deals (as the card connector
 * and HubSpot's data sync do). Per run: match every record (contacts by email in one batch read per
 * 100; companies by domain, then by name, with search; deals by HubSpot id, batch read), decide per
 * record with the conflict rule, then write in batches of 100. Contacts are written by batch upsert
 * on email, which is idempotent: a resend after a dropped connection cannot make a second contact.
 * A batch HubSpot refuses as a whole for one bad value (400) is resent one record at a time, so
 * only that record fails.
 */
import type { IDataObject } from 'n8n-workflow';

import { domainKey, emailKey, isValidEmail, nameKey } from '../../shared/matching';
import type { PropertyDefinition } from '../../shared/properties';
import type { HubSpotClient } from '../../shared/transport/client';
import { failureOfBatchInput, type HubSpotFailure } from '../../shared/transport/errors';
import {
	attemptBatchWrite,
	batchInputErrors,
	batchRead,
	chunk,
	searchAll,
	BATCH_SIZE,
	type BatchInputError,
	type BatchWriteAnswer,
	type CrmRecord,
} from '../../shared/transport/pagination';
import { sameValue } from '../../shared/values';
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

/**
 * Whether a push can write without reading: the upsert by email writes exactly what a read would
 * decide.
 */
export function writesWithoutReading(
	options: Pick<PushOptions, 'objectType' | 'rule' | 'dryRun' | 'readFirst'>,
): boolean {
	return (
		options.readFirst === false &&
		options.objectType === 'contacts' &&
		options.rule === 'incomingWins' &&
		!options.dryRun
	);
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
	return {
		status: 'skipped',
		code,
		reason,
		hubspotId: null,
		matchedBy: null,
		changedProperties: [],
		keptProperties: [],
	};
}

/** Keys each input, and gathers inputs for the same record into one group, in input order. */
export function groupInputs(
	inputs: PushInput[],
	options: Pick<PushOptions, 'objectType' | 'requireValidEmail'>,
): Group[] {
	const groups = new Map<string, Group>();
	const single = (input: PushInput, outcome?: Group['outcome']): Group => ({
		key: `item:${input.itemIndex}`,
		matchKind: null,
		matchValue: '',
		items: [input],
		properties: input.properties,
		matchedBy: null,
		outcome,
	});
	const ordered: Group[] = [];
	for (const input of inputs) {
		const properties = { ...input.properties };
		let kind: Group['matchKind'] = null;
		let value = '';
		if (options.objectType === 'deals') {
			// A deal is known by its id only: no id is a new deal, never merged with another item.
			if (input.recordId) ((kind = 'id'), (value = input.recordId));
		} else if (options.objectType === 'contacts') {
			value = emailKey(properties.email);
			if (value && !isValidEmail(value)) {
				ordered.push(
					single(
						input,
						skip('INVALID_EMAIL', `"${properties.email}" is not a valid email address`),
					),
				);
				continue;
			}
			if (!value && options.requireValidEmail) {
				ordered.push(
					single(
						input,
						skip(
							'INVALID_EMAIL',
							'The record has no email address, and "Require Valid Email" is on',
						),
					),
				);
				continue;
			}
			if (value) ((properties.email = value), (kind = 'email'));
		} else {
			const domain = domainKey(properties.domain);
			if (properties.domain !== undefined && !domain) {
				ordered.push(
					single(
						input,
						skip(
							'MISSING_MATCH_KEY',
							`"${properties.domain}" is not a domain name (expected e.g. example.com)`,
						),
					),
				);
				continue;
			}
			if (domain) ((properties.domain = domain), (kind = 'domain'), (value = domain));
			else if (nameKey(properties.name)) ((kind = 'name'), (value = nameKey(properties.name)));
			else {
				ordered.push(
					single(
						input,
						skip('MISSING_MATCH_KEY', 'The company has neither a domain nor a name to match it by'),
					),
				);
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
		const created: Group = {
			key,
			matchKind: kind,
			matchValue: value,
			items: [keyed],
			properties,
			matchedBy: null,
		};
		groups.set(key, created);
		ordered.push(created);
	}
	return ordered;
}

/** The lowest id wins when several HubSpot companies share a domain or a name: the oldest. */
function indexBy(
	records: CrmRecord[],
	keyOf: (record: CrmRecord) => string,
): Map<string, CrmRecord> {
	const index = new Map<string, CrmRecord>();
	for (const record of [...records].sort((a, b) => Number(a.id) - Number(b.id))) {
		const key = keyOf(record);
		if (key && !index.has(key)) index.set(key, record);
	}
	return index;
}

async function searchIn(
	client: HubSpotClient,
	property: string,
	values: string[],
	properties: string[],
): Promise<CrmRecord[]> {
	const found: CrmRecord[] = [];
	for (const values100 of chunk(values, BATCH_SIZE)) {
		const filterGroups = [
			{ filters: [{ propertyName: property, operator: 'IN' as const, values: values100 }] },
		];
		for await (const page of searchAll(client, 'companies', { filterGroups, properties }))
			found.push(...page);
	}
	return found;
}

/**
 * Finds the HubSpot record of each keyed group: one batch read (contacts) or search (companies) per
 * 100 keys.
 */
async function matchExisting(
	client: HubSpotClient,
	groups: Group[],
	objectType: PushObjectType,
	properties: string[],
): Promise<void> {
	const open = groups.filter((group) => !group.outcome && group.matchKind);
	if (objectType === 'deals') {
		const ids = open.map((group) => group.matchValue);
		if (!ids.length) return;
		const found = indexBy(await batchRead(client, 'deals', ids, properties), (record) =>
			String(record.id),
		);
		for (const group of open) {
			group.existing = found.get(group.matchValue);
			if (group.existing) group.matchedBy = 'id';
			// Creating it instead would make a new deal on every run.
			else
				group.outcome = skip(
					'NOT_FOUND',
					`HubSpot has no deal with ID ${group.matchValue} (deleted or merged); nothing was written`,
				);
		}
		return;
	}
	if (objectType === 'contacts') {
		const emails = open.map((group) => group.matchValue);
		if (!emails.length) return;
		const found = indexBy(
			await batchRead(client, 'contacts', emails, properties, 'email'),
			(record) => emailKey(record.properties.email),
		);
		for (const group of open)
			((group.existing = found.get(group.matchValue)),
				(group.matchedBy = group.existing ? 'email' : null));
		return;
	}
	const byDomain = open.filter((group) => group.matchKind === 'domain');
	if (byDomain.length) {
		const found = indexBy(
			await searchIn(
				client,
				'domain',
				byDomain.map((group) => group.matchValue),
				properties,
			),
			(record) => domainKey(record.properties.domain),
		);
		for (const group of byDomain)
			((group.existing = found.get(group.matchValue)),
				(group.matchedBy = group.existing ? 'domain' : null));
	}
	// By name: companies without a domain, and those whose domain HubSpot does not know.
	const byName = open.filter((group) => !group.existing && nameKey(group.properties.name));
	if (byName.length) {
		const names = [...new Set(byName.map((group) => nameKey(group.properties.name)))];
		const found = indexBy(await searchIn(client, 'name', names, properties), (record) =>
			nameKey(record.properties.name),
		);
		for (const group of byName) {
			group.existing = found.get(nameKey(group.properties.name));
			if (group.existing) group.matchedBy = 'name';
		}
	}
}

type Write = {
	group: Group;
	action: 'create' | 'update' | 'upsert';
	input: IDataObject;
	key?: string;
};

/**
 * One write of a batch as its answer is paired with it: what was sent, and the key that names it.
 */
export interface SentWrite {
	input: IDataObject;
	/**
	 * `id:<hubspot id>` (update), `<idProperty>:<value>` (upsert), the match key (create); none: a
	 * keyless create.
	 */
	key?: string;
}

/** A per-input error of a batch answer, with the trace ids HubSpot names in its context, if any. */
type AnsweredError = BatchInputError & { traceIds: string[] };

/**
 * The key a write names its record by, in the form `keysOfResult` reads back from HubSpot's answer.
 */
function keyOfWrite(action: Write['action'], group: Group, input: IDataObject): string | undefined {
	if (action === 'update') return `id:${String(input.id)}`;
	if (action === 'upsert')
		return `${String(input.idProperty)}:${String(input.id).trim().toLowerCase()}`;
	return group.matchKind ? `${group.matchKind}:${group.matchValue}` : undefined;
}

/**
 * The keys a result can be known by, per action: its id (update), its idProperty value (upsert,
 * case-insensitive like HubSpot's email), or the match key its properties give, as groupInputs keys
 * an input (create: email; domain, else name).
 */
function keysOfResult(
	objectType: PushObjectType,
	action: Write['action'],
	writes: SentWrite[],
	result: CrmRecord,
): string[] {
	const properties = result.properties ?? {};
	if (action === 'update') return [`id:${String(result.id)}`];
	if (action === 'upsert') {
		const idProperties = new Set(writes.map((write) => String(write.input.idProperty)));
		return [...idProperties]
			.filter((name) => properties[name])
			.map((name) => `${name}:${String(properties[name]).trim().toLowerCase()}`);
	}
	if (objectType === 'contacts')
		return emailKey(properties.email) ? [`email:${emailKey(properties.email)}`] : [];
	if (objectType === 'companies') {
		if (domainKey(properties.domain)) return [`domain:${domainKey(properties.domain)}`];
		return nameKey(properties.name) ? [`name:${nameKey(properties.name)}`] : [];
	}
	return [];
}

/**
 * Whether a result holds every value a write sent (HubSpot answers with the properties written).
 */
function shows(
	result: CrmRecord,
	input: IDataObject,
	definitions: Map<string, PropertyDefinition>,
): boolean {
	const sent = Object.entries((input.properties ?? {}) as Record<string, string>);
	return (
		sent.length > 0 &&
		sent.every(([name, value]) =>
			sameValue(definitions.get(name), value, result.properties?.[name]),
		)
	);
}

/**
 * Pairs HubSpot's results of one batch with the writes sent, never by position alone: HubSpot does
 * not promise results in input order, and documents objectWriteTraceId (the batch index, sent with
 * each input) for batch creates only. So a result is paired by its trace id when HubSpot echoes it,
 * else by the key its record is known by (update: id; upsert: the idProperty value; create: the
 * match key, email / domain / name). Keyless creates (deals, contacts without email) are paired by
 * the values they sent. Those still left are paired by order, and only when exactly as many results
 * are left as keyless writes and no keyed write is unpaired: then every one of them was created,
 * and the answer holds nothing else that tells them apart (most often they sent the same values, so
 * any order is as true as another). Otherwise they stay unconfirmed, an error, rather than get a
 * wrong id. Writes that an error names are never paired.
 */
function pairResults<W extends SentWrite>(
	objectType: PushObjectType,
	action: Write['action'],
	writes: W[],
	results: CrmRecord[],
	failed: Set<W>,
	definitions: Map<string, PropertyDefinition>,
): Map<W, CrmRecord> {
	const paired = new Map<W, CrmRecord>();
	const open = (write: W | undefined): write is W =>
		write !== undefined && !failed.has(write) && !paired.has(write);
	// A key can name two writes (two groups matched to one HubSpot record): each result takes the
	// first open one.
	const byKey = new Map<string, W[]>();
	for (const write of writes)
		if (write.key) byKey.set(write.key, [...(byKey.get(write.key) ?? []), write]);
	const left: CrmRecord[] = [];
	for (const result of results) {
		const traced = /^\d+$/.test(String(result.objectWriteTraceId ?? ''))
			? writes[Number(result.objectWriteTraceId)]
			: undefined;
		const write = open(traced)
			? traced
			: keysOfResult(objectType, action, writes, result)
					.flatMap((key) => byKey.get(key) ?? [])
					.find(open);
		if (write) paired.set(write, result);
		else left.push(result);
	}
	const keyless = writes.filter((write) => !write.key);
	for (const result of [...left]) {
		const write = keyless.find(
			(candidate) => open(candidate) && shows(result, candidate.input, definitions),
		);
		if (!write) continue;
		paired.set(write, result);
		left.splice(left.indexOf(result), 1);
	}
	const unpairedKeyless = keyless.filter(open);
	const unpairedKeyed = writes.filter((write) => write.key && open(write));
	if (unpairedKeyless.length && unpairedKeyless.length === left.length && !unpairedKeyed.length)
		unpairedKeyless.forEach((write, index) => paired.set(write, left[index]));
	return paired;
}

/**
 * The writes a batch answer's errors name: by their ids (update, upsert) or, for batch creates'
 * multi-status answers, by the objectWriteTraceId HubSpot puts in the error's context.
 */
function failedWrites<W extends SentWrite>(
	writes: W[],
	errors: AnsweredError[],
): Map<W, AnsweredError> {
	const failed = new Map<W, AnsweredError>();
	for (const error of errors) {
		const ids = new Set(error.ids.map((id) => id.toLowerCase()));
		writes.forEach((write, index) => {
			if (
				ids.has(String(write.input.id ?? '').toLowerCase()) ||
				error.traceIds.includes(String(index))
			)
				failed.set(write, error);
		});
	}
	return failed;
}

/**
 * A batch answer read against the writes sent: the ones its errors name, and the others' results.
 */
export function readAnswer<W extends SentWrite>(
	objectType: PushObjectType,
	action: Write['action'],
	writes: W[],
	answer: BatchWriteAnswer | undefined,
	definitions: Map<string, PropertyDefinition>,
): { failed: Map<W, BatchInputError>; paired: Map<W, CrmRecord> } {
	const errors = batchInputErrors(answer?.errors).map((error, index) => ({
		...error,
		traceIds: answer?.errors?.[index]?.context?.objectWriteTraceId ?? [],
	}));
	const failed = failedWrites(writes, errors);
	return {
		failed,
		paired: pairResults(
			objectType,
			action,
			writes,
			answer?.results ?? [],
			new Set(failed.keys()),
			definitions,
		),
	};
}

/**
 * Sends writes of one action in batches of 100 and settles each group's outcome from HubSpot's
 * answer, paired as pairResults says (by objectWriteTraceId when HubSpot echoes it, else by key).
 */
async function sendWrites(
	client: HubSpotClient,
	objectType: PushObjectType,
	action: Write['action'],
	writes: Write[],
	definitions: Map<string, PropertyDefinition>,
): Promise<void> {
	let stopped: HubSpotFailure | undefined;
	const queue = chunk(writes, BATCH_SIZE);
	// Bounded: each batch is sent once, then at most once per record when HubSpot refused it whole.
	while (queue.length) {
		const batch = queue.shift()!;
		if (stopped) {
			for (const write of batch) fail(write.group, stopped);
			continue;
		}
		const inputs = batch.map((write, index) => ({
			...write.input,
			objectWriteTraceId: String(index),
		}));
		const answer = await attemptBatchWrite(client, objectType, action, inputs, [
			'VALIDATION',
			'CONFLICT',
			'NOT_FOUND',
			'AUTH_INVALID',
			'SCOPES_MISSING',
			'RATE_LIMITED',
			'UNAVAILABLE',
			'UNKNOWN',
		]);
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
		const { failed, paired } = readAnswer(objectType, action, batch, answer.body, definitions);
		for (const [write, error] of failed) fail(write.group, failureOfBatchInput(error));
		for (const write of batch) {
			if (failed.has(write)) continue;
			const result = paired.get(write);
			if (!result) {
				fail(write.group, {
					code: 'UNKNOWN',
					hubspotMessage: 'HubSpot did not confirm this record in its answer',
					attempts: 1,
				});
				continue;
			}
			const created = action === 'create' || (action === 'upsert' && result.new === true);
			write.group.outcome = {
				...write.group.outcome!,
				status: created ? 'created' : 'updated',
				hubspotId: String(result.id),
			};
		}
	}
}

function keyed(group: Group, action: Write['action'], input: IDataObject): Write {
	return { group, action, input, key: keyOfWrite(action, group, input) };
}

function fail(group: Group, failure: HubSpotFailure): void {
	group.outcome = { ...group.outcome!, status: 'error', failure };
}

/** Runs a push and returns one outcome per input, in input order. */
export async function push(
	client: HubSpotClient,
	inputs: PushInput[],
	options: PushOptions,
): Promise<PushOutcome[]> {
	const groups = groupInputs(inputs, options);
	const mapped = [...new Set(inputs.flatMap((input) => Object.keys(input.properties)))];
	const matchProperties =
		options.objectType === 'contacts'
			? ['email']
			: options.objectType === 'companies'
				? ['domain', 'name']
				: [];
	const blind = writesWithoutReading(options);
	if (!blind)
		await matchExisting(client, groups, options.objectType, [
			...new Set([...mapped, ...matchProperties]),
		]);

	const writes: Record<Write['action'], Write[]> = { create: [], update: [], upsert: [] };
	for (const group of groups.filter((candidate) => !candidate.outcome)) {
		const decision = decideWrite(
			group.properties,
			group.existing?.properties as Record<string, string> | undefined,
			options.rule,
			options.definitions,
		);
		const hubspotId = group.existing ? String(group.existing.id) : null;
		group.outcome = {
			status:
				decision.action === 'create'
					? 'created'
					: decision.action === 'update'
						? 'updated'
						: 'unchanged',
			reason:
				decision.kept.length && options.rule !== 'incomingWins'
					? `HubSpot kept its values of ${decision.kept.join(', ')} (conflict rule: ${options.rule})`
					: undefined,
			hubspotId,
			matchedBy: group.matchedBy,
			changedProperties: Object.keys(decision.write),
			keptProperties: decision.kept,
		};
		if (decision.action === 'unchanged' || options.dryRun) continue;
		if (group.matchKind === 'email') {
			// Upsert by email also covers a contact created by someone else since the read.
			writes.upsert.push(
				keyed(group, 'upsert', {
					idProperty: 'email',
					id: group.matchValue,
					properties: { ...decision.write, email: group.matchValue },
				}),
			);
		} else if (decision.action === 'create') {
			writes.create.push(keyed(group, 'create', { properties: decision.write }));
		} else {
			writes.update.push(keyed(group, 'update', { id: hubspotId, properties: decision.write }));
		}
	}
	for (const action of ['upsert', 'update', 'create'] as const) {
		if (writes[action].length)
			await sendWrites(client, options.objectType, action, writes[action], options.definitions);
	}
	// Without a read, an upsert that updated a contact is what found it by email.
	if (blind)
		for (const group of groups)
			if (group.outcome?.status === 'updated') group.outcome.matchedBy = 'email';

	const outcomes: PushOutcome[] = [];
	for (const group of groups) {
		const itemIndexes = group.items.map((item) => item.itemIndex);
		for (const item of group.items) {
			outcomes.push({
				...group.outcome!,
				itemIndex: item.itemIndex,
				mergedItems: itemIndexes.filter((index) => index !== item.itemIndex),
			});
		}
	}
	return outcomes.sort((left, right) => left.itemIndex - right.itemIndex);
}
