import type { INodeCredentialDescription, INodeProperties } from 'n8n-workflow';

import { APP_CREDENTIAL_TYPE, SERVICE_KEY_CREDENTIAL_TYPE } from './transport/client';

/** Every node of the package accepts either credential; this picks which. */
export const authenticationProperty: INodeProperties = {
	displayName: 'Authentication',
	name: 'authentication',
	type: 'options',
	options: [
		{ name: 'OAuth2', value: 'oAuth2' },
		{ name: 'Service Key or Private App', value: 'serviceKey' },
	],
	default: 'oAuth2',
};

export const credentialDescriptions: INodeCredentialDescription[] = [
	{
		name: APP_CREDENTIAL_TYPE,
		required: true,
		displayOptions: { show: { authentication: ['oAuth2'] } },
	},
	{
		name: SERVICE_KEY_CREDENTIAL_TYPE,
		required: true,
		displayOptions: { show: { authentication: ['serviceKey'] } },
	},
];

/** A HubSpot property of the chosen object type, picked from a list loaded from HubSpot. */
export const hubspotPropertyField = (name: string): INodeProperties => ({
	displayName: 'HubSpot Property Name or ID',
	name,
	type: 'options',
	typeOptions: {
		loadOptionsMethod: 'getProperties',
		loadOptionsDependsOn: ['objectType'],
	},
	default: '',
	description:
		'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
});

export const crmObjectTypeProperty: INodeProperties = {
	displayName: 'Object Type',
	name: 'objectType',
	type: 'options',
	options: [
		{ name: 'Contact', value: 'contacts' },
		{ name: 'Company', value: 'companies' },
		{ name: 'Deal', value: 'deals' },
	],
	default: 'contacts',
	description: 'Which HubSpot object the properties belong to',
};
