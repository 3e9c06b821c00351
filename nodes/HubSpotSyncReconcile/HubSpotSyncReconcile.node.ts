import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
	IPairedItemData,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { authenticationProperty, credentialDescriptions } from '../shared/descriptions';
import { asNodeError, errorJson } from '../shared/errorItems';
import { getProperties } from '../shared/methods/properties';
import { parseJsonParameter } from '../shared/links';
import { fetchPropertyDefinitions } from '../shared/properties';
import { checkCallBudget, pushCalls, type CallsRow } from '../shared/reconcile/budget';
import { reconcile, type AssociatedObject, type ReconcileResult, type ReconcileSettings, type SyncDirection, type SyncLink, type SyncSide, type Write } from '../shared/reconcile/reconcile';
import { associationWriteCalls, readPrimaryAssociations } from '../shared/transport/associations';
import { createHubSpotClient, type AuthenticationMethod, type HubSpotClient } from '../shared/transport/client';
import { INPUT_NAMES, readAssociationRows, readConditions, readInputs, readMappings, type IndexedInputs } from './read';

const filterCollection = (name: string, displayName: string, fieldLabel: string, description: string): INodeProperties => ({
	displayName,
	name,
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	placeholder: 'Add Condition',
	default: {},
	description,
	options: [
		{
			displayName: 'Condition',
			name: 'conditions',
			values: [
				{ displayName: fieldLabel, name: 'field', type: 'string', default: '', placeholder: 'e.g. lifecyclestage' },
				{
					displayName: 'Operation',
					name: 'operation',
					type: 'options',
					noDataExpression: true,
					options: [
						{ name: 'Contains', value: 'contains' },
						{ name: 'Does Not Contain', value: 'notContains' },
						{ name: 'Equals', value: 'equals' },
						{ name: 'Is Empty', value: 'isEmpty' },
						{ name: 'Is Not Empty', value: 'isSet' },
						{ name: 'Is One Of', value: 'oneOf' },
						{ name: 'Not Equals', value: 'notEquals' },
					],
					default: 'equals',
				},
				{ displayName: 'Value', name: 'value', type: 'string', default: '', description: 'Compared trimmed and case-insensitive; for "Is One Of", values separated by commas' },
			],
		},
	],
});

/**
 * Two-way record sync, decided in one step: HubSpot records, the other app's records and the last
 * synced values ("links") in; what to write where out, on five outputs, plus link saves. Makes one
 * HubSpot call (property definitions, for type conversion); the writes are done by the nodes the
 * outputs lead to (Sync Properties → Push for HubSpot, any n8n node for the app, Data table for links).
 */
export class HubSpotSyncReconcile implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'HubSpot Reconcile',
		name: 'hubSpotSyncReconcile',
		icon: { light: 'file:hubspot.svg', dark: 'file:hubspot.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["objectType"] + ": " + $parameter["direction"]}}',
		description: 'Match HubSpot records with another app’s records and decide, field by field, what to write where (two-way, with conflict rules)',
		defaults: { name: 'HubSpot Reconcile' },
		inputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		inputNames: [...INPUT_NAMES],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main, NodeConnectionTypes.Main, NodeConnectionTypes.Main, NodeConnectionTypes.Main, NodeConnectionTypes.Main, NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['HubSpot Updates', 'App Updates', 'HubSpot Creates', 'App Creates', 'Links to Save', 'HubSpot Deletes', 'Skipped', 'Summary'],
		credentials: credentialDescriptions,
		properties: [
			authenticationProperty,
			{
				displayName: 'Object Type',
				name: 'objectType',
				type: 'options',
				options: [
					{ name: 'Contact', value: 'contacts', description: 'Matched by email (trimmed, case-insensitive)' },
					{ name: 'Company', value: 'companies', description: 'Matched by domain (no scheme, no www.), then by name' },
					{ name: 'Deal', value: 'deals', description: 'Paired by their links (HubSpot ID ↔ app ID); an unlinked deal is created on the other side' },
				],
				default: 'contacts',
			},
			{
				displayName: 'Sync Direction',
				name: 'direction',
				type: 'options',
				options: [
					{ name: 'Two-Way', value: 'twoWay', description: 'Changes flow both ways; the default app wins when both changed a field' },
					{ name: 'Only App → HubSpot', value: 'toHubspot', description: 'HubSpot edits stay in HubSpot' },
					{ name: 'Only HubSpot → App', value: 'toApp', description: 'App edits stay in the app' },
				],
				default: 'twoWay',
			},
			{
				displayName: 'Default App',
				name: 'defaultSide',
				type: 'options',
				options: [
					{ name: 'The App', value: 'app' },
					{ name: 'HubSpot', value: 'hubspot' },
				],
				default: 'hubspot',
				description: 'Whose value wins when both changed the same field since the last sync. A blank value never overwrites: the other side’s value fills it.',
				displayOptions: { show: { direction: ['twoWay'] } },
			},
			{
				displayName: 'HubSpot Input Holds',
				name: 'hubspotInput',
				type: 'options',
				options: [
					{ name: 'Every Record (Full Pull)', value: 'all', description: 'A linked record missing from the input was deleted in HubSpot' },
					{ name: 'Changed Records Only (Incremental Pull)', value: 'changed', description: 'A linked record missing from the input is unchanged since the last sync; HubSpot deletions are found by full pulls only' },
				],
				default: 'all',
				description: 'Whether the HubSpot input is a full or an incremental pull. Set it by an expression that follows the pull’s summary (its mode), as the two-way templates do.',
			},
			{
				displayName: 'App ID Field',
				name: 'appIdField',
				type: 'string',
				default: 'id',
				required: true,
				description: 'The field of the app’s records that holds their ID',
			},
			{
				displayName: 'Field Mappings',
				name: 'fieldMappings',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true, sortable: true },
				placeholder: 'Add Mapping',
				default: {},
				description: 'Which app field syncs with which HubSpot property. Map the match field (email; domain or name) too.',
				options: [
					{
						displayName: 'Mapping',
						name: 'mappings',
						values: [
							{ displayName: 'App Field', name: 'appField', type: 'string', default: '', placeholder: 'e.g. mail' },
							{
								displayName: 'App Field Type',
								name: 'appType',
								type: 'options',
								options: [
									{ name: 'Checkbox (True/False)', value: 'boolean' },
									{ name: 'Date', value: 'date' },
									{ name: 'Date and Time', value: 'datetime' },
									{ name: 'Number', value: 'number' },
									{ name: 'Text', value: 'text' },
								],
								default: 'text',
								description: 'How the app stores the value; HubSpot’s side follows the property’s type',
							},
							{
								displayName: 'HubSpot Property Name or ID',
								name: 'hubspotProperty',
								type: 'options',
								typeOptions: { loadOptionsMethod: 'getProperties', loadOptionsDependsOn: ['objectType'] },
								default: '',
								description: 'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
							},
							{
								displayName: 'Normalize',
								name: 'normalize',
								type: 'options',
								options: [
									{ name: 'Country → ISO Code', value: 'country', description: 'Japan, 日本, JP → JP (ISO 3166-1)' },
									{ name: 'None', value: 'none' },
									{ name: 'State → ISO Code', value: 'state', description: 'Japanese prefectures and US states: 東京都, Tokyo → JP-13; California, CA → US-CA (ISO 3166-2)' },
								],
								default: 'none',
								description: 'Write country or state values as ISO codes on both sides (for picklists such as Salesforce’s state and country picklists); the same place in other words is no change',
							},
							{
								displayName: 'Picklist Values',
								name: 'picklist',
								type: 'string',
								default: '',
								placeholder: 'e.g. Prospect = lead, Client = customer',
								description: 'App value = HubSpot option value, separated by commas, where the apps name options differently',
							},
							{ displayName: 'Sync This Field', name: 'enabled', type: 'boolean', default: true, description: 'Whether this mapping is synced; off keeps the row for later' },
						],
					},
				],
			},
			{
				displayName: 'Only Records With a Valid Email',
				name: 'requireValidEmail',
				type: 'boolean',
				default: true,
				description: 'Whether contacts without an email are skipped (they cannot be matched). An invalid email is always skipped.',
				displayOptions: { show: { objectType: ['contacts'] } },
			},
			{ displayName: 'Create in HubSpot', name: 'createInHubspot', type: 'boolean', default: true, description: 'Whether app records with no HubSpot match become new HubSpot records' },
			{ displayName: 'Create in the App', name: 'createInApp', type: 'boolean', default: true, description: 'Whether HubSpot records with no app match become new app records' },
			{
				displayName: 'Resync Deleted Records',
				name: 'resyncDeleted',
				type: 'boolean',
				default: false,
				description: 'Whether records deleted on one side after a sync are created there again (on demand; off: they are skipped with DELETED_IN_APP / DELETED_IN_HUBSPOT)',
			},
			{
				displayName: 'App Kind Field',
				name: 'appKindField',
				type: 'string',
				default: '',
				placeholder: 'e.g. kind',
				description: 'Field of the app’s records saying what they are (e.g. lead or contact), kept in the link for "Delete in HubSpot for Kinds". An app record with "createInHubspot": false is never created in HubSpot.',
			},
			{
				displayName: 'Delete in HubSpot for Kinds',
				name: 'deleteInHubspotKinds',
				type: 'string',
				default: '',
				placeholder: 'e.g. lead, contact',
				description: 'When an app record of these kinds is deleted after a sync, its HubSpot record goes to "HubSpot Deletes" (empty: never; the record is skipped with DELETED_IN_APP)',
			},
			{
				displayName: 'Most Deletes per Run',
				name: 'maxDeletes',
				type: 'number',
				default: 10,
				typeOptions: { minValue: 0 },
				description: 'More deletions than this in one run are all held back (DELETES_HELD): many at once usually means the app was not read in full',
			},
			{
				displayName: 'Associations',
				name: 'associations',
				type: 'fixedCollection',
				typeOptions: { multipleValues: false },
				placeholder: 'Add Association',
				default: {},
				description: 'Keep each contact’s or deal’s primary company in sync, when the companies are synced too (their links come in on the Links input, under their own scope)',
				displayOptions: { show: { objectType: ['contacts', 'deals'] } },
				options: [
					{
						displayName: 'Association',
						name: 'association',
						values: [
							{ displayName: 'Associated Object', name: 'toObjectType', type: 'options', options: [{ name: 'Primary Company', value: 'companies' }], default: 'companies' },
							{ displayName: 'App Field', name: 'appField', type: 'string', default: '', placeholder: 'e.g. companyId', description: 'The field of the app’s records holding their company’s app ID' },
							{ displayName: 'Links Scope', name: 'linksScope', type: 'string', default: '', placeholder: 'e.g. two-way-companies', description: 'The "scope" of the company sync’s rows in the links table. Rows of this scope on the Links input are the company links; the others are this sync’s.' },
						],
					},
				],
			},
			filterCollection('hubspotFilter', 'HubSpot Record Filter (Inclusion List)', 'HubSpot Property', 'Only HubSpot records matching these conditions send their values to the app (they may still receive). Empty: all.'),
			filterCollection('appFilter', 'App Record Filter', 'App Field', 'Only app records matching these conditions send their values to HubSpot (they may still receive). Empty: all.'),
			{
				displayName: 'API Call Budget',
				name: 'budget',
				type: 'collection',
				placeholder: 'Add Budget Setting',
				default: {},
				description: 'Stop before the writes when they would take HubSpot calls of the last 24 hours past a cap (seed 004’s API call budget)',
				options: [
					{ displayName: 'Cap (Calls per 24 Hours)', name: 'callCap', type: 'number', default: 0, typeOptions: { minValue: 0 }, description: 'Most HubSpot calls the sync may make in 24 hours; 0 = no cap' },
					{
						displayName: 'Calls Made (Rows)',
						name: 'callLedger',
						type: 'json',
						default: '',
						placeholder: "={{ $('Calls in last 24 hours').all().map(item => item.json) }}",
						description: 'The calls rows of the last 24 hours: [{ "timestamp": "…", "calls": 12 }, …]',
					},
					{
						displayName: 'Calls of This Run So Far',
						name: 'callsThisRun',
						type: 'number',
						default: 0,
						placeholder: "={{ $('Pull HubSpot contacts').first(1).json.calls }}",
						description: 'Calls this run made before this node (e.g. the pull’s), not yet in the rows',
					},
				],
			},
			{
				displayName: 'Combine Conditions',
				name: 'combine',
				type: 'options',
				options: [
					{ name: 'All Conditions Must Match', value: 'all' },
					{ name: 'Any Condition May Match', value: 'any' },
				],
				default: 'all',
			},
		],
		usableAsTool: true,
	};

	methods = { loadOptions: { getProperties } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const objectType = this.getNodeParameter('objectType', 0) as ReconcileSettings['objectType'];
		const direction = this.getNodeParameter('direction', 0) as SyncDirection;
		const appIdField = String(this.getNodeParameter('appIdField', 0, 'id')).trim() || 'id';
		const combine = this.getNodeParameter('combine', 0, 'all') as 'all' | 'any';
		const associationRows = objectType === 'companies' ? [] : readAssociationRows(this);
		const inputs = readInputs(this, appIdField, String(this.getNodeParameter('appKindField', 0, '')).trim(), {
			hubspot: { conditions: readConditions(this, 'hubspotFilter'), combine },
			app: { conditions: readConditions(this, 'appFilter'), combine },
		}, associationRows.map((row) => row.linksScope));
		const client = await createHubSpotClient(this, this.getNodeParameter('authentication', 0) as AuthenticationMethod);
		await readHubSpotAssociations(this, client, inputs, associationRows.map((row) => row.toObjectType));
		let definitions;
		try {
			definitions = new Map((await fetchPropertyDefinitions(client, objectType)).map((definition) => [definition.name, definition]));
		} catch (error) {
			throw asNodeError(this.getNode(), error as Error, 0);
		}
		const settings: ReconcileSettings = {
			objectType,
			direction,
			defaultSide: direction === 'twoWay' ? (this.getNodeParameter('defaultSide', 0, 'hubspot') as SyncSide) : direction === 'toHubspot' ? 'app' : 'hubspot',
			mappings: readMappings(this, definitions, direction !== 'toApp', objectType),
			definitions,
			requireValidEmail: objectType === 'contacts' ? (this.getNodeParameter('requireValidEmail', 0, true) as boolean) : false,
			createInHubspot: this.getNodeParameter('createInHubspot', 0, true) as boolean,
			createInApp: this.getNodeParameter('createInApp', 0, true) as boolean,
			resyncDeleted: this.getNodeParameter('resyncDeleted', 0, false) as boolean,
			hubspotInput: this.getNodeParameter('hubspotInput', 0, 'all') === 'changed' ? 'changed' : 'all',
			deleteInHubspotKinds: String(this.getNodeParameter('deleteInHubspotKinds', 0, '')).split(',').map((kind) => kind.trim()).filter(Boolean),
			maxDeletes: Number(this.getNodeParameter('maxDeletes', 0, 10)),
			associations: associationRows.map((row) => ({ toObjectType: row.toObjectType, appField: row.appField, links: inputs.associationLinks.get(row.linksScope) ?? [] })),
			unreadable: { hubspot: inputs.unreadable.filter((entry) => entry.input === 0).length, app: inputs.unreadable.filter((entry) => entry.input === 1).length },
		};
		if (!settings.mappings.some((mapping) => mapping.enabled)) {
			throw new NodeOperationError(this.getNode(), 'Every field mapping is switched off', { description: 'Switch on "Sync This Field" in at least one row of "Field Mappings".' });
		}
		const result = reconcile(inputs.hubspot, inputs.app, inputs.links, settings);
		// Items set aside (continue on fail) are reported with the skips, as error items naming input, item and field.
		const unreadable: INodeExecutionData[] = inputs.unreadable.map((entry) => ({
			json: { status: 'error', side: entry.input === 0 ? 'hubspot' : 'app', objectType, ...errorJson(entry.error) },
			pairedItem: { item: entry.itemIndex, input: entry.input },
		}));
		const { usage, overBudget } = checkBudget(this, result, client.stats.calls);
		const summary = (written: boolean): INodeExecutionData[] => [{ json: summaryOf(objectType, result, inputs, usage, client.stats.calls, written), pairedItem: { item: 0 } }];
		if (overBudget) return [[], [], [], [], [], [], [{ json: { ...overBudget, objectType }, pairedItem: { item: 0 } }, ...unreadable], summary(false)];
		const write = (kind: 'hubspot' | 'app', action: 'update' | 'create') => (entry: Write): INodeExecutionData => ({
			json: {
				action,
				key: entry.key,
				hubspotId: entry.hubspotId ?? '',
				appId: entry.appId ?? '',
				[kind === 'hubspot' ? 'properties' : 'fields']: kind === 'hubspot' ? { ...entry.match, ...(entry.values as IDataObject) } : (entry.values as IDataObject),
				match: entry.match,
				...(entry.associations ? { associations: entry.associations } : {}),
				link: linkRow(entry.link),
			},
			pairedItem: pairedItems(inputs, entry),
		});
		return [
			result.hubspotUpdates.map(write('hubspot', 'update')),
			result.appUpdates.map(write('app', 'update')),
			result.hubspotCreates.map(write('hubspot', 'create')),
			result.appCreates.map(write('app', 'create')),
			result.linkSaves.map((link) => ({ json: { action: 'link', key: link.key, hubspotId: link.hubspotId ?? '', appId: link.appId ?? '', link: linkRow(link) }, pairedItem: pairedItems(inputs, link) })),
			result.hubspotDeletes.map((entry) => ({ json: { action: 'delete', key: entry.key, hubspotId: entry.hubspotId, appId: entry.appId, link: linkRow(entry.link) }, pairedItem: pairedItems(inputs, entry) })),
			result.skips.map((skip): INodeExecutionData => {
				const side = skip.side === 'hubspot' ? { hubspotId: skip.id, appId: skip.otherId ?? '' } : { hubspotId: skip.otherId ?? '', appId: skip.id };
				return {
					json: { status: 'skipped', code: skip.code, reason: skip.reason, side: skip.side, key: skip.key, objectType, ...side },
					pairedItem: pairedItems(inputs, { key: skip.key, hubspotId: side.hubspotId || null, appId: side.appId || null }),
				};
			}).concat(unreadable),
			summary(true),
		];
	}
}

/**
 * The call budget, checked once the writes are known: calls of the last 24 hours, this run's so far
 * (including this node's), and what Push and Associate will need for the HubSpot writes. Over the
 * cap: one skip. The usage is reported on the Summary output whether or not a cap is set.
 */
function checkBudget(ctx: IExecuteFunctions, result: ReconcileResult, ownCalls: number): { usage: IDataObject; overBudget?: IDataObject } {
	const budget = ctx.getNodeParameter('budget', 0, {}) as { callCap?: number; callLedger?: unknown; callsThisRun?: number };
	const cap = Number(budget.callCap ?? 0);
	const rows = parseJsonParameter(ctx, budget.callLedger, 0, 'API Call Budget → Calls Made (Rows)') ?? [];
	if (!Array.isArray(rows)) {
		throw new NodeOperationError(ctx.getNode(), '"Calls Made (Rows)" is not a list', { description: 'Give the rows of the calls Data table, e.g. {{ $(\'Calls in last 24 hours\').all().map(item => item.json) }}.' });
	}
	const associating = [...result.hubspotUpdates, ...result.hubspotCreates].filter((write) => write.associations).length;
	const expectedCalls = Number(budget.callsThisRun ?? 0) + ownCalls + pushCalls(result.hubspotUpdates.length) + pushCalls(result.hubspotCreates.length) + associationWriteCalls(associating);
	const decision = checkCallBudget(rows as CallsRow[], cap, expectedCalls, new Date());
	const usage: IDataObject = { callsLast24Hours: decision.used, cap: cap > 0 ? cap : null, remaining: cap > 0 ? decision.remaining : null, expectedCalls };
	if (decision.allowed) return { usage };
	return { usage, overBudget: { status: 'skipped', code: 'OVER_BUDGET', reason: decision.reason, used: decision.used, cap, remaining: decision.remaining, expectedCalls, retryAfter: decision.retryAfter ?? '' } };
}

/** Each HubSpot record's primary associated records, read from HubSpot (1 call per 1,000 records and object). */
async function readHubSpotAssociations(ctx: IExecuteFunctions, client: HubSpotClient, inputs: IndexedInputs, toObjectTypes: AssociatedObject[]): Promise<void> {
	if (!toObjectTypes.length || !inputs.hubspot.length) return;
	const objectType = ctx.getNodeParameter('objectType', 0) as ReconcileSettings['objectType'];
	for (const toObjectType of toObjectTypes) {
		let primary: Map<string, string>;
		try {
			primary = await readPrimaryAssociations(client, objectType, toObjectType, inputs.hubspot.map((record) => record.id));
		} catch (error) {
			throw asNodeError(ctx.getNode(), error as Error, 0);
		}
		for (const record of inputs.hubspot) {
			const id = primary.get(record.id);
			if (id) record.associations = { ...record.associations, [toObjectType]: id };
		}
	}
}

/** What the run decided and the calls it counted: the Summary output (one item). */
function summaryOf(objectType: string, result: ReconcileResult, inputs: IndexedInputs, usage: IDataObject, calls: number, written: boolean): IDataObject {
	return {
		objectType,
		writes: written ? 'sent to the outputs' : 'held back (over the API call budget)',
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
}

/** A links Data table row: values as JSON text (a column holds text). */
function linkRow(link: SyncLink): IDataObject {
	return { key: link.key, hubspotId: link.hubspotId ?? '', appId: link.appId ?? '', appKind: link.appKind ?? '', values: JSON.stringify(link.values) };
}

/** The input items an output item came from: its HubSpot record, app record and link. */
function pairedItems(inputs: IndexedInputs, entry: { key: string; hubspotId: string | null; appId: string | null }): IPairedItemData[] {
	const paired: IPairedItemData[] = [];
	const hubspot = entry.hubspotId ? inputs.hubspotItem.get(entry.hubspotId) : undefined;
	const app = entry.appId ? inputs.appItem.get(entry.appId) : undefined;
	const link = entry.key ? inputs.linkItem.get(entry.key) : undefined;
	if (hubspot !== undefined) paired.push({ item: hubspot, input: 0 });
	if (app !== undefined) paired.push({ item: app, input: 1 });
	if (link !== undefined) paired.push({ item: link, input: 2 });
	return paired.length ? paired : [{ item: 0 }];
}
