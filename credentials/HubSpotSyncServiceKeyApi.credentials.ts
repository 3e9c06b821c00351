import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { HUBSPOT_API_BASE_URL } from './scopes';
import { baseUrlProperty, credentialTestRules } from './shared';

/**
 * A static Bearer token: a HubSpot service key or a legacy private-app access token.
 * For self-hosters who would rather not register an OAuth app.
 */
export class HubSpotSyncServiceKeyApi implements ICredentialType {
	name = 'hubSpotSyncServiceKeyApi';

	// Beside n8n's own "HubSpot Service Key" in the credential list: the name says which nodes it is
	// for.
	displayName = 'HubSpot Service Key for Sync Nodes API';

	icon: Icon = { light: 'file:../icons/hubspot.svg', dark: 'file:../icons/hubspot.dark.svg' };

	documentationUrl = 'https://developers.hubspot.com/docs/apps/legacy-apps/private-apps/overview';

	properties: INodeProperties[] = [
		{
			displayName:
				'For the HubSpot Sync nodes of this package (n8n’s own HubSpot node uses its “HubSpot Service Key” credential instead)',
			name: 'credentialNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Service Key or Private App Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'In HubSpot: Settings → Integrations → Service keys (or Private apps) → create one with the scopes listed in this package’s README, then copy its token here',
		},
		baseUrlProperty,
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.accessToken}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: `={{ ($credentials.baseUrl || "${HUBSPOT_API_BASE_URL}").replace(/\\/+$/, "") }}`,
			url: '/account-info/2026-03/details',
		},
		rules: credentialTestRules,
	};
}
