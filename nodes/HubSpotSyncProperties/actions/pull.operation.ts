import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { pull } from '../../shared/pull';
import type { HubSpotClient } from '../../shared/transport/client';
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
			{ name: 'Incremental', value: 'incremental', description: 'Records changed since the cursor; full when the cursor is empty' },
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
		description: 'The new cursor of the previous run (ISO 8601 or epoch milliseconds). Empty: a full pull.',
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
			{ displayName: 'Lookback (Seconds)', name: 'lookbackSeconds', type: 'number', default: 60, description: 'How far before the run the new cursor is set, so that late-indexed changes are read again' },
			{ displayName: 'Use Search in Parallel', name: 'parallelSearch', type: 'boolean', default: true, description: 'Whether a full pull also reads with search (its own budget) from the other end, about doubling the speed' },
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
			description: 'Field "Changed Since (Cursor)". Use the newCursor of the previous run (ISO 8601) or epoch milliseconds.',
		});
	}
	return at;
}

/**
 * Pull: one item per record ({ id, properties, updatedAt }) on the first output, and a run summary
 * (records, HubSpot calls, retries, 429s, duration, new cursor) on the second. Runs once per
 * execution, whatever the number of input items: a pull is a run, not a per-item action.
 */
export async function pullRecords(this: IExecuteFunctions, client: HubSpotClient): Promise<INodeExecutionData[][]> {
	const objectType = this.getNodeParameter('objectType', 0) as CrmObjectType;
	const properties = collectPropertyNames(this.getNodeParameter('propertyNames', 0, []), this.getNodeParameter('extraPropertyNames', 0, ''));
	const mode = this.getNodeParameter('mode', 0) as 'full' | 'incremental';
	const options = this.getNodeParameter('pullOptions', 0, {}) as { lookbackSeconds?: number; parallelSearch?: boolean };
	const since = mode === 'incremental' ? parseSince(this, this.getNodeParameter('since', 0, '')) : undefined;
	const records: INodeExecutionData[] = [];
	const summary = await pull(
		client,
		{ objectType, properties, since, lookbackMs: (options.lookbackSeconds ?? 60) * 1000, parallelSearch: options.parallelSearch ?? true },
		(page) => {
			for (const record of page) {
				records.push({ json: { id: record.id, properties: record.properties, updatedAt: record.updatedAt ?? null } as IDataObject, pairedItem: { item: 0 } });
			}
		},
	);
	return [records, [{ json: { ...summary, calls: client.stats.calls, retries: client.stats.retries, http429: client.stats.http429 } as unknown as IDataObject, pairedItem: { item: 0 } }]];
}
