import type { INode } from 'n8n-workflow';

import { errorJson } from '../../nodes/shared/errorItems';
import { classifyResponse, HubSpotApiError } from '../../nodes/shared/transport/errors';
import { CATALOG, type HistoryCode } from '../../nodes/HubSpotSyncWriteHistory/catalog';
import {
	advancePause,
	buildRow,
	classifyItem,
	decideLink,
	newHistoryId,
	readPauseState,
	redactSecrets,
	type PauseState,
} from '../../nodes/HubSpotSyncWriteHistory/history';

const node: INode = { id: 'n', name: 'HubSpot', type: 'x', typeVersion: 1, position: [0, 0], parameters: {} };
const context = { language: 'en' as const, runId: 'run-1', now: '2026-11-23T00:00:00.000Z', direction: 'to_hubspot', objectType: 'deal', hubspotId: '42', targetId: 'T-1', accountLabel: 'East' };
const CORRELATION = '1f2e3d4c-0000-4000-8000-000000000009';

/** A real HubSpot error answer, through the transport's classification, into an error item. */
function errorItemFor(status: number, body: Record<string, unknown>, headers: Record<string, string> = {}) {
	const failure = classifyResponse({ statusCode: status, headers, body: { correlationId: CORRELATION, status: 'error', ...body } }, 3);
	return errorJson(new HubSpotApiError(node, failure));
}

describe('classifies real HubSpot error bodies into history codes', () => {
	it.each([
		['401 EXPIRED_AUTHENTICATION', 401, { message: 'The OAuth token used to make this call expired 2 second(s) ago.', category: 'EXPIRED_AUTHENTICATION' }, 'AUTH_INVALID'],
		['401 INVALID_AUTHENTICATION', 401, { message: 'Authentication credentials not found.', category: 'INVALID_AUTHENTICATION' }, 'AUTH_INVALID'],
		['403 MISSING_SCOPES', 403, { message: "This app hasn't been granted all required scopes to make this call.", category: 'MISSING_SCOPES', errors: [{ message: 'One or more of the following scopes are required.', context: { requiredGranularScopes: ['crm.objects.deals.read'] } }] }, 'SCOPES_MISSING'],
		['404', 404, { message: 'Object not found.', category: 'OBJECT_NOT_FOUND' }, 'NOT_FOUND'],
		['409 with Existing ID', 409, { message: 'Contact already exists. Existing ID: 5101', category: 'CONFLICT' }, 'CONFLICT'],
		['400 PROPERTY_DOESNT_EXIST', 400, { message: 'Property values were not valid: [{"isValid":false,"message":"Property \\"x\\" does not exist","error":"PROPERTY_DOESNT_EXIST","name":"x"}]', category: 'VALIDATION_ERROR' }, 'VALIDATION'],
		['429 TEN_SECONDLY_ROLLING', 429, { message: 'You have reached your ten_secondly_rolling limit.', errorType: 'RATE_LIMIT', policyName: 'TEN_SECONDLY_ROLLING' }, 'RATE_LIMITED'],
		['429 DAILY', 429, { message: 'You have reached your daily limit.', errorType: 'RATE_LIMIT', policyName: 'DAILY' }, 'DAILY_LIMIT'],
		['502', 502, { message: 'Bad Gateway' }, 'UNAVAILABLE'],
		['503', 503, { message: 'Service Unavailable' }, 'UNAVAILABLE'],
		['504', 504, { message: 'Gateway Timeout' }, 'UNAVAILABLE'],
	] as Array<[string, number, Record<string, unknown>, HistoryCode]>)('%s → %s', (_name, status, body, code) => {
		const outcome = classifyItem(errorItemFor(status, body));
		// The daily limit stops a run as a skip: nothing is wrong with the data.
		expect(outcome).toMatchObject({ code, status: code === 'DAILY_LIMIT' ? 'skip' : 'error', correlationId: CORRELATION, attempts: 3 });
		const row = buildRow(outcome, context);
		expect(row.code).toBe(code);
		expect(row.correlationId).toBe(CORRELATION);
		expect(row.attempts).toBe(3);
		if (code === 'VALIDATION') expect(row.hubspotMessage).toContain('PROPERTY_DOESNT_EXIST');
	});
});

describe('the catalog', () => {
	const codes = Object.keys(CATALOG) as HistoryCode[];
	it.each(codes)('%s has a message in English and Japanese, and a remedy for every error', (code) => {
		const entry = CATALOG[code];
		expect(entry.message.en.length).toBeGreaterThan(5);
		expect(entry.message.ja).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
		if (entry.status === 'error') {
			expect(entry.remedy.en.length).toBeGreaterThan(5);
			expect(entry.remedy.ja).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
		}
		const row = buildRow({ code, status: entry.status }, { ...context, language: 'ja' });
		expect(row.message).toBe(entry.message.ja);
	});
	it('covers the skip reasons the nodes emit', () => {
		expect(codes).toEqual(expect.arrayContaining(['STAGE_UNMAPPED', 'FILTERED_OUT', 'EXCLUDED', 'TYPE_DISABLED', 'CONTACT_NOT_FOUND', 'THROTTLED', 'PAUSED', 'MEETING_NOT_FOUND', 'DUPLICATE']));
	});
});

describe('classifyItem reads every item shape', () => {
	it('a skipped item of this package', () => {
		expect(classifyItem({ status: 'skipped', code: 'TYPE_DISABLED', reason: 'Meeting type "x" is not synced' })).toMatchObject({ code: 'TYPE_DISABLED', status: 'skip', detail: 'Meeting type "x" is not synced' });
	});
	it('a duplicate', () => expect(classifyItem({ status: 'duplicate' })).toMatchObject({ code: 'DUPLICATE', status: 'skip' }));
	it('a success', () => expect(classifyItem({ status: 'created', hubspotCalls: 2 })).toMatchObject({ code: 'OK', status: 'success', attempts: 2 }));
	it('n8n’s generic continue-on-fail item', () => expect(classifyItem({ error: 'Something broke' })).toMatchObject({ code: 'UNKNOWN', status: 'error', detail: 'Something broke' }));
	it('an Error Trigger item carrying the classification', () => {
		const item = { execution: { id: '9', error: { message: 'HubSpot rejected the credential (AUTH_INVALID)', context: { hubspot: { code: 'AUTH_INVALID', correlationId: CORRELATION, attempts: 1 } } } }, workflow: { id: 'w' } };
		expect(classifyItem(item)).toMatchObject({ code: 'AUTH_INVALID', correlationId: CORRELATION });
	});
	it('an Error Trigger item with only the message', () => {
		expect(classifyItem({ execution: { error: { message: 'HubSpot is temporarily unavailable (after 6 tries) (UNAVAILABLE)' } } }).code).toBe('UNAVAILABLE');
	});
	it('bad input of this package', () => {
		const outcome = classifyItem({ status: 'error', error: { code: 'INPUT_INVALID', message: 'Item 0: "x" is not a valid email address', description: 'Field "Guest Email". Check the form.' } });
		const row = buildRow(outcome, context);
		expect(row.remedy).toContain('Field "Guest Email"');
		expect(row.message).toContain('not a valid email');
	});
});

describe('record links: one error row, disable, re-enable', () => {
	const notFound = classifyItem({ error: { code: 'NOT_FOUND', message: 'gone' } });
	it('disables the link and marks the first error', () => {
		expect(decideLink(notFound, { enabled: true })).toEqual({ writeRow: true, firstError: true, update: { enabled: false, disabledReason: 'NOT_FOUND' } });
		expect(decideLink(notFound, undefined)).toMatchObject({ writeRow: true, firstError: true });
	});
	it('writes no second row for a disabled record', () => {
		expect(decideLink(notFound, { enabled: false, disabledReason: 'NOT_FOUND' })).toEqual({ writeRow: false, firstError: false });
		expect(decideLink(classifyItem({ status: 'updated' }), { enabled: false, disabledReason: 'NOT_FOUND' })).toEqual({ writeRow: false, firstError: false });
	});
	it('re-enables an excluded record that is no longer excluded', () => {
		const excluded = classifyItem({ status: 'excluded', code: 'EXCLUDED', linkAction: 'disable' });
		expect(decideLink(excluded, { enabled: true }).update).toEqual({ enabled: false, disabledReason: 'EXCLUDED' });
		const back = classifyItem({ status: 'pass', linkAction: 'enable' });
		expect(back.code).toBe('LINK_ENABLED');
		expect(decideLink(back, { enabled: false, disabledReason: 'EXCLUDED' }).update).toEqual({ enabled: true, disabledReason: '' });
	});
});

describe('pause after repeated authentication failures', () => {
	const auth = classifyItem({ error: { code: 'AUTH_INVALID', message: 'x' } });
	const ok = classifyItem({ status: 'created' });
	const start: PauseState = { integration: 'hubspot', consecutiveAuthFailures: 0, paused: false };
	it('pauses at the threshold and stays paused', () => {
		let state = start;
		for (let i = 0; i < 4; i++) state = advancePause(state, auth, 5, 'now');
		expect(state).toMatchObject({ consecutiveAuthFailures: 4, paused: false });
		state = advancePause(state, auth, 5, 'now');
		expect(state).toMatchObject({ consecutiveAuthFailures: 5, paused: true, pausedAt: 'now' });
		expect(advancePause(state, ok, 5, 'later')).toBe(state);
	});
	it('a success resets the count; other errors do not', () => {
		const three = { ...start, consecutiveAuthFailures: 3 };
		expect(advancePause(three, ok, 5, 'now').consecutiveAuthFailures).toBe(0);
		expect(advancePause(three, classifyItem({ status: 'duplicate' }), 5, 'now').consecutiveAuthFailures).toBe(0);
		expect(advancePause(three, classifyItem({ status: 'skipped', code: 'TYPE_DISABLED' }), 5, 'now').consecutiveAuthFailures).toBe(3);
		expect(advancePause(three, classifyItem({ error: { code: 'UNAVAILABLE' } }), 5, 'now').consecutiveAuthFailures).toBe(3);
	});
	it('resumes when the pause row is reset (paused false, count 0)', () => {
		expect(readPauseState({ paused: 'false', consecutiveAuthFailures: '0' }, 'hubspot')).toEqual({ integration: 'hubspot', paused: false, consecutiveAuthFailures: 0, pausedAt: undefined });
		expect(readPauseState({ paused: true, consecutiveAuthFailures: 5 }, 'hubspot').paused).toBe(true);
	});
});

describe('secrets never reach a row', () => {
	const secrets = {
		access: 'CJSP5qf1KhICAQEYs-gDIIGOBii1hQIyGQAf3xBKmlwHjX7OIpuIFEavB2-qYAGQsF4',
		refresh: 'na1-7a3f-22c4-4b8e-9d0f-1234567890ab-refresh',
		secret: 'c1f1b2e0-5d55-4c54-9a9a-secret-value',
		serviceKey: 'pat-na1-11111111-2222-3333-4444-555555555555',
	};
	it('strips tokens, keys and Authorization headers from every text field', () => {
		const item = {
			error: {
				code: 'UNKNOWN',
				message: `Request failed: Authorization: Bearer ${secrets.access} refresh_token=${secrets.refresh}`,
				description: `client_secret: "${secrets.secret}" and key ${secrets.serviceKey}`,
				hubspotMessage: `token=${secrets.access}`,
			},
		};
		const row = buildRow(classifyItem(item), context);
		const text = JSON.stringify(row);
		for (const secret of Object.values(secrets)) expect(text).not.toContain(secret);
		expect(row.message).toContain('[redacted]');
	});
	it('strips secrets it is told about, whatever their shape', () => {
		expect(redactSecrets('value short-secret-1 here', ['short-secret-1'])).toBe('value [redacted] here');
	});
	it('keeps ordinary text', () => {
		expect(redactSecrets('Property "email" is invalid for contact 1234')).toBe('Property "email" is invalid for contact 1234');
	});
});

it('makes short, readable, unique history ids', () => {
	const ids = new Set(Array.from({ length: 10_000 }, newHistoryId));
	expect(ids.size).toBe(10_000);
	for (const id of [...ids].slice(0, 50)) expect(id).toMatch(/^H-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
});
