/**
 * Full and incremental pull against the emulator with HubSpot's limits (110 per 10 s, search 5/s,
 * 100 per list page, 200 per search page) and a set latency, measured on the package's transport
 * and pull logic outside n8n (the in-n8n comparison is `npm run bench`).
 *   npx tsx bench/pull-throughput.ts [contacts=100000] [latencyMs=100]
 */
import { pull } from '../nodes/HubSpotSyncProperties/sync/pull';
import { HubSpotEmulator, seedCrm } from '../test/hubspot-emulator';
import { directClient } from '../test/support/direct-client';
import { BENCH_PROPERTIES as PROPERTIES } from './workflows';

const contacts = Number(process.argv[2] ?? 100_000);
const latencyMs = Number(process.argv[3] ?? 100);

async function main() {
	const emulator = new HubSpotEmulator({ latencyMs });
	seedCrm(emulator.store, { contacts, at: Date.now() - 3_600_000 });
	const url = await emulator.start();
	// The ceiling the limits allow: list pages at 110/10 s (or 1/latency if slower), search at 5/s.
	const listRate = Math.min(110 / 10, 1000 / Math.max(latencyMs, 1)) * 100;
	const searchRate = Math.min(5, 1000 / Math.max(latencyMs, 1)) * 200;
	for (const parallelSearch of [false, true]) {
		const client = directClient(url);
		let records = 0;
		const started = Date.now();
		const summary = await pull(client, { objectType: 'contacts', properties: PROPERTIES, lookbackMs: 60_000, parallelSearch }, (page) => (records += page.length));
		const seconds = (Date.now() - started) / 1000;
		const ceiling = parallelSearch ? listRate + searchRate : listRate;
		console.log(JSON.stringify({
			mode: parallelSearch ? 'full, list + search' : 'full, list only',
			records,
			seconds: Number(seconds.toFixed(1)),
			recordsPerSecond: Math.round(records / seconds),
			ceilingRecordsPerSecond: Math.round(ceiling),
			shareOfCeiling: Number((records / seconds / ceiling).toFixed(2)),
			calls: client.stats.calls,
			callsPer100: Number(((client.stats.calls / records) * 100).toFixed(3)),
			http429: client.stats.http429,
			listPages: summary.listPages,
			searchPages: summary.searchPages,
		}));
	}
	// Incremental after changing 1% of the records.
	const changed = [...emulator.store.table('contacts').values()].slice(0, Math.round(contacts / 100));
	const since = Date.now() - 1_000;
	for (const record of changed) emulator.store.update('contacts', record, { jobtitle: 'Changed' });
	const client = directClient(url);
	let records = 0;
	const started = Date.now();
	await pull(client, { objectType: 'contacts', properties: PROPERTIES, since, lookbackMs: 60_000, parallelSearch: true }, (page) => (records += page.length));
	console.log(JSON.stringify({ mode: 'incremental, 1% changed', changed: changed.length, records, calls: client.stats.calls, seconds: Number(((Date.now() - started) / 1000).toFixed(1)) }));
	await emulator.stop();
}

void main();
