import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { dealOf } from '../shared/deals/pipelines';
import { authenticationProperty, credentialDescriptions } from '../shared/descriptions';
import { asNodeError, errorJson } from '../shared/errorItems';
import { readLinkStateParameter } from '../shared/links';
import { ensureProperty } from '../shared/properties';
import { fetchTeams, getDealProperties, getTeams } from '../shared/methods/deals';
import { fetchOwners, getOwners } from '../shared/methods/owners';
import {
	createHubSpotClient,
	type AuthenticationMethod,
	type HubSpotClient,
} from '../shared/transport/client';
import { batchRead, batchWrite } from '../shared/transport/pagination';
import { filterDeal, parseExclusion, splitList, type FilterRules } from './rules';

export const EXCLUSION_PROPERTY = 'exclude_from_board_integration';
export const FILTER_KEY_PROPERTY = 'board_custom_filter_key';

export class HubSpotSyncFilterDeals implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'HubSpot Filter Deals',
		name: 'hubSpotSyncFilterDeals',
		icon: {
			light: 'file:../../icons/filter-deals.svg',
			dark: 'file:../../icons/filter-deals.dark.svg',
		},
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description:
			'Keep the deals a target account takes (team, owner, filter key) and set aside deals excluded from sync',
		defaults: { name: 'HubSpot Filter Deals' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Pass', 'Filtered Out', 'Excluded'],
		// Not a tool: it routes the deal items of a sync to three outputs, which an agent call has no
		// use for. (n8n's type has no `false`; the key stays, as n8n's lint asks, with no value: no
		// Tool variant.)
		usableAsTool: undefined,
		credentials: credentialDescriptions,
		properties: [
			authenticationProperty,
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Filter',
						value: 'filter',
						action: 'Filter deals',
						description: 'Route deal items to pass, filtered out or excluded',
					},
					{
						name: 'Ensure Exclusion Property',
						value: 'ensureExclusionProperty',
						action: 'Ensure the exclusion property exists',
						description:
							'Set-up: create the yes/no deal property that excludes a deal from sync (kept on disconnect)',
					},
				],
				default: 'filter',
			},
			{
				displayName: 'Team Names or IDs',
				name: 'teamIds',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getTeams' },
				default: [],
				description:
					'Deals of these HubSpot teams pass (empty: no team rule). Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
				displayOptions: { show: { operation: ['filter'] } },
			},
			{
				displayName: 'Owner Names or IDs',
				name: 'ownerIds',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getOwners' },
				default: [],
				description:
					'Deals owned by these users pass (empty: no owner rule). Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
				displayOptions: { show: { operation: ['filter'] } },
			},
			{
				displayName: 'Filter Property Name or ID',
				name: 'filterProperty',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getDealProperties' },
				default: FILTER_KEY_PROPERTY,
				description:
					'Deal property whose value says which target account takes the deal. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
				displayOptions: { show: { operation: ['filter'] } },
			},
			{
				displayName: 'Allowed Values',
				name: 'allowedValues',
				type: 'string',
				default: '',
				placeholder: 'e.g. east, kanto',
				description:
					'Values of the filter property this target account takes, separated by commas (empty: no filter-key rule)',
				displayOptions: { show: { operation: ['filter'] } },
			},
			{
				displayName: 'Combine Rules',
				name: 'combine',
				type: 'options',
				options: [
					{ name: 'All Rules Must Match', value: 'all' },
					{ name: 'Any Rule May Match', value: 'any' },
				],
				default: 'all',
				displayOptions: { show: { operation: ['filter'] } },
			},
			{
				displayName: 'Exclusion Property',
				name: 'exclusionProperty',
				type: 'string',
				default: EXCLUSION_PROPERTY,
				description:
					'Yes/no deal property: a deal set to yes is excluded from sync and its link disabled',
			},
			{
				displayName: 'Account Label',
				name: 'accountLabel',
				type: 'string',
				default: '',
				description: 'Names the target account on every output item and in history rows',
				displayOptions: { show: { operation: ['filter'] } },
			},
			{
				displayName: 'Write Account Label To',
				name: 'labelProperty',
				type: 'string',
				default: '',
				placeholder: 'e.g. board_account',
				description:
					'Deal property that gets the account label on passing deals (empty: not written). One batch call per 100 deals that need it.',
				displayOptions: { show: { operation: ['filter'] } },
			},
			{
				displayName: 'Current Link State',
				name: 'linkState',
				type: 'json',
				default: '={{ $json.link ?? "" }}',
				placeholder: "={{ $('Find link').item.json }}",
				description:
					'The deal’s link row ({ enabled, disabledReason }), e.g. from a Data table lookup. A deal excluded earlier that passes again is marked to re-enable its link. Empty: no link yet.',
				displayOptions: { show: { operation: ['filter'] } },
			},
		],
	};

	methods = { loadOptions: { getTeams, getOwners, getDealProperties } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const client = await createHubSpotClient(
			this,
			this.getNodeParameter('authentication', 0) as AuthenticationMethod,
		);
		const exclusionProperty =
			String(this.getNodeParameter('exclusionProperty', 0, EXCLUSION_PROPERTY)).trim() ||
			EXCLUSION_PROPERTY;
		if (this.getNodeParameter('operation', 0) === 'ensureExclusionProperty') {
			return [
				[
					{
						json: await ensureExclusionProperty(client, exclusionProperty),
						pairedItem: { item: 0 },
					},
				],
				[],
				[],
			];
		}
		const rules: FilterRules = {
			teamIds: splitList(this.getNodeParameter('teamIds', 0, [])),
			ownerIds: splitList(this.getNodeParameter('ownerIds', 0, [])),
			filterProperty: String(this.getNodeParameter('filterProperty', 0, FILTER_KEY_PROPERTY)),
			allowedValues: splitList(this.getNodeParameter('allowedValues', 0, '')),
			combine: this.getNodeParameter('combine', 0, 'all') as 'all' | 'any',
		};
		await checkRuleIds.call(this, client, rules);
		const accountLabel = String(this.getNodeParameter('accountLabel', 0, '') ?? '');
		const labelProperty = String(this.getNodeParameter('labelProperty', 0, '') ?? '').trim();
		const needed = [
			'hubspot_owner_id',
			'hubspot_team_id',
			rules.filterProperty,
			exclusionProperty,
			'dealstage',
			'pipeline',
		];
		const properties = await completeProperties(client, items, needed);
		const [pass, filtered, excluded]: INodeExecutionData[][] = [[], [], []];
		const labelUpdates: Array<{ id: string; properties: Record<string, string> }> = [];
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			try {
				const json = items[itemIndex].json;
				const { id } = dealOf(json);
				if (!id) {
					throw new NodeOperationError(this.getNode(), `Item ${itemIndex}: the deal has no id`, {
						itemIndex,
						description:
							'Each item must carry the HubSpot deal id (id, dealId or properties.hs_object_id).',
					});
				}
				const props = properties.get(id) ?? {};
				const exclusion = parseExclusion(props[exclusionProperty]);
				if (exclusion === undefined) {
					throw new NodeOperationError(
						this.getNode(),
						`Item ${itemIndex}: deal ${id} has "${String(props[exclusionProperty])}" in ${exclusionProperty}, which is not yes or no`,
						{
							itemIndex,
							description: `Field "Exclusion Property". The property must be a yes/no checkbox (true/false).`,
						},
					);
				}
				const base = { ...json, dealId: id, accountLabel };
				if (exclusion) {
					excluded.push({
						json: {
							...base,
							status: 'excluded',
							code: 'EXCLUDED',
							linkAction: 'disable',
							reason: `Deal ${id} is set to exclude from sync (${exclusionProperty})`,
						},
						pairedItem: { item: itemIndex },
					});
					continue;
				}
				const verdict = filterDeal(rules, {
					ownerId: stringOf(props.hubspot_owner_id),
					teamIds: splitList(stringOf(props.hubspot_team_id) ?? ''),
					filterValue: stringOf(props[rules.filterProperty]),
				});
				if (!verdict.pass) {
					filtered.push({
						json: {
							...base,
							status: 'filtered',
							code: 'FILTERED_OUT',
							rule: verdict.rule,
							reason: `Deal ${id}: ${verdict.reason}`,
						},
						pairedItem: { item: itemIndex },
					});
					continue;
				}
				const link = readLinkStateParameter(this, itemIndex);
				const comesBack = link?.enabled === false && link.disabledReason === 'EXCLUDED';
				pass.push({
					json: {
						...base,
						properties: { ...(json.properties as IDataObject), ...props } as IDataObject,
						...(comesBack ? { linkAction: 'enable' } : {}),
					},
					pairedItem: { item: itemIndex },
				});
				if (labelProperty && accountLabel && props[labelProperty] !== accountLabel)
					labelUpdates.push({ id, properties: { [labelProperty]: accountLabel } });
			} catch (error) {
				if (!this.continueOnFail()) throw asNodeError(this.getNode(), error, itemIndex);
				filtered.push({
					json: { ...items[itemIndex].json, ...errorJson(error) },
					pairedItem: { item: itemIndex },
				});
			}
		}
		if (labelUpdates.length) await batchWrite(client, 'deals', 'update', labelUpdates);
		return [pass, filtered, excluded];
	}
}

/**
 * Owner and team ids in the rules must exist: an id typed by hand (or left from another account)
 * would otherwise filter out every deal without a word. One call per list, only when it is used.
 */
async function checkRuleIds(
	this: IExecuteFunctions,
	client: HubSpotClient,
	rules: FilterRules,
): Promise<void> {
	const checks: Array<{
		ids: string[];
		field: string;
		what: string;
		fetch: () => Promise<Array<{ id: string }>>;
	}> = [
		{
			ids: rules.ownerIds,
			field: 'Owner Names or IDs',
			what: 'owner',
			fetch: async () => await fetchOwners(client),
		},
		{
			ids: rules.teamIds,
			field: 'Team Names or IDs',
			what: 'team',
			fetch: async () => await fetchTeams(client),
		},
	];
	for (const check of checks.filter((candidate) => candidate.ids.length)) {
		const known = new Set((await check.fetch()).map((entry) => String(entry.id)));
		const unknown = check.ids.filter((id) => !known.has(id));
		if (unknown.length) {
			throw new NodeOperationError(
				this.getNode(),
				`The rules name ${check.what} ID${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}, which HubSpot does not have`,
				{
					description: `Field "${check.field}": choose from the list (it is loaded from HubSpot), or remove the ID.`,
				},
			);
		}
	}
}

function stringOf(value: unknown): string | undefined {
	return value === undefined || value === null || value === '' ? undefined : String(value);
}

/**
 * The properties each deal needs for the rules: from the item when it has them all, otherwise
 * read for the deals that lack any, 100 per call (never one call per deal).
 */
async function completeProperties(
	client: HubSpotClient,
	items: INodeExecutionData[],
	needed: string[],
): Promise<Map<string, Record<string, unknown>>> {
	const byId = new Map<string, Record<string, unknown>>();
	const missing: string[] = [];
	for (const item of items) {
		const { id, properties } = dealOf(item.json);
		if (!id) continue;
		byId.set(id, properties);
		if (needed.some((name) => !(name in properties))) missing.push(id);
	}
	if (missing.length) {
		for (const record of await batchRead(client, 'deals', [...new Set(missing)], needed)) {
			byId.set(record.id, { ...byId.get(record.id), ...record.properties });
		}
	}
	return byId;
}

async function ensureExclusionProperty(client: HubSpotClient, name: string): Promise<IDataObject> {
	const { status, existing } = await ensureProperty(client, 'deals', {
		name,
		label: 'Exclude from sync',
		description:
			'Yes: this deal is not synced by n8n, and an existing link is disabled. Set back to no to sync it again.',
		type: 'bool',
		fieldType: 'booleancheckbox',
		options: [
			{ label: 'Yes', value: 'true', displayOrder: 0, hidden: false },
			{ label: 'No', value: 'false', displayOrder: 1, hidden: false },
		],
	});
	return {
		property: name,
		status,
		type: existing?.type ?? 'bool',
		message: `Deal property ${name} ${status === 'created' ? 'created' : 'exists; left untouched'}.`,
	};
}
