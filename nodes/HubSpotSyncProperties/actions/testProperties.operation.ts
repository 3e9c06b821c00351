import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	closestPropertyNames,
	fetchPropertyDefinitions,
	type PropertyDefinition,
} from '../../shared/properties';
import { asNodeError, errorJson } from '../../shared/errorItems';
import type { HubSpotClient } from '../../shared/transport/client';
import type { CrmObjectType } from '../../shared/transport/paths';

const show = { operation: ['testProperties'] };
/** The property pickers serve both operations. */
const showForBoth = { operation: ['testProperties', 'pull'] };

export const testPropertiesDescription: INodeProperties[] = [
	{
		displayName: 'Property Names or IDs',
		name: 'propertyNames',
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod: 'getProperties', loadOptionsDependsOn: ['objectType'] },
		default: [],
		displayOptions: { show: showForBoth },
		description:
			'Properties to check or pull. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		// The editor shows an empty "Select" here when the names come from an expression in the field
		// below (as in the templates); the hint says that this is expected, not a missing choice.
		hint: 'May stay empty when More Property Names (below) lists the names. An expression here may give a list or comma-separated names.',
	},
	{
		displayName: 'More Property Names',
		name: 'extraPropertyNames',
		type: 'string',
		default: '',
		placeholder: 'e.g. email, firstname, my_custom_field',
		displayOptions: { show: showForBoth },
		description:
			'Internal names typed by hand or from an expression, separated by commas or new lines. Checked together with the names chosen above.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Fail on Missing Property',
				name: 'failOnMissing',
				type: 'boolean',
				default: false,
				description:
					'Whether a name that does not exist stops the node with an error instead of being reported as an output row with "exists: false"',
			},
		],
	},
];

/** Splits typed names on commas and new lines, dropping blanks and repeats. */
export function collectPropertyNames(chosen: unknown, typed: unknown): string[] {
	// An expression in the list field may give an array or one comma-separated string, like the text
	// field.
	const split = (value: unknown): string[] =>
		Array.isArray(value)
			? value.flatMap(split)
			: typeof value === 'string'
				? value.split(/[,\n]/)
				: value == null
					? []
					: [String(value)];
	return [
		...new Set([...split(chosen), ...split(typed)].map((name) => name.trim()).filter(Boolean)),
	];
}

/**
 * The "sync test" (Test Properties): checks that every listed property exists in HubSpot and writes
 * nothing. One HubSpot call per object type, whatever the number of items and names.
 */
export async function testProperties(
	this: IExecuteFunctions,
	client: HubSpotClient,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const output: INodeExecutionData[] = [];
	const definitionsByType = new Map<CrmObjectType, Map<string, PropertyDefinition>>();
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const objectType = this.getNodeParameter('objectType', itemIndex) as CrmObjectType;
			const names = collectPropertyNames(
				this.getNodeParameter('propertyNames', itemIndex, []),
				this.getNodeParameter('extraPropertyNames', itemIndex, ''),
			);
			const { failOnMissing = false } = this.getNodeParameter('options', itemIndex, {}) as {
				failOnMissing?: boolean;
			};
			if (!names.length) {
				throw new NodeOperationError(
					this.getNode(),
					`Item ${itemIndex}: no property names to test`,
					{
						itemIndex,
						description:
							'Choose properties in "Property Names or IDs" or type internal names in "More Property Names".',
					},
				);
			}
			if (!definitionsByType.has(objectType)) {
				const definitions = await fetchPropertyDefinitions(client, objectType);
				definitionsByType.set(objectType, new Map(definitions.map((d) => [d.name, d])));
			}
			const known = definitionsByType.get(objectType)!;
			for (const name of names) {
				const definition = known.get(name);
				const suggestions = definition ? [] : closestPropertyNames(name, [...known.values()]);
				if (!definition && failOnMissing) {
					throw new NodeOperationError(
						this.getNode(),
						`Item ${itemIndex}: property "${name}" does not exist on HubSpot ${objectType}`,
						{
							itemIndex,
							description: `Field "Property Names": ${suggestions.length ? `did you mean ${suggestions.map((s) => `"${s}"`).join(', ')}?` : 'no similar property exists.'} Use the internal name shown in HubSpot under Settings → Properties.`,
						},
					);
				}
				output.push({
					json: {
						objectType,
						name,
						exists: Boolean(definition),
						label: definition?.label ?? null,
						type: definition?.type ?? null,
						fieldType: definition?.fieldType ?? null,
						suggestions,
					},
					pairedItem: { item: itemIndex },
				});
			}
		} catch (error) {
			if (!this.continueOnFail()) throw asNodeError(this.getNode(), error, itemIndex);
			output.push({ json: errorJson(error), pairedItem: { item: itemIndex } });
		}
	}
	return output;
}
