/**
 * Starts n8n with this package installed and every template in workflows/ imported, on
 * http://localhost:5678 with SQLite, an owner account, and telemetry and update checks off.
 * Data stays in HUBSPOT_SYNC_HOME (default ~/.n8n-hubspot-sync) between starts. Ctrl-C stops.
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';

import { ensureTables, templateTables } from '../docker/first-run';
import { DEFAULT_OWNER, ensureRuntime, installPackage, n8nEnv, REPO_ROOT, startN8n, type N8nOptions } from './n8n-runtime';

// The Data tables the templates use: the same code creates them for Docker (docker/first-run.js).
export { templateTables };

async function main() {
	const began = Date.now();
	const runtime = ensureRuntime();
	const userFolder = process.env.HUBSPOT_SYNC_HOME ?? path.join(os.homedir(), '.n8n-hubspot-sync');
	const port = Number(process.env.N8N_PORT ?? 5678);
	const options: N8nOptions = {
		userFolder,
		port,
		ownerEmail: process.env.N8N_OWNER_EMAIL ?? DEFAULT_OWNER.email,
		ownerPassword: process.env.N8N_OWNER_PASSWORD ?? DEFAULT_OWNER.password,
		logFile: path.join(userFolder, 'n8n.log'),
	};
	console.log('Building and installing n8n-nodes-hubspot-sync ...');
	installPackage(userFolder, runtime);
	// The templates n8n lacks, matched by id, by the same script the Docker image runs at its first start:
	// a template you edited in n8n keeps your edits at the next start.
	const imported = spawnSync('sh', [path.join(REPO_ROOT, 'docker/import-templates.sh')], {
		encoding: 'utf8',
		env: { ...n8nEnv({ ...options, port: options.port + 10 }, runtime), HUBSPOT_SYNC_DIR: REPO_ROOT, N8N_CLI: `${runtime.node24} ${runtime.n8nBin}` },
		timeout: 300_000,
	});
	if (imported.status !== 0) throw new Error(`Importing the templates failed:\n${imported.stderr.slice(-2000)}\n${imported.stdout.slice(-2000)}`);
	process.stdout.write(imported.stdout);
	console.log('Starting n8n ...');
	const n8n = await startN8n(options, runtime);
	const { tables } = await ensureTables(n8n.api, templateTables(path.join(REPO_ROOT, 'workflows')));
	console.log(`Data tables: ${tables.sort().join(', ')}`);
	console.log(`\nn8n is ready in ${((Date.now() - began) / 1000).toFixed(1)} s: http://localhost:${port}/`);
	console.log(`Log in as ${options.ownerEmail} / ${options.ownerPassword === DEFAULT_OWNER.password ? DEFAULT_OWNER.password : '(the password you set)'}`);
	console.log(`n8n's log: ${options.logFile}. Press Ctrl-C to stop.`);
	const stop = async () => {
		console.log('\nStopping n8n ...');
		await n8n.stop();
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

// Only when run as `npm start` (the tests import templateTables).
if (require.main === module) {
	main().catch((error) => {
		console.error(error.message);
		process.exit(1);
	});
}
