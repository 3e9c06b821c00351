/**
 * Our credentials sit in n8n's credential list beside n8n's own HubSpot credentials, so their names
 * must tell them apart; and n8n's OAuth redirect hint is built from the displayName, so what is left
 * of it must name where the redirect URL goes (the HubSpot app), not this package.
 */
import { HubSpotSyncOAuth2Api } from '../../credentials/HubSpotSyncOAuth2Api.credentials';
import { HubSpotSyncServiceKeyApi } from '../../credentials/HubSpotSyncServiceKeyApi.credentials';

/** The displayNames of n8n-nodes-base's HubSpot credentials (HubspotApi, HubspotAppToken, HubspotDeveloperApi, HubspotOAuth2Api). */
const N8N_HUBSPOT_CREDENTIALS = ['HubSpot API', 'HubSpot Service Key', 'HubSpot Developer API', 'HubSpot OAuth2 API'];

/**
 * The editor's hint under the OAuth Redirect URL (n8n-editor-ui: getAppNameFromCredType, and the
 * text "credentialEdit.credentialConfig.subtitle"): the displayName without the words API, OAuth1,
 * OAuth2 and MCP.
 */
function n8nRedirectHint(displayName: string): string {
	const appName = displayName
		.split(' ')
		.filter((word) => !['API', 'OAuth1', 'OAuth2', 'MCP'].includes(word))
		.join(' ');
	return `In ${appName}, use the URL above when prompted to enter an OAuth callback or redirect URL`;
}

const oauth2 = new HubSpotSyncOAuth2Api();
const serviceKey = new HubSpotSyncServiceKeyApi();

it('keeps the credential type names that saved workflows refer to', () => {
	expect(oauth2.name).toBe('hubSpotSyncOAuth2Api');
	expect(serviceKey.name).toBe('hubSpotSyncServiceKeyApi');
});

it('names both credentials differently from n8n’s own HubSpot credentials, and says which nodes they are for', () => {
	for (const credential of [oauth2, serviceKey]) {
		expect(N8N_HUBSPOT_CREDENTIALS).not.toContain(credential.displayName);
		for (const theirs of N8N_HUBSPOT_CREDENTIALS) expect(credential.displayName.toLowerCase()).not.toBe(theirs.toLowerCase());
		expect(credential.displayName).toContain('for Sync Nodes');
	}
	expect(oauth2.displayName).toBe('HubSpot App for Sync Nodes OAuth2 API');
	expect(serviceKey.displayName).toBe('HubSpot Service Key for Sync Nodes API');
});

it('leaves an OAuth redirect hint that names the HubSpot app, not “HubSpot Sync”', () => {
	const hint = n8nRedirectHint(oauth2.displayName);
	expect(hint).toBe('In HubSpot App for Sync Nodes, use the URL above when prompted to enter an OAuth callback or redirect URL');
	expect(hint).not.toContain('HubSpot Sync');
	// The old name gave "In HubSpot Sync, use the URL above…": this check would have caught it.
	expect(n8nRedirectHint('HubSpot Sync OAuth2 API')).toContain('HubSpot Sync,');
});

it('tells, at the top of each credential, which nodes it serves and which n8n credential it is not', () => {
	const [oauthNotice] = oauth2.properties.filter((property) => property.type === 'notice');
	expect(oauthNotice.displayName).toContain('HubSpot Sync nodes');
	expect(oauthNotice.displayName).toContain('“HubSpot OAuth2 API”');
	expect(oauthNotice.displayName).toContain('Auth settings');
	expect(serviceKey.properties[0].type).toBe('notice');
	expect(serviceKey.properties[0].displayName).toContain('“HubSpot Service Key”');
});
