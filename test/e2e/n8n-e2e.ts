/**
 * Shared set-up for end-to-end tests: one real n8n (Node 24, SQLite) with the packed package,
 * one HubSpot emulator, credentials that point at it, and imported workflows.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { execFileSync, type ChildProcess } from 'node:child_process';

import { ensureRuntime, installPackage, n8nCli, REPO_ROOT, startN8n, startWorker, type N8nOptions, type RunningN8n, type RunningWorker, type Runtime } from '../../scripts/n8n-runtime';
import { scanForSecrets } from '../support/secret-scan';
import { DEFAULT_OAUTH_CLIENT, DEFAULT_SERVICE_KEY, HubSpotEmulator, type EmulatorOptions } from '../hubspot-emulator';

export interface E2eEnvironment {
	runtime: Runtime;
	n8n: RunningN8n;
	emulator: HubSpotEmulator;
	userFolder: string;
	logFile: string;
	/** Queue mode: the `n8n worker` processes (empty otherwise). */
	workers: RunningWorker[];
	/** SIGKILL to n8n and every process it started (task runner), as a crash would. */
	kill: () => Promise<void>;
	/** Starts n8n again on the same user folder and port; `n8n` then points at the new process. */
	restart: () => Promise<void>;
	teardown: () => Promise<void>;
}

/** The pids of a process and all its descendants, children first. */
function processTree(pid: number): number[] {
	let listed = '';
	try {
		listed = execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' });
	} catch {
		// ps exits 1 when the process has no children.
	}
	const children = listed.split('\n').map(Number).filter(Boolean);
	return [...children.flatMap(processTree), pid];
}

export async function freePort(): Promise<number> {
	return await new Promise((resolve, reject) => {
		const server = net.createServer();
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
		server.on('error', reject);
	});
}

async function isFree(port: number): Promise<boolean> {
	return await new Promise((resolve) => {
		const server = net.createServer();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

/** A port p such that p + each offset is free; bounded tries. */
export async function freePortBlock(offsets: number[]): Promise<number> {
	for (let attempt = 0; attempt < 50; attempt++) {
		const port = await freePort();
		if (port + Math.max(...offsets) > 65_000) continue;
		const free = await Promise.all(offsets.map((offset) => isFree(port + offset)));
		if (free.every(Boolean)) return port;
	}
	throw new Error('No block of free ports found on 127.0.0.1 after 50 tries');
}

export const WEBHOOK_HEADER = { name: 'X-Booking-Token', value: 'e2e-booking-token-7f3a' };
/** The login of the card import form (n8n's Basic Auth credential in the template). */
export const CARD_FORM_LOGIN = { user: 'cards', password: 'e2e-card-form-pass-51c2' };

/**
 * A template as a user would have it after choosing credentials: the HubSpot nodes switched to the
 * emulator's service key, plus any parameter changes a test needs. Written to a temporary file.
 */
export function templateForE2e(file: string, changes: Record<string, Record<string, unknown>> = {}, credential: 'serviceKey' | 'oAuth2' = 'serviceKey'): string {
	const workflow = JSON.parse(readFileSync(path.join(REPO_ROOT, 'workflows', file), 'utf8'));
	for (const node of workflow.nodes) {
		if (String(node.type).startsWith('n8n-nodes-hubspot-sync.') && node.credentials && !('authentication' in node.parameters)) {
			// A node that only reads the app's client secret (Verify Webhook) keeps the OAuth2 credential.
			node.credentials = { hubSpotSyncOAuth2Api: { id: 'e2eOAuth2Cred0001', name: 'HubSpot emulator (OAuth2)' } };
		} else if (String(node.type).startsWith('n8n-nodes-hubspot-sync.') && node.credentials) {
			node.parameters.authentication = credential;
			node.credentials =
				credential === 'serviceKey'
					? { hubSpotSyncServiceKeyApi: { id: 'e2eServiceKey0001', name: 'HubSpot emulator (service key)' } }
					: { hubSpotSyncOAuth2Api: { id: 'e2eOAuth2Cred0001', name: 'HubSpot emulator (OAuth2)' } };
		}
		Object.assign(node.parameters, changes[node.name] ?? {});
	}
	const dir = mkdtempSync(path.join(os.tmpdir(), 'hubspot-sync-template-'));
	const out = path.join(dir, file);
	writeFileSync(out, JSON.stringify(workflow));
	return out;
}

/** Stands for this n8n's address in a template's settings (see E2eOptions.n8nApiCredential). */
export const E2E_N8N_URL = '__E2E_N8N_URL__';
/** The n8n API credential the templates name. */
export const N8N_API_CREDENTIAL = { id: 'hubspotSyncN8nApi', name: 'n8n API (this instance)' };

/** An API key with the Data table scopes, imported as the templates' n8n API credential. */
async function importN8nApiCredential(n8n: RunningN8n, cli: (args: string[]) => Promise<unknown>): Promise<void> {
	const scopes: string[] = (await n8n.rest('GET', '/api-keys/scopes')).filter((scope: string) => scope.startsWith('dataTable'));
	const key = await n8n.rest('POST', '/api-keys', { label: `templates-${Date.now()}`, scopes, expiresAt: null });
	const file = path.join(os.tmpdir(), `n8n-api-credential-${process.pid}.json`);
	writeFileSync(file, JSON.stringify([{ ...N8N_API_CREDENTIAL, type: 'n8nApi', data: { apiKey: key.rawApiKey ?? key.apiKey, baseUrl: `${n8n.url}/api/v1` } }]));
	try {
		await cli(['import:credentials', `--input=${file}`]);
	} finally {
		rmSync(file);
	}
}

/** Credentials imported into n8n, pointing at the emulator. */
export function emulatorCredentials(emulatorUrl: string, oauthScope = 'oauth crm.schemas.contacts.read crm.schemas.companies.read') {
	return [
		{
			id: 'e2eServiceKey0001',
			name: 'HubSpot emulator (service key)',
			type: 'hubSpotSyncServiceKeyApi',
			data: { accessToken: DEFAULT_SERVICE_KEY, baseUrl: emulatorUrl },
		},
		{
			// The templates' webhooks are protected by header auth; tests send this header.
			id: 'bookingWebhookAuth',
			name: 'Booking webhook header',
			type: 'httpHeaderAuth',
			data: { name: WEBHOOK_HEADER.name, value: WEBHOOK_HEADER.value },
		},
		{
			id: 'cardImportFormAuth',
			name: 'Card import form login',
			type: 'httpBasicAuth',
			data: CARD_FORM_LOGIN,
		},
		{
			// Not connected yet: a test runs n8n's OAuth2 flow against the emulator to connect it.
			id: 'e2eOAuth2Cred0001',
			name: 'HubSpot emulator (OAuth2)',
			type: 'hubSpotSyncOAuth2Api',
			data: { clientId: DEFAULT_OAUTH_CLIENT.clientId, clientSecret: DEFAULT_OAUTH_CLIENT.clientSecret, baseUrl: emulatorUrl, scope: oauthScope },
		},
	];
}

export interface E2eOptions {
	/** Runs after import, before n8n starts: seed the emulator, run set-up workflows with `cli`. */
	beforeStart?: (setup: { emulator: HubSpotEmulator; cli: (args: string[]) => Promise<string> }) => void | Promise<void>;
	/** Workflows to publish (activate); default: all imported. */
	publish?: string[];
	/** Scopes the OAuth2 credential asks for (default: the two schema scopes). */
	oauthScope?: string;
	/** Environment for main, workers and the CLI (queue mode: EXECUTIONS_MODE, Redis, PostgreSQL). */
	extraEnv?: Record<string, string>;
	/** How many `n8n worker` processes to start after main (queue mode). */
	workers?: number;
	/** n8n's port (default: a free one) and user folder (default: a new temporary one); the demo sets both. */
	port?: number;
	userFolder?: string;
	/** More credentials to import (e.g. a Salesforce credential pointing at a stand-in). */
	extraCredentials?: Array<{ id: string; name: string; type: string; data: Record<string, unknown> }>;
	/** More secrets the teardown's scan must not find in n8n's data (e.g. their tokens). */
	extraSecrets?: Array<{ kind: string; value: string }>;
	/**
	 * Creates an n8n API key after start and imports it as the templates' n8n API credential
	 * (`N8N_API_CREDENTIAL`); workflows name this n8n's address as `E2E_N8N_URL`, replaced on import.
	 */
	n8nApiCredential?: boolean;
	/** Installs the package into the user folder instead of the default community-package unpack. */
	install?: (userFolder: string, runtime: Runtime) => void;
}

/** SIGKILL to a process and every process it started (task runners), as a crash would. */
export async function killTree(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	for (const each of processTree(child.pid!)) {
		try {
			process.kill(each, 'SIGKILL');
		} catch {
			// already gone
		}
	}
	await gone;
}

/** Connects the OAuth2 credential through n8n's own flow: n8n's authorize URL, the emulator's approval, n8n's callback. */
export async function connectOAuth2(env: E2eEnvironment): Promise<void> {
	const authUrl: string = await env.n8n.rest('GET', '/oauth2-credential/auth?id=e2eOAuth2Cred0001');
	const approval = await fetch(authUrl, { redirect: 'manual' });
	const callback = new URL(approval.headers.get('location')!);
	const answer = await env.n8n.raw('GET', `${callback.pathname}${callback.search}`);
	if (answer.status !== 200) throw new Error(`OAuth2 callback answered ${answer.status}`);
}

export async function startE2eEnvironment(workflowFiles: string[], emulatorOptions: EmulatorOptions = {}, e2eOptions: E2eOptions = {}): Promise<E2eEnvironment> {
	const runtime = ensureRuntime();
	const userFolder = e2eOptions.userFolder ?? mkdtempSync(path.join(os.tmpdir(), 'hubspot-sync-e2e-'));
	mkdirSync(userFolder, { recursive: true });
	const logFile = path.join(userFolder, 'n8n.log');
	const emulator = new HubSpotEmulator(emulatorOptions);
	const emulatorUrl = await emulator.start();
	// n8n uses port and port+1 (task broker); the CLI uses port+10 and port+11: all four must be free
	// (the emulator and the target app listen on random ports of this process too).
	const port = e2eOptions.port ?? (await freePortBlock([0, 1, 10, 11]));
	const options: N8nOptions = { userFolder, port, logFile, extraEnv: e2eOptions.extraEnv };
	if (e2eOptions.install) e2eOptions.install(userFolder, runtime);
	else installPackage(userFolder, runtime);
	const importDir = path.join(userFolder, 'import');
	mkdirSync(importDir);
	for (const file of workflowFiles) writeFileSync(path.join(importDir, path.basename(file)), readFileSync(file, 'utf8').replaceAll(E2E_N8N_URL, `http://127.0.0.1:${port}`));
	const credentialsFile = path.join(userFolder, 'credentials.json');
	writeFileSync(credentialsFile, JSON.stringify([...emulatorCredentials(emulatorUrl, e2eOptions.oauthScope), ...(e2eOptions.extraCredentials ?? [])]));
	await n8nCli(['import:credentials', `--input=${credentialsFile}`], options, runtime);
	rmSync(credentialsFile);
	await n8nCli(['import:workflow', '--separate', `--input=${importDir}`], options, runtime);
	for (const file of readdirSync(importDir)) {
		const { id, nodes } = JSON.parse(readFileSync(path.join(importDir, file), 'utf8'));
		// n8n 2.x runs the published version of a workflow, error workflows included.
		const triggered = (nodes as Array<{ type: string }>).some((node) => /webhook|scheduleTrigger|formTrigger|errorTrigger|executeWorkflowTrigger/i.test(node.type));
		if ((e2eOptions.publish ?? [id]).includes(id) && triggered) await n8nCli(['publish:workflow', `--id=${id}`], options, runtime);
	}
	await e2eOptions.beforeStart?.({ emulator, cli: (args) => n8nCli(args, options, runtime) });
	const n8n = await startN8n(options, runtime);
	if (e2eOptions.n8nApiCredential) await importN8nApiCredential(n8n, (args) => n8nCli(args, options, runtime));
	const workers: RunningWorker[] = [];
	for (let index = 0; index < (e2eOptions.workers ?? 0); index++) {
		// A port found free can be taken before the worker binds it (an outgoing connection's ephemeral
		// port, e.g. to Redis or PostgreSQL): the worker then exits at once, and gets new ports (3 tries).
		for (let attempt = 1; ; attempt++) {
			const workerPort = await freePortBlock([0, 1]);
			try {
				workers.push(await startWorker(options, runtime, { broker: workerPort, health: workerPort + 1 }, path.join(userFolder, `worker-${index + 1}.log`)));
				break;
			} catch (error) {
				if (attempt === 3 || !/already in use/.test((error as Error).message)) throw error;
			}
		}
	}
	const environment: E2eEnvironment = {
		runtime,
		n8n,
		emulator,
		userFolder,
		logFile,
		workers,
		kill: () => killTree(environment.n8n.process),
		restart: async () => {
			environment.n8n = await startN8n(options, runtime);
		},
		teardown: async () => {
			await Promise.all(workers.map((worker) => worker.stop()));
			await environment.n8n.stop();
			// Secrets never land in n8n's database (executions, Data tables, history rows) or its log.
			const secrets = [...emulator.secrets(), { kind: 'service key', value: DEFAULT_SERVICE_KEY }, ...(e2eOptions.extraSecrets ?? [])];
			const leaks = scanForSecrets(path.join(userFolder, '.n8n'), secrets, [logFile, ...workers.map((worker) => worker.logFile)]);
			if (leaks.length) throw new Error(`Secrets found in n8n's data: ${leaks.join('; ')} (folder kept: ${userFolder})`);
			await emulator.stop();
			if (!process.env.KEEP_E2E_FOLDER) rmSync(userFolder, { recursive: true, force: true });
		},
	};
	return environment;
}

/**
 * A template whose trigger is swapped for a webhook that answers when the run ends, so a test can
 * run a scheduled or manual template on demand, as "Execute workflow" in the editor would.
 * `noData`: the answer is empty (for templates whose last node may output nothing).
 */
export function withWebhookTrigger(templatePath: string, triggerName: string, webhookPath: string, answer: 'lastNode' | 'noData' = 'lastNode'): string {
	return editTemplate(templatePath, (workflow) => {
		Object.assign(nodeOf(workflow, triggerName), {
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			webhookId: `e2e-${webhookPath.replace(/\W/g, '-')}`,
			parameters: { httpMethod: 'POST', path: webhookPath, responseMode: 'lastNode', responseData: answer === 'noData' ? 'noData' : 'firstEntryJson', options: {} },
		});
	});
}

type WorkflowJson = { nodes: Array<{ name: string; type: string; parameters: Record<string, any> }>; settings?: Record<string, unknown> };

function nodeOf(workflow: WorkflowJson, name: string) {
	const node = workflow.nodes.find((candidate) => candidate.name === name);
	if (!node) throw new Error(`No node "${name}" in the template`);
	return node;
}

/**
 * Gives a template copy a file name of its own: templates are imported by file name, so a second copy of
 * one template (another id and name, say) must not keep the first's.
 */
export function renamedTemplate(templatePath: string, fileName: string): string {
	const target = path.join(path.dirname(templatePath), fileName);
	renameSync(templatePath, target);
	return target;
}

/** Changes a template copy (written by templateForE2e) in place. */
export function editTemplate(templatePath: string, edit: (workflow: WorkflowJson) => void): string {
	const workflow = JSON.parse(readFileSync(templatePath, 'utf8'));
	edit(workflow);
	writeFileSync(templatePath, JSON.stringify(workflow));
	return templatePath;
}

/** Sets fields of a template's Set node, as an operator edits "Settings". */
export function withSettings(templatePath: string, nodeName: string, values: Record<string, unknown>): string {
	return editTemplate(templatePath, (workflow) => {
		for (const assignment of nodeOf(workflow, nodeName).parameters.assignments.assignments) {
			if (assignment.name in values) assignment.value = values[assignment.name];
		}
	});
}

/** Calls a production webhook of the templates with the header the e2e credential expects; JSON in and out. */
export async function callWebhook(env: E2eEnvironment, webhookPath: string, body?: unknown, method = 'POST'): Promise<{ status: number; json: any }> {
	const response = await fetch(`${env.n8n.url}/webhook/${webhookPath}`, {
		method,
		headers: { 'content-type': 'application/json', [WEBHOOK_HEADER.name]: WEBHOOK_HEADER.value },
		body: method === 'GET' ? undefined : JSON.stringify(body ?? {}),
	});
	const text = await response.text();
	return { status: response.status, json: text ? JSON.parse(text) : undefined };
}

/** The id of a Data table by name, through n8n's public API. */
export async function dataTableId(env: E2eEnvironment, name: string): Promise<string> {
	const tables = await env.n8n.api('GET', '/data-tables?limit=100');
	const table = tables.data.find((candidate: { name: string }) => candidate.name === name);
	if (!table) throw new Error(`no Data table ${name}`);
	return table.id;
}

/** A Data table filter of n8n's public API: one condition on a column. */
export type RowCondition = { columnName: string; condition: string; value: string | number };

/** Every row of a Data table, or those that meet a condition (250 a page, at most 100,000 rows). */
export async function dataTableRows(env: E2eEnvironment, name: string, where?: RowCondition): Promise<any[]> {
	const id = await dataTableId(env, name);
	const filter = where ? `&filter=${encodeURIComponent(JSON.stringify({ type: 'and', filters: [where] }))}` : '';
	const all: any[] = [];
	let cursor = '';
	for (let page = 0; page < 400; page++) {
		const answer = await env.n8n.api('GET', `/data-tables/${id}/rows?limit=250${filter}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
		all.push(...answer.data);
		if (!answer.nextCursor) break;
		cursor = answer.nextCursor;
	}
	return all;
}

/** A Data table filter (n8n's public API) for rows where `column` equals `value`. */
const equalsFilter = (column: string, value: string | number) => ({ type: 'and', filters: [{ columnName: column, condition: 'eq', value }] });

/** Updates the rows of a Data table where `column` equals `value`, as an operator edits them. */
export async function updateDataTableRows(env: E2eEnvironment, name: string, column: string, value: string | number, data: Record<string, unknown>): Promise<void> {
	const id = await dataTableId(env, name);
	await env.n8n.api('PATCH', `/data-tables/${id}/rows/update`, { filter: equalsFilter(column, value), data });
}

/**
 * Inserts rows into a Data table through n8n's public API, as an app or an operator would, 5,000 a call (n8n's
 * request size limit); returns them with ids.
 */
export async function insertDataTableRows(env: E2eEnvironment, name: string, rows: Array<Record<string, unknown>>): Promise<any[]> {
	const id = await dataTableId(env, name);
	const inserted: any[] = [];
	for (let start = 0; start < rows.length; start += 5000) inserted.push(...(await env.n8n.api('POST', `/data-tables/${id}/rows`, { data: rows.slice(start, start + 5000), returnType: 'all' })));
	return inserted;
}

/** Deletes the rows of a Data table where `column` equals `value`. */
export async function deleteDataTableRows(env: E2eEnvironment, name: string, column: string, value: string): Promise<void> {
	const id = await dataTableId(env, name);
	await env.n8n.api('DELETE', `/data-tables/${id}/rows/delete?filter=${encodeURIComponent(JSON.stringify(equalsFilter(column, value)))}`);
}

/** HubSpot calls the emulator answered that write (anything but reads, batch reads and searches). */
export function hubspotWriteCalls(env: E2eEnvironment): number {
	return Object.entries(env.emulator.stats.byOperation)
		.filter(([operation]) => !operation.startsWith('GET ') && !/batch\/read|\/search/.test(operation))
		.reduce((sum, [, count]) => sum + count, 0);
}
