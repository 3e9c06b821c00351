/**
 * Filter Deals → Map Deal Stage through n8n's engine against the emulator (3 pipelines, deals
 * across teams, owners and filter keys): rules, exclusion, batch reads of missing properties,
 * stale mappings, the exclusion property's set-up, and bad input.
 */
import { DEFAULT_SERVICE_KEY } from '../hubspot-emulator';
import { seedCrm } from '../hubspot-emulator/seed';
import { startEmulator, type RunningEmulator } from '../support/emulator';
import { runWorkflow } from '../support/workflow-harness';
import fixture from './fixtures/deals-filter-map.workflow.json';

let hs: RunningEmulator;
const FILTER = 'HubSpot Filter Deals';
const MAP = 'HubSpot Map Deal Stage';

beforeEach(async () => {
	hs = await startEmulator();
	// 3 pipelines: the default one and pipeline-1, pipeline-2; 150 deals round-robin across them.
	seedCrm(hs.emulator.store, { deals: 150, owners: 4, teams: 2, pipelines: 3 });
	const setup = structuredClone(fixture);
	setup.nodes[1].parameters.operation = 'ensureExclusionProperty';
	const result = await runWorkflow(setup, credentials(), [{}]);
	expect(result.output(FILTER)[0].json).toMatchObject({ status: 'created', type: 'bool' });
	hs.emulator.resetStats();
});
afterEach(() => hs.stop());

const credentials = () => ({ hubSpotSyncServiceKeyApi: { accessToken: DEFAULT_SERVICE_KEY, baseUrl: hs.url } });
const deals = () => [...hs.emulator.store.table('deals').values()];

function workflow(filterParams: Record<string, unknown> = {}, mapParams: Record<string, unknown> = {}) {
	const copy = structuredClone(fixture);
	Object.assign(copy.nodes[1].parameters, filterParams);
	Object.assign(copy.nodes[2].parameters, mapParams);
	return copy;
}

async function run(items: Record<string, unknown>[], filterParams = {}, mapParams = {}) {
	const result = await runWorkflow(workflow(filterParams, mapParams), credentials(), items as never);
	const ids = (node: string, output: number) => result.output(node, output).map((item) => String(item.json.dealId ?? item.json.id));
	return { result, ids, json: (node: string, output: number) => result.output(node, output).map((item) => item.json as Record<string, any>) };
}

it('syncs exactly the deals that pass the rules and have a mapped stage, reading missing properties 100 per call', async () => {
	const items = deals().map((deal) => ({ id: deal.id }));
	const { ids, json } = await run(items);
	const expected = deals().filter((d) => d.properties.board_custom_filter_key === 'east');
	expect(ids(FILTER, 0).sort()).toEqual(expected.map((d) => d.id).sort());
	expect(ids(FILTER, 1)).toHaveLength(150 - expected.length);
	expect(json(FILTER, 1)[0]).toMatchObject({ status: 'filtered', code: 'FILTERED_OUT', rule: 'filterKey', accountLabel: 'East office' });
	const mappedStages = new Set(['pipeline-1-new', 'pipeline-1-won', 'pipeline-2-won', 'closedwon']);
	expect(ids(MAP, 0).sort()).toEqual(expected.filter((d) => mappedStages.has(String(d.properties.dealstage))).map((d) => d.id).sort());
	const unmapped = json(MAP, 1);
	expect(unmapped.length).toBe(expected.length - ids(MAP, 0).length);
	expect(unmapped[0]).toMatchObject({ status: 'unmapped', code: 'STAGE_UNMAPPED' });
	expect(unmapped[0].reason).toMatch(/^Stage ".+" of pipeline ".+" has no mapping$/);
	const won = json(MAP, 0).find((item) => item.properties.dealstage === 'pipeline-1-won');
	expect(won).toMatchObject({ status: 'Ordered', pipelineLabel: 'Pipeline 1', stageLabel: 'Won' });
	// 150 deals lacking properties: 2 batch reads (100 + 50), then 1 pipelines read.
	expect(hs.emulator.stats.byOperation['POST /crm/objects/2026-03/{objectType}/batch/read']).toBe(2);
	expect(hs.emulator.stats.requests).toBe(3);
});

it('reads nothing when the items already carry the properties', async () => {
	const items = deals().slice(0, 20).map((deal) => ({ id: deal.id, properties: { ...deal.properties, exclude_from_board_integration: 'false' } }));
	await run(items);
	expect(hs.emulator.stats.byOperation['POST /crm/objects/2026-03/{objectType}/batch/read']).toBeUndefined();
});

it('sets aside excluded deals to disable their link, and marks a returning deal to re-enable it', async () => {
	const [first, second] = deals().filter((d) => d.properties.board_custom_filter_key === 'east');
	hs.emulator.store.update('deals', first, { exclude_from_board_integration: 'true' });
	const { json } = await run([{ id: first.id }, { id: second.id, link: { enabled: false, disabledReason: 'EXCLUDED' } }]);
	expect(json(FILTER, 2)).toEqual([expect.objectContaining({ dealId: first.id, status: 'excluded', code: 'EXCLUDED', linkAction: 'disable' })]);
	expect(json(FILTER, 0)).toEqual([expect.objectContaining({ dealId: second.id, linkAction: 'enable' })]);
});

it('filters by team and owner, any or all', async () => {
	const owner = hs.emulator.store.owners[1];
	const { ids } = await run(deals().map((d) => ({ id: d.id })), { allowedValues: '', ownerIds: [owner.id], teamIds: [owner.teams[0].id] });
	expect(ids(FILTER, 0).sort()).toEqual(deals().filter((d) => d.properties.hubspot_owner_id === owner.id).map((d) => d.id).sort());
	const any = await run(deals().map((d) => ({ id: d.id })), { allowedValues: 'west', ownerIds: [owner.id], combine: 'any' });
	expect(any.ids(FILTER, 0).length).toBe(deals().filter((d) => d.properties.hubspot_owner_id === owner.id || d.properties.board_custom_filter_key === 'west').length);
});

it('writes status changes back: status → the target stage', async () => {
	const deal = deals().find((d) => d.properties.pipeline === 'pipeline-1')!;
	const reverse = structuredClone(fixture);
	reverse.nodes[2].parameters.direction = 'statusToStage';
	reverse.connections = { Deals: { main: [[{ node: MAP, type: 'main', index: 0 }]] } } as never;
	const result = await runWorkflow(reverse, credentials(), [{ dealId: deal.id, pipeline: 'pipeline-1', status: 'Ordered' }, { dealId: deal.id, pipeline: 'pipeline-1', status: 'Shipped' }]);
	expect(result.output(MAP, 0).map((item) => item.json.dealstage)).toEqual(['pipeline-1-won']);
	expect(result.output(MAP, 1)[0].json).toMatchObject({ code: 'STAGE_UNMAPPED', reason: 'Status "Shipped" has no stage in pipeline "Pipeline 1"' });
});

it('moves deals to the mapped stage in HubSpot, reading pipelines it lacks; a deleted deal is a NOT_FOUND error item', async () => {
	const [first, second, gone, goneAfterRead] = deals().filter((d) => d.properties.pipeline === 'pipeline-1');
	hs.emulator.store.archive('deals', gone.id);
	hs.emulator.store.archive('deals', goneAfterRead.id);
	const reverse = structuredClone(fixture);
	Object.assign(reverse.nodes[2].parameters, { direction: 'statusToStage', pipeline: '={{ $json.pipeline ?? "" }}', writeBack: true });
	Object.assign(reverse.nodes[2], { onError: 'continueRegularOutput' });
	reverse.connections = { Deals: { main: [[{ node: MAP, type: 'main', index: 0 }]] } } as never;
	hs.emulator.resetStats();
	// Items as a target app sends them: the deal id from the link row, no pipeline.
	const result = await runWorkflow(reverse, credentials(), [{ hubspotId: first.id, status: 'Ordered' }, { hubspotId: second.id, status: 'Lead' }, { hubspotId: gone.id, status: 'Ordered' }, { hubspotId: goneAfterRead.id, pipeline: 'pipeline-1', status: 'Ordered' }]);
	expect(result.output(MAP, 0).map((item) => [item.json.dealId, item.json.dealstage, item.json.hubspotUpdated])).toEqual([
		[first.id, 'pipeline-1-won', true],
		[second.id, 'pipeline-1-new', true],
	]);
	expect(hs.emulator.store.get('deals', first.id)?.properties.dealstage).toBe('pipeline-1-won');
	expect(hs.emulator.store.get('deals', second.id)?.properties.dealstage).toBe('pipeline-1-new');
	const [error, writeError] = result.output(MAP, 1).map((item) => item.json as Record<string, any>);
	expect(error.error).toMatchObject({ code: 'NOT_FOUND', hubspotMessage: `Deal ${gone.id} does not exist in HubSpot (deleted or merged)` });
	// Found missing only when written (its pipeline came with the item): HubSpot's 207 names it.
	expect(writeError).toMatchObject({ hubspotId: goneAfterRead.id, error: { code: 'NOT_FOUND', hubspotMessage: expect.stringContaining('Could not update some deals') } });
	// 1 batch read for the pipelines, 1 pipelines read, 1 batch update.
	expect(hs.emulator.stats.requests).toBe(3);
});

it('lists stale mapping rows with Check Mapping, and refuses to map with them', async () => {
	hs.emulator.store.pipelines.get('pipeline-2')!.stages = hs.emulator.store.pipelines.get('pipeline-2')!.stages.filter((s) => s.id !== 'pipeline-2-won');
	const check = structuredClone(fixture);
	check.nodes[2].parameters.operation = 'checkMapping';
	check.connections = { Deals: { main: [[{ node: MAP, type: 'main', index: 0 }]] } } as never;
	const report = (await runWorkflow(check, credentials(), [{}])).output(MAP).map((item) => item.json);
	expect(report.filter((row) => !row.ok)).toEqual([expect.objectContaining({ row: 3, problem: 'stage "pipeline-2-won" no longer exists in pipeline "Pipeline 2"' })]);
	expect(report.filter((row) => row.ok)).toHaveLength(3);
	const { result } = await run([{ id: deals()[0].id }], { allowedValues: '' });
	const error = result.error(MAP) as Error & { description?: string };
	expect(error.message).toContain('1 stale row(s)');
	expect(error.description).toContain('Check Mapping');
});

it('leaves an existing exclusion property untouched (409 is success)', async () => {
	const setup = structuredClone(fixture);
	setup.nodes[1].parameters.operation = 'ensureExclusionProperty';
	const again = (await runWorkflow(setup, credentials(), [{}])).output(FILTER)[0].json;
	expect(again).toMatchObject({ status: 'exists' });
	expect(hs.emulator.store.properties.get('deals')!.get('exclude_from_board_integration')?.type).toBe('bool');
});

describe('bad input names the item and the field', () => {
	it('a deal item without id', async () => {
		const error = (await run([{ name: 'no id' }])).result.error(FILTER) as Error & { description?: string };
		expect(error.message).toBe('Item 0: the deal has no id');
	});
	it('a non-boolean exclusion value', async () => {
		const deal = deals()[0];
		const error = (await run([{ id: deal.id, properties: { ...deal.properties, exclude_from_board_integration: 'maybe' } }])).result.error(FILTER) as Error & { description?: string };
		expect(error.message).toContain('"maybe"');
		expect(error.description).toContain('Field "Exclusion Property"');
	});
	it('an unknown pipeline', async () => {
		const deal = deals().find((d) => d.properties.board_custom_filter_key === 'east')!;
		const error = (await run([{ id: deal.id, properties: { ...deal.properties, pipeline: 'ghost', exclude_from_board_integration: 'false' } }])).result.error(MAP) as Error & { description?: string };
		expect(error.message).toBe('Item 0: pipeline "ghost" does not exist in HubSpot');
		expect(error.description).toContain('Field "Pipeline"');
	});
	it('with continue on fail, bad items become error items and the rest pass', async () => {
		const lenient = workflow();
		(lenient.nodes[1] as Record<string, unknown>).onError = 'continueRegularOutput';
		const east = deals().find((d) => d.properties.board_custom_filter_key === 'east')!;
		const result = await runWorkflow(lenient, credentials(), [{ id: east.id }, { name: 'no id' }] as never);
		expect(result.output(FILTER, 0).map((item) => item.json.dealId)).toEqual([east.id]);
		expect(result.output(FILTER, 1)[0].json.error).toMatchObject({ code: 'INPUT_INVALID' });
	});
});
