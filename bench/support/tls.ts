/**
 * How the benchmark reaches n8n's built-in HubSpot node: the emulator serves HTTPS on
 * 127.0.0.1:443 under the name api.hubapi.com with a throwaway self-signed certificate; the n8n
 * process (and only it) trusts that certificate (NODE_EXTRA_CA_CERTS) and resolves the name to
 * 127.0.0.1 (a preloaded dns.lookup override). Nothing on the machine is changed.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const HUBSPOT_HOST = 'api.hubapi.com';

export interface BenchTls {
	key: string;
	cert: string;
	hostname: string;
	certFile: string;
	/** Environment for the n8n process: trust the certificate, resolve the host to 127.0.0.1. */
	env: Record<string, string>;
}

export function throwawayTls(hostname = HUBSPOT_HOST): BenchTls {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'hubspot-bench-tls-'));
	const keyFile = path.join(dir, 'key.pem');
	const certFile = path.join(dir, 'cert.pem');
	execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=${hostname}`, '-addext', `subjectAltName=DNS:${hostname}`, '-keyout', keyFile, '-out', certFile], { stdio: 'ignore' });
	const preload = path.join(__dirname, 'resolve-hubspot-host.cjs');
	return {
		key: readFileSync(keyFile, 'utf8'),
		cert: readFileSync(certFile, 'utf8'),
		hostname,
		certFile,
		env: { NODE_EXTRA_CA_CERTS: certFile, NODE_OPTIONS: `--require ${preload}`, HUBSPOT_BENCH_HOST: hostname },
	};
}
