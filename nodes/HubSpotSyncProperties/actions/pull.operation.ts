import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { asNodeError, errorJson } from '../../shared/errorItems';
import { parsePosition, pull, type PullPosition } from '../sync/pull';
import type { HubSpotClient } from '../../shared/transport/client';
import type { CrmRecord } from '../../shared/transport/pagination';
import type { CrmObjectType } from '../../shared/transport/paths';
import { collectPropertyNames } from './testProperties.operation';

const show = { operation: ['pull'] };

export const pullDescription: INodeProperties[] = [
	{
		displayName: 'Mode',
		name: 'mode',
		type: 'options',
		options: [
			{ name: 'Full', value: 'full', description: 'Every record' },
			{
				name: 'Incremental',
				value: 'incremental',
				description: 'Records changed since the cursor; full when the cursor is empty',
			},
		],
		default: 'incremental',
		displayOptions: { show },
	},
	{
		displayName: 'Changed Since (Cursor)',
		name: 'since',
		type: 'string',
		default: '',
		placeholder: "e.g. {{ $('Claim run').item.json.cursor }}",
		description:
			'The new cursor of the previous run (ISO 8601 or epoch milliseconds). Empty: a full pull.',
		displayOptions: { show: { operation: ['pull'], mode: ['incremental'] } },
	},
	{
		displayName: 'Options',
		name: 'pullOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Continue From',
				name: 'continueFrom',
				type: 'string',
				default: '',
				placeholder: '={{ $json.continueFrom }}',
				description:
					"The continueFrom of the previous chunk's summary: go on with the same pull where it stopped (its mode and cursor come from there). Empty: start a pull.",
			},
			{
				displayName: 'Full Pull When Changes Exceed',
				name: 'fullAbove',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 0,
				description:
					'Incremental mode: when more records changed than this, read every record instead (the summary says mode "full"), so a Data table can be replaced in bulk instead of row by row. 0: never.',
			},
			{
				displayName: 'Lookback (Seconds)',
				name: 'lookbackSeconds',
				type: 'number',
				default: 60,
				description:
					'How far before the run the new cursor is set, so that late-indexed changes are read again',
			},
			{
				displayName: 'Max Records per Run',
				name: 'maxRecords',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 0,
				description:
					'Stop after about this many records (at the end of a page) and answer done: false with a continueFrom, so a big portal is read in chunks, each in its own execution (memory stays flat). 0: read everything in one run.',
			},
			{
				displayName: 'Output Format',
				name: 'outputFormat',
				type: 'options',
				options: [
					{
						name: 'Record',
						value: 'record',
						description: '{ objectType, ID, properties, updatedAt }',
					},
					{
						name: 'Data Table Row',
						value: 'dataTableRow',
						description:
							'The columns of the hubspot_sync_records table (properties as JSON text), so a Data table node can map them automatically without an expression per row',
					},
				],
				default: 'record',
			},
			{
				displayName: 'Run ID',
				name: 'runId',
				type: 'string',
				default: '',
				description:
					"The runId written in Data Table Row output; every chunk of one pull keeps the first chunk's. Empty: this execution's ID.",
			},
			{
				displayName: 'Use Search in Parallel',
				name: 'parallelSearch',
				type: 'boolean',
				default: true,
				description:
					'Whether a full pull also reads with search (its own budget) from the other end, about doubling the speed',
			},
		],
	},
];

function parseSince(ctx: IExecuteFunctions, raw: unknown): number | undefined {
	if (raw === undefined || raw === null || String(raw).trim() === '') return undefined;
	const text = String(raw).trim();
	const at = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
	if (Number.isNaN(at)) {
		throw new NodeOperationError(ctx.getNode(), `The cursor "${text}" is not a time`, {
			itemIndex: 0,
			description:
				'Field "Changed Since (Cursor)". Use the newCursor of the previous run (ISO 8601) or epoch milliseconds.',
		});
	}
	return at;
}

/** The Continue From option as a position of a pull of this object type, or an error naming it. */
function parseContinueFrom(
	ctx: IExecuteFunctions,
	raw: unknown,
	objectType: CrmObjectType,
): PullPosition | undefined {
	if (raw === undefined || raw === null || String(raw).trim() === '') return undefined;
	const position = typeof raw === 'object' ? (raw as PullPosition) : parsePosition(String(raw));
	const problem =
		typeof position === 'string'
			? position
			: position.objectType !== objectType
				? `it continues a pull of ${position.objectType}, and this node pulls ${objectType}`
				: undefined;
	if (problem !== undefined || typeof position === 'string') {
		throw new NodeOperationError(
			ctx.getNode(),
			`Option "Continue From" cannot be used: ${problem}`,
			{
				itemIndex: 0,
				description:
					'Set it to the continueFrom of the summary (second output) of the previous chunk of the same pull, e.g. {{ $json.continueFrom }}, or leave it empty to start a pull.',
			},
		);
	}
	return position;
}

/**
 * A record as a row of the records Data table. The match keys (email, domain, name) get their own
 * columns so that a Data table lookup can find a record; the rest stays as JSON text because the
 * synced property list is the operator's to change, and table columns are not.
 */
export function dataTableRow(objectType: CrmObjectType, runId: string) {
	return (record: CrmRecord, pullMode: 'full' | 'incremental') => {
		const p = record.properties;
		return {
			objectType,
			hubspotId: record.id,
			email: p.email ?? '',
			domain: p.domain ?? '',
			name: p.name ?? [p.firstname, p.lastname].filter(Boolean).join(' '),
			properties: JSON.stringify(p),
			hubspotUpdatedAt: record.updatedAt ?? '',
			runId,
			pullMode,
		};
	};
}

/**
 * Pull: one item per record ({ id, properties, updatedAt }) on the first output, and a run summary
 * (records, HubSpot calls, retries, 429s, duration, new cursor) on the second. Runs once per
 * execution, whatever the number of input items: a pull is a run, not a per-item action.
 */
export async function pullRecords(
	this: IExecuteFunctions,
	client: HubSpotClient,
): Promise<INodeExecutionData[][]> {
	const objectType = this.getNodeParameter('objectType', 0) as CrmObjectType;
	const properties = collectPropertyNames(
		this.getNodeParameter('propertyNames', 0, []),
		this.getNodeParameter('extraPropertyNames', 0, ''),
	);
	const mode = this.getNodeParameter('mode', 0) as 'full' | 'incremental';
	const options = this.getNodeParameter('pullOptions', 0, {}) as {
		lookbackSeconds?: number;
		parallelSearch?: boolean;
		outputFormat?: 'record' | 'dataTableRow';
		fullAbove?: number;
		continueFrom?: string;
		maxRecords?: number;
		runId?: string;
	};
	const continueFrom = parseContinueFrom(this, options.continueFrom, objectType);
	const since =
		mode === 'incremental' && !continueFrom
			? parseSince(this, this.getNodeParameter('since', 0, ''))
			: undefined;
	const runId = continueFrom?.runId ?? (options.runId?.trim() || (this.getExecutionId() ?? ''));
	const records: INodeExecutionData[] = [];
	const toJson =
		options.outputFormat === 'dataTableRow'
			? dataTableRow(objectType, runId)
			: (record: CrmRecord) => ({
					objectType,
					id: record.id,
					properties: record.properties,
					updatedAt: record.updatedAt ?? null,
				});
	let summary;
	try {
		summary = await pull(
			client,
			{
				objectType,
				properties,
				since,
				lookbackMs: (options.lookbackSeconds ?? 60) * 1000,
				parallelSearch: options.parallelSearch ?? true,
				fullAbove: options.fullAbove ? options.fullAbove : undefined,
				maxRecords: options.maxRecords ? options.maxRecords : undefined,
				continueFrom,
				runId,
			},
			(page, pullMode) => {
				for (const record of page) {
					records.push({ json: toJson(record, pullMode) as IDataObject, pairedItem: { item: 0 } });
				}
			},
		);
	} catch (error) {
		// A pull is all or nothing: the records read before the failure are dropped, and the caller
		// keeps its cursor, so the next run reads them again.
		if (!this.continueOnFail()) throw asNodeError(this.getNode(), error as Error, 0);
		const json = errorJson(error as Error);
		Object.assign(json.error as IDataObject, {
			objectType,
			recordsReadBeforeFailure: records.length,
			calls: client.stats.calls,
			retries: client.stats.retries,
		});
		return [[{ json, pairedItem: { item: 0 } }], []];
	}
	return [
		records,
		[
			{
				json: {
					...summary,
					calls: client.stats.calls,
					retries: client.stats.retries,
					http429: client.stats.http429,
				} as unknown as IDataObject,
				pairedItem: { item: 0 },
			},
		],
	];
}
