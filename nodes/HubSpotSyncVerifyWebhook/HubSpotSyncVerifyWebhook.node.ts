import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { APP_CREDENTIAL_TYPE } from '../shared/transport/client';
import { verifyHubSpotSignature } from './signature';

/**
 * Checks that requests reaching a Webhook node were sent by HubSpot for this app (its signature,
 * made with the app's client secret, and a timestamp within five minutes), so a workflow fed by
 * HubSpot webhooks or workflow actions acts only on genuine events. Calls nothing.
 */
export class HubSpotSyncVerifyWebhook implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'HubSpot Verify Webhook',
		name: 'hubSpotSyncVerifyWebhook',
		icon: {
			light: 'file:../../icons/verify-webhook.svg',
			dark: 'file:../../icons/verify-webhook.dark.svg',
		},
		group: ['transform'],
		version: 1,
		subtitle: 'signature v3',
		description:
			'Pass on only requests signed by HubSpot for your app (signature v3, 5-minute window)',
		defaults: { name: 'HubSpot Verify Webhook' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Verified', 'Rejected'],
		// Not a tool: it checks the raw body and headers of a webhook request, which only a Webhook
		// node has. (n8n's type has no `false`; the key stays, as n8n's lint asks, with no value: no
		// Tool variant.)
		usableAsTool: undefined,
		credentials: [{ name: APP_CREDENTIAL_TYPE, required: true }],
		properties: [
			{
				displayName:
					'Use the Webhook node’s option "Raw Body": the signature covers the body exactly as HubSpot sent it.',
				name: 'rawBodyNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Webhook URL',
				name: 'url',
				type: 'string',
				default:
					"={{ $json.webhookUrl + (Object.keys($json.query ?? {}).length ? '?' + new URLSearchParams($json.query).toString() : '') }}",
				description:
					'The URL HubSpot called, query string included (behind a proxy, n8n’s WEBHOOK_URL must be the public one)',
			},
			{
				displayName: 'Method',
				name: 'method',
				type: 'string',
				default: 'POST',
			},
			{
				displayName: 'Raw Body Binary Field',
				name: 'binaryProperty',
				type: 'string',
				default: 'data',
				description:
					'Where the Webhook node put the raw body. Without it the parsed body is serialized again, which may not match byte for byte.',
			},
			{
				displayName: 'Maximum Age (Seconds)',
				name: 'maxAgeSeconds',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 300,
				description:
					'HubSpot asks to refuse requests whose timestamp is older than 5 minutes (replays)',
			},
			{
				displayName: 'Accept V1/V2 Signatures',
				name: 'allowLegacy',
				type: 'boolean',
				default: false,
				description:
					'Whether to accept the older signatures (no timestamp) from senders that do not send v3',
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const credentials = await this.getCredentials(APP_CREDENTIAL_TYPE);
		const secret = String(credentials.clientSecret ?? '');
		if (!secret) {
			throw new NodeOperationError(this.getNode(), 'The HubSpot credential has no client secret', {
				description:
					'HubSpot signs its requests with the app’s client secret: fill in "Client Secret" in the HubSpot App for Sync Nodes OAuth2 API credential.',
			});
		}
		const [verified, rejected]: INodeExecutionData[][] = [[], []];
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			const item = items[itemIndex];
			const binaryProperty = String(this.getNodeParameter('binaryProperty', itemIndex, 'data'));
			const body = item.binary?.[binaryProperty]
				? (await this.helpers.getBinaryDataBuffer(itemIndex, binaryProperty)).toString('utf8')
				: item.json.body === undefined
					? ''
					: JSON.stringify(item.json.body);
			const verdict = verifyHubSpotSignature(
				{
					method: String(this.getNodeParameter('method', itemIndex, 'POST')),
					uri: String(this.getNodeParameter('url', itemIndex, '')),
					body,
					headers: (item.json.headers ?? {}) as IDataObject,
				},
				secret,
				{
					now: Date.now(),
					maxAgeMs: Number(this.getNodeParameter('maxAgeSeconds', itemIndex, 300)) * 1000,
					allowLegacy: Boolean(this.getNodeParameter('allowLegacy', itemIndex, false)),
				},
			);
			if (verdict.valid)
				verified.push({
					json: { ...item.json, signatureVersion: verdict.version },
					binary: item.binary,
					pairedItem: { item: itemIndex },
				});
			else
				rejected.push({
					json: {
						status: 'rejected',
						code: 'SIGNATURE_INVALID',
						reason: `Item ${itemIndex}: ${verdict.reason}`,
					},
					pairedItem: { item: itemIndex },
				});
		}
		return [verified, rejected];
	}
}
