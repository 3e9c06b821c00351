/**
 * In a real n8n 2.x on Node 24: the packed package installs as a community package, n8n loads
 * every node and credential it declares, and a workflow's call reaches the HubSpot emulator.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { REPO_ROOT } from '../../scripts/n8n-runtime';
import { seedCrm } from '../hubspot-emulator/seed';
import { waitForWebhook } from '../../scripts/n8n-runtime';
import { startE2eEnvironment, type E2eEnvironment } from './n8n-e2e';

jest.setTimeout(600_000);

let env: E2eEnvironment;

beforeAll(async () => {
	env = await startE2eEnvironment([path.join(__dirname, 'workflows/e2e-load-check.json')], {
		serviceKeys: ['emulator-service-key', 'key-without-oauth-scope'],
		tokenScopes: { 'key-without-oauth-scope': ['crm.objects.contacts.read'] },
	});
	seedCrm(env.emulator.store, { customProperties: { contacts: ['favorite_color'] } });
	console.log(`e2e n8n: install ${env.runtime.installSeconds ?? '?'} s (first time), start-up ${env.n8n.startupMs} ms`);
});

afterAll(async () => {
	await env?.teardown();
});

it('loads every node and credential the package declares', async () => {
	const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
	// n8n writes the types it loaded at start-up into its static cache.
	const typesFile = (name: string) => JSON.parse(readFileSync(path.join(env.userFolder, '.cache/n8n/public/types', name), 'utf8')) as Array<{ name: string }>;
	const nodeTypes = typesFile('nodes.json');
	const credentialTypes = typesFile('credentials.json');
	const loadedNodes = nodeTypes.map((type) => type.name).filter((name) => name.startsWith('n8n-nodes-hubspot-sync.'));
	// Each node, plus the "…Tool" variant n8n derives for AI agents from the nodes with `usableAsTool: true` only.
	const expected = (pkg.n8n.nodes as string[]).flatMap((file) => {
		const className = path.basename(file, '.node.js');
		const name = `n8n-nodes-hubspot-sync.${className.charAt(0).toLowerCase()}${className.slice(1)}`;
		const description = new (require(path.join(REPO_ROOT, file))[className])().description;
		return description.usableAsTool === true ? [name, `${name}Tool`] : [name];
	});
	expect(expected).toEqual(expect.arrayContaining(['n8n-nodes-hubspot-sync.hubSpotSyncCreateMeetingTool']));
	expect(expected).not.toContain('n8n-nodes-hubspot-sync.hubSpotSyncVerifyWebhookTool');
	expect(loadedNodes.sort()).toEqual(expected.sort());
	// n8n resolved each node's own icon (icons/ at the package root), served from the package's files.
	const iconUrls = (nodeTypes as Array<{ name: string; iconUrl?: { light: string; dark: string } }>)
		.filter((type) => type.name.startsWith('n8n-nodes-hubspot-sync.') && !type.name.endsWith('Tool'))
		.map((type) => type.iconUrl);
	expect(new Set(iconUrls.map((url) => url?.light)).size).toBe(iconUrls.length);
	for (const url of iconUrls.flatMap((both) => [both!.light, both!.dark])) {
		expect(url).toMatch(/^icons\/n8n-nodes-hubspot-sync\/dist\/icons\/[a-z-]+(\.dark)?\.svg$/);
		expect(existsSync(path.join(REPO_ROOT, url.replace('icons/n8n-nodes-hubspot-sync/', '')))).toBe(true);
	}
	const names = credentialTypes.map((type) => type.name);
	expect(names).toEqual(expect.arrayContaining(['hubSpotSyncOAuth2Api', 'hubSpotSyncServiceKeyApi']));
	const log = readFileSync(env.logFile, 'utf8');
	expect(log).not.toMatch(/Unrecognized node type|unrecognized credential/i);
});

it('runs a workflow whose HubSpot call reaches the emulator', async () => {
	const hook = `${env.n8n.url}/webhook/e2e-load-check`;
	await waitForWebhook(hook);
	env.emulator.resetStats();
	const response = await fetch(hook, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ objectType: 'contacts', names: ['email', 'favorite_colour'] }),
	});
	expect(response.status).toBe(200);
	const rows = await response.json();
	expect(rows).toEqual([
		expect.objectContaining({ name: 'email', exists: true, label: 'Email' }),
		expect.objectContaining({ name: 'favorite_colour', exists: false, suggestions: ['favorite_color'] }),
	]);
	expect(env.emulator.stats.byOperation['GET /crm/properties/2026-03/{objectType}']).toBe(1);
	expect(env.emulator.contract.violations).toEqual([]);
	// n8n stored the execution: read it back through the public API.
	const executions = await env.n8n.api('GET', '/executions?workflowId=e2eLoadCheck0001&includeData=true&limit=1');
	const [execution] = executions.data;
	expect(execution.status).toBe('success');
	const runData = execution.data.resultData.runData['HubSpot Sync Properties'][0];
	expect(runData.data.main[0].map((item: { json: { name: string } }) => item.json.name)).toEqual(['email', 'favorite_colour']);
	expect(runData.data.main[0][1].pairedItem).toEqual({ item: 0 });
});

it('never writes the service key into n8n’s log', () => {
	expect(readFileSync(env.logFile, 'utf8')).not.toContain('emulator-service-key');
});

describe('credential test, as n8n’s "Test" button runs it', () => {
	const test = (accessToken: string, baseUrl = env.emulator.url) =>
		env.n8n.rest('POST', '/credentials/test', {
			credentials: { id: 'e2eServiceKey0001', name: 'probe', type: 'hubSpotSyncServiceKeyApi', data: { accessToken, baseUrl } },
		});

	it('passes with a valid service key', async () => {
		expect(await test('emulator-service-key')).toMatchObject({ status: 'OK' });
	});

	it('says the token was rejected', async () => {
		const answer = await test('not-a-real-key');
		expect(answer.status).toBe('Error');
		expect(answer.message).toContain('HubSpot rejected the token');
	});

	it('says a scope is missing', async () => {
		const answer = await test('key-without-oauth-scope');
		expect(answer.status).toBe('Error');
		expect(answer.message).toContain('lacks a scope');
	});

	// n8n answers a declarative test that got no HTTP answer with the bare error code (its rules
	// match status codes only); the nodes explain the same failure in full (transport/errors.ts).
	// If n8n starts explaining it, this fails, as a sign to revisit the credential's test.
	it('shows only the network code when nothing answers: n8n’s own wording', async () => {
		const answer = await test('emulator-service-key', 'http://127.0.0.1:1');
		expect(answer).toEqual({ status: 'Error', message: 'ECONNREFUSED' });
	});
});

describe('OAuth2 credential against the emulator’s OAuth server', () => {
	const hook = () => `${env.n8n.url}/webhook/e2e-load-check`;
	const post = (body: unknown) => fetch(hook(), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

	it('connects through n8n’s own OAuth2 flow, and a workflow then calls HubSpot with its token', async () => {
		const before = await post({ authentication: 'oAuth2', objectType: 'contacts', names: ['email'] });
		expect(before.status).toBe(500);
		const authUrl: string = await env.n8n.rest('GET', '/oauth2-credential/auth?id=e2eOAuth2Cred0001');
		expect(authUrl.startsWith(`${env.emulator.url}/oauth/authorize?`)).toBe(true);
		expect(new URL(authUrl).searchParams.get('scope')).toBe('oauth crm.schemas.contacts.read crm.schemas.companies.read');
		// The emulator approves at once and sends the browser back to n8n's callback with a code.
		const approval = await fetch(authUrl, { redirect: 'manual' });
		const callback = new URL(approval.headers.get('location')!);
		expect(callback.pathname).toBe('/rest/oauth2-credential/callback');
		expect((await env.n8n.raw('GET', `${callback.pathname}${callback.search}`)).status).toBe(200);
		const saved = await env.n8n.rest('GET', '/credentials/e2eOAuth2Cred0001?includeData=true');
		expect(saved.data.oauthTokenData).toBeTruthy();
		expect(JSON.stringify(saved)).not.toContain('emu-at-');

		env.emulator.resetStats();
		const after = await post({ authentication: 'oAuth2', objectType: 'companies', names: ['domain'] });
		expect(after.status).toBe(200);
		expect(await after.json()).toEqual([expect.objectContaining({ name: 'domain', exists: true })]);
		expect(env.emulator.stats.byStatus['200']).toBe(1);
	});

	it('lets n8n refresh the token when HubSpot says it expired', async () => {
		env.emulator.expireAccessTokens();
		env.emulator.resetStats();
		const answer = await post({ authentication: 'oAuth2', objectType: 'contacts', names: ['email'] });
		expect(answer.status).toBe(200);
		expect(env.emulator.stats.byStatus['401']).toBe(1);
		expect(env.emulator.stats.byStatus['200']).toBe(2);
	});
});
