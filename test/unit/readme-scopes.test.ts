import { readFileSync } from 'node:fs';
import path from 'node:path';

import { DEFAULT_SCOPES, DEFAULT_SCOPE_STRING } from '../../credentials/scopes';
import { HubSpotSyncOAuth2Api } from '../../credentials/HubSpotSyncOAuth2Api.credentials';

it('documents in the README exactly the scopes the OAuth2 credential asks for', () => {
	const readme = readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
	const section = readme.slice(readme.indexOf('### Scopes'), readme.indexOf('## Operations'));
	const documented = [...section.matchAll(/^\| `([a-z.\-_]+)` \|/gm)].map((match) => match[1]);
	expect(documented).toEqual(DEFAULT_SCOPES.map((entry) => entry.scope));
});

it('always asks for the oauth scope', () => {
	const scope = new HubSpotSyncOAuth2Api().properties.find((property) => property.name === 'scope');
	expect(String(scope?.default).split(' ')).toContain('oauth');
	expect(scope?.default).toBe(DEFAULT_SCOPE_STRING);
});
