import { resolveMapping, stageToStatus, statusToStage } from '../../nodes/HubSpotSyncMapDealStage/mapping';
import { filterDeal, parseExclusion, splitList, type FilterRules } from '../../nodes/HubSpotSyncFilterDeals/rules';
import type { Pipeline } from '../../nodes/shared/deals/pipelines';

const pipelines: Pipeline[] = [
	{ id: 'p1', label: 'Sales', stages: [{ id: 'new', label: 'New' }, { id: 'won', label: 'Won' }, { id: 'lost', label: 'Lost' }, { id: 'old', label: 'Old', archived: true }] },
	{ id: 'p2', label: 'Renewals', stages: [{ id: 'r-open', label: 'Open' }, { id: 'r-won', label: 'Renewed' }, { id: 'r-won2', label: 'Renewed (upsell)' }] },
];

describe('stage mapping', () => {
	const rows = [
		{ stage: 'p1/new', status: 'Lead' },
		{ stage: 'p1/won', status: 'Ordered' },
		{ stage: 'p2/r-won', status: 'Ordered' },
		{ stage: 'p2/r-won2', status: 'Ordered', isTarget: true },
	];
	const { resolved, stale } = resolveMapping(rows, pipelines);

	it('resolves labels and finds no stale row', () => {
		expect(stale).toEqual([]);
		expect(resolved[0]).toMatchObject({ pipelineLabel: 'Sales', stageLabel: 'New', status: 'Lead' });
	});
	it('maps a stage to its status, several stages to one status', () => {
		expect(stageToStatus(resolved, pipelines, 'p1', 'won')).toMatchObject({ mapped: true, status: 'Ordered', stageLabel: 'Won' });
		expect(stageToStatus(resolved, pipelines, 'p2', 'r-won2')).toMatchObject({ mapped: true, status: 'Ordered' });
	});
	it('does not map a stage without a row, naming pipeline and stage', () => {
		expect(stageToStatus(resolved, pipelines, 'p1', 'lost')).toEqual({ mapped: false, reason: 'Stage "Lost" of pipeline "Sales" has no mapping' });
	});
	it('maps nothing when there is no mapping at all', () => {
		expect(stageToStatus([], pipelines, 'p1', 'won')).toEqual({ mapped: false, reason: 'No stage mapping is set, so no deal syncs from HubSpot' });
	});
	it('writes a status back to the target stage of the deal’s pipeline', () => {
		expect(statusToStage(resolved, pipelines, 'p2', 'ordered')).toMatchObject({ mapped: true, dealstage: 'r-won2' });
		expect(statusToStage(resolved, pipelines, 'p1', 'Ordered')).toMatchObject({ mapped: true, dealstage: 'won' });
		expect(statusToStage(resolved, pipelines, 'p1', 'Shipped')).toEqual({ mapped: false, reason: 'Status "Shipped" has no stage in pipeline "Sales"' });
	});
	it('reports rows naming a pipeline or stage that no longer exists, or no status', () => {
		const result = resolveMapping([{ stage: 'p9/won', status: 'X' }, { stage: 'p1/old', status: 'Y' }, { stage: 'p1/won', status: ' ' }, ...rows], pipelines);
		expect(result.stale.map((row) => [row.index, row.problem])).toEqual([
			[0, 'pipeline "p9" no longer exists in HubSpot'],
			[1, 'stage "old" no longer exists in pipeline "Sales"'],
			[2, 'no status is set for stage "Won" in pipeline "Sales"'],
		]);
		expect(result.resolved).toHaveLength(4);
	});
});

describe('filter rules', () => {
	const none: FilterRules = { teamIds: [], ownerIds: [], filterProperty: 'board_custom_filter_key', allowedValues: [], combine: 'all' };
	it('passes everything with no rule (the seed’s default)', () => {
		expect(filterDeal(none, { teamIds: [] })).toEqual({ pass: true });
	});
	it('checks team, owner and filter key, all by default', () => {
		const rules = { ...none, teamIds: ['t1'], ownerIds: ['o1'], allowedValues: ['east'] };
		expect(filterDeal(rules, { teamIds: ['t1'], ownerId: 'o1', filterValue: 'east' })).toEqual({ pass: true });
		expect(filterDeal(rules, { teamIds: ['t2'], ownerId: 'o1', filterValue: 'east' })).toMatchObject({ pass: false, rule: 'team' });
		expect(filterDeal(rules, { teamIds: ['t1'], ownerId: 'o1', filterValue: 'west' })).toMatchObject({ pass: false, rule: 'filterKey', reason: 'board_custom_filter_key "west" is not one of east' });
	});
	it('passes when any rule matches, if asked', () => {
		const rules = { ...none, teamIds: ['t1'], allowedValues: ['east'], combine: 'any' as const };
		expect(filterDeal(rules, { teamIds: ['t9'], filterValue: 'east' })).toEqual({ pass: true });
		expect(filterDeal(rules, { teamIds: ['t9'], filterValue: 'west' }).pass).toBe(false);
	});
	it('one HubSpot account feeds several target accounts by the filter key', () => {
		const east = { ...none, allowedValues: ['east'] };
		const west = { ...none, allowedValues: ['west', 'kansai'] };
		const deals = ['east', 'west', 'kansai', ''].map((filterValue) => ({ teamIds: [], filterValue }));
		expect(deals.map((deal) => [filterDeal(east, deal).pass, filterDeal(west, deal).pass])).toEqual([[true, false], [false, true], [false, true], [false, false]]);
	});
	it('reads the exclusion flag, and refuses a non-boolean', () => {
		expect([true, 'true', 'YES', '1', 'はい'].map(parseExclusion)).toEqual([true, true, true, true, true]);
		expect([false, 'false', 'no', '0', '', null, undefined].map(parseExclusion)).toEqual([false, false, false, false, false, false, false]);
		expect(parseExclusion('maybe')).toBeUndefined();
	});
	it('splits lists', () => expect(splitList(' east, west,\neast ')).toEqual(['east', 'west']));
});
