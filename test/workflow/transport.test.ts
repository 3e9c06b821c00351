/**
 * The transport inside n8n's real request helpers (n8n-core), against nock: retries, pacing,
 * classification of HubSpot's real error bodies, and OAuth2 token refresh by n8n.
 */
import nock from 'nock';

import { DEFAULT_SERVICE_KEY } from '../hubspot-emulator';
import { startEmulator, type RunningEmulator } from '../support/emulator';
import { probeWorkflow, runWorkflow } from '../support/workflow-harness';

const BASE = 'https://hubspot.test';
const KEY = 'test-service-key-abc';
const serviceKey = { hubSpotSyncServiceKeyApi: { accessToken: KEY, baseUrl: BASE } };
const CORRELATION = '7c3b3c1e-0000-4000-8000-000000000001';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

async function probe(request: Parameters<typeof probeWorkflow>[0], credentials: Record<string, any> = serviceKey) {
	const result = await runWorkflow(probeWorkflow(request), credentials);
	const error = result.error('Probe') as (Error & { description?: string; context: Record<string, any> }) | undefined;
	return { result, error, output: result.output('Probe')[0]?.json as any };
}

it('sends the Bearer token and answers the parsed body', async () => {
	const scope = nock(BASE, { reqheaders: { authorization: `Bearer ${KEY}` } })
		.get('/crm/owners/2026-03')
		.reply(200, { results: [{ id: '1' }] }, { 'X-HubSpot-RateLimit-Max': '110', 'X-HubSpot-RateLimit-Remaining': '109', 'X-HubSpot-RateLimit-Interval-Milliseconds': '10000' });
	const { output } = await probe({ method: 'GET', path: '/crm/owners/2026-03' });
	expect(output.answer).toEqual({ results: [{ id: '1' }] });
	expect(output.stats).toEqual({ calls: 1, retries: 0, http429: 0, failures: 0 });
	scope.done();
});

it('retries a 429 TEN_SECONDLY_ROLLING, honouring Retry-After, even for a create', async () => {
	const scope = nock(BASE)
		.post('/crm/objects/2026-03/meetings')
		.reply(429, { status: 'error', message: 'You have reached your ten_secondly_rolling limit.', errorType: 'RATE_LIMIT', correlationId: CORRELATION, policyName: 'TEN_SECONDLY_ROLLING' }, { 'Retry-After': '0' })
		.post('/crm/objects/2026-03/meetings')
		.reply(201, { id: '42', properties: {} });
	const { output } = await probe({ method: 'POST', path: '/crm/objects/2026-03/meetings', body: { properties: {} } });
	expect(output.answer.id).toBe('42');
	expect(output.stats).toMatchObject({ calls: 2, retries: 1, http429: 1 });
	scope.done();
});

it('retries 502/503/504 on a read until it succeeds', async () => {
	const scope = nock(BASE)
		.get('/crm/properties/2026-03/contacts').reply(502, 'Bad Gateway')
		.get('/crm/properties/2026-03/contacts').reply(503, { status: 'error', message: 'Service Unavailable', correlationId: CORRELATION })
		.get('/crm/properties/2026-03/contacts').reply(504, '')
		.get('/crm/properties/2026-03/contacts').reply(200, { results: [] });
	const { output } = await probe({ method: 'GET', path: '/crm/properties/2026-03/contacts' });
	expect(output.stats).toMatchObject({ calls: 4, retries: 3 });
	scope.done();
});

describe('dropped connections (a real TCP reset from the emulator)', () => {
	let hs: RunningEmulator;
	beforeAll(async () => {
		nock.enableNetConnect('127.0.0.1');
		hs = await startEmulator();
	});
	afterAll(async () => {
		await hs.stop();
		nock.disableNetConnect();
	});
	const credentials = () => ({ hubSpotSyncServiceKeyApi: { accessToken: DEFAULT_SERVICE_KEY, baseUrl: hs.url } });

	it('retries a reset connection on a read', async () => {
		hs.emulator.configure({ faults: { script: [{ match: 'GET /crm/owners', reset: 'before' }] } });
		const { output, error } = await probe({ method: 'GET', path: '/crm/owners/2026-03' }, credentials());
		expect(error).toBeUndefined();
		expect(output.stats).toMatchObject({ calls: 2, retries: 1 });
		expect(hs.emulator.stats.resets).toBe(1);
	});

	it('never resends a create after a 502 or a reset: it could duplicate the record', async () => {
		hs.emulator.resetStats();
		const contacts = () => hs.emulator.store.order.get('contacts')!.length;
		const before = contacts();
		hs.emulator.configure({ faults: { script: [{ match: 'POST /crm/objects/2026-03/contacts$', status: 502 }] } });
		const first = await probe({ method: 'POST', path: '/crm/objects/2026-03/contacts', body: { properties: { email: 'a@example.com' } } }, credentials());
		expect(first.error?.context.hubspot).toMatchObject({ code: 'UNAVAILABLE', httpStatus: 502, attempts: 1 });
		expect(first.error?.context.stats).toMatchObject({ calls: 1, retries: 0 });
		// The hard case: HubSpot created the record, then the connection dropped before the answer.
		hs.emulator.configure({ faults: { script: [{ match: 'POST /crm/objects/2026-03/contacts$', reset: 'after' }] } });
		const second = await probe({ method: 'POST', path: '/crm/objects/2026-03/contacts', body: { properties: { email: 'b@example.com' } } }, credentials());
		expect(second.error?.context.hubspot).toMatchObject({ code: 'UNAVAILABLE', attempts: 1 });
		expect(second.error?.context.hubspot.networkCode).toMatch(/ECONNRESET|EPIPE/);
		expect(contacts()).toBe(before + 1);
	});
});

it('gives up after the configured number of tries, saying how many were made', async () => {
	nock(BASE).get('/crm/owners/2026-03').times(8).reply(503, { status: 'error', message: 'down', correlationId: CORRELATION });
	const { error } = await probe({ method: 'GET', path: '/crm/owners/2026-03' });
	expect(error?.message).toBe('HubSpot is temporarily unavailable (after 8 tries) (UNAVAILABLE)');
	expect(error?.context.hubspot).toMatchObject({ code: 'UNAVAILABLE', attempts: 8, correlationId: CORRELATION });
});

it('stops at a DAILY 429 without retrying', async () => {
	nock(BASE).get('/crm/owners/2026-03').reply(429, { status: 'error', message: 'You have reached your daily limit.', errorType: 'RATE_LIMIT', correlationId: CORRELATION, policyName: 'DAILY' });
	const { error } = await probe({ method: 'GET', path: '/crm/owners/2026-03' });
	expect(error?.context.hubspot).toMatchObject({ code: 'RATE_LIMITED', policyName: 'DAILY', attempts: 1 });
	expect(error?.description).toContain('daily API allowance');
});

describe('classifies HubSpot error bodies', () => {
	const cases: Array<[string, number, Record<string, unknown>, Record<string, unknown>]> = [
		['401 EXPIRED_AUTHENTICATION', 401, { status: 'error', message: 'The OAuth token used to make this call expired 2 second(s) ago.', correlationId: CORRELATION, category: 'EXPIRED_AUTHENTICATION' }, { code: 'AUTH_INVALID', hubspotCategory: 'EXPIRED_AUTHENTICATION' }],
		['401 INVALID_AUTHENTICATION', 401, { status: 'error', message: 'Authentication credentials not found.', correlationId: CORRELATION, category: 'INVALID_AUTHENTICATION' }, { code: 'AUTH_INVALID', hubspotCategory: 'INVALID_AUTHENTICATION' }],
		['403 MISSING_SCOPES', 403, { status: 'error', message: "This app hasn't been granted all required scopes to make this call.", correlationId: CORRELATION, category: 'MISSING_SCOPES', errors: [{ message: 'One or more of the following scopes are required.', context: { requiredGranularScopes: ['crm.objects.deals.read', 'crm.schemas.deals.write'] } }] }, { code: 'SCOPES_MISSING', requiredScopes: ['crm.objects.deals.read', 'crm.schemas.deals.write'] }],
		['404', 404, { status: 'error', message: 'Object not found.  objectId are usually numeric.', correlationId: CORRELATION, category: 'OBJECT_NOT_FOUND' }, { code: 'NOT_FOUND' }],
		['409 with Existing ID', 409, { status: 'error', message: 'Contact already exists. Existing ID: 5101', correlationId: CORRELATION, category: 'CONFLICT' }, { code: 'CONFLICT', existingId: '5101' }],
		['400 PROPERTY_DOESNT_EXIST', 400, { status: 'error', message: 'Property values were not valid: [{"isValid":false,"message":"Property \\"colour\\" does not exist","error":"PROPERTY_DOESNT_EXIST","name":"colour"}]', correlationId: CORRELATION, category: 'VALIDATION_ERROR' }, { code: 'VALIDATION', hubspotCategory: 'VALIDATION_ERROR' }],
	];
	it.each(cases)('%s', async (_name, status, body, expected) => {
		// On a 401, n8n itself re-authenticates and resends once before the error reaches us.
		nock(BASE).patch('/crm/objects/2026-03/contacts/1').times(status === 401 ? 2 : 1).reply(status, body);
		const { error } = await probe({ method: 'PATCH', path: '/crm/objects/2026-03/contacts/1', body: { properties: { colour: 'x' } } });
		expect(error?.context.hubspot).toMatchObject({ ...expected, httpStatus: status, correlationId: CORRELATION, attempts: 1 });
		expect(error?.description).toContain(CORRELATION);
		if (body.message) expect(error?.description).toContain(String(body.message).slice(0, 30));
		expect(JSON.stringify(error)).not.toContain(KEY);
	});
});

/** An OAuth2 credential as n8n stores it once connected, with an access token HubSpot will call expired. */
function oauthCredentials(refreshToken: string) {
	return {
		hubSpotSyncOAuth2Api: {
			baseUrl: BASE,
			clientId: 'client-1',
			clientSecret: 'secret-1',
			accessTokenUrl: `${BASE}/oauth/2026-03/token`,
			authUrl: `${BASE}/oauth/authorize`,
			authentication: 'body',
			grantType: 'authorizationCode',
			scope: 'oauth',
			oauthTokenData: { access_token: 'old-access', refresh_token: refreshToken, token_type: 'bearer', expires_in: 1800 } as Record<string, unknown>,
		},
	};
}

it('lets n8n refresh an expired OAuth2 access token and resends the request', async () => {
	const credentials = oauthCredentials('refresh-1');
	const scope = nock(BASE)
		.get('/crm/owners/2026-03').matchHeader('authorization', 'Bearer old-access')
		.reply(401, { status: 'error', message: 'The OAuth token used to make this call expired 1 second(s) ago.', correlationId: CORRELATION, category: 'EXPIRED_AUTHENTICATION' })
		.post('/oauth/2026-03/token', (body) => body.grant_type === 'refresh_token' && body.refresh_token === 'refresh-1' && body.client_secret === 'secret-1')
		.reply(200, { token_type: 'bearer', access_token: 'new-access', refresh_token: 'refresh-2', expires_in: 1800 })
		.get('/crm/owners/2026-03').matchHeader('authorization', 'Bearer new-access')
		.reply(200, { results: [{ id: '7' }] });
	const { output, error } = await probe({ method: 'GET', path: '/crm/owners/2026-03', authentication: 'oAuth2' }, credentials);
	expect(error).toBeUndefined();
	expect(output.answer.results[0].id).toBe('7');
	// n8n stored the rotated tokens through the credentials helper.
	expect((credentials.hubSpotSyncOAuth2Api.oauthTokenData as Record<string, unknown>).access_token).toBe('new-access');
	expect((credentials.hubSpotSyncOAuth2Api.oauthTokenData as Record<string, unknown>).refresh_token).toBe('refresh-2');
	scope.done();
});

it('reports a refresh token HubSpot no longer accepts as AUTH_INVALID (reconnect), not as a bad input', async () => {
	const credentials = oauthCredentials('revoked-refresh');
	nock(BASE)
		.get('/crm/owners/2026-03')
		.reply(401, { status: 'error', message: 'The OAuth token used to make this call expired 1 second(s) ago.', correlationId: CORRELATION, category: 'EXPIRED_AUTHENTICATION' })
		.post('/oauth/2026-03/token')
		.reply(400, { status: 'BAD_REFRESH_TOKEN', message: 'missing or unknown refresh token', error: 'invalid_grant', error_description: 'missing or unknown refresh token' });
	const { error } = await probe({ method: 'GET', path: '/crm/owners/2026-03', authentication: 'oAuth2' }, credentials);
	expect(error?.context.hubspot).toMatchObject({ code: 'AUTH_INVALID', hubspotCategory: 'REFRESH_FAILED', attempts: 1 });
	expect(error?.description).toContain('Reconnect');
	expect(JSON.stringify(error)).not.toContain('revoked-refresh');
	expect(JSON.stringify(error)).not.toContain('secret-1');
});
