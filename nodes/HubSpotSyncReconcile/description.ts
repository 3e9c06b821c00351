/**
 * HubSpot Reconcile's parameters, in the order the editor shows them. The node file keeps what n8n
 * lists the node by (name, icon, inputs, outputs); the choices an operator makes are here.
 */
import type { INodeProperties } from 'n8n-workflow';

import { authenticationProperty, hubspotPropertyField } from '../shared/descriptions';

/** A record filter: conditions on one side's fields (HubSpot properties, or the app's fields). */
const filterCollection = (
	name: string,
	displayName: string,
	fieldLabel: string,
	description: string,
): INodeProperties => ({
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
				{
					displayName: fieldLabel,
					name: 'field',
					type: 'string',
					default: '',
					placeholder: 'e.g. lifecyclestage',
				},
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
				{
					displayName: 'Value',
					name: 'value',
					type: 'string',
					default: '',
					description:
						'Compared trimmed and case-insensitive; for "Is One Of", values separated by commas',
				},
			],
		},
	],
});

/**
 * Version 1 asked for expressions where the node can look itself (the pull's mode and calls, the
 * calls rows) and took six fields per mapping; 1.1 works these out and keeps a mapping to one row.
 * Saved version 1 nodes keep their parameters.
 */
const V1 = { '@version': [1] };
const FROM_V1_1 = { '@version': [{ _cnd: { gte: 1.1 } }] };

/** The property, shown only to the node versions `show` names. */
function forVersions(show: Record<string, unknown[]>, property: INodeProperties): INodeProperties {
	return {
		...property,
		displayOptions: {
			...property.displayOptions,
			show: { ...property.displayOptions?.show, ...show },
		} as INodeProperties['displayOptions'],
	};
}

const everyRecord = {
	name: 'Every Record (Full Pull)',
	value: 'all',
	description: 'A linked record missing from the input was deleted in HubSpot',
};
const changedRecordsOnly = {
	name: 'Changed Records Only',
	value: 'changed',
	description:
		'A linked record missing from the input is unchanged since the last sync; HubSpot deletions are found by full pulls only',
};

const hubspotInputV1: INodeProperties = {
	displayName: 'HubSpot Input Holds',
	name: 'hubspotInput',
	type: 'options',
	options: [everyRecord, changedRecordsOnly],
	default: 'all',
	description:
		'Whether the HubSpot input is a full or an incremental pull. Set it by an expression that follows the pull’s summary (its mode), as the two-way templates do.',
};

const hubspotInputV1_1: INodeProperties = {
	displayName: 'HubSpot Input Holds',
	name: 'hubspotInput',
	type: 'options',
	options: [
		{
			name: 'What the Pull Says',
			value: 'auto',
			description:
				'Every record or the changed ones, as the summary of the Sync Properties → Pull before this node says',
		},
		everyRecord,
		changedRecordsOnly,
	],
	default: 'auto',
	description:
		'Whether the HubSpot input is a full or an incremental pull: a linked record missing from a full pull was deleted in HubSpot',
};

const appTypeField: INodeProperties = {
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
};

const normalizeField: INodeProperties = {
	displayName: 'Normalize',
	name: 'normalize',
	type: 'options',
	options: [
		{
			name: 'Country → ISO Code',
			value: 'country',
			description: 'Japan, 日本, JP → JP (ISO 3166-1)',
		},
		{ name: 'None', value: 'none' },
		{
			name: 'State → ISO Code',
			value: 'state',
			description:
				'Japanese prefectures and US states: 東京都, Tokyo → JP-13; California, CA → US-CA (ISO 3166-2)',
		},
	],
	default: 'none',
	description:
		'Write country or state values as ISO codes on both sides (for picklists such as Salesforce’s state and country picklists); the same place in other words is no change',
};

const picklistField: INodeProperties = {
	displayName: 'Picklist Values',
	name: 'picklist',
	type: 'string',
	default: '',
	placeholder: 'e.g. Prospect = lead, Client = customer',
	description:
		'App value = HubSpot option value, separated by commas, where the apps name options differently',
};

const enabledField: INodeProperties = {
	displayName: 'Sync This Field',
	name: 'enabled',
	type: 'boolean',
	default: true,
	description: 'Whether this mapping is synced; off keeps the row for later',
};

const fieldMappingsV1: INodeProperties = {
	displayName: 'Field Mappings',
	name: 'fieldMappings',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true, sortable: true },
	placeholder: 'Add Mapping',
	default: {},
	description:
		'Which app field syncs with which HubSpot property. Map the match field (email; domain or name) too.',
	options: [
		{
			displayName: 'Mapping',
			name: 'mappings',
			values: [
				{
					displayName: 'App Field',
					name: 'appField',
					type: 'string',
					default: '',
					placeholder: 'e.g. mail',
				},
				appTypeField,
				hubspotPropertyField('hubspotProperty'),
				normalizeField,
				picklistField,
				enabledField,
			],
		},
	],
};

/** One row per mapping: the property; what differs from a same-name text field, under Options. */
const fieldMappingsV1_1: INodeProperties = {
	...fieldMappingsV1,
	description:
		'Which HubSpot property syncs with which app field: the app field of the same name, as text, unless its options say otherwise. Map the match field (email; domain or name) too.',
	options: [
		{
			displayName: 'Mapping',
			name: 'mappings',
			values: [
				hubspotPropertyField('hubspotProperty'),
				{
					displayName: 'Options',
					name: 'options',
					type: 'collection',
					placeholder: 'Add Option',
					default: {},
					options: [
						{
							displayName: 'App Field',
							name: 'appField',
							type: 'string',
							default: '',
							placeholder: 'e.g. mail',
							description:
								'The app’s name for the field, where it differs from the HubSpot property’s',
						},
						appTypeField,
						normalizeField,
						picklistField,
						enabledField,
					],
				},
			],
		},
	],
};

const callCapField: INodeProperties = {
	displayName: 'Cap (Calls per 24 Hours)',
	name: 'callCap',
	type: 'number',
	default: 0,
	typeOptions: { minValue: 0 },
	description: 'Most HubSpot calls the sync may make in 24 hours; 0 = no cap',
};

const budgetV1: INodeProperties = {
	displayName: 'API Call Budget',
	name: 'budget',
	type: 'collection',
	placeholder: 'Add Budget Setting',
	default: {},
	description:
		'Stop before the writes when they would take HubSpot calls of the last 24 hours past a cap (like the API call budget of HubSpot’s Salesforce connector)',
	options: [
		callCapField,
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
};

const budgetV1_1: INodeProperties = {
	...budgetV1,
	options: [
		callCapField,
		{
			displayName: 'Calls Rows Node',
			name: 'callsRowsNode',
			type: 'string',
			default: '',
			placeholder: 'e.g. Calls in last 24 hours',
			description:
				'The name of the node whose output items are the calls rows of the last 24 hours ({ timestamp, calls }), e.g. a Data table node. Empty: no calls before this run.',
		},
		{
			displayName: 'Calls of This Run So Far',
			name: 'callsThisRun',
			type: 'number',
			default: 0,
			description:
				'Calls this run made before this node, not yet in the rows. Not set: the calls of the Sync Properties → Pull before this node, from its summary.',
		},
	],
};

export const reconcileProperties: INodeProperties[] = [
	authenticationProperty,
	{
		displayName: 'Object Type',
		name: 'objectType',
		type: 'options',
		options: [
			{
				name: 'Contact',
				value: 'contacts',
				description: 'Matched by email (trimmed, case-insensitive)',
			},
			{
				name: 'Company',
				value: 'companies',
				description: 'Matched by domain (no scheme, no www.), then by name',
			},
			{
				name: 'Deal',
				value: 'deals',
				description:
					'Paired by their links (HubSpot ID ↔ app ID); an unlinked deal is created on the other side',
			},
		],
		default: 'contacts',
	},
	{
		displayName: 'Sync Direction',
		name: 'direction',
		type: 'options',
		options: [
			{
				name: 'Two-Way',
				value: 'twoWay',
				description: 'Changes flow both ways; the default app wins when both changed a field',
			},
			{
				name: 'Only App → HubSpot',
				value: 'toHubspot',
				description: 'HubSpot edits stay in HubSpot',
			},
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
		description:
			'Whose value wins when both changed the same field since the last sync. A blank value never overwrites: the other side’s value fills it.',
		displayOptions: { show: { direction: ['twoWay'] } },
	},
	forVersions(V1, hubspotInputV1),
	forVersions(FROM_V1_1, hubspotInputV1_1),
	{
		displayName: 'App ID Field',
		name: 'appIdField',
		type: 'string',
		default: 'id',
		required: true,
		description: 'The field of the app’s records that holds their ID',
	},
	forVersions(V1, fieldMappingsV1),
	forVersions(FROM_V1_1, fieldMappingsV1_1),
	{
		displayName: 'Only Valid Emails',
		name: 'requireValidEmail',
		type: 'boolean',
		default: true,
		description:
			'Whether contacts without an email are skipped (they cannot be matched). An invalid email is always skipped.',
		displayOptions: { show: { objectType: ['contacts'] } },
	},
	{
		displayName: 'Create in HubSpot',
		name: 'createInHubspot',
		type: 'boolean',
		default: true,
		description: 'Whether app records with no HubSpot match become new HubSpot records',
	},
	{
		displayName: 'Create in the App',
		name: 'createInApp',
		type: 'boolean',
		default: true,
		description: 'Whether HubSpot records with no app match become new app records',
	},
	{
		displayName: 'Resync Deleted Records',
		name: 'resyncDeleted',
		type: 'boolean',
		default: false,
		description:
			'Whether records deleted on one side after a sync are created there again (on demand; off: they are skipped with DELETED_IN_APP / DELETED_IN_HUBSPOT)',
	},
	{
		displayName: 'App Kind Field',
		name: 'appKindField',
		type: 'string',
		default: '',
		placeholder: 'e.g. kind',
		description:
			'Field of the app’s records saying what they are (e.g. lead or contact), kept in the link for "Delete in HubSpot for Kinds". An app record with "createInHubspot": false is never created in HubSpot.',
	},
	{
		displayName: 'Delete in HubSpot for Kinds',
		name: 'deleteInHubspotKinds',
		type: 'string',
		default: '',
		placeholder: 'e.g. lead, contact',
		description:
			'When an app record of these kinds is deleted after a sync, its HubSpot record goes to the "Archive" output (empty: never; the record is skipped with DELETED_IN_APP)',
	},
	{
		displayName: 'Most Deletes per Run',
		name: 'maxDeletes',
		type: 'number',
		default: 10,
		typeOptions: { minValue: 0 },
		description:
			'More deletions than this in one run are all held back (DELETES_HELD): many at once usually means the app was not read in full',
	},
	{
		displayName: 'Associations',
		name: 'associations',
		type: 'fixedCollection',
		typeOptions: { multipleValues: false },
		placeholder: 'Add Association',
		default: {},
		description:
			'Keep each contact’s or deal’s primary company in sync, when the companies are synced too (their links come in on the Links input, under their own scope)',
		displayOptions: { show: { objectType: ['contacts', 'deals'] } },
		options: [
			{
				displayName: 'Association',
				name: 'association',
				values: [
					{
						displayName: 'Associated Object',
						name: 'toObjectType',
						type: 'options',
						options: [{ name: 'Primary Company', value: 'companies' }],
						default: 'companies',
					},
					{
						displayName: 'App Field',
						name: 'appField',
						type: 'string',
						default: '',
						placeholder: 'e.g. companyId',
						description: 'The field of the app’s records holding their company’s app ID',
					},
					{
						displayName: 'Links Scope',
						name: 'linksScope',
						type: 'string',
						default: '',
						placeholder: 'e.g. two-way-companies',
						description:
							'The "scope" of the company sync’s rows in the links table. Rows of this scope on the Links input are the company links; the others are this sync’s.',
					},
				],
			},
		],
	},
	filterCollection(
		'hubspotFilter',
		'HubSpot Inclusion Filter',
		'HubSpot Property',
		'Only HubSpot records matching these conditions send their values to the app (they may still receive). Empty: all.',
	),
	filterCollection(
		'appFilter',
		'App Record Filter',
		'App Field',
		'Only app records matching these conditions send their values to HubSpot (they may still receive). Empty: all.',
	),
	forVersions(V1, budgetV1),
	forVersions(FROM_V1_1, budgetV1_1),
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
];
