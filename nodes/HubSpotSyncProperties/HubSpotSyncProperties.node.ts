import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import {
	authenticationProperty,
	crmObjectTypeProperty,
	credentialDescriptions,
} from '../shared/descriptions';
import { createHubSpotClient, type AuthenticationMethod } from '../shared/transport/client';
import { testProperties, testPropertiesDescription } from './actions/testProperties.operation';
import { pullDescription, pullRecords } from './actions/pull.operation';
import { pushDescription, pushRecords } from './actions/push.operation';
import { ensureOptions, ensureOptionsDescription } from './actions/ensureOptions.operation';
import { archiveDescription, archiveRecords } from './actions/archive.operation';
import { associateDescription, associateRecords } from './actions/associate.operation';
import { getProperties } from '../shared/methods/properties';

export class HubSpotSyncProperties implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'HubSpot Sync Properties',
		name: 'hubSpotSyncProperties',
		icon: {
			light: 'file:../../icons/sync-properties.svg',
			dark: 'file:../../icons/sync-properties.dark.svg',
		},
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["objectType"]}}',
		description: 'Check, pull and push HubSpot contact and company properties',
		defaults: { name: 'HubSpot Sync Properties' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Results', 'Summary'],
		// An agent can read records (Pull), check properties and write records by id or email.
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
						name: 'Associate',
						value: 'associate',
						action: 'Associate records',
						description:
							'Give records a primary (or ordinary) company association, 100 per call, then pass the items on',
					},
					{
						name: 'Delete (Archive)',
						value: 'archive',
						action: 'Delete records',
						description:
							'Archive records by HubSpot ID, 100 per call (restorable in HubSpot for 90 days)',
					},
					{
						name: 'Ensure Property Options',
						value: 'ensureOptions',
						action: 'Ensure property options',
						description:
							'Add the incoming values (e.g. card tags) as options of a multi-checkbox property, then pass the items on',
					},
					{
						name: 'Pull',
						value: 'pull',
						action: 'Pull records',
						description:
							'Read every record, or those changed since a cursor, with the chosen properties',
					},
					{
						name: 'Push',
						value: 'push',
						action: 'Push records',
						description:
							'Create or update contacts or companies from input items, matched by email or domain',
					},
					{
						name: 'Test Properties',
						value: 'testProperties',
						action: 'Test that properties exist',
						description: 'Check that property names exist in HubSpot, without writing anything',
					},
				],
				default: 'testProperties',
			},
			crmObjectTypeProperty,
			...testPropertiesDescription,
			...pullDescription,
			...pushDescription,
			...ensureOptionsDescription,
			...archiveDescription,
			...associateDescription,
		],
	};

	methods = { loadOptions: { getProperties } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const authentication = this.getNodeParameter('authentication', 0) as AuthenticationMethod;
		const client = await createHubSpotClient(this, authentication);
		const operation = this.getNodeParameter('operation', 0);
		if (operation === 'pull') return await pullRecords.call(this, client);
		if (operation === 'push') return await pushRecords.call(this, client, items);
		if (operation === 'ensureOptions') return await ensureOptions.call(this, client, items);
		if (operation === 'archive') return await archiveRecords.call(this, client, items);
		if (operation === 'associate') return await associateRecords.call(this, client, items);
		return [await testProperties.call(this, client, items), []];
	}
}
