/**
 * Push of contacts (half new, half existing) against the emulator with HubSpot's limits (110 per
 * 10 s) and a set latency, on the package's push logic outside n8n: HubSpot calls per 100 records
 * and records per second, next to the ceiling the limits allow for 2 calls per 100 records.
 *   npx tsx bench/push-throughput.ts [records=10000] [latencyMs=100]
 */
import { fetchPropertyDefinitions } from '../nodes/shared/properties';
import { push, type PushInput } from '../nodes/HubSpotSyncProperties/sync/push';
import { HubSpotEmulator, seedCrm } from '../test/hubspot-emulator';
import { directClient } from '../test/support/direct-client';

const total = Number(process.argv[2] ?? 10_000);
const latencyMs = Number(process.argv[3] ?? 100);

async function main() {
	const emulator = new HubSpotEmulator({ latencyMs });
	seedCrm(emulator.store, { contacts: total / 2, at: Date.now() - 3_600_000 });
	const url = await emulator.start();
	const client = directClient(url);
	const definitions = new Map((await fetchPropertyDefinitions(client, 'contacts')).map((d) => [d.name, d]));
	const inputs: PushInput[] = Array.from({ length: total }, (_, i) => ({
		itemIndex: i,
		// contact1..contact{total/2} exist; the rest are new.
		properties: { email: `contact${i + 1}@example.com`, firstname: `Pushed ${i}`, jobtitle: 'Bench', city: 'Kyoto' },
	}));
	const started = Date.now();
	const outcomes = await push(client, inputs, { objectType: 'contacts', rule: 'incomingWins', requireValidEmail: true, dryRun: false, definitions });
	const seconds = (Date.now() - started) / 1000;
	const count = (status: string) => outcomes.filter((o) => o.status === status).length;
	// 2 calls per 100 records (batch read + batch upsert) at 110 calls per 10 s, or 1 call per latency.
	const ceiling = (Math.min(11, 1000 / Math.max(latencyMs, 1)) / 2) * 100;
	console.log(JSON.stringify({
		records: total,
		created: count('created'),
		updated: count('updated'),
		errors: count('error'),
		seconds: Number(seconds.toFixed(1)),
		recordsPerSecond: Math.round(total / seconds),
		ceilingRecordsPerSecond: Math.round(ceiling),
		shareOfCeiling: Number((total / seconds / ceiling).toFixed(2)),
		calls: client.stats.calls - 1,
		callsPer100: Number((((client.stats.calls - 1) / total) * 100).toFixed(2)),
		http429: client.stats.http429,
		contractViolations: emulator.contract.violations.length,
	}));
	await emulator.stop();
}

void main();
