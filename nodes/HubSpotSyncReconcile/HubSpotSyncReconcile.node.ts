import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { credentialDescriptions } from '../shared/descriptions';
import { getProperties } from '../shared/methods/properties';
import { createHubSpotClient, type AuthenticationMethod } from '../shared/transport/client';
import { reconcileProperties } from './description';
import { checkRunBudget } from './engine/budget';
import { reconcile } from './engine/reconcile';
import { decisionOutputs, overBudgetOutputs } from './output';
import {
	INPUT_NAMES,
	readAssociationRows,
	readCallBudget,
	readHubSpotAssociations,
	readInputs,
	readPropertyDefinitions,
	readRecordSettings,
	readSettings,
} from './read';

/**
 * Two-way record sync, decided in one step: HubSpot records, the other app's records and the last
 * synced values ("links") in; what to write where out, on the outputs named below. Makes one
 * HubSpot call (property definitions, for type conversion); the writes are done by the nodes the
 * outputs lead to (Sync Properties → Push for HubSpot, any n8n node for the app, Data table for
 * links).
 */
export class HubSpotSyncReconcile implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'HubSpot Reconcile',
		name: 'hubSpotSyncReconcile',
		icon: { light: 'file:../../icons/reconcile.svg', dark: 'file:../../icons/reconcile.dark.svg' },
		group: ['transform'],
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: '={{$parameter["objectType"] + ": " + $parameter["direction"]}}',
		description:
			'Match HubSpot records with another app’s records and decide, field by field, what to write where (two-way, with conflict rules)',
		defaults: { name: 'HubSpot Reconcile' },
		inputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		inputNames: [...INPUT_NAMES],
		outputs: [
			NodeConnectionTypes.Main,
			NodeConnectionTypes.Main,
			NodeConnectionTypes.Main,
			NodeConnectionTypes.Main,
			NodeConnectionTypes.Main,
			NodeConnectionTypes.Main,
			NodeConnectionTypes.Main,
			NodeConnectionTypes.Main,
		],
		// Short enough for the canvas: n8n cuts a connected output's label at 96 pixels.
		outputNames: [
			'Edit HubSpot',
			'Edit App',
			'New HubSpot',
			'New in App',
			'Save Links',
			'Archive',
			'Skipped',
			'Summary',
		],
		credentials: credentialDescriptions,
		properties: reconcileProperties,
		// Not a tool: a bulk two-way engine with three record inputs and eight outputs, fed by a sync's
		// graph. (n8n's type has no `false`; the key stays, as n8n's lint asks, with no value: no Tool
		// variant.)
		usableAsTool: undefined,
	};

	methods = { loadOptions: { getProperties } };

	/**
	 * Read the inputs (read.ts), decide (engine/), shape the outputs (output.ts). The call budget is
	 * checked once the writes are known, so that an over-budget run writes nothing at all.
	 */
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const records = readRecordSettings(this);
		const associationRows = records.objectType === 'companies' ? [] : readAssociationRows(this);
		const inputs = readInputs(
			this,
			records.appIdField,
			records.appKindField,
			records.filters,
			associationRows.map((row) => row.linksScope),
		);
		const client = await createHubSpotClient(
			this,
			this.getNodeParameter('authentication', 0) as AuthenticationMethod,
		);
		await readHubSpotAssociations(
			this,
			client,
			records.objectType,
			inputs,
			associationRows.map((row) => row.toObjectType),
		);
		const definitions = await readPropertyDefinitions(this, client, records.objectType);
		const settings = readSettings(this, records, definitions, inputs, associationRows);
		const result = reconcile(inputs.hubspot, inputs.app, inputs.links, settings);
		const { usage, overBudget } = checkRunBudget(
			result,
			readCallBudget(this),
			client.stats.calls,
			new Date(),
		);
		const report = {
			objectType: records.objectType,
			result,
			inputs,
			usage,
			calls: client.stats.calls,
			hubspotInput: settings.hubspotInput ?? 'all',
		};
		return overBudget ? overBudgetOutputs(report, overBudget) : decisionOutputs(report);
	}
}
