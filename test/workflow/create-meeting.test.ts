/**
 * HubSpot Create Meeting through n8n's engine against the emulator: calls per booking, inline
 * associations, rendered templates, idempotency (repeated, answer lost, known meeting), skips,
 * reschedule/cancel, and bad input. The emulator refuses unique values on meetings (HubSpot does
 * not document them there), so no test here rests on a unique booking-ID property unless it says so.
 */
import { DEFAULT_SERVICE_KEY } from '../hubspot-emulator';
import { seedCrm } from '../hubspot-emulator/seed';
import type { MeetingUniqueValues } from '../hubspot-emulator/server';
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

async function startWith(meetingUniqueValues?: MeetingUniqueValues) {
	hs = await startEmulator(meetingUniqueValues ? { meetingUniqueValues } : {});
	seedCrm(hs.emulator.store, { contacts: 10, companies: 2 });
	// The set-up operation: the booking-id property on meetings.
	const setup = await run([{}], { operation: 'ensureBookingProperty' });
	hs.emulator.resetStats();
	return setup.out[0];
}

beforeEach(async () => {
	const setup = await startWith();
	// HubSpot refused the unique value: the property is made as plain text all the same.
	expect(setup).toMatchObject({ status: 'created', unique: false, uniqueRefused: true, property: 'n8n_booking_id' });
});
afterEach(() => hs.stop());

describe('create', () => {
	it('makes one meeting associated with the contact, in three HubSpot calls (contact, primary company, create)', async () => {
		const { out } = await run([booking()]);
		expect(hs.emulator.stats.requests).toBe(3);
		expect(out[0]).toMatchObject({ status: 'created', bookingId: 'B-1', hubspotCalls: 3 });
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
		// The seeded contact's primary company (HubSpot keeps associatedcompanyid equal to it).
		expect(contact.properties.associatedcompanyid).toBeTruthy();
		expect(hs.emulator.store.associationsOf('meetings', meeting.id, 'companies').map((a) => a.toObjectId)).toEqual([contact.properties.associatedcompanyid]);
		expect(hs.emulator.contract.violations).toEqual([]);
	});

	it('associates the company labelled primary on the contact (v4 association read), and a deal', async () => {
		const contact = hs.emulator.store.findByEmail('contact3@example.com')!;
		const [primary, other] = [...hs.emulator.store.table('companies').values()];
		hs.emulator.store.associate('contacts', contact.id, 'companies', primary.id, 1);
		// The legacy property says another company: the documented association decides.
		hs.emulator.store.update('contacts', contact, { associatedcompanyid: other.id });
		const deal = hs.emulator.store.create('deals', { dealname: 'Big deal' });
		const { out } = await run([booking()], { additionalFields: { dealId: deal.id } });
		const [meeting] = meetings();
		expect(out[0]).toMatchObject({ status: 'created', companyId: primary.id });
		expect(hs.emulator.store.associationsOf('meetings', meeting.id, 'companies').map((a) => a.toObjectId)).toEqual([primary.id]);
		expect(hs.emulator.store.associationsOf('meetings', meeting.id, 'deals').map((a) => a.toObjectId)).toEqual([deal.id]);
		expect(hs.emulator.stats.byOperation['POST /crm/associations/2026-03/{fromObjectType}/{toObjectType}/batch/read']).toBe(1);
	});

	it('a contact without any company costs two calls: no primary company read', async () => {
		hs.emulator.store.create('contacts', { email: 'solo@example.com', firstname: 'Solo' });
		const { out } = await run([booking({ email: 'solo@example.com' })]);
		expect(out[0]).toMatchObject({ status: 'created', hubspotCalls: 2, companyId: null });
		expect(hs.emulator.stats.byOperation['POST /crm/associations/2026-03/{fromObjectType}/{toObjectType}/batch/read']).toBeUndefined();
	});

	it('falls back to the legacy associatedcompanyid when the contact has no primary association', async () => {
		// A contact with the property but no association (as data imported into HubSpot long ago may be).
		const company = [...hs.emulator.store.table('companies').values()][1];
		hs.emulator.store.create('contacts', { email: 'legacy@example.com', associatedcompanyid: company.id });
		await run([booking({ email: 'legacy@example.com' })]);
		expect(hs.emulator.store.associationsOf('meetings', meetings()[0].id, 'companies').map((a) => a.toObjectId)).toEqual([company.id]);
	});

	it('associates no company when "Associate Company" is off, and skips that read', async () => {
		const contact = hs.emulator.store.findByEmail('contact3@example.com')!;
		hs.emulator.store.associate('contacts', contact.id, 'companies', [...hs.emulator.store.table('companies').values()][0].id, 1);
		const { out } = await run([booking()], { additionalFields: { associateCompany: false } });
		expect(out[0]).toMatchObject({ status: 'created', hubspotCalls: 2, companyId: null });
		expect(hs.emulator.store.associationsOf('meetings', meetings()[0].id, 'companies')).toHaveLength(0);
	});

	it('makes exactly one meeting when the same booking arrives 5 times in a row (no unique property)', async () => {
		const runs = [];
		for (let i = 0; i < 5; i++) runs.push((await run([booking()])).out[0]);
		expect(runs.map((out) => out.status)).toEqual(['created', 'duplicate', 'duplicate', 'duplicate', 'duplicate']);
		// Found on the contact's meetings by the booking ID, not by a HubSpot 409.
		expect(runs.slice(1).map((out) => out.foundBy)).toEqual(['hubspot', 'hubspot', 'hubspot', 'hubspot']);
		expect(new Set(runs.map((out) => out.meetingId)).size).toBe(1);
		expect(meetings()).toHaveLength(1);
	});

	it('finds the booking among many meetings of the contact (association pages of 500, batch reads of 100)', async () => {
		const contact = hs.emulator.store.findByEmail('contact3@example.com')!;
		for (let i = 0; i < 620; i++) {
			const other = hs.emulator.store.create('meetings', { hs_meeting_title: `older ${i}`, n8n_booking_id: `OLD-${i}` });
			hs.emulator.store.associate('meetings', other.id, 'contacts', contact.id, 200);
		}
		const first = await run([booking({ bookingId: 'OLD-3' })]);
		expect(first.out[0]).toMatchObject({ status: 'duplicate', foundBy: 'hubspot' });
		expect(hs.emulator.store.get('meetings', first.out[0].meetingId)!.properties.n8n_booking_id).toBe('OLD-3');
		expect(meetings()).toHaveLength(620);
	});

	it('a meeting known from the booking ledger is a duplicate answered without any HubSpot call', async () => {
		const { out } = await run([booking()], { knownMeetingId: '987' });
		expect(out[0]).toMatchObject({ status: 'duplicate', meetingId: '987', foundBy: 'ledger' });
		expect(hs.emulator.stats.requests).toBe(0);
		expect(meetings()).toHaveLength(0);
	});

	it('a connection lost after HubSpot made the meeting: the meeting is found on the contact, not made again', async () => {
		hs.emulator.configure({ faults: { script: [{ match: 'POST /crm/objects/2026-03/meetings$', reset: 'after' }] } });
		const { out } = await run([booking()]);
		expect(hs.emulator.stats.resets).toBe(1);
		expect(meetings()).toHaveLength(1);
		expect(out[0]).toMatchObject({ status: 'created', meetingId: meetings()[0].id, note: expect.stringContaining('answer to the create was lost') });
		// And the booking delivered again afterwards is a duplicate of that one meeting.
		const again = await run([booking()]);
		expect(again.out[0]).toMatchObject({ status: 'duplicate', meetingId: meetings()[0].id });
		expect(meetings()).toHaveLength(1);
	});

	it('a connection lost before HubSpot made the meeting: after looking, the create is sent once more', async () => {
		hs.emulator.configure({ faults: { script: [{ match: 'POST /crm/objects/2026-03/meetings$', reset: 'before' }] } });
		const { out } = await run([booking()]);
		expect(meetings()).toHaveLength(1);
		expect(out[0]).toMatchObject({ status: 'created', meetingId: meetings()[0].id, note: expect.stringContaining('Sent twice') });
	});

	it('a 503 on the create is not resent blindly: the contact is looked at first (three times), then one resend', async () => {
		hs.emulator.configure({ faults: { script: [{ match: 'POST /crm/objects/2026-03/meetings$', status: 503 }] } });
		const { out } = await run([booking()]);
		expect(meetings()).toHaveLength(1);
		expect(out[0]).toMatchObject({ status: 'created', note: expect.stringContaining('HTTP 503') });
		expect(hs.emulator.stats.byOperation['GET /crm/objects/2026-03/{objectType}/{objectId}/associations/{toObjectType}']).toBe(3);
		expect(hs.emulator.stats.byOperation['POST /crm/objects/2026-03/meetings']).toBe(2);
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

	describe('where HubSpot keeps the booking-ID property unique', () => {
		beforeEach(async () => {
			await hs.stop();
			expect(await startWith('enforce')).toMatchObject({ status: 'created', unique: true, uniqueRefused: false });
		});
		it('its 409 is one more guard: 5 deliveries at once of one booking make one meeting', async () => {
			const runs = await Promise.all(Array.from({ length: 5 }, () => run([booking()])));
			const statuses = runs.map((r) => r.out[0].status).sort();
			expect(statuses).toEqual(['created', 'duplicate', 'duplicate', 'duplicate', 'duplicate']);
			expect(new Set(runs.map((r) => r.out[0].meetingId)).size).toBe(1);
			expect(meetings()).toHaveLength(1);
		});
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
			// Contact read, contact create, meeting create (a new contact has no company to read).
			expect(hs.emulator.stats.requests).toBe(3);
		});
		it('creates a contact with a Japanese name family name first', async () => {
			await run([booking({ email: 'yamada@example.jp', name: '山田　太郎 🙇' })], { whenContactMissing: 'create' });
			expect(hs.emulator.store.findByEmail('yamada@example.jp')!.properties).toMatchObject({ firstname: '太郎', lastname: '山田' });
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
	it('moves the booking’s meeting (found among the guest’s meetings), then cancels it by search, without idProperty', async () => {
		await run([booking()]);
		hs.emulator.resetStats();
		const moved = await run([booking({ start: '2026-12-02T15:00:00+09:00', end: '2026-12-02T16:00:00+09:00', meetingType: 'demo' })], { operation: 'reschedule' });
		expect(moved.out[0]).toMatchObject({ status: 'updated', meetingId: meetings()[0].id });
		expect(meetings()[0].properties).toMatchObject({ hs_meeting_start_time: '2026-12-02T06:00:00.000Z', hs_meeting_title: 'demo: Yui Sato', hs_meeting_outcome: 'SCHEDULED' });
		// Contact read (with its meetings), batch read of their booking IDs, PATCH by id.
		expect(hs.emulator.stats.requests).toBe(3);
		hs.emulator.resetStats();
		const canceled = await run([booking({ email: '' })], { operation: 'cancel' });
		expect(canceled.out[0].status).toBe('canceled');
		expect(meetings()[0].properties.hs_meeting_outcome).toBe('CANCELED');
		// Without the guest's email: one search by the booking ID, then the PATCH.
		expect(hs.emulator.stats.requests).toBe(2);
		expect(meetings()).toHaveLength(1);
	});

	it('changes a meeting known from the ledger in one call', async () => {
		const { out } = await run([booking()]);
		hs.emulator.resetStats();
		const canceled = await run([booking()], { operation: 'cancel', knownMeetingId: out[0].meetingId });
		expect(canceled.out[0]).toMatchObject({ status: 'canceled', meetingId: out[0].meetingId });
		expect(hs.emulator.stats.requests).toBe(1);
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

describe('the set-up operation reports what HubSpot made, from its answer', () => {
	it('HubSpot refuses unique values on meetings: made as plain text, reported as not unique', async () => {
		const def = hs.emulator.store.properties.get('meetings')!.get('n8n_booking_id')!;
		expect(def.hasUniqueValue).toBe(false);
		const { out } = await run([{}], { operation: 'ensureBookingProperty' });
		expect(out[0]).toMatchObject({ status: 'exists', unique: false });
		expect(out[0].message).toContain('Bookings are still deduplicated');
	});

	it('HubSpot accepts the property but ignores uniqueness: reported from its answer, not assumed', async () => {
		await hs.stop();
		const setup = await startWith('ignore');
		expect(setup).toMatchObject({ status: 'created', unique: false, uniqueRefused: false });
		expect(setup.message).toContain('HubSpot does not keep its values unique');
	});

	it('HubSpot keeps it unique: reported as an extra guard', async () => {
		await hs.stop();
		const setup = await startWith('enforce');
		expect(setup).toMatchObject({ status: 'created', unique: true });
		expect(setup.message).toContain('extra guard');
	});
});
