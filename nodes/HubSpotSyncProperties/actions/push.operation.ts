import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { asNodeError, errorJson, isHubSpotId, notAnIdError } from '../../shared/errorItems';
import { hubspotPropertyField } from '../../shared/descriptions';
import { parseJsonParameter } from '../../shared/jsonParameter';
import {
	fetchPropertyDefinitions,
	isReadOnly,
	unknownPropertyHint,
	type PropertyDefinition,
} from '../../shared/properties';
import type { ConflictRule } from '../sync/plan';
import { push, type PushInput, type PushObjectType, type PushOutcome } from '../sync/push';
import { isBlank, toHubSpotValue, ValueError } from '../../shared/values';
import type { HubSpotClient } from '../../shared/transport/client';
import { explainFailure, HubSpotApiError } from '../../shared/transport/errors';

const show = { operation: ['push'] };

export const pushDescription: INodeProperties[] = [
	{
		displayName: 'Map Fields',
		name: 'mappingMode',
		type: 'options',
		options: [
			{
				name: 'Map Each Field Below',
				value: 'manual',
				description: 'Choose the HubSpot property for each value',
			},
			{
				name: 'Map Input Fields by Name',
				value: 'byName',
				description:
					'Input fields named like a HubSpot property (e.g. email, firstname) are written to it; other fields are ignored and listed',
			},
			{
				name: 'Map a Properties Object',
				value: 'object',
				description:
					'One object of HubSpot property names and values, e.g. the "properties" of HubSpot Reconcile’s outputs',
			},
		],
		default: 'manual',
		displayOptions: { show },
	},
	{
		displayName: 'Field Mapping',
		name: 'fieldMapping',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show: { operation: ['push'], mappingMode: ['manual'] } },
		options: [
			{
				displayName: 'Field',
				name: 'fields',
				values: [
					hubspotPropertyField('property'),
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						placeholder: 'e.g. {{ $json.mail }}',
						description: 'A blank value never overwrites what HubSpot holds',
					},
				],
			},
		],
	},
	{
		displayName: 'Properties Object',
		name: 'propertiesObject',
		type: 'json',
		default: '={{ $json.properties }}',
		description:
			'An object whose keys are HubSpot property names (e.g. { "email": "a@example.com", "firstname": "Hina" })',
		displayOptions: { show: { operation: ['push'], mappingMode: ['object'] } },
	},
	{
		displayName: 'Deal ID',
		name: 'pushRecordId',
		type: 'string',
		default: '={{ $json.hubspotId }}',
		description:
			'The HubSpot ID of the deal to update. Empty: a new deal is created (deals have no email or domain to match on).',
		displayOptions: { show: { operation: ['push'], objectType: ['deals'] } },
	},
	{
		displayName: 'Conflict Rule',
		name: 'conflictRule',
		type: 'options',
		options: [
			{
				name: 'Incoming Wins',
				value: 'incomingWins',
				description: 'Incoming values replace HubSpot’s (a blank never does)',
			},
			{
				name: 'Fill Blanks Only',
				value: 'fillBlanks',
				description: 'Existing records only get properties that are empty in HubSpot',
			},
			{
				name: 'HubSpot Wins',
				value: 'hubspotWins',
				description: 'Existing records are left as they are; only new records are created',
			},
		],
		default: 'incomingWins',
		description: 'What happens when a record already exists in HubSpot with other values',
		displayOptions: { show },
	},
	{
		displayName: 'Require Valid Email',
		name: 'requireValidEmail',
		type: 'boolean',
		default: true,
		description:
			'Whether contacts without an email address are skipped (HubSpot’s default). Off: they are created without matching. An invalid email is always skipped.',
		displayOptions: { show: { operation: ['push'], objectType: ['contacts'] } },
	},
	{
		displayName: 'Read Before Writing',
		name: 'readFirst',
		type: 'boolean',
		default: true,
		description:
			'Whether existing contacts are read first (one call per 100), so that unchanged contacts are not written and the output lists the properties that changed. Off: one call per 100 contacts (an upsert by email); each contact is reported created or updated.',
		displayOptions: {
			show: { operation: ['push'], objectType: ['contacts'], conflictRule: ['incomingWins'] },
		},
	},
	{
		displayName: 'Dry Run',
		name: 'dryRun',
		type: 'boolean',
		default: false,
		description: 'Whether to only report what would be created and updated, writing nothing',
		displayOptions: { show },
	},
];

interface ReadItem {
	input?: PushInput;
	error?: NodeOperationError;
	ignoredFields: string[];
}

/** The (HubSpot property, value) pairs of one item, by the chosen mapping mode. */
function mappedPairs(
	ctx: IExecuteFunctions,
	itemIndex: number,
	item: INodeExecutionData,
	definitions: Map<string, PropertyDefinition>,
): { pairs: Array<{ field: string; property: string; value: unknown }>; ignored: string[] } {
	const mode = ctx.getNodeParameter('mappingMode', itemIndex);
	if (mode === 'object') {
		const object = parseJsonParameter(
			ctx,
			ctx.getNodeParameter('propertiesObject', itemIndex, ''),
			itemIndex,
			'Properties Object',
			{
				holds: 'HubSpot property names and the values to write',
				example: '{ "email": "a@example.com", "firstname": "Hina" }',
			},
		);
		if (
			object !== undefined &&
			(object === null || typeof object !== 'object' || Array.isArray(object))
		) {
			throw new NodeOperationError(
				ctx.getNode(),
				`Item ${itemIndex}: "Properties Object" is not an object`,
				{
					itemIndex,
					description:
						'Give an object of HubSpot property names and values, e.g. {{ $json.properties }}.',
				},
			);
		}
		return {
			pairs: Object.entries((object ?? {}) as IDataObject).map(([property, value]) => ({
				field: `Properties Object "${property}"`,
				property,
				value,
			})),
			ignored: [],
		};
	}
	if (mode === 'byName') {
		const pairs = [];
		const ignored = [];
		for (const [field, value] of Object.entries(item.json)) {
			if (definitions.has(field)) pairs.push({ field, property: field, value });
			else ignored.push(field);
		}
		return { pairs, ignored };
	}
	const rows =
		(ctx.getNodeParameter('fieldMapping.fields', itemIndex, []) as Array<{
			property: string;
			value: unknown;
		}>) ?? [];
	return {
		pairs: rows.map((row, index) => ({
			field: `Field Mapping row ${index + 1}`,
			property: String(row.property ?? '').trim(),
			value: row.value,
		})),
		ignored: [],
	};
}

/**
 * An item → its converted, non-blank properties; a bad field is an error naming the item and field.
 */
function readItem(
	ctx: IExecuteFunctions,
	itemIndex: number,
	item: INodeExecutionData,
	definitions: Map<string, PropertyDefinition>,
	objectType: PushObjectType,
): ReadItem {
	const properties: Record<string, string> = {};
	let ignored: string[] = [];
	try {
		const mapped = mappedPairs(ctx, itemIndex, item, definitions);
		const pairs = mapped.pairs;
		ignored = mapped.ignored;
		if (!pairs.length) {
			throw new NodeOperationError(ctx.getNode(), `Item ${itemIndex}: nothing to write`, {
				itemIndex,
				description:
					'Add rows to "Field Mapping", or send input fields named like HubSpot properties with "Map Input Fields by Name".',
			});
		}
		for (const { field, property, value } of pairs) {
			const definition = definitions.get(property);
			if (!definition) {
				throw new NodeOperationError(
					ctx.getNode(),
					`Item ${itemIndex}: ${field} names HubSpot property "${property}", which does not exist on ${objectType}`,
					{
						itemIndex,
						description: unknownPropertyHint(property, definitions),
					},
				);
			}
			if (isReadOnly(definition)) {
				throw new NodeOperationError(
					ctx.getNode(),
					`Item ${itemIndex}: ${field} writes "${property}", which HubSpot computes itself (read-only)`,
					{
						itemIndex,
						description:
							'Remove this mapping row, or map the value to a property that can be written.',
					},
				);
			}
			if (isBlank(value)) continue;
			try {
				properties[property] = toHubSpotValue(definition, value);
			} catch (error) {
				if (!(error instanceof ValueError))
					throw asNodeError(ctx.getNode(), error as Error, itemIndex);
				throw new NodeOperationError(
					ctx.getNode(),
					`Item ${itemIndex}: ${field} (HubSpot property "${property}", ${definition.type}): ${error.message}`,
					{ itemIndex, description: error.hint },
				);
			}
		}
		return {
			input: { itemIndex, properties, ...recordIdOf(ctx, itemIndex, objectType) },
			ignoredFields: ignored,
		};
	} catch (error) {
		return { error: error as NodeOperationError, ignoredFields: ignored };
	}
}

/** Deals: the id of the deal to update, checked; empty = a new deal. */
function recordIdOf(
	ctx: IExecuteFunctions,
	itemIndex: number,
	objectType: PushObjectType,
): Pick<PushInput, 'recordId'> {
	if (objectType !== 'deals') return {};
	const id = String(ctx.getNodeParameter('pushRecordId', itemIndex, '') ?? '').trim();
	if (!id) return {};
	if (!isHubSpotId(id))
		throw notAnIdError(
			ctx.getNode(),
			itemIndex,
			'Deal ID',
			id,
			'Give the numeric HubSpot deal id, e.g. {{ $json.hubspotId }}, or leave it empty to create a deal.',
		);
	return { recordId: id };
}

function outcomeJson(
	outcome: PushOutcome,
	objectType: PushObjectType,
	dryRun: boolean,
	ignoredFields: string[],
): IDataObject {
	const json: IDataObject = {
		objectType,
		status: outcome.status,
		hubspotId: outcome.hubspotId,
		matchedBy: outcome.matchedBy,
		changedProperties: outcome.changedProperties,
		keptProperties: outcome.keptProperties,
		dryRun,
	};
	if (outcome.code) json.code = outcome.code;
	if (outcome.reason) json.reason = outcome.reason;
	if (outcome.mergedItems.length) json.mergedWithItems = outcome.mergedItems;
	if (ignoredFields.length) json.ignoredFields = ignoredFields;
	return json;
}

/**
 * Push: input items → HubSpot contacts, companies or deals (see ../sync/push.ts). Bad input is
 * found for every item before anything is written, so without "continue on fail" a bad item stops
 * the run with nothing half-written.
 */
export async function pushRecords(
	this: IExecuteFunctions,
	client: HubSpotClient,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[][]> {
	const started = Date.now();
	const objectType = this.getNodeParameter('objectType', 0) as PushObjectType;
	const definitions = new Map(
		(await fetchPropertyDefinitions(client, objectType)).map((definition) => [
			definition.name,
			definition,
		]),
	);
	const read = items.map((item, itemIndex) =>
		readItem(this, itemIndex, item, definitions, objectType),
	);
	const output: INodeExecutionData[] = new Array(items.length);
	const inputs: PushInput[] = [];
	for (const [itemIndex, entry] of read.entries()) {
		if (entry.input) inputs.push(entry.input);
		else if (!this.continueOnFail()) throw entry.error;
		else output[itemIndex] = { json: errorJson(entry.error!), pairedItem: { item: itemIndex } };
	}
	const dryRun = this.getNodeParameter('dryRun', 0, false) as boolean;
	const options = {
		objectType,
		rule: this.getNodeParameter('conflictRule', 0, 'incomingWins') as ConflictRule,
		requireValidEmail:
			objectType === 'contacts'
				? (this.getNodeParameter('requireValidEmail', 0, true) as boolean)
				: false,
		dryRun,
		definitions,
		readFirst: this.getNodeParameter('readFirst', 0, true) as boolean,
	};
	let outcomes: PushOutcome[];
	try {
		outcomes = await push(client, inputs, options);
	} catch (error) {
		// A lookup failed (auth, budget, HubSpot down): nothing was written.
		if (!this.continueOnFail()) throw asNodeError(this.getNode(), error as Error, 0);
		outcomes = [];
		for (const input of inputs)
			output[input.itemIndex] = {
				json: errorJson(error as Error),
				pairedItem: { item: input.itemIndex },
			};
	}
	for (const outcome of outcomes) {
		if (outcome.status === 'error' && outcome.failure) {
			const error = new HubSpotApiError(this.getNode(), outcome.failure, outcome.itemIndex);
			if (!this.continueOnFail()) throw error;
			const { message } = explainFailure(outcome.failure);
			output[outcome.itemIndex] = {
				json: {
					...errorJson(error),
					objectType,
					itemMessage: `Item ${outcome.itemIndex}: ${message}`,
				},
				pairedItem: { item: outcome.itemIndex },
			};
			continue;
		}
		output[outcome.itemIndex] = {
			json: outcomeJson(outcome, objectType, dryRun, read[outcome.itemIndex].ignoredFields),
			pairedItem: { item: outcome.itemIndex },
		};
	}
	const count = (status: string) => outcomes.filter((outcome) => outcome.status === status).length;
	const summary: IDataObject = {
		objectType,
		operation: 'push',
		dryRun,
		items: items.length,
		created: count('created'),
		updated: count('updated'),
		unchanged: count('unchanged'),
		skipped: count('skipped'),
		errors: output.filter((entry) => entry && 'error' in entry.json).length,
		calls: client.stats.calls,
		retries: client.stats.retries,
		http429: client.stats.http429,
		durationMs: Date.now() - started,
	};
	return [output, [{ json: summary, pairedItem: items.map((_, item) => ({ item })) }]];
}
