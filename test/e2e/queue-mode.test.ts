/**
 * The topology of docker/docker-compose.queue.yml, run natively: Debian's PostgreSQL and Redis on
 * loopback, n8n main with EXECUTIONS_MODE=queue and two `n8n worker` processes, all with the n8n
 * environment read from the compose file and the package installed the way docker/Dockerfile
 * installs it (packed, npm-installed into an /opt-like folder, linked by docker/link-package.sh).
 * Shows: executions spread over both workers; 20 concurrent manual syncs start exactly one; the
 * Data Tables stay consistent; a worker killed mid-run loses no history row and its claim is only
 * held until its lease ends.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { seedCrm } from '../hubspot-emulator/seed';
import { packPackage, REPO_ROOT, waitForWebhook, type Runtime } from '../../scripts/n8n-runtime';
import { composeConfig, serviceEnvironment } from '../support/compose';
import { ensureDebianPackages, startPostgres, startRedis, type LocalService } from '../support/local-services';
import { callWebhook, dataTableRows, freePortBlock, killTree, startE2eEnvironment, templateForE2e, updateDataTableRows, withWebhookTrigger, type E2eEnvironment } from './n8n-e2e';

jest.setTimeout(900_000);

const CONTACTS = 5_000;
const COMPANIES = 1_000;
let env: E2eEnvironment;
let postgres: LocalService | undefined;
let redis: LocalService | undefined;

/** docker/Dockerfile's install, natively: npm install of the packed tarball, then its entrypoint's link step. */
function installLikeDockerImage(userFolder: string, runtime: Runtime): void {
	const optDir = path.join(userFolder, 'opt', 'hubspot-sync');
	mkdirSync(optDir, { recursive: true });
	writeFileSync(path.join(optDir, 'package.json'), '{"private":true}');
	const tarball = packPackage();
	execFileSync('npm', ['install', '--omit=dev', '--legacy-peer-deps', '--no-audit', '--no-fund', '--offline', tarball], { cwd: optDir, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, PATH: `${path.dirname(runtime.node24)}:${process.env.PATH}` } });
	execFileSync('sh', [path.join(REPO_ROOT, 'docker/link-package.sh')], { env: { ...process.env, HUBSPOT_SYNC_DIR: optDir, N8N_USER_FOLDER: userFolder, HUBSPOT_SYNC_LINK_ONLY: '1' } });
}

/** n8n main's environment from the queue compose file, with the hosts and ports of this machine's services. */
function queueEnvironment(postgresPort: number, redisPort: number): Record<string, string> {
	const config = composeConfig('docker/docker-compose.queue.yml');
	const environment = serviceEnvironment(config.services['n8n-main']);
	// Where the containers differ from loopback; n8nEnv sets the URLs of the local port itself.
	for (const key of ['N8N_WEBHOOK_URL', 'N8N_HOST', 'N8N_PROTOCOL', 'TZ']) delete environment[key];
	return {
		...environment,
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(postgresPort),
		DB_POSTGRESDB_USER: 'n8n',
		DB_POSTGRESDB_DATABASE: 'n8n',
		DB_POSTGRESDB_PASSWORD: '',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(redisPort),
	};
}

/** Execution id → worker number, from the workers' logs ("Worker started execution N"). */
function executionsByWorker(): Map<string, number> {
	const byExecution = new Map<string, number>();
	env.workers.forEach((worker, index) => {
		for (const match of readFileSync(worker.logFile, 'utf8').matchAll(/Worker started execution (\d+)/g)) byExecution.set(match[1], index + 1);
	});
	return byExecution;
}

beforeAll(async () => {
	ensureDebianPackages({ 'redis-server': 'redis-server', postgresql: '/usr/lib/postgresql' });
	const ports = await freePortBlock([0, 1]);
	postgres = await startPostgres(ports);
	redis = await startRedis(ports + 1);
	env = await startE2eEnvironment(
		[
			templateForE2e('record-history.json'),
			templateForE2e('error-workflow-history.json'),
			templateForE2e('property-sync-run.json'),
			templateForE2e('property-sync-chunk.json'),
			templateForE2e('property-sync-manual.json'),
			withWebhookTrigger(templateForE2e('property-sync-nightly.json'), 'Every night at 00:00', 'e2e/property-sync-nightly'),
			withWebhookTrigger(templateForE2e('property-sync-setup.json'), 'Run setup', 'e2e/property-sync-setup', 'noData'),
		],
		{},
		{
			extraEnv: queueEnvironment(postgres.port, redis.port),
			workers: 2,
			install: installLikeDockerImage,
			beforeStart: ({ emulator }) => void seedCrm(emulator.store, { contacts: CONTACTS, companies: COMPANIES, at: Date.now() - 2 * 3_600_000 }),
		},
	);
	await waitForWebhook(`${env.n8n.url}/webhook/e2e/property-sync-setup`);
});

afterAll(async () => {
	await env?.teardown();
	await redis?.stop();
	await postgres?.stop();
});

const manual = (body: unknown = {}) => callWebhook(env, 'hubspot-sync/properties/sync', body);
const rows = (name: string) => dataTableRows(env, name);
const runRow = async () => (await rows('hubspot_sync_runs'))[0];
const updateRunRow = (data: Record<string, unknown>) => updateDataTableRows(env, 'hubspot_sync_runs', 'scope', 'property-sync', data);
const runHistory = async () => (await rows('hubspot_sync_history')).filter((row) => row.objectType === 'run');

it('main and both workers run on PostgreSQL and Redis with the package the Docker image installs', async () => {
	expect((await callWebhook(env, 'e2e/property-sync-setup', {})).status).toBe(200);
	const nightly = await callWebhook(env, 'e2e/property-sync-nightly', {});
	expect(nightly.json).toMatchObject({ status: 'finished', contacts: { mode: 'full', records: CONTACTS }, companies: { mode: 'full', records: COMPANIES } });
	expect(await rows('hubspot_sync_records')).toHaveLength(CONTACTS + COMPANIES);
	// Both executions ran on workers, not on main.
	expect(executionsByWorker().size).toBeGreaterThanOrEqual(2);
	expect(readFileSync(env.logFile, 'utf8')).not.toMatch(/Unrecognized node type/i);
	for (const worker of env.workers) expect(readFileSync(worker.logFile, 'utf8')).not.toMatch(/Unrecognized node type|Failed to load package/i);
});

it('20 concurrent manual requests, spread over both workers, start exactly one sync', async () => {
	await updateRunRow({ manualAllowedAfter: '2000-01-01T00:00:00.000Z' });
	const historyBefore = (await runHistory()).length;
	const jobsBefore = executionsByWorker().size;
	env.emulator.resetStats();
	const answers = await Promise.all(Array.from({ length: 20 }, () => manual({ mode: 'full' })));
	const statuses = answers.map((answer) => answer.status);
	expect(statuses.filter((status) => status === 200)).toHaveLength(1);
	expect(statuses.filter((status) => status === 429)).toHaveLength(19);
	const winner = answers.find((answer) => answer.status === 200)!.json;
	expect(winner).toMatchObject({ status: 'finished', contacts: { mode: 'full', records: CONTACTS } });
	expect(env.emulator.stats.requests).toBe(winner.calls);
	// Each request was a queued job; both workers took some.
	const byWorker = executionsByWorker();
	expect(byWorker.size - jobsBefore).toBeGreaterThanOrEqual(20);
	const perWorker = [1, 2].map((worker) => [...byWorker.values()].filter((each) => each === worker).length);
	expect(perWorker.every((count) => count > 0)).toBe(true);
	console.log(`queue mode: executions per worker ${perWorker.join(' / ')}`);
	// The Data Tables are consistent: one run row, every record once, one history row for the one sync.
	const records = await rows('hubspot_sync_records');
	expect(records).toHaveLength(CONTACTS + COMPANIES);
	expect(new Set(records.map((row) => `${row.objectType}:${row.hubspotId}`)).size).toBe(CONTACTS + COMPANIES);
	expect(await rows('hubspot_sync_runs')).toEqual([expect.objectContaining({ status: 'idle', lastResult: 'success' })]);
	expect((await runHistory()).length).toBe(historyBefore + 1);
});

it('a worker killed mid-run loses no history row, and its claim holds only until its lease ends', async () => {
	await updateRunRow({ manualAllowedAfter: '2000-01-01T00:00:00.000Z', leaseMinutes: 1 });
	const historyBefore = await rows('hubspot_sync_history');
	// Slow HubSpot down so that the run is still reading when its worker dies.
	env.emulator.configure({ latencyMs: 150 });
	env.emulator.resetStats();
	const known = new Set(executionsByWorker().keys());
	const killed = manual({ mode: 'full' }).catch(() => ({ status: 0, json: undefined }));
	const deadline = Date.now() + 60_000;
	while (env.emulator.stats.requests < 5 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
	const running = [...executionsByWorker()].filter(([execution]) => !known.has(execution));
	expect(running).toHaveLength(1);
	const [, victim] = running[0];
	await killTree(env.workers[victim - 1].process);
	env.emulator.configure({ latencyMs: 0 });
	const stuck = await runRow();
	expect(stuck.status).toBe('running');
	expect(Date.parse(stuck.leaseUntil)).toBeGreaterThan(Date.now());
	// The surviving worker answers: a sync is running, until the lease ends.
	expect((await manual()).json).toMatchObject({ status: 'refused', reason: 'running' });
	await new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(stuck.leaseUntil) - Date.now()) + 500));
	const next = await manual();
	expect(next.status).toBe(200);
	expect(next.json).toMatchObject({ status: 'finished', contacts: { mode: 'full', records: CONTACTS }, companies: { mode: 'full', records: COMPANIES } });
	// The request whose worker died never reports a finished sync (n8n main has no answer for it).
	const outcome = await Promise.race([killed, new Promise<{ status: number }>((resolve) => setTimeout(() => resolve({ status: -1 }), 1_000))]);
	expect(outcome.status).not.toBe(200);
	// Every earlier history row is still there, and the interrupted run is visible as such.
	const historyAfter = await rows('hubspot_sync_history');
	const ids = new Set(historyAfter.map((row) => row.historyId));
	expect(historyBefore.every((row) => ids.has(row.historyId))).toBe(true);
	expect(historyAfter.filter((row) => row.code === 'RUN_INTERRUPTED')).toEqual([expect.objectContaining({ status: 'error', objectType: 'run' })]);
	const records = await rows('hubspot_sync_records');
	expect(records).toHaveLength(CONTACTS + COMPANIES);
	expect(new Set(records.map((row) => `${row.objectType}:${row.hubspotId}`)).size).toBe(CONTACTS + COMPANIES);
	expect(await runRow()).toMatchObject({ status: 'idle', lastResult: 'success' });
});
