import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	INode,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';

import {
	classifyNetworkError,
	classifyResponse,
	HubSpotApiError,
	hostOf,
	isCertificateErrorCode,
	isNetworkErrorCode,
	type HubSpotFailure,
	type HubSpotHttpResponse,
} from './errors';
import { isSearchPath } from './paths';
import { RateLimitPacer, type BudgetKind, type BudgetLimits, type Clock } from './pacer';
import { decideRetry, DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry';

export const APP_CREDENTIAL_TYPE = 'hubSpotSyncOAuth2Api';
export const SERVICE_KEY_CREDENTIAL_TYPE = 'hubSpotSyncServiceKeyApi';

/** The node's "Authentication" choice. */
export type AuthenticationMethod = 'oAuth2' | 'serviceKey';

export function credentialTypeOf(authentication: AuthenticationMethod): string {
	return authentication === 'serviceKey' ? SERVICE_KEY_CREDENTIAL_TYPE : APP_CREDENTIAL_TYPE;
}

const DEFAULT_BASE_URL = 'https://api.hubapi.com';

/**
 * What the transport needs from n8n: the node, credentials, and the authenticated request helper.
 */
export type HubSpotContext = IExecuteFunctions | ILoadOptionsFunctions;

export interface HubSpotRequest {
	method: IHttpRequestMethods;
	/** A path from hubspotPaths. */
	path: string;
	qs?: IDataObject;
	body?: IDataObject | IDataObject[];
	/**
	 * Safe to send again after a 5xx or a dropped connection. Defaults to true for GET, PATCH, PUT
	 * and DELETE and for searches and batch reads; a POST that creates must say false (the default).
	 */
	idempotent?: boolean;
	/** Item the request is for, so the error names it. */
	itemIndex?: number;
}

/** Counters a run summary and the history report ("how many tries were made"). */
/** A request's result when some failures are expected: the body, or the failure. */
export type Outcome<T> =
	{ body: T; failure?: undefined } | { body?: undefined; failure: HubSpotFailure };

export interface TransportStats {
	calls: number;
	retries: number;
	http429: number;
	failures: number;
}

export interface HubSpotClientOptions {
	retryPolicy?: RetryPolicy;
	limits?: Partial<Record<BudgetKind, BudgetLimits>>;
	clock?: Clock;
	random?: () => number;
}

const n8nClock: Clock = { now: () => Date.now(), sleep: async (ms) => await sleep(ms) };

/**
 * The single way this package talks to HubSpot. One instance per execution (never module-level:
 * queue mode runs executions on many workers, and state must not leak between them).
 */
export class HubSpotClient {
	readonly stats: TransportStats = { calls: 0, retries: 0, http429: 0, failures: 0 };

	private readonly pacer: RateLimitPacer;

	private readonly retryPolicy: RetryPolicy;

	private readonly clock: Clock;

	private readonly random: () => number;

	constructor(
		private readonly ctx: HubSpotContext,
		readonly credentialType: string,
		readonly baseUrl: string,
		options: HubSpotClientOptions = {},
	) {
		this.clock = options.clock ?? n8nClock;
		this.random = options.random ?? Math.random;
		this.retryPolicy = options.retryPolicy ?? DEFAULT_RETRY_POLICY;
		this.pacer = new RateLimitPacer(this.clock, options.limits);
	}

	get node(): INode {
		return this.ctx.getNode();
	}

	/** Waits on the client's clock (n8n's sleep; a test clock in tests). */
	async pause(ms: number): Promise<void> {
		await this.clock.sleep(ms);
	}

	/**
	 * Sends one request with pacing and retries; answers the parsed body or throws HubSpotApiError.
	 */
	async request<T = IDataObject>(request: HubSpotRequest): Promise<T> {
		const outcome = await this.execute<T>(request);
		if (outcome.failure) throw new HubSpotApiError(this.node, outcome.failure, request.itemIndex);
		return outcome.body;
	}

	/**
	 * Like request, but a failure whose code is `expected` (e.g. NOT_FOUND when looking something up,
	 * CONFLICT when creating what may exist) is answered instead of thrown.
	 */
	async attempt<T = IDataObject>(
		request: HubSpotRequest,
		expected: HubSpotFailure['code'][],
	): Promise<Outcome<T>> {
		const outcome = await this.execute<T>(request);
		if (outcome.failure && !expected.includes(outcome.failure.code)) {
			throw new HubSpotApiError(this.node, outcome.failure, request.itemIndex);
		}
		return outcome;
	}

	/** The pacing and retry loop: the body, or the failure that ended the tries. */
	private async execute<T>(request: HubSpotRequest): Promise<Outcome<T>> {
		const budget: BudgetKind = isSearchPath(request.path) ? 'search' : 'standard';
		const idempotent = request.idempotent ?? isIdempotentByDefault(request);
		for (let attempt = 1; ; attempt++) {
			await this.pacer.acquire(budget);
			this.stats.calls++;
			const outcome = await this.send(request);
			if ('body' in outcome && outcome.statusCode < 300) {
				this.pacer.observe(budget, outcome);
				return { body: outcome.body as T };
			}
			const failure =
				'networkCode' in outcome
					? classifyNetworkError(outcome.networkCode, attempt, hostOf(this.baseUrl))
					: classifyResponse(outcome, attempt);
			if ('headers' in outcome) this.pacer.observe(budget, outcome);
			if (failure.code === 'RATE_LIMITED') this.stats.http429++;
			const decision =
				'final' in outcome
					? { retry: false, delayMs: 0 }
					: decideRetry(failure, attempt, idempotent, this.retryPolicy, this.random);
			if (!decision.retry) {
				this.stats.failures++;
				return { failure };
			}
			this.stats.retries++;
			if (failure.code === 'RATE_LIMITED') this.pacer.rateLimited(budget, decision.delayMs);
			else await this.clock.sleep(decision.delayMs);
		}
	}

	private async send(
		request: HubSpotRequest,
	): Promise<HubSpotHttpResponse | { networkCode: string; final?: true }> {
		const options: IHttpRequestOptions = {
			method: request.method,
			url: `${this.baseUrl}${request.path}`,
			qs: request.qs,
			body: request.body,
			json: true,
			returnFullResponse: true,
			timeout: 60_000,
		};
		if (options.body === undefined) delete options.body;
		if (options.qs === undefined) delete options.qs;
		try {
			const response = (await this.ctx.helpers.httpRequestWithAuthentication.call(
				this.ctx,
				this.credentialType,
				options,
			)) as { statusCode: number; headers: HubSpotHttpResponse['headers']; body: unknown };
			return {
				statusCode: response.statusCode,
				headers: response.headers ?? {},
				body: response.body,
			};
		} catch (error) {
			const reconnect = credentialInvalidOf(error);
			if (reconnect) return reconnect;
			const answered = responseOf(error);
			if (answered) return answered;
			const networkCode = networkCodeOf(error);
			if (networkCode) return { networkCode };
			// A rejected certificate stays rejected: explained at once, not sent again.
			const certificateCode = certificateCodeOf(error);
			if (certificateCode) return { networkCode: certificateCode, final: true };
			// Only the message and code: the raw error holds the request, Authorization header included.
			throw new NodeApiError(this.node, {
				message: error.message,
				code: error.code ?? null,
			} as JsonObject);
		}
	}
}

function isIdempotentByDefault(request: HubSpotRequest): boolean {
	if (request.method !== 'POST') return true;
	return /\/(search|batch\/read)$/.test(request.path);
}

/**
 * n8n wraps HTTP errors (NodeApiError around an Axios-style error); find the HTTP answer inside.
 */
export function responseOf(error: unknown): HubSpotHttpResponse | undefined {
	for (const layer of errorLayers(error)) {
		const response = layer.response as Record<string, unknown> | undefined;
		const status = response?.status ?? response?.statusCode ?? layer.statusCode;
		if (typeof status === 'number' && status >= 300) {
			return {
				statusCode: status,
				headers: (response?.headers as HubSpotHttpResponse['headers']) ?? {},
				body: response?.data ?? response?.body ?? layer.error,
			};
		}
	}
	return undefined;
}

/**
 * n8n could not refresh the OAuth token (revoked access, expired refresh token): the credential
 * must be reconnected. Reported as HubSpot's 401 would be, so it counts toward the pause.
 */
function credentialInvalidOf(error: unknown): HubSpotHttpResponse | undefined {
	for (const layer of errorLayers(error)) {
		const failure = layer.failure as { cause?: string } | undefined;
		if (failure?.cause === 'credential-invalid') {
			return {
				statusCode: 401,
				headers: {},
				body: {
					message: String(layer.message ?? 'The credential needs to be reconnected.'),
					category: 'REFRESH_FAILED',
				},
			};
		}
	}
	return undefined;
}

function networkCodeOf(error: unknown): string | undefined {
	for (const layer of errorLayers(error)) {
		if (isNetworkErrorCode(layer.code)) return layer.code;
		const message = typeof layer.message === 'string' ? layer.message : '';
		const named = message.match(/\b(E[A-Z_]{4,})\b/)?.[1];
		if (isNetworkErrorCode(named)) return named;
		if (/socket hang up/i.test(message)) return 'ECONNRESET';
	}
	return undefined;
}

function certificateCodeOf(error: unknown): string | undefined {
	for (const layer of errorLayers(error)) {
		if (isCertificateErrorCode(layer.code)) return layer.code;
	}
	return undefined;
}

function* errorLayers(error: unknown): Generator<Record<string, unknown>> {
	let layer = error as Record<string, unknown> | undefined;
	for (let depth = 0; layer && typeof layer === 'object' && depth < 6; depth++) {
		yield layer;
		layer = layer.cause as Record<string, unknown> | undefined;
	}
}

/** Builds the client for the credential the node is set to use. */
export async function createHubSpotClient(
	ctx: HubSpotContext,
	authentication: AuthenticationMethod,
	options?: HubSpotClientOptions,
): Promise<HubSpotClient> {
	const credentialType = credentialTypeOf(authentication);
	const credentials = await ctx.getCredentials<{ baseUrl?: string }>(credentialType);
	const baseUrl = (credentials.baseUrl || DEFAULT_BASE_URL).replace(/\/+$/, '');
	return new HubSpotClient(ctx, credentialType, baseUrl, options);
}

export type { HubSpotFailure };
