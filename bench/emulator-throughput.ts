/**
 * How many requests per second the HubSpot emulator serves on this machine, with its OpenAPI
 * validation on and rate limits lifted: the ceiling it puts on benchmarks of our nodes.
 *   npx tsx bench/emulator-throughput.ts [seconds=5] [concurrency=16]
 */
import http from 'node:http';

import { DEFAULT_SERVICE_KEY, HubSpotEmulator, seedCrm } from '../test/hubspot-emulator';

const seconds = Number(process.argv[2] ?? 5);
const concurrency = Number(process.argv[3] ?? 16);
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });

function call(url: string, method: string, body?: unknown): Promise<number> {
	return new Promise((resolve, reject) => {
		const payload = body === undefined ? undefined : JSON.stringify(body);
		const request = http.request(url, { method, agent, headers: { authorization: `Bearer ${DEFAULT_SERVICE_KEY}`, ...(payload ? { 'content-type': 'application/json' } : {}) } }, (response) => {
			response.resume();
			response.on('end', () => resolve(response.statusCode ?? 0));
		});
		request.on('error', reject);
		request.end(payload);
	});
}

async function measure(name: string, url: string, method: string, body?: unknown) {
	const deadline = Date.now() + seconds * 1000;
	let done = 0;
	let failed = 0;
	await Promise.all(
		Array.from({ length: concurrency }, async () => {
			while (Date.now() < deadline) {
				const status = await call(url, method, body);
				if (status >= 400) failed++;
				done++;
			}
		}),
	);
	console.log(`${name.padEnd(44)} ${(done / seconds).toFixed(0).padStart(6)} req/s  (${failed} failed)`);
}

async function main() {
	const emulator = new HubSpotEmulator({ limits: { standard: { max: 1e9, windowMs: 10_000 }, search: { max: 1e9, windowMs: 1_000 }, daily: 1e12 } });
	const started = Date.now();
	seedCrm(emulator.store, { contacts: 100_000 });
	console.log(`seeded 100,000 contacts in ${Date.now() - started} ms`);
	const url = await emulator.start();
	await measure('GET contacts, 100 per page, 3 properties', `${url}/crm/objects/2026-03/contacts?limit=100&properties=email,firstname,lastname&after=50000`, 'GET');
	await measure('POST search, 200 per page', `${url}/crm/objects/2026-03/contacts/search`, 'POST', { filterGroups: [{ filters: [{ propertyName: 'hs_object_id', operator: 'GT', value: '90000' }] }], sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }], properties: ['email'], limit: 200 });
	await measure('GET account details (smallest answer)', `${url}/account-info/2026-03/details`, 'GET');
	console.log(`contract violations: ${emulator.contract.violations.length}`);
	await emulator.stop();
	agent.destroy();
}

void main();
