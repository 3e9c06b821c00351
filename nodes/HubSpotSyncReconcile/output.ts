/**
 * Reconcile's decisions → its eight outputs: each write as an item (what to write, the match
 * values, the link to save once written), skips and unreadable items, and the Summary. Every item
 * is paired with the HubSpot record, app record and link it came from.
 */
import type { IDataObject, INodeExecutionData, IPairedItemData } from 'n8n-workflow';

import { errorJson } from '../shared/errorItems';
import type { ReconcileResult, ReconcileSettings, SyncLink, Write } from './engine/reconcile';
import type { IndexedInputs } from './read';

/** A links Data table row: values as JSON text (a column holds text). */
function linkRow(link: SyncLink): IDataObject {
	return {
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
	(inputs: IndexedInputs, kind: 'hubspot' | 'app', action: 'update' | 'create') =>
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
			link: linkRow(entry.link),
		},
		pairedItem: pairedItems(inputs, entry),
	});

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
 * The decisions on the outputs: Edit HubSpot, Edit App, New HubSpot, New in App, Save Links,
 * Archive, Skipped, Summary.
 */
export function decisionOutputs(report: RunReport): INodeExecutionData[][] {
	const { objectType, result, inputs, usage, calls, hubspotInput } = report;
	return [
		result.hubspotUpdates.map(writeItem(inputs, 'hubspot', 'update')),
		result.appUpdates.map(writeItem(inputs, 'app', 'update')),
		result.hubspotCreates.map(writeItem(inputs, 'hubspot', 'create')),
		result.appCreates.map(writeItem(inputs, 'app', 'create')),
		result.linkSaves.map((link) => ({
			json: {
				action: 'link',
				key: link.key,
				hubspotId: link.hubspotId ?? '',
				appId: link.appId ?? '',
				link: linkRow(link),
			},
			pairedItem: pairedItems(inputs, link),
		})),
		result.hubspotDeletes.map((entry) => ({
			json: {
				action: 'delete',
				key: entry.key,
				hubspotId: entry.hubspotId,
				appId: entry.appId,
				link: linkRow(entry.link),
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
