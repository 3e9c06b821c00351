import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { asNodeError, errorJson, isHubSpotId, notAnIdError } from '../../shared/errorItems';
import {
	associationTypeId,
	createAssociations,
	type AssociatedObjectType,
	type AssociationLabel,
} from '../../shared/transport/associations';
import type { HubSpotClient } from '../../shared/transport/client';
import type { CrmObjectType } from '../../shared/transport/paths';

const show = { operation: ['associate'] };

export const associateDescription: INodeProperties[] = [
	{
		displayName: 'Record ID',
		name: 'associateFromId',
		type: 'string',
		default: '={{ $json.hubspotId }}',
		required: true,
		description: 'The HubSpot ID of the record to associate (e.g. the contact Push wrote)',
		displayOptions: { show },
	},
	{
		displayName: 'Associated Object',
		name: 'associateToObjectType',
		type: 'options',
		options: [{ name: 'Company', value: 'companies' }],
		default: 'companies',
		displayOptions: { show },
	},
	{
		displayName: 'Associated Record ID',
		name: 'associateToId',
		type: 'string',
		default: '={{ $json.associations?.companies }}',
		description:
			'The HubSpot ID of the company. An item without one passes through untouched (no call).',
		displayOptions: { show },
	},
	{
		displayName: 'Label',
		name: 'associationLabel',
		type: 'options',
		options: [
			{
				name: 'Primary',
				value: 'primary',
				description:
					'The record’s primary company; the former primary stays associated, without the label',
			},
			{ name: 'Unlabeled', value: 'unlabeled', description: 'An ordinary association' },
		],
		default: 'primary',
		displayOptions: { show },
	},
];

/**
 * Associate: items → labelled associations (a contact's primary company), 100 per call. Items pass
 * through with what was done; an item with no associated record, or one an earlier node did not
 * write (status "error" or "skipped"), is passed on without a call. Every id is checked before any
 * call.
 */
export async function associateRecords(
	this: IExecuteFunctions,
	client: HubSpotClient,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[][]> {
	const from = this.getNodeParameter('objectType', 0) as CrmObjectType;
	const to = this.getNodeParameter('associateToObjectType', 0, 'companies') as AssociatedObjectType;
	const label = this.getNodeParameter('associationLabel', 0, 'primary') as AssociationLabel;
	const typeId = associationTypeId(from, to, label);
	if (typeId === undefined) {
		throw new NodeOperationError(
			this.getNode(),
			`HubSpot has no ${label} association from ${from} to ${to}`,
			{
				description:
					'Field "Object Type": choose Contact or Deal, whose records have a primary company.',
			},
		);
	}
	const output: INodeExecutionData[] = items.map((item, itemIndex) => ({
		json: { ...item.json },
		pairedItem: { item: itemIndex },
	}));
	const pairs: Array<{ itemIndex: number; fromId: string; toId: string }> = [];
	for (const [itemIndex, item] of items.entries()) {
		const toId = String(this.getNodeParameter('associateToId', itemIndex, '') ?? '').trim();
		// Nothing to associate, or a record an earlier node did not write (failed or skipped): passed
		// on as it is.
		if (!toId || item.json.status === 'error' || item.json.status === 'skipped') continue;
		const fromId = String(this.getNodeParameter('associateFromId', itemIndex, '') ?? '').trim();
		const bad = !isHubSpotId(fromId)
			? { field: 'Record ID', value: fromId }
			: !isHubSpotId(toId)
				? { field: 'Associated Record ID', value: toId }
				: undefined;
		if (bad) {
			const error = notAnIdError(this.getNode(), itemIndex, bad.field, bad.value);
			if (!this.continueOnFail()) throw error;
			output[itemIndex].json = { ...item.json, status: 'error', ...errorJson(error) };
			continue;
		}
		pairs.push({ itemIndex, fromId, toId });
	}
	let calls = 0;
	try {
		const written = await createAssociations(client, from, to, pairs, typeId);
		calls = written.calls;
		const reasonOf = new Map(
			written.failed.map((failure) => [`${failure.fromId}>${failure.toId}`, failure.message]),
		);
		for (const pair of pairs) {
			const key = `${pair.fromId}>${pair.toId}`;
			const json = output[pair.itemIndex].json;
			if (!reasonOf.has(key)) {
				json.association = {
					toObjectType: to,
					toId: pair.toId,
					label,
					status: 'associated',
				} as IDataObject;
				continue;
			}
			json.status = 'error';
			json.error = {
				message: `HubSpot refused the ${label} association of ${from} ${pair.fromId} with ${to} ${pair.toId}: ${reasonOf.get(key) || 'no reason given'}`,
				description: 'Check that both records still exist in HubSpot. The next run tries again.',
				code: 'VALIDATION',
			};
		}
	} catch (error) {
		if (!this.continueOnFail())
			throw asNodeError(this.getNode(), error as Error, pairs[0]?.itemIndex ?? 0);
		for (const pair of pairs)
			output[pair.itemIndex].json = {
				...output[pair.itemIndex].json,
				status: 'error',
				...errorJson(error as Error),
			};
	}
	const summary: IDataObject = {
		objectType: from,
		operation: 'associate',
		associated: pairs.length,
		calls,
	};
	return [output, [{ json: summary, pairedItem: items.map((_, item) => ({ item })) }]];
}
