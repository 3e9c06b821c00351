/** HubSpot request signatures: HubSpot's published v1/v2 examples, v3 with its timestamp window and URI decoding. */
import { createHmac } from 'node:crypto';

import { signatureV1, signatureV2, signatureV3, verifyHubSpotSignature } from '../../nodes/HubSpotSyncVerifyWebhook/signature';

const SECRET = 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy';

it('matches HubSpot’s published v1 and v2 examples', () => {
	const body = '[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM","changeFlag":"NEW","appId":54321}]';
	expect(signatureV1(SECRET, body)).toBe('232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de');
	expect(signatureV2(SECRET, 'GET', 'https://www.example.com/webhook_uri', '')).toBe('eee2dddcc73c94d699f5e395f4b9d454a069a6855fbfa152e91e88823087200e');
});

describe('v3', () => {
	const now = 1_795_400_000_000;
	const uri = 'https://n8n.example.com/webhook/hubspot-sync/hubspot-events?portal=62515';
	const body = '[{"objectId":123,"subscriptionType":"deal.propertyChange"}]';
	// Computed here from HubSpot's description, independently of the module.
	const signed = (timestamp: number, text = body, url = uri) => createHmac('sha256', SECRET).update(`POST${url}${text}${timestamp}`).digest('base64');
	const request = (headers: Record<string, string>, text = body, url = uri) => ({ method: 'POST', uri: url, body: text, headers });
	const options = { now, maxAgeMs: 300_000, allowLegacy: false };

	it('accepts HubSpot’s signature within 5 minutes', () => {
		const at = now - 60_000;
		expect(signatureV3(SECRET, 'post', uri, body, String(at))).toBe(signed(at));
		expect(verifyHubSpotSignature(request({ 'x-hubspot-signature-v3': signed(at), 'x-hubspot-request-timestamp': String(at) }), SECRET, options)).toEqual({ valid: true, version: 'v3' });
	});

	it('decodes the characters HubSpot decodes in the URI', () => {
		const encoded = 'https://n8n.example.com/webhook/x%3Fa%3D1%2Cb';
		expect(signatureV3(SECRET, 'POST', encoded, body, '1')).toBe(createHmac('sha256', SECRET).update(`POSThttps://n8n.example.com/webhook/x?a%3D1,b${body}1`).digest('base64'));
	});

	it.each([
		['a stale timestamp (replay)', () => request({ 'x-hubspot-signature-v3': signed(now - 301_000), 'x-hubspot-request-timestamp': String(now - 301_000) }), /301 s away/],
		['a changed body', () => request({ 'x-hubspot-signature-v3': signed(now), 'x-hubspot-request-timestamp': String(now) }, body.replace('123', '124')), /does not match/],
		['another URL', () => request({ 'x-hubspot-signature-v3': signed(now), 'x-hubspot-request-timestamp': String(now) }, body, `${uri}&x=1`), /does not match/],
		['no timestamp', () => request({ 'x-hubspot-signature-v3': signed(now) }), /no X-HubSpot-Request-Timestamp/],
		['no signature at all', () => request({}), /carries no HubSpot signature/],
		['a v1 signature when only v3 is accepted', () => request({ 'x-hubspot-signature': signatureV1(SECRET, body) }), /v1\/v2 Signatures/],
	])('refuses %s, saying why', (_name, make, reason) => {
		const verdict = verifyHubSpotSignature(make(), SECRET, options);
		expect(verdict.valid).toBe(false);
		expect(verdict.valid ? '' : verdict.reason).toMatch(reason);
	});

	it('accepts v1 and v2 when allowed', () => {
		expect(verifyHubSpotSignature(request({ 'x-hubspot-signature': signatureV1(SECRET, body) }), SECRET, { ...options, allowLegacy: true })).toEqual({ valid: true, version: 'v1' });
		expect(verifyHubSpotSignature(request({ 'x-hubspot-signature': signatureV2(SECRET, 'POST', uri, body), 'x-hubspot-signature-version': 'v2' }), SECRET, { ...options, allowLegacy: true })).toEqual({ valid: true, version: 'v2' });
	});
});
