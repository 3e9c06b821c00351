/**
 * A local HubSpot for tests, benchmarks and the demo: stateful, rate-limited like HubSpot,
 * with fault injection, and held to HubSpot's OpenAPI specs on every request and response.
 * Binds to 127.0.0.1 only.
 */
import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

import { OpenApiContract, type Operation } from './contract';
import { compileFilter, compileQuery, idCeilingOf, idFloorOf, KNOWN_OPERATORS, parseSort, QUERY_MAX_LENGTH, QUERY_PROPERTIES, type Filter } from './search';
import {
	CrmStore,
	LAST_MODIFIED,
	makePropertyDef,
	OBJECT_TYPE_IDS,
	type ObjectType,
	type StoredRecord,
} from './store';

export interface RateLimits {
	/** Requests per rolling window, per token (HubSpot: 110 per 10 s for OAuth apps). */
	standard: { max: number; windowMs: number };
	/** Search: 5 requests per second per account. */
	search: { max: number; windowMs: number };
	daily: number;
}

export interface FaultConfig {
	/** Share of requests answered with one of `errorStatuses`. */
	errorRate: number;
	errorStatuses: number[];
	/** Share of connections destroyed before any processing. */
	resetRate: number;
	/** Share of connections destroyed after the request was processed (the answer is lost). */
	resetAfterRate: number;
	/** Share of requests answered 429 TEN_SECONDLY_ROLLING regardless of the real budget. */
	rateLimitRate: number;
	/** Of the injected 429s, the share that carries Retry-After. */
	retryAfterShare: number;
	/** Share of requests answered 401 EXPIRED_AUTHENTICATION. */
	expiredTokenRate: number;
	slowRate: number;
	slowMs: number;
	/** Only requests whose path matches this regular expression get random faults. */
	pathPattern?: string;
	/** One-shot faults, consumed in order by the first matching requests. */
	script: ScriptedFault[];
}

export interface ScriptedFault {
	/** Regular expression on "METHOD /path". */
	match?: string;
	status?: number;
	body?: Record<string, unknown>;
	headers?: Record<string, string>;
	/** Destroy the connection before processing, or after processing (answer lost). */
	reset?: 'before' | 'after';
	delayMs?: number;
}

export interface EmulatorOptions {
	port?: number;
	/**
	 * Serve HTTPS under HubSpot's own host name (benchmarks route n8n's built-in HubSpot node, whose
	 * host is fixed to api.hubapi.com, here): a throwaway certificate for `hostname`; `url` then
	 * names that host, which the caller resolves to 127.0.0.1 for its n8n process only.
	 */
	tls?: { key: string; cert: string; hostname: string };
	latencyMs?: number;
	limits?: Partial<RateLimits>;
	/**
	 * On a contract violation, answer as HubSpot would instead of only recording it: a request outside
	 * the spec gets HubSpot's 400 VALIDATION_ERROR, a response of the emulator's own outside the spec a
	 * 500 EMULATOR_BUG. Either way the violation is recorded (`contract.violations`).
	 */
	strictContract?: boolean;
	serviceKeys?: string[];
	oauthClients?: Array<{ clientId: string; clientSecret: string }>;
	accessTokenTtlSeconds?: number;
	faults?: Partial<FaultConfig>;
	seed?: number;
	portalId?: number;
	/** Token → granted scopes; a token not listed has every scope. */
	tokenScopes?: Record<string, string[]>;
	/**
	 * What a unique-value property on meetings does. HubSpot documents unique values for contacts,
	 * companies, deals, tickets and custom objects, not for meetings, so by default the emulator
	 * plays the pessimistic case: `refuse` (creating one answers 400). `ignore`: created, answered
	 * with hasUniqueValue false, never enforced. `enforce`: kept unique (409) as on contacts.
	 */
	meetingUniqueValues?: MeetingUniqueValues;
	/**
	 * Whether batch write results carry the input's `objectWriteTraceId`. HubSpot's spec declares the
	 * field on the inputs and on the result schemas of batch create, update and upsert (optional:
	 * SimplePublicObject, SimplePublicUpsertObject). Its docs describe the trace id only for batch
	 * create's multi-status answers, so that results echo it is unverified: `omit` (the default) plays
	 * the pessimistic case (no trace ids, and the results in reverse input order, since HubSpot does not
	 * promise their order either); `echo`: each result carries its input's trace id, in input order.
	 * Push is tested under both.
	 */
	batchTraceIds?: BatchTraceIds;
	/**
	 * How long after a create, update or archive search shows it (ms). HubSpot's search answers from
	 * an index that trails writes by seconds (public reports: "Search API delay after insert", "the
	 * Search API is eventually consistent"; undocumented by HubSpot), while reads by id or email, batch
	 * reads and the list are consistent at once. With a lag, search shows a record as it was before its
	 * last write until that write is `searchIndexLagMs` old: a new record is missing, an updated one
	 * has its old values, an archived one is still found. Default 0, not the pessimistic case: with a
	 * lag, every test that writes and then searches would have to sleep, and the benchmarks would
	 * measure sleeps; the tests of behaviour under lag set it themselves.
	 */
	searchIndexLagMs?: number;
	/**
	 * The order of the list endpoint (`GET /crm/objects/2026-03/{type}`). HubSpot documents `after` only
	 * as an opaque paging cursor, not an order, so ascending ids are unverified. `ascending` (default):
	 * by id, the order the full pull's meeting in the middle is fast for, so speed figures measure that
	 * path; the pull is correct under either and tested under both. `unordered`: even ids ascending,
	 * then odd ids ascending; every page is ascending, the whole is not (a list read shard by shard
	 * would look so), so a client that trusts ascending pages misses records.
	 */
	listOrder?: ListOrder;
}

export type MeetingUniqueValues = 'refuse' | 'ignore' | 'enforce';

export type BatchTraceIds = 'echo' | 'omit';

export type ListOrder = 'ascending' | 'unordered';

/** Object types on which HubSpot documents unique-value properties. */
const UNIQUE_VALUE_TYPES = new Set(['contacts', 'companies', 'deals', 'tickets']);

export interface EmulatorStats {
	requests: number;
	byOperation: Record<string, number>;
	byStatus: Record<string, number>;
	http429: number;
	injectedFaults: number;
	resets: number;
	/**
	 * Searches whose sorts HubSpot would not read (a string instead of `{ propertyName, direction }`):
	 * answered in the default order, as HubSpot plausibly does, and counted here so a test can see them.
	 */
	ignoredSorts: { count: number; examples: unknown[] };
}

/** How many ignored sorts the stats keep as examples. */
const IGNORED_SORT_EXAMPLES = 20;

const DEFAULT_LIMITS: RateLimits = {
	standard: { max: 110, windowMs: 10_000 },
	search: { max: 5, windowMs: 1_000 },
	daily: 1_000_000,
};

const NO_FAULTS: FaultConfig = {
	errorRate: 0,
	errorStatuses: [502, 503, 504],
	resetRate: 0,
	resetAfterRate: 0,
	rateLimitRate: 0,
	retryAfterShare: 0.5,
	expiredTokenRate: 0,
	slowRate: 0,
	slowMs: 0,
	script: [],
};

export const DEFAULT_SERVICE_KEY = 'emulator-service-key';
export const DEFAULT_OAUTH_CLIENT = { clientId: 'emulator-client-id', clientSecret: 'emulator-client-secret' };

class HttpAnswer {
	constructor(
		readonly status: number,
		readonly body?: unknown,
		readonly headers: Record<string, string> = {},
	) {}
}

const hubspotError = (status: number, category: string, message: string, extra: Record<string, unknown> = {}) =>
	new HttpAnswer(status, { status: 'error', message, correlationId: randomUUID(), category, ...extra });

/** Deterministic randomness for repeatable fault runs. */
function mulberry32(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

type Handler = (match: RegExpMatchArray, req: ParsedRequest) => HttpAnswer | Promise<HttpAnswer>;

interface ParsedRequest {
	method: string;
	path: string;
	query: URLSearchParams;
	body: any;
	token?: string;
	/** X-HubSpot-RateLimit-* headers for this request's answer. */
	limitHeaders?: Record<string, string>;
}

const OBJ = '/crm/(?:v3/objects|objects/2026-03)';
const V = '(?:v3|2026-03)';

/** A batch input's objectWriteTraceId for its result, when the emulator echoes them (`batchTraceIds`). */
function traceOf(input: { objectWriteTraceId?: unknown }, mode: BatchTraceIds): { objectWriteTraceId?: string } {
	return mode === 'echo' && typeof input?.objectWriteTraceId === 'string' ? { objectWriteTraceId: input.objectWriteTraceId } : {};
}

/** Batch results in the order the emulator answers them: input order when it echoes trace ids, else reversed. */
function inAnswerOrder<T>(results: T[], mode: BatchTraceIds): T[] {
	return mode === 'echo' ? results : [...results].reverse();
}

export class HubSpotEmulator {
	readonly store = new CrmStore();

	readonly contract = new OpenApiContract();

	stats: EmulatorStats = HubSpotEmulator.emptyStats();

	limits: RateLimits;

	faults: FaultConfig;

	latencyMs: number;

	strictContract: boolean;

	meetingUniqueValues: MeetingUniqueValues;

	batchTraceIds: BatchTraceIds;

	listOrder: ListOrder;

	private server?: http.Server | https.Server;

	private readonly port: number;

	private readonly tls?: EmulatorOptions['tls'];

	private readonly sockets = new Set<Socket>();

	private random: () => number;

	private readonly serviceKeys: Set<string>;

	private readonly oauthClients: Array<{ clientId: string; clientSecret: string }>;

	private readonly accessTokens = new Map<string, { expiresAt: number; scopes: string[] }>();

	private readonly refreshTokens = new Map<string, { clientId: string; scopes: string[] }>();
	/** Every token handed out, kept after revocation: tests scan n8n's data for them. */
	private readonly issued = new Set<string>();

	private readonly authCodes = new Map<string, { clientId: string; redirectUri: string; scopes: string[] }>();

	private readonly sent = new Map<string, number[]>();

	private readonly dailyCount = new Map<string, number>();

	private readonly routes: Array<{ method: string; regex: RegExp; handler: Handler }> = [];

	accessTokenTtlSeconds: number;

	readonly portalId: number;

	readonly tokenScopes: Record<string, string[]>;

	constructor(options: EmulatorOptions = {}) {
		this.limits = { ...DEFAULT_LIMITS, ...options.limits };
		this.faults = { ...NO_FAULTS, ...options.faults };
		this.latencyMs = options.latencyMs ?? 0;
		this.port = options.port ?? 0;
		this.tls = options.tls;
		this.strictContract = options.strictContract ?? true;
		this.meetingUniqueValues = options.meetingUniqueValues ?? 'refuse';
		this.batchTraceIds = options.batchTraceIds ?? 'omit';
		this.listOrder = options.listOrder ?? 'ascending';
		this.store.searchIndexLagMs = options.searchIndexLagMs ?? 0;
		this.random = mulberry32(options.seed ?? 42);
		this.serviceKeys = new Set(options.serviceKeys ?? [DEFAULT_SERVICE_KEY]);
		this.oauthClients = options.oauthClients ?? [DEFAULT_OAUTH_CLIENT];
		this.accessTokenTtlSeconds = options.accessTokenTtlSeconds ?? 1800;
		this.portalId = options.portalId ?? 12345678;
		this.tokenScopes = options.tokenScopes ?? {};
		this.defineRoutes();
	}

	static emptyStats(): EmulatorStats {
		return { requests: 0, byOperation: {}, byStatus: {}, http429: 0, injectedFaults: 0, resets: 0, ignoredSorts: { count: 0, examples: [] } };
	}

	get url(): string {
		const address = this.server?.address() as AddressInfo | undefined;
		if (!address) throw new Error('Emulator is not listening');
		if (this.tls) return `https://${this.tls.hostname}${address.port === 443 ? '' : `:${address.port}`}`;
		return `http://127.0.0.1:${address.port}`;
	}

	async start(port = this.port): Promise<string> {
		const handler = (req: IncomingMessage, res: ServerResponse) => void this.handle(req, res);
		this.server = this.tls ? https.createServer({ key: this.tls.key, cert: this.tls.cert }, handler) : http.createServer(handler);
		this.server.keepAliveTimeout = 5_000;
		this.server.on('connection', (socket) => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
		await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
		return this.url;
	}

	async stop(): Promise<void> {
		for (const socket of this.sockets) socket.destroy();
		await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
		this.server = undefined;
	}

	configure(patch: { latencyMs?: number; limits?: Partial<RateLimits>; faults?: Partial<FaultConfig>; seed?: number; strictContract?: boolean; accessTokenTtlSeconds?: number; meetingUniqueValues?: MeetingUniqueValues; batchTraceIds?: BatchTraceIds; listOrder?: ListOrder; searchIndexLagMs?: number }): void {
		if (patch.searchIndexLagMs !== undefined) this.store.searchIndexLagMs = patch.searchIndexLagMs;
		if (patch.meetingUniqueValues !== undefined) this.meetingUniqueValues = patch.meetingUniqueValues;
		if (patch.batchTraceIds !== undefined) this.batchTraceIds = patch.batchTraceIds;
		if (patch.listOrder !== undefined) this.listOrder = patch.listOrder;
		if (patch.latencyMs !== undefined) this.latencyMs = patch.latencyMs;
		if (patch.limits) this.limits = { ...this.limits, ...patch.limits };
		if (patch.faults) this.faults = { ...this.faults, ...patch.faults };
		if (patch.seed !== undefined) this.random = mulberry32(patch.seed);
		if (patch.strictContract !== undefined) this.strictContract = patch.strictContract;
		if (patch.accessTokenTtlSeconds !== undefined) this.accessTokenTtlSeconds = patch.accessTokenTtlSeconds;
	}

	resetStats(): void {
		this.stats = HubSpotEmulator.emptyStats();
		this.sent.clear();
	}

	/** Makes every issued access token expired (the next call answers 401 EXPIRED_AUTHENTICATION). */
	expireAccessTokens(): void {
		for (const entry of this.accessTokens.values()) entry.expiresAt = 0;
	}

	/** A service key HubSpot no longer accepts (deleted or rotated): every call with it answers 401. */
	revokeServiceKey(key: string): void {
		this.serviceKeys.delete(key);
	}

	restoreServiceKey(key: string): void {
		this.serviceKeys.add(key);
	}

	revokeRefreshTokens(): void {
		this.refreshTokens.clear();
	}

	/** The secrets of this emulator's accounts: service keys, OAuth client secrets, every token issued. */
	secrets(): Array<{ kind: string; value: string }> {
		return [
			...[...this.serviceKeys].map((value) => ({ kind: 'service key', value })),
			...this.oauthClients.map((client) => ({ kind: 'OAuth client secret', value: client.clientSecret })),
			...[...this.issued].map((value) => ({ kind: value.startsWith('emu-rt-') ? 'refresh token' : 'access token', value })),
		];
	}

	/** Issues an access token directly (tests that do not go through the OAuth dance). */
	issueAccessToken(scopes: string[] = [], ttlSeconds = this.accessTokenTtlSeconds): string {
		const token = `emu-at-${randomUUID()}`;
		this.issued.add(token);
		this.accessTokens.set(token, { expiresAt: Date.now() + ttlSeconds * 1000, scopes });
		return token;
	}

	// ---------------------------------------------------------------- request handling

	private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		const raw = await readBody(req);
		const isAdmin = url.pathname.startsWith('/_emulator');
		if (!isAdmin) this.stats.requests++;
		let parsed: ParsedRequest;
		try {
			parsed = {
				method: req.method ?? 'GET',
				path: url.pathname,
				query: url.searchParams,
				body: parseBody(raw, req.headers['content-type']),
				token: bearerOf(req.headers.authorization),
			};
		} catch {
			return this.send(res, undefined, hubspotError(400, 'VALIDATION_ERROR', 'Invalid input JSON on line 1: the body is not valid JSON'));
		}
		if (isAdmin) return this.send(res, undefined, await this.admin(parsed));

		const operation = this.contract.match(parsed.method, parsed.path);
		const scripted = this.takeScriptedFault(parsed);
		if (scripted?.delayMs) await delay(scripted.delayMs);
		if (scripted?.reset === 'before' || (this.faultApplies(parsed) && this.random() < this.faults.resetRate)) {
			return this.reset(req);
		}
		const answer = await this.answer(parsed, operation, scripted);
		const resetAfter = scripted?.reset === 'after' || (this.faultApplies(parsed) && this.random() < this.faults.resetAfterRate);
		if (this.latencyMs) await delay(this.latencyMs);
		if (this.faultApplies(parsed) && this.random() < this.faults.slowRate) await delay(this.faults.slowMs);
		if (resetAfter) return this.reset(req);
		this.send(res, operation, answer);
	}

	private reset(req: IncomingMessage) {
		this.stats.resets++;
		this.stats.injectedFaults++;
		req.socket.destroy();
	}

	private async answer(req: ParsedRequest, operation: Operation | undefined, scripted?: ScriptedFault): Promise<HttpAnswer> {
		if (scripted?.status) {
			this.stats.injectedFaults++;
			return new HttpAnswer(scripted.status, scripted.body ?? this.faultBody(scripted.status), scripted.headers);
		}
		const route = this.routes.find((r) => r.method === req.method && r.regex.test(req.path));
		if (!route) return hubspotError(404, 'OBJECT_NOT_FOUND', `No route for ${req.method} ${req.path}`);
		const isTokenCall = req.path.startsWith('/oauth/');
		if (!isTokenCall) {
			const denied = this.authenticate(req, operation);
			if (denied) return denied;
			const limited = this.rateLimit(req);
			if (limited) return limited;
			const injected = this.randomFault(req);
			if (injected) return injected;
		}
		if (operation) {
			const mediaType = req.path.startsWith('/oauth/') ? 'application/x-www-form-urlencoded' : 'application/json';
			const errors = this.contract.validateRequest(operation, req.body, mediaType);
			// HubSpot refuses a body outside its spec with a 400 (not retried); the violation stays recorded.
			if (errors.length && this.strictContract) {
				return hubspotError(400, 'VALIDATION_ERROR', `Invalid input for ${OpenApiContract.key(operation)}: ${errors.join('; ')}`, {
					errors: errors.map((message) => ({ message, code: 'INVALID_INPUT', in: 'body' })),
				});
			}
		}
		try {
			const result = await route.handler(req.path.match(route.regex)!, req);
			return new HttpAnswer(result.status, result.body, { ...req.limitHeaders, ...result.headers });
		} catch (error) {
			if (error instanceof HttpAnswer) return error;
			return hubspotError(500, 'INTERNAL_ERROR', `Emulator error: ${(error as Error).message}`);
		}
	}

	private send(res: ServerResponse, operation: Operation | undefined, answer: HttpAnswer): void {
		let { status, body } = answer;
		if (operation && !res.req.url?.startsWith('/_emulator')) {
			const errors = this.contract.validateResponse(operation, status, body);
			// The emulator's own bug, not the caller's: its answer is outside HubSpot's spec.
			if (errors.length && this.strictContract) {
				status = 500;
				body = { status: 'error', message: `Emulator bug: its ${answer.status} answer to ${OpenApiContract.key(operation)} is outside HubSpot's spec: ${errors.join('; ')}`, correlationId: randomUUID(), category: 'EMULATOR_BUG' };
			}
			const key = OpenApiContract.key(operation);
			this.stats.byOperation[key] = (this.stats.byOperation[key] ?? 0) + 1;
		}
		if (!res.req.url?.startsWith('/_emulator')) this.stats.byStatus[status] = (this.stats.byStatus[status] ?? 0) + 1;
		if (status === 429) this.stats.http429++;
		const headers: Record<string, string> = { ...answer.headers };
		if (status === 302) {
			res.writeHead(status, headers);
			res.end();
			return;
		}
		if (body === undefined || status === 204) {
			res.writeHead(status, headers);
			res.end();
			return;
		}
		const text = JSON.stringify(body);
		res.writeHead(status, { 'content-type': 'application/json;charset=utf-8', 'content-length': Buffer.byteLength(text), 'x-hubspot-correlation-id': (body as any)?.correlationId ?? randomUUID(), ...headers });
		res.end(text);
	}

	// ---------------------------------------------------------------- auth, limits, faults

	private authenticate(req: ParsedRequest, operation: Operation | undefined): HttpAnswer | undefined {
		const token = req.token;
		if (!token) return hubspotError(401, 'INVALID_AUTHENTICATION', 'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview');
		let scopes: string[] | undefined;
		if (this.serviceKeys.has(token)) scopes = this.tokenScopes[token];
		else {
			const access = this.accessTokens.get(token);
			if (!access) return hubspotError(401, 'INVALID_AUTHENTICATION', 'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview');
			if (access.expiresAt <= Date.now()) {
				const ago = Math.max(0, Math.round((Date.now() - access.expiresAt) / 1000));
				return hubspotError(401, 'EXPIRED_AUTHENTICATION', `The OAuth token used to make this call expired ${ago} second(s) ago.`);
			}
			scopes = this.tokenScopes[token] ?? (access.scopes.length ? access.scopes : undefined);
		}
		if (scopes && operation) {
			const alternatives = this.requiredScopes(operation);
			if (alternatives.length && !alternatives.some((scope) => scopes!.includes(scope))) {
				return hubspotError(403, 'MISSING_SCOPES', "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.", {
					errors: [{ message: 'One or more of the following scopes are required.', context: { requiredGranularScopes: alternatives.slice(0, 3) } }],
					links: { scopes: 'https://developers.hubspot.com/scopes' },
				});
			}
		}
		return undefined;
	}

	/** The operation's OR-list of scopes, narrowed to the ones that concern its object type. */
	private requiredScopes(operation: Operation): string[] {
		const security = this.contract.securityOf(operation);
		const all = security.flatMap((entry) => Object.values(entry).flat()).filter((scope) => scope !== 'oauth' || security.length === 1);
		return all;
	}

	private rateLimit(req: ParsedRequest): HttpAnswer | undefined {
		const isSearch = req.path.endsWith('/search');
		const kind = isSearch ? 'search' : 'standard';
		const { max, windowMs } = this.limits[kind];
		const key = `${req.token}:${kind}`;
		const now = Date.now();
		const log = (this.sent.get(key) ?? []).filter((at) => at > now - windowMs);
		const daily = (this.dailyCount.get(req.token!) ?? 0) + 1;
		this.dailyCount.set(req.token!, daily);
		if (daily > this.limits.daily) {
			return this.tooMany('DAILY', 'You have reached your daily limit.', { 'X-HubSpot-RateLimit-Daily': String(this.limits.daily), 'X-HubSpot-RateLimit-Daily-Remaining': '0' });
		}
		if (log.length >= max) {
			this.sent.set(key, log);
			const retryAfter = Math.max(1, Math.ceil((log[0] + windowMs - now) / 1000));
			return isSearch
				? this.tooMany('SECONDLY', 'You have reached your secondly limit.', { 'Retry-After': String(retryAfter) })
				: this.tooMany('TEN_SECONDLY_ROLLING', 'You have reached your ten_secondly_rolling limit.', this.limitHeaders(max, windowMs, 0));
		}
		log.push(now);
		this.sent.set(key, log);
		req.limitHeaders = isSearch ? {} : {
			...this.limitHeaders(max, windowMs, max - log.length),
			'X-HubSpot-RateLimit-Daily': String(this.limits.daily),
			'X-HubSpot-RateLimit-Daily-Remaining': String(Math.max(0, this.limits.daily - daily)),
		};
		return undefined;
	}

	private limitHeaders(max: number, windowMs: number, remaining: number): Record<string, string> {
		return {
			'X-HubSpot-RateLimit-Max': String(max),
			'X-HubSpot-RateLimit-Remaining': String(Math.max(0, remaining)),
			'X-HubSpot-RateLimit-Interval-Milliseconds': String(windowMs),
		};
	}

	private tooMany(policyName: string, message: string, headers: Record<string, string>): HttpAnswer {
		return new HttpAnswer(429, { status: 'error', message, errorType: 'RATE_LIMIT', correlationId: randomUUID(), policyName, category: 'RATE_LIMITS' }, headers);
	}

	private faultApplies(req: ParsedRequest): boolean {
		return !this.faults.pathPattern || new RegExp(this.faults.pathPattern).test(req.path);
	}

	private randomFault(req: ParsedRequest): HttpAnswer | undefined {
		if (!this.faultApplies(req)) return undefined;
		const roll = this.random();
		const { errorRate, rateLimitRate, expiredTokenRate } = this.faults;
		if (roll < errorRate) {
			this.stats.injectedFaults++;
			const statuses = this.faults.errorStatuses;
			const status = statuses[Math.floor(this.random() * statuses.length)];
			return new HttpAnswer(status, this.faultBody(status));
		}
		if (roll < errorRate + rateLimitRate) {
			this.stats.injectedFaults++;
			const headers: Record<string, string> = this.random() < this.faults.retryAfterShare ? { 'Retry-After': '1' } : {};
			return this.tooMany('TEN_SECONDLY_ROLLING', 'You have reached your ten_secondly_rolling limit.', headers);
		}
		if (roll < errorRate + rateLimitRate + expiredTokenRate) {
			this.stats.injectedFaults++;
			return hubspotError(401, 'EXPIRED_AUTHENTICATION', 'The OAuth token used to make this call expired 1 second(s) ago.');
		}
		return undefined;
	}

	private faultBody(status: number): Record<string, unknown> {
		if (status === 429) return { status: 'error', message: 'You have reached your ten_secondly_rolling limit.', errorType: 'RATE_LIMIT', correlationId: randomUUID(), policyName: 'TEN_SECONDLY_ROLLING', category: 'RATE_LIMITS' };
		return { status: 'error', message: status >= 500 ? 'Service Unavailable' : `Injected ${status}`, correlationId: randomUUID(), category: status >= 500 ? 'SERVICE_UNAVAILABLE' : 'INJECTED' };
	}

	private takeScriptedFault(req: ParsedRequest): ScriptedFault | undefined {
		const line = `${req.method} ${req.path}`;
		const index = this.faults.script.findIndex((fault) => !fault.match || new RegExp(fault.match).test(line));
		if (index < 0) return undefined;
		return this.faults.script.splice(index, 1)[0];
	}

	// ---------------------------------------------------------------- routes

	private route(method: string, pattern: string, handler: Handler) {
		this.routes.push({ method, regex: new RegExp(`^${pattern}$`), handler });
	}

	private defineRoutes(): void {
		this.route('GET', `${OBJ}/([^/]+)`, (m, r) => this.listObjects(objectTypeOf(m[1]), r));
		this.route('POST', `${OBJ}/([^/]+)`, (m, r) => this.createObject(objectTypeOf(m[1]), r.body, r));
		this.route('POST', `${OBJ}/([^/]+)/batch/read`, (m, r) => this.batchRead(objectTypeOf(m[1]), r.body));
		this.route('POST', `${OBJ}/([^/]+)/batch/create`, (m, r) => this.batchCreate(objectTypeOf(m[1]), r.body, r));
		this.route('POST', `${OBJ}/([^/]+)/batch/update`, (m, r) => this.batchUpdate(objectTypeOf(m[1]), r.body, r));
		this.route('POST', `${OBJ}/([^/]+)/batch/upsert`, (m, r) => this.batchUpsert(objectTypeOf(m[1]), r.body, r));
		this.route('POST', `${OBJ}/([^/]+)/batch/archive`, (m, r) => this.batchArchive(objectTypeOf(m[1]), r.body));
		this.route('POST', `${OBJ}/([^/]+)/search`, (m, r) => this.search(objectTypeOf(m[1]), r.body));
		this.route('GET', `${OBJ}/([^/]+)/([^/]+)`, (m, r) => this.getObject(objectTypeOf(m[1]), m[2], r));
		this.route('PATCH', `${OBJ}/([^/]+)/([^/]+)`, (m, r) => this.updateObject(objectTypeOf(m[1]), m[2], r));
		this.route('DELETE', `${OBJ}/([^/]+)/([^/]+)`, (m) => this.archiveObject(objectTypeOf(m[1]), m[2]));
		this.route('GET', `/crm/(?:v4/objects|objects/2026-03)/([^/]+)/([^/]+)/associations/([^/]+)`, (m, r) => this.readAssociations(objectTypeOf(m[1]), m[2], objectTypeOf(m[3]), r));
		this.route('PUT', `/crm/(?:v4/objects|objects/2026-03)/([^/]+)/([^/]+)/associations/default/([^/]+)/([^/]+)`, (m) => this.associateDefault(objectTypeOf(m[1]), m[2], objectTypeOf(m[3]), m[4]));
		this.route('POST', `/crm/(?:v4/associations|associations/2026-03)/([^/]+)/([^/]+)/batch/read`, (m, r) => this.batchReadAssociations(objectTypeOf(m[1]), objectTypeOf(m[2]), r.body));
		this.route('POST', `/crm/(?:v4/associations|associations/2026-03)/([^/]+)/([^/]+)/batch/create`, (m, r) => this.batchCreateAssociations(objectTypeOf(m[1]), objectTypeOf(m[2]), r.body));

		const PROPS = `/crm/(?:v3/properties|properties/2026-03)/([^/]+)`;
		this.route('GET', PROPS, (m, r) => this.listProperties(objectTypeOf(m[1]), r));
		this.route('POST', PROPS, (m, r) => this.createProperty(objectTypeOf(m[1]), r.body));
		this.route('GET', `${PROPS}/groups`, (m) => this.listGroups(objectTypeOf(m[1])));
		this.route('POST', `${PROPS}/groups`, (m, r) => this.createGroup(objectTypeOf(m[1]), r.body));
		this.route('POST', `${PROPS}/batch/read`, (m, r) => this.batchReadProperties(objectTypeOf(m[1]), r.body));
		this.route('GET', `${PROPS}/([^/]+)`, (m) => this.getProperty(objectTypeOf(m[1]), decodeURIComponent(m[2])));
		this.route('PATCH', `${PROPS}/([^/]+)`, (m, r) => this.updateProperty(objectTypeOf(m[1]), decodeURIComponent(m[2]), r.body));

		const PIPES = `/crm/(?:v3/pipelines|pipelines/2026-03)/([^/]+)`;
		this.route('GET', PIPES, (m) => this.listPipelines(objectTypeOf(m[1])));
		this.route('GET', `${PIPES}/([^/]+)`, (m) => this.getPipeline(m[2]));
		this.route('GET', `${PIPES}/([^/]+)/stages`, (m) => this.listStages(m[2]));

		this.route('GET', `/crm/(?:v3/owners|owners/2026-03)/?`, (_m, r) => this.listOwners(r));
		this.route('GET', `/crm/(?:v3/owners|owners/2026-03)/([^/]+)`, (m) => this.getOwner(m[1]));
		this.route('GET', `/settings/(?:v3/users|users/2026-03)/teams`, () => new HttpAnswer(200, { results: this.store.teams }));
		this.route('GET', `/account-info/${V}/details`, () => this.accountDetails());

		this.route('GET', '/oauth/authorize', (_m, r) => this.authorize(r));
		this.route('POST', '/oauth/(?:v1|v3|2026-03)/token', (_m, r) => this.token(r.body));
	}

	// ---------------------------------------------------------------- objects

	private propertyDefs(type: ObjectType) {
		return this.store.properties.get(type)!;
	}

	/** HubSpot's 400 for writes naming properties that do not exist or are read-only. */
	private checkWritable(type: ObjectType, properties: Record<string, unknown> | undefined): Record<string, string | null> {
		if (!properties || typeof properties !== 'object') throw hubspotError(400, 'VALIDATION_ERROR', 'Invalid input JSON: "properties" is required');
		const defs = this.propertyDefs(type);
		const problems: Array<Record<string, unknown>> = [];
		const clean: Record<string, string | null> = {};
		for (const [name, value] of Object.entries(properties)) {
			const def = defs.get(name);
			if (!def) {
				problems.push({ isValid: false, message: `Property "${name}" does not exist`, error: 'PROPERTY_DOESNT_EXIST', name, localizedErrorMessage: `Property "${name}" does not exist` });
				continue;
			}
			if (def.modificationMetadata.readOnlyValue && name !== 'hs_object_id') {
				problems.push({ isValid: false, message: `"${name}" is a read only property; its value cannot be set.`, error: 'READ_ONLY_VALUE', name });
				continue;
			}
			const text = value === null || value === undefined ? null : String(value);
			if (text !== null && text !== '' && def.type === 'enumeration' && def.options.length && !['dealstage', 'pipeline', 'hubspot_owner_id'].includes(name)) {
				const allowed = def.options.map((o) => o.value);
				const chosen = def.fieldType === 'checkbox' ? text.split(';') : [text];
				const bad = chosen.find((v) => !allowed.includes(v));
				if (bad !== undefined) {
					problems.push({ isValid: false, message: `${bad} was not one of the allowed options: [${allowed.join(', ')}]`, error: 'INVALID_OPTION', name });
					continue;
				}
			}
			if (text !== null && text.length > 65536) {
				problems.push({ isValid: false, message: `${name} is too long (${text.length} characters, at most 65536)`, error: 'INVALID_LENGTH', name });
				continue;
			}
			if (name === 'email' && text && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(text)) {
				problems.push({ isValid: false, message: `Email address ${text} is invalid`, error: 'INVALID_EMAIL', name });
				continue;
			}
			clean[name] = text;
		}
		if (problems.length) {
			throw hubspotError(400, 'VALIDATION_ERROR', `Property values were not valid: ${JSON.stringify(problems)}`, {
				errors: problems.map((p) => ({ message: String(p.message), code: String(p.error), context: { propertyName: [String(p.name)] } })),
			});
		}
		return clean;
	}

	private requestedProperties(query: URLSearchParams): string[] | undefined {
		const listed = query.getAll('properties').flatMap((value) => value.split(',')).filter(Boolean);
		return listed.length ? listed : undefined;
	}

	private viewWithAssociations(type: ObjectType, record: StoredRecord, properties: string[] | undefined, associations: string[]) {
		const view = this.store.view(type, record, properties);
		if (associations.length) {
			const assoc: Record<string, unknown> = {};
			for (const to of associations) {
				const toType = objectTypeOf(to);
				const list = this.store.associationsOf(type, record.id, toType);
				if (list.length) assoc[toType] = { results: list.flatMap((a) => a.types.map((t) => ({ id: a.toObjectId, type: associationLabel(type, toType, t.associationTypeId) }))) };
			}
			if (Object.keys(assoc).length) (view as any).associations = assoc;
		}
		return view;
	}

	private listObjects(type: ObjectType, req: ParsedRequest): HttpAnswer {
		const limit = Math.min(100, Math.max(1, Number(req.query.get('limit') ?? 10)));
		const after = req.query.get('after');
		const properties = this.requestedProperties(req.query);
		const associations = req.query.getAll('associations').flatMap((v) => v.split(',')).filter(Boolean);
		const results: unknown[] = [];
		let lastId: string | undefined;
		let more = false;
		for (const id of this.listIdsAfter(type, after)) {
			const record = this.store.get(type, id);
			if (!record) continue;
			if (results.length === limit) {
				more = true;
				break;
			}
			results.push(this.viewWithAssociations(type, record, properties, associations));
			lastId = record.id;
		}
		const body: Record<string, unknown> = { results };
		if (more && lastId) body.paging = { next: { after: lastId, link: `${this.url}${req.path}?after=${lastId}` } };
		return new HttpAnswer(200, body);
	}

	/** The ids the list answers after the cursor (the last id of the page before), in `listOrder`. */
	private *listIdsAfter(type: ObjectType, after: string | null): Generator<string> {
		const order = this.store.order.get(type)!;
		const from = after ? lowerBound(order, Number(after) + 1) : 0;
		if (this.listOrder === 'ascending') {
			for (let index = from; index < order.length; index++) yield order[index];
			return;
		}
		// Two runs, even ids then odd ids, each ascending; the cursor's parity says which run it is in.
		const firstRun = after ? Math.abs(Number(after) % 2) : 0;
		for (let run = firstRun; run < 2; run++) {
			for (let index = run === firstRun ? from : 0; index < order.length; index++) {
				if (Math.abs(Number(order[index]) % 2) === run) yield order[index];
			}
		}
	}

	/**
	 * A record by id, or by `idProperty`: HubSpot documents idProperty as "a property whose values
	 * are unique for this object", so a property that is not unique is refused (400), never searched.
	 */
	private findRecord(type: ObjectType, id: string, idProperty?: string | null): StoredRecord | undefined {
		if (!idProperty || idProperty === 'hs_object_id') return this.store.get(type, id);
		const def = this.propertyDefs(type).get(idProperty);
		if (!def?.hasUniqueValue) throw hubspotError(400, 'VALIDATION_ERROR', `Property ${idProperty} of ${type} is not a unique identifier: idProperty must name a property with unique values`);
		return this.store.findByProperty(type, idProperty, id);
	}

	private getObject(type: ObjectType, id: string, req: ParsedRequest): HttpAnswer {
		const record = this.findRecord(type, decodeURIComponent(id), req.query.get('idProperty'));
		if (!record) return hubspotError(404, 'OBJECT_NOT_FOUND', 'Object not found.  objectId are usually numeric.');
		const associations = req.query.getAll('associations').flatMap((v) => v.split(',')).filter(Boolean);
		return new HttpAnswer(200, this.viewWithAssociations(type, record, this.requestedProperties(req.query), associations));
	}

	/** HubSpot's 409 for a value already held by another record in a unique-value property. */
	private duplicateCheck(type: ObjectType, properties: Record<string, string | null>, exceptId?: string): void {
		for (const [name, value] of Object.entries(properties)) {
			if (!value || name === 'hs_object_id' || !this.propertyDefs(type).get(name)?.hasUniqueValue) continue;
			const existing = this.store.findByProperty(type, name, value);
			if (!existing || existing.id === exceptId) continue;
			throw hubspotError(409, 'CONFLICT', type === 'contacts' && name === 'email'
				? `Contact already exists. Existing ID: ${existing.id}`
				: `A ${type.replace(/s$/, '')} with the value "${value}" for the unique property "${name}" already exists. Existing ID: ${existing.id}`);
		}
	}

	/** Inline associations on create must name a valid type and an existing record. */
	private validateAssociations(type: ObjectType, associations: unknown): void {
		if (!Array.isArray(associations)) return;
		associations.forEach((association: any) => {
			const toId = String(association?.to?.id ?? '');
			const types: Array<{ associationCategory: string; associationTypeId: number }> = association?.types ?? [];
			const target = ASSOCIATION_TARGETS[types[0]?.associationTypeId];
			if (!target || target.from !== type) throw hubspotError(400, 'VALIDATION_ERROR', `Association type ${types[0]?.associationTypeId} is not valid from ${type}`);
			if (!this.store.get(target.to, toId)) throw hubspotError(400, 'VALIDATION_ERROR', `One or more associations are invalid: ${target.to} ${toId} does not exist`);
		});
	}

	private createObject(type: ObjectType, body: any, req: ParsedRequest): HttpAnswer {
		const properties = this.checkWritable(type, body?.properties);
		this.duplicateCheck(type, properties);
		this.validateAssociations(type, body?.associations);
		const record = this.store.create(type, properties);
		this.bindAssociations(type, record.id, body?.associations);
		return new HttpAnswer(201, this.store.view(type, record, Object.keys(properties)));
	}

	private bindAssociations(type: ObjectType, id: string, associations: unknown): void {
		for (const association of (Array.isArray(associations) ? associations : []) as any[]) {
			for (const spec of association.types ?? []) {
				const target = ASSOCIATION_TARGETS[spec.associationTypeId];
				this.link(type, id, target.to, String(association.to.id), Number(spec.associationTypeId), spec.associationCategory);
			}
		}
	}

	/**
	 * One association, as HubSpot makes it: a primary label (contact → company 1, deal → company 5)
	 * moves the record's primary to the new target, keeping the old one as an ordinary association,
	 * and comes with the ordinary association too. The store derives `associatedcompanyid` from it.
	 */
	private link(type: ObjectType, id: string, toType: ObjectType, toId: string, typeId: number, category = 'HUBSPOT_DEFINED'): void {
		const unlabeled = UNLABELED_TYPE_IDS[typeId];
		if (PRIMARY_TYPE_IDS.has(typeId)) this.store.demotePrimary(type, id, toType, typeId, unlabeled);
		this.store.associate(type, id, toType, toId, typeId, category);
		if (unlabeled) this.store.associate(type, id, toType, toId, unlabeled);
	}

	private updateObject(type: ObjectType, id: string, req: ParsedRequest): HttpAnswer {
		const record = this.findRecord(type, decodeURIComponent(id), req.query.get('idProperty'));
		if (!record) return hubspotError(404, 'OBJECT_NOT_FOUND', 'Object not found.  objectId are usually numeric.');
		const properties = this.checkWritable(type, req.body?.properties);
		this.duplicateCheck(type, properties, record.id);
		this.store.update(type, record, properties);
		return new HttpAnswer(200, this.store.view(type, record, Object.keys(properties)));
	}

	private archiveObject(type: ObjectType, id: string): HttpAnswer {
		this.store.archive(type, id);
		return new HttpAnswer(204);
	}

	/** A batch answer: 207 with the errors when some inputs failed, else `okStatus` (200; 201 for association creates). */
	private batchEnvelope(results: unknown[], errors: unknown[], okStatus = 200): HttpAnswer {
		const now = this.store.iso();
		const body: Record<string, unknown> = { status: 'COMPLETE', results, startedAt: now, completedAt: now };
		if (errors.length) Object.assign(body, { numErrors: errors.length, errors });
		return new HttpAnswer(errors.length ? 207 : okStatus, body);
	}

	private batchError(category: string, message: string, ids: string[]) {
		return { status: 'error', category, message, context: { ids }, errors: [], links: {} };
	}

	private checkBatchSize(inputs: unknown, limit = 100): any[] {
		if (!Array.isArray(inputs)) throw hubspotError(400, 'VALIDATION_ERROR', 'Invalid input JSON: "inputs" is required');
		if (inputs.length > limit) throw hubspotError(400, 'VALIDATION_ERROR', `Batch input must contain at most ${limit} inputs; got ${inputs.length}`);
		return inputs;
	}

	private batchRead(type: ObjectType, body: any): HttpAnswer {
		const inputs = this.checkBatchSize(body?.inputs);
		const results: unknown[] = [];
		const missing: string[] = [];
		for (const input of inputs) {
			const record = this.findRecord(type, String(input.id), body.idProperty);
			if (record) results.push(this.store.view(type, record, body.properties));
			else missing.push(String(input.id));
		}
		return this.batchEnvelope(results, missing.length ? [this.batchError('OBJECT_NOT_FOUND', `Could not get some ${type} objects, they may be deleted or not exist. Check that ids are valid.`, missing)] : []);
	}

	private batchCreate(type: ObjectType, body: any, _req: ParsedRequest): HttpAnswer {
		const inputs = this.checkBatchSize(body?.inputs);
		const checked = inputs.map((input) => {
			const properties = this.checkWritable(type, input.properties);
			this.duplicateCheck(type, properties);
			this.validateAssociations(type, input.associations);
			return { properties, associations: input.associations, trace: traceOf(input, this.batchTraceIds) };
		});
		const results = checked.map(({ properties, associations, trace }) => {
			const record = this.store.create(type, properties);
			this.bindAssociations(type, record.id, associations);
			return { ...this.store.view(type, record, Object.keys(properties)), ...trace };
		});
		return new HttpAnswer(201, { status: 'COMPLETE', results: inAnswerOrder(results, this.batchTraceIds), startedAt: this.store.iso(), completedAt: this.store.iso() });
	}

	private batchUpdate(type: ObjectType, body: any, _req: ParsedRequest): HttpAnswer {
		const inputs = this.checkBatchSize(body?.inputs);
		const missing: string[] = [];
		// HubSpot checks every input before applying any: one bad value refuses the whole batch.
		const checked = inputs.flatMap((input) => {
			const record = this.findRecord(type, String(input.id), input.idProperty);
			if (!record) {
				missing.push(String(input.id));
				return [];
			}
			const properties = this.checkWritable(type, input.properties);
			this.duplicateCheck(type, properties, record.id);
			return [{ input, record, properties }];
		});
		const results = checked.map(({ input, record, properties }) => {
			this.store.update(type, record, properties);
			return { ...this.store.view(type, record, Object.keys(properties)), ...traceOf(input, this.batchTraceIds) };
		});
		return this.batchEnvelope(inAnswerOrder(results, this.batchTraceIds), missing.length ? [this.batchError('OBJECT_NOT_FOUND', `Could not update some ${type} objects, they may be deleted or not exist.`, missing)] : []);
	}

	private batchUpsert(type: ObjectType, body: any, _req: ParsedRequest): HttpAnswer {
		const inputs = this.checkBatchSize(body?.inputs);
		const checked = inputs.map((input) => {
			const idProperty = input.idProperty ?? 'hs_object_id';
			const properties = this.checkWritable(type, input.properties);
			const existing = this.findRecord(type, String(input.id), idProperty);
			if (!existing && idProperty === 'hs_object_id') throw hubspotError(400, 'VALIDATION_ERROR', `Cannot create a ${type} record by hs_object_id ${input.id}: upsert needs a unique idProperty to create`);
			return { input, idProperty, properties, existing };
		});
		const results = checked.map(({ input, idProperty, properties, existing }) => {
			if (existing) {
				this.store.update(type, existing, properties);
				return { ...this.store.view(type, existing, Object.keys(properties)), ...traceOf(input, this.batchTraceIds), new: false };
			}
			const record = this.store.create(type, { ...properties, [idProperty]: String(input.id) });
			return { ...this.store.view(type, record, Object.keys(properties)), ...traceOf(input, this.batchTraceIds), new: true };
		});
		return new HttpAnswer(200, { status: 'COMPLETE', results: inAnswerOrder(results, this.batchTraceIds), startedAt: this.store.iso(), completedAt: this.store.iso() });
	}

	private batchArchive(type: ObjectType, body: any): HttpAnswer {
		for (const input of this.checkBatchSize(body?.inputs)) this.store.archive(type, String(input.id));
		return new HttpAnswer(204);
	}

	private search(type: ObjectType, body: any): HttpAnswer {
		const limit = Math.min(200, Math.max(1, Number(body?.limit ?? 10)));
		const after = Number(body?.after ?? 0);
		if (after + limit > 10_000) {
			return hubspotError(400, 'VALIDATION_ERROR', 'The search endpoints are limited to 10,000 total results for any given query. Attempting to page beyond 10,000 will result in a 400 error.');
		}
		const groups: Array<{ filters: Filter[] }> = body?.filterGroups ?? [];
		if (groups.length > 5) return hubspotError(400, 'VALIDATION_ERROR', `Too many filter groups (${groups.length}); at most 5 are allowed`);
		const defs = this.propertyDefs(type);
		for (const filter of groups.flatMap((group) => group.filters ?? [])) {
			if (!KNOWN_OPERATORS.has(filter.operator)) return hubspotError(400, 'VALIDATION_ERROR', `Invalid operator ${filter.operator}`);
			if (!defs.has(filter.propertyName)) return hubspotError(400, 'VALIDATION_ERROR', `There was a problem with the request: property ${filter.propertyName} does not exist`);
		}
		const sort = this.sortOf(type, body?.sorts);
		const query = this.queryOf(type, body?.query);
		if (query instanceof HttpAnswer) return query;
		const predicates = groups.map((group) => (group.filters ?? []).map((filter) => compileFilter(filter, defs.get(filter.propertyName))));
		const order = this.store.order.get(type)!;
		const table = this.store.table(type);
		const byIdDescending = sort?.propertyName === 'hs_object_id' && sort.descending;
		// Ids are stored ascending: hs_object_id order needs no sort, and id bounds become seeks.
		const floor = idFloorOf(groups);
		const ceiling = idCeilingOf(groups);
		const first = floor === undefined ? 0 : lowerBound(order, floor);
		const last = ceiling === undefined ? order.length - 1 : lowerBound(order, ceiling + 1) - 1;
		const matches: StoredRecord[] = [];
		const now = this.store.clock();
		for (let step = 0; step <= last - first; step++) {
			// What the search index holds, which may trail the record's last write.
			const record = this.store.searchable(type, table.get(order[byIdDescending ? last - step : first + step])!, now);
			if (!record || record.archived) continue;
			if (predicates.length && !predicates.some((group) => group.every((test) => test(record)))) continue;
			if (query && !query(record)) continue;
			matches.push(record);
		}
		if (sort && sort.propertyName !== 'hs_object_id') {
			const numericSort = ['number', 'datetime', 'date'].includes(defs.get(sort.propertyName)?.type ?? '');
			const keyOf = (record: StoredRecord) => {
				const value = record.properties[sort.propertyName];
				if (!numericSort) return value ?? '';
				return Number.isNaN(Number(value)) ? Date.parse(value ?? '') || 0 : Number(value);
			};
			matches.sort((left, right) => {
				const a = keyOf(left);
				const b = keyOf(right);
				const order = a < b ? -1 : a > b ? 1 : Number(left.id) - Number(right.id);
				return sort.descending ? -order : order;
			});
		}
		const page = matches.slice(after, after + limit).map((record) => this.store.view(type, record, body?.properties));
		const result: Record<string, unknown> = { total: matches.length, results: page };
		if (after + limit < matches.length) result.paging = { next: { after: String(after + limit) } };
		return new HttpAnswer(200, result);
	}

	/** The search's first sort rule; sorts HubSpot would not read are ignored (default order) and counted. */
	private sortOf(type: ObjectType, sorts: unknown) {
		const rules = Array.isArray(sorts) ? sorts : [];
		const sort = parseSort(rules[0]);
		if (rules.length && !sort) {
			this.stats.ignoredSorts.count++;
			if (this.stats.ignoredSorts.examples.length < IGNORED_SORT_EXAMPLES) this.stats.ignoredSorts.examples.push({ objectType: type, sorts: rules });
		}
		return sort;
	}

	/** The search's `query` over the type's default searchable properties; refused where none are documented. */
	private queryOf(type: ObjectType, query: unknown): ((record: StoredRecord) => boolean) | HttpAnswer | undefined {
		if (typeof query !== 'string' || !query.trim()) return undefined;
		if (query.length > QUERY_MAX_LENGTH) return hubspotError(400, 'VALIDATION_ERROR', `The search query is ${query.length} characters long; at most ${QUERY_MAX_LENGTH} are allowed`);
		const properties = QUERY_PROPERTIES[type];
		if (!properties) return hubspotError(400, 'VALIDATION_ERROR', `The emulator knows no default searchable properties of ${type}, so it cannot answer "query" there: search ${type} with filterGroups instead`);
		return compileQuery(query, properties);
	}

	// ---------------------------------------------------------------- associations

	/** One record's associations, paged as the spec declares (`limit` up to 500, `after` an offset cursor). */
	private readAssociations(type: ObjectType, id: string, toType: ObjectType, req: ParsedRequest): HttpAnswer {
		if (!this.store.get(type, id)) return hubspotError(404, 'OBJECT_NOT_FOUND', 'Object not found.');
		const all = this.associatedWithLabels(type, id, toType);
		const limit = Math.min(500, Math.max(1, Number(req.query.get('limit') ?? 500)));
		const start = Number(req.query.get('after') ?? 0) || 0;
		const results = all.slice(start, start + limit);
		const next = start + limit < all.length ? { paging: { next: { after: String(start + limit), link: `${this.url}${req.path}?after=${start + limit}` } } } : {};
		return new HttpAnswer(200, { results, ...next });
	}

	private associateDefault(type: ObjectType, id: string, toType: ObjectType, toId: string): HttpAnswer {
		if (!this.store.get(type, id) || !this.store.get(toType, toId)) return hubspotError(404, 'OBJECT_NOT_FOUND', 'Object not found.');
		const typeId = Number(Object.entries(ASSOCIATION_TARGETS).find(([, t]) => t.from === type && t.to === toType)?.[0] ?? 0);
		this.link(type, id, toType, toId, typeId);
		const now = this.store.iso();
		return new HttpAnswer(200, {
			status: 'COMPLETE',
			results: [{ from: { id }, to: { id: toId }, associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: typeId } }],
			startedAt: now,
			completedAt: now,
		});
	}

	/**
	 * HubSpot answers an input it has no associations for (unknown record, or none of that type) with
	 * an error naming the id and leaves it out of the results: 207 when any input is such, else 200.
	 */
	private batchReadAssociations(type: ObjectType, toType: ObjectType, body: any): HttpAnswer {
		// HubSpot's limit for association batch reads (since February 2025) is 1,000 ids, not 100.
		const inputs = this.checkBatchSize(body?.inputs, 1_000);
		const results: unknown[] = [];
		const errors: unknown[] = [];
		for (const input of inputs) {
			const id = String(input?.id ?? '');
			const to = this.store.get(type, id) ? this.associatedWithLabels(type, id, toType) : [];
			if (to.length) results.push({ from: { id }, to });
			else errors.push(this.noAssociationsError(type, id, toType));
		}
		return this.batchEnvelope(results, errors);
	}

	/** HubSpot's per-input error of an association read (as public reports show it; subCategory left out: the spec types it as an object). */
	private noAssociationsError(type: ObjectType, id: string, toType: ObjectType) {
		const singular = (name: ObjectType) => name.replace(/ies$/, 'y').replace(/s$/, '');
		return {
			status: 'error',
			category: 'OBJECT_NOT_FOUND',
			message: `No ${singular(toType)} is associated with ${singular(type)} ${id}.`,
			context: { fromObjectId: [id], fromObjectType: [singular(type)], toObjectType: [singular(toType)] },
			errors: [],
			links: {},
		};
	}

	/** A record's associations in v4's shape; HubSpot names the Primary label, other HubSpot-defined types have none. */
	private associatedWithLabels(type: ObjectType, id: string, toType: ObjectType) {
		return this.store.associationsOf(type, id, toType).map((a) => ({
			toObjectId: a.toObjectId,
			associationTypes: a.types.map((t) => ({
				category: t.associationCategory,
				typeId: t.associationTypeId,
				...(PRIMARY_TYPE_IDS.has(t.associationTypeId) && ASSOCIATION_TARGETS[t.associationTypeId]?.from === type ? { label: 'Primary' } : {}),
			})),
		}));
	}

	/**
	 * Labelled associations, as HubSpot makes them: a primary label (contact → company 1, deal →
	 * company 5) moves the record's primary to the new target and keeps the old one as an ordinary
	 * association. A bad input (unknown record, a type that does not join these objects) is refused
	 * on its own in a 207 answer.
	 */
	private batchCreateAssociations(type: ObjectType, toType: ObjectType, body: any): HttpAnswer {
		const inputs = this.checkBatchSize(body?.inputs);
		const results: unknown[] = [];
		const errors: unknown[] = [];
		for (const input of inputs) {
			const fromId = String(input?.from?.id ?? '');
			const toId = String(input?.to?.id ?? '');
			const specs = Array.isArray(input?.types) ? input.types : [];
			const missing = !this.store.get(type, fromId) ? { type, id: fromId } : !this.store.get(toType, toId) ? { type: toType, id: toId } : undefined;
			if (missing) {
				errors.push(this.batchError('VALIDATION_ERROR', `No ${missing.type} with ID ${missing.id} exists`, [fromId]));
				continue;
			}
			const bad = specs.find((spec: any) => ASSOCIATION_TARGETS[spec?.associationTypeId]?.from !== type || ASSOCIATION_TARGETS[spec?.associationTypeId]?.to !== toType);
			if (!specs.length || bad) {
				errors.push(this.batchError('VALIDATION_ERROR', `${bad ? `associationTypeId ${bad.associationTypeId}` : 'No association type'} is not valid between ${type} and ${toType}`, [fromId]));
				continue;
			}
			for (const spec of specs) this.link(type, fromId, toType, toId, Number(spec.associationTypeId), spec.associationCategory ?? 'HUBSPOT_DEFINED');
			results.push({ fromObjectTypeId: OBJECT_TYPE_ID_OF[type], fromObjectId: fromId, toObjectTypeId: OBJECT_TYPE_ID_OF[toType], toObjectId: toId, labels: [] });
		}
		return this.batchEnvelope(results, errors, 201);
	}

	// ---------------------------------------------------------------- properties, pipelines, owners

	private listProperties(type: ObjectType, req: ParsedRequest): HttpAnswer {
		const archived = req.query.get('archived') === 'true';
		return new HttpAnswer(200, { results: [...this.propertyDefs(type).values()].filter((d) => d.archived === archived) });
	}

	private getProperty(type: ObjectType, name: string): HttpAnswer {
		const def = this.propertyDefs(type).get(name);
		return def ? new HttpAnswer(200, def) : hubspotError(404, 'OBJECT_NOT_FOUND', `Unable to find property ${name} for object type ${type}`);
	}

	/** HubSpot's property update: the fields sent replace the stored ones; `options` replaces the whole list. */
	private updateProperty(type: ObjectType, name: string, body: any): HttpAnswer {
		const def = this.propertyDefs(type).get(name);
		if (!def) return hubspotError(404, 'OBJECT_NOT_FOUND', `Unable to find property ${name} for object type ${type}`);
		if (def.modificationMetadata.readOnlyDefinition) return hubspotError(400, 'VALIDATION_ERROR', `Property ${name} is a HubSpot-defined property whose definition cannot be changed.`);
		if (body?.groupName && !this.store.groups.get(type)!.has(body.groupName)) return hubspotError(400, 'VALIDATION_ERROR', `Property group '${body.groupName}' does not exist`);
		const options = Array.isArray(body?.options) ? body.options.map((o: any, i: number) => ({ displayOrder: i, hidden: false, ...o })) : def.options;
		const values = options.map((o: any) => String(o.value));
		if (new Set(values).size !== values.length) return hubspotError(400, 'VALIDATION_ERROR', `Property ${name} has duplicate option values.`);
		const updated = { ...def, ...body, options, updatedAt: this.store.iso() };
		this.propertyDefs(type).set(name, updated);
		return new HttpAnswer(200, updated);
	}

	private batchReadProperties(type: ObjectType, body: any): HttpAnswer {
		const names: string[] = (body?.inputs ?? []).map((input: any) => String(input.name));
		const results = names.map((name) => this.propertyDefs(type).get(name)).filter(Boolean);
		return this.batchEnvelope(results, []);
	}

	private createProperty(type: ObjectType, body: any): HttpAnswer {
		const defs = this.propertyDefs(type);
		if (defs.has(body.name)) return hubspotError(409, 'OBJECT_ALREADY_EXISTS', `Property named '${body.name}' already exists.`);
		if (body.hasUniqueValue === true && !this.allowsUniqueValues(type)) {
			if (this.meetingUniqueValues === 'refuse') return hubspotError(400, 'VALIDATION_ERROR', `Unique values are not supported for properties of ${type}`);
			body = { ...body, hasUniqueValue: false };
		}
		if (!this.store.groups.get(type)!.has(body.groupName)) return hubspotError(400, 'VALIDATION_ERROR', `Property group '${body.groupName}' does not exist`);
		const def = makePropertyDef({ ...body, options: (body.options ?? []).map((o: any, i: number) => ({ displayOrder: i, hidden: false, ...o })) }, this.store.iso());
		defs.set(def.name, def);
		return new HttpAnswer(201, def);
	}

	/** Whether a property of this type may hold unique values (meetings: as `meetingUniqueValues` says). */
	private allowsUniqueValues(type: ObjectType): boolean {
		if (UNIQUE_VALUE_TYPES.has(type)) return true;
		return type === 'meetings' && this.meetingUniqueValues === 'enforce';
	}

	private listGroups(type: ObjectType): HttpAnswer {
		return new HttpAnswer(200, { results: [...this.store.groups.get(type)!.values()] });
	}

	private createGroup(type: ObjectType, body: any): HttpAnswer {
		const groups = this.store.groups.get(type)!;
		if (groups.has(body.name)) return hubspotError(409, 'OBJECT_ALREADY_EXISTS', `Property group '${body.name}' already exists.`);
		const group = { name: body.name, label: body.label, displayOrder: body.displayOrder ?? -1, archived: false };
		groups.set(body.name, group);
		return new HttpAnswer(201, group);
	}

	private listPipelines(type: ObjectType): HttpAnswer {
		if (type !== 'deals') return new HttpAnswer(200, { results: [] });
		return new HttpAnswer(200, { results: [...this.store.pipelines.values()] });
	}

	private getPipeline(id: string): HttpAnswer {
		const pipeline = this.store.pipelines.get(id);
		return pipeline ? new HttpAnswer(200, pipeline) : hubspotError(404, 'OBJECT_NOT_FOUND', `Pipeline ${id} does not exist`);
	}

	private listStages(id: string): HttpAnswer {
		const pipeline = this.store.pipelines.get(id);
		return pipeline ? new HttpAnswer(200, { results: pipeline.stages }) : hubspotError(404, 'OBJECT_NOT_FOUND', `Pipeline ${id} does not exist`);
	}

	private listOwners(req: ParsedRequest): HttpAnswer {
		const limit = Math.min(500, Number(req.query.get('limit') ?? 100));
		const after = Number(req.query.get('after') ?? 0);
		const email = req.query.get('email');
		const owners = this.store.owners.filter((o) => !email || o.email === email);
		const body: Record<string, unknown> = { results: owners.slice(after, after + limit) };
		if (after + limit < owners.length) body.paging = { next: { after: String(after + limit) } };
		return new HttpAnswer(200, body);
	}

	private getOwner(id: string): HttpAnswer {
		const owner = this.store.owners.find((o) => o.id === id);
		return owner ? new HttpAnswer(200, owner) : hubspotError(404, 'OBJECT_NOT_FOUND', `Owner ${id} does not exist`);
	}

	private accountDetails(): HttpAnswer {
		return new HttpAnswer(200, {
			portalId: this.portalId,
			accountType: 'STANDARD',
			timeZone: 'Asia/Tokyo',
			companyCurrency: 'JPY',
			additionalCurrencies: [],
			utcOffset: '+09:00',
			utcOffsetMilliseconds: 32_400_000,
			uiDomain: 'app.hubspot.com',
			dataHostingLocation: 'na1',
		});
	}

	// ---------------------------------------------------------------- OAuth

	private authorize(req: ParsedRequest): HttpAnswer {
		const clientId = req.query.get('client_id') ?? '';
		const redirectUri = req.query.get('redirect_uri') ?? '';
		if (!this.oauthClients.some((c) => c.clientId === clientId)) return hubspotError(400, 'VALIDATION_ERROR', 'Unknown client_id');
		const code = `emu-code-${randomUUID()}`;
		this.authCodes.set(code, { clientId, redirectUri, scopes: (req.query.get('scope') ?? '').split(/[\s+]+/).filter(Boolean) });
		const target = new URL(redirectUri);
		target.searchParams.set('code', code);
		const state = req.query.get('state');
		if (state) target.searchParams.set('state', state);
		return new HttpAnswer(302, undefined, { location: target.toString() });
	}

	private token(body: Record<string, string>): HttpAnswer {
		const client = this.oauthClients.find((c) => c.clientId === body?.client_id && c.clientSecret === body?.client_secret);
		if (!client) return hubspotError(400, 'BAD_CLIENT_ID', 'missing or unknown client id', { error: 'invalid_client' });
		let scopes: string[];
		let refreshToken: string;
		if (body.grant_type === 'authorization_code') {
			const code = this.authCodes.get(body.code);
			if (!code || code.clientId !== client.clientId) return hubspotError(400, 'BAD_AUTH_CODE', 'missing or unknown auth code', { error: 'invalid_grant' });
			this.authCodes.delete(body.code);
			scopes = code.scopes;
			refreshToken = `emu-rt-${randomUUID()}`;
			this.issued.add(refreshToken);
			this.refreshTokens.set(refreshToken, { clientId: client.clientId, scopes });
		} else if (body.grant_type === 'refresh_token') {
			const known = this.refreshTokens.get(body.refresh_token);
			if (!known) return hubspotError(400, 'BAD_REFRESH_TOKEN', 'missing or unknown refresh token', { error: 'invalid_grant' });
			scopes = known.scopes;
			refreshToken = body.refresh_token;
		} else return hubspotError(400, 'VALIDATION_ERROR', `Unsupported grant_type ${body?.grant_type}`);
		const accessToken = this.issueAccessToken(scopes);
		return new HttpAnswer(200, {
			token_type: 'bearer',
			token_use: 'access_token',
			access_token: accessToken,
			refresh_token: refreshToken,
			expires_in: this.accessTokenTtlSeconds,
			hub_id: this.portalId,
			scopes,
		});
	}

	// ---------------------------------------------------------------- admin (test control)

	private async admin(req: ParsedRequest): Promise<HttpAnswer> {
		const { seedCrm } = await import('./seed');
		const action = req.path.replace(/^\/_emulator\/?/, '');
		switch (`${req.method} ${action}`) {
			case 'GET health':
				return new HttpAnswer(200, { ok: true });
			case 'GET stats':
				return new HttpAnswer(200, { ...this.stats, violations: this.contract.violations.length });
			case 'POST stats/reset':
				this.resetStats();
				return new HttpAnswer(200, { ok: true });
			case 'POST config':
				this.configure(req.body ?? {});
				return new HttpAnswer(200, { latencyMs: this.latencyMs, limits: this.limits, faults: this.faults });
			case 'POST reset':
				this.store.reset();
				this.resetStats();
				return new HttpAnswer(200, { ok: true });
			case 'POST seed':
				return new HttpAnswer(200, seedCrm(this.store, req.body ?? {}));
			case 'GET violations':
				return new HttpAnswer(200, { violations: this.contract.violations });
			case 'POST tokens/expire':
				this.expireAccessTokens();
				return new HttpAnswer(200, { ok: true });
			case 'POST tokens/revoke':
				this.revokeRefreshTokens();
				return new HttpAnswer(200, { ok: true });
			default: {
				const match = action.match(/^objects\/([^/]+)(?:\/([^/]+))?$/);
				if (match && req.method === 'GET') {
					const type = objectTypeOf(match[1]);
					if (match[2]) {
						const record = this.store.table(type).get(match[2]);
						return record ? new HttpAnswer(200, { ...record, associations: this.allAssociations(type, record.id) }) : new HttpAnswer(404, { message: 'not found' });
					}
					const records = [...this.store.table(type).values()].filter((r) => !r.archived);
					return new HttpAnswer(200, { total: records.length, results: records.map((r) => ({ ...r, associations: this.allAssociations(type, r.id) })) });
				}
				if (match && req.method === 'PATCH' && match[2]) {
					const type = objectTypeOf(match[1]);
					const record = this.store.get(type, match[2]);
					if (!record) return new HttpAnswer(404, { message: 'not found' });
					return new HttpAnswer(200, this.store.update(type, record, req.body?.properties ?? {}));
				}
				if (match && req.method === 'DELETE' && match[2]) {
					return new HttpAnswer(200, { archived: this.store.archive(objectTypeOf(match[1]), match[2]) });
				}
				return new HttpAnswer(404, { message: `Unknown admin action ${req.method} ${action}` });
			}
		}
	}

	private allAssociations(type: ObjectType, id: string) {
		const out: Record<string, unknown> = {};
		for (const toType of ['contacts', 'companies', 'deals', 'meetings'] as ObjectType[]) {
			const list = this.store.associationsOf(type, id, toType);
			if (list.length) out[toType] = list;
		}
		return out;
	}
}

/** HubSpot-defined association type ids this package uses (from → to). */
export const ASSOCIATION_TARGETS: Record<number, { from: ObjectType; to: ObjectType; label: string }> = {
	1: { from: 'contacts', to: 'companies', label: 'contact_to_company' },
	279: { from: 'contacts', to: 'companies', label: 'contact_to_company_unlabeled' },
	2: { from: 'companies', to: 'contacts', label: 'company_to_contact' },
	3: { from: 'deals', to: 'contacts', label: 'deal_to_contact' },
	4: { from: 'contacts', to: 'deals', label: 'contact_to_deal' },
	5: { from: 'deals', to: 'companies', label: 'deal_to_company' },
	341: { from: 'deals', to: 'companies', label: 'deal_to_company_unlabeled' },
	6: { from: 'companies', to: 'deals', label: 'company_to_deal' },
	200: { from: 'meetings', to: 'contacts', label: 'meeting_event_to_contact' },
	188: { from: 'meetings', to: 'companies', label: 'meeting_event_to_company' },
	212: { from: 'meetings', to: 'deals', label: 'meeting_event_to_deal' },
};

/** Primary labels (one per record) and the ordinary association HubSpot keeps alongside each. */
const PRIMARY_TYPE_IDS = new Set([1, 5]);
const UNLABELED_TYPE_IDS: Record<number, number> = { 1: 279, 5: 341 };
const OBJECT_TYPE_ID_OF = Object.fromEntries(Object.entries(OBJECT_TYPE_IDS).filter(([id]) => id.startsWith('0-')).map(([id, type]) => [type, id])) as Record<ObjectType, string>;

function associationLabel(from: ObjectType, to: ObjectType, typeId: number): string {
	return ASSOCIATION_TARGETS[typeId]?.label ?? `${from}_to_${to}`;
}

/** First position in ascending numeric ids whose id is at least `id`. */
function lowerBound(order: string[], id: number): number {
	let lo = 0;
	let hi = order.length;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if (Number(order[mid]) < id) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

function objectTypeOf(raw: string): ObjectType {
	const type = OBJECT_TYPE_IDS[decodeURIComponent(raw).toLowerCase()];
	if (!type) throw hubspotError(400, 'VALIDATION_ERROR', `Unable to infer object type from: ${raw}`);
	return type;
}

function bearerOf(header: string | undefined): string | undefined {
	const match = header?.match(/^Bearer\s+(.+)$/i);
	return match?.[1];
}

function parseBody(raw: string, contentType: string | undefined): any {
	if (!raw) return undefined;
	if (contentType?.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(raw));
	return JSON.parse(raw);
}

async function readBody(req: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of req) {
		size += (chunk as Buffer).length;
		if (size > 10 * 1024 * 1024) break;
		chunks.push(chunk as Buffer);
	}
	return Buffer.concat(chunks).toString('utf8');
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export { LAST_MODIFIED };
