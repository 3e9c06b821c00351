/**
 * Runs exported workflow JSON through n8n's own engine (n8n-core's WorkflowExecute), the way
 * n8n tests its nodes: real parameter resolution, real expression evaluation, real
 * httpRequestWithAuthentication (including OAuth2 token refresh), real paired items.
 * HTTP goes to nock or to the HubSpot emulator.
 */
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import {
	ICredentialsHelper,
	type ICredentialDataDecryptedObject,
	type ICredentialType,
	type IDataObject,
	type IHttpRequestMethods,
	type IExecuteFunctions,
	type IHttpRequestOptions,
	type INodeCredentialsDetails,
	type INodeExecutionData,
	type INodeType,
	type INodeTypes,
	type IRun,
	type IVersionedNodeType,
	type IWorkflowBase,
	type IWorkflowExecuteAdditionalData,
	NodeConnectionTypes,
	Workflow,
} from 'n8n-workflow';

import { HubSpotSyncOAuth2Api } from '../../credentials/HubSpotSyncOAuth2Api.credentials';
import { HubSpotSyncServiceKeyApi } from '../../credentials/HubSpotSyncServiceKeyApi.credentials';
import { HubSpotSyncCreateMeeting } from '../../nodes/HubSpotSyncCreateMeeting/HubSpotSyncCreateMeeting.node';
import { HubSpotSyncFilterDeals } from '../../nodes/HubSpotSyncFilterDeals/HubSpotSyncFilterDeals.node';
import { HubSpotSyncVerifyWebhook } from '../../nodes/HubSpotSyncVerifyWebhook/HubSpotSyncVerifyWebhook.node';
import { HubSpotSyncMapDealStage } from '../../nodes/HubSpotSyncMapDealStage/HubSpotSyncMapDealStage.node';
import { HubSpotSyncProperties } from '../../nodes/HubSpotSyncProperties/HubSpotSyncProperties.node';
import { HubSpotSyncReconcile } from '../../nodes/HubSpotSyncReconcile/HubSpotSyncReconcile.node';
import { HubSpotSyncWriteHistory } from '../../nodes/HubSpotSyncWriteHistory/HubSpotSyncWriteHistory.node';
import { authenticationProperty, credentialDescriptions } from '../../nodes/shared/descriptions';
import { createHubSpotClient, DEFAULT_RETRY_POLICY, type AuthenticationMethod } from '../../nodes/shared/transport';

const PACKAGE = 'n8n-nodes-hubspot-sync';

/** Our nodes, by the type name n8n gives them once installed as a community package. */
export const PACKAGE_NODES: Record<string, () => INodeType> = {
	[`${PACKAGE}.hubSpotSyncProperties`]: () => new HubSpotSyncProperties(),
	[`${PACKAGE}.hubSpotSyncCreateMeeting`]: () => new HubSpotSyncCreateMeeting(),
	[`${PACKAGE}.hubSpotSyncWriteHistory`]: () => new HubSpotSyncWriteHistory(),
	[`${PACKAGE}.hubSpotSyncFilterDeals`]: () => new HubSpotSyncFilterDeals(),
	[`${PACKAGE}.hubSpotSyncMapDealStage`]: () => new HubSpotSyncMapDealStage(),
	[`${PACKAGE}.hubSpotSyncVerifyWebhook`]: () => new HubSpotSyncVerifyWebhook(),
	[`${PACKAGE}.hubSpotSyncReconcile`]: () => new HubSpotSyncReconcile(),
};

const CREDENTIAL_TYPES: Record<string, ICredentialType> = {
	hubSpotSyncOAuth2Api: new HubSpotSyncOAuth2Api(),
	hubSpotSyncServiceKeyApi: new HubSpotSyncServiceKeyApi(),
};

/**
 * A test-only node that sends one request through the package's transport, so that the
 * transport's retries, pacing and error mapping run inside n8n's real request helpers.
 */
class TransportProbe implements INodeType {
	description = {
		displayName: 'Transport Probe',
		name: 'transportProbe',
		group: ['transform'],
		version: 1,
		description: '',
		defaults: { name: 'Transport Probe' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: credentialDescriptions,
		properties: [
			authenticationProperty,
			{ displayName: 'Method', name: 'method', type: 'string', default: 'GET' },
			{ displayName: 'Path', name: 'path', type: 'string', default: '' },
			{ displayName: 'Body', name: 'body', type: 'json', default: '' },
			{ displayName: 'Fast Retries', name: 'fastRetries', type: 'boolean', default: true },
		],
	} as unknown as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const authentication = this.getNodeParameter('authentication', 0) as AuthenticationMethod;
		const fast = this.getNodeParameter('fastRetries', 0) as boolean;
		const client = await createHubSpotClient(this, authentication, {
			retryPolicy: fast ? { ...DEFAULT_RETRY_POLICY, baseDelayMs: 5, maxDelayMs: 20, lockedDelayMs: 10, rateLimitFloorMs: 10 } : DEFAULT_RETRY_POLICY,
		});
		const body = this.getNodeParameter('body', 0) as string;
		try {
			const answer = await client.request({
				method: this.getNodeParameter('method', 0) as IHttpRequestMethods,
				path: this.getNodeParameter('path', 0) as string,
				body: body ? JSON.parse(body) : undefined,
			});
			return [[{ json: { answer, stats: { ...client.stats } } as IDataObject, pairedItem: { item: 0 } }]];
		} catch (error) {
			(error as { context: IDataObject }).context.stats = { ...client.stats };
			throw error;
		}
	}
}

/** n8n-nodes-base's Manual Trigger, as far as a workflow test needs it: it emits one empty item. */
class ManualTriggerShim implements INodeType {
	description = {
		displayName: 'Manual Trigger',
		name: 'manualTrigger',
		group: ['trigger'],
		version: 1,
		description: '',
		defaults: { name: 'Manual Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	} as unknown as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [[{ json: {} }]];
	}
}

/**
 * A test-only source of items (the JSON array in its "items" parameter), standing in for an app or a
 * Data table read. An empty array emits nothing, as a read of an empty table does.
 */
class TestItems implements INodeType {
	description = {
		displayName: 'Test Items',
		name: 'testItems',
		group: ['transform'],
		version: 1,
		description: '',
		defaults: { name: 'Test Items' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[]' }],
	} as unknown as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = JSON.parse(String(this.getNodeParameter('items', 0))) as IDataObject[];
		return [items.map((json) => ({ json, pairedItem: { item: 0 } }))];
	}
}

class NodeTypes implements INodeTypes {
	private readonly types: Record<string, INodeType> = {
		'n8n-nodes-base.manualTrigger': new ManualTriggerShim(),
		'test.transportProbe': new TransportProbe(),
		'test.items': new TestItems(),
		...Object.fromEntries(Object.entries(PACKAGE_NODES).map(([name, make]) => [name, make()])),
	};

	getByName(nodeType: string): INodeType | IVersionedNodeType {
		return this.getByNameAndVersion(nodeType);
	}

	getByNameAndVersion(nodeType: string): INodeType {
		const type = this.types[nodeType];
		if (!type) throw new Error(`Unknown node type in test workflow: ${nodeType}`);
		return type;
	}

	getKnownTypes() {
		return {};
	}
}

/** Credentials as n8n would decrypt them; tokens refreshed by n8n are written back here. */
export class TestCredentialsHelper extends ICredentialsHelper {
	constructor(readonly data: Record<string, ICredentialDataDecryptedObject>) {
		super();
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	getParentTypes(name: string): string[] {
		return CREDENTIAL_TYPES[name]?.extends ?? [];
	}

	async authenticate(credentials: ICredentialDataDecryptedObject, typeName: string, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		const auth = CREDENTIAL_TYPES[typeName]?.authenticate;
		if (auth && typeof auth === 'object' && auth.type === 'generic') {
			const headers = { ...(requestOptions.headers ?? {}) };
			for (const [name, template] of Object.entries(auth.properties.headers ?? {})) {
				headers[name] = String(template).replace(/^=/, '').replace(/\{\{\s*\$credentials\.(\w+)\s*\}\}/g, (_, key) => String(credentials[key] ?? ''));
			}
			return { ...requestOptions, headers };
		}
		return requestOptions;
	}

	async preAuthentication() {
		return undefined;
	}

	async runPreAuthentication() {
		return undefined;
	}

	async getCredentials(): Promise<never> {
		throw new Error('not used by the harness');
	}

	async getDecrypted(_additionalData: IWorkflowExecuteAdditionalData, _node: INodeCredentialsDetails, type: string): Promise<ICredentialDataDecryptedObject> {
		const data = this.data[type];
		if (!data) throw new Error(`Test has no credentials of type ${type}`);
		return data;
	}

	async updateCredentials(_node: INodeCredentialsDetails, type: string, data: ICredentialDataDecryptedObject): Promise<void> {
		this.data[type] = data;
	}

	async updateCredentialsOauthTokenData(_node: INodeCredentialsDetails, type: string, data: ICredentialDataDecryptedObject): Promise<void> {
		this.data[type] = data;
	}

	getCredentialsProperties() {
		return [];
	}
}

export interface WorkflowRunResult {
	run: IRun;
	/** Output items of each node (first run, first output unless asked otherwise). */
	output: (nodeName: string, outputIndex?: number) => INodeExecutionData[];
	error: (nodeName: string) => Error | undefined;
}

export async function runWorkflow(
	workflowJson: IWorkflowBase | Record<string, unknown>,
	credentials: Record<string, ICredentialDataDecryptedObject>,
	/** Items the trigger emits (n8n's pinned data), e.g. bookings. */
	triggerItems?: IDataObject[],
): Promise<WorkflowRunResult> {
	const data = workflowJson as IWorkflowBase;
	const workflow = new Workflow({
		id: String(data.id ?? 'test'),
		name: data.name,
		nodes: data.nodes,
		connections: data.connections,
		active: false,
		nodeTypes: new NodeTypes(),
		settings: { executionOrder: 'v1', ...(data.settings ?? {}) },
		staticData: {},
	});
	const hooks = new ExecutionLifecycleHooks('manual', 'test-execution', { ...data, id: String(data.id ?? 'test') } as IWorkflowBase);
	const additionalData = {
		hooks,
		credentialsHelper: new TestCredentialsHelper(credentials),
		executeWorkflow: async () => {
			throw new Error('sub-workflows are not supported by the harness');
		},
		restApiUrl: 'http://127.0.0.1:5678/rest',
		instanceBaseUrl: 'http://127.0.0.1:5678/',
		webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
		formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
		variables: {},
		userId: 'test-user',
		logAiEvent: async () => {},
		setExecutionStatus: () => {},
		getRunExecutionData: async () => undefined,
	} as unknown as IWorkflowExecuteAdditionalData;
	const executor = new WorkflowExecute(additionalData, 'manual');
	const startNode = data.nodes.find((node) => node.type === 'n8n-nodes-base.manualTrigger');
	const pinData = startNode && triggerItems ? { [startNode.name]: triggerItems.map((json) => ({ json })) } : undefined;
	const run = await executor.run({ workflow, startNode, pinData });
	const taskOf = (nodeName: string) => run.data.resultData.runData[nodeName]?.[0];
	return {
		run,
		output: (nodeName, outputIndex = 0) => taskOf(nodeName)?.data?.main?.[outputIndex] ?? [],
		error: (nodeName) => taskOf(nodeName)?.error,
	};
}

/** A one-node workflow: Manual Trigger → Transport Probe sending `request`. */
export function probeWorkflow(request: { method: string; path: string; body?: unknown; authentication?: 'oAuth2' | 'serviceKey'; fastRetries?: boolean }) {
	const authentication = request.authentication ?? 'serviceKey';
	return {
		id: 'probe',
		name: 'probe',
		nodes: [
			{ id: 'a', name: 'Trigger', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0] as [number, number], parameters: {} },
			{
				id: 'b',
				name: 'Probe',
				type: 'test.transportProbe',
				typeVersion: 1,
				position: [200, 0] as [number, number],
				parameters: { authentication, method: request.method, path: request.path, body: request.body === undefined ? '' : JSON.stringify(request.body), fastRetries: request.fastRetries ?? true },
				credentials: authentication === 'oAuth2' ? { hubSpotSyncOAuth2Api: { id: 'c1', name: 'oauth' } } : { hubSpotSyncServiceKeyApi: { id: 'c2', name: 'key' } },
			},
		],
		connections: { Trigger: { main: [[{ node: 'Probe', type: 'main', index: 0 }]] } },
	} as unknown as IWorkflowBase;
}
