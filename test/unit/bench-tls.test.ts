/**
 * How the benchmark reaches n8n's built-in HubSpot node: the emulator serving HTTPS under
 * api.hubapi.com with a throwaway certificate, and a process that trusts it and resolves the name
 * to 127.0.0.1 through the preload, and only that process.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';

import { throwawayTls, type BenchTls } from '../../bench/support/tls';
import { DEFAULT_SERVICE_KEY, HubSpotEmulator } from '../hubspot-emulator';

jest.setTimeout(30_000);

let tls: BenchTls;
let emulator: HubSpotEmulator;
let url: string;
beforeAll(async () => {
	tls = throwawayTls();
	emulator = new HubSpotEmulator({ tls });
	url = await emulator.start();
});
afterAll(() => emulator.stop());

/** Runs a Node child that GETs a path of `url` with https.request (as n8n's request helpers do) and prints status and body. */
async function getFromChild(env: Record<string, string>, target: string): Promise<{ code: number | null; out: string }> {
	const script = `
		const https = require('node:https');
		https.get(${JSON.stringify(target)}, { headers: { authorization: 'Bearer ${DEFAULT_SERVICE_KEY}' } }, (res) => {
			let body = '';
			res.on('data', (chunk) => (body += chunk));
			res.on('end', () => console.log(res.statusCode + ' ' + body));
		}).on('error', (error) => { console.log('ERROR ' + error.code); process.exitCode = 2; });`;
	return await new Promise((resolve) => {
		execFile(process.execPath, ['-e', script], { env: { PATH: process.env.PATH, ...env }, timeout: 15_000 }, (error, stdout) => resolve({ code: error ? (error.code as number) : 0, out: stdout.trim() }));
	});
}

it('serves HTTPS on 127.0.0.1 and names itself by HubSpot host', () => {
	expect(url).toMatch(/^https:\/\/api\.hubapi\.com:\d+$/);
	expect(tls.cert).toContain('BEGIN CERTIFICATE');
});

it('a process with the preload and the certificate reaches it as api.hubapi.com', async () => {
	const answer = await getFromChild(tls.env, `${url}/account-info/v3/details`);
	expect(answer.code).toBe(0);
	expect(answer.out).toMatch(/^200 /);
	expect(JSON.parse(answer.out.slice(4))).toMatchObject({ portalId: emulator.portalId });
});

it('without the certificate the same process refuses the connection: nothing is trusted by accident', async () => {
	const { NODE_EXTRA_CA_CERTS: _trust, ...withoutTrust } = tls.env;
	const answer = await getFromChild(withoutTrust, `${url}/account-info/v3/details`);
	expect(answer.out).toMatch(/^ERROR (SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_VERIFY_LEAF_SIGNATURE)$/);
});

it('the preload resolves only HubSpot host; other names go to the real resolver', async () => {
	const script = `
		const dns = require('node:dns');
		dns.lookup('api.hubapi.com', (e, address) => dns.lookup('localhost', { all: true }, (e2, all) => dns.promises.lookup('api.hubapi.com', { all: true }).then((list) => console.log(JSON.stringify({ address, localhost: all.length > 0, list })))));`;
	const out = await new Promise<string>((resolve, reject) =>
		execFile(process.execPath, ['--require', path.join(__dirname, '../../bench/support/resolve-hubspot-host.cjs'), '-e', script], { timeout: 15_000 }, (error, stdout) => (error ? reject(error) : resolve(stdout))),
	);
	expect(JSON.parse(out)).toEqual({ address: '127.0.0.1', localhost: true, list: [{ address: '127.0.0.1', family: 4 }] });
});
