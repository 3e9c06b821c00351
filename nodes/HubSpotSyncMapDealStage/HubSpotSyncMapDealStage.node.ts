import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { fetchDealPipelines, dealOf } from '../shared/deals/pipelines';
import { authenticationProperty, credentialDescriptions } from '../shared/descriptions';
import { asNodeError, errorJson } from '../shared/errorItems';
import { getDealStages } from '../shared/methods/deals';
import {
	createHubSpotClient,
	type AuthenticationMethod,
	type HubSpotClient,
} from '../shared/transport/client';
import { failureOfBatchInput, HubSpotApiError } from '../shared/transport/errors';
import { batchRead, batchWrite } from '../shared/transport/pagination';
import { resolveMapping, stageToStatus, statusToStage, type MappingRow } from './mapping';

export class HubSpotSyncMapDealStage implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'HubSpot Map Deal Stage',
		name: 'hubSpotSyncMapDealStage',
		icon: {
			light: 'file:../../icons/map-deal-stage.svg',
			dark: 'file:../../icons/map-deal-stage.dark.svg',
		},
		group: ['transform'],
		version: 1,
		subtitle:
			'={{$parameter["operation"] === "checkMapping" ? "check mapping" : $parameter["direction"]}}',
		description: 'Map HubSpot deal stages to your order statuses per pipeline, and back',
		defaults: { name: 'HubSpot Map Deal Stage' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Mapped', 'Unmapped'],
		// Not a tool: it maps a sync's items to stages by a mapping table, with outputs an agent cannot
		// follow. (n8n's type has no `false`; the key stays, as n8n's lint asks, with no value: no Tool
		// variant.)
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
						name: 'Map',
						value: 'map',
						action: 'Map deal stages',
						description: 'Map each deal item’s stage to a status, or a status to a stage',
					},
					{
						name: 'Check Mapping',
						value: 'checkMapping',
						action: 'Check the stage mapping',
						description: 'List mapping rows whose pipeline or stage no longer exists in HubSpot',
					},
				],
				default: 'map',
			},
			{
				displayName: 'Direction',
				name: 'direction',
				type: 'options',
				options: [
					{ name: 'HubSpot Stage → Status', value: 'stageToStatus' },
					{ name: 'Status → HubSpot Stage', value: 'statusToStage' },
				],
				default: 'stageToStatus',
				displayOptions: { show: { operation: ['map'] } },
			},
			{
				displayName: 'Stage Mapping',
				name: 'mapping',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true, sortable: true },
				placeholder: 'Add Row',
				default: {},
				description:
					'One row per HubSpot stage. Several stages may map to one status. A stage without a row is not synced.',
				options: [
					{
						name: 'rows',
						displayName: 'Row',
						values: [
							{
								displayName: 'Pipeline and Stage Name or ID',
								name: 'stage',
								type: 'options',
								typeOptions: { loadOptionsMethod: 'getDealStages' },
								default: '',
								description:
									'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
								hint: 'An ID is written as pipelineId/stageId',
							},
							{
								displayName: 'Status',
								name: 'status',
								type: 'string',
								default: '',
								description: 'Your tool’s order status for this stage',
							},
							{
								displayName: 'Target Stage for This Status',
								name: 'isTarget',
								type: 'boolean',
								default: false,
								description:
									'Whether a status change written back to HubSpot moves the deal to this stage (when a status has several stages in a pipeline)',
							},
						],
					},
				],
			},
			{
				displayName: 'Deal Stage',
				name: 'dealstage',
				type: 'string',
				default: '={{ $json.properties?.dealstage ?? $json.dealstage }}',
				displayOptions: { show: { operation: ['map'], direction: ['stageToStatus'] } },
			},
			{
				displayName: 'Pipeline',
				name: 'pipeline',
				type: 'string',
				default: '={{ $json.properties?.pipeline ?? $json.pipeline }}',
				displayOptions: { show: { operation: ['map'] } },
			},
			{
				displayName: 'Status',
				name: 'status',
				type: 'string',
				default: '={{ $json.status }}',
				displayOptions: { show: { operation: ['map'], direction: ['statusToStage'] } },
			},
			{
				displayName: 'Deal ID',
				name: 'dealId',
				type: 'string',
				default: '={{ $json.dealId ?? $json.hubspotId ?? $json.id ?? "" }}',
				description:
					'The HubSpot deal the status belongs to. When the item has no pipeline, it is read from HubSpot (100 deals per call).',
				displayOptions: { show: { operation: ['map'], direction: ['statusToStage'] } },
			},
			{
				displayName: 'Update Deal Stage in HubSpot',
				name: 'writeBack',
				type: 'boolean',
				default: false,
				description:
					'Whether to move each mapped deal to its stage in HubSpot (batch update, 100 deals per call). A deal deleted in HubSpot becomes a NOT_FOUND error item, which Write History turns into a disabled link.',
				displayOptions: { show: { operation: ['map'], direction: ['statusToStage'] } },
			},
		],
	};

	methods = { loadOptions: { getDealStages } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const client = await createHubSpotClient(
			this,
			this.getNodeParameter('authentication', 0) as AuthenticationMethod,
		);
		const pipelines = await fetchDealPipelines(client);
		const rows = (this.getNodeParameter('mapping', 0, {}) as { rows?: MappingRow[] }).rows ?? [];
		const { resolved, stale } = resolveMapping(rows, pipelines);
		if (this.getNodeParameter('operation', 0) === 'checkMapping') {
			const report = [
				...stale.map((row) => ({
					row: row.index + 1,
					stage: row.stage,
					status: row.status,
					ok: false,
					problem: row.problem,
				})),
				...resolved.map((row) => ({
					row: row.index + 1,
					stage: `${row.pipelineId}/${row.stageId}`,
					status: row.status,
					ok: true,
					pipelineLabel: row.pipelineLabel,
					stageLabel: row.stageLabel,
				})),
			].sort((a, b) => a.row - b.row);
			return [report.map((json) => ({ json, pairedItem: { item: 0 } })), []];
		}
		if (stale.length) {
			throw new NodeOperationError(
				this.getNode(),
				`The stage mapping has ${stale.length} stale row(s): row ${stale[0].index + 1}: ${stale[0].problem}`,
				{
					description: `Field "Stage Mapping". Fix or remove: ${stale.map((row) => `row ${row.index + 1} (${row.problem})`).join('; ')}. The operation "Check Mapping" lists them.`,
				},
			);
		}
		const direction = this.getNodeParameter('direction', 0) as 'stageToStatus' | 'statusToStage';
		const mapped: INodeExecutionData[] = [];
		const unmapped: INodeExecutionData[] = [];
		const fail = (itemIndex: number, error: Error) => {
			if (!this.continueOnFail()) throw asNodeError(this.getNode(), error, itemIndex);
			unmapped.push({
				json: { ...items[itemIndex].json, ...errorJson(error) },
				pairedItem: { item: itemIndex },
			});
		};
		const dealIds =
			direction === 'statusToStage'
				? items.map((_, itemIndex) =>
						String(this.getNodeParameter('dealId', itemIndex, '') ?? '').trim(),
					)
				: [];
		// Status → stage: deals arriving without their pipeline (e.g. from a link row) are read, 100
		// per call.
		const known = new Map<string, { pipeline: string; dealstage: string }>();
		const missingPipeline =
			direction === 'statusToStage'
				? items.flatMap((_, itemIndex) =>
						dealIds[itemIndex] &&
						!String(this.getNodeParameter('pipeline', itemIndex, '') ?? '').trim()
							? [dealIds[itemIndex]]
							: [],
					)
				: [];
		if (missingPipeline.length) {
			for (const deal of await batchRead(
				client,
				'deals',
				[...new Set(missingPipeline)],
				['pipeline', 'dealstage'],
			)) {
				known.set(String(deal.id), {
					pipeline: String(deal.properties.pipeline ?? ''),
					dealstage: String(deal.properties.dealstage ?? ''),
				});
			}
		}
		const toWrite: Array<{ itemIndex: number; dealId: string; stageId: string }> = [];
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			try {
				const badInput = (problem: string, description: string) =>
					new NodeOperationError(this.getNode(), `Item ${itemIndex}: ${problem}`, {
						itemIndex,
						description,
					});
				const dealId = dealIds[itemIndex];
				if (dealId && missingPipeline.includes(dealId) && !known.has(dealId)) {
					fail(
						itemIndex,
						new HubSpotApiError(
							this.getNode(),
							{
								code: 'NOT_FOUND',
								httpStatus: 404,
								hubspotMessage: `Deal ${dealId} does not exist in HubSpot (deleted or merged)`,
								attempts: 1,
							},
							itemIndex,
						),
					);
					continue;
				}
				const pipelineId =
					String(this.getNodeParameter('pipeline', itemIndex, '') ?? '').trim() ||
					known.get(dealId)?.pipeline ||
					'';
				if (!pipelineId)
					throw badInput(
						'the deal has no pipeline',
						'Field "Pipeline". Include the deal’s pipeline property in the items (e.g. pull it with the deal), or give its "Deal ID".',
					);
				if (!pipelines.some((p) => p.id === pipelineId)) {
					throw badInput(
						`pipeline "${pipelineId}" does not exist in HubSpot`,
						`Field "Pipeline". Known pipelines: ${pipelines.map((p) => `${p.label} (${p.id})`).join(', ')}.`,
					);
				}
				let result;
				if (direction === 'stageToStatus') {
					const stageId = String(this.getNodeParameter('dealstage', itemIndex, '') ?? '').trim();
					if (!stageId)
						throw badInput(
							'the deal has no stage',
							'Field "Deal Stage". Include the deal’s dealstage property in the items.',
						);
					result = stageToStatus(resolved, pipelines, pipelineId, stageId);
				} else {
					const status = String(this.getNodeParameter('status', itemIndex, '') ?? '').trim();
					if (!status)
						throw badInput(
							'the status is empty',
							'Field "Status". Map the status sent by your tool.',
						);
					result = statusToStage(resolved, pipelines, pipelineId, status);
				}
				const json = items[itemIndex].json;
				if (result.mapped) {
					const { mapped: _, ...fields } = result;
					mapped.push({
						json: { ...json, ...fields, ...(dealId ? { dealId } : {}) } as IDataObject,
						pairedItem: { item: itemIndex },
					});
					if (dealId && 'dealstage' in fields)
						toWrite.push({ itemIndex, dealId, stageId: String(fields.dealstage) });
				} else {
					unmapped.push({
						json: {
							...json,
							status: 'unmapped',
							code: 'STAGE_UNMAPPED',
							reason: result.reason,
							dealId: dealId || (dealOf(json).id ?? null),
						},
						pairedItem: { item: itemIndex },
					});
				}
			} catch (error) {
				fail(itemIndex, error as Error);
			}
		}
		if (direction === 'statusToStage' && this.getNodeParameter('writeBack', 0, false)) {
			await writeStages.call(this, client, toWrite, mapped, fail);
		}
		return [mapped, unmapped];
	}
}

/**
 * Moves mapped deals to their stage: batch updates of 100. A deal HubSpot no longer has leaves the
 * Mapped output as a NOT_FOUND error item; the others are marked `hubspotUpdated`.
 */
async function writeStages(
	this: IExecuteFunctions,
	client: HubSpotClient,
	toWrite: Array<{ itemIndex: number; dealId: string; stageId: string }>,
	mapped: INodeExecutionData[],
	fail: (itemIndex: number, error: Error) => void,
): Promise<void> {
	if (!toWrite.length) return;
	const outcome = await batchWrite(
		client,
		'deals',
		'update',
		toWrite.map((write) => ({ id: write.dealId, properties: { dealstage: write.stageId } })),
	);
	const missing = new Map(
		outcome.errors.flatMap((error) => error.ids.map((id) => [id, error] as const)),
	);
	for (const write of toWrite) {
		const item = mapped.find(
			(candidate) => (candidate.pairedItem as { item: number }).item === write.itemIndex,
		)!;
		const error = missing.get(write.dealId);
		if (!error) {
			item.json.hubspotUpdated = true;
			continue;
		}
		mapped.splice(mapped.indexOf(item), 1);
		fail(
			write.itemIndex,
			new HubSpotApiError(this.getNode(), failureOfBatchInput(error), write.itemIndex),
		);
	}
}
