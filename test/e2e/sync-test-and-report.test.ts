/**
 * Two small templates in a real n8n against the emulator:
 * - the property sync test run from its manual trigger, with the call the editor's "Execute workflow"
 *   makes (`POST /rest/workflows/:id/run` starting at "Run test"): it runs the test at once, instead of
 *   waiting for a webhook call, and ends with the answer the webhook gives. (`n8n execute` cannot show
 *   this: the CLI command does not load n8n's Data table module, so any Data table node fails there.)
 * - the sync history report: a question with an empty or no parameter is refused with a 400 naming
 *   the parameter, a question without matches answers `[]`; never `[{}]`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { seedCrm } from '../hubspot-emulator/seed';
import { REPO_ROOT, waitForWebhook } from '../../scripts/n8n-runtime';
import { callWebhook, dataTableId, insertDataTableRows, startE2eEnvironment, templateForE2e, WEBHOOK_HEADER, withWebhookTrigger, type E2eEnvironment } from './n8n-e2e';

jest.setTimeout(600_000);

let env: E2eEnvironment;

beforeAll(async () => {
	env = await startE2eEnvironment(
		[
			templateForE2e('record-history.json'),
			templateForE2e('error-workflow-history.json'),
			templateForE2e('property-sync-test.json'),
			templateForE2e('sync-history-report.json'),
			withWebhookTrigger(templateForE2e('property-sync-setup.json'), 'Run setup', 'e2e/property-sync-setup', 'noData'),
		],
		{},
		{ beforeStart: ({ emulator }) => void seedCrm(emulator.store, { contacts: 20, companies: 5 }) },
	);
	await waitForWebhook(`${env.n8n.url}/webhook/e2e/property-sync-setup`);
	expect((await callWebhook(env, 'e2e/property-sync-setup', {})).status).toBe(200);
});
afterAll(async () => {
	await env?.teardown();
});

/** Runs a workflow from a trigger as the editor's "Execute workflow" does; returns the ended execution with its data. */
async function executeFromTrigger(workflowId: string, trigger: string): Promise<any> {
	const started = await env.n8n.rest('POST', `/workflows/${workflowId}/run`, { triggerToStartFrom: { name: trigger } });
	// A run that would wait for a webhook call answers { waitingForWebhook: true } and no execution id.
	expect(started).toEqual({ executionId: expect.any(String) });
	for (let attempt = 0; attempt < 120; attempt++) {
		const execution = await env.n8n.api('GET', `/executions/${started.executionId}?includeData=true`);
		if (!['new', 'running', 'waiting'].includes(execution.status)) return execution;
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	throw new Error(`The run of ${workflowId} from "${trigger}" had not ended after 30 s`);
}

describe('property sync test, run by its manual trigger', () => {
	const answerOf = (run: any) => run.data.resultData.runData.Answer[0].data.main[0][0].json;

	it('runs the test at once from "Run test" and ends with the answer', async () => {
		env.emulator.resetStats();
		const run = await executeFromTrigger('hsPropSyncTest001', 'Run test');
		expect(run).toMatchObject({ status: 'success', mode: 'manual' });
		const ran = Object.keys(run.data.resultData.runData);
		expect(ran).toContain('Run test');
		expect(ran).not.toContain('Test requested (webhook)');
		expect(run.data.resultData.lastNodeExecuted).toBe('Answer');
		expect(answerOf(run)).toMatchObject({ ok: true, checked: 10, missing: [], message: 'All 10 properties exist in HubSpot.' });
		// It read the definitions (one call per object type) and wrote nothing.
		expect(env.emulator.stats.requests).toBe(2);
	});

	it('names a wrong property with suggestions, the same answer as the webhook', async () => {
		await insertDataTableRows(env, 'hubspot_sync_properties', [{ objectType: 'companies', property: 'domian' }]);
		const answer = answerOf(await executeFromTrigger('hsPropSyncTest001', 'Run test'));
		expect(answer).toMatchObject({ ok: false, checked: 11, missing: [{ objectType: 'companies', name: 'domian', didYouMean: expect.arrayContaining(['domain']) }] });
		await waitForWebhook(`${env.n8n.url}/webhook/hubspot-sync/properties/test`);
		const byWebhook = await callWebhook(env, 'hubspot-sync/properties/test', undefined, 'GET');
		expect(byWebhook.json).toEqual(answer);
	});
});

describe('sync history report', () => {
	let rows: any[] = [];

	beforeAll(async () => {
		// The history table as Record history creates it (its columns from the template), with two rows.
		const recordHistory = JSON.parse(readFileSync(path.join(REPO_ROOT, 'workflows/record-history.json'), 'utf8'));
		const columns = recordHistory.nodes.find((node: { name: string }) => node.name === 'Ensure history table').parameters.columns.column;
		await env.n8n.api('POST', '/data-tables', { name: 'hubspot_sync_history', columns });
		await dataTableId(env, 'hubspot_sync_history');
		const row = (historyId: string, timestamp: string, status: string, code: string) => ({
			historyId,
			runId: '1',
			timestamp,
			direction: 'to_hubspot',
			objectType: 'meeting',
			hubspotId: '9001',
			targetId: 'B-7001',
			accountLabel: '',
			status,
			code,
			message: '',
			remedy: '',
			hubspotMessage: '',
			correlationId: '',
			attempts: 1,
			firstError: false,
		});
		rows = await insertDataTableRows(env, 'hubspot_sync_history', [row('H-7K2M-9QXA', '2026-12-01T10:00:00.000Z', 'success', 'OK'), row('H-8P3N-0RYB', '2026-12-01T11:00:00.000Z', 'skip', 'DUPLICATE')]);
		expect(rows).toHaveLength(2);
		await waitForWebhook(`${env.n8n.url}/webhook/hubspot-sync/history`);
	});

	const ask = async (query: string) => {
		const answer = await fetch(`${env.n8n.url}/webhook/hubspot-sync/history${query}`, { headers: { [WEBHOOK_HEADER.name]: WEBHOOK_HEADER.value } });
		return { status: answer.status, json: (await answer.json()) as any };
	};

	it('answers the rows of a record, newest first, and of a history id (in any case)', async () => {
		const byRecord = await ask('?record=B-7001');
		expect(byRecord.status).toBe(200);
		expect(byRecord.json.map((row: { historyId: string }) => row.historyId)).toEqual(['H-8P3N-0RYB', 'H-7K2M-9QXA']);
		const byId = await ask('?historyId=h-7k2m-9qxa');
		expect(byId.status).toBe(200);
		expect(byId.json).toEqual([expect.objectContaining({ historyId: 'H-7K2M-9QXA', targetId: 'B-7001', status: 'success' })]);
	});

	it('a question without matches answers an empty list', async () => {
		expect(await ask('?historyId=H-0000-0000')).toEqual({ status: 200, json: [] });
		expect(await ask('?record=NO-SUCH-BOOKING')).toEqual({ status: 200, json: [] });
	});

	it.each([
		['?historyId=', 'historyId'],
		['?historyId=%20', 'historyId'],
		['?record=', 'record'],
		['?record=B-7001&historyId=', 'historyId'],
	])('%s is refused with a 400 naming the empty parameter', async (query, parameter) => {
		const answer = await ask(query);
		expect(answer.status).toBe(400);
		expect(answer.json).toMatchObject({ status: 'error', code: 'QUESTION_INVALID', parameter, message: `The parameter ${parameter} is empty.` });
		expect(answer.json.remedy).toContain('?historyId=');
	});

	it('a question with no parameter is refused with a 400 saying what to ask', async () => {
		const answer = await ask('');
		expect(answer.status).toBe(400);
		expect(answer.json).toMatchObject({ status: 'error', code: 'QUESTION_INVALID', message: 'The question names no record and no history id.' });
		expect(answer.json.remedy).toContain('?record=');
	});
});
