/**
 * The property sync templates in a real n8n against the emulator with 20,000 contacts and 5,000
 * companies: set-up, sync test, nightly full then incremental run, the manual sync's 2-hour
 * throttle, 20 concurrent manual requests on a fresh run row starting one sync (the refusals say when
 * to ask again, never a time already past), and a sync killed with n8n between two chunks that the lease
 * lets the next run take over. The run pulls in chunks of 5,000 records (Settings → recordsPerChunk), each
 * chunk its own execution of the chunk workflow. n8n's Data tables are limited to 64 MiB here: runs that could
 * pass the limit are refused (before they pull, or before the chunk that could) and change nothing.
 */
import { seedCrm } from '../hubspot-emulator/seed';
import { waitForWebhook } from '../../scripts/n8n-runtime';
import { callWebhook, dataTableId, dataTableRows, E2E_N8N_URL, startE2eEnvironment, templateForE2e, updateDataTableRows, WEBHOOK_HEADER, withSettings, withWebhookTrigger, type E2eEnvironment } from './n8n-e2e';

jest.setTimeout(900_000);

const CONTACTS = 20_000;
const COMPANIES = 5_000;
const MB = 1_048_576;
/** n8n's limit for all its Data tables (N8N_DATA_TABLES_MAX_SIZE_BYTES), and the run's Settings → dataTablesLimitBytes. */
const LIMIT = 64 * MB;
/** What the run keeps free beside a full copy: a chunk of 5,000 and 10,000 records more, at Settings → bytesPerRecord (500). */
const HEADROOM = 15_000 * 500;
let env: E2eEnvironment;

beforeAll(async () => {
	env = await startE2eEnvironment(
		[
			templateForE2e('record-history.json'),
			templateForE2e('error-workflow-history.json'),
			withSettings(templateForE2e('property-sync-run.json'), 'Settings', { n8nApiUrl: E2E_N8N_URL, recordsPerChunk: 5_000, dataTablesLimitBytes: LIMIT }),
			templateForE2e('property-sync-chunk.json'),
			templateForE2e('property-sync-manual.json'),
			templateForE2e('property-sync-test.json'),
			withWebhookTrigger(templateForE2e('property-sync-nightly.json'), 'Every night at 00:00', 'e2e/property-sync-nightly'),
			withWebhookTrigger(templateForE2e('property-sync-setup.json'), 'Run setup', 'e2e/property-sync-setup', 'noData'),
		],
		{},
		{ n8nApiCredential: true, extraEnv: { N8N_DATA_TABLES_MAX_SIZE_BYTES: String(LIMIT) }, beforeStart: ({ emulator }) => void seedCrm(emulator.store, { contacts: CONTACTS, companies: COMPANIES, at: Date.now() - 2 * 3_600_000 }) },
	);
	await waitForWebhook(`${env.n8n.url}/webhook/e2e/property-sync-setup`);
});
afterAll(async () => {
	await env?.teardown();
});

const call = (method: string, path: string, body?: unknown) => callWebhook(env, path, body, method);
const nightly = () => call('POST', 'e2e/property-sync-nightly', {});
const manual = (body: unknown = {}) => call('POST', 'hubspot-sync/properties/sync', body);
const tableId = (name: string) => dataTableId(env, name);
const rows = (name: string) => dataTableRows(env, name);

/** Where the time of the last run of the sync went, node by node (for the figures in the notes). */
async function nodeTimes(): Promise<string> {
	const executions = await env.n8n.api('GET', '/executions?workflowId=hsPropSyncRun01&includeData=true&limit=1');
	const runData = executions.data[0]?.data?.resultData?.runData ?? {};
	return Object.entries(runData as Record<string, Array<{ executionTime: number }>>)
		.map(([name, runs]) => [name, runs.reduce((sum, run) => sum + run.executionTime, 0)] as const)
		.filter(([, ms]) => ms >= 100)
		.map(([name, ms]) => `${name} ${(ms / 1000).toFixed(1)} s`)
		.join(', ');
}
const runRow = async () => (await rows('hubspot_sync_runs'))[0];
const updateRunRow = (data: Record<string, unknown>) => updateDataTableRows(env, 'hubspot_sync_runs', 'scope', 'property-sync', data);

/** A manual sync request with its answer's Retry-After header and the time the answer came (callWebhook keeps no headers). */
async function manualAnswer(body: unknown = {}): Promise<{ status: number; json: any; retryAfter: string | null; at: number }> {
	const response = await fetch(`${env.n8n.url}/webhook/hubspot-sync/properties/sync`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', [WEBHOOK_HEADER.name]: WEBHOOK_HEADER.value },
		body: JSON.stringify(body),
	});
	const json = await response.json();
	return { status: response.status, json, retryAfter: response.headers.get('retry-after'), at: Date.now() };
}

/** Retry-After (and retryAfterSeconds) is the whole seconds from the answer to `time`, rounded up. */
function expectRetryAfterUntil(answer: { json: any; retryAfter: string | null; at: number }, time: string): void {
	expect(answer.retryAfter).toMatch(/^\d+$/);
	expect(Number(answer.retryAfter)).toBe(answer.json.retryAfterSeconds);
	// n8n counts from its own clock reading, a moment before the answer arrived.
	const late = answer.at + Number(answer.retryAfter) * 1000 - Date.parse(time);
	expect(late).toBeGreaterThan(-1_000);
	expect(late).toBeLessThan(5_000);
}

it('set-up creates the tables, the run row and the default properties, and is safe to run twice', async () => {
	expect((await call('POST', 'e2e/property-sync-setup', {})).status).toBe(200);
	expect((await call('POST', 'e2e/property-sync-setup', {})).status).toBe(200);
	const runs = await rows('hubspot_sync_runs');
	expect(runs).toHaveLength(1);
	expect(runs[0]).toMatchObject({ scope: 'property-sync', status: 'idle', leaseMinutes: 30, throttleHours: 2 });
	const properties = await rows('hubspot_sync_properties');
	expect(properties).toHaveLength(10);
	expect(properties.filter((row) => row.objectType === 'contacts').map((row) => row.property)).toContain('email');
});

it('the sync test says every listed property exists, and names a wrong one with suggestions', async () => {
	env.emulator.resetStats();
	const ok = await call('GET', 'hubspot-sync/properties/test');
	expect(ok.json).toMatchObject({ ok: true, checked: 10, missing: [] });
	// One definitions call per object type, nothing written.
	expect(env.emulator.stats.requests).toBe(2);
	const id = await tableId('hubspot_sync_properties');
	await env.n8n.api('POST', `/data-tables/${id}/rows`, { data: [{ objectType: 'contacts', property: 'lifecycle_stage' }] });
	const wrong = await call('GET', 'hubspot-sync/properties/test');
	expect(wrong.json).toMatchObject({ ok: false, checked: 11, missing: [{ objectType: 'contacts', name: 'lifecycle_stage', didYouMean: expect.arrayContaining(['lifecyclestage']) }] });
	expect(wrong.json.message).toContain('contacts.lifecycle_stage does not exist (did you mean lifecyclestage');
	await env.n8n.api('DELETE', `/data-tables/${id}/rows/delete?filter=${encodeURIComponent(JSON.stringify({ type: 'and', filters: [{ columnName: 'property', condition: 'eq', value: 'lifecycle_stage' }] }))}`);
});

let firstCursor = '';
let firstFullPullCalls = 0;
it('the nightly sync fills the records table with exactly the HubSpot records', async () => {
	env.emulator.resetStats();
	const started = Date.now();
	const answer = await nightly();
	const seconds = (Date.now() - started) / 1000;
	expect(answer.json).toMatchObject({ status: 'finished', contacts: { mode: 'full', records: CONTACTS }, companies: { mode: 'full', records: COMPANIES } });
	// In chunks of about 5,000 (Settings → recordsPerChunk), each its own execution of the chunk workflow.
	expect(answer.json.contacts.chunks).toBeGreaterThanOrEqual(4);
	expect(answer.json.contacts.chunks).toBeLessThanOrEqual(5);
	const records = await rows('hubspot_sync_records');
	expect(records).toHaveLength(CONTACTS + COMPANIES);
	expect(new Set(records.map((row) => `${row.objectType}:${row.hubspotId}`)).size).toBe(CONTACTS + COMPANIES);
	const contact = records.find((row) => row.objectType === 'contacts' && row.email === 'contact7@example.com');
	expect(JSON.parse(contact.properties)).toMatchObject({ email: 'contact7@example.com', firstname: expect.any(String), lifecyclestage: expect.any(String) });
	expect(records.find((row) => row.objectType === 'companies' && row.domain === 'company3.example.com')?.name).toBe('Company 3');
	const run = await runRow();
	expect(run).toMatchObject({ status: 'idle', lastResult: 'success', records: CONTACTS + COMPANIES, calls: answer.json.calls });
	firstCursor = run.contactsCursor;
	firstFullPullCalls = answer.json.calls;
	expect(Date.parse(firstCursor)).toBeGreaterThan(started - 120_000);
	expect(env.emulator.contract.violations).toEqual([]);
	const history = await rows('hubspot_sync_history');
	expect(history.find((row) => row.historyId === answer.json.historyId)).toMatchObject({ status: 'success', code: 'OK', objectType: 'run', direction: 'from_hubspot' });
	console.log(`nightly full sync: ${CONTACTS + COMPANIES} records in ${seconds.toFixed(1)} s, ${answer.json.calls} HubSpot calls, ${answer.json.retries} retries; ${await nodeTimes()}`);
});

it('an incremental run after changing 1,000 contacts and 3 companies rewrites only their rows, one each', async () => {
	const changed = [...env.emulator.store.table('contacts').values()].filter((_, index) => index % 20 === 0);
	expect(changed).toHaveLength(1_000);
	for (const record of changed) env.emulator.store.update('contacts', record, { firstname: `Changed ${record.id}` });
	const companies = [...env.emulator.store.table('companies').values()].slice(0, 3);
	for (const record of companies) env.emulator.store.update('companies', record, { city: `Changed ${record.id}` });
	// HubSpot numbers each object type on its own, so a company may share a changed contact's id: its
	// row must survive the contacts' rewrite.
	const records = await tableId('hubspot_sync_records');
	await env.n8n.api('POST', `/data-tables/${records}/rows`, { data: [{ objectType: 'companies', hubspotId: changed[0].id, name: 'Same id as a contact', runId: 'earlier' }] });
	const started = Date.now();
	const answer = await nightly();
	const seconds = (Date.now() - started) / 1000;
	expect(answer.json).toMatchObject({ status: 'finished', contacts: { mode: 'incremental', records: 1_000 }, companies: { mode: 'incremental', records: 3 } });
	const after = await rows('hubspot_sync_records');
	expect(after).toHaveLength(CONTACTS + COMPANIES + 1);
	expect(new Set(after.map((row) => `${row.objectType}:${row.hubspotId}`)).size).toBe(CONTACTS + COMPANIES + 1);
	const contacts = new Map(after.filter((row) => row.objectType === 'contacts').map((row) => [row.hubspotId, row]));
	for (const record of changed) expect(JSON.parse(contacts.get(record.id).properties).firstname).toBe(`Changed ${record.id}`);
	const companyRows = after.filter((row) => row.objectType === 'companies');
	for (const record of companies) expect(JSON.parse(companyRows.find((row) => row.hubspotId === record.id).properties).city).toBe(`Changed ${record.id}`);
	expect(companyRows.filter((row) => row.hubspotId === changed[0].id)).toEqual([expect.objectContaining({ name: 'Same id as a contact' })]);
	expect(Date.parse((await runRow()).contactsCursor)).toBeGreaterThan(Date.parse(firstCursor));
	console.log(`incremental run: 1,003 changed records into ${CONTACTS + COMPANIES} rows in ${seconds.toFixed(1)} s`);
	await env.n8n.api('DELETE', `/data-tables/${records}/rows/delete?filter=${encodeURIComponent(JSON.stringify({ type: 'and', filters: [{ columnName: 'runId', condition: 'eq', value: 'earlier' }] }))}`);
});

it('a full sync whose companies fail after every contact chunk is written leaves the records table as it was', async () => {
	await updateRunRow({ manualAllowedAfter: '2000-01-01T00:00:00.000Z' });
	const before = await rows('hubspot_sync_records');
	const cursors = await runRow();
	const daily = { status: 429, body: { status: 'error', message: 'You have reached your daily limit.', errorType: 'RATE_LIMIT', policyName: 'DAILY', correlationId: 'b4f1c2d4-0b5e-4c6d-9e7f-8a9b0c1d2e3f', category: 'RATE_LIMITS' } };
	// Both halves of the companies pull (list and search) meet the daily limit; the contacts are all read.
	env.emulator.configure({ faults: { script: [{ match: '/crm/objects/2026-03/companies', ...daily }, { match: '/crm/objects/2026-03/companies', ...daily }] } });
	const answer = await manual({ mode: 'full' });
	env.emulator.configure({ faults: { script: [] } });
	expect(answer.json).toMatchObject({ status: 'failed', code: 'DAILY_LIMIT' });
	// The contacts' chunks had written 20,000 rows of this run: they are gone, the previous rows stay.
	const after = await rows('hubspot_sync_records');
	expect(after).toHaveLength(before.length);
	expect(new Set(after.map((row) => row.id))).toEqual(new Set(before.map((row) => row.id)));
	expect(await runRow()).toMatchObject({ status: 'idle', contactsCursor: cursors.contactsCursor, companiesCursor: cursors.companiesCursor, lastResult: expect.stringContaining('DAILY_LIMIT') });
});

it('the nightly run deletes history rows past the 90-day retention and answers with the result of the sync', async () => {
	const history = await tableId('hubspot_sync_history');
	const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();
	await env.n8n.api('POST', `/data-tables/${history}/rows`, { data: [{ historyId: 'H-PAST-RETENTION', timestamp: daysAgo(91), status: 'success', code: 'OK' }, { historyId: 'H-WITHIN-RETENTION', timestamp: daysAgo(89), status: 'success', code: 'OK' }] });
	const answer = await nightly();
	expect(answer.json).toMatchObject({ status: 'finished', contacts: { mode: 'incremental' } });
	const ids = (await rows('hubspot_sync_history')).map((row) => row.historyId);
	expect(ids).not.toContain('H-PAST-RETENTION');
	expect(ids).toContain('H-WITHIN-RETENTION');
	expect(ids).toContain(answer.json.historyId);
});

it('the manual sync is refused within 2 hours of the last sync, saying when it is allowed', async () => {
	const run = await runRow();
	const answer = await manualAnswer();
	expect(answer.status).toBe(429);
	expect(answer.json).toMatchObject({ status: 'refused', reason: 'throttled', message: expect.stringContaining('less than 2 hours ago') });
	expect(Date.parse(answer.json.nextAllowedAt)).toBe(Date.parse(run.manualAllowedAfter));
	expect(answer.json.checkAgainAt).toBe(answer.json.nextAllowedAt);
	expectRetryAfterUntil(answer, run.manualAllowedAfter);
	// Two hours after the end (two readings of the clock in one node: within a second).
	expect(Math.abs(Date.parse(answer.json.nextAllowedAt) - Date.parse(run.finishedAt) - 2 * 3_600_000)).toBeLessThan(1_000);
});

it('20 concurrent manual requests on a fresh run row start exactly one sync; the others are told when to ask again', async () => {
	// The lease and the throttle as the set-up leaves them: as if no sync had ever run.
	await updateRunRow({ status: 'idle', leaseUntil: '1970-01-01T00:00:00.000Z', manualAllowedAfter: '1970-01-01T00:00:00.000Z' });
	const before = (await rows('hubspot_sync_history')).filter((row) => row.objectType === 'run').length;
	env.emulator.resetStats();
	const answers = await Promise.all(Array.from({ length: 20 }, () => manualAnswer({ mode: 'full' })));
	const statuses = answers.map((answer) => answer.status).sort();
	expect(statuses.filter((status) => status === 200)).toHaveLength(1);
	expect(statuses.filter((status) => status === 429)).toHaveLength(19);
	const winner = answers.find((answer) => answer.status === 200)!.json;
	expect(winner).toMatchObject({ status: 'finished', contacts: { mode: 'full', records: CONTACTS } });
	expect(answers.find((answer) => answer.status === 200)!.retryAfter).toBeNull();
	const run = await runRow();
	const refusals = answers.filter((answer) => answer.status === 429);
	// Told after the claim: one is running, or (arrived after the release) the throttle that then began.
	expect(refusals.map((answer) => answer.json.reason).filter((reason) => reason !== 'running' && reason !== 'throttled')).toEqual([]);
	// Never a time already past (a refusal built from the row read before the claim said 1970).
	expect(refusals.filter((answer) => answer.json.nextAllowedAt !== null && !(Date.parse(answer.json.nextAllowedAt) > answer.at))).toEqual([]);
	expect(refusals.filter((answer) => !(Date.parse(answer.json.checkAgainAt) > answer.at))).toEqual([]);
	const running = refusals.filter((answer) => answer.json.reason === 'running');
	expect(running.length).toBeGreaterThan(0);
	for (const answer of running) {
		// When a retry can succeed is known only when the running sync ends: ask again within a minute, before its lease ends.
		expect(answer.json.nextAllowedAt).toBeNull();
		expect(Date.parse(answer.json.checkAgainAt)).toBeLessThanOrEqual(Math.min(answer.at + 60_000, Date.parse(run.startedAt) + 30 * 60_000));
		expect(answer.json.message).toContain('hours after it ends');
		expectRetryAfterUntil(answer, answer.json.checkAgainAt);
	}
	for (const answer of refusals.filter((refusal) => refusal.json.reason === 'throttled')) {
		expect(Date.parse(answer.json.nextAllowedAt)).toBe(Date.parse(run.manualAllowedAfter));
	}
	// One full pull's worth of HubSpot calls, not twenty.
	expect(env.emulator.stats.requests).toBe(winner.calls);
	const records = await rows('hubspot_sync_records');
	expect(records).toHaveLength(CONTACTS + COMPANIES);
	expect((await rows('hubspot_sync_history')).filter((row) => row.objectType === 'run').length).toBe(before + 1);
	// After the run, the throttle that began at its end, to the millisecond the row holds.
	const after = await manualAnswer();
	expect(after.status).toBe(429);
	expect(after.json).toMatchObject({ status: 'refused', reason: 'throttled' });
	expect(Date.parse(after.json.nextAllowedAt)).toBe(Date.parse(run.manualAllowedAfter));
	expect(Date.parse(run.manualAllowedAfter)).toBeGreaterThan(after.at + 3_600_000);
	expectRetryAfterUntil(after, run.manualAllowedAfter);
});

it('a run whose claim another run took over stops at its next chunk with an explained row, and leaves the claim to the other', async () => {
	await updateRunRow({ manualAllowedAfter: '2000-01-01T00:00:00.000Z', leaseUntil: '2000-01-01T00:00:00.000Z' });
	const pending = manual({ mode: 'full' });
	const deadline = Date.now() + 60_000;
	while ((await runRow()).status !== 'running' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
	// As if this run's lease had run out and another run had claimed the row.
	await updateRunRow({ claimId: 'another-run' });
	const answer = await pending;
	expect(answer.status).toBe(502);
	expect(answer.json).toMatchObject({ status: 'failed', code: 'CLAIM_LOST', remedy: expect.stringContaining('leaseMinutes') });
	expect((await rows('hubspot_sync_history')).find((row) => row.historyId === answer.json.historyId)).toMatchObject({ status: 'error', code: 'CLAIM_LOST' });
	// The run did not release a claim that is no longer its own.
	expect(await runRow()).toMatchObject({ status: 'running', claimId: 'another-run' });
	await updateRunRow({ status: 'idle', claimId: '', leaseUntil: '2000-01-01T00:00:00.000Z' });
});

it('a sync killed with n8n between two chunks holds the claim only until its lease ends; the next one then runs in full', async () => {
	await updateRunRow({ manualAllowedAfter: '2000-01-01T00:00:00.000Z', leaseMinutes: 1 });
	const cursorBefore = (await runRow()).contactsCursor;
	// More changes than the incremental reads one by one (2,000): a full pull, in chunks of about 5,000.
	const changed = [...env.emulator.store.table('contacts').values()].slice(0, 6_000);
	for (const record of changed) env.emulator.store.update('contacts', record, { firstname: `Again ${record.id}` });
	env.emulator.resetStats();
	const killed = manual().catch(() => ({ status: 0, json: undefined }));
	// Every chunk begins by renewing the claim's lease: the first within a second of the claim, the
	// second once the first chunk (5,000 records, a few seconds) is written.
	const deadline = Date.now() + 120_000;
	let claimed: string | undefined;
	for (;;) {
		const run = await runRow();
		if (run.status === 'running') claimed ??= run.leaseUntil;
		if ((claimed !== undefined && Date.parse(run.leaseUntil) > Date.parse(claimed) + 2_000) || Date.now() > deadline) break;
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	await env.kill();
	expect((await killed).status).toBe(0);
	await env.restart();
	await waitForWebhook(`${env.n8n.url}/webhook/hubspot-sync/properties/sync`);
	const stuck = await runRow();
	expect(stuck).toMatchObject({ status: 'running', contactsCursor: cursorBefore });
	expect(Date.parse(stuck.leaseUntil)).toBeGreaterThan(Date.parse(claimed!));
	// The dead run's first chunk is in the table beside the rows of the run before.
	expect((await rows('hubspot_sync_records')).length).toBeGreaterThanOrEqual(CONTACTS + COMPANIES + 5_000);
	expect(Date.parse(stuck.leaseUntil)).toBeGreaterThan(Date.now());
	const refused = await manualAnswer();
	expect(refused.json).toMatchObject({ status: 'refused', reason: 'running', nextAllowedAt: null });
	expect(Date.parse(refused.json.checkAgainAt)).toBeLessThanOrEqual(Date.parse(stuck.leaseUntil));
	expect(Date.parse(refused.json.checkAgainAt)).toBeGreaterThan(refused.at - 1_000);
	expectRetryAfterUntil(refused, refused.json.checkAgainAt);
	// The nightly sync has no throttle: it too is only told when to ask again.
	const nightlyRefused = (await nightly()).json;
	expect(nightlyRefused).toMatchObject({ status: 'refused', reason: 'running', nextAllowedAt: null, message: expect.stringContaining('This nightly sync did not start') });
	expect(Date.parse(nightlyRefused.checkAgainAt)).toBeLessThanOrEqual(Date.parse(stuck.leaseUntil));
	expect(Date.parse(nightlyRefused.checkAgainAt)).toBeGreaterThan(Date.now() - 1_000);
	await new Promise((resolve) => setTimeout(resolve, Date.parse(stuck.leaseUntil) - Date.now() + 500));
	const next = await manual();
	expect(next.status).toBe(200);
	// The run that died may have left part of its writes: the next run is a full one, which clears them.
	expect(next.json).toMatchObject({ status: 'finished', contacts: { mode: 'full', records: CONTACTS }, companies: { mode: 'full', records: COMPANIES } });
	const records = await rows('hubspot_sync_records');
	expect(records).toHaveLength(CONTACTS + COMPANIES);
	expect(new Set(records.map((row) => `${row.objectType}:${row.hubspotId}`)).size).toBe(CONTACTS + COMPANIES);
	expect(JSON.parse(records.find((row) => row.hubspotId === changed[0].id).properties).firstname).toBe(`Again ${changed[0].id}`);
	expect(await runRow()).toMatchObject({ status: 'idle', lastResult: 'success' });
	// The interrupted run is visible as such in the history.
	const interrupted = (await rows('hubspot_sync_history')).filter((row) => row.code === 'RUN_INTERRUPTED');
	expect(interrupted).toEqual([expect.objectContaining({ status: 'error', objectType: 'run', message: expect.stringContaining('did not finish') })]);
});

/** The instance's Data tables in bytes, all and the records table, once n8n's 5-second size cache shows the last writes. */
async function dataTablesBytes(): Promise<{ total: number; records: number }> {
	await new Promise((resolve) => setTimeout(resolve, 5_500));
	const tables: Array<{ name: string; sizeBytes: number }> = (await env.n8n.api('GET', '/data-tables?limit=250')).data;
	return { total: tables.reduce((sum, table) => sum + table.sizeBytes, 0), records: tables.find((table) => table.name === 'hubspot_sync_records')?.sizeBytes ?? 0 };
}

/** Another app's Data table on the same n8n, grown until the instance's tables use about `target` bytes (never more than 1 MB over). */
async function fillOtherTableTo(target: number): Promise<void> {
	const tables: Array<{ id: string; name: string }> = (await env.n8n.api('GET', '/data-tables?limit=250')).data;
	const id = tables.find((table) => table.name === 'other_app_data')?.id ?? (await env.n8n.api('POST', '/data-tables', { name: 'other_app_data', columns: [{ name: 'text', type: 'string' }] })).id;
	const insert = async (count: number) => {
		for (let done = 0; done < count; done += 500) await env.n8n.api('POST', `/data-tables/${id}/rows`, { data: Array.from({ length: Math.min(500, count - done) }, () => ({ text: 'x'.repeat(4_000) })) });
	};
	let used = (await dataTablesBytes()).total;
	expect(used).toBeLessThan(target);
	await insert(200);
	const perRow = ((await dataTablesBytes()).total - used) / 200;
	for (let round = 0; round < 5; round++) {
		used = (await dataTablesBytes()).total;
		if (used > target - MB / 2) break;
		await insert(Math.floor((target - used) / perRow));
	}
	used = (await dataTablesBytes()).total;
	expect(used).toBeGreaterThan(target - MB);
	expect(used).toBeLessThan(target + MB);
}

it('a full sync that would pass the Data table limit half-way stops before the chunk that could, and leaves the records table as it was', async () => {
	await updateRunRow({ manualAllowedAfter: '2000-01-01T00:00:00.000Z' });
	// The portal grew by 40,000 contacts since the last run: the run's first estimate (a copy of today's table) is short.
	const grown = Array.from({ length: 40_000 }, (_, index) => env.emulator.store.create('contacts', { email: `grown${index}@example.com`, firstname: 'Grown' }));
	const before = await rows('hubspot_sync_records');
	const cursors = await runRow();
	const { records } = await dataTablesBytes();
	await fillOtherTableTo(LIMIT - records - HEADROOM - 2 * MB);
	env.emulator.resetStats();
	const answer = await manualAnswer({ mode: 'full' });
	for (const record of grown) env.emulator.store.archive('contacts', record.id);
	expect(answer.status).toBe(507);
	expect(answer.json).toMatchObject({ status: 'failed', code: 'DATA_TABLES_FULL', message: expect.stringContaining('the next chunk of 5000 contacts'), remedy: expect.stringContaining('N8N_DATA_TABLES_MAX_SIZE_BYTES') });
	// It stopped on the way: fewer calls than the first full pull took for 50,000 records, with 70,000 in the portal now.
	expect(env.emulator.stats.requests).toBeGreaterThan(firstFullPullCalls / 5);
	expect(env.emulator.stats.requests).toBeLessThan(2 * firstFullPullCalls);
	expect((await rows('hubspot_sync_history')).find((row) => row.historyId === answer.json.historyId)).toMatchObject({ status: 'error', code: 'DATA_TABLES_FULL', objectType: 'contact' });
	// The chunks it wrote are gone; the rows of the run before stay.
	const after = await rows('hubspot_sync_records');
	expect(after).toHaveLength(before.length);
	expect(new Set(after.map((row) => row.id))).toEqual(new Set(before.map((row) => row.id)));
	expect(await runRow()).toMatchObject({ status: 'idle', contactsCursor: cursors.contactsCursor, companiesCursor: cursors.companiesCursor, lastResult: expect.stringContaining('DATA_TABLES_FULL') });
	expect((await dataTablesBytes()).total).toBeLessThan(LIMIT);
	// Its first estimate (a copy of the table as it was, and a chunk's room) was within the limit, past 80%.
	const history = await rows('hubspot_sync_history');
	const runId = history.find((row) => row.historyId === answer.json.historyId).runId;
	expect(history.filter((row) => row.code === 'DATA_TABLES_NEAR_FULL' && row.runId === runId)).toEqual([expect.objectContaining({ status: 'skip', message: expect.stringContaining('% of the limit') })]);
});

it('a run that takes the Data tables past 80% of the limit leaves a warning row and goes on', async () => {
	await updateRunRow({ manualAllowedAfter: '2000-01-01T00:00:00.000Z' });
	// An incremental run keeps a chunk's room: 90% of the limit with it.
	await fillOtherTableTo(0.9 * LIMIT - HEADROOM);
	const started = new Date().toISOString();
	const answer = await manualAnswer();
	expect(answer.status).toBe(200);
	expect(answer.json).toMatchObject({ status: 'finished', contacts: { mode: 'incremental' }, companies: { mode: 'incremental' } });
	const warnings = (await rows('hubspot_sync_history')).filter((row) => row.code === 'DATA_TABLES_NEAR_FULL' && row.timestamp >= started);
	expect(warnings).toEqual([expect.objectContaining({ status: 'skip', objectType: 'run', message: expect.stringMatching(/this run may add up to 7\.2 MB \((88|89|90|91|92)% of the limit\)/) })]);
});

it('a run that could pass the Data table limit is refused before it pulls, with an explained row, and changes nothing', async () => {
	await updateRunRow({ manualAllowedAfter: '2000-01-01T00:00:00.000Z' });
	const { records } = await dataTablesBytes();
	// Under the limit, but not with a full pull's second copy of the records table.
	await fillOtherTableTo(LIMIT - records / 2);
	const before = await rows('hubspot_sync_records');
	const cursors = await runRow();
	env.emulator.resetStats();
	const answer = await manualAnswer({ mode: 'full' });
	expect(answer.status).toBe(507);
	expect(answer.json).toMatchObject({ status: 'failed', code: 'DATA_TABLES_FULL', message: expect.stringContaining('Nothing was pulled or written'), remedy: expect.stringContaining('dataTablesLimitBytes') });
	expect(env.emulator.stats.requests).toBe(0);
	expect((await rows('hubspot_sync_history')).find((row) => row.historyId === answer.json.historyId)).toMatchObject({ status: 'error', code: 'DATA_TABLES_FULL', objectType: 'run' });
	const after = await rows('hubspot_sync_records');
	expect(new Set(after.map((row) => row.id))).toEqual(new Set(before.map((row) => row.id)));
	expect(await runRow()).toMatchObject({ status: 'idle', contactsCursor: cursors.contactsCursor, companiesCursor: cursors.companiesCursor, lastResult: expect.stringContaining('DATA_TABLES_FULL') });
});

it('a run whose n8n API key was revoked stops before it pulls, with an explained row, and frees its claim', async () => {
	await updateRunRow({ manualAllowedAfter: '2000-01-01T00:00:00.000Z' });
	const listed = await env.n8n.rest('GET', '/api-keys');
	const keys: Array<{ id: string; label: string }> = listed.items ?? listed;
	const templatesKey = keys.find((key) => key.label.startsWith('templates-'));
	expect(templatesKey).toBeDefined();
	await env.n8n.rest('DELETE', `/api-keys/${templatesKey!.id}`);
	const cursors = await runRow();
	env.emulator.resetStats();
	const answer = await manualAnswer();
	expect(answer.status).toBe(502);
	expect(answer.json).toMatchObject({ status: 'failed', code: 'N8N_API_FAILED', message: expect.stringContaining(`n8n's API at ${env.n8n.url} answered`), remedy: expect.stringContaining('n8nApiUrl') });
	expect(env.emulator.stats.requests).toBe(0);
	expect((await rows('hubspot_sync_history')).find((row) => row.historyId === answer.json.historyId)).toMatchObject({ status: 'error', code: 'N8N_API_FAILED', objectType: 'run' });
	// Released at once, not held until the lease ends.
	expect(await runRow()).toMatchObject({ status: 'idle', contactsCursor: cursors.contactsCursor, lastResult: expect.stringContaining('N8N_API_FAILED') });
});
