/**
 * The Reconcile node's inputs and parameters → the pure reconcile's arguments, with what HubSpot
 * adds to them (property definitions, primary associations). Every bad item or mapping row is a
 * NodeOperationError naming the input, the item and the field.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { asNodeError } from '../shared/errorItems';
import { parseJsonParameter, type JsonFieldHint } from '../shared/jsonParameter';
import {
	fetchPropertyDefinitions,
	isReadOnly,
	unknownPropertyHint,
	type PropertyDefinition,
} from '../shared/properties';
import { readPrimaryAssociations } from '../shared/transport/associations';
import type { HubSpotClient } from '../shared/transport/client';
import type { CallBudget, CallsRow } from './engine/budget';
import { passesFilter, type FilterCondition } from './engine/filter';
import type {
	AppSide,
	AppValueType,
	AssociatedObject,
	FieldMapping,
	HubSpotSide,
	ReconcileSettings,
	SyncDirection,
	SyncLink,
	SyncSide,
} from './engine/reconcile';
import { readCallsRowsNode, readPullCalls, readPullMode } from './upstream';

export const INPUT_NAMES = ['HubSpot', 'App', 'Links'] as const;

/** An item n8n made only because its node always outputs data ({}), not a record. */
const isPlaceholder = (item: INodeExecutionData): boolean => Object.keys(item.json).length === 0;

const asRecord = (value: unknown): Record<string, unknown> | undefined =>
	value !== null && typeof value === 'object' && !Array.isArray(value)
		? (value as Record<string, unknown>)
		: undefined;

function fail(
	ctx: IExecuteFunctions,
	input: number,
	itemIndex: number,
	problem: string,
	description: string,
): never {
	throw new NodeOperationError(
		ctx.getNode(),
		`${INPUT_NAMES[input]} input, item ${itemIndex}: ${problem}`,
		{ itemIndex, description },
	);
}

/** An object, or JSON text of one (Data table columns hold text). */
function objectField(
	ctx: IExecuteFunctions,
	input: number,
	itemIndex: number,
	json: IDataObject,
	field: string,
	example: string,
): Record<string, unknown> | undefined {
	const value = json[field];
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value === 'string') {
		try {
			const parsed = asRecord(JSON.parse(value));
			if (parsed) return parsed;
		} catch {
			// reported below
		}
	}
	const object = asRecord(value);
	if (object) return object;
	return fail(
		ctx,
		input,
		itemIndex,
		`field "${field}" is not an object`,
		`Give an object such as ${example}, or JSON text of one.`,
	);
}

const idText = (value: unknown): string =>
	typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '';

export interface IndexedInputs {
	hubspot: HubSpotSide[];
	app: AppSide[];
	links: SyncLink[];
	/** Record id → input item index, for pairedItem. */
	hubspotItem: Map<string, number>;
	appItem: Map<string, number>;
	linkItem: Map<string, number>;
	/**
	 * Link key → the id of its newest links Data table row (n8n's row `id`), the one read as the
	 * link. A template saves a link by inserting a new row and deleting the old one by this id: a
	 * Data table insert takes many rows in one call, and a delete by id is a lookup, where an update
	 * or upsert per row makes n8n measure every table again.
	 */
	linkRowId: Map<string, string>;
	/**
	 * Link key → how many rows were read for it: more than one when a run stopped between a save's
	 * insert and its delete (the newest row, the highest id, is the link).
	 */
	linkRowCount: Map<string, number>;
	/** Links of the associated objects' syncs (rows of their scopes), by scope. */
	associationLinks: Map<string, Array<{ hubspotId: string; appId: string }>>;
	/** HubSpot and app items that could not be read (only with continue on fail). */
	unreadable: Array<{ input: 0 | 1; itemIndex: number; error: NodeOperationError }>;
}

export interface RecordFilters {
	hubspot: { conditions: FilterCondition[]; combine: 'all' | 'any' };
	app: { conditions: FilterCondition[]; combine: 'all' | 'any' };
}

/**
 * HubSpot items are Pull's records ({ id, properties }) or its Data table rows ({ hubspotId,
 * properties as JSON text }); app items are any objects with an id field; link items are the
 * links table's rows. An item may carry `included: false` (e.g. set by an upstream expression).
 */
export function readInputs(
	ctx: IExecuteFunctions,
	appIdField: string,
	appKindField: string,
	filters: RecordFilters,
	associationScopes: string[] = [],
): IndexedInputs {
	const result: IndexedInputs = {
		hubspot: [],
		app: [],
		links: [],
		hubspotItem: new Map(),
		appItem: new Map(),
		linkItem: new Map(),
		linkRowId: new Map(),
		linkRowCount: new Map(),
		associationLinks: new Map(associationScopes.map((scope) => [scope, []])),
		unreadable: [],
	};
	// With continue on fail a bad HubSpot or app item is set aside (and reported); a bad link row
	// still stops the run: links are the sync's memory, and deciding without one could create or
	// overwrite.
	const setAside = (input: 0 | 1, itemIndex: number, error: unknown) => {
		if (!(error instanceof NodeOperationError) || !ctx.continueOnFail()) throw error;
		result.unreadable.push({ input, itemIndex, error });
	};
	for (const [itemIndex, item] of ctx.getInputData(0).entries()) {
		if (isPlaceholder(item)) continue;
		try {
			readHubSpotItem(ctx, itemIndex, item, filters, result);
		} catch (error) {
			setAside(0, itemIndex, error);
		}
	}
	for (const [itemIndex, item] of ctx.getInputData(1).entries()) {
		if (isPlaceholder(item)) continue;
		try {
			readAppItem(ctx, itemIndex, item, appIdField, appKindField, filters, result);
		} catch (error) {
			setAside(1, itemIndex, error);
		}
	}
	readLinks(ctx, result);
	return result;
}

function readHubSpotItem(
	ctx: IExecuteFunctions,
	itemIndex: number,
	item: INodeExecutionData,
	filters: RecordFilters,
	result: IndexedInputs,
): void {
	const id = idText(item.json.id ?? item.json.hubspotId);
	if (!id)
		fail(
			ctx,
			0,
			itemIndex,
			'no record id ("id" or "hubspotId")',
			'Connect the records output of HubSpot Sync Properties → Pull (or rows of the records Data table) to the HubSpot input.',
		);
	const properties =
		objectField(ctx, 0, itemIndex, item.json, 'properties', '{ "email": "a@example.com" }') ?? {};
	const included =
		item.json.included !== false &&
		passesFilter((field) => properties[field], filters.hubspot.conditions, filters.hubspot.combine);
	result.hubspot.push({ id, properties: properties as HubSpotSide['properties'], included });
	result.hubspotItem.set(id, itemIndex);
}

function readAppItem(
	ctx: IExecuteFunctions,
	itemIndex: number,
	item: INodeExecutionData,
	appIdField: string,
	appKindField: string,
	filters: RecordFilters,
	result: IndexedInputs,
): void {
	const id = idText(item.json[appIdField]);
	if (!id)
		fail(
			ctx,
			1,
			itemIndex,
			`field "${appIdField}" (the app's record id) is empty`,
			`Every app record needs its id in "${appIdField}", or change "App ID Field" to the field that holds it.`,
		);
	if (result.appItem.has(id))
		fail(
			ctx,
			1,
			itemIndex,
			`id "${id}" in field "${appIdField}" repeats item ${result.appItem.get(id)}`,
			'Each app record must come once; remove the repeat upstream.',
		);
	const included =
		item.json.included !== false &&
		passesFilter((field) => item.json[field], filters.app.conditions, filters.app.combine);
	const kind = appKindField ? idText(item.json[appKindField]) : '';
	result.app.push({
		id,
		fields: item.json,
		included,
		...(kind ? { kind } : {}),
		...(item.json.createInHubspot === false ? { createInHubspot: false } : {}),
	});
	result.appItem.set(id, itemIndex);
}

function readLinks(ctx: IExecuteFunctions, result: IndexedInputs): void {
	/** Per key, its newest row so far: the highest row id (or, without ids, the last). */
	const newest = new Map<
		string,
		{ link: SyncLink; itemIndex: number; rowId: number; rowIdText: string }
	>();
	for (const [itemIndex, item] of ctx.getInputData(2).entries()) {
		if (isPlaceholder(item)) continue;
		const associated = result.associationLinks.get(idText(item.json.scope));
		if (associated) {
			const [hubspotId, appId] = [idText(item.json.hubspotId), idText(item.json.appId)];
			if (hubspotId && appId) associated.push({ hubspotId, appId });
			continue;
		}
		const key = idText(item.json.key);
		if (!key)
			fail(
				ctx,
				2,
				itemIndex,
				'no "key"',
				'Connect the rows of the links Data table (key, hubspotId, appId, values) to the Links input.',
			);
		const values =
			objectField(ctx, 2, itemIndex, item.json, 'values', '{ "firstname": "Hina" }') ?? {};
		const texts = Object.fromEntries(
			Object.entries(values)
				.filter(([, value]) => value !== null && value !== undefined)
				.map(([name, value]) => [name, String(value)]),
		);
		const appKind = idText(item.json.appKind);
		const link: SyncLink = {
			key,
			hubspotId: idText(item.json.hubspotId) || null,
			appId: idText(item.json.appId) || null,
			values: texts,
			...(appKind ? { appKind } : {}),
		};
		const rowIdText = idText(item.json.id);
		const rowId = rowIdText ? Number(rowIdText) : Number.POSITIVE_INFINITY;
		result.linkRowCount.set(key, (result.linkRowCount.get(key) ?? 0) + 1);
		const before = newest.get(key);
		if (!before || rowId >= before.rowId) newest.set(key, { link, itemIndex, rowId, rowIdText });
	}
	for (const [key, { link, itemIndex, rowIdText }] of newest) {
		result.links.push(link);
		result.linkItem.set(key, itemIndex);
		if (rowIdText) result.linkRowId.set(key, rowIdText);
	}
}

interface MappingOptions {
	appField?: string;
	appType?: AppValueType;
	enabled?: boolean;
	picklist?: string;
	normalize?: 'none' | 'country' | 'state';
}

/** A mapping row: version 1 holds every field in the row; 1.1 all but the property in options. */
interface MappingRow extends MappingOptions {
	hubspotProperty?: string;
	options?: MappingOptions;
}

/** "Prospect = lead, Client = customer" → [{ app, hubspot }]. */
export function parsePicklist(
	text: string,
): Array<{ app: string; hubspot: string }> | { invalid: string } {
	const entries = [];
	for (const part of text
		.split(',')
		.map((entry) => entry.trim())
		.filter(Boolean)) {
		const at = part.indexOf('=');
		const app = part.slice(0, at).trim();
		const hubspot = part.slice(at + 1).trim();
		if (at < 0 || !app || !hubspot) return { invalid: part };
		entries.push({ app, hubspot });
	}
	return entries;
}

/** The mapping rows, checked against HubSpot's definitions before anything is decided. */
export function readMappings(
	ctx: IExecuteFunctions,
	definitions: Map<string, PropertyDefinition>,
	writesToHubspot: boolean,
	objectType: string,
): FieldMapping[] {
	const rows = (ctx.getNodeParameter('fieldMappings.mappings', 0, []) as MappingRow[]) ?? [];
	const sameNameByDefault = ctx.getNode().typeVersion >= 1.1;
	if (!rows.length) {
		throw new NodeOperationError(ctx.getNode(), 'No field mappings', {
			description: sameNameByDefault
				? 'Add rows to "Field Mappings": the HubSpot properties to sync, each with the app field of the same name unless its options name another.'
				: 'Add rows to "Field Mappings": an app field, the HubSpot property it syncs with, and the app field’s type.',
		});
	}
	return rows.map((fullRow, index) => {
		const label = `Field Mappings row ${index + 1}`;
		const row: MappingOptions = { ...fullRow, ...fullRow.options };
		const hubspotProperty = String(fullRow.hubspotProperty ?? '').trim();
		if (sameNameByDefault && !hubspotProperty)
			throw new NodeOperationError(ctx.getNode(), `${label}: "HubSpot Property" is empty`, {
				description: 'Choose the HubSpot property this row syncs, e.g. email.',
			});
		const appField =
			String(row.appField ?? '').trim() || (sameNameByDefault ? hubspotProperty : '');
		if (!appField)
			throw new NodeOperationError(ctx.getNode(), `${label}: "App Field" is empty`, {
				description: 'Enter the name of the field in the app’s records, e.g. mail.',
			});
		const definition = definitions.get(hubspotProperty);
		if (!definition) {
			throw new NodeOperationError(
				ctx.getNode(),
				`${label}: HubSpot property "${hubspotProperty}" does not exist on ${objectType}`,
				{ description: unknownPropertyHint(hubspotProperty, definitions) },
			);
		}
		if (writesToHubspot && row.enabled !== false && isReadOnly(definition)) {
			throw new NodeOperationError(
				ctx.getNode(),
				`${label}: "${hubspotProperty}" is computed by HubSpot (read-only) and cannot receive app values`,
				{
					description: 'Sync it "Only HubSpot → App", or switch this row off.',
				},
			);
		}
		const picklist = parsePicklist(String(row.picklist ?? ''));
		if ('invalid' in picklist) {
			throw new NodeOperationError(
				ctx.getNode(),
				`${label}: picklist entry "${picklist.invalid}" is not "app value = HubSpot value"`,
				{
					description: 'Write pairs separated by commas, e.g. Prospect = lead, Client = customer.',
				},
			);
		}
		const normalize =
			row.normalize === 'country' || row.normalize === 'state' ? row.normalize : undefined;
		return {
			appField,
			hubspotProperty,
			appType: row.appType ?? 'text',
			enabled: row.enabled !== false,
			picklist: picklist.length ? picklist : undefined,
			...(normalize ? { normalize } : {}),
		};
	});
}

interface AssociationRow {
	toObjectType: AssociatedObject;
	appField: string;
	linksScope: string;
}

/** The Associations rows, each with its app field and the company sync's links scope. */
export function readAssociationRows(ctx: IExecuteFunctions): AssociationRow[] {
	const row = (
		ctx.getNodeParameter('associations', 0, {}) as {
			association?: Partial<AssociationRow> | Array<Partial<AssociationRow>>;
		}
	).association;
	const rows = Array.isArray(row) ? row : row ? [row] : [];
	return rows.map((entry) => {
		const appField = String(entry.appField ?? '').trim();
		const linksScope = String(entry.linksScope ?? '').trim();
		if (!appField)
			throw new NodeOperationError(ctx.getNode(), 'Associations: "App Field" is empty', {
				description:
					'Enter the field of the app’s records that holds their company’s app ID, e.g. companyId.',
			});
		if (!linksScope)
			throw new NodeOperationError(ctx.getNode(), 'Associations: "Links Scope" is empty', {
				description:
					'Enter the scope of the company sync’s links (e.g. two-way-companies), and read its rows into the Links input too.',
			});
		return { toObjectType: entry.toObjectType ?? 'companies', appField, linksScope };
	});
}

export function readConditions(ctx: IExecuteFunctions, name: string): FilterCondition[] {
	return ((ctx.getNodeParameter(`${name}.conditions`, 0, []) as FilterCondition[]) ?? []).map(
		(condition) => ({ ...condition, field: String(condition.field ?? '') }),
	);
}

/** The records' side of the sync: the object type and the filters of both sides. */
export function readRecordSettings(ctx: IExecuteFunctions): {
	objectType: ReconcileSettings['objectType'];
	direction: SyncDirection;
	appIdField: string;
	appKindField: string;
	filters: RecordFilters;
} {
	const objectType = ctx.getNodeParameter('objectType', 0) as ReconcileSettings['objectType'];
	const direction = ctx.getNodeParameter('direction', 0) as SyncDirection;
	const appIdField = String(ctx.getNodeParameter('appIdField', 0, 'id')).trim() || 'id';
	const combine = ctx.getNodeParameter('combine', 0, 'all') as 'all' | 'any';
	const appKindField = String(ctx.getNodeParameter('appKindField', 0, '')).trim();
	return {
		objectType,
		direction,
		appIdField,
		appKindField,
		filters: {
			hubspot: { conditions: readConditions(ctx, 'hubspotFilter'), combine },
			app: { conditions: readConditions(ctx, 'appFilter'), combine },
		},
	};
}

/**
 * Each HubSpot record's primary associated records, read from HubSpot (1 call per 1,000 records and
 * object).
 */
export async function readHubSpotAssociations(
	ctx: IExecuteFunctions,
	client: HubSpotClient,
	objectType: ReconcileSettings['objectType'],
	inputs: IndexedInputs,
	toObjectTypes: AssociatedObject[],
): Promise<void> {
	if (!toObjectTypes.length || !inputs.hubspot.length) return;
	for (const toObjectType of toObjectTypes) {
		let primary: Map<string, string>;
		try {
			primary = await readPrimaryAssociations(
				client,
				objectType,
				toObjectType,
				inputs.hubspot.map((record) => record.id),
			);
		} catch (error) {
			throw asNodeError(ctx.getNode(), error as Error, 0);
		}
		for (const record of inputs.hubspot) {
			const id = primary.get(record.id);
			if (id) record.associations = { ...record.associations, [toObjectType]: id };
		}
	}
}

/** HubSpot's property definitions by name, for type conversion and the mapping checks (1 call). */
export async function readPropertyDefinitions(
	ctx: IExecuteFunctions,
	client: HubSpotClient,
	objectType: ReconcileSettings['objectType'],
): Promise<Map<string, PropertyDefinition>> {
	try {
		return new Map(
			(await fetchPropertyDefinitions(client, objectType)).map((definition) => [
				definition.name,
				definition,
			]),
		);
	} catch (error) {
		throw asNodeError(ctx.getNode(), error as Error, 0);
	}
}

/**
 * The settings of one run, read once (item 0): n8n runs Reconcile once over all its input items.
 */
export function readSettings(
	ctx: IExecuteFunctions,
	records: ReturnType<typeof readRecordSettings>,
	definitions: Map<string, PropertyDefinition>,
	inputs: IndexedInputs,
	associationRows: AssociationRow[],
): ReconcileSettings {
	const { objectType, direction } = records;
	const settings: ReconcileSettings = {
		objectType,
		direction,
		defaultSide:
			direction === 'twoWay'
				? (ctx.getNodeParameter('defaultSide', 0, 'hubspot') as SyncSide)
				: direction === 'toHubspot'
					? 'app'
					: 'hubspot',
		mappings: readMappings(ctx, definitions, direction !== 'toApp', objectType),
		definitions,
		requireValidEmail:
			objectType === 'contacts'
				? (ctx.getNodeParameter('requireValidEmail', 0, true) as boolean)
				: false,
		createInHubspot: ctx.getNodeParameter('createInHubspot', 0, true) as boolean,
		createInApp: ctx.getNodeParameter('createInApp', 0, true) as boolean,
		resyncDeleted: ctx.getNodeParameter('resyncDeleted', 0, false) as boolean,
		hubspotInput: readHubSpotInput(ctx, objectType),
		deleteInHubspotKinds: String(ctx.getNodeParameter('deleteInHubspotKinds', 0, ''))
			.split(',')
			.map((kind) => kind.trim())
			.filter(Boolean),
		maxDeletes: Number(ctx.getNodeParameter('maxDeletes', 0, 10)),
		associations: associationRows.map((row) => ({
			toObjectType: row.toObjectType,
			appField: row.appField,
			links: inputs.associationLinks.get(row.linksScope) ?? [],
		})),
		unreadable: {
			hubspot: inputs.unreadable.filter((entry) => entry.input === 0).length,
			app: inputs.unreadable.filter((entry) => entry.input === 1).length,
		},
	};
	if (!settings.mappings.some((mapping) => mapping.enabled)) {
		throw new NodeOperationError(ctx.getNode(), 'Every field mapping is switched off', {
			description: 'Switch on "Sync This Field" in at least one row of "Field Mappings".',
		});
	}
	return settings;
}

/** "HubSpot Input Holds": as chosen, or (1.1's default) as the pull before this node says. */
function readHubSpotInput(ctx: IExecuteFunctions, objectType: string): 'all' | 'changed' {
	const chosen = ctx.getNodeParameter('hubspotInput', 0, 'all');
	if (chosen === 'auto') return readPullMode(ctx, objectType) === 'incremental' ? 'changed' : 'all';
	return chosen === 'changed' ? 'changed' : 'all';
}

/** What "Calls Made (Rows)" takes: the calls Data table's rows of the last 24 hours. */
export const CALLS_ROWS_HINT: JsonFieldHint = {
	holds: 'the calls rows of the last 24 hours (a list)',
	example: '[{ "timestamp": "2026-12-01T09:00:00.000Z", "calls": 12 }]',
};

/**
 * The "API Call Budget" settings. Version 1 takes the calls rows as a JSON list and this run's
 * calls as a number; 1.1 reads the rows from the node named and, unless set, the calls from the
 * pulls' summaries.
 */
export function readCallBudget(ctx: IExecuteFunctions): CallBudget {
	const budget = ctx.getNodeParameter('budget', 0, {}) as {
		callCap?: number;
		callLedger?: unknown;
		callsRowsNode?: string;
		callsThisRun?: number;
	};
	if (ctx.getNode().typeVersion >= 1.1) {
		const rowsNode = String(budget.callsRowsNode ?? '').trim();
		return {
			cap: Number(budget.callCap ?? 0),
			rows: (rowsNode ? readCallsRowsNode(ctx, rowsNode) : []) as unknown as CallsRow[],
			callsThisRun:
				budget.callsThisRun === undefined ? readPullCalls(ctx) : Number(budget.callsThisRun),
		};
	}
	const rows =
		parseJsonParameter(
			ctx,
			budget.callLedger,
			0,
			'API Call Budget → Calls Made (Rows)',
			CALLS_ROWS_HINT,
		) ?? [];
	if (!Array.isArray(rows)) {
		throw new NodeOperationError(ctx.getNode(), '"Calls Made (Rows)" is not a list', {
			description:
				"Give the rows of the calls Data table, e.g. {{ $('Calls in last 24 hours').all().map(item => item.json) }}.",
		});
	}
	return {
		cap: Number(budget.callCap ?? 0),
		rows: rows as CallsRow[],
		callsThisRun: Number(budget.callsThisRun ?? 0),
	};
}
