/**
 * HubSpot's request signatures (webhooks, workflow actions, CRM cards), so a workflow fed by
 * HubSpot can refuse requests HubSpot did not send:
 * - v3: base64 HMAC-SHA256(client secret, method + URI + body + timestamp), timestamp within 5
 *   minutes;
 * - v2: hex SHA-256(client secret + method + URI + body); v1: hex SHA-256(client secret + body).
 */
import { createHash, createHmac, timingSafeEqual } from 'crypto';

/** The characters HubSpot decodes in the URI before signing it (v3). */
const V3_DECODED: Record<string, string> = {
	'%3A': ':',
	'%2F': '/',
	'%3F': '?',
	'%40': '@',
	'%21': '!',
	'%24': '$',
	'%27': "'",
	'%28': '(',
	'%29': ')',
	'%2A': '*',
	'%2C': ',',
	'%3B': ';',
};

export function signatureV3(
	secret: string,
	method: string,
	uri: string,
	body: string,
	timestamp: string,
): string {
	const decodedUri = uri.replace(
		/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi,
		(match) => V3_DECODED[match.toUpperCase()],
	);
	return createHmac('sha256', secret)
		.update(`${method.toUpperCase()}${decodedUri}${body}${timestamp}`, 'utf8')
		.digest('base64');
}

export function signatureV2(secret: string, method: string, uri: string, body: string): string {
	return createHash('sha256')
		.update(`${secret}${method.toUpperCase()}${uri}${body}`, 'utf8')
		.digest('hex');
}

export function signatureV1(secret: string, body: string): string {
	return createHash('sha256').update(`${secret}${body}`, 'utf8').digest('hex');
}

export interface SignedRequest {
	method: string;
	/** The full URL HubSpot called, query string included. */
	uri: string;
	/** The body exactly as received. */
	body: string;
	/** Header names in lower case. */
	headers: Record<string, unknown>;
}

export type Verdict =
	{ valid: true; version: 'v1' | 'v2' | 'v3' } | { valid: false; reason: string };

function same(expected: string, received: string): boolean {
	const left = Buffer.from(expected);
	const right = Buffer.from(received);
	return left.length === right.length && timingSafeEqual(left, right);
}

const header = (headers: Record<string, unknown>, name: string) => {
	const value = headers[name];
	return typeof value === 'string' ? value : Array.isArray(value) ? String(value[0] ?? '') : '';
};

/** v3 when HubSpot sent it (and only then); v1/v2 for older senders, when allowed. */
export function verifyHubSpotSignature(
	request: SignedRequest,
	secret: string,
	options: { now: number; maxAgeMs: number; allowLegacy: boolean },
): Verdict {
	const v3 = header(request.headers, 'x-hubspot-signature-v3');
	if (v3) {
		const timestamp = header(request.headers, 'x-hubspot-request-timestamp');
		const at = Number(timestamp);
		if (!timestamp || !Number.isFinite(at))
			return {
				valid: false,
				reason: 'The request has a v3 signature but no X-HubSpot-Request-Timestamp',
			};
		if (Math.abs(options.now - at) > options.maxAgeMs)
			return {
				valid: false,
				reason: `The request's timestamp is ${Math.round(Math.abs(options.now - at) / 1000)} s away from now (at most ${options.maxAgeMs / 1000} s): a replay or a wrong clock`,
			};
		return same(signatureV3(secret, request.method, request.uri, request.body, timestamp), v3)
			? { valid: true, version: 'v3' }
			: {
					valid: false,
					reason:
						'The v3 signature does not match: not sent by HubSpot for this app, or the body or URL changed on the way',
				};
	}
	const legacy = header(request.headers, 'x-hubspot-signature');
	if (!legacy)
		return {
			valid: false,
			reason: 'The request carries no HubSpot signature (X-HubSpot-Signature-v3)',
		};
	if (!options.allowLegacy)
		return {
			valid: false,
			reason: 'Only a v1/v2 signature was sent, and "Accept v1/v2 Signatures" is off',
		};
	const version = header(request.headers, 'x-hubspot-signature-version') === 'v2' ? 'v2' : 'v1';
	const expected =
		version === 'v2'
			? signatureV2(secret, request.method, request.uri, request.body)
			: signatureV1(secret, request.body);
	return same(expected, legacy)
		? { valid: true, version }
		: { valid: false, reason: `The ${version} signature does not match` };
}
