/**
 * The Docker files a self-hoster uses, checked without a Docker engine: Docker Compose reads both
 * compose files with docker/.env.example, the queue topology has what n8n needs (one image and
 * encryption key for main and workers, PostgreSQL, Redis, a webhook URL), a missing key is refused
 * with the message the file gives, and the Dockerfile builds from files that exist, on the n8n
 * version the tests run. The first-run steps run natively against the real n8n: the template import,
 * the owner account the entrypoint hands n8n, and the first-run service's Data tables. The queue
 * topology itself runs natively in queue-mode.test.ts.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { templateTables } from '../../docker/first-run';
import { ensureRuntime, n8nEnv, REPO_ROOT, startN8n, type RunningN8n } from '../../scripts/n8n-runtime';
import { composeConfig, serviceEnvironment, type ComposeService } from '../support/compose';

const dockerfile = readFileSync(path.join(REPO_ROOT, 'docker/Dockerfile'), 'utf8');
const publishedPort = (service: ComposeService) => (service.ports ?? []).map((port) => (typeof port === 'string' ? port : `${port.host_ip ?? ''}:${port.published}:${port.target}`));

describe('docker-compose.yml (SQLite)', () => {
	const config = composeConfig('docker/docker-compose.yml');

	it('one n8n service built from docker/Dockerfile, its data in a named volume, published on loopback', () => {
		expect(Object.keys(config.services).sort()).toEqual(['env-check', 'first-run', 'n8n']);
		const n8n = config.services.n8n;
		expect(n8n.build?.dockerfile).toBe('docker/Dockerfile');
		expect(path.resolve(n8n.build!.context)).toBe(REPO_ROOT);
		expect(JSON.stringify(n8n.volumes)).toContain('/home/node/.n8n');
		expect(Object.keys(config.volumes ?? {})).toContain('n8n_data');
		expect(publishedPort(n8n).join()).toMatch(/127\.0\.0\.1:5678:5678/);
		expect(serviceEnvironment(n8n)).toMatchObject({ DB_TYPE: 'sqlite', N8N_DIAGNOSTICS_ENABLED: 'false', N8N_WEBHOOK_URL: 'http://localhost:5678/' });
		expect(serviceEnvironment(n8n)).not.toHaveProperty('WEBHOOK_URL');
	});
});

describe('docker-compose.queue.yml', () => {
	const config = composeConfig('docker/docker-compose.queue.yml');
	const n8nServices = ['n8n-main', 'n8n-worker-1', 'n8n-worker-2'];

	it('PostgreSQL, Redis, one main and two workers, after the one-shot env-check, and the one-shot first-run', () => {
		expect(Object.keys(config.services).sort()).toEqual(['env-check', 'first-run', 'n8n-main', 'n8n-worker-1', 'n8n-worker-2', 'postgres', 'redis']);
		expect(config.services.postgres.image).toMatch(/^postgres:1[6-9]/);
		expect(config.services.redis.image).toMatch(/^redis:/);
	});

	it('main and workers share one image, encryption key, database and queue, in queue mode', () => {
		const environments = n8nServices.map((name) => serviceEnvironment(config.services[name]));
		expect(new Set(n8nServices.map((name) => config.services[name].image)).size).toBe(1);
		for (const key of ['N8N_ENCRYPTION_KEY', 'DB_POSTGRESDB_PASSWORD', 'DB_POSTGRESDB_DATABASE', 'QUEUE_BULL_REDIS_HOST', 'N8N_WEBHOOK_URL']) {
			expect(new Set(environments.map((environment) => environment[key])).size).toBe(1);
			expect(environments[0][key]).toBeTruthy();
		}
		for (const environment of environments) expect(environment).toMatchObject({ EXECUTIONS_MODE: 'queue', DB_TYPE: 'postgresdb', DB_POSTGRESDB_HOST: 'postgres', QUEUE_BULL_REDIS_HOST: 'redis' });
		// The database password n8n uses is the one PostgreSQL is created with.
		expect(environments[0].DB_POSTGRESDB_PASSWORD).toBe(serviceEnvironment(config.services.postgres).POSTGRES_PASSWORD);
	});

	it('workers run `n8n worker`; only main is published; everything waits for healthy PostgreSQL and Redis', () => {
		for (const worker of ['n8n-worker-1', 'n8n-worker-2']) {
			const command = config.services[worker].command;
			expect(Array.isArray(command) ? command.join(' ') : command).toMatch(/^worker --concurrency=\d+$/);
			expect(config.services[worker].ports ?? []).toEqual([]);
		}
		expect(publishedPort(config.services['n8n-main']).join()).toMatch(/127\.0\.0\.1:5678:5678/);
		for (const name of n8nServices) expect(config.services[name].depends_on).toMatchObject({ postgres: { condition: 'service_healthy' }, redis: { condition: 'service_healthy' } });
	});

	it('refuses to start without an encryption key, saying where to set it', () => {
		const dir = mkdtempSync(path.join(os.tmpdir(), 'hubspot-sync-env-'));
		const envFile = path.join(dir, '.env');
		writeFileSync(envFile, readFileSync(path.join(REPO_ROOT, 'docker/.env.example'), 'utf8').replace(/^N8N_ENCRYPTION_KEY=.*$/m, 'N8N_ENCRYPTION_KEY='));
		expect(() => composeConfig('docker/docker-compose.queue.yml', envFile)).toThrow(/set N8N_ENCRYPTION_KEY in docker\/\.env/);
		rmSync(dir, { recursive: true, force: true });
	});
});

/** Every service whose environment holds one of these secrets must wait for env-check, which checks exactly those. */
const SECRETS = ['N8N_ENCRYPTION_KEY', 'DB_POSTGRESDB_PASSWORD', 'POSTGRES_PASSWORD', 'N8N_OWNER_PASSWORD'];
const checkEnv = path.join(REPO_ROOT, 'docker/check-env.sh');
const runCheck = (names: string[], environment: Record<string, string>) => spawnSync('sh', [checkEnv, ...names], { encoding: 'utf8', env: { PATH: process.env.PATH, ...environment } });

describe.each(['docker/docker-compose.yml', 'docker/docker-compose.queue.yml'])('%s refuses placeholder secrets', (file) => {
	const config = composeConfig(file);
	const check = config.services['env-check'];

	it('env-check runs docker/check-env.sh from the same image, once, on the secrets the services use', () => {
		expect(check.entrypoint).toEqual(['/opt/hubspot-sync/check-env.sh']);
		expect(check.restart).toBe('no');
		expect(check.image).toBe(config.services[file.endsWith('queue.yml') ? 'n8n-main' : 'n8n'].image);
		const checked = check.command as string[];
		expect(checked).toEqual(expect.arrayContaining(['N8N_ENCRYPTION_KEY', 'N8N_OWNER_EMAIL', 'N8N_OWNER_PASSWORD']));
		// The check sees the values it checks, as Compose substitutes them from docker/.env.
		for (const name of checked) expect(serviceEnvironment(check)[name]).toMatch(/^CHANGE-ME-/);
	});

	it('every service that uses a secret starts only after env-check completed successfully', () => {
		const users = Object.entries(config.services).filter(([name, service]) => name !== 'env-check' && SECRETS.some((secret) => secret in serviceEnvironment(service)));
		expect(users.length).toBeGreaterThan(0);
		for (const [name, service] of users) expect([name, (service.depends_on as Record<string, { condition: string }>)?.['env-check']]).toEqual([name, { condition: 'service_completed_successfully' }]);
	});
});

describe('docker/check-env.sh', () => {
	const example = Object.fromEntries(readFileSync(path.join(REPO_ROOT, 'docker/.env.example'), 'utf8').split('\n').filter((line) => /^[A-Z0-9_]+=/.test(line)).map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));

	it('fails on docker/.env.example as shipped, naming each placeholder variable and what to do', () => {
		const result = runCheck(['N8N_ENCRYPTION_KEY', 'POSTGRES_PASSWORD'], example);
		expect(result.status).toBe(1);
		expect(result.stderr).toMatch(/N8N_ENCRYPTION_KEY still has the placeholder from docker\/\.env\.example: set your own value in docker\/\.env/);
		expect(result.stderr).toMatch(/POSTGRES_PASSWORD still has the placeholder/);
	});

	it('fails on an empty value and on one placeholder among real values', () => {
		const empty = runCheck(['N8N_ENCRYPTION_KEY'], { N8N_ENCRYPTION_KEY: '' });
		expect([empty.status, empty.stderr]).toEqual([1, expect.stringMatching(/N8N_ENCRYPTION_KEY is empty: set it in docker\/\.env/)]);
		const one = runCheck(['N8N_ENCRYPTION_KEY', 'POSTGRES_PASSWORD'], { N8N_ENCRYPTION_KEY: 'a1b2c3d4e5f6', POSTGRES_PASSWORD: example.POSTGRES_PASSWORD });
		expect(one.status).toBe(1);
		expect(one.stderr).toContain('POSTGRES_PASSWORD still has the placeholder');
		expect(one.stderr).not.toContain('N8N_ENCRYPTION_KEY');
	});

	it('passes on real values without printing them', () => {
		const result = runCheck(['N8N_ENCRYPTION_KEY', 'POSTGRES_PASSWORD'], { N8N_ENCRYPTION_KEY: 'f00dfeedcafe0123', POSTGRES_PASSWORD: 'pg-secret-9876' });
		expect(result.status).toBe(0);
		expect(result.stdout + result.stderr).not.toMatch(/f00dfeedcafe0123|pg-secret-9876/);
	});
});

describe('docker/Dockerfile', () => {
	it('builds on the n8n version the tests run, from files that exist and are not docker-ignored', () => {
		const pinned = readFileSync(path.join(REPO_ROOT, 'scripts/install-runtime.sh'), 'utf8').match(/N8N_VERSION:-([\d.]+)/)![1];
		expect(dockerfile).toContain(`ARG N8N_VERSION=${pinned}`);
		expect(dockerfile).toMatch(/^FROM n8nio\/n8n:\$\{N8N_VERSION\}$/m);
		const ignored = readFileSync(path.join(REPO_ROOT, '.dockerignore'), 'utf8').split('\n').filter(Boolean);
		const sources = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((match) => match[1].split(/\s+/));
		expect(sources.length).toBeGreaterThan(5);
		for (const source of sources) {
			expect([source, existsSync(path.join(REPO_ROOT, source))]).toEqual([source, true]);
			expect(ignored.filter((pattern) => source === pattern || source.startsWith(`${pattern}/`))).toEqual([]);
		}
	});

	it('imports the templates on n8n main only (no command or `start`), before handing over to n8n', () => {
		const entrypoint = readFileSync(path.join(REPO_ROOT, 'docker/link-package.sh'), 'utf8');
		expect(entrypoint).toContain('if [ "$#" -eq 0 ] || [ "$1" = "start" ]; then');
		expect(entrypoint.indexOf('import-templates.sh"')).toBeLessThan(entrypoint.indexOf('exec "${N8N_ENTRYPOINT:-/docker-entrypoint.sh}"'));
	});

	it('links the package where n8n loads community packages and hands over to the official entrypoint', () => {
		expect(dockerfile).toMatch(/ENTRYPOINT \["tini", "--", "\/opt\/hubspot-sync\/link-package\.sh"\]/);
		const entrypoint = readFileSync(path.join(REPO_ROOT, 'docker/link-package.sh'), 'utf8');
		expect(entrypoint).toContain('exec "${N8N_ENTRYPOINT:-/docker-entrypoint.sh}" "$@"');
		expect(entrypoint).toContain('.n8n/nodes');
	});

	it('puts the first-run scripts where the entrypoint and the first-run service run them', () => {
		const copied = dockerfile.match(/^COPY (docker\/link-package\.sh .+) \/opt\/hubspot-sync\/$/m)![1].split(/\s+/);
		expect(copied).toEqual(expect.arrayContaining(['docker/owner-hash.js', 'docker/first-run.js', 'docker/check-env.sh', 'docker/import-templates.sh']));
		expect(readFileSync(path.join(REPO_ROOT, 'docker/link-package.sh'), 'utf8')).toContain('node "$HUBSPOT_SYNC_DIR/owner-hash.js"');
	});
});

describe('docker/import-templates.sh against the real n8n CLI', () => {
	const work = mkdtempSync(path.join(os.tmpdir(), 'hubspot-sync-import-'));
	afterAll(() => rmSync(work, { recursive: true, force: true }));

	it('imports every template on the first start and nothing on the second', () => {
		const runtime = ensureRuntime();
		const optDir = path.join(work, 'opt');
		mkdirSync(optDir);
		symlinkSync(path.join(REPO_ROOT, 'workflows'), path.join(optDir, 'workflows'));
		const env = { ...n8nEnv({ userFolder: path.join(work, 'user'), port: 45_000 + Math.floor(Math.random() * 1000) }, runtime), HUBSPOT_SYNC_DIR: optDir, N8N_CLI: `${runtime.node24} ${runtime.n8nBin}` };
		const run = (script: string, ...args: string[]) => spawnSync('sh', [script, ...args], { encoding: 'utf8', env, timeout: 180_000 });
		const templates = readdirSync(path.join(REPO_ROOT, 'workflows')).filter((file) => file.endsWith('.json'));
		const first = run(path.join(REPO_ROOT, 'docker/import-templates.sh'));
		expect([first.status, first.stdout]).toEqual([0, expect.stringContaining(`importing ${templates.length} template(s)`)]);
		const listed = () => spawnSync(runtime.node24, [runtime.n8nBin, 'list:workflow'], { encoding: 'utf8', env, timeout: 180_000 }).stdout.trim().split('\n').filter((line) => line.includes('|'));
		expect(listed().length).toBe(templates.length);
		const second = run(path.join(REPO_ROOT, 'docker/import-templates.sh'));
		expect([second.status, second.stdout]).toEqual([0, expect.stringContaining('nothing imported')]);
		expect(listed().length).toBe(templates.length);
	}, 600_000);
});

/** docker/.env.example as Compose reads it: NAME=value lines. */
const envExample: Record<string, string> = Object.fromEntries(readFileSync(path.join(REPO_ROOT, 'docker/.env.example'), 'utf8').split('\n').filter((line) => /^[A-Z0-9_]+=/.test(line)).map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
const OWNER_VARIABLES = ['N8N_OWNER_EMAIL', 'N8N_OWNER_PASSWORD'];
const MAIN_SERVICE: Record<string, string> = { 'docker/docker-compose.yml': 'n8n', 'docker/docker-compose.queue.yml': 'n8n-main' };

describe.each(Object.keys(MAIN_SERVICE))('%s: the owner account and the first-run service', (file) => {
	const config = composeConfig(file);
	const main = MAIN_SERVICE[file];
	const firstRun = config.services['first-run'];

	it('the owner e-mail and password reach env-check, n8n main and first-run, as docker/.env sets them, and no other service', () => {
		const owners = ['env-check', main, 'first-run'];
		for (const name of owners) for (const variable of OWNER_VARIABLES) expect([name, variable, serviceEnvironment(config.services[name])[variable]]).toEqual([name, variable, envExample[variable]]);
		const others = Object.keys(config.services).filter((name) => !owners.includes(name));
		if (file.endsWith('queue.yml')) expect(others).toEqual(expect.arrayContaining(['n8n-worker-1', 'n8n-worker-2', 'postgres', 'redis']));
		for (const name of others) expect([name, Object.keys(serviceEnvironment(config.services[name])).filter((key) => key.includes('OWNER'))]).toEqual([name, []]);
		// n8n's own variables are set by the entrypoint from these, never by Compose.
		for (const [name, service] of Object.entries(config.services)) expect([name, Object.keys(serviceEnvironment(service)).filter((key) => key.startsWith('N8N_INSTANCE_OWNER'))]).toEqual([name, []]);
	});

	it('first-run: the same image, once, running first-run.js after n8n main is healthy, calling main inside the Compose network', () => {
		expect(firstRun.image).toBe(config.services[main].image);
		expect(firstRun.restart).toBe('no');
		expect(firstRun.entrypoint).toEqual(['node', '/opt/hubspot-sync/first-run.js']);
		expect(firstRun.depends_on).toEqual({ 'env-check': { condition: 'service_completed_successfully' }, [main]: { condition: 'service_healthy' } });
		expect(JSON.stringify(config.services[main].healthcheck?.test)).toContain('/healthz/readiness');
		// The container port main listens on (published as host:port:target[/tcp]).
		const target = parseInt(publishedPort(config.services[main])[0].split(':').pop()!, 10);
		expect(serviceEnvironment(firstRun).N8N_URL).toBe(`http://${main}:${target}`);
		expect(firstRun.ports ?? []).toEqual([]);
	});

	it('refuses to start without an owner password, saying where to set it', () => {
		const dir = mkdtempSync(path.join(os.tmpdir(), 'hubspot-sync-env-'));
		const envFile = path.join(dir, '.env');
		writeFileSync(envFile, readFileSync(path.join(REPO_ROOT, 'docker/.env.example'), 'utf8').replace(/^N8N_OWNER_PASSWORD=.*$/m, ''));
		expect(() => composeConfig(file, envFile)).toThrow(/set N8N_OWNER_PASSWORD in docker\/\.env/);
		rmSync(dir, { recursive: true, force: true });
	});
});

it('the README names exactly the Data tables first-run creates, as the templates define them', () => {
	const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
	const step = readme.slice(readme.indexOf('**Data tables** (`first-run`'), readme.indexOf('Then open http://localhost:5678'));
	const named = [...step.matchAll(/`((?:hubspot_sync|sample_app)_[a-z_]+)`/g)].map((match) => match[1]);
	expect(named.sort()).toEqual(templateTables(path.join(REPO_ROOT, 'workflows')).map((table) => table.name).sort());
});

describe('docker/check-env.sh on the owner account', () => {
	it('refuses docker/.env.example\'s owner placeholders, saying what each value is', () => {
		const result = runCheck(OWNER_VARIABLES, envExample);
		expect(result.status).toBe(1);
		expect(result.stderr).toMatch(/N8N_OWNER_EMAIL still has the placeholder from docker\/\.env\.example: set your own value in docker\/\.env \(the e-mail address you log in to n8n with\)/);
		expect(result.stderr).toMatch(/N8N_OWNER_PASSWORD still has the placeholder from docker\/\.env\.example: set your own value in docker\/\.env \(the password you log in to n8n with: 8 to 64 characters/);
	});

	it('passes on a real owner without printing the password', () => {
		const result = runCheck(OWNER_VARIABLES, { N8N_OWNER_EMAIL: 'ops@example.jp', N8N_OWNER_PASSWORD: 'Kanri-Pass-2026' });
		expect(result.status).toBe(0);
		expect(result.stdout + result.stderr).not.toContain('Kanri-Pass-2026');
	});
});

interface EntrypointRun {
	status: number | null;
	output: string;
	/** The environment and arguments the entrypoint handed over to n8n's entrypoint; undefined when it did not. */
	handedOver?: Record<string, string>;
}

/**
 * Runs docker/link-package.sh natively, as the image does but with the official entrypoint replaced
 * by a script that records what it was handed (N8N_ENTRYPOINT), `n8n` on PATH linked to the
 * runtime's n8n (the image's /usr/local/bin/n8n), and the template import off (tested above).
 */
function entrypointRunner(work: string, runtime: ReturnType<typeof ensureRuntime>) {
	const optDir = path.join(work, 'opt');
	const binDir = path.join(work, 'bin');
	mkdirSync(optDir, { recursive: true });
	mkdirSync(binDir, { recursive: true });
	symlinkSync(path.join(REPO_ROOT, 'docker/owner-hash.js'), path.join(optDir, 'owner-hash.js'));
	symlinkSync(runtime.n8nBin, path.join(binDir, 'n8n'));
	const handOver = path.join(work, 'hand-over.sh');
	writeFileSync(handOver, '#!/bin/sh\n{ echo "HAND_OVER_ARGS=$*"; env; } > "$HAND_OVER_DUMP"\n');
	chmodSync(handOver, 0o755);
	let runs = 0;
	return (args: string[], environment: Record<string, string>): EntrypointRun => {
		const dump = path.join(work, `hand-over-${++runs}.env`);
		const result = spawnSync('sh', [path.join(REPO_ROOT, 'docker/link-package.sh'), ...args], {
			encoding: 'utf8',
			timeout: 60_000,
			env: { PATH: `${binDir}:${process.env.PATH}`, HOME: work, N8N_USER_FOLDER: path.join(work, 'user'), HUBSPOT_SYNC_DIR: optDir, HUBSPOT_SYNC_IMPORT_TEMPLATES: 'false', N8N_ENTRYPOINT: handOver, HAND_OVER_DUMP: dump, ...environment },
		});
		const handedOver = existsSync(dump) ? Object.fromEntries([...readFileSync(dump, 'utf8').matchAll(/^([A-Za-z0-9_]+)=(.*)$/gm)].map((match) => [match[1], match[2]])) : undefined;
		return { status: result.status, output: result.stdout + result.stderr, handedOver };
	};
}

/** n8n's own bcryptjs, straight from the runtime (not through docker/owner-hash.js, which is under test). */
const runtimeBcrypt = (runtime: ReturnType<typeof ensureRuntime>) => require(require.resolve('bcryptjs', { paths: [path.resolve(runtime.n8nBin, '../..')] })) as { compareSync: (password: string, hash: string) => boolean };
const ownerEnvironment = (handedOver: Record<string, string>) => Object.fromEntries(Object.entries(handedOver).filter(([key]) => key.startsWith('N8N_INSTANCE_OWNER_')));

describe('docker/link-package.sh: the owner account n8n main starts with', () => {
	const owner = { N8N_OWNER_EMAIL: 'ops@example.jp', N8N_OWNER_PASSWORD: 'Kanri-Pass-2026' };
	let work: string;
	let runtime: ReturnType<typeof ensureRuntime>;
	let run: ReturnType<typeof entrypointRunner>;
	beforeAll(() => {
		work = mkdtempSync(path.join(os.tmpdir(), 'hubspot-sync-owner-'));
		runtime = ensureRuntime();
		run = entrypointRunner(work, runtime);
	}, 300_000);
	afterAll(() => rmSync(work, { recursive: true, force: true }));

	it('hands n8n main the e-mail and a bcrypt hash that verifies against the password, never the password itself', () => {
		const first = run([], owner);
		expect([first.status, first.output]).toEqual([0, expect.stringContaining('n8n owner account: ops@example.jp')]);
		const handed = first.handedOver!;
		expect(handed).toMatchObject({ HAND_OVER_ARGS: '', N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true', N8N_INSTANCE_OWNER_EMAIL: 'ops@example.jp' });
		const hash = handed.N8N_INSTANCE_OWNER_PASSWORD_HASH;
		expect(hash).toMatch(/^\$2[aby]\$10\$[./A-Za-z0-9]{53}$/);
		const bcrypt = runtimeBcrypt(runtime);
		expect(bcrypt.compareSync(owner.N8N_OWNER_PASSWORD, hash)).toBe(true);
		expect(bcrypt.compareSync('Kanri-Pass-2025', hash)).toBe(false);
		expect(handed).not.toHaveProperty('N8N_OWNER_PASSWORD');
		expect(first.output).not.toContain(owner.N8N_OWNER_PASSWORD);
		expect(first.output).not.toContain(hash);
		// `start` is n8n main too; the kept hash keeps n8n's login sessions valid across restarts.
		const restart = run(['start'], owner);
		expect([restart.status, restart.handedOver?.HAND_OVER_ARGS, restart.handedOver?.N8N_INSTANCE_OWNER_PASSWORD_HASH]).toEqual([0, 'start', hash]);
		// A new password in docker/.env gives a new hash at the next start, and the old password no longer verifies.
		const changed = run([], { ...owner, N8N_OWNER_PASSWORD: 'Kanri-Pass-2027' })!.handedOver!.N8N_INSTANCE_OWNER_PASSWORD_HASH;
		expect(changed).not.toBe(hash);
		expect([bcrypt.compareSync('Kanri-Pass-2027', changed), bcrypt.compareSync(owner.N8N_OWNER_PASSWORD, changed)]).toEqual([true, false]);
	});

	it('sets no owner for a worker', () => {
		const worker = run(['worker', '--concurrency=5'], owner);
		expect(worker.status).toBe(0);
		expect(worker.handedOver?.HAND_OVER_ARGS).toBe('worker --concurrency=5');
		expect(Object.keys(worker.handedOver!).filter((key) => key.startsWith('N8N_INSTANCE_OWNER_'))).toEqual([]);
		expect(worker.output).not.toContain('owner account');
	});

	it('refuses a password n8n would refuse (the placeholder among them) and a value that is no e-mail, before n8n starts', () => {
		for (const password of [envExample.N8N_OWNER_PASSWORD, 'Kanri1', 'kanri-pass-2026', 'Kanri-Pass-Twenty']) {
			const refused = run([], { ...owner, N8N_OWNER_PASSWORD: password });
			expect([password, refused.status, refused.handedOver]).toEqual([password, 1, undefined]);
			expect(refused.output).toMatch(/N8N_OWNER_PASSWORD must (be 8 to 64 characters long|contain at least 1 number|contain at least 1 uppercase letter) \(n8n's rule for the owner password\): set it in docker\/\.env/);
			expect(refused.output).not.toContain(password);
		}
		const noEmail = run([], { ...owner, N8N_OWNER_EMAIL: 'ops' });
		expect([noEmail.status, noEmail.handedOver, noEmail.output]).toEqual([1, undefined, expect.stringMatching(/N8N_OWNER_EMAIL is not an e-mail address: set the owner's e-mail in docker\/\.env/)]);
	});
});

describe('the first run against a real n8n: the entrypoint\'s owner, then docker/first-run.js', () => {
	const owner = { email: 'ops@example.jp', password: 'Kanri-Pass-2026' };
	const wanted = templateTables(path.join(REPO_ROOT, 'workflows'));
	let work: string;
	let n8n: RunningN8n | undefined;

	beforeAll(async () => {
		work = mkdtempSync(path.join(os.tmpdir(), 'hubspot-sync-first-run-'));
		const runtime = ensureRuntime();
		const handedOver = entrypointRunner(work, runtime)([], { N8N_OWNER_EMAIL: owner.email, N8N_OWNER_PASSWORD: owner.password }).handedOver!;
		// n8n starts with exactly the owner variables the entrypoint exported (they replace n8nEnv's own).
		n8n = await startN8n({ userFolder: path.join(work, 'n8n'), port: 46_000 + Math.floor(Math.random() * 1000) * 2, ownerEmail: owner.email, ownerPassword: owner.password, logFile: path.join(work, 'n8n.log'), extraEnv: ownerEnvironment(handedOver) }, runtime);
	}, 300_000);
	afterAll(async () => {
		await n8n?.stop();
		rmSync(work, { recursive: true, force: true });
	}, 60_000);

	/** `node docker/first-run.js` as the first-run service runs it (asynchronous: bounded by its own timeout). */
	const firstRun = (password = owner.password) =>
		new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
			const child = spawn(process.execPath, [path.join(REPO_ROOT, 'docker/first-run.js')], { env: { PATH: process.env.PATH, N8N_URL: n8n!.url, N8N_OWNER_EMAIL: owner.email, N8N_OWNER_PASSWORD: password, HUBSPOT_SYNC_DIR: REPO_ROOT } });
			let stdout = '';
			let stderr = '';
			child.stdout.on('data', (chunk) => (stdout += chunk));
			child.stderr.on('data', (chunk) => (stderr += chunk));
			const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
			child.on('close', (status) => {
				clearTimeout(timer);
				resolve({ status, stdout, stderr });
			});
		});
	const listTables = async () => (await n8n!.api('GET', '/data-tables?limit=250')).data as Array<{ id: string; name: string; columns?: Array<{ name: string }> }>;

	it('n8n took the owner from the entrypoint: the password logs in, as the instance owner', async () => {
		const me = await n8n!.rest('GET', '/login');
		expect([me.email, me.role]).toEqual([owner.email, 'global:owner']);
	});

	it('creates every Data table of the templates with their columns, then nothing, then only a missing one', async () => {
		expect(wanted.length).toBeGreaterThan(10);
		const first = await firstRun();
		expect([first.status, first.stderr]).toEqual([0, '']);
		expect(first.stdout).toContain(`created ${wanted.length} of the ${wanted.length} Data tables of the templates: ${wanted.map((table) => table.name).join(', ')}.`);
		const tables = await listTables();
		for (const table of wanted) {
			const listed = tables.find((each) => each.name === table.name);
			expect([table.name, Boolean(listed)]).toEqual([table.name, true]);
			const columns = listed!.columns ?? (await n8n!.api('GET', `/data-tables/${listed!.id}`)).columns;
			expect([table.name, columns.map((column: { name: string }) => column.name)]).toEqual([table.name, expect.arrayContaining(table.columns.map((column) => column.name))]);
		}
		const second = await firstRun();
		expect([second.status, second.stdout]).toEqual([0, expect.stringContaining(`all ${wanted.length} Data tables of the templates exist already; nothing created.`)]);
		expect((await listTables()).length).toBe(tables.length);
		// A table deleted in n8n comes back, alone, at the next start.
		const removed = tables.find((each) => each.name === 'hubspot_sync_calls')!;
		await n8n!.api('DELETE', `/data-tables/${removed.id}`);
		const third = await firstRun();
		expect([third.status, third.stdout]).toEqual([0, expect.stringContaining(`created 1 of the ${wanted.length} Data tables of the templates: hubspot_sync_calls.`)]);
		// Each run's API key is deleted when it is done, and the password never shows.
		const keys = ((await n8n!.rest('GET', '/api-keys')) as { items: Array<{ label: string }> }).items.map((key) => key.label);
		expect(keys.some((label) => label.startsWith('local-'))).toBe(true); // the list works: it shows the test's own key
		expect(keys.filter((label) => label.startsWith('hubspot-sync first run'))).toEqual([]);
		for (const run of [first, second, third]) expect(run.stdout + run.stderr).not.toContain(owner.password);
	}, 300_000);

	it('refuses a wrong owner password, naming what to fix, and creates nothing', async () => {
		const before = (await listTables()).length;
		const refused = await firstRun('Wrong-Pass-2026');
		expect(refused.status).toBe(1);
		expect(refused.stderr).toMatch(/n8n refused the owner login \(401\): N8N_OWNER_EMAIL \/ N8N_OWNER_PASSWORD do not match the n8n owner: set them in docker\/\.env/);
		expect(refused.stdout + refused.stderr).not.toContain('Wrong-Pass-2026');
		expect((await listTables()).length).toBe(before);
	}, 120_000);
});
