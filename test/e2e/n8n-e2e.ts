/**
 * Shared set-up for end-to-end tests: one real n8n (Node 24, SQLite) with the packed package,
 * one HubSpot emulator, credentials that point at it, and imported workflows.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';

import { ensureRuntime, installPackage, n8nCli, REPO_ROOT, startN8n, type N8nOptions, type RunningN8n, type Runtime } from '../../scripts/n8n-runtime';
import { DEFAULT_OAUTH_CLIENT, DEFAULT_SERVICE_KEY, HubSpotEmulator, type EmulatorOptions } from '../hubspot-emulator';

export interface E2eEnvironment {
	runtime: Runtime;
	n8n: RunningN8n;
	emulator: HubSpotEmulator;
	userFolder: string;
	logFile: string;
	teardown: () => Promise<void>;
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

export const WEBHOOK_HEADER = { name: 'X-Booking-Token', value: 'e2e-booking-token-7f3a' };

/**
 * A template as a user would have it after choosing credentials: the HubSpot nodes switched to the
 * emulator's service key, plus any parameter changes a test needs. Written to a temporary file.
 */
export function templateForE2e(file: string, changes: Record<string, Record<string, unknown>> = {}): string {
	const workflow = JSON.parse(readFileSync(path.join(REPO_ROOT, 'workflows', file), 'utf8'));
	for (const node of workflow.nodes) {
		if (String(node.type).startsWith('n8n-nodes-hubspot-sync.')) {
			node.parameters.authentication = 'serviceKey';
			node.credentials = { hubSpotSyncServiceKeyApi: { id: 'e2eServiceKey0001', name: 'HubSpot emulator (service key)' } };
		}
		Object.assign(node.parameters, changes[node.name] ?? {});
	}
	const dir = mkdtempSync(path.join(os.tmpdir(), 'hubspot-sync-template-'));
	const out = path.join(dir, file);
	writeFileSync(out, JSON.stringify(workflow));
	return out;
}

/** Credentials imported into n8n, pointing at the emulator. */
export function emulatorCredentials(emulatorUrl: string) {
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
			// Not connected yet: a test runs n8n's OAuth2 flow against the emulator to connect it.
			id: 'e2eOAuth2Cred0001',
			name: 'HubSpot emulator (OAuth2)',
			type: 'hubSpotSyncOAuth2Api',
			data: { clientId: DEFAULT_OAUTH_CLIENT.clientId, clientSecret: DEFAULT_OAUTH_CLIENT.clientSecret, baseUrl: emulatorUrl, scope: 'oauth crm.schemas.contacts.read crm.schemas.companies.read' },
		},
	];
}

export interface E2eOptions {
	/** Runs after import, before n8n starts: seed the emulator, run set-up workflows with `cli`. */
	beforeStart?: (setup: { emulator: HubSpotEmulator; cli: (args: string[]) => Promise<string> }) => void | Promise<void>;
	/** Workflows to publish (activate); default: all imported. */
	publish?: string[];
}

export async function startE2eEnvironment(workflowFiles: string[], emulatorOptions: EmulatorOptions = {}, e2eOptions: E2eOptions = {}): Promise<E2eEnvironment> {
	const runtime = ensureRuntime();
	const userFolder = mkdtempSync(path.join(os.tmpdir(), 'hubspot-sync-e2e-'));
	const logFile = path.join(userFolder, 'n8n.log');
	const emulator = new HubSpotEmulator(emulatorOptions);
	const emulatorUrl = await emulator.start();
	// Port pairs: n8n uses port and port+1 (task broker); the CLI uses port+10 and port+11.
	let port = await freePort();
	if (port > 60_000) port -= 10_000;
	const options: N8nOptions = { userFolder, port, logFile };
	installPackage(userFolder, runtime);
	const importDir = path.join(userFolder, 'import');
	mkdirSync(importDir);
	for (const file of workflowFiles) copyFileSync(file, path.join(importDir, path.basename(file)));
	const credentialsFile = path.join(userFolder, 'credentials.json');
	writeFileSync(credentialsFile, JSON.stringify(emulatorCredentials(emulatorUrl)));
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
	return {
		runtime,
		n8n,
		emulator,
		userFolder,
		logFile,
		teardown: async () => {
			await n8n.stop();
			await emulator.stop();
			if (!process.env.KEEP_E2E_FOLDER) rmSync(userFolder, { recursive: true, force: true });
		},
	};
}
