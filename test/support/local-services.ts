/**
 * Debian's PostgreSQL and Redis, started on loopback in throwaway folders for the queue-mode test,
 * and the Debian packages the Docker and browser tests need. A fresh CI machine has none of them:
 * they are installed with apt on first use (the machine's registries include Debian's).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

function commandExists(command: string): boolean {
	try {
		execFileSync('bash', ['-c', `command -v ${command}`], { stdio: 'ignore' });
		return true;
	} catch {
		return false;
	}
}

/** Installs Debian packages whose marker file or command is missing; one apt run for all. */
export function ensureDebianPackages(wanted: Record<string, string>): void {
	const missing = Object.entries(wanted)
		.filter(([, marker]) => (marker.startsWith('/') ? !existsSync(marker) : !commandExists(marker)))
		.map(([name]) => name);
	if (missing.length === 0) return;
	const apt = (args: string[]) => execFileSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, timeout: 600_000 });
	try {
		apt(['install', '-y', '-q', '--no-install-recommends', ...missing]);
	} catch {
		// A machine whose package lists are stale or empty: refresh them once and try again.
		apt(['update', '-q']);
		apt(['install', '-y', '-q', '--no-install-recommends', ...missing]);
	}
}

/** PostgreSQL's own binaries (Debian keeps them out of PATH, per major version). */
function postgresBin(tool: string): string {
	const root = '/usr/lib/postgresql';
	const version = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a))[0] : undefined;
	if (!version) throw new Error('PostgreSQL is not installed (/usr/lib/postgresql is empty)');
	return path.join(root, version, 'bin', tool);
}

export async function waitForPort(port: number, timeoutMs = 30_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		const open = await new Promise<boolean>((resolve) => {
			const socket = net.connect(port, '127.0.0.1', () => {
				socket.end();
				resolve(true);
			});
			socket.on('error', () => resolve(false));
		});
		if (open) return;
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	throw new Error(`Nothing listened on 127.0.0.1:${port} within ${timeoutMs} ms`);
}

export interface LocalService {
	port: number;
	stop: () => Promise<void>;
}

/** A Redis with no persistence, on 127.0.0.1 only. */
export async function startRedis(port: number): Promise<LocalService> {
	const child: ChildProcess = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', '--protected-mode', 'yes'], { stdio: 'ignore' });
	await waitForPort(port);
	return {
		port,
		stop: async () => {
			if (child.exitCode !== null) return;
			const gone = new Promise((resolve) => child.once('exit', resolve));
			child.kill('SIGTERM');
			await gone;
		},
	};
}

/**
 * A PostgreSQL cluster in a temporary folder, listening on 127.0.0.1 only, with one database and a
 * password-less (trust) user for n8n. PostgreSQL refuses to run as root, so as root it runs as the
 * `postgres` user Debian's package creates.
 */
export async function startPostgres(port: number, database = 'n8n', user = 'n8n'): Promise<LocalService> {
	const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hubspot-sync-pg-'));
	const asRoot = process.getuid?.() === 0;
	if (asRoot) execFileSync('chown', ['postgres:postgres', dataDir]);
	chmodSync(dataDir, 0o700);
	const run = (tool: string, args: string[]) => execFileSync(asRoot ? 'runuser' : postgresBin(tool), asRoot ? ['-u', 'postgres', '--', postgresBin(tool), ...args] : args, { stdio: ['ignore', 'ignore', 'pipe'], cwd: os.tmpdir() });
	run('initdb', ['-D', dataDir, '-U', user, '--auth=trust', '--no-sync', '-E', 'UTF8']);
	const options = `-p ${port} -c listen_addresses=127.0.0.1 -k ${dataDir} -c fsync=off -c synchronous_commit=off -c max_connections=100`;
	run('pg_ctl', ['-D', dataDir, '-o', options, '-l', path.join(dataDir, 'server.log'), '-w', 'start']);
	run('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', user, database]);
	return {
		port,
		stop: async () => {
			try {
				run('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
			} finally {
				rmSync(dataDir, { recursive: true, force: true });
			}
		},
	};
}
