/**
 * HubSpot Write History after Create Meeting, through n8n's engine: rows for success, skip and
 * error with the explained message in the chosen language, and the pause after authentication
 * failures, with no secret in any row.
 */
import { DEFAULT_SERVICE_KEY } from '../hubspot-emulator';
import { seedCrm } from '../hubspot-emulator/seed';
import { startEmulator, type RunningEmulator } from '../support/emulator';
import { runWorkflow } from '../support/workflow-harness';
import fixture from './fixtures/meeting-history.workflow.json';

let hs: RunningEmulator;
beforeAll(async () => {
	hs = await startEmulator();
	seedCrm(hs.emulator.store, { contacts: 5 });
	hs.emulator.store.properties.get('meetings')!.set('n8n_booking_id', { ...hs.emulator.store.properties.get('meetings')!.get('hs_meeting_title')!, name: 'n8n_booking_id', hasUniqueValue: true, modificationMetadata: { archivable: true, readOnlyDefinition: false, readOnlyValue: false } });
});
afterAll(() => hs.stop());

const booking = (n: number, extra: Record<string, unknown> = {}) => ({ bookingId: `B-${n}`, meetingType: 'demo', email: `contact${n}@example.com`, name: `Guest ${n}`, start: '2026-12-01T10:00:00+09:00', end: '2026-12-01T11:00:00+09:00', ...extra });

async function run(items: Record<string, unknown>[], accessToken = DEFAULT_SERVICE_KEY) {
	const result = await runWorkflow(fixture, { hubSpotSyncServiceKeyApi: { accessToken, baseUrl: hs.url } }, items as never);
	return {
		rows: result.output('HubSpot Write History', 0).map((item) => item.json as Record<string, any>),
		pause: result.output('HubSpot Write History', 2).map((item) => item.json as Record<string, any>),
		result,
	};
}

it('writes a success, a skip and an explained error row, paired to their items', async () => {
	const { rows, result } = await run([booking(1), booking(2, { meetingType: 'internal' }), booking(3, { email: 'broken' })]);
	expect(rows.map((row) => [row.targetId, row.status, row.code])).toEqual([
		['B-1', 'success', 'OK'],
		['B-2', 'skip', 'TYPE_DISABLED'],
		['B-3', 'error', 'INPUT_INVALID'],
	]);
	// Contact read (with its meetings and companies: none here), meeting create.
	expect(rows[0]).toMatchObject({ direction: 'to_hubspot', objectType: 'meeting', accountLabel: 'Tokyo office', attempts: 2 });
	expect(rows[0].hubspotId).toMatch(/^\d+$/);
	expect(rows[0].historyId).toMatch(/^H-\w{4}-\w{4}$/);
	expect(rows[2].remedy).toContain('Field "Guest Email"');
	expect(result.output('HubSpot Write History', 0).map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
});

it('writes Japanese messages when asked', async () => {
	const { rows } = await run([booking(4, { language: 'ja', meetingType: 'internal' })]);
	expect(rows[0].message).toContain('この面談タイプはHubSpot連携が無効です。');
});

it('pauses after 3 authentication failures, then turns items into PAUSED skips', async () => {
	const revokedKey = 'revoked-key-0123456789abcdef';
	const failing = await run([booking(1), booking(2), booking(3), booking(4)], revokedKey);
	expect(failing.rows.map((row) => row.code)).toEqual(['AUTH_INVALID', 'AUTH_INVALID', 'AUTH_INVALID', 'PAUSED']);
	expect(failing.rows[0].correlationId).toMatch(/^[0-9a-f-]{36}$/);
	expect(failing.pause).toEqual([expect.objectContaining({ paused: true, consecutiveAuthFailures: 3, integration: 'hubspot' })]);
	expect(JSON.stringify(failing.result.run)).not.toContain(revokedKey);

	// The next run reads the pause row (here: passed in) and writes only PAUSED rows.
	const paused = await run([{ ...booking(5), pause: failing.pause[0] }]);
	expect(paused.rows.map((row) => row.code)).toEqual(['PAUSED']);
	expect(paused.pause).toEqual([]);
});

it('a success after some failures resets the count', async () => {
	const { pause } = await run([{ ...booking(2, { bookingId: 'B-20' }), pause: { consecutiveAuthFailures: 2, paused: false } }]);
	expect(pause).toEqual([expect.objectContaining({ consecutiveAuthFailures: 0, paused: false })]);
});
