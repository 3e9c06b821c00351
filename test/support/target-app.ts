/**
 * A stand-in for the other app of the deal sync (the seed's sales tool): POST /api/orders creates
 * or updates an order for a HubSpot deal and answers its id. Loopback only.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** The deal template's stage → status mapping for the emulator's seeded pipelines (deal e2e tests and the bench). */
export const SEEDED_STAGE_MAPPING = {
	rows: [
		{ stage: 'pipeline-1/pipeline-1-new', status: 'Lead', isTarget: true },
		{ stage: 'pipeline-1/pipeline-1-won', status: 'Ordered', isTarget: true },
		{ stage: 'pipeline-2/pipeline-2-won', status: 'Ordered', isTarget: true },
		{ stage: 'default/closedwon', status: 'Ordered', isTarget: true },
	],
};

export interface TargetOrder {
	id: string;
	hubspotDealId: string;
	name: string;
	amount: unknown;
	status: string;
	pipeline: string;
	stage: string;
	accountLabel: string;
	writes: number;
}

export interface TargetApp {
	url: string;
	orders: Map<string, TargetOrder>;
	requests: number;
	stop: () => Promise<void>;
}

/** On 127.0.0.1:port; 0 (the default) takes any free port. */
export async function startTargetApp(port = 0): Promise<TargetApp> {
	const orders = new Map<string, TargetOrder>();
	const app: TargetApp = { url: '', orders, requests: 0, stop: async () => undefined };
	const server = http.createServer((req, res) => {
		let text = '';
		req.on('data', (chunk) => (text += chunk));
		req.on('end', () => {
			app.requests++;
			if (req.method !== 'POST' || req.url !== '/api/orders') {
				res.writeHead(404).end();
				return;
			}
			const body = JSON.parse(text || '{}');
			const dealId = String(body.hubspotDealId ?? '');
			if (!dealId) {
				res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'hubspotDealId is required' }));
				return;
			}
			const existing = [...orders.values()].find((order) => order.hubspotDealId === dealId);
			const order: TargetOrder = { id: existing?.id ?? `ORD-${orders.size + 1}`, hubspotDealId: dealId, name: body.name, amount: body.amount, status: body.status, pipeline: body.pipeline, stage: body.stage, accountLabel: body.accountLabel, writes: (existing?.writes ?? 0) + 1 };
			orders.set(order.id, order);
			res.writeHead(existing ? 200 : 201, { 'content-type': 'application/json' }).end(JSON.stringify({ id: order.id }));
		});
	});
	// A port in use rejects (EADDRINUSE) instead of leaving the start waiting.
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', resolve);
	});
	app.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	app.stop = () => new Promise<void>((resolve) => server.close(() => resolve()));
	return app;
}
