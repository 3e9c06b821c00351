import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { asNodeError } from '../../shared/errorItems';
import { ensureProperty, type PropertyDefinition } from '../../shared/properties';
import { planOptions, splitValues, type PropertyOption } from '../sync/propertyOptions';
import type { HubSpotClient } from '../../shared/transport/client';
import { hubspotPaths, type CrmObjectType } from '../../shared/transport/paths';

const show = { operation: ['ensureOptions'] };

export const ensureOptionsDescription: INodeProperties[] = [
	{
		displayName: 'Property Internal Name',
		name: 'optionsProperty',
		type: 'string',
		default: 'card_tags',
		required: true,
		description:
			'The multi-checkbox property whose options are kept in step with the incoming values; created (in the group "n8n sync") when missing',
		displayOptions: { show },
	},
	{
		displayName: 'Property Label',
		name: 'optionsLabel',
		type: 'string',
		default: 'Card tags',
		description: 'Label of the property if it has to be created',
		displayOptions: { show },
	},
	{
		displayName: 'Values',
		name: 'optionsValues',
		type: 'string',
		default: '={{ $json.card_tags }}',
		description:
			'Each item’s values, separated by semicolons (HubSpot’s multi-checkbox form), or a list',
		displayOptions: { show },
	},
	{
		displayName: 'Maximum Options',
		name: 'maxOptions',
		type: 'number',
		default: 300,
		typeOptions: { minValue: 1 },
		description:
			'The property never gets more options than this (Sansan’s connector syncs at most 300 tags). Over it, nothing is changed and the node stops with the count.',
		displayOptions: { show },
	},
];

/**
 * Ensure Property Options: adds the values of every item that the property lacks as options, once
 * per execution (1–3 HubSpot calls), then passes the items on unchanged, so that a Push after it
 * can write them. Output 2: what changed.
 */
export async function ensureOptions(
	this: IExecuteFunctions,
	client: HubSpotClient,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[][]> {
	const objectType = this.getNodeParameter('objectType', 0) as CrmObjectType;
	const name = String(this.getNodeParameter('optionsProperty', 0)).trim();
	const maxOptions = Number(this.getNodeParameter('maxOptions', 0, 300));
	if (!/^[a-z][a-z0-9_]*$/.test(name)) {
		throw new NodeOperationError(
			this.getNode(),
			`"Property Internal Name" ${JSON.stringify(name)} is not an internal name`,
			{
				description:
					'Use lowercase letters, digits and underscores, starting with a letter, e.g. card_tags.',
			},
		);
	}
	const wanted = items.flatMap((_, itemIndex) =>
		splitValues(this.getNodeParameter('optionsValues', itemIndex, '')),
	);
	const calls = client.stats.calls;
	let status: 'created' | 'updated' | 'unchanged';
	let plan;
	try {
		// A new property is created with its options in one call; an existing one gets the missing
		// ones.
		const fresh = planOptions([], wanted, maxOptions);
		if (fresh.overLimit) throw overLimit(this, name, fresh.total, maxOptions, fresh.added);
		const existing = await ensureProperty(client, objectType, {
			name,
			label: String(this.getNodeParameter('optionsLabel', 0, name)) || name,
			type: 'enumeration',
			fieldType: 'checkbox',
			options: fresh.added.map((option, displayOrder) => ({
				...option,
				displayOrder,
				hidden: false,
			})),
		});
		const definition = existing.existing as PropertyDefinition | undefined;
		if (definition && definition.type !== 'enumeration') {
			throw new NodeOperationError(
				this.getNode(),
				`Property "${name}" is a ${definition.type} property, not a picklist`,
				{ description: 'Choose a multi-checkbox (or dropdown) property, or a new name.' },
			);
		}
		const current: PropertyOption[] =
			existing.status === 'created' ? [] : (definition?.options ?? []);
		plan = planOptions(current, wanted, maxOptions);
		if (plan.overLimit) throw overLimit(this, name, plan.total, maxOptions, plan.added);
		if (existing.status !== 'created' && plan.added.length) {
			const options = [...current, ...plan.added].map((option, displayOrder) => ({
				label: option.label,
				value: option.value,
				displayOrder,
				hidden: option.hidden ?? false,
			}));
			await client.request({
				method: 'PATCH',
				path: hubspotPaths.property(objectType, name),
				body: { options },
				idempotent: true,
			});
		}
		status =
			existing.status === 'created' ? 'created' : plan.added.length ? 'updated' : 'unchanged';
	} catch (error) {
		throw asNodeError(this.getNode(), error as Error, 0);
	}
	const summary: IDataObject = {
		objectType,
		operation: 'ensureOptions',
		property: name,
		status,
		added: plan.added.map((option) => option.value),
		options: plan.total,
		calls: client.stats.calls - calls,
	};
	return [
		items.map((item, itemIndex) => ({
			json: item.json,
			binary: item.binary,
			pairedItem: { item: itemIndex },
		})),
		[{ json: summary, pairedItem: items.map((_, item) => ({ item })) }],
	];
}

function overLimit(
	ctx: IExecuteFunctions,
	name: string,
	total: number,
	maxOptions: number,
	added: PropertyOption[],
): NodeOperationError {
	const sample =
		added
			.slice(0, 5)
			.map((option) => option.value)
			.join(', ') + (added.length > 5 ? ', …' : '');
	return new NodeOperationError(
		ctx.getNode(),
		`Property "${name}" would have ${total} options, more than the maximum of ${maxOptions}`,
		{
			description: `${added.length} new values (${sample}). Nothing was changed: remove unused options in HubSpot, raise "Maximum Options", or send fewer distinct values.`,
		},
	);
}
