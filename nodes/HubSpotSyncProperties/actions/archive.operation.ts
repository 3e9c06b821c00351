import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { asNodeError, errorJson, isHubSpotId, notAnIdError } from '../../shared/errorItems';
import type { HubSpotClient } from '../../shared/transport/client';
import { batchArchive } from '../../shared/transport/pagination';
import type { CrmObjectType } from '../../shared/transport/paths';

export const archiveDescription: INodeProperties[] = [
	{
		displayName: 'Record ID',
		name: 'archiveId',
		type: 'string',
		default: '={{ $json.hubspotId }}',
		required: true,
		description:
			'The HubSpot ID of the record to delete (HubSpot archives it: it stays restorable in HubSpot for 90 days)',
		displayOptions: { show: { operation: ['archive'] } },
	},
];

/**
 * Delete (archive) records by id, 100 per call: the delete propagation of the two-way sync (like
 * HubSpot's Salesforce connector: "delete in HubSpot when deleted in Salesforce"). Every id is
 * checked before anything is deleted.
 */
export async function archiveRecords(
	this: IExecuteFunctions,
	client: HubSpotClient,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[][]> {
	const objectType = this.getNodeParameter('objectType', 0) as CrmObjectType;
	const output: INodeExecutionData[] = new Array(items.length);
	const ids = new Map<number, string>();
	for (const [itemIndex] of items.entries()) {
		const id = String(this.getNodeParameter('archiveId', itemIndex, '') ?? '').trim();
		if (isHubSpotId(id)) {
			ids.set(itemIndex, id);
			continue;
		}
		const error = notAnIdError(this.getNode(), itemIndex, 'Record ID', id);
		if (!this.continueOnFail()) throw error;
		output[itemIndex] = { json: errorJson(error), pairedItem: { item: itemIndex } };
	}
	const unique = [...new Set(ids.values())];
	let calls = 0;
	try {
		calls = await batchArchive(client, objectType, unique);
	} catch (error) {
		if (!this.continueOnFail()) throw asNodeError(this.getNode(), error as Error, 0);
		for (const itemIndex of ids.keys())
			output[itemIndex] = { json: errorJson(error as Error), pairedItem: { item: itemIndex } };
		return [output, []];
	}
	for (const [itemIndex, hubspotId] of ids)
		output[itemIndex] = {
			json: { objectType, status: 'deleted', hubspotId },
			pairedItem: { item: itemIndex },
		};
	const summary: IDataObject = { objectType, operation: 'archive', deleted: unique.length, calls };
	return [output, [{ json: summary, pairedItem: items.map((_, item) => ({ item })) }]];
}
