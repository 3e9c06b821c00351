/**
 * Bad inputs across the package's nodes: each case is one bad item sent together with a good one.
 * The walker (test/workflow/bad-inputs.test.ts) runs every case through n8n's engine against the
 * emulator with "continue on fail" and checks: the bad item ends as an error item or a skip that
 * names the item and the field; the good item is not affected; nothing is written for the bad item.
 * Webhook-level cases (bodies that are not JSON, arrays, 5 MB) run in the real n8n
 * (test/e2e/meeting-template.test.ts).
 */
import type { IDataObject } from 'n8n-workflow';

export type CatalogNode = 'createMeeting' | 'push' | 'pull' | 'testProperties' | 'mapDealStage' | 'filterDeals' | 'writeHistory';

export interface BadInputCase {
	id: string;
	node: CatalogNode;
	/** Node parameters on top of the node's defaults below. */
	parameters?: Record<string, unknown>;
	/** The bad item (sent first; a good item follows when the node works per item). */
	bad: IDataObject;
	/** What the bad item must become. */
	expect: { kind: 'error' | 'skip'; code?: string; mentions: string[] } | { kind: 'nodeError'; mentions: string[] };
}

const booking = (overrides: IDataObject = {}): IDataObject => ({
	bookingId: `BAD-${Math.random().toString(36).slice(2, 8)}`,
	meetingType: 'intro-call',
	email: 'contact3@example.com',
	name: 'Guest',
	start: '2026-12-01T10:00:00+09:00',
	end: '2026-12-01T10:30:00+09:00',
	...overrides,
});
export const goodBooking = () => booking({ email: 'contact4@example.com' });
const long = (length: number) => 'あ'.repeat(length);

export const CATALOG: BadInputCase[] = [
	// ---- Create Meeting: emails
	{ id: 'meeting: email missing', node: 'createMeeting', bad: booking({ email: undefined }), expect: { kind: 'error', code: 'INPUT_INVALID', mentions: ['Guest Email'] } },
	{ id: 'meeting: email empty', node: 'createMeeting', bad: booking({ email: '' }), expect: { kind: 'error', code: 'INPUT_INVALID', mentions: ['Guest Email'] } },
	{ id: 'meeting: email malformed', node: 'createMeeting', bad: booking({ email: 'yui@' }), expect: { kind: 'error', code: 'INPUT_INVALID', mentions: ['Guest Email', 'yui@'] } },
	{ id: 'meeting: email with spaces', node: 'createMeeting', bad: booking({ email: 'yui sato@example.com' }), expect: { kind: 'error', code: 'INPUT_INVALID', mentions: ['Guest Email'] } },
	{ id: 'meeting: email non-ASCII (no such contact)', node: 'createMeeting', bad: booking({ email: 'ゆい@例え.jp' }), expect: { kind: 'skip', code: 'CONTACT_NOT_FOUND', mentions: ['ゆい@例え.jp'] } },
	// ---- Create Meeting: times
	{ id: 'meeting: start not a time', node: 'createMeeting', bad: booking({ start: 'next tuesday' }), expect: { kind: 'error', code: 'INPUT_INVALID', mentions: ['Start Time'] } },
	{ id: 'meeting: impossible date', node: 'createMeeting', bad: booking({ start: '2026-02-30T10:00:00+09:00' }), expect: { kind: 'error', code: 'INPUT_INVALID', mentions: ['Start Time'] } },
	{ id: 'meeting: end before start', node: 'createMeeting', bad: booking({ end: '2026-12-01T09:00:00+09:00' }), expect: { kind: 'error', code: 'INPUT_INVALID', mentions: ['End Time'] } },
	{ id: 'meeting: start missing', node: 'createMeeting', bad: booking({ start: undefined }), expect: { kind: 'error', code: 'INPUT_INVALID', mentions: ['Start Time'] } },
	{ id: 'meeting: unknown time zone', node: 'createMeeting', parameters: { timezone: 'Mars/Olympus' }, bad: booking(), expect: { kind: 'nodeError', mentions: ['Mars/Olympus'] } },
	// ---- Create Meeting: texts and ids
	{ id: 'meeting: title longer than HubSpot accepts', node: 'createMeeting', bad: booking({ name: long(70_000) }), expect: { kind: 'error', code: 'INPUT_INVALID', mentions: ['Title'] } },
	{ id: 'meeting: body longer than HubSpot accepts', node: 'createMeeting', parameters: { bodyTemplate: `{{guestName}} ${long(70_000)}` }, bad: booking(), expect: { kind: 'nodeError', mentions: ['Body'] } },
	{ id: 'meeting: booking id missing', node: 'createMeeting', bad: booking({ bookingId: undefined }), expect: { kind: 'error', code: 'INPUT_INVALID', mentions: ['Booking ID'] } },
	{ id: 'meeting: meeting type not synced', node: 'createMeeting', bad: booking({ meetingType: 'webinar' }), expect: { kind: 'skip', code: 'TYPE_DISABLED', mentions: ['webinar'] } },
	{ id: 'meeting: unknown placeholder in the title template', node: 'createMeeting', parameters: { titleTemplate: '{{gestName}}' }, bad: booking(), expect: { kind: 'nodeError', mentions: ['Title Template', 'gestName'] } },
	// ---- Push
	{ id: 'push: unknown property in the mapping', node: 'push', parameters: { mappingMode: 'manual', fieldMapping: { fields: [{ property: 'emial', value: '={{ $json.email }}' }] } }, bad: { email: 'x@bad.example.com' }, expect: { kind: 'nodeError', mentions: ['Field Mapping row 1', 'emial', 'email'] } },
	{ id: 'push: invalid email', node: 'push', bad: { email: 'not-an-email' }, expect: { kind: 'skip', code: 'INVALID_EMAIL', mentions: ['not-an-email'] } },
	{ id: 'push: email missing', node: 'push', bad: { firstname: 'No Mail' }, expect: { kind: 'skip', code: 'INVALID_EMAIL', mentions: ['no email'] } },
	{ id: 'push: not a number', node: 'push', parameters: { objectType: 'companies' }, bad: { domain: 'n1.bad.example.com', numberofemployees: 'many' }, expect: { kind: 'error', code: 'INPUT_INVALID', mentions: ['numberofemployees', 'many'] } },
	{ id: 'push: unknown picklist option', node: 'push', bad: { email: 'p1@bad.example.com', lifecyclestage: 'VIP' }, expect: { kind: 'error', code: 'INPUT_INVALID', mentions: ['lifecyclestage', 'VIP'] } },
	{ id: 'push: an object where text is expected', node: 'push', bad: { email: 'o1@bad.example.com', city: { name: 'Tokyo' } }, expect: { kind: 'error', code: 'INPUT_INVALID', mentions: ['city'] } },
	{ id: 'push: a read-only property', node: 'push', bad: { email: 'r1@bad.example.com', lastmodifieddate: '2026-01-01' }, expect: { kind: 'error', code: 'INPUT_INVALID', mentions: ['lastmodifieddate', 'read-only'] } },
	{ id: 'push: a company without domain or name', node: 'push', parameters: { objectType: 'companies' }, bad: { city: 'Kyoto' }, expect: { kind: 'skip', code: 'MISSING_MATCH_KEY', mentions: ['domain'] } },
	{ id: 'push: a domain that is not one', node: 'push', parameters: { objectType: 'companies' }, bad: { domain: 'n/a', name: 'Bad KK' }, expect: { kind: 'skip', code: 'MISSING_MATCH_KEY', mentions: ['n/a'] } },
	{ id: 'push: a deal id that is not one', node: 'push', parameters: { objectType: 'deals', mappingMode: 'byName' }, bad: { hubspotId: 'D-1', dealname: 'x' }, expect: { kind: 'error', code: 'INPUT_INVALID', mentions: ['Deal ID', 'D-1'] } },
	{ id: 'push: a deal id HubSpot does not know', node: 'push', parameters: { objectType: 'deals', mappingMode: 'byName' }, bad: { hubspotId: '987654', dealname: 'x' }, expect: { kind: 'skip', code: 'NOT_FOUND', mentions: ['987654'] } },
	// ---- Pull and Test Properties
	{ id: 'pull: a cursor that is not a time', node: 'pull', parameters: { mode: 'incremental', since: 'yesterday-ish' }, bad: {}, expect: { kind: 'nodeError', mentions: ['Changed Since (Cursor)', 'yesterday-ish'] } },
	{ id: 'pull: a continue-from that is not a position', node: 'pull', parameters: { pullOptions: { continueFrom: 'page 3' } }, bad: {}, expect: { kind: 'nodeError', mentions: ['Continue From', 'continueFrom'] } },
	{ id: 'pull: a continue-from of another object type', node: 'pull', parameters: { objectType: 'companies', pullOptions: { continueFrom: JSON.stringify({ version: 1, objectType: 'contacts', mode: 'full', since: null, startedAt: 0, runId: null, records: 0, maxModified: null, pastId: null, full: null }) } }, bad: {}, expect: { kind: 'nodeError', mentions: ['Continue From', 'contacts', 'companies'] } },
	{ id: 'test properties: no names', node: 'testProperties', bad: { names: ' , ' }, expect: { kind: 'error', code: 'INPUT_INVALID', mentions: ['Property Names'] } },
	{ id: 'test properties: a missing name, fail on missing', node: 'testProperties', parameters: { options: { failOnMissing: true } }, bad: { names: 'favourite_colour' }, expect: { kind: 'error', code: 'INPUT_INVALID', mentions: ['favourite_colour', 'Property Names'] } },
	// ---- Map Deal Stage
	{ id: 'map: unknown pipeline', node: 'mapDealStage', bad: { id: '1', pipeline: 'pipeline-9', dealstage: 'x' }, expect: { kind: 'error', code: 'INPUT_INVALID', mentions: ['Pipeline', 'pipeline-9'] } },
	{ id: 'map: deal without pipeline', node: 'mapDealStage', bad: { id: '1', dealstage: 'pipeline-1-won' }, expect: { kind: 'error', code: 'INPUT_INVALID', mentions: ['Pipeline'] } },
	{ id: 'map: deal without stage', node: 'mapDealStage', bad: { id: '1', pipeline: 'pipeline-1' }, expect: { kind: 'error', code: 'INPUT_INVALID', mentions: ['Deal Stage'] } },
	{ id: 'map: empty status (status → stage)', node: 'mapDealStage', parameters: { direction: 'statusToStage' }, bad: { dealId: '1', pipeline: 'pipeline-1', status: '' }, expect: { kind: 'error', code: 'INPUT_INVALID', mentions: ['Status'] } },
	{ id: 'map: a mapping row whose stage no longer exists', node: 'mapDealStage', parameters: { mapping: { rows: [{ stage: 'pipeline-1/pipeline-1-gone', status: 'Lead', isTarget: true }] } }, bad: { id: '1', pipeline: 'pipeline-1', dealstage: 'pipeline-1-new' }, expect: { kind: 'nodeError', mentions: ['Stage Mapping', 'row 1'] } },
	// ---- Filter Deals
	{ id: 'filter: exclusion value that is not yes or no', node: 'filterDeals', bad: { id: '1', properties: { exclude_from_board_integration: 'maybe', hubspot_owner_id: '', hubspot_team_id: '', board_custom_filter_key: 'east', dealstage: 'x', pipeline: 'default' } }, expect: { kind: 'error', code: 'INPUT_INVALID', mentions: ['Exclusion Property', 'maybe'] } },
	{ id: 'filter: deal without id', node: 'filterDeals', bad: { properties: { dealname: 'x' } }, expect: { kind: 'error', code: 'INPUT_INVALID', mentions: ['id'] } },
	{ id: 'filter: unknown owner id in the rules', node: 'filterDeals', parameters: { ownerIds: ['999999'] }, bad: { id: '1' }, expect: { kind: 'nodeError', mentions: ['Owner Names or IDs', '999999'] } },
	{ id: 'filter: unknown team id in the rules', node: 'filterDeals', parameters: { teamIds: ['777'] }, bad: { id: '1' }, expect: { kind: 'nodeError', mentions: ['Team Names or IDs', '777'] } },
	// ---- Write History
	{ id: 'history: link state that is not JSON', node: 'writeHistory', parameters: { linkState: '{enabled: nope' }, bad: { status: 'created' }, expect: { kind: 'nodeError', mentions: ['Current Link State'] } },
];
