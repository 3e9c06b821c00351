/**
 * Reconcile's decisions → its eight outputs: each write as an item (what to write, the match
 * values, the link to save once written), skips and unreadable items, and the Summary. Every item
 * is paired with the HubSpot record, app record and link it came from.
 */
import type { IDataObject, INodeExecutionData, IPairedItemData } from 'n8n-workflow';

import { errorJson } from '../shared/errorItems';
import type { ReconcileResult, ReconcileSettings, SyncLink, Write } from './engine/reconcile';
import type { IndexedInputs } from './read';

/** Whether the link's key was read with more than one row. */
const hasExtraRows = (inputs: IndexedInputs, link: SyncLink) =>
	(inputs.linkRowCount.get(link.key) ?? 0) > 1;

/**
 * A links Data table row: values as JSON text (a column holds text), and how the templates save
 * it. A save inserts a new row (one insert takes all of a run's links) and deletes the rows it
 * replaces:
 * - `rowId`: the row read for its key ('' for a new key), deleted by id (a lookup);
 * - `olderRowsByKey`: the key may have rows no id here names, so they are found by key (a scan of
 *   the table) and deleted: the pair is written on both sides in this run (both writes save its
 *   link, and the first save's row is not known yet), or the key was read with more than one row.
 */
function linkRow(link: SyncLink, inputs: IndexedInputs, writtenBothWays = new Set<string>()) {
	return {
		rowId: inputs.linkRowId.get(link.key) ?? '',
		olderRowsByKey: writtenBothWays.has(link.key) || hasExtraRows(inputs, link),
		key: link.key,
		hubspotId: link.hubspotId ?? '',
		appId: link.appId ?? '',
		appKind: link.appKind ?? '',
		values: JSON.stringify(link.values),
	};
}

/** The input items an output item came from: its HubSpot record, app record and link. */
function pairedItems(
	inputs: IndexedInputs,
	entry: { key: string; hubspotId: string | null; appId: string | null },
): IPairedItemData[] {
	const paired: IPairedItemData[] = [];
	const hubspot = entry.hubspotId ? inputs.hubspotItem.get(entry.hubspotId) : undefined;
	const app = entry.appId ? inputs.appItem.get(entry.appId) : undefined;
	const link = entry.key ? inputs.linkItem.get(entry.key) : undefined;
	if (hubspot !== undefined) paired.push({ item: hubspot, input: 0 });
	if (app !== undefined) paired.push({ item: app, input: 1 });
	if (link !== undefined) paired.push({ item: link, input: 2 });
	return paired.length ? paired : [{ item: 0 }];
}

/**
 * Items set aside (continue on fail), reported with the skips as error items naming input, item and
 * field.
 */
function unreadableItems(
	inputs: IndexedInputs,
	objectType: ReconcileSettings['objectType'],
): INodeExecutionData[] {
	return inputs.unreadable.map((entry) => ({
		json: {
			status: 'error',
			side: entry.input === 0 ? 'hubspot' : 'app',
			objectType,
			...errorJson(entry.error),
		},
		pairedItem: { item: entry.itemIndex, input: entry.input },
	}));
}

/** A write for the HubSpot side (properties, match values first) or the app side (fields). */
const writeItem =
	(
		inputs: IndexedInputs,
		kind: 'hubspot' | 'app',
		action: 'update' | 'create',
		writtenBothWays: Set<string>,
	) =>
	(entry: Write): INodeExecutionData => ({
		json: {
			action,
			key: entry.key,
			hubspotId: entry.hubspotId ?? '',
			appId: entry.appId ?? '',
			[kind === 'hubspot' ? 'properties' : 'fields']:
				kind === 'hubspot'
					? { ...entry.match, ...(entry.values as IDataObject) }
					: (entry.values as IDataObject),
			match: entry.match,
			...(entry.associations ? { associations: entry.associations } : {}),
			link: linkRow(entry.link, inputs, writtenBothWays),
		},
		pairedItem: pairedItems(inputs, entry),
	});

/** Keys of the pairs written on both sides in this run: both writes save the pair's link. */
function keysWrittenBothWays(result: ReconcileResult): Set<string> {
	const toHubSpot = new Set(
		[...result.hubspotUpdates, ...result.hubspotCreates].map((entry) => entry.link.key),
	);
	return new Set(
		[...result.appUpdates, ...result.appCreates]
			.map((entry) => entry.link.key)
			.filter((key) => toHubSpot.has(key)),
	);
}

/** What the run decided and the calls it counted: the Summary output (one item). */
function summaryItem(
	objectType: string,
	result: ReconcileResult,
	inputs: IndexedInputs,
	usage: IDataObject,
	calls: number,
	written: boolean,
	hubspotInput: RunReport['hubspotInput'],
): INodeExecutionData[] {
	const summary: IDataObject = {
		objectType,
		writes: written ? 'sent to the outputs' : 'held back (over the API call budget)',
		hubspotInput: hubspotInput === 'changed' ? 'changed records only' : 'every record',
		hubspotRecords: inputs.hubspot.length,
		appRecords: inputs.app.length,
		hubspotUpdates: result.hubspotUpdates.length,
		appUpdates: result.appUpdates.length,
		hubspotCreates: result.hubspotCreates.length,
		appCreates: result.appCreates.length,
		linksToSave: result.linkSaves.length,
		hubspotDeletes: result.hubspotDeletes.length,
		skipped: result.skips.length,
		unreadable: inputs.unreadable.length,
		reconcileCalls: calls,
		...usage,
	};
	return [{ json: summary, pairedItem: { item: 0 } }];
}

export interface RunReport {
	objectType: ReconcileSettings['objectType'];
	result: ReconcileResult;
	inputs: IndexedInputs;
	/** The call budget's usage, on the Summary whether or not a cap is set. */
	usage: IDataObject;
	/** HubSpot calls this node made. */
	calls: number;
	/** Whether the HubSpot input was taken as every record or the changed ones. */
	hubspotInput: 'all' | 'changed';
}

/**
 * Over the API call budget: nothing on the write outputs, one OVER_BUDGET skip (with the unreadable
 * items), and the Summary.
 */
export function overBudgetOutputs(
	report: RunReport,
	overBudget: IDataObject,
): INodeExecutionData[][] {
	const { objectType, result, inputs, usage, calls, hubspotInput } = report;
	return [
		[],
		[],
		[],
		[],
		[],
		[],
		[
			{ json: { ...overBudget, objectType }, pairedItem: { item: 0 } },
			...unreadableItems(inputs, objectType),
		],
		summaryItem(objectType, result, inputs, usage, calls, false, hubspotInput),
	];
}

/**
 * Links read with more than one row whose key no decision of this run saves or forgets: each is
 * saved again as read, so that its older rows are deleted (a run stopped between a link's insert
 * and the delete of the row it replaces leaves two).
 */
function linksWithExtraRows(result: ReconcileResult, inputs: IndexedInputs): SyncLink[] {
	const handled = new Set(
		[
			...result.hubspotUpdates,
			...result.appUpdates,
			...result.hubspotCreates,
			...result.appCreates,
			...result.hubspotDeletes,
		]
			.map((entry) => entry.link.key)
			.concat(result.linkSaves.map((link) => link.key)),
	);
	return inputs.links.filter((link) => hasExtraRows(inputs, link) && !handled.has(link.key));
}

/**
 * The decisions on the outputs: Edit HubSpot, Edit App, New HubSpot, New in App, Save Links,
 * Archive, Skipped, Summary.
 */
export function decisionOutputs(report: RunReport): INodeExecutionData[][] {
	const { objectType, result, inputs, usage, calls, hubspotInput } = report;
	const bothWays = keysWrittenBothWays(result);
	return [
		result.hubspotUpdates.map(writeItem(inputs, 'hubspot', 'update', bothWays)),
		result.appUpdates.map(writeItem(inputs, 'app', 'update', bothWays)),
		result.hubspotCreates.map(writeItem(inputs, 'hubspot', 'create', bothWays)),
		result.appCreates.map(writeItem(inputs, 'app', 'create', bothWays)),
		[...result.linkSaves, ...linksWithExtraRows(result, inputs)].map((link) => ({
			json: {
				action: 'link',
				key: link.key,
				hubspotId: link.hubspotId ?? '',
				appId: link.appId ?? '',
				link: linkRow(link, inputs),
			},
			pairedItem: pairedItems(inputs, link),
		})),
		result.hubspotDeletes.map((entry) => ({
			json: {
				action: 'delete',
				key: entry.key,
				hubspotId: entry.hubspotId,
				appId: entry.appId,
				link: linkRow(entry.link, inputs),
			},
			pairedItem: pairedItems(inputs, entry),
		})),
		result.skips
			.map((skip): INodeExecutionData => {
				const side =
					skip.side === 'hubspot'
						? { hubspotId: skip.id, appId: skip.otherId ?? '' }
						: { hubspotId: skip.otherId ?? '', appId: skip.id };
				return {
					json: {
						status: 'skipped',
						code: skip.code,
						reason: skip.reason,
						side: skip.side,
						key: skip.key,
						objectType,
						...side,
					},
					pairedItem: pairedItems(inputs, {
						key: skip.key,
						hubspotId: side.hubspotId || null,
						appId: side.appId || null,
					}),
				};
			})
			.concat(unreadableItems(inputs, objectType)),
		summaryItem(objectType, result, inputs, usage, calls, true, hubspotInput),
	];
}
