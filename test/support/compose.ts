/**
 * The Docker Compose files as Docker Compose itself reads them (`config`: variables substituted,
 * anchors merged), with docker/.env.example as the .env a self-hoster starts from. No Docker
 * engine is needed for `config`; Debian's docker-compose is installed when no compose is present.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { parse } from 'yaml';

import { REPO_ROOT } from '../../scripts/n8n-runtime';
import { ensureDebianPackages } from './local-services';

export interface ComposeService {
	image?: string;
	build?: { context: string; dockerfile: string; args?: Record<string, string> };
	command?: string | string[];
	entrypoint?: string | string[];
	restart?: string;
	environment?: Record<string, string>;
	ports?: Array<string | { published: string | number; target: number; host_ip?: string }>;
	volumes?: unknown[];
	depends_on?: Record<string, { condition: string }> | string[];
	healthcheck?: { test: string[] | string };
}

export interface ComposeConfig {
	services: Record<string, ComposeService>;
	volumes?: Record<string, unknown>;
}

function composeCommand(): string[] {
	try {
		execFileSync('docker', ['compose', 'version'], { stdio: 'ignore' });
		return ['docker', 'compose'];
	} catch {
		ensureDebianPackages({ 'docker-compose': 'docker-compose' });
		return ['docker-compose'];
	}
}

/** `docker compose -f <file> --env-file <envFile> config`, parsed; throws with compose's own message. */
export function composeConfig(file: string, envFile = 'docker/.env.example'): ComposeConfig {
	const [command, ...args] = composeCommand();
	try {
		const out = execFileSync(command, [...args, '-f', path.join(REPO_ROOT, file), '--env-file', path.resolve(REPO_ROOT, envFile), 'config'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], cwd: REPO_ROOT });
		return parse(out) as ComposeConfig;
	} catch (error) {
		const stderr = (error as { stderr?: string }).stderr ?? '';
		throw new Error(`compose config of ${file} failed: ${stderr.trim() || (error as Error).message}`);
	}
}

/** The environment a service sets, as a plain map (compose may print it as a list). */
export function serviceEnvironment(service: ComposeService): Record<string, string> {
	const environment = service.environment ?? {};
	if (Array.isArray(environment)) return Object.fromEntries((environment as string[]).map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
	return Object.fromEntries(Object.entries(environment).map(([key, value]) => [key, String(value ?? '')]));
}
