/** HubSpot Verify Webhook through n8n's engine: signed items pass, others are rejected with the reason. */
import { createHmac } from 'node:crypto';

import { runWorkflow } from '../support/workflow-harness';

const SECRET = 'app-client-secret-0123456789';
const URL_CALLED = 'https://n8n.example.com/webhook/hubspot-sync/hubspot-events';

const workflow = {
	id: 'verify',
	name: 'verify',
	nodes: [
		{ parameters: {}, id: 'v0', name: 'Requests', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0] },
		{ parameters: {}, id: 'v1', name: 'Verify', type: 'n8n-nodes-hubspot-sync.hubSpotSyncVerifyWebhook', typeVersion: 1, position: [200, 0], credentials: { hubSpotSyncOAuth2Api: { id: 'c1', name: 'app' } } },
	],
	connections: { Requests: { main: [[{ node: 'Verify', type: 'main', index: 0 }]] } },
	settings: { executionOrder: 'v1' },
};

it('passes the signed request on, rejects the tampered and the unsigned one, naming the item and why', async () => {
	const body = [{ objectId: 7, subscriptionType: 'deal.creation' }];
	const at = Date.now();
	const signature = createHmac('sha256', SECRET).update(`POST${URL_CALLED}${JSON.stringify(body)}${at}`).digest('base64');
	const request = (overrides: Record<string, unknown>) => ({ webhookUrl: URL_CALLED, query: {}, headers: { 'x-hubspot-signature-v3': signature, 'x-hubspot-request-timestamp': String(at) }, body, ...overrides });
	const result = await runWorkflow(workflow, { hubSpotSyncOAuth2Api: { clientId: 'id', clientSecret: SECRET, baseUrl: 'http://127.0.0.1:9' } }, [
		request({}),
		request({ body: [{ objectId: 8, subscriptionType: 'deal.creation' }] }),
		request({ headers: {} }),
	]);
	expect(result.output('Verify', 0).map((item) => [item.json.signatureVersion, (item.pairedItem as { item: number }).item])).toEqual([['v3', 0]]);
	expect(result.output('Verify', 1).map((item) => item.json.reason)).toEqual([
		'Item 1: The v3 signature does not match: not sent by HubSpot for this app, or the body or URL changed on the way',
		'Item 2: The request carries no HubSpot signature (X-HubSpot-Signature-v3)',
	]);
});

it('says what to do when the credential has no client secret', async () => {
	const result = await runWorkflow(workflow, { hubSpotSyncOAuth2Api: { clientId: 'id', clientSecret: '', baseUrl: 'http://127.0.0.1:9' } }, [{ headers: {} }]);
	const error = result.error('Verify') as Error & { description?: string };
	expect(error.message).toBe('The HubSpot credential has no client secret');
	expect(error.description).toContain('Client Secret');
});
