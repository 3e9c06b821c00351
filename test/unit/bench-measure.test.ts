/** The benchmark's arithmetic: ceilings from HubSpot's limits, percentiles, goals and the report. */
import { checkGoals, HUBSPOT_LIMITS, markdownReport, percentile, perSecond, pullCeiling, scalesLinearly, SIZING_RECORDS, tableMegabytes, templatePullFigures, type BenchResult, type PushFigures } from '../../bench/measure';

describe('pullCeiling', () => {
	it('at 100 ms a sequential chain makes 10 calls/s: list 1,000 rec/s (under 11/s), search 5/s × 200', () => {
		expect(pullCeiling(HUBSPOT_LIMITS, 100)).toEqual({ list: 1000, search: 1000, combined: 2000 });
	});
	it('at low latency the budgets bind: 110 per 10 s and 5 per second', () => {
		expect(pullCeiling(HUBSPOT_LIMITS, 10)).toEqual({ list: 1100, search: 1000, combined: 2100 });
	});
	it('at high latency the round trip binds both', () => {
		expect(pullCeiling(HUBSPOT_LIMITS, 500)).toEqual({ list: 200, search: 400, combined: 600 });
	});
});

describe('percentile and rates', () => {
	const hundred = Array.from({ length: 100 }, (_, i) => 100 - i);
	it('nearest rank, whatever the order', () => {
		expect(percentile(hundred, 50)).toBe(50);
		expect(percentile(hundred, 95)).toBe(95);
		expect(percentile(hundred, 100)).toBe(100);
		expect(percentile([7], 95)).toBe(7);
	});
	it('refuses an empty list rather than inventing a figure', () => {
		expect(() => percentile([], 50)).toThrow('empty');
	});
	it('records per second from milliseconds; nothing timed is no figure', () => {
		expect(perSecond(1000, 500)).toBe(2000);
		expect(perSecond(10, 0)).toBeNull();
	});
});

const push: PushFigures = { records: 10_000, created: 5000, updated: 5000, errors: 0, calls: 101, callsPer100: 1.01, recordsPerSecond: 900, http429: 0 };
function result(): BenchResult {
	return {
		meta: { date: '2026-11-23T00:00:00.000Z', n8nVersion: '2.41.1', nodeVersion: '24.21.0', latencyMs: 100, limits: HUBSPOT_LIMITS, heapLimitMB: null, n8nIdleRssMB: 450, machine: 'test', command: 'npm run bench' },
		pull: {
			records: 100_000, recordsPerSecond: 1850, ceilingRecordsPerSecond: 2000, shareOfCeiling: 0.925, calls: 760, callsPer100: 0.76, http429: 2, http429Share: 0.0026, errorsSurfaced: 0, listPages: 390, searchPages: 305,
			comparedAt: 500, oursAtComparedSize: 1300, builtinRecordsPerSecond: 800,
			builtinProbes: [{ records: 500, recordsPerSecond: 800, calls: 5, http429: 0 }, { records: 1000, recordsPerSecond: null, calls: 6, http429: 1, error: 'HTTP 429: The service is receiving too many requests from you: You have reached your secondly limit.' }], builtinCalls: 5, builtinHttp429: 0,
			builtinLargest: { records: 100_000, operation: 'contact search, return all', error: 'HTTP 429: secondly limit' }, builtinGetAll: { error: 'HTTP 404' },
			ratioToBuiltin: 1.6, peakRssMB: 1400, templateRecordsPerSecond: 900,
		},
		incremental: { changed: 1000, calls: 7, seconds: 3, records: 1000 },
		push: { ...push, readFirst: { ...push, calls: 201, callsPer100: 2.01 } },
		bookings: { count: 1000, meetingsCreated: 1000, calls: 2000, callsPerBooking: 2, p50ms: 340, p95ms: 400, ratePerSecond: 5, failed: 0 },
		deals: { count: 10_000, itemsPerSecond: 5000, templateItemsPerSecond: 100, sent: 800, calls: 60, seconds: 100 },
		scaling: [
			{ records: 10_000, seconds: 10, msPerRecord: 1, peakRssMB: 900, rssGrowthMB: 100, kbPerRecord: 10 },
			{ records: 100_000, seconds: 90, msPerRecord: 0.9, peakRssMB: 1400, rssGrowthMB: 600, kbPerRecord: 6 },
		],
	};
}
const met = (bench: BenchResult) => Object.fromEntries(checkGoals(bench).map((check) => [check.goal, check.met]));

describe('checkGoals', () => {
	it('judges each goal from the figures', () => {
		expect(met(result())).toEqual({
			'full pull ≥ 90% of the list + search ceiling': true,
			"full pull ≥ 5× n8n's built-in node": false,
			'< 1% of calls answered 429, none surfaced as an error': true,
			'≤ 1.01 calls per 100 records (pull)': true,
			'≤ 1.01 calls per 100 records (push)': true,
			'≤ 2 calls per booking': true,
			'bookings: meetings created = bookings': true,
			'incremental: ≤ 10 calls for 1,000 changes': true,
			'peak n8n RSS, 100k pull with its Data table write ≤ 600 MB': false,
		});
	});
	it('a missing meeting, a surfaced error, 429s over 1% or a slow pull each fail their goal', () => {
		const bench = result();
		bench.bookings.meetingsCreated = 999;
		bench.pull.errorsSurfaced = 1;
		bench.pull.shareOfCeiling = 0.89;
		bench.incremental.calls = 11;
		const judged = met(bench);
		expect(judged['bookings: meetings created = bookings']).toBe(false);
		expect(judged['< 1% of calls answered 429, none surfaced as an error']).toBe(false);
		expect(judged['full pull ≥ 90% of the list + search ceiling']).toBe(false);
		expect(judged['incremental: ≤ 10 calls for 1,000 changes']).toBe(false);
	});
	it('says what the built-in node answered when it had no figure at all', () => {
		const bench = result();
		bench.pull.ratioToBuiltin = null;
		bench.pull.builtinRecordsPerSecond = null;
		bench.pull.builtinError = 'at 500 contacts: HTTP 429';
		const check = checkGoals(bench).find((goal) => goal.goal.includes('built-in'))!;
		expect(check.measured).toContain('at 500 contacts: HTTP 429');
	});
});

describe('scalesLinearly', () => {
	it('flat or falling cost per record is linear; a doubling is not', () => {
		expect(scalesLinearly(result().scaling)).toBe(true);
		expect(scalesLinearly([...result().scaling, { records: 300_000, seconds: 700, msPerRecord: 2.3, peakRssMB: 2000, rssGrowthMB: 1000, kbPerRecord: 3 }])).toBe(false);
	});
});

describe('markdownReport', () => {
	it('shows the figures, the built-in errors, the machine and the missed goals', () => {
		const markdown = markdownReport(result());
		expect(markdown).toContain('n8n 2.41.1 on Node 24.21.0');
		expect(markdown).toContain('Command: `npm run bench`');
		expect(markdown).toContain('1850 rec/s, 760 calls (390 list + 305 search pages), 2 × 429');
		expect(markdown).toContain('failed: HTTP 429: secondly limit');
		expect(markdown).toContain('failed: HTTP 404');
		expect(markdown).toContain('500: 800 rec/s; 1,000: failed (HTTP 429: You have reached your secondly limit.)');
		expect(markdown).toContain('1.01 calls / 100');
		expect(markdown).toContain('2.01 calls / 100');
		expect(markdown).toMatch(/\| peak n8n RSS.* \| 1400 MB \| \*\*no\*\* \|/);
		expect(markdown).toMatch(/\| 100,000 \| 90 \| 0.9 \| 1400 \| 600 \| 6 \|/);
	});
});

describe('big tables and Data table space', () => {
	const withTable = (seconds: number): BenchResult => ({ ...result(), incrementalIntoBigTable: { changes: 1000, tableRows: 100_010, seconds, calls: 6 }, dataTableBytesPerRecord: 316 });

	it('judges the incremental run into a big table against 5 s', () => {
		const goal = 'incremental: 1,000 changes into a 100,000-row records table ≤ 5 s';
		expect(met(withTable(3.2))[goal]).toBe(true);
		expect(met(withTable(5.1))[goal]).toBe(false);
		expect(met(result())[goal]).toBeUndefined();
	});

	it('reports the run and a sizing table computed from the measured bytes per record', () => {
		const markdown = markdownReport(withTable(3.2));
		expect(markdown).toContain('| incremental run: 1,000 changes into a 100,010-row records table | 3.2 s, 6 HubSpot calls |');
		expect(markdown).toContain('| Data table space per synced record | 316 bytes |');
		expect(markdown).toContain('| 100,000 | 30.1 |');
		expect(markdown).toContain('| 600,000 | 180.8 |');
		expect(markdown.match(/^\| [\d,]+ \| [\d.]+ \|$/gm)).toHaveLength(SIZING_RECORDS.length);
	});

	it('judges the two-way incremental run by its link saves against 5 s, and reports where its time went', () => {
		const goal = 'two-way incremental: saving 1,000 changed links into a 100,000-row links table ≤ 5 s';
		const twoWay = (linkWriteSeconds: number): BenchResult => ({ ...result(), twoWayIncremental: { changes: 1000, linkRows: 100_000, seconds: 60, linkWriteSeconds, appWriteSeconds: 46.7, readSeconds: 6.8, calls: 7, peakRssMB: 1500, rssGrowthMB: 320, secondsWithRunData: 64 } });
		expect(met(twoWay(2.7))[goal]).toBe(true);
		expect(met(twoWay(5.2))[goal]).toBe(false);
		expect(met(result())[goal]).toBeUndefined();
		const markdown = markdownReport(twoWay(2.7));
		expect(markdown).toContain('| two-way contact sync, incremental: 1,000 HubSpot edits over 100,000 links and app rows | 60 s, 7 HubSpot calls, peak n8n RSS 1500 MB (+320); saving its run data (64 s): links saved in 2.7 s, app rows updated in 46.7 s');
		expect(markdown).toContain('| 2.7 s for 1,000 links into 100,000 rows | yes |');
	});

	it('judges the template full syncs against idle n8n + 150 MB at every size, and names each', () => {
		const scaling = [
			{ records: 10_000, seconds: 9, msPerRecord: 0.9, peakRssMB: 1_100, rssGrowthMB: 50, kbPerRecord: 5 },
			{ records: 100_000, seconds: 90, msPerRecord: 0.9, peakRssMB: 980, rssGrowthMB: 100, kbPerRecord: 1 },
			{ records: 300_000, seconds: 270, msPerRecord: 0.9, peakRssMB: 1_010, rssGrowthMB: 140, kbPerRecord: 0.5 },
		];
		const figures = templatePullFigures(860, scaling, [100_000, 300_000]);
		expect(figures).toEqual({ idleRssMB: 860, points: [{ records: 100_000, peakRssMB: 980, overIdleMB: 120 }, { records: 300_000, peakRssMB: 1_010, overIdleMB: 150 }] });
		const goal = 'template full sync: peak n8n RSS ≤ idle + 150 MB at every size (flat in the portal)';
		expect(met({ ...result(), templatePull: figures })[goal]).toBe(true);
		expect(met({ ...result(), templatePull: templatePullFigures(850, scaling, [100_000, 300_000]) })[goal]).toBe(false);
		expect(markdownReport({ ...result(), templatePull: figures })).toContain('100,000: 980 MB (+120); 300,000: 1010 MB (+150)');
		// A sync run in an n8n started afresh is judged against that n8n's RSS when ready.
		const fresh = templatePullFigures(860, scaling.map((point) => (point.records === 300_000 ? { ...point, peakRssMB: 1_200, idleRssMB: 1_080 } : point)), [100_000, 300_000]);
		expect(fresh.points[1]).toEqual({ records: 300_000, peakRssMB: 1_200, overIdleMB: 120, idleRssMB: 1_080 });
		expect(met({ ...result(), templatePull: fresh })[goal]).toBe(true);
		expect(markdownReport({ ...result(), templatePull: fresh })).toContain("300,000: 1200 MB (+120 over a fresh n8n's 1080)");
	});

	it('counts megabytes as n8n counts its limit (2^20 bytes)', () => {
		expect(tableMegabytes(663_000, 316)).toBe(199.8);
		expect(tableMegabytes(0, 316)).toBe(0);
	});
});
