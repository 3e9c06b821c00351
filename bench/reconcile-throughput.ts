/**
 * HubSpot Reconcile's decisions (nodes/HubSpotSyncReconcile/engine, pure, no HubSpot call) at the sizes a
 * two-way sync meets: N HubSpot contacts and N app contacts with N links (a run after the first),
 * 1 % changed on each side and a primary company on every contact. Reports records per second
 * and the heap the decision takes, for the first run (no links) and a later run.
 *   npx tsx --expose-gc bench/reconcile-throughput.ts [records=100000]
 */
import { reconcile, type AppSide, type HubSpotSide, type ReconcileSettings, type SyncLink } from '../nodes/HubSpotSyncReconcile/engine/reconcile';
import type { PropertyDefinition } from '../nodes/shared/properties';

const total = Number(process.argv[2] ?? 100_000);
const text = (name: string): PropertyDefinition => ({ name, label: name, type: 'string', fieldType: 'text' });
const definitions = new Map(['email', 'firstname', 'lastname', 'phone', 'company', 'city'].map((name) => [name, text(name)]));
const companies = Array.from({ length: 1000 }, (_, i) => ({ hubspotId: String(900_000 + i), appId: `C${i}` }));
const settings: ReconcileSettings = {
	objectType: 'contacts',
	direction: 'twoWay',
	defaultSide: 'hubspot',
	mappings: [['mail', 'email'], ['first', 'firstname'], ['last', 'lastname'], ['phone', 'phone'], ['company', 'company'], ['city', 'city']].map(([appField, hubspotProperty]) => ({ appField, hubspotProperty, appType: 'text' as const, enabled: true })),
	definitions,
	requireValidEmail: true,
	createInHubspot: true,
	createInApp: true,
	resyncDeleted: false,
	associations: [{ toObjectType: 'companies', appField: 'companyId', links: companies }],
};

function records(changedEvery: number) {
	const hubspot: HubSpotSide[] = [];
	const app: AppSide[] = [];
	const links: SyncLink[] = [];
	for (let i = 0; i < total; i++) {
		const email = `contact${i}@example.com`;
		const values = { email, firstname: `First ${i}`, lastname: `Last ${i}`, phone: `+81-3-${i}`, company: `Company ${i % 1000}`, city: 'Tokyo', '@companies': companies[i % 1000].hubspotId };
		hubspot.push({ id: String(i + 1), properties: { ...values, firstname: i % changedEvery === 0 ? `Changed ${i}` : values.firstname }, associations: { companies: values['@companies'] } });
		app.push({ id: `a${i}`, fields: { mail: email, first: values.firstname, last: i % changedEvery === 1 ? `App ${i}` : values.lastname, phone: values.phone, company: values.company, city: values.city, companyId: companies[i % 1000].appId } });
		links.push({ key: `email:${email}`, hubspotId: String(i + 1), appId: `a${i}`, values });
	}
	return { hubspot, app, links };
}

function measure(label: string, run: () => ReturnType<typeof reconcile>) {
	global.gc?.();
	const heapBefore = process.memoryUsage().heapUsed;
	const started = process.hrtime.bigint();
	const result = run();
	const seconds = Number(process.hrtime.bigint() - started) / 1e9;
	const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 1_048_576;
	console.log(JSON.stringify({
		run: label,
		records: total,
		seconds: Number(seconds.toFixed(2)),
		pairsPerSecond: Math.round(total / seconds),
		heapGrowthMb: Math.round(heapMb),
		hubspotUpdates: result.hubspotUpdates.length,
		appUpdates: result.appUpdates.length,
		hubspotCreates: result.hubspotCreates.length,
		appCreates: result.appCreates.length,
		linkSaves: result.linkSaves.length,
		skips: result.skips.length,
	}));
}

const data = records(100);
measure('first run (no links)', () => reconcile(data.hubspot, data.app, [], settings));
measure('later run (links, 1 % changed each side)', () => reconcile(data.hubspot, data.app, data.links, settings));
