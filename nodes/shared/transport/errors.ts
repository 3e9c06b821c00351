import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

/**
 * The classification every failed HubSpot call ends in. Later nodes (Write History above all)
 * branch on `code`, so these names are part of the package's contract.
 */
export type HubSpotErrorCode =
	| 'AUTH_INVALID'
	| 'SCOPES_MISSING'
	| 'RATE_LIMITED'
	| 'UNAVAILABLE'
	| 'VALIDATION'
	| 'NOT_FOUND'
	| 'CONFLICT'
	| 'UNKNOWN';

export interface HubSpotFailure {
	code: HubSpotErrorCode;
	/** HTTP status, absent for network failures. */
	httpStatus?: number;
	/** HubSpot's own message, verbatim (it never contains the token). */
	hubspotMessage?: string;
	/** HubSpot's `category` (VALIDATION_ERROR, EXPIRED_AUTHENTICATION, MISSING_SCOPES, ...). */
	hubspotCategory?: string;
	correlationId?: string;
	/** For SCOPES_MISSING: the granular scopes HubSpot says are required. */
	requiredScopes?: string[];
	/** For CONFLICT: the id of the record that already exists. */
	existingId?: string;
	/** For RATE_LIMITED: TEN_SECONDLY_ROLLING, SECONDLY or DAILY. */
	policyName?: string;
	retryAfterMs?: number;
	/** Network error code (ECONNRESET, ETIMEDOUT, ...) when no HTTP answer came back. */
	networkCode?: string;
	/** For network failures: the host n8n tried to reach (from the credential's base URL). */
	host?: string;
	/** How many times the request was sent before giving up. */
	attempts: number;
}

/** A response, or the part of a thrown HTTP error that describes one. */
export interface HubSpotHttpResponse {
	statusCode: number;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
}

const UNAVAILABLE_STATUSES = new Set([500, 502, 503, 504, 521, 522, 523, 524]);
const NETWORK_CODES = new Set([
	'ECONNRESET',
	'ETIMEDOUT',
	'ECONNREFUSED',
	'ECONNABORTED',
	'EPIPE',
	'EAI_AGAIN',
	'ENOTFOUND',
	'ESOCKETTIMEDOUT',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
	'UND_ERR_SOCKET',
]);
/**
 * TLS failures, most often a proxy that inspects HTTPS with its own certificate. No retry can fix
 * them, so the client reports them at once instead of sending the request again.
 */
const CERTIFICATE_CODES = new Set([
	'CERT_HAS_EXPIRED',
	'CERT_NOT_YET_VALID',
	'CERT_UNTRUSTED',
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'SELF_SIGNED_CERT_IN_CHAIN',
	'UNABLE_TO_GET_ISSUER_CERT',
	'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'ERR_TLS_CERT_ALTNAME_INVALID',
	'EPROTO',
]);

export function headerValue(
	headers: HubSpotHttpResponse['headers'],
	name: string,
): string | undefined {
	const wanted = name.toLowerCase();
	for (const [key, value] of Object.entries(headers ?? {})) {
		if (key.toLowerCase() === wanted) return Array.isArray(value) ? value[0] : value;
	}
	return undefined;
}

/** Retry-After is seconds (or an HTTP date); HubSpot sends seconds. */
export function parseRetryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
	if (value === undefined || value === '') return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function asObject(value: unknown): Record<string, unknown> | undefined {
	if (typeof value === 'string') {
		try {
			return asObject(JSON.parse(value));
		} catch {
			return undefined;
		}
	}
	return value !== null && typeof value === 'object' && !Array.isArray(value)
		? (value as Record<string, unknown>)
		: undefined;
}

function stringField(body: Record<string, unknown> | undefined, key: string): string | undefined {
	const value = body?.[key];
	return typeof value === 'string' && value !== '' ? value : undefined;
}

function requiredScopesOf(body: Record<string, unknown> | undefined): string[] | undefined {
	const errors = Array.isArray(body?.errors) ? (body.errors as unknown[]) : [];
	const scopes = new Set<string>();
	for (const entry of errors) {
		const context = asObject(asObject(entry)?.context);
		const listed = context?.requiredGranularScopes ?? context?.requiredScopes;
		if (Array.isArray(listed)) listed.forEach((scope) => scopes.add(String(scope)));
	}
	return scopes.size ? [...scopes] : undefined;
}

/** HubSpot's 409 says "Contact already exists. Existing ID: 123". */
export function existingIdOf(message: string | undefined): string | undefined {
	return message?.match(/Existing ID:\s*(\d+)/i)?.[1];
}

const BATCH_INPUT_FAILURES: Record<string, { code: HubSpotFailure['code']; httpStatus: number }> = {
	OBJECT_NOT_FOUND: { code: 'NOT_FOUND', httpStatus: 404 },
	VALIDATION_ERROR: { code: 'VALIDATION', httpStatus: 400 },
	CONFLICT: { code: 'CONFLICT', httpStatus: 409 },
};

/**
 * One input HubSpot refused inside a batch answer (207), classified like a whole answer would be.
 */
export function failureOfBatchInput(error: { category: string; message: string }): HubSpotFailure {
	const known = BATCH_INPUT_FAILURES[error.category];
	return {
		code: known?.code ?? 'UNKNOWN',
		httpStatus: known?.httpStatus,
		hubspotMessage: error.message || undefined,
		hubspotCategory: error.category,
		attempts: 1,
	};
}

/** Turns one HubSpot error answer into the package's classification. */
export function classifyResponse(response: HubSpotHttpResponse, attempts = 1): HubSpotFailure {
	const body = asObject(response.body);
	const status = response.statusCode;
	const hubspotMessage = stringField(body, 'message');
	const failure: HubSpotFailure = {
		code: 'UNKNOWN',
		httpStatus: status,
		hubspotMessage,
		hubspotCategory: stringField(body, 'category') ?? stringField(body, 'errorType'),
		correlationId:
			stringField(body, 'correlationId') ??
			headerValue(response.headers, 'x-hubspot-correlation-id'),
		attempts,
	};
	if (status === 401) failure.code = 'AUTH_INVALID';
	else if (status === 403) {
		failure.code = 'SCOPES_MISSING';
		failure.requiredScopes = requiredScopesOf(body);
	} else if (status === 429) {
		failure.code = 'RATE_LIMITED';
		failure.policyName = stringField(body, 'policyName');
		failure.retryAfterMs = parseRetryAfterMs(headerValue(response.headers, 'retry-after'));
	} else if (status === 423 || UNAVAILABLE_STATUSES.has(status)) failure.code = 'UNAVAILABLE';
	else if (status === 400 || status === 422 || status === 414) failure.code = 'VALIDATION';
	else if (status === 404) failure.code = 'NOT_FOUND';
	else if (status === 409) {
		failure.code = 'CONFLICT';
		failure.existingId = existingIdOf(hubspotMessage);
	}
	return dropUndefined(failure);
}

export function classifyNetworkError(
	networkCode: string,
	attempts = 1,
	host?: string,
): HubSpotFailure {
	return dropUndefined({ code: 'UNAVAILABLE', networkCode, host, attempts });
}

export function isNetworkErrorCode(code: unknown): code is string {
	return typeof code === 'string' && NETWORK_CODES.has(code);
}

export function isCertificateErrorCode(code: unknown): code is string {
	return typeof code === 'string' && CERTIFICATE_CODES.has(code);
}

/** "api.hubapi.com" from "https://api.hubapi.com/crm/...": what the operator can compare with the credential. */
export function hostOf(url: string | undefined): string | undefined {
	if (!url) return undefined;
	try {
		return new URL(url).host || undefined;
	} catch {
		return undefined;
	}
}

/**
 * No HTTP answer came back: what the connection error means on the n8n host, and where to look.
 * The base URL comes first: a typo or a stopped emulator there is the usual cause.
 */
export function explainNetworkError(networkCode: string, host?: string): string {
	const text = networkExplanation(networkCode, host ?? 'the HubSpot host');
	return text.charAt(0).toUpperCase() + text.slice(1);
}

function networkExplanation(networkCode: string, where: string): string {
	const baseUrl =
		'Check the Base URL in the HubSpot credential (https://api.hubapi.com for real accounts)';
	const proxy =
		'if the n8n host reaches the internet only through a proxy, set HTTP_PROXY / HTTPS_PROXY for n8n';
	if (networkCode === 'ENOTFOUND' || networkCode === 'EAI_AGAIN') {
		return `The name ${where} could not be resolved (${networkCode}${networkCode === 'EAI_AGAIN' ? ', DNS did not answer in time' : ''}). ${baseUrl}, then the DNS settings of the n8n host (for Docker, the container's DNS); ${proxy}.`;
	}
	if (networkCode === 'ECONNREFUSED') {
		return `${where} refused the connection (ECONNREFUSED): nothing accepts connections at that address and port. ${baseUrl}; an emulator or proxy named there must be running and reachable from the n8n host (in Docker, 127.0.0.1 is the container itself).`;
	}
	if (networkCode === 'EPROTO') {
		return `The secure (TLS) connection to ${where} failed (EPROTO). A proxy or firewall that inspects HTTPS, or a Base URL with https:// in front of a plain-HTTP server, usually causes this. ${baseUrl}.`;
	}
	if (isCertificateErrorCode(networkCode)) {
		return `The TLS certificate of ${where} was not accepted (${networkCode}). A proxy or firewall that inspects HTTPS usually causes this: give n8n that proxy's CA certificate (NODE_EXTRA_CA_CERTS), or ask for HubSpot's hosts to be left uninspected. ${baseUrl}.`;
	}
	if (
		['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'ECONNABORTED', 'ERR_SOCKET_CONNECTION_TIMEOUT'].includes(
			networkCode,
		)
	) {
		return `${where} did not answer in time (${networkCode}). A firewall that drops outgoing HTTPS from the n8n host, or a missing proxy, usually causes this: ${proxy}. ${baseUrl}. If it was only a slow network, run the workflow again.`;
	}
	return `The connection to ${where} was cut before HubSpot answered (${networkCode}). This is usually a network blip; run the workflow again. If it keeps happening, a proxy or firewall of the n8n host may be closing connections: ${proxy}.`;
}

function dropUndefined<T extends object>(value: T): T {
	for (const key of Object.keys(value) as Array<keyof T>) {
		if (value[key] === undefined) delete value[key];
	}
	return value;
}

/** What happened and what to do, in the user's words; Write History has the translated catalog. */
export function explainFailure(failure: HubSpotFailure): { message: string; description: string } {
	const tries = failure.attempts > 1 ? ` (after ${failure.attempts} tries)` : '';
	const id = failure.correlationId ? ` HubSpot correlation id: ${failure.correlationId}.` : '';
	const theirs = failure.hubspotMessage ? ` HubSpot said: "${failure.hubspotMessage}".` : '';
	switch (failure.code) {
		case 'AUTH_INVALID':
			return {
				message: 'HubSpot rejected the credential (AUTH_INVALID)',
				description: `The access token or service key is invalid, expired or revoked. Reconnect the HubSpot credential (or paste a new service key) and run again.${theirs}${id}`,
			};
		case 'SCOPES_MISSING':
			return {
				message: 'The HubSpot credential lacks a required scope (SCOPES_MISSING)',
				description: `Add ${failure.requiredScopes?.length ? `the scope(s) ${failure.requiredScopes.join(', ')}` : 'the scopes listed in the package README'} to your HubSpot app or service key, then reconnect the credential.${theirs}${id}`,
			};
		case 'RATE_LIMITED':
			return {
				message: `HubSpot's rate limit was reached${failure.policyName ? ` (${failure.policyName})` : ''}${tries} (RATE_LIMITED)`,
				description:
					failure.policyName === 'DAILY'
						? `The account's daily API allowance is used up; HubSpot resets it at midnight in the account's time zone. Run again after that, or lower the sync's volume.${id}`
						: `HubSpot kept answering "too many requests". Other apps may share this account's limit; run again in a minute.${id}`,
			};
		case 'UNAVAILABLE':
			if (failure.networkCode) {
				return {
					message: `n8n could not reach ${failure.host ?? 'HubSpot'}${tries} (UNAVAILABLE)`,
					description: `${explainNetworkError(failure.networkCode, failure.host)} Nothing further was sent for this item.`,
				};
			}
			return {
				message: `HubSpot is temporarily unavailable${tries} (UNAVAILABLE)`,
				description: `HubSpot answered ${failure.httpStatus}. Nothing further was sent for this item. Run the workflow again later.${id}`,
			};
		case 'VALIDATION':
			return {
				message: 'HubSpot rejected the input (VALIDATION)',
				description: `Check the field named in HubSpot's message and correct the input.${theirs}${id}`,
			};
		case 'NOT_FOUND':
			return {
				message: 'The HubSpot record or property does not exist (NOT_FOUND)',
				description: `It may have been deleted or merged in HubSpot. Check the id, or stop syncing this record.${theirs}${id}`,
			};
		case 'CONFLICT':
			return {
				message: 'The record already exists in HubSpot (CONFLICT)',
				description: `${failure.existingId ? `The existing record's id is ${failure.existingId}. ` : ''}Update that record instead of creating a new one.${theirs}${id}`,
			};
		default:
			return {
				message: `HubSpot answered with an unexpected error${failure.httpStatus ? ` (${failure.httpStatus})` : ''} (UNKNOWN)`,
				description: `Run again; if it persists, contact support and quote the HubSpot correlation id.${theirs}${id}`,
			};
	}
}

/**
 * The error a node throws (or turns into an error item) for a HubSpot failure. The classification
 * travels in `context.hubspot`, and is repeated in the message so it survives n8n's error workflow.
 */
export class HubSpotApiError extends NodeApiError {
	readonly hubspot: HubSpotFailure;

	constructor(node: INode, failure: HubSpotFailure, itemIndex?: number) {
		const { message, description } = explainFailure(failure);
		super(node, { ...failure } as unknown as JsonObject, {
			message,
			description,
			httpCode: failure.httpStatus ? String(failure.httpStatus) : undefined,
			itemIndex,
			failure: n8nFailureOf(failure),
		});
		this.hubspot = failure;
		this.context.hubspot = { ...failure };
	}
}

/** n8n's own notion of a transient failure, so its UI and retry logic can recognise ours. */
function n8nFailureOf(failure: HubSpotFailure): NodeApiError['failure'] {
	if (failure.code === 'RATE_LIMITED') {
		return failure.policyName === 'DAILY'
			? { cause: 'quota-exhausted' }
			: { cause: 'rate-limited', retryAfterMs: failure.retryAfterMs };
	}
	if (failure.code === 'UNAVAILABLE') return { cause: 'temporarily-unavailable' };
	return undefined;
}
