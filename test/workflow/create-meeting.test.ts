/**
 * HubSpot Create Meeting through n8n's engine against the emulator: calls per booking, inline
 * associations, rendered templates, idempotency (repeated, concurrent, answer lost), skips,
 * reschedule/cancel, and bad input.
 */
import { DEFAULT_SERVICE_KEY } from '../hubspot-emulator';
import { seedCrm } from '../hubspot-emulator/seed';
import { startEmulator, type RunningEmulator } from '../support/emulator';
import { runWorkflow } from '../support/workflow-harness';
import fixture from './fixtures/create-meeting.workflow.json';

let hs: RunningEmulator;
const credentials = () => ({ hubSpotSyncServiceKeyApi: { accessToken: DEFAULT_SERVICE_KEY, baseUrl: hs.url } });
const NODE = 'HubSpot Create Meeting';

type Params = Record<string, any>;
function workflow(overrides: Params = {}) {
	const copy = structuredClone(fixture);
	Object.assign(copy.nodes[1].parameters, overrides);
	return copy;
}

function booking(overrides: Params = {}) {
	return { bookingId: 'B-1', meetingType: 'intro-call', email: 'contact3@example.com', name: 'Yui Sato', start: '2026-12-01T10:00:00+09:00', end: '2026-12-01T10:30:00+09:00', ...overrides };
}

async function run(items: Params[], overrides: Params = {}) {
	const result = await runWorkflow(workflow(overrides), credentials(), items);
	return { result, out: result.output(NODE).map((item) => item.json as Record<string, any>), error: result.error(NODE) as (Error & { description?: string; context?: any }) | undefined };
}

const meetings = () => [...hs.emulator.store.table('meetings').values()].filter((m) => !m.archived);

beforeEach(async () => {
	hs = await startEmulator();
	seedCrm(hs.emulator.store, { contacts: 10, companies: 2 });
	// The set-up operation: the unique booking-id property on meetings.
	const setup = await run([{}], { operation: 'ensureBookingProperty' });
	expect(setup.out[0]).toMatchObject({ status: 'created', unique: true, property: 'n8n_booking_id' });
	hs.emulator.resetStats();
});
afterEach(() => hs.stop());

describe('create', () => {
	it('makes one meeting associated with the contact and its company, in two HubSpot calls', async () => {
		const { out } = await run([booking()]);
		expect(hs.emulator.stats.requests).toBe(2);
		expect(out[0]).toMatchObject({ status: 'created', bookingId: 'B-1', hubspotCalls: 2 });
		const [meeting] = meetings();
		expect(out[0].meetingId).toBe(meeting.id);
		expect(meeting.properties).toMatchObject({
			hs_meeting_title: 'intro-call: Yui Sato',
			hs_meeting_body: 'Yui Sato <contact3@example.com> booked 2026-12-01 10:00 (Asia/Tokyo) to 2026-12-01 10:30 (Asia/Tokyo) (booking B-1)',
			hs_meeting_start_time: '2026-12-01T01:00:00.000Z',
			hs_meeting_end_time: '2026-12-01T01:30:00.000Z',
			hs_timestamp: '2026-12-01T01:00:00.000Z',
			hs_meeting_outcome: 'SCHEDULED',
			hs_meeting_location: 'Zoom',
			n8n_booking_id: 'B-1',
		});
		const contact = hs.emulator.store.findByEmail('contact3@example.com')!;
		expect(hs.emulator.store.associationsOf('meetings', meeting.id, 'contacts')).toEqual([{ toObjectId: contact.id, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 200 }] }]);
		expect(hs.emulator.store.associationsOf('meetings', meeting.id, 'companies')).toHaveLength(0);
		expect(hs.emulator.contract.violations).toEqual([]);
	});

	it('associates the primary company (from the contact read, no extra call) and a deal', async () => {
		const contact = hs.emulator.store.findByEmail('contact3@example.com')!;
		const company = [...hs.emulator.store.table('companies').values()][0];
		hs.emulator.store.update('contacts', contact, { associatedcompanyid: company.id });
		const deal = hs.emulator.store.create('deals', { dealname: 'Big deal' });
		await run([booking()], { additionalFields: { dealId: deal.id } });
		const [meeting] = meetings();
		expect(hs.emulator.store.associationsOf('meetings', meeting.id, 'companies').map((a) => a.toObjectId)).toEqual([company.id]);
		expect(hs.emulator.store.associationsOf('meetings', meeting.id, 'deals').map((a) => a.toObjectId)).toEqual([deal.id]);
		expect(hs.emulator.stats.requests).toBe(2);
	});

	it('makes exactly one meeting when the same booking arrives 5 times in a row', async () => {
		const statuses = [];
		for (let i = 0; i < 5; i++) statuses.push((await run([booking()])).out[0].status);
		expect(statuses).toEqual(['created', 'duplicate', 'duplicate', 'duplicate', 'duplicate']);
		expect(meetings()).toHaveLength(1);
	});

	it('makes exactly one meeting when the same booking arrives 5 times at once', async () => {
		const runs = await Promise.all(Array.from({ length: 5 }, () => run([booking()])));
		const statuses = runs.map((r) => r.out[0].status).sort();
		expect(statuses).toEqual(['created', 'duplicate', 'duplicate', 'duplicate', 'duplicate']);
		expect(new Set(runs.map((r) => r.out[0].meetingId)).size).toBe(1);
		expect(meetings()).toHaveLength(1);
	});

	it('survives a connection lost after HubSpot made the meeting: the resend finds it', async () => {
		hs.emulator.configure({ faults: { script: [{ match: 'POST /crm/objects/2026-03/meetings$', reset: 'after' }] } });
		const { out } = await run([booking()]);
		expect(meetings()).toHaveLength(1);
		// The resend's 409 names the meeting the lost try made; the reason says how it may have come about.
		expect(out[0]).toMatchObject({ status: 'duplicate', meetingId: meetings()[0].id, reason: expect.stringContaining('answer was lost') });
		expect(hs.emulator.stats.resets).toBe(1);
	});

	it('passes a booking of a disabled meeting type through as skipped, calling nothing', async () => {
		const { out } = await run([booking({ meetingType: 'internal-sync' })]);
		expect(out[0]).toMatchObject({ status: 'skipped', code: 'TYPE_DISABLED' });
		expect(out[0].reason).toContain('internal-sync');
		expect(hs.emulator.stats.requests).toBe(0);
	});

	it('syncs every type when the list is empty', async () => {
		const { out } = await run([booking({ meetingType: 'anything' })], { enabledMeetingTypes: '' });
		expect(out[0].status).toBe('created');
	});

	describe('when no contact has the email', () => {
		it('skips by default', async () => {
			const { out } = await run([booking({ email: 'stranger@example.com' })]);
			expect(out[0]).toMatchObject({ status: 'skipped', code: 'CONTACT_NOT_FOUND' });
			expect(meetings()).toHaveLength(0);
		});
		it('creates the contact when asked', async () => {
			const { out } = await run([booking({ email: 'Stranger@Example.com', name: 'Ken Ito' })], { whenContactMissing: 'create' });
			const contact = hs.emulator.store.findByEmail('stranger@example.com')!;
			expect(contact.properties).toMatchObject({ firstname: 'Ken', lastname: 'Ito' });
			expect(out[0]).toMatchObject({ status: 'created', contactId: contact.id });
			expect(hs.emulator.stats.requests).toBe(3);
		});
		it('stops with an error naming the field when asked', async () => {
			const { error } = await run([booking({ email: 'stranger@example.com' })], { whenContactMissing: 'error' });
			expect(error?.message).toContain('no HubSpot contact has the email stranger@example.com');
			expect(error?.description).toContain('Guest Email');
		});
	});
});

it('a booking id posted again with different contents is a duplicate naming the booking; the first meeting stays as it was', async () => {
	await run([booking()]);
	const [first] = meetings();
	const before = { ...first.properties };
	const { out } = await run([booking({ name: 'Someone Else', start: '2026-12-02T15:00:00+09:00', end: '2026-12-02T16:00:00+09:00' })]);
	expect(out[0]).toMatchObject({ status: 'duplicate', meetingId: first.id, reason: expect.stringContaining('B-1') });
	expect(meetings()).toHaveLength(1);
	// A changed booking is a reschedule (its own operation), never a silent overwrite.
	expect(meetings()[0].properties).toEqual(before);
});

describe('reschedule and cancel', () => {
	it('moves the booking’s meeting to new times and title, then cancels it, one call each', async () => {
		await run([booking()]);
		hs.emulator.resetStats();
		const moved = await run([booking({ start: '2026-12-02T15:00:00+09:00', end: '2026-12-02T16:00:00+09:00', meetingType: 'demo' })], { operation: 'reschedule' });
		expect(moved.out[0]).toMatchObject({ status: 'updated', meetingId: meetings()[0].id });
		expect(meetings()[0].properties).toMatchObject({ hs_meeting_start_time: '2026-12-02T06:00:00.000Z', hs_meeting_title: 'demo: Yui Sato', hs_meeting_outcome: 'SCHEDULED' });
		const canceled = await run([booking()], { operation: 'cancel' });
		expect(canceled.out[0].status).toBe('canceled');
		expect(meetings()[0].properties.hs_meeting_outcome).toBe('CANCELED');
		expect(hs.emulator.stats.requests).toBe(2);
		expect(meetings()).toHaveLength(1);
	});

	it('skips a booking that never got a meeting', async () => {
		const { out } = await run([booking({ bookingId: 'B-404' })], { operation: 'cancel' });
		expect(out[0]).toMatchObject({ status: 'skipped', code: 'MEETING_NOT_FOUND' });
	});
});

describe('bad input names the item and the field', () => {
	it.each([
		['a missing email', { email: '' }, 'Guest Email', 'email is empty'],
		['a malformed email', { email: 'yui.example.com' }, 'Guest Email', 'not a valid email'],
		['a non-ASCII email domain without a dot', { email: 'ゆい@例' }, 'Guest Email', 'not a valid email'],
		['an end before the start', { end: '2026-12-01T09:00:00+09:00' }, 'End Time', 'before or when it starts'],
		['an unparseable time', { start: 'next tuesday' }, 'Start Time', 'not a valid time'],
		['an impossible date', { start: '2026-02-30T10:00:00+09:00' }, 'Start Time', 'not a valid time'],
		['an empty booking id', { bookingId: '' }, 'Booking ID', 'booking ID is empty'],
		['an empty meeting type while a list is set', { meetingType: '' }, 'Meeting Type', 'meeting type is empty'],
		['a deal id that is not a number', {}, 'Deal ID', 'not a HubSpot record ID', { additionalFields: { dealId: 'deal-7' } }],
		['a title over HubSpot’s limit', { name: 'x'.repeat(70_000) }, 'Title Template', 'at most 65536'],
		['an unknown placeholder', {}, 'Title Template', 'Unknown placeholder {{gestName}}', { titleTemplate: 'Meeting with {{gestName}}' }],
		['a time zone that does not exist', {}, 'Time Zone', 'is not a time zone', { timezone: 'Mars/Olympus' }],
	] as Array<[string, Params, string, string, Params?]>)('%s', async (_name, input, field, message, params = {}) => {
		const { error } = await run([booking(input)], params);
		expect(error?.message).toContain('Item 0');
		expect(error?.message).toContain(message);
		expect(error?.description).toContain(`Field "${field}"`);
		expect(meetings()).toHaveLength(0);
	});

	it('reads naive times in the time zone, and epoch milliseconds', async () => {
		await run([booking({ start: '2026-12-01T10:00:00', end: String(Date.UTC(2026, 11, 1, 2, 0)) })]);
		expect(meetings()[0].properties).toMatchObject({ hs_meeting_start_time: '2026-12-01T01:00:00.000Z', hs_meeting_end_time: '2026-12-01T02:00:00.000Z' });
	});

	it('with continue on fail, a bad booking becomes an error item and the others still sync', async () => {
		const lenient = workflow();
		(lenient.nodes[1] as Record<string, unknown>).onError = 'continueRegularOutput';
		const result = await runWorkflow(lenient, credentials(), [booking(), booking({ bookingId: 'B-2', email: 'broken' }), booking({ bookingId: 'B-3', email: 'contact4@example.com' })]);
		const out = result.output(NODE);
		expect(out.map((item) => item.json.status)).toEqual(['created', 'error', 'created']);
		expect(out[1].json.error).toMatchObject({ code: 'INPUT_INVALID' });
		expect(out.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(meetings()).toHaveLength(2);
	});
});

it('reports an existing booking-id property that is not unique', async () => {
	const def = hs.emulator.store.properties.get('meetings')!.get('n8n_booking_id')!;
	def.hasUniqueValue = false;
	const { out } = await run([{}], { operation: 'ensureBookingProperty' });
	expect(out[0]).toMatchObject({ status: 'exists', unique: false });
	expect(out[0].message).toContain('not unique');
});
