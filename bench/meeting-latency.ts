/**
 * Webhook-to-meeting latency of the meeting template in a real n8n against the HubSpot emulator.
 *   npx tsx bench/meeting-latency.ts [bookings=200] [emulatorLatencyMs=100] [concurrency=2]
 * Each booking is POSTed to the template's webhook; n8n answers after the meeting exists in HubSpot
 * and its history row is written, so the answer time is the webhook-to-meeting latency.
 */
import { seedCrm } from '../test/hubspot-emulator';
import { callWebhook, startE2eEnvironment, templateForE2e, WEBHOOK_HEADER, withWebhookTrigger } from '../test/e2e/n8n-e2e';
import { waitForWebhook } from '../scripts/n8n-runtime';

const bookings = Number(process.argv[2] ?? 200);
const latencyMs = Number(process.argv[3] ?? 100);
const concurrency = Number(process.argv[4] ?? 2);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

async function main() {
	const env = await startE2eEnvironment([templateForE2e('meeting-booked-to-hubspot.json'), withWebhookTrigger(templateForE2e('meeting-setup.json'), 'Run once', 'bench/meeting-setup'), templateForE2e('record-history.json')], { latencyMs }, {
		beforeStart: ({ emulator }) => {
			seedCrm(emulator.store, { contacts: bookings, companies: 10 });
		},
	});
	try {
		await waitForWebhook(`${env.n8n.url}/webhook/bench/meeting-setup`);
		await callWebhook(env, 'bench/meeting-setup', {});
		const hook = `${env.n8n.url}/webhook/hubspot-sync/booking`;
		await waitForWebhook(hook);
		env.emulator.resetStats();
		const latencies: number[] = [];
		const statuses: Record<string, number> = {};
		let next = 0;
		const started = Date.now();
		await Promise.all(
			Array.from({ length: concurrency }, async () => {
				while (next < bookings) {
					const n = next++;
					const sent = performance.now();
					const answer = await fetch(hook, {
						method: 'POST',
						headers: { 'content-type': 'application/json', [WEBHOOK_HEADER.name]: WEBHOOK_HEADER.value },
						body: JSON.stringify({ bookingId: `BENCH-${n}`, meetingType: 'intro-call', email: `contact${n + 1}@example.com`, name: `Guest ${n}`, start: '2026-12-01T10:00:00+09:00', end: '2026-12-01T10:30:00+09:00' }),
					});
					const text = await answer.text();
					const row = (text ? JSON.parse(text) : {}) as { status: string };
					if (!row.status) console.error(`booking ${n}: HTTP ${answer.status} ${text.slice(0, 300)}`);
					latencies.push(performance.now() - sent);
					statuses[row.status] = (statuses[row.status] ?? 0) + 1;
				}
			}),
		);
		const seconds = (Date.now() - started) / 1000;
		latencies.sort((a, b) => a - b);
		const meetings = [...env.emulator.store.table('meetings').values()].length;
		console.log(JSON.stringify({
			bookings,
			concurrency,
			emulatorLatencyMs: latencyMs,
			meetingsCreated: meetings,
			historyStatuses: statuses,
			hubspotCallsPerBooking: env.emulator.stats.requests / bookings,
			p50ms: Math.round(percentile(latencies, 50)),
			p95ms: Math.round(percentile(latencies, 95)),
			maxMs: Math.round(latencies[latencies.length - 1]),
			bookingsPerSecond: Number((bookings / seconds).toFixed(1)),
		}, null, 2));
	} finally {
		await env.teardown();
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
