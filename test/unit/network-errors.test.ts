/**
 * A call that gets no HTTP answer (no DNS, nothing listening, a cut connection, a rejected TLS
 * certificate) must say which host n8n could not reach and where to look, not just "ENOTFOUND".
 * The errors are built in the shapes the transport really meets: an Axios error with `code`, a
 * fetch-style error with only `cause.code`, and n8n's NodeApiError wrapping an Axios error.
 */
import { AxiosError } from 'axios';
import { NodeApiError, type INode } from 'n8n-workflow';

import { HubSpotClient, type HubSpotContext } from '../../nodes/shared/transport/client';
import {
	classifyNetworkError,
	explainFailure,
	explainNetworkError,
	HubSpotApiError,
	hostOf,
} from '../../nodes/shared/transport/errors';
import { DEFAULT_RETRY_POLICY } from '../../nodes/shared/transport/retry';

const node: INode = {
	id: '1',
	name: 'HubSpot Sync Properties',
	type: 'n8n-nodes-hubspot-sync.hubSpotSyncProperties',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

/** A client whose every request fails with `error`, on a clock that does not wait. */
function failingClient(error: unknown, baseUrl = 'https://api.hubapi.com') {
	let calls = 0;
	const ctx = {
		getNode: () => node,
		helpers: {
			httpRequestWithAuthentication: async () => {
				calls++;
				throw error;
			},
		},
	} as unknown as HubSpotContext;
	const client = new HubSpotClient(ctx, 'hubSpotSyncServiceKeyApi', baseUrl, {
		retryPolicy: { ...DEFAULT_RETRY_POLICY, maxAttempts: 3 },
		clock: { now: () => 0, sleep: async () => undefined },
		random: () => 0,
	});
	return { client, calls: () => calls };
}

async function failureOf(error: unknown, baseUrl?: string) {
	const { client, calls } = failingClient(error, baseUrl);
	const thrown = await client.request({ method: 'GET', path: '/crm/owners/2026-03', itemIndex: 2 }).catch((caught) => caught);
	expect(thrown).toBeInstanceOf(HubSpotApiError);
	return { error: thrown as HubSpotApiError, calls: calls() };
}

const axiosError = (code: string, message: string) => new AxiosError(message, code);

describe('through the client, with the shapes n8n hands back', () => {
	it('an Axios error with code ENOTFOUND names the host, the base URL, DNS and the proxy settings', async () => {
		const { error, calls } = await failureOf(axiosError('ENOTFOUND', 'getaddrinfo ENOTFOUND api.hubapi.com'));
		expect(error.message).toBe('n8n could not reach api.hubapi.com (after 2 tries) (UNAVAILABLE)');
		expect(error.description).toContain('The name api.hubapi.com could not be resolved (ENOTFOUND)');
		expect(error.description).toContain('Base URL in the HubSpot credential');
		expect(error.description).toContain('DNS');
		expect(error.description).toContain('HTTP_PROXY');
		expect(error.hubspot).toMatchObject({ code: 'UNAVAILABLE', networkCode: 'ENOTFOUND', host: 'api.hubapi.com', attempts: 2 });
		expect(error.context.itemIndex).toBe(2);
		// A name that does not resolve is tried once more only (maxUnresolvedAttempts), not up to maxAttempts.
		expect(calls).toBe(DEFAULT_RETRY_POLICY.maxUnresolvedAttempts);
	});

	it('n8n’s NodeApiError around an Axios error: the code is found in its cause', async () => {
		const wrapped = new NodeApiError(node, axiosError('ENOTFOUND', 'getaddrinfo ENOTFOUND api.hubapi.com') as never);
		// n8n's own message says nothing of the host or of what to check.
		expect(wrapped.message).not.toContain('api.hubapi.com');
		const { error } = await failureOf(wrapped);
		expect(error.message).toBe('n8n could not reach api.hubapi.com (after 2 tries) (UNAVAILABLE)');
		expect(error.hubspot.networkCode).toBe('ENOTFOUND');
	});

	it('a fetch-style error with only cause.code (ECONNREFUSED) names the custom base URL’s host', async () => {
		const refused = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:4010' } });
		const { error } = await failureOf(refused, 'http://127.0.0.1:4010');
		expect(error.message).toBe('n8n could not reach 127.0.0.1:4010 (after 3 tries) (UNAVAILABLE)');
		expect(error.description).toContain('127.0.0.1:4010 refused the connection (ECONNREFUSED)');
		expect(error.description).toContain('must be running');
	});

	it('a rejected certificate is explained at once, without sending the request again', async () => {
		const wrapped = new NodeApiError(node, axiosError('CERT_HAS_EXPIRED', 'certificate has expired') as never);
		const { error, calls } = await failureOf(wrapped);
		expect(calls).toBe(1);
		expect(error.message).toBe('n8n could not reach api.hubapi.com (UNAVAILABLE)');
		expect(error.description).toContain('TLS certificate of api.hubapi.com was not accepted (CERT_HAS_EXPIRED)');
		expect(error.description).toContain('NODE_EXTRA_CA_CERTS');
	});

	it('an unrecognised error keeps n8n’s message, without the request', async () => {
		const { client } = failingClient(Object.assign(new Error('something odd'), { code: 'EWEIRD', config: { headers: { Authorization: 'Bearer secret' } } }));
		const thrown = await client.request({ method: 'GET', path: '/crm/owners/2026-03' }).catch((caught) => caught);
		expect(thrown).toBeInstanceOf(NodeApiError);
		expect(thrown).not.toBeInstanceOf(HubSpotApiError);
		expect(JSON.stringify(thrown)).not.toContain('Bearer secret');
	});
});

describe('what each network code says', () => {
	it.each([
		['EAI_AGAIN', ['could not be resolved', 'DNS did not answer in time', 'HTTP_PROXY']],
		['ECONNRESET', ['was cut before HubSpot answered', 'run the workflow again', 'proxy or firewall']],
		['ETIMEDOUT', ['did not answer in time (ETIMEDOUT)', 'firewall', 'HTTPS_PROXY', 'Base URL']],
		['SELF_SIGNED_CERT_IN_CHAIN', ['TLS certificate', 'proxy or firewall that inspects HTTPS']],
		['EPROTO', ['secure (TLS) connection', 'plain-HTTP server']],
	])('%s', (code, phrases) => {
		const text = explainNetworkError(code, 'api.hubapi.com');
		for (const phrase of phrases) expect(text).toContain(phrase);
		expect(text).toContain(`(${code}`);
	});

	it('without a known host it still names HubSpot, and keeps the code in the message for the history', () => {
		const { message, description } = explainFailure(classifyNetworkError('ENOTFOUND'));
		expect(message).toBe('n8n could not reach HubSpot (UNAVAILABLE)');
		expect(description).toContain('the HubSpot host');
	});

	it('an HTTP 503 still reads as HubSpot being unavailable', () => {
		expect(explainFailure({ code: 'UNAVAILABLE', httpStatus: 503, attempts: 8 }).message).toBe('HubSpot is temporarily unavailable (after 8 tries) (UNAVAILABLE)');
	});

	it('hostOf keeps the port and refuses what is not a URL', () => {
		expect(hostOf('http://127.0.0.1:4010/crm')).toBe('127.0.0.1:4010');
		expect(hostOf('not a url')).toBeUndefined();
		expect(hostOf(undefined)).toBeUndefined();
	});
});

it('starts each explanation with a capital, even without a known host', () => {
	for (const code of ['ENOTFOUND', 'ECONNREFUSED', 'ETIMEDOUT', 'ECONNRESET', 'CERT_HAS_EXPIRED']) {
		expect(explainNetworkError(code)).toMatch(/^[A-Z]/);
	}
	expect(explainNetworkError('ECONNREFUSED')).toMatch(/^The HubSpot host refused the connection/);
});
