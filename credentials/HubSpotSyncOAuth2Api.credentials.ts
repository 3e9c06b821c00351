import type { ICredentialTestRequest, ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

import { DEFAULT_SCOPE_STRING, HUBSPOT_API_BASE_URL } from './scopes';
import { baseUrlProperty, credentialTestRules } from './shared';

/**
 * OAuth2 connection to a HubSpot account (public or private app with OAuth).
 * n8n refreshes the 30-minute access tokens and stores rotated refresh tokens itself,
 * which is why every request of this package goes through httpRequestWithAuthentication.
 *
 * The OAuth URLs follow the base URL: on HubSpot they are app.hubspot.com and the
 * date-versioned token endpoint; on a custom host (the local emulator, a proxy) they are
 * served by that host, so the whole OAuth dance can be tested offline.
 */
export class HubSpotSyncOAuth2Api implements ICredentialType {
	name = 'hubSpotSyncOAuth2Api';

	extends = ['oAuth2Api'];

	// n8n's own HubSpot node has "HubSpot OAuth2 API"; this name must not be mistaken for it. The
	// editor also builds its redirect hint from the displayName minus "OAuth2"/"API" ("In HubSpot App
	// for Sync Nodes, use the URL above…"), so the words left must name where the URL goes: the app.
	displayName = 'HubSpot App for Sync Nodes OAuth2 API';

	icon: Icon = { light: 'file:../icons/hubspot.svg', dark: 'file:../icons/hubspot.dark.svg' };

	documentationUrl =
		'https://developers.hubspot.com/docs/apps/legacy-apps/authentication/working-with-oauth';

	properties: INodeProperties[] = [
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'hidden',
			default: 'authorizationCode',
		},
		{
			displayName:
				'For the HubSpot Sync nodes of this package (n8n’s own HubSpot node uses its “HubSpot OAuth2 API” credential instead). In HubSpot, open your app’s Auth settings and add the OAuth Redirect URL shown above as a redirect URL, then copy the app’s client ID and client secret here.',
			name: 'credentialNotice',
			type: 'notice',
			default: '',
		},
		baseUrlProperty,
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'hidden',
			default: `={{ !$self["baseUrl"] || $self["baseUrl"].replace(/\\/+$/, "") === "${HUBSPOT_API_BASE_URL}" ? "https://app.hubspot.com/oauth/authorize" : $self["baseUrl"].replace(/\\/+$/, "") + "/oauth/authorize" }}`,
			required: true,
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default: `={{ ($self["baseUrl"] || "${HUBSPOT_API_BASE_URL}").replace(/\\/+$/, "") + "/oauth/2026-03/token" }}`,
			required: true,
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'string',
			default: DEFAULT_SCOPE_STRING,
			description:
				'Space-separated HubSpot scopes. The default covers every node of this package; "oauth" must stay in the list. The package README lists which node needs which scope.',
		},
		{
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'hidden',
			default: '',
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'hidden',
			default: 'body',
		},
	];

	test: ICredentialTestRequest = {
		request: {
			baseURL: `={{ ($credentials.baseUrl || "${HUBSPOT_API_BASE_URL}").replace(/\\/+$/, "") }}`,
			url: '/account-info/2026-03/details',
		},
		rules: credentialTestRules,
	};
}
