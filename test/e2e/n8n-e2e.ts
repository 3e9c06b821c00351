/**
 * Shared set-up for end-to-end tests: one real n8n (Node 24, SQLite) with the packed package,
 * one HubSpot emulator, credentials that point at it, and imported workflows.
 */
import { mkdtempSync, mkdirSync, readdirSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';

import { ensureRuntime, installPackage, n8nCli, startN8n, type N8nOptions, type RunningN8n, type Runtime } from '../../scripts/n8n-runtime';
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
			// Not connected yet: a test runs n8n's OAuth2 flow against the emulator to connect it.
			id: 'e2eOAuth2Cred0001',
			name: 'HubSpot emulator (OAuth2)',
			type: 'hubSpotSyncOAuth2Api',
			data: { clientId: DEFAULT_OAUTH_CLIENT.clientId, clientSecret: DEFAULT_OAUTH_CLIENT.clientSecret, baseUrl: emulatorUrl, scope: 'oauth crm.schemas.contacts.read crm.schemas.companies.read' },
		},
	];
}

export async function startE2eEnvironment(workflowFiles: string[], emulatorOptions: EmulatorOptions = {}): Promise<E2eEnvironment> {
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
	n8nCli(['import:credentials', `--input=${credentialsFile}`], options, runtime);
	rmSync(credentialsFile);
	n8nCli(['import:workflow', '--separate', `--input=${importDir}`], options, runtime);
	for (const file of readdirSync(importDir)) {
		const { id } = JSON.parse(require('node:fs').readFileSync(path.join(importDir, file), 'utf8'));
		n8nCli(['publish:workflow', `--id=${id}`], options, runtime);
	}
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
