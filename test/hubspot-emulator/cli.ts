/**
 * Runs the HubSpot emulator standalone (for the demo and manual tries):
 *   npm run emulator -- --port 4010 --latency 100 --contacts 1000
 * Prints the URL and the service key; Ctrl-C stops it.
 */
import { parseArgs } from 'node:util';

import { DEFAULT_OAUTH_CLIENT, DEFAULT_SERVICE_KEY, HubSpotEmulator } from './server';
import { seedCrm } from './seed';

const { values } = parseArgs({
	options: {
		port: { type: 'string', default: '4010' },
		latency: { type: 'string', default: '0' },
		contacts: { type: 'string', default: '50' },
		companies: { type: 'string', default: '10' },
		deals: { type: 'string', default: '30' },
		owners: { type: 'string', default: '5' },
		teams: { type: 'string', default: '2' },
		pipelines: { type: 'string', default: '2' },
		lenient: { type: 'boolean', default: false },
	},
});

async function main() {
	const emulator = new HubSpotEmulator({ latencyMs: Number(values.latency), strictContract: !values.lenient });
	const counts = seedCrm(emulator.store, {
		contacts: Number(values.contacts),
		companies: Number(values.companies),
		deals: Number(values.deals),
		owners: Number(values.owners),
		teams: Number(values.teams),
		pipelines: Number(values.pipelines),
	});
	const url = await emulator.start(Number(values.port));
	console.log(`HubSpot emulator on ${url}`);
	console.log(`Service key: ${DEFAULT_SERVICE_KEY}  (OAuth client: ${DEFAULT_OAUTH_CLIENT.clientId})`);
	console.log(`Seeded: ${JSON.stringify(counts)}`);
	const stop = async () => {
		await emulator.stop();
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

void main();
