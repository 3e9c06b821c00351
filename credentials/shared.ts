import type { ICredentialTestRequest, INodeProperties } from 'n8n-workflow';

import { HUBSPOT_API_BASE_URL } from './scopes';

/** Both credentials can point at another host so that tests, demos and sandboxes run offline. */
export const baseUrlProperty: INodeProperties = {
	displayName: 'Base URL (only for a local emulator or proxy)',
	name: 'baseUrl',
	type: 'string',
	default: HUBSPOT_API_BASE_URL,
	description:
		'Leave as https://api.hubapi.com for real HubSpot accounts. Change it only to point at this package’s HubSpot emulator or a proxy, e.g. http://127.0.0.1:4010.',
};

/** What the credential test says, in the user's words, when the cheap account call fails. */
export const credentialTestRules: ICredentialTestRequest['rules'] = [
	{
		type: 'responseCode',
		properties: {
			value: 401,
			message:
				'HubSpot rejected the token (invalid, expired or revoked). Reconnect the OAuth credential, or paste a new service key.',
		},
	},
	{
		type: 'responseCode',
		properties: {
			value: 403,
			message:
				'The token works but lacks a scope this check needs ("oauth"). Add the scopes listed in the package README to your app or service key, then reconnect.',
		},
	},
	{
		type: 'responseCode',
		properties: {
			value: 429,
			message:
				'HubSpot rate limit reached while testing the credential. Wait a few seconds and test again.',
		},
	},
];
