/**
 * A real n8n (pinned version, Node 24) with this package installed as a community package,
 * on 127.0.0.1 with SQLite. Used by `npm start`, the demo and the end-to-end tests.
 * Recipe and traps: shared/n8n-runtime-notes.md.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { apiClient, restClient } from '../docker/first-run';

export const REPO_ROOT = path.resolve(__dirname, '..');
export const PACKAGE_NAME = 'n8n-nodes-hubspot-sync';

export interface Runtime {
	node24: string;
	n8nBin: string;
	n8nDir: string;
	installSeconds?: number;
}

/** Installs Node 24 and n8n once into the cache folder (scripts/install-runtime.sh) and finds them. */
export function ensureRuntime(): Runtime {
	const out = execFileSync('bash', [path.join(REPO_ROOT, 'scripts/install-runtime.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
	const value = (key: string) => out.match(new RegExp(`^${key}=(.*)$`, 'm'))?.[1] ?? '';
	const n8nBin = value('N8N_BIN');
	const n8nDir = path.resolve(path.dirname(n8nBin), '../../..');
	const secondsFile = path.join(n8nDir, '.install-seconds');
	return { node24: value('NODE24'), n8nBin, n8nDir, installSeconds: existsSync(secondsFile) ? Number(readFileSync(secondsFile, 'utf8')) : undefined };
}

/** Builds and packs the package as npm would publish it; answers the tarball's path (in a temporary folder). */
export function packPackage({ build = true } = {}): string {
	if (build) execFileSync('npm', ['run', '-s', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' });
	const packDir = mkdtempSync(path.join(os.tmpdir(), 'hubspot-sync-pack-'));
	const tarball = execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', packDir], { cwd: REPO_ROOT, encoding: 'utf8' }).trim().split('\n').pop()!;
	return path.join(packDir, tarball);
}

/**
 * Packs the package as npm would publish it and unpacks it where n8n's community-package
 * installer puts packages (<user folder>/.n8n/nodes/node_modules/<name>). n8n-workflow, the peer
 * dependency, is linked from n8n's own install, as npm's peer install would provide it.
 */
export function installPackage(userFolder: string, runtime: Runtime, { build = true } = {}): string {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const target = path.join(nodesDir, 'node_modules', PACKAGE_NAME);
	rmSync(target, { recursive: true, force: true });
	mkdirSync(target, { recursive: true });
	const tarball = packPackage({ build });
	execFileSync('tar', ['-xzf', tarball, '-C', target, '--strip-components=1']);
	rmSync(path.dirname(tarball), { recursive: true, force: true });
	const peer = path.join(nodesDir, 'node_modules', 'n8n-workflow');
	if (!existsSync(peer)) symlinkSync(path.join(runtime.n8nDir, 'node_modules', 'n8n-workflow'), peer);
	writeFileSync(path.join(nodesDir, 'package.json'), JSON.stringify({ name: 'installed-nodes', private: true, dependencies: { [PACKAGE_NAME]: `file:${target}` } }, null, 2));
	return target;
}

export interface N8nOptions {
	userFolder: string;
	port: number;
	ownerEmail?: string;
	ownerPassword?: string;
	timezone?: string;
	extraEnv?: Record<string, string>;
	/** Where n8n's output goes (a log file); never printed with secrets. */
	logFile?: string;
}

export const DEFAULT_OWNER = { email: 'owner@example.com', password: 'HubSpotSync-Demo-2026' };

/** The environment that keeps n8n on loopback with nothing leaving the machine. */
export function n8nEnv(options: N8nOptions, runtime: Runtime): NodeJS.ProcessEnv {
	const bcrypt = require(path.join(runtime.n8nDir, 'node_modules', 'bcryptjs')) as { hashSync: (s: string, r: number) => string };
	const { port } = options;
	return {
		PATH: `${path.dirname(runtime.node24)}:${process.env.PATH}`,
		HOME: process.env.HOME,
		N8N_USER_FOLDER: options.userFolder,
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: 'localhost',
		N8N_PROTOCOL: 'http',
		N8N_EDITOR_BASE_URL: `http://localhost:${port}/`,
		N8N_WEBHOOK_URL: `http://localhost:${port}/`,
		N8N_RUNNERS_BROKER_PORT: String(port + 1),
		N8N_ENCRYPTION_KEY: 'hubspot-sync-local-encryption-key',
		GENERIC_TIMEZONE: options.timezone ?? 'Asia/Tokyo',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_DYNAMIC_BANNERS_ENABLED: 'false',
		N8N_VERIFIED_PACKAGES_ENABLED: 'false',
		N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
		N8N_AI_ENABLED: 'false',
		N8N_SECURE_COOKIE: 'false',
		N8N_DISABLED_MODULES: 'mcp-registry',
		N8N_USE_WORKFLOW_PUBLICATION_SERVICE: 'false',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
		N8N_INSTANCE_OWNER_EMAIL: options.ownerEmail ?? DEFAULT_OWNER.email,
		N8N_INSTANCE_OWNER_PASSWORD_HASH: bcrypt.hashSync(options.ownerPassword ?? DEFAULT_OWNER.password, 10),
		DB_SQLITE_POOL_SIZE: '2',
		N8N_LOG_LEVEL: 'info',
		...options.extraEnv,
	};
}

/**
 * Runs an n8n CLI command (import, publish, execute) against the same user folder. Asynchronous on
 * purpose: a workflow run by `execute` may call a server living in this process (the emulator),
 * which a synchronous child process would block.
 */
export async function n8nCli(args: string[], options: N8nOptions, runtime: Runtime): Promise<string> {
	const env = n8nEnv({ ...options, port: options.port + 10 }, runtime);
	return await new Promise((resolve, reject) => {
		execFile(runtime.node24, [runtime.n8nBin, ...args], { env, encoding: 'utf8', timeout: 180_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
			if (error) reject(new Error(`n8n ${args[0]} failed: ${error.message}\n${stderr.slice(-2000)}\n${stdout.slice(-2000)}`));
			else resolve(stdout);
		});
	});
}

export interface RunningN8n {
	url: string;
	process: ChildProcess;
	stop: () => Promise<void>;
	/** A cookie-authenticated call to n8n's internal REST API as the owner. */
	rest: (method: string, pathname: string, body?: unknown) => Promise<any>;
	/** n8n's public API (/api/v1) with an API key the owner creates on first use. */
	api: (method: string, pathname: string, body?: unknown) => Promise<any>;
	/** The same, for any path, answering the raw status and text. */
	raw: (method: string, pathname: string) => Promise<{ status: number; text: string }>;
	startupMs: number;
}

/** SIGTERM (n8n shuts down cleanly), SIGKILL after 15 s; nothing when the process has already ended. */
async function stopProcess(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	child.kill('SIGTERM');
	const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
	await gone;
	clearTimeout(timer);
}

export async function startN8n(options: N8nOptions, runtime: Runtime): Promise<RunningN8n> {
	const started = Date.now();
	const env = n8nEnv(options, runtime);
	const log = options.logFile ? openSync(options.logFile, 'a') : 'ignore';
	const child = spawn(runtime.node24, [runtime.n8nBin, 'start'], { env, stdio: ['ignore', log, log], detached: false });
	const url = `http://127.0.0.1:${options.port}`;
	let exited = false;
	child.on('exit', () => (exited = true));
	const deadline = Date.now() + 120_000;
	for (;;) {
		if (exited) {
			// The log's last lines say why (a port in use, a migration); the folder may be gone later.
			const tail = options.logFile && existsSync(options.logFile) ? readFileSync(options.logFile, 'utf8').split('\n').slice(-15).join('\n') : '';
			throw new Error(`n8n exited during start-up; see ${options.logFile ?? 'its output'}\n${tail}`);
		}
		if (Date.now() > deadline) throw new Error('n8n was not ready within 120 s');
		const ready = await fetch(`${url}/healthz/readiness`).then((r) => r.ok, () => false);
		if (ready) break;
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	const startupMs = Date.now() - started;
	let cookie = '';
	const login = async () => {
		const response = await fetch(`${url}/rest/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ emailOrLdapLoginId: options.ownerEmail ?? DEFAULT_OWNER.email, password: options.ownerPassword ?? DEFAULT_OWNER.password }),
		});
		if (!response.ok) throw new Error(`n8n login failed: ${response.status}`);
		cookie = (response.headers.get('set-cookie') ?? '').split(';')[0];
	};
	const rest: RunningN8n['rest'] = async (method, pathname, body) => {
		if (!cookie) await login();
		return restClient(url, cookie)(method, pathname, body);
	};
	let apiKey = '';
	const api: RunningN8n['api'] = async (method, pathname, body) => {
		if (!apiKey) {
			const scopes: string[] = await rest('GET', '/api-keys/scopes');
			const created = await rest('POST', '/api-keys', { label: `local-${Date.now()}`, scopes, expiresAt: null });
			apiKey = created.rawApiKey ?? created.apiKey;
		}
		return apiClient(url, apiKey)(method, pathname, body);
	};
	const raw: RunningN8n['raw'] = async (method, pathname) => {
		if (!cookie) await login();
		const response = await fetch(`${url}${pathname}`, { method, headers: { cookie }, redirect: 'manual' });
		return { status: response.status, text: await response.text() };
	};
	return { url, process: child, stop: () => stopProcess(child), rest, api, raw, startupMs };
}

/** Polls a production webhook until n8n has registered it (it can lag readiness by seconds). */
export async function waitForWebhook(url: string, timeoutMs = 30_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		const response = await fetch(url, { method: 'GET' }).catch(() => undefined);
		const text = response ? await response.text() : '';
		if (response && (response.status !== 404 || /POST/.test(text))) return;
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	throw new Error(`Webhook ${url} was not registered within ${timeoutMs} ms`);
}

export interface RunningWorker {
	process: ChildProcess;
	logFile: string;
	healthPort: number;
	stop: () => Promise<void>;
}

/**
 * An `n8n worker` for queue mode, on the same user folder and environment as main (options.extraEnv
 * carries EXECUTIONS_MODE=queue, Redis and PostgreSQL). Each worker needs its own task-broker and
 * health-check ports; ready when its readiness check (database and Redis reachable) answers 200.
 */
export async function startWorker(options: N8nOptions, runtime: Runtime, ports: { broker: number; health: number }, logFile: string, concurrency = 5): Promise<RunningWorker> {
	const env = {
		...n8nEnv(options, runtime),
		N8N_RUNNERS_BROKER_PORT: String(ports.broker),
		QUEUE_HEALTH_CHECK_ACTIVE: 'true',
		QUEUE_HEALTH_CHECK_PORT: String(ports.health),
		N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
	};
	const log = openSync(logFile, 'a');
	const child = spawn(runtime.node24, [runtime.n8nBin, 'worker', `--concurrency=${concurrency}`], { env, stdio: ['ignore', log, log] });
	let exited = false;
	child.on('exit', () => (exited = true));
	const deadline = Date.now() + 120_000;
	for (;;) {
		if (exited) throw new Error(`n8n worker exited during start-up; see ${logFile}\n${readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n')}`);
		if (Date.now() > deadline) throw new Error(`n8n worker was not ready within 120 s; see ${logFile}`);
		const ready = await fetch(`http://127.0.0.1:${ports.health}/healthz/readiness`).then((r) => r.ok, () => false);
		if (ready) break;
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	return {
		process: child,
		logFile,
		healthPort: ports.health,
		stop: () => stopProcess(child),
	};
}
