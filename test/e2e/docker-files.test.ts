/**
 * The Docker files a self-hoster uses, checked without a Docker engine: Docker Compose reads both
 * compose files with docker/.env.example, the queue topology has what n8n needs (one image and
 * encryption key for main and workers, PostgreSQL, Redis, a webhook URL), a missing key is refused
 * with the message the file gives, and the Dockerfile builds from files that exist, on the n8n
 * version the tests run. The queue topology itself runs natively in queue-mode.test.ts.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { REPO_ROOT } from '../../scripts/n8n-runtime';
import { composeConfig, serviceEnvironment, type ComposeService } from '../support/compose';

const dockerfile = readFileSync(path.join(REPO_ROOT, 'docker/Dockerfile'), 'utf8');
const publishedPort = (service: ComposeService) => (service.ports ?? []).map((port) => (typeof port === 'string' ? port : `${port.host_ip ?? ''}:${port.published}:${port.target}`));

describe('docker-compose.yml (SQLite)', () => {
	const config = composeConfig('docker/docker-compose.yml');

	it('one n8n service built from docker/Dockerfile, its data in a named volume, published on loopback', () => {
		expect(Object.keys(config.services)).toEqual(['n8n']);
		const n8n = config.services.n8n;
		expect(n8n.build?.dockerfile).toBe('docker/Dockerfile');
		expect(path.resolve(n8n.build!.context)).toBe(REPO_ROOT);
		expect(JSON.stringify(n8n.volumes)).toContain('/home/node/.n8n');
		expect(Object.keys(config.volumes ?? {})).toContain('n8n_data');
		expect(publishedPort(n8n).join()).toMatch(/127\.0\.0\.1:5678:5678/);
		expect(serviceEnvironment(n8n)).toMatchObject({ DB_TYPE: 'sqlite', N8N_DIAGNOSTICS_ENABLED: 'false', WEBHOOK_URL: 'http://localhost:5678/' });
	});
});

describe('docker-compose.queue.yml', () => {
	const config = composeConfig('docker/docker-compose.queue.yml');
	const n8nServices = ['n8n-main', 'n8n-worker-1', 'n8n-worker-2'];

	it('PostgreSQL, Redis, one main and two workers', () => {
		expect(Object.keys(config.services).sort()).toEqual(['n8n-main', 'n8n-worker-1', 'n8n-worker-2', 'postgres', 'redis']);
		expect(config.services.postgres.image).toMatch(/^postgres:1[6-9]/);
		expect(config.services.redis.image).toMatch(/^redis:/);
	});

	it('main and workers share one image, encryption key, database and queue, in queue mode', () => {
		const environments = n8nServices.map((name) => serviceEnvironment(config.services[name]));
		expect(new Set(n8nServices.map((name) => config.services[name].image)).size).toBe(1);
		for (const key of ['N8N_ENCRYPTION_KEY', 'DB_POSTGRESDB_PASSWORD', 'DB_POSTGRESDB_DATABASE', 'QUEUE_BULL_REDIS_HOST', 'WEBHOOK_URL']) {
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

	it('links the package where n8n loads community packages and hands over to the official entrypoint', () => {
		expect(dockerfile).toMatch(/ENTRYPOINT \["tini", "--", "\/opt\/hubspot-sync\/link-package\.sh"\]/);
		const entrypoint = readFileSync(path.join(REPO_ROOT, 'docker/link-package.sh'), 'utf8');
		expect(entrypoint).toContain('exec /docker-entrypoint.sh "$@"');
		expect(entrypoint).toContain('.n8n/nodes');
	});
});
