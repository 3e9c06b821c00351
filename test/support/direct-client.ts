/**
 * A HubSpotClient outside n8n, for unit tests of logic above the transport (pagination, pull):
 * the n8n request helper is replaced by fetch with the emulator's service key. The transport's
 * behaviour inside n8n's real helpers is covered by the workflow tests.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import { HubSpotClient, type HubSpotClientOptions } from '../../nodes/shared/transport/client';
import { DEFAULT_SERVICE_KEY } from '../hubspot-emulator';

export function directClient(baseUrl: string, options: HubSpotClientOptions = {}): HubSpotClient {
	const context = {
		getNode: () => ({ id: 'test', name: 'test', type: 'test', typeVersion: 1, position: [0, 0], parameters: {} }),
		helpers: {
			httpRequestWithAuthentication: async (_type: string, request: { url: string; method: string; qs?: Record<string, unknown>; body?: unknown }) => {
				const url = new URL(request.url);
				for (const [key, value] of Object.entries(request.qs ?? {})) url.searchParams.set(key, String(value));
				const response = await fetch(url, {
					method: request.method,
					headers: { authorization: `Bearer ${DEFAULT_SERVICE_KEY}`, 'content-type': 'application/json' },
					body: request.body === undefined ? undefined : JSON.stringify(request.body),
				});
				const text = await response.text();
				const body = text ? JSON.parse(text) : undefined;
				if (response.status >= 400) throw Object.assign(new Error(String(response.status)), { response: { status: response.status, headers: Object.fromEntries(response.headers), data: body } });
				return { statusCode: response.status, headers: Object.fromEntries(response.headers), body };
			},
		},
	} as unknown as IExecuteFunctions;
	return new HubSpotClient(context, 'hubSpotSyncServiceKeyApi', baseUrl, options);
}

/** Budgets far above the emulator's, for logic tests that should not wait on pacing. */
export const UNPACED = { limits: { standard: { max: 100_000, windowMs: 1_000 }, search: { max: 100_000, windowMs: 1_000 } } };
