/**
 * The JSON-parameter reader and the hint each caller gives it: a value that is not JSON is an
 * error naming the item and the field, with an example of what that field takes.
 */
import type { IExecuteFunctions, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { CALLS_ROWS_HINT, readCallBudget } from '../../nodes/HubSpotSyncReconcile/read';
import { parseJsonParameter } from '../../nodes/shared/jsonParameter';
import { LINK_STATE_HINT } from '../../nodes/shared/links';

const node = { name: 'Node', type: 'test', typeVersion: 1, position: [0, 0], parameters: {} } as unknown as INode;
const ctxWith = (parameters: Record<string, unknown> = {}) =>
	({ getNode: () => node, getNodeParameter: (name: string, _item: number, fallback?: unknown) => parameters[name] ?? fallback }) as unknown as IExecuteFunctions;

function errorOf(read: () => unknown): NodeOperationError {
	try {
		read();
	} catch (error) {
		expect(error).toBeInstanceOf(NodeOperationError);
		return error as NodeOperationError;
	}
	throw new Error('expected an error');
}

describe('parseJsonParameter', () => {
	const hint = { holds: 'a thing', example: '{ "a": 1 }' };
	it('reads an expression’s object as it is, JSON text parsed, and empty as none', () => {
		const given = { enabled: true };
		expect(parseJsonParameter(ctxWith(), given, 0, 'Field', hint)).toBe(given);
		expect(parseJsonParameter(ctxWith(), '[{ "calls": 3 }]', 0, 'Field', hint)).toEqual([{ calls: 3 }]);
		for (const empty of ['', undefined, null]) expect(parseJsonParameter(ctxWith(), empty, 0, 'Field', hint)).toBeUndefined();
	});

	it('names the item and the field, and shows the caller’s example', () => {
		const error = errorOf(() => parseJsonParameter(ctxWith(), '{ a: 1', 3, 'My Field', hint));
		expect(error.message).toBe('Item 3: "My Field" is not valid JSON');
		expect(error.description).toBe('"My Field" holds a thing, such as { "a": 1 }. Give JSON text like that or an expression that returns it, or leave the field empty.');
		expect(error.context.itemIndex).toBe(3);
	});

	it('gives link-state callers (Filter Deals, Write History) a link row to copy, which reads back as JSON', () => {
		const error = errorOf(() => parseJsonParameter(ctxWith(), 'enabled=false', 1, 'Current Link State', LINK_STATE_HINT));
		expect(error.description).toContain('{ "enabled": false, "disabledReason": "NOT_FOUND" }');
		expect(error.description).not.toContain('calls');
		expect(JSON.parse(LINK_STATE_HINT.example)).toEqual({ enabled: false, disabledReason: 'NOT_FOUND' });
	});
});

describe('Reconcile’s API call budget', () => {
	it('tells a calls-rows value that is not JSON with a calls row to copy, not a link state', () => {
		const error = errorOf(() => readCallBudget(ctxWith({ budget: { callCap: 100, callLedger: '[{ timestamp: 1 }]' } })));
		expect(error.message).toBe('Item 0: "API Call Budget → Calls Made (Rows)" is not valid JSON');
		expect(error.description).toContain('the calls rows of the last 24 hours');
		expect(error.description).toContain('[{ "timestamp": "2026-12-01T09:00:00.000Z", "calls": 12 }]');
		expect(error.description).not.toContain('enabled');
		expect(JSON.parse(CALLS_ROWS_HINT.example)).toEqual([{ timestamp: '2026-12-01T09:00:00.000Z', calls: 12 }]);
	});

	it('refuses JSON that is not a list, and reads a list as the budget', () => {
		expect(errorOf(() => readCallBudget(ctxWith({ budget: { callLedger: '{ "calls": 3 }' } }))).message).toBe('"Calls Made (Rows)" is not a list');
		expect(readCallBudget(ctxWith({ budget: { callCap: '50', callLedger: '[{ "timestamp": "2026-12-01T00:00:00Z", "calls": 3 }]', callsThisRun: 2 } }))).toEqual({ cap: 50, rows: [{ timestamp: '2026-12-01T00:00:00Z', calls: 3 }], callsThisRun: 2 });
		expect(readCallBudget(ctxWith({ budget: {} }))).toEqual({ cap: 0, rows: [], callsThisRun: 0 });
	});
});
