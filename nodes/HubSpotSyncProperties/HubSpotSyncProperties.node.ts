import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import {
	authenticationProperty,
	contactOrCompanyProperty,
	credentialDescriptions,
} from '../shared/descriptions';
import { createHubSpotClient, type AuthenticationMethod } from '../shared/transport/client';
import { testProperties, testPropertiesDescription } from './actions/testProperties.operation';
import { getProperties } from './methods/loadOptions';

export class HubSpotSyncProperties implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'HubSpot Sync Properties',
		name: 'hubSpotSyncProperties',
		icon: { light: 'file:hubspot.svg', dark: 'file:hubspot.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["objectType"]}}',
		description: 'Check, pull and push HubSpot contact and company properties',
		defaults: { name: 'HubSpot Sync Properties' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
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
						name: 'Test Properties',
						value: 'testProperties',
						action: 'Test that properties exist',
						description: 'Check that property names exist in HubSpot, without writing anything',
					},
				],
				default: 'testProperties',
			},
			contactOrCompanyProperty,
			...testPropertiesDescription,
		],
	};

	methods = { loadOptions: { getProperties } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const authentication = this.getNodeParameter('authentication', 0) as AuthenticationMethod;
		const client = await createHubSpotClient(this, authentication);
		return [await testProperties.call(this, client, items)];
	}
}
