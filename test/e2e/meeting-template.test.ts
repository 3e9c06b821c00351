/**
 * The meeting template in a real n8n: a booking POSTed to its webhook becomes exactly one HubSpot
 * meeting (in the emulator) with the rendered title and body, and one history row. The emulator
 * refuses unique values on meetings (its default: HubSpot does not document them there), so one
 * booking, one meeting rests on the template's booking lock and ledger and the node's lookup.
 * A failed booking looks like a failure: a 4xx or 5xx answer carrying its history row, and an
 * execution n8n lists as failed, still with one history row (the error workflow adds none).
 */
import { createHash } from 'node:crypto';
import path from 'node:path';

import { seedCrm } from '../hubspot-emulator/seed';
import { waitForWebhook } from '../../scripts/n8n-runtime';
import { callWebhook, dataTableId, dataTableRows, startE2eEnvironment, templateForE2e, WEBHOOK_HEADER, withWebhookTrigger, type E2eEnvironment } from './n8n-e2e';

jest.setTimeout(600_000);

let env: E2eEnvironment;
let hook: string;

beforeAll(async () => {
	const template = templateForE2e('meeting-booked-to-hubspot.json', { 'Create HubSpot meeting': { enabledMeetingTypes: 'intro-call, demo' } });
	const setup = withWebhookTrigger(templateForE2e('meeting-setup.json'), 'Run once', 'e2e/meeting-setup');
	env = await startE2eEnvironment([template, setup, templateForE2e('sync-history-report.json'), templateForE2e('error-workflow-history.json'), templateForE2e('record-history.json'), path.join(__dirname, 'workflows/e2e-failing-booking.json')], {}, {
		beforeStart: ({ emulator }) => {
			seedCrm(emulator.store, { contacts: 20, companies: 3 });
		},
	});
	// The set-up template, run as a user would with "Execute workflow" (its trigger is a webhook here).
	await waitForWebhook(`${env.n8n.url}/webhook/e2e/meeting-setup`);
	const setupAnswer = await callWebhook(env, 'e2e/meeting-setup', {});
	expect(setupAnswer.json).toMatchObject({ property: 'n8n_booking_id', unique: false, message: expect.stringContaining('Bookings are still deduplicated') });
	// Running it again changes nothing that exists (the lock rows are not added twice).
	expect((await callWebhook(env, 'e2e/meeting-setup', {})).json).toMatchObject({ status: 'exists' });
	hook = `${env.n8n.url}/webhook/hubspot-sync/booking`;
	await waitForWebhook(hook);
});
afterAll(async () => {
	await env?.teardown();
});

const post = (body: unknown, headers: Record<string, string> = { [WEBHOOK_HEADER.name]: WEBHOOK_HEADER.value }) =>
	fetch(hook, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

const booking = (overrides: Record<string, unknown> = {}) => ({
	bookingId: 'B-1001',
	meetingType: 'intro-call',
	email: 'contact5@example.com',
	name: 'Hina Tanaka',
	start: '2026-12-01T10:00:00+09:00',
	end: '2026-12-01T10:30:00+09:00',
	location: 'Zoom',
	...overrides,
});

const meetings = () => [...env.emulator.store.table('meetings').values()].filter((m) => !m.archived);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** How n8n's executions list shows a run (public API): polled until the run has ended (it goes on after the answer). */
async function executionStatus(executionId: string): Promise<string> {
	for (let attempt = 0; attempt < 80; attempt++) {
		const execution = await env.n8n.api('GET', `/executions/${executionId}`);
		if (!['new', 'running', 'waiting'].includes(execution.status)) return execution.status;
		await pause(250);
	}
	throw new Error(`Execution ${executionId} had not ended after 20 s`);
}

/** The error workflow's run for a failed execution, once it has ended (n8n starts it after the failure). */
async function errorWorkflowRunFor(failedExecutionId: string): Promise<any> {
	for (let attempt = 0; attempt < 80; attempt++) {
		const runs = await env.n8n.api('GET', '/executions?workflowId=hsErrorWorkflow01&includeData=true&limit=100');
		const run = runs.data.find((execution: any) => String(execution.data?.resultData?.runData?.['Workflow failed']?.[0]?.data?.main?.[0]?.[0]?.json?.execution?.id) === failedExecutionId);
		if (run && !['new', 'running', 'waiting'].includes(run.status)) return run;
		await pause(250);
	}
	throw new Error(`The error workflow did not run for execution ${failedExecutionId} within 20 s`);
}

/** History rows about a booking or its execution (the error workflow's row names the execution and the workflow, not the booking). */
const historyRowsOf = async (bookingId: string, executionId: string) => (await dataTableRows(env, 'hubspot_sync_history')).filter((row) => row.targetId === bookingId || row.runId === executionId);

it('the set-up template (run twice) made the booking-id property (plain: HubSpot refused unique values), 64 lock rows and the ledger', async () => {
	expect(env.emulator.store.properties.get('meetings')!.get('n8n_booking_id')?.hasUniqueValue).toBe(false);
	const locks = await dataTableRows(env, 'hubspot_sync_booking_locks');
	expect(locks.map((row) => row.slot).sort((a, b) => a - b)).toEqual(Array.from({ length: 64 }, (_, slot) => slot));
	expect(await dataTableRows(env, 'hubspot_sync_bookings')).toEqual([]);
});

it('refuses a request without, or with a wrong, webhook header and runs nothing', async () => {
	env.emulator.resetStats();
	// n8n's Webhook node answers 403 "Authorization data is wrong!" for header auth.
	expect((await post(booking(), {})).status).toBe(403);
	expect((await post(booking(), { [WEBHOOK_HEADER.name]: 'guess' })).status).toBe(403);
	expect(meetings()).toHaveLength(0);
	expect(env.emulator.stats.requests).toBe(0);
});

it('turns a booking into one meeting on the right contact, with the rendered title and body', async () => {
	env.emulator.resetStats();
	const answer = await post(booking());
	expect(answer.status).toBe(200);
	const row: any = await answer.json();
	expect(row).toMatchObject({ status: 'success', code: 'OK', objectType: 'meeting', targetId: 'B-1001', direction: 'to_hubspot', attempts: 3 });
	expect(row.historyId).toMatch(/^H-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
	expect(await executionStatus(row.runId)).toBe('success');
	const [meeting] = meetings();
	expect(row.hubspotId).toBe(meeting.id);
	expect(meeting.properties).toMatchObject({
		hs_meeting_title: 'intro-call: Hina Tanaka',
		hs_meeting_body: 'Hina Tanaka (contact5@example.com) booked intro-call for 2026-12-01 10:00 (Asia/Tokyo) to 2026-12-01 10:30 (Asia/Tokyo). Booking B-1001.',
		hs_meeting_location: 'Zoom',
		n8n_booking_id: 'B-1001',
	});
	const contact = env.emulator.store.findByEmail('contact5@example.com')!;
	expect(env.emulator.store.associationsOf('meetings', meeting.id, 'contacts').map((a) => a.toObjectId)).toEqual([contact.id]);
	// The contact's primary company, from its primary association.
	expect(contact.properties.associatedcompanyid).toBeTruthy();
	expect(env.emulator.store.associationsOf('meetings', meeting.id, 'companies').map((a) => a.toObjectId)).toEqual([contact.properties.associatedcompanyid]);
	expect(env.emulator.stats.requests).toBe(3);
	expect(await dataTableRows(env, 'hubspot_sync_bookings')).toEqual([expect.objectContaining({ bookingId: 'B-1001', meetingId: meeting.id, contactId: contact.id, status: 'created' })]);
});

it('adds nothing when the same booking is posted again, 5 times in a row, without calling HubSpot', async () => {
	env.emulator.resetStats();
	for (let i = 0; i < 5; i++) {
		const answer = await post(booking());
		expect(answer.status).toBe(200);
		expect(await answer.json()).toMatchObject({ status: 'skip', code: 'DUPLICATE' });
	}
	expect(meetings()).toHaveLength(1);
	// The ledger knew the booking: no HubSpot call at all.
	expect(env.emulator.stats.requests).toBe(0);
});

it('makes exactly one meeting when a new booking is posted 5 times at once', async () => {
	const rows: any[] = await Promise.all(Array.from({ length: 5 }, async () => (await post(booking({ bookingId: 'B-RACE', email: 'contact6@example.com' }))).json()));
	expect(rows.map((row) => row.code).sort()).toEqual(['DUPLICATE', 'DUPLICATE', 'DUPLICATE', 'DUPLICATE', 'OK']);
	const made = meetings().filter((m) => m.properties.n8n_booking_id === 'B-RACE');
	expect(made).toHaveLength(1);
	expect(new Set(rows.map((row) => row.hubspotId))).toEqual(new Set([made[0].id]));
	// Every lock was released: the next booking of that slot is not kept waiting.
	const locks = await dataTableRows(env, 'hubspot_sync_booking_locks');
	expect(locks.filter((lock) => new Date(lock.leaseUntil).getTime() > Date.now())).toEqual([]);
});

it('a connection lost after HubSpot made the meeting, then the booking sent again: one meeting', async () => {
	env.emulator.configure({ faults: { script: [{ match: 'POST /crm/objects/2026-03/meetings$', reset: 'after' }] } });
	const first: any = await (await post(booking({ bookingId: 'B-RESET', email: 'contact7@example.com' }))).json();
	expect(env.emulator.stats.resets).toBeGreaterThanOrEqual(1);
	expect(first).toMatchObject({ status: 'success', code: 'OK' });
	const again: any = await (await post(booking({ bookingId: 'B-RESET', email: 'contact7@example.com' }))).json();
	expect(again).toMatchObject({ status: 'skip', code: 'DUPLICATE', hubspotId: first.hubspotId });
	expect(meetings().filter((m) => m.properties.n8n_booking_id === 'B-RESET')).toHaveLength(1);
});

it('skips a booking of a disabled meeting type with its reason (200: done as configured, not a failure)', async () => {
	env.emulator.resetStats();
	const answer = await post(booking({ bookingId: 'B-1002', meetingType: 'internal' }));
	expect(answer.status).toBe(200);
	const row: any = await answer.json();
	expect(row).toMatchObject({ status: 'skip', code: 'TYPE_DISABLED' });
	expect(await executionStatus(row.runId)).toBe('success');
	expect(row.message).toContain('"internal"');
	expect(env.emulator.stats.requests).toBe(0);
	expect(meetings().filter((m) => m.properties.n8n_booking_id === 'B-1002')).toHaveLength(0);
});

it('writes an explained error row for bad input, and keeps every row in the history table', async () => {
	const answer = await post(booking({ bookingId: 'B-1003', email: 'not-an-email' }));
	expect(answer.status).toBe(422);
	const row: any = await answer.json();
	expect(row).toMatchObject({ status: 'error', code: 'INPUT_INVALID', targetId: 'B-1003' });
	// The error workflow has seen the failure before the rows are counted.
	await errorWorkflowRunFor(row.runId);
	expect(row.message).toContain('not a valid email');
	expect(row.remedy).toContain('Guest Email');
	const tables = await env.n8n.api('GET', '/data-tables');
	const history = tables.data.find((table: { name: string }) => table.name === 'hubspot_sync_history');
	const rows = await env.n8n.api('GET', `/data-tables/${history.id}/rows?limit=100`);
	const mine = rows.data.filter((r: { targetId: string }) => /^B-100[123]$/.test(r.targetId));
	expect(mine.map((r: { targetId: string; status: string }) => `${r.targetId}:${r.status}`)).toEqual(['B-1001:success', ...Array(5).fill('B-1001:skip'), 'B-1002:skip', 'B-1003:error']);
});

it('answers "what happened to booking X / history id Y" from the history table', async () => {
	const ask = async (query: string) => {
		const answer = await fetch(`${env.n8n.url}/webhook/hubspot-sync/history?${query}`, { headers: { [WEBHOOK_HEADER.name]: WEBHOOK_HEADER.value } });
		expect(answer.status).toBe(200);
		const body = await answer.json();
		return (Array.isArray(body) ? body : [body]).filter((row: Record<string, unknown>) => row.historyId);
	};
	await waitForWebhook(`${env.n8n.url}/webhook/hubspot-sync/history`);
	const rows = await ask('record=B-1001');
	expect(rows.map((row: Record<string, string>) => row.status)).toEqual([...Array(5).fill('skip'), 'success']);
	const [one] = await ask(`historyId=${rows[5].historyId}`);
	expect(one).toMatchObject({ targetId: 'B-1001', status: 'success' });
	expect(await ask('record=NO-SUCH-BOOKING')).toEqual([]);
});

it('records a whole-workflow failure through the error workflow template', async () => {
	const hook = `${env.n8n.url}/webhook/e2e-failing-booking`;
	await waitForWebhook(hook);
	await fetch(hook, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ bookingId: 'B-FAIL', email: 'not-an-email' }) });
	// The error workflow runs after the failed execution: poll (bounded) for its row.
	let row: Record<string, string> | undefined;
	for (let attempt = 0; attempt < 40 && !row; attempt++) {
		const tables = await env.n8n.api('GET', '/data-tables');
		const history = tables.data.find((table: { name: string }) => table.name === 'hubspot_sync_history');
		const rows = history ? await env.n8n.api('GET', `/data-tables/${history.id}/rows?limit=100`) : { data: [] };
		row = rows.data.find((r: Record<string, string>) => r.targetId === 'E2E: failing booking (error workflow)');
		if (!row) await new Promise((resolve) => setTimeout(resolve, 250));
	}
	if (!row) {
		for (const id of ['e2eFailingBooking', 'hsErrorWorkflow01']) {
			const runs = await env.n8n.api('GET', `/executions?workflowId=${id}&includeData=true&limit=2`);
			console.log(id, JSON.stringify(runs.data.map((e: any) => ({ status: e.status, error: e.data?.resultData?.error?.message, last: e.data?.resultData?.lastNodeExecuted }))));
		}
	}
	expect(row).toMatchObject({ status: 'error', code: 'UNKNOWN' });
	expect(row!.message).toContain('not a valid email');
});

describe('a failed booking looks like a failure', () => {
	/** The answer, the execution's status, the error workflow's run for it and the booking's history rows. */
	async function failedBooking(overrides: Record<string, unknown>) {
		const answer = await post(booking(overrides));
		const row: any = await answer.json();
		// A booking that did not fail has no error workflow run to wait for.
		if (answer.status < 400) throw new Error(`Booking ${overrides.bookingId} was answered ${answer.status}: ${JSON.stringify(row)}`);
		const status = await executionStatus(row.runId);
		const execution = await env.n8n.api('GET', `/executions/${row.runId}?includeData=true`);
		const errorRun = await errorWorkflowRunFor(row.runId);
		return { status: answer.status, row, executionStatus: status, failure: execution.data?.resultData?.error?.message as string, errorRun, rows: await historyRowsOf(String(overrides.bookingId), String(row.runId)) };
	}

	/** The error workflow ran for the failure and recognised it as recorded: it wrote no row. */
	const expectRecordedOnce = (result: Awaited<ReturnType<typeof failedBooking>>) => {
		expect(result.executionStatus).toBe('error');
		expect(result.failure).toContain(`Already recorded as history row ${result.row.historyId}`);
		expect(result.errorRun.status).toBe('success');
		expect(Object.keys(result.errorRun.data.resultData.runData)).not.toContain('Write History');
		expect(result.rows.map((row: Record<string, string>) => `${row.historyId}:${row.status}:${row.code}`)).toEqual([`${result.row.historyId}:error:${result.row.code}`]);
	};

	it('a booking without an email: 422 with the explained row, a failed execution, one history row', async () => {
		// JSON has no undefined: the body carries no email field at all.
		const result = await failedBooking({ bookingId: 'B-NOMAIL', email: undefined });
		expect(result.status).toBe(422);
		expect(result.row).toMatchObject({ status: 'error', code: 'INPUT_INVALID', targetId: 'B-NOMAIL' });
		expect(result.row.message).toContain('guest email is empty');
		expect(result.row.remedy).toContain('Guest Email');
		expectRecordedOnce(result);
	});

	it('a booking whose time cannot be read: 422 naming the field, a failed execution, one history row', async () => {
		env.emulator.resetStats();
		const result = await failedBooking({ bookingId: 'B-BADTIME', email: 'contact10@example.com', start: 'next Tuesday at ten' });
		expect(result.status).toBe(422);
		expect(result.row).toMatchObject({ status: 'error', code: 'INPUT_INVALID', targetId: 'B-BADTIME' });
		expect(result.row.message).toContain('Start Time "next Tuesday at ten" is not a valid time');
		expect(env.emulator.stats.requests).toBe(0);
		expectRecordedOnce(result);
	});

	it('HubSpot refusing the call: 502 with HubSpot\'s classification and correlation id, a failed execution, one history row', async () => {
		// HubSpot's 403 (a scope missing) on the guest's contact read: not retried, nothing created.
		env.emulator.configure({ faults: { script: [{ match: '^GET /crm/objects/[^/]+/contacts/', status: 403 }] } });
		const result = await failedBooking({ bookingId: 'B-HUBSPOT-REFUSED', email: 'contact11@example.com' });
		expect(result.status).toBe(502);
		expect(result.row).toMatchObject({ status: 'error', code: 'SCOPES_MISSING', targetId: 'B-HUBSPOT-REFUSED' });
		expect(result.row.correlationId).toMatch(/^[0-9a-f-]{36}$/);
		expect(meetings().filter((m) => m.properties.n8n_booking_id === 'B-HUBSPOT-REFUSED')).toHaveLength(0);
		expectRecordedOnce(result);
		// The same booking once HubSpot answers again: 200, a meeting, a succeeded execution.
		const again = await post(booking({ bookingId: 'B-HUBSPOT-REFUSED', email: 'contact11@example.com' }));
		expect(again.status).toBe(200);
		const row: any = await again.json();
		expect(row).toMatchObject({ status: 'success', code: 'OK' });
		expect(await executionStatus(row.runId)).toBe('success');
	});
});

describe('when the booking lock cannot be taken', () => {
	const slotOf = (bookingId: string) => parseInt(createHash('md5').update(bookingId).digest('hex').slice(0, 8), 16) % 64;
	const setLock = async (slot: number, data: Record<string, unknown>) => {
		const id = await dataTableId(env, 'hubspot_sync_booking_locks');
		await env.n8n.api('PATCH', `/data-tables/${id}/rows/update`, { filter: { type: 'and', filters: [{ columnName: 'slot', condition: 'eq', value: slot }] }, data });
	};

	it('a lock another delivery holds: tried 10 times a second apart, then BOOKING_BUSY, nothing written', async () => {
		const slot = slotOf('B-BUSY');
		await setLock(slot, { holder: 'another-execution', leaseUntil: new Date(Date.now() + 5 * 60_000).toISOString() });
		env.emulator.resetStats();
		const started = Date.now();
		const answer = await post(booking({ bookingId: 'B-BUSY', email: 'contact8@example.com' }));
		// 503 with Retry-After: a booking tool retries it by itself, later.
		expect(answer.status).toBe(503);
		expect(answer.headers.get('retry-after')).toBe('60');
		const row: any = await answer.json();
		expect(row).toMatchObject({ status: 'error', code: 'BOOKING_BUSY', targetId: 'B-BUSY' });
		expect(row.remedy).toContain('again');
		expect(Date.now() - started).toBeGreaterThanOrEqual(9_000);
		expect(env.emulator.stats.requests).toBe(0);
		expect(meetings().filter((m) => m.properties.n8n_booking_id === 'B-BUSY')).toHaveLength(0);
		expect(await executionStatus(row.runId)).toBe('error');
		// Once the other holder's lease is over, the booking goes through.
		await setLock(slot, { leaseUntil: '1970-01-01T00:00:00.000Z' });
		expect(await (await post(booking({ bookingId: 'B-BUSY', email: 'contact8@example.com' }))).json()).toMatchObject({ status: 'success', code: 'OK' });
	});

	it('no lock rows (meeting setup not run): BOOKING_NOT_SET_UP naming the set-up workflow', async () => {
		const id = await dataTableId(env, 'hubspot_sync_booking_locks');
		const rows = await dataTableRows(env, 'hubspot_sync_booking_locks');
		await env.n8n.api('DELETE', `/data-tables/${id}/rows/delete?filter=${encodeURIComponent(JSON.stringify({ type: 'and', filters: [{ columnName: 'slot', condition: 'gte', value: 0 }] }))}`);
		const answer = await post(booking({ bookingId: 'B-NOSETUP', email: 'contact9@example.com' }));
		// This n8n's set-up is missing: 500, which a booking tool retries once the set-up has run.
		expect(answer.status).toBe(500);
		const row: any = await answer.json();
		expect(row).toMatchObject({ status: 'error', code: 'BOOKING_NOT_SET_UP' });
		expect(row.remedy).toContain('HubSpot: meeting setup');
		expect(meetings().filter((m) => m.properties.n8n_booking_id === 'B-NOSETUP')).toHaveLength(0);
		await env.n8n.api('POST', `/data-tables/${id}/rows`, { data: rows.map(({ slot, holder, bookingId, leaseUntil }) => ({ slot, holder, bookingId, leaseUntil })) });
	});
});

describe('webhook bodies that are not a booking (bad-input catalog, webhook level)', () => {
	const raw = (body: string, contentType = 'application/json') =>
		fetch(hook, { method: 'POST', headers: { 'content-type': contentType, [WEBHOOK_HEADER.name]: WEBHOOK_HEADER.value }, body });

	it('a body that is not JSON is refused by n8n before anything runs', async () => {
		const before = meetings().length;
		env.emulator.resetStats();
		const answer = await raw('{"bookingId": "B-broken", ');
		console.log('not JSON:', answer.status, (await answer.text()).slice(0, 200));
		expect(answer.status).toBeGreaterThanOrEqual(400);
		expect(answer.status).toBeLessThan(500);
		expect(meetings()).toHaveLength(before);
		expect(env.emulator.stats.requests).toBe(0);
	});

	it('an array, and a 5 MB body, each end as an explained error row naming the field, creating nothing', async () => {
		const before = meetings().length;
		const array = await raw(JSON.stringify([booking({ bookingId: 'B-array-1' }), booking({ bookingId: 'B-array-2' })]));
		expect(array.status).toBe(422);
		const arrayRow: any = await array.json();
		expect(arrayRow).toMatchObject({ status: 'error', code: 'INPUT_INVALID' });
		expect(`${arrayRow.message} ${arrayRow.remedy}`).toContain('Booking ID');
		const huge = await raw(JSON.stringify(booking({ bookingId: 'B-huge', name: 'x'.repeat(5 * 1024 * 1024) })));
		expect(huge.status).toBe(422);
		const hugeRow: any = await huge.json();
		expect(hugeRow).toMatchObject({ status: 'error', code: 'INPUT_INVALID', targetId: 'B-huge' });
		expect(`${hugeRow.message} ${hugeRow.remedy}`).toContain('Title');
		// The row carries the explanation, not the 5 MB.
		expect(JSON.stringify(hugeRow).length).toBeLessThan(5_000);
		expect(meetings()).toHaveLength(before);
	});
});
