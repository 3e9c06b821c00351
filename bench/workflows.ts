/**
 * The benchmark's own workflows, each a webhook that runs one node as a user would configure it for
 * the job, written as n8n workflow JSON files for import. The templates themselves are imported
 * unchanged (bar the webhook that replaces a schedule trigger: `withWebhookTrigger`).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const BENCH_PROPERTIES = ['email', 'firstname', 'lastname', 'phone', 'company', 'jobtitle', 'city', 'country', 'lifecyclestage', 'website'];

export const BUILTIN_CREDENTIAL = { id: 'benchBuiltinTok01', name: 'HubSpot app token (n8n built-in node)', type: 'hubspotAppToken' };
const OURS_CREDENTIAL = { hubSpotSyncServiceKeyApi: { id: 'e2eServiceKey0001', name: 'HubSpot emulator (service key)' } };

type Node = { name: string; type: string; typeVersion: number; position: [number, number]; parameters: Record<string, unknown>; credentials?: Record<string, unknown>; webhookId?: string };

function webhook(pathName: string, responseMode: 'lastNode' | 'responseNode'): Node {
	return {
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0],
		webhookId: `bench-${pathName.replace(/\W/g, '-')}`,
		parameters: { httpMethod: 'POST', path: pathName, responseMode, ...(responseMode === 'lastNode' ? { responseData: 'firstEntryJson' } : {}), options: {} },
	};
}

/** Counts the items that reached it, so the webhook answers one small item however many records ran. */
const countItems = (field: string): Node => ({
	name: 'Count',
	type: 'n8n-nodes-base.summarize',
	typeVersion: 1.1,
	position: [440, 0],
	parameters: { fieldsToSummarize: { values: [{ aggregation: 'count', field }] }, options: {} },
});

function workflow(id: string, name: string, nodes: Node[], connections: Array<[string, string, number?]>): Record<string, unknown> {
	const linked: Record<string, { main: Array<Array<{ node: string; type: 'main'; index: number }>> }> = {};
	for (const [from, to, output = 0] of connections) {
		linked[from] ??= { main: [] };
		while (linked[from].main.length <= output) linked[from].main.push([]);
		linked[from].main[output].push({ node: to, type: 'main', index: 0 });
	}
	return { id, name, nodes, connections: linked, settings: { executionOrder: 'v1', saveDataSuccessExecution: 'all' }, active: false, pinData: {} };
}

/** A webhook → n8n's built-in HubSpot node (app token) → Count. */
function builtinWorkflow(id: string, name: string, pathName: string, parameters: Record<string, unknown>, countField: string) {
	return workflow(id, name, [
		webhook(pathName, 'lastNode'),
		{
			name: 'HubSpot (built-in)',
			type: 'n8n-nodes-base.hubspot',
			typeVersion: 2.2,
			position: [220, 0],
			parameters: { authentication: 'appToken', resource: 'contact', returnAll: true, ...parameters },
			credentials: { hubspotAppToken: { id: BUILTIN_CREDENTIAL.id, name: BUILTIN_CREDENTIAL.name } },
		},
		countItems(countField),
	], [['Webhook', 'HubSpot (built-in)'], ['HubSpot (built-in)', 'Count']]);
}

/** n8n's built-in node, contact → Search, Return All, the same 10 properties: the operation a user picks to read every contact with chosen properties. */
export const builtinSearchWorkflow = () =>
	builtinWorkflow('benchBuiltinSrch1', 'Bench: built-in HubSpot contact search', 'bench/builtin-search', { operation: 'search', filterGroupsUi: {}, additionalFields: { properties: BENCH_PROPERTIES } }, 'id');

/** n8n's built-in node, contact → Get Many, Return All, the same properties (its legacy v1 list endpoint). */
export const builtinGetAllWorkflow = () =>
	builtinWorkflow('benchBuiltinAll01', 'Bench: built-in HubSpot contact get many', 'bench/builtin-getall', { operation: 'getAll', additionalFields: { propertiesCollection: { propertiesValues: { properties: BENCH_PROPERTIES, propertyMode: 'valueOnly' } } } }, 'vid');

/** Our Sync Properties → Pull, full, the same 10 properties, records out (no Data table): the node alone. */
export function oursPullWorkflow() {
	return workflow('benchOursPull0001', 'Bench: Sync Properties full pull', [
		webhook('bench/ours-pull', 'lastNode'),
		{
			name: 'Pull contacts',
			type: 'n8n-nodes-hubspot-sync.hubSpotSyncProperties',
			typeVersion: 1,
			position: [220, 0],
			parameters: { authentication: 'serviceKey', operation: 'pull', objectType: 'contacts', propertyNames: [], extraPropertyNames: BENCH_PROPERTIES.join(','), mode: 'full', pullOptions: {} },
			credentials: OURS_CREDENTIAL,
		},
		countItems('id'),
	], [['Webhook', 'Pull contacts'], ['Pull contacts', 'Count']]);
}

/**
 * Items posted as `{ records: [...] }` → Sync Properties → Push (fields by name, Incoming Wins); answers the summary.
 * `readFirst`: the node's "Read Before Writing" (on: batch read + upsert; off: upsert only).
 */
export function oursPushWorkflow(readFirst: boolean) {
	const suffix = readFirst ? 'read' : 'blind';
	return workflow(readFirst ? 'benchOursPushRead' : 'benchOursPushBlnd', `Bench: Sync Properties push (${readFirst ? 'read before writing' : 'upsert only'})`, [
		webhook(`bench/ours-push-${suffix}`, 'responseNode'),
		{ name: 'One item per record', type: 'n8n-nodes-base.splitOut', typeVersion: 1, position: [220, 0], parameters: { fieldToSplitOut: 'body.records', options: {} } },
		{
			name: 'Push contacts',
			type: 'n8n-nodes-hubspot-sync.hubSpotSyncProperties',
			typeVersion: 1,
			position: [440, 0],
			parameters: { authentication: 'serviceKey', operation: 'push', objectType: 'contacts', mappingMode: 'byName', conflictRule: 'incomingWins', requireValidEmail: true, readFirst, dryRun: false },
			credentials: OURS_CREDENTIAL,
		},
		{ name: 'Answer summary', type: 'n8n-nodes-base.respondToWebhook', typeVersion: 1.1, position: [660, 0], parameters: { respondWith: 'firstIncomingItem', options: {} } },
	], [['Webhook', 'One item per record'], ['One item per record', 'Push contacts'], ['Push contacts', 'Answer summary', 1]]);
}

/** Writes the workflows as files for `n8n import:workflow`. */
export function writeBenchWorkflows(): string[] {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'hubspot-bench-workflows-'));
	return [builtinSearchWorkflow(), builtinGetAllWorkflow(), oursPullWorkflow(), oursPushWorkflow(true), oursPushWorkflow(false)].map((json) => {
		const file = path.join(dir, `${json.id}.json`);
		writeFileSync(file, JSON.stringify(json));
		return file;
	});
}
