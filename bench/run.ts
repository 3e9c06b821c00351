/**
 * `npm run bench`: the package's performance figures in one run of a real n8n (2.41.1, Node 24, SQLite) against the
 * HubSpot emulator with HubSpot's limits and a set latency, side by side with n8n's built-in
 * HubSpot node (routed to the emulator over TLS: bench/support/tls.ts). Writes
 * bench/results/latest.{json,md} and BENCHMARKS.md.
 *
 *   npm run bench                      the full run (100k contacts, 10k push, 1,000 bookings, 10k deals)
 *   npm run bench -- --quick           small sizes, results in bench/results/quick.* only
 *   npm run bench -- --latency 50      another emulator latency (ms)
 *   npm run bench -- --big 300000      the size of the last template full sync (memory flat in the portal's size)
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { REPO_ROOT, waitForWebhook } from '../scripts/n8n-runtime';
import { DEFAULT_SERVICE_KEY } from '../test/hubspot-emulator';
import { seedCrm } from '../test/hubspot-emulator/seed';
import { callWebhook, dataTableId, dataTableRows, E2E_N8N_URL, editTemplate, insertDataTableRows, renamedTemplate, startE2eEnvironment, templateForE2e, updateDataTableRows, WEBHOOK_HEADER, withSettings, withWebhookTrigger, type E2eEnvironment } from '../test/e2e/n8n-e2e';
import { SEEDED_STAGE_MAPPING as MAPPING, startTargetApp, type TargetApp } from '../test/support/target-app';
import { benchmarksPage, checkGoals, HUBSPOT_LIMITS, markdownReport, percentile, perSecond, pullCeiling, round, templatePullFigures, type BenchResult } from './measure';
import { throwawayTls } from './support/tls';
import { BENCH_PROPERTIES, BUILTIN_CREDENTIAL, writeBenchWorkflows } from './workflows';

const { values: args } = parseArgs({
	options: {
		quick: { type: 'boolean', default: false },
		latency: { type: 'string', default: '100' },
		sizes: { type: 'string' },
		push: { type: 'string' },
		bookings: { type: 'string' },
		rate: { type: 'string', default: '5' },
		deals: { type: 'string' },
		heap: { type: 'string' },
		big: { type: 'string' },
	},
});
const QUICK = args.quick;
const LATENCY_MS = Number(args.latency);
const SIZES = (args.sizes ?? (QUICK ? '2000,4000,8000' : '10000,30000,100000')).split(',').map(Number);
const PUSH = Number(args.push ?? (QUICK ? 1000 : 10_000));
const BOOKINGS = Number(args.bookings ?? (QUICK ? 50 : 1000));
const BOOKING_RATE = Number(args.rate);
const DEALS = Number(args.deals ?? (QUICK ? 1000 : 10_000));
/** A last template full sync after the incremental one, bigger than SIZES (0: none). */
const BIG = Number(args.big ?? (QUICK ? 12_000 : 300_000));
/**
 * n8n's Data table limit here, and the run's Settings → dataTablesLimitBytes: 1 GiB, as the README advises for
 * big portals. The 300,000-record full pull beside the earlier sizes' 100,000 rows peaks at about 185 MB (a full
 * pull keeps the previous copy until its end): within the run's headroom of the default 200 MiB.
 */
const DATA_TABLES_LIMIT = 1024 * 1024 * 1024;
/** n8n's V8 old-space limit in MB (unset: Node's default for this machine's memory). */
const HEAP_MB = args.heap ? Number(args.heap) : undefined;
/** Sizes at which the built-in node's search is tried; the largest it completes is the comparison point. */
const BUILTIN_PROBES = [500, 1000, 2000, 5000, 10_000].filter((size) => size <= SIZES[0]);
const BUILTIN_TOKEN = 'bench-builtin-app-token';

const log = (line: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);

let env: E2eEnvironment;
let target: TargetApp;

/** Peak resident memory of the n8n process, per phase (the kernel's high-water mark, reset before each phase). */
const memory = {
	reset: () => writeFileSync(`/proc/${env.n8n.process.pid}/clear_refs`, '5'),
	read: (field: 'VmRSS' | 'VmHWM') => {
		const status = readFileSync(`/proc/${env.n8n.process.pid}/status`, 'utf8');
		return round(Number(new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status)?.[1] ?? 0) / 1024);
	},
};

/**
 * POSTs to a webhook and waits for the answer however long the run takes: a sync of 300,000 records
 * takes longer than fetch's 300-second wait for response headers.
 */
function callWebhookWithoutTimeout(pathName: string, body: unknown): Promise<{ status: number; json: any }> {
	return new Promise((resolve, reject) => {
		const request = http.request(`${env.n8n.url}/webhook/${pathName}`, { method: 'POST', headers: { 'content-type': 'application/json', [WEBHOOK_HEADER.name]: WEBHOOK_HEADER.value } }, (response) => {
			const chunks: Buffer[] = [];
			response.on('data', (chunk: Buffer) => chunks.push(chunk));
			response.on('end', () => {
				const text = Buffer.concat(chunks).toString('utf8');
				resolve({ status: response.statusCode ?? 0, json: text ? JSON.parse(text) : undefined });
			});
			response.on('error', reject);
		});
		request.on('error', reject);
		request.end(JSON.stringify(body));
	});
}

async function timedWebhook(pathName: string, body: unknown = {}) {
	const started = Date.now();
	const answer = await callWebhookWithoutTimeout(pathName, body);
	return { ...answer, ms: Date.now() - started };
}

interface Execution {
	id: string;
	status: string;
	data?: { resultData?: { runData?: Record<string, Array<{ executionTime: number; data?: { main?: Array<Array<unknown> | null> } }>>; error?: { message?: string; description?: string; httpCode?: string } } };
}

/** The newest finished execution of a workflow after `afterId` (a Respond to Webhook node answers before the run ends). */
async function lastExecution(workflowId: string, afterId = 0): Promise<Execution> {
	for (let attempt = 0; attempt < 120; attempt++) {
		const answer = await env.n8n.api('GET', `/executions?workflowId=${workflowId}&includeData=true&limit=1`);
		const execution = answer.data[0] as (Execution & { stoppedAt?: string }) | undefined;
		if (execution && Number(execution.id) > afterId && execution.stoppedAt) return execution;
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	throw new Error(`no finished execution of ${workflowId} within 60 s`);
}

async function newestExecutionId(workflowId: string): Promise<number> {
	const answer = await env.n8n.api('GET', `/executions?workflowId=${workflowId}&limit=1`);
	return Number(answer.data[0]?.id ?? 0);
}

const nodeMs = (execution: Execution, node: string) => (execution.data?.resultData?.runData?.[node] ?? []).reduce((sum, run) => sum + run.executionTime, 0);

function executionError(execution: Execution): string | undefined {
	if (execution.status === 'success') return undefined;
	const error = execution.data?.resultData?.error;
	const text = [error?.httpCode ? `HTTP ${error.httpCode}` : '', error?.message, error?.description].filter(Boolean).join(': ');
	return (text || execution.status).replace(/\s+/g, ' ').slice(0, 240);
}

function growContacts(total: number) {
	const have = env.emulator.store.order.get('contacts')!.length;
	if (total > have) seedCrm(env.emulator.store, { contacts: total - have, at: Date.now() - 3 * 3_600_000 });
}

/** One workflow run against the emulator: its answer, execution, HubSpot calls and 429s. */
async function measured(pathName: string, workflowId: string, body?: unknown) {
	env.emulator.resetStats();
	const violationsBefore = env.emulator.contract.violations.length;
	const previous = await newestExecutionId(workflowId);
	const answer = await timedWebhook(pathName, body);
	const execution = await lastExecution(workflowId, previous);
	return { answer, execution, calls: env.emulator.stats.requests, http429: env.emulator.stats.http429, violations: env.emulator.contract.violations.length - violationsBefore };
}

async function oursPull(size: number) {
	const run = await measured('bench/ours-pull', 'benchOursPull0001');
	const ms = nodeMs(run.execution, 'Pull contacts');
	const error = executionError(run.execution);
	if (error || run.answer.json?.count_id !== size) throw new Error(`our pull of ${size} contacts: ${error ?? `${run.answer.json?.count_id} records`}`);
	if (run.violations) throw new Error(`our pull broke HubSpot's contract ${run.violations} times`);
	// The node's summary (second output) says how the work split between the list and search chains.
	const summary = (run.execution.data?.resultData?.runData?.['Pull contacts']?.[0]?.data?.main?.[1]?.[0] as { json?: { listPages?: number; searchPages?: number } } | undefined)?.json ?? {};
	const pages = { listPages: Number(summary.listPages ?? 0), searchPages: Number(summary.searchPages ?? 0) };
	log(`ours, full pull of ${size}: ${ms} ms in the node, ${run.calls} calls (${pages.listPages} list + ${pages.searchPages} search pages), ${run.http429} × 429`);
	return { ms, recordsPerSecond: perSecond(size, ms)!, calls: run.calls, http429: run.http429, failed: run.execution.status !== 'success', ...pages };
}

async function builtinSearch(size: number) {
	const run = await measured('bench/builtin-search', 'benchBuiltinSrch1');
	const ms = nodeMs(run.execution, 'HubSpot (built-in)');
	const error = executionError(run.execution) ?? (run.answer.json?.count_id === size ? undefined : `returned ${run.answer.json?.count_id} of ${size} contacts`);
	log(`built-in search of ${size}: ${error ? `failed after ${run.calls} calls: ${error}` : `${ms} ms in the node`}, ${run.calls} calls, ${run.http429} × 429, ${run.violations} requests outside HubSpot's spec`);
	return { ms, error, calls: run.calls, http429: run.http429, recordsPerSecond: error ? null : perSecond(size, ms) };
}

/** The records table's size as n8n counts it against its Data table limit (its public API's `sizeBytes`). */
async function recordsTableBytes(): Promise<number> {
	const tables = await env.n8n.api('GET', '/data-tables?limit=100');
	return Number(tables.data.find((table: { name: string }) => table.name === 'hubspot_sync_records')?.sizeBytes ?? 0);
}

/**
 * Stops n8n and starts it again on the same database, runs the property sync once (incremental: nothing or
 * little to pull) so that n8n has loaded what the sync uses, and answers its RSS then: a phase measured
 * against idle n8n does not carry what earlier phases left in n8n's heap (V8 keeps the memory of a
 * 100,000-item execution long after it ends, or gives it back, as it pleases), nor n8n's first loading of the
 * nodes, which costs about as much as a small sync.
 */
async function freshN8n(): Promise<number> {
	await env.n8n.stop();
	await env.restart();
	await waitForWebhook(`${env.n8n.url}/webhook/bench/property-sync-nightly`);
	const warmUp = await timedWebhook('bench/property-sync-nightly');
	if (warmUp.json?.status !== 'finished') throw new Error(`warm-up sync: ${JSON.stringify(warmUp.json).slice(0, 300)}`);
	await new Promise((resolve) => setTimeout(resolve, 5000));
	return memory.read('VmRSS');
}

/** A full sync through the property-sync template; `fresh`: in an n8n started afresh and warmed up (the memory goal's sizes). */
async function templateFullPull(size: number, fresh = false) {
	const idleRssMB = fresh ? await freshN8n() : undefined;
	// An empty cursor makes the run full, as on the first night.
	await updateDataTableRows(env, 'hubspot_sync_runs', 'scope', 'property-sync', { contactsCursor: '', companiesCursor: '' });
	const before = memory.read('VmRSS');
	memory.reset();
	env.emulator.resetStats();
	const answer = await timedWebhook('bench/property-sync-nightly');
	const peak = memory.read('VmHWM');
	if (answer.json?.status !== 'finished' || answer.json?.contacts?.records !== size) throw new Error(`template full pull of ${size}: ${JSON.stringify(answer.json).slice(0, 400)}`);
	const tableBytes = await recordsTableBytes();
	log(`template full pull of ${size}${idleRssMB ? ` (n8n started afresh: ${idleRssMB} MB)` : ''}: ${answer.ms} ms, ${env.emulator.stats.requests} calls, RSS ${before} → peak ${peak} MB, records table ${round(tableBytes / 2 ** 20, 1)} MB`);
	return { records: size, seconds: round(answer.ms / 1000, 1), msPerRecord: round(answer.ms / size, 3), peakRssMB: peak, rssGrowthMB: round(peak - before), kbPerRecord: round(((peak - before) * 1024) / size, 2), tableMB: round(tableBytes / 2 ** 20, 1), tableBytes, ...(idleRssMB ? { idleRssMB } : {}) };
}

/** The two-way contact sync's nodes that save links (one insert, deletes of the rows replaced). */
const LINK_SAVE_NODES = ['Link row', 'Save link', 'Older rows for this key?', "Delete the key's older rows", 'Replaced rows, 20 per delete', 'One item per delete', 'Delete replaced link rows'];

/**
 * The two-way contact sync's incremental run when `linked` contacts are linked to app rows and `changes` of them
 * were edited in HubSpot: the app rows and links are written through n8n's API as a first sync would have left
 * them, the cursor set to now.
 */
async function twoWayIncremental(linked: number, changes: number) {
	if ((await callWebhook(env, 'bench/two-way-setup')).status !== 200) throw new Error('two-way set-up failed');
	const records = [...env.emulator.store.table('contacts').values()].slice(0, linked);
	const MAPPED = { email: 'mail', firstname: 'first', lastname: 'last', phone: 'phone', company: 'company' } as const;
	const value = (record: (typeof records)[number], name: string) => String(record.properties[name] ?? '');
	const app = await insertDataTableRows(env, 'sample_app_contacts', records.map((record) => ({ ...Object.fromEntries(Object.entries(MAPPED).map(([property, field]) => [field, value(record, property)])), companyId: '' })));
	const syncedAt = new Date().toISOString();
	const links = await insertDataTableRows(
		env,
		'hubspot_sync_record_links',
		records.map((record, index) => ({
			scope: 'two-way-contacts',
			key: `email:${value(record, 'email').toLowerCase()}`,
			hubspotId: String(record.id),
			appId: String(app[index].id),
			appKind: '',
			values: JSON.stringify(Object.fromEntries(Object.keys(MAPPED).map((property) => [property, value(record, property)]).filter(([, text]) => text))),
			syncedAt,
		})),
	);
	await updateDataTableRows(env, 'hubspot_sync_state', 'integration', 'two-way-contacts', { hubspotCursor: new Date(Date.now() - 1000).toISOString() });
	await new Promise((resolve) => setTimeout(resolve, 1500));
	const edit = (offset: number, label: string) => {
		const edited = records.filter((_, index) => index % Math.floor(linked / changes) === offset).slice(0, changes);
		for (const record of edited) env.emulator.store.update('contacts', record, { firstname: `${label} ${record.id}` });
	};
	// The template as shipped: the whole run's time and n8n's peak memory.
	edit(0, 'Edited');
	const before = memory.read('VmRSS');
	memory.reset();
	env.emulator.resetStats();
	const lastLinkRowId = links.reduce((last, row) => Math.max(last, Number(row.id)), 0);
	const answer = await timedWebhook('bench/two-way-sync');
	const peakRssMB = memory.read('VmHWM');
	const calls = env.emulator.stats.requests;
	const editedAppRows = (await dataTableRows(env, 'sample_app_contacts', { columnName: 'first', condition: 'like', value: 'Edited %' })).length;
	// One new link row per edited pair (the rows they replace are deleted: the e2e tests check that).
	const newLinkRows = (await dataTableRows(env, 'hubspot_sync_record_links', { columnName: 'id', condition: 'gt', value: lastLinkRowId })).length;
	if (answer.status !== 200 || editedAppRows !== changes || newLinkRows !== changes) throw new Error(`two-way incremental: HTTP ${answer.status}, ${editedAppRows} app rows updated of ${changes}, ${newLinkRows} links saved`);
	// A copy that saves its run data, after as many other edits: where the time goes.
	await new Promise((resolve) => setTimeout(resolve, 1500));
	edit(1, 'Edited again');
	const run = await measured('bench/two-way-sync-data', 'benchTwoWayData01');
	const items = (node: string) => (run.execution.data?.resultData?.runData?.[node] ?? []).reduce((sum, nodeRun) => sum + (nodeRun.data?.main?.[0]?.length ?? 0), 0);
	const error = executionError(run.execution);
	if (error || items('Update app contact') !== changes || items('Save link') !== changes || run.violations) throw new Error(`two-way incremental (run data saved): ${error ?? `${items('Update app contact')} app rows updated, ${items('Save link')} links saved of ${changes}, ${run.violations} contract violations`}`);
	const seconds = (nodes: string[]) => round(nodes.reduce((sum, node) => sum + nodeMs(run.execution, node), 0) / 1000, 1);
	const result = {
		changes,
		linkRows: linked,
		seconds: round(answer.ms / 1000, 1),
		linkWriteSeconds: seconds(LINK_SAVE_NODES),
		appWriteSeconds: seconds(['App values (update)', 'Update app contact']),
		readSeconds: seconds(['App contacts', 'Links']),
		calls,
		peakRssMB,
		rssGrowthMB: round(peakRssMB - before),
		secondsWithRunData: round(run.answer.ms / 1000, 1),
	};
	log(`two-way incremental, ${changes} changes over ${linked} links: ${JSON.stringify(result)}`);
	return result;
}

async function pushContacts(readFirst: boolean) {
	const contactsBefore = env.emulator.store.order.get('contacts')!.length;
	const first = contactsBefore - PUSH / 2 + 1;
	const records = Array.from({ length: PUSH }, (_, i) => ({ email: `contact${first + i}@example.com`, firstname: `Pushed ${i}`, jobtitle: readFirst ? 'Bench' : 'Bench (upsert only)', city: 'Kyoto' }));
	const run = await measured(`bench/ours-push-${readFirst ? 'read' : 'blind'}`, readFirst ? 'benchOursPushRead' : 'benchOursPushBlnd', { records });
	if (run.violations) throw new Error(`our push broke HubSpot's contract ${run.violations} times`);
	const result = {
		records: PUSH,
		created: env.emulator.store.order.get('contacts')!.length - contactsBefore,
		updated: Number(run.answer.json?.updated ?? 0),
		errors: Number(run.answer.json?.errors ?? 0),
		calls: run.calls,
		callsPer100: round((run.calls / PUSH) * 100, 2),
		recordsPerSecond: perSecond(PUSH, nodeMs(run.execution, 'Push contacts'))!,
		http429: run.http429,
	};
	if (result.created !== PUSH / 2 || result.updated !== PUSH / 2 || result.errors) throw new Error(`push (read first: ${readFirst}): ${JSON.stringify(result)}`);
	log(`push of ${PUSH}, ${readFirst ? 'read before writing' : 'upsert only'}: ${JSON.stringify(result)}`);
	return result;
}

async function main() {
	const started = Date.now();
	const tls = throwawayTls();
	target = await startTargetApp();
	const files = [
		templateForE2e('record-history.json'),
		templateForE2e('error-workflow-history.json'),
		withSettings(templateForE2e('property-sync-run.json'), 'Settings', { n8nApiUrl: E2E_N8N_URL, dataTablesLimitBytes: DATA_TABLES_LIMIT }),
		templateForE2e('property-sync-chunk.json'),
		withWebhookTrigger(templateForE2e('property-sync-nightly.json'), 'Every night at 00:00', 'bench/property-sync-nightly'),
		withWebhookTrigger(templateForE2e('property-sync-setup.json'), 'Run setup', 'bench/property-sync-setup', 'noData'),
		templateForE2e('meeting-booked-to-hubspot.json'),
		withWebhookTrigger(templateForE2e('meeting-setup.json'), 'Run once', 'bench/meeting-setup'),
		withWebhookTrigger(templateForE2e('deal-sync-setup.json'), 'Run setup', 'bench/deal-sync-setup', 'noData'),
		withSettings(
			withWebhookTrigger(templateForE2e('deal-sync-hubspot-to-target.json', { 'Filter Deals': { allowedValues: 'east' }, 'Map Deal Stage': { mapping: MAPPING } }), 'Every 5 minutes', 'bench/deals-to-target', 'noData'),
			'Settings',
			{ targetUrl: `${target.url}/api/orders`, accountLabel: 'East office' },
		),
		withWebhookTrigger(templateForE2e('two-way-sync-setup.json'), 'Run setup', 'bench/two-way-setup', 'noData'),
		// The two-way contact sync as an operator runs it on a big portal: incremental pulls on (no daily full hour in the
		// bench), a 1-s lookback so that the changes of earlier phases are not read again.
		withSettings(withWebhookTrigger(templateForE2e('two-way-contact-sync.json', { 'Pull HubSpot contacts': { pullOptions: { lookbackSeconds: 1 } } }), 'Every 10 minutes', 'bench/two-way-sync', 'noData'), 'Settings', { incrementalPull: true, fullPullHour: -1 }),
		// The same, saving its successful runs' data (the template saves none), for the time of each node.
		renamedTemplate(
			editTemplate(withSettings(withWebhookTrigger(templateForE2e('two-way-contact-sync.json', { 'Pull HubSpot contacts': { pullOptions: { lookbackSeconds: 1 } } }), 'Every 10 minutes', 'bench/two-way-sync-data', 'noData'), 'Settings', { incrementalPull: true, fullPullHour: -1 }), (workflow) => {
				Object.assign(workflow, { id: 'benchTwoWayData01', name: 'two-way contacts (run data saved)', settings: { ...workflow.settings, saveDataSuccessExecution: 'all' } });
			}),
			'two-way-contact-sync-run-data.json',
		),
		...writeBenchWorkflows(),
	];
	log(`starting n8n and the emulator (https://${tls.hostname} on 127.0.0.1:443, latency ${LATENCY_MS} ms)`);
	env = await startE2eEnvironment(
		files,
		// Not strict: n8n's built-in node may send requests HubSpot accepts but its OpenAPI spec does not
		// describe; our nodes' requests are checked against the spec in every phase.
		{ latencyMs: LATENCY_MS, port: 443, tls, strictContract: false, serviceKeys: [DEFAULT_SERVICE_KEY, BUILTIN_TOKEN] },
		{
			n8nApiCredential: true,
			extraEnv: { ...tls.env, NODE_OPTIONS: [tls.env.NODE_OPTIONS, HEAP_MB ? `--max-old-space-size=${HEAP_MB}` : ''].join(' ').trim(), N8N_PAYLOAD_SIZE_MAX: '64', N8N_DATA_TABLES_MAX_SIZE_BYTES: String(DATA_TABLES_LIMIT) },
			beforeStart: async ({ emulator, cli }) => {
				const credentials = path.join(os.tmpdir(), `bench-credentials-${process.pid}.json`);
				writeFileSync(credentials, JSON.stringify([{ ...BUILTIN_CREDENTIAL, data: { appToken: BUILTIN_TOKEN } }]));
				await cli(['import:credentials', `--input=${credentials}`]);
				rmSync(credentials);
				seedCrm(emulator.store, { companies: 10, deals: DEALS, owners: 6, teams: 3, pipelines: 3, at: Date.now() - 3 * 3_600_000 });
			},
		},
	);
	await waitForWebhook(`${env.n8n.url}/webhook/bench/property-sync-setup`);
	if ((await callWebhook(env, 'bench/property-sync-setup')).status !== 200) throw new Error('property-sync set-up failed');
	if ((await callWebhook(env, 'bench/meeting-setup')).status !== 200) throw new Error('meeting set-up failed');
	// The synced contact properties: the same 10 as the other pulls.
	const listed = (await dataTableRows(env, 'hubspot_sync_properties')).filter((row) => row.objectType === 'contacts').map((row) => row.property);
	const missing = BENCH_PROPERTIES.filter((name) => !listed.includes(name));
	if (missing.length) await env.n8n.api('POST', `/data-tables/${await dataTableId(env, 'hubspot_sync_properties')}/rows`, { data: missing.map((property) => ({ objectType: 'contacts', property })) });

	const idleRssMB = memory.read('VmRSS');
	log(`n8n ready, RSS ${idleRssMB} MB`);

	// 1. The built-in node at growing sizes, each time side by side with ours at the same size; the
	// comparison point is the largest size it handled.
	let builtin: { size: number; recordsPerSecond: number | null; calls: number; http429: number } = { size: 0, recordsPerSecond: null, calls: 0, http429: 0 };
	let builtinError: string | undefined;
	let oursAtCompared: Awaited<ReturnType<typeof oursPull>> | undefined;
	const builtinProbes: BenchResult['pull']['builtinProbes'] = [];
	for (const size of BUILTIN_PROBES) {
		growContacts(size);
		const run = await builtinSearch(size);
		builtinProbes.push({ records: size, recordsPerSecond: run.recordsPerSecond, calls: run.calls, http429: run.http429, ...(run.error ? { error: run.error } : {}) });
		// Whether a page meets HubSpot's 5/s search limit depends on timing: a failure at one size
		// does not prove failure at the next, so every size is tried.
		if (run.error) {
			builtinError ??= `at ${size.toLocaleString('en')} contacts: ${run.error}`;
			continue;
		}
		builtin = { size, recordsPerSecond: run.recordsPerSecond, calls: run.calls, http429: run.http429 };
		oursAtCompared = await oursPull(size);
	}

	// 2. Scaling through the template, the node alone at the largest size, and the built-in node there.
	const scaling: Array<BenchResult['scaling'][number] & { tableBytes: number }> = [];
	let oursLargest: Awaited<ReturnType<typeof oursPull>> | undefined;
	let builtinLargest: Awaited<ReturnType<typeof builtinSearch>> | undefined;
	for (const size of SIZES) {
		growContacts(size);
		if (size === SIZES[SIZES.length - 1]) {
			oursLargest = await oursPull(size);
			builtinLargest = await builtinSearch(size);
		}
		scaling.push(await templateFullPull(size, size === SIZES[SIZES.length - 1]));
	}
	const largest = SIZES[SIZES.length - 1];
	const getAll = await measured('bench/builtin-getall', 'benchBuiltinAll01');
	const getAllError = executionError(getAll.execution);
	log(`built-in get many: ${getAllError ?? `${getAll.answer.json?.count_vid} records`}`);

	// 3. Incremental after changing 1% of the contacts.
	const changed = [...env.emulator.store.table('contacts').values()].filter((_, index) => index % 100 === 0);
	for (const record of changed) env.emulator.store.update('contacts', record, { jobtitle: 'Changed' });
	env.emulator.resetStats();
	const incremental = await timedWebhook('bench/property-sync-nightly');
	if (incremental.json?.contacts?.mode !== 'incremental') throw new Error(`incremental run: ${JSON.stringify(incremental.json).slice(0, 300)}`);
	const incrementalResult = { changed: changed.length, calls: env.emulator.stats.requests, seconds: round(incremental.ms / 1000, 1), records: incremental.json.contacts.records };
	const recordsTableRows = largest + (env.emulator.store.order.get('companies')?.length ?? 0);
	log(`incremental after ${changed.length} changes: ${incrementalResult.calls} calls, ${incremental.ms} ms, ${incrementalResult.records} records`);

	// 3b. A bigger portal through the same template: its memory should not grow with the portal.
	if (BIG > largest) {
		growContacts(BIG);
		scaling.push(await templateFullPull(BIG, true));
	}

	// 3c. The two-way contact sync's incremental run over a links table of the largest size: 1% of the linked contacts
	// edited in HubSpot, their app rows updated and their links saved.
	const twoWay = await twoWayIncremental(largest, Math.max(1, Math.round(largest / 100)));

	// 4. Push, read before writing (the default) and upsert only: each time half the emails exist
	// (the last PUSH/2 contacts), half are new.
	const pushRead = await pushContacts(true);
	const pushBlind = await pushContacts(false);

	// 5. Bookings at a steady rate to the meeting template.
	const meetingsBefore = env.emulator.store.order.get('meetings')?.length ?? 0;
	env.emulator.resetStats();
	const latencies: number[] = [];
	let failedBookings = 0;
	await Promise.all(Array.from({ length: BOOKINGS }, async (_, i) => {
		await new Promise((resolve) => setTimeout(resolve, (i * 1000) / BOOKING_RATE));
		const sent = Date.now();
		const body = { bookingId: `BENCH-${i + 1}`, meetingType: 'intro-call', email: `contact${i + 1}@example.com`, name: `Guest ${i + 1}`, start: '2026-12-01T10:00:00+09:00', end: '2026-12-01T10:30:00+09:00', location: 'Zoom' };
		const answer = await callWebhook(env, 'hubspot-sync/booking', body).catch(() => undefined);
		latencies.push(Date.now() - sent);
		if (answer?.status !== 200 || answer.json?.status !== 'success') failedBookings++;
	}));
	const bookings = {
		count: BOOKINGS,
		meetingsCreated: (env.emulator.store.order.get('meetings')?.length ?? 0) - meetingsBefore,
		calls: env.emulator.stats.requests,
		callsPerBooking: round(env.emulator.stats.requests / BOOKINGS, 2),
		p50ms: percentile(latencies, 50),
		p95ms: percentile(latencies, 95),
		ratePerSecond: BOOKING_RATE,
		failed: failedBookings,
	};
	log(`bookings: ${JSON.stringify(bookings)}`);

	// 6. Deals through the deal template (Filter Deals → Map Deal Stage → target).
	if ((await callWebhook(env, 'bench/deal-sync-setup')).status !== 200) throw new Error('deal-sync set-up failed');
	const dealRun = await measured('bench/deals-to-target', 'hsDealsToTarget01');
	const ourNodesMs = nodeMs(dealRun.execution, 'Filter Deals') + nodeMs(dealRun.execution, 'Map Deal Stage');
	const deals = { count: DEALS, itemsPerSecond: perSecond(DEALS, ourNodesMs)!, templateItemsPerSecond: perSecond(DEALS, dealRun.answer.ms)!, sent: target.orders.size, calls: dealRun.calls, seconds: round(dealRun.answer.ms / 1000, 1) };
	log(`deals: ${JSON.stringify(deals)}`);

	const ceiling = pullCeiling(HUBSPOT_LIMITS, LATENCY_MS).combined;
	const headline = scaling.find((point) => point.records === largest)!;
	const result: BenchResult = {
		meta: {
			date: new Date().toISOString(),
			n8nVersion: JSON.parse(readFileSync(path.join(env.runtime.n8nDir, 'node_modules', 'n8n', 'package.json'), 'utf8')).version,
			nodeVersion: execFileSync(env.runtime.node24, ['--version'], { encoding: 'utf8' }).trim().replace(/^v/, ''),
			latencyMs: LATENCY_MS,
			limits: HUBSPOT_LIMITS,
			heapLimitMB: HEAP_MB ?? null,
			n8nIdleRssMB: idleRssMB,
			machine: `${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GB RAM, ${os.platform()} ${os.release()}`,
			command: ['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' '),
			seconds: round((Date.now() - started) / 1000),
		},
		pull: {
			records: largest,
			recordsPerSecond: oursLargest!.recordsPerSecond,
			ceilingRecordsPerSecond: ceiling,
			shareOfCeiling: round(oursLargest!.recordsPerSecond / ceiling, 3),
			calls: oursLargest!.calls,
			callsPer100: round((oursLargest!.calls / largest) * 100, 3),
			http429: oursLargest!.http429,
			http429Share: round(oursLargest!.http429 / oursLargest!.calls, 4),
			errorsSurfaced: Number(oursLargest!.failed),
			listPages: oursLargest!.listPages,
			searchPages: oursLargest!.searchPages,
			comparedAt: builtin.size,
			oursAtComparedSize: oursAtCompared?.recordsPerSecond ?? 0,
			builtinRecordsPerSecond: builtin.recordsPerSecond,
			...(builtinError ? { builtinError } : {}),
			builtinProbes,
			builtinCalls: builtin.calls,
			builtinHttp429: builtin.http429,
			builtinLargest: { records: largest, operation: 'contact search, return all', ...(builtinLargest?.error ? { error: builtinLargest.error } : {}) },
			builtinGetAll: getAllError ? { error: getAllError } : { records: Number(getAll.answer.json?.count_vid ?? 0) },
			ratioToBuiltin: builtin.recordsPerSecond && oursAtCompared ? round(oursAtCompared.recordsPerSecond / builtin.recordsPerSecond, 1) : null,
			peakRssMB: headline.peakRssMB,
			templateRecordsPerSecond: round(headline.records / headline.seconds, 1),
		},
		incremental: incrementalResult,
		incrementalIntoBigTable: { changes: changed.length, tableRows: recordsTableRows, seconds: incrementalResult.seconds, calls: incrementalResult.calls },
		dataTableBytesPerRecord: round(headline.tableBytes / recordsTableRows),
		twoWayIncremental: twoWay,
		templatePull: templatePullFigures(idleRssMB, scaling, [largest, ...(BIG > largest ? [BIG] : [])]),
		push: { ...pushBlind, readFirst: pushRead },
		bookings,
		deals,
		scaling: scaling.map(({ tableBytes, ...point }) => point),
	};
	const markdown = markdownReport(result);
	const out = path.join(REPO_ROOT, 'bench', 'results');
	mkdirSync(out, { recursive: true });
	const name = QUICK ? 'quick' : 'latest';
	writeFileSync(path.join(out, `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
	writeFileSync(path.join(out, `${name}.md`), markdown);
	if (!QUICK) writeFileSync(path.join(REPO_ROOT, 'BENCHMARKS.md'), benchmarksPage(result));
	console.log(`\n${markdown}`);
	const missed = checkGoals(result).filter((check) => !check.met);
	if (missed.length) console.log(`Goals missed: ${missed.map((check) => check.goal).join('; ')}`);
}

main()
	.catch((error) => {
		console.error(error);
		process.exitCode = 1;
	})
	.finally(async () => {
		await env?.teardown().catch((error) => console.error(`teardown: ${error.message}`));
		await target?.stop();
	});
