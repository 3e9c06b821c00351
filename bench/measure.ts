/**
 * The benchmark's arithmetic, kept pure so it is unit-tested: the ceilings HubSpot's limits and
 * the latency allow, percentiles, the package's performance goals against the measured figures, and the
 * Markdown table.
 */

export interface BenchLimits {
	/** Standard budget: requests per window (HubSpot: 110 per 10 s). */
	standard: { max: number; windowMs: number };
	/** Search budget (HubSpot: 5 per second). */
	search: { max: number; windowMs: number };
	listPageSize: number;
	searchPageSize: number;
	batchSize: number;
}

export const HUBSPOT_LIMITS: BenchLimits = {
	standard: { max: 110, windowMs: 10_000 },
	search: { max: 5, windowMs: 1_000 },
	listPageSize: 100,
	searchPageSize: 200,
	batchSize: 100,
};

/** Calls per second one sequential caller can make: the budget, or one per round trip if slower. */
function callsPerSecond(budget: { max: number; windowMs: number }, latencyMs: number): number {
	return Math.min((budget.max * 1000) / budget.windowMs, 1000 / Math.max(latencyMs, 1));
}

/**
 * The most records per second a full pull can read: list pages on the standard budget plus
 * search pages on the search budget, each one sequential chain of calls (a page's cursor comes
 * from the page before).
 */
export function pullCeiling(limits: BenchLimits, latencyMs: number): { list: number; search: number; combined: number } {
	const list = callsPerSecond(limits.standard, latencyMs) * limits.listPageSize;
	const search = callsPerSecond(limits.search, latencyMs) * limits.searchPageSize;
	return { list, search, combined: list + search };
}

/** Percentile by nearest rank (p in 0..100) of a non-empty list. */
export function percentile(values: number[], p: number): number {
	if (!values.length) throw new Error('percentile of an empty list');
	const sorted = [...values].sort((a, b) => a - b);
	const rank = Math.ceil((p / 100) * sorted.length);
	return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export const round = (value: number, digits = 0): number => Number(value.toFixed(digits));

/** Records per second, or null when nothing was timed. */
export const perSecond = (count: number, ms: number): number | null => (ms > 0 ? round((count * 1000) / ms, 1) : null);

export interface PushFigures {
	records: number;
	created: number;
	updated: number;
	errors: number;
	calls: number;
	callsPer100: number;
	recordsPerSecond: number;
	http429: number;
}

export interface BenchResult {
	meta: { date: string; n8nVersion: string; nodeVersion: string; latencyMs: number; limits: BenchLimits; heapLimitMB: number | null; n8nIdleRssMB: number; machine: string; command: string; seconds?: number };
	pull: {
		records: number;
		recordsPerSecond: number;
		ceilingRecordsPerSecond: number;
		shareOfCeiling: number;
		calls: number;
		callsPer100: number;
		http429: number;
		http429Share: number;
		errorsSurfaced: number;
		/** How the node alone split the pull: list pages (100) on the standard budget, search pages (200) on search's. */
		listPages: number;
		searchPages: number;
		/** The built-in node at the largest size it handled, and ours at the same size. */
		comparedAt: number;
		oursAtComparedSize: number;
		builtinRecordsPerSecond: number | null;
		builtinError?: string;
		/** The built-in node's search at each size tried (all ≤ HubSpot's 10,000-result search cap). */
		builtinProbes: Array<{ records: number; recordsPerSecond: number | null; calls: number; http429: number; error?: string }>;
		builtinCalls?: number;
		builtinHttp429?: number;
		builtinLargest: { records: number; error?: string; operation: string };
		builtinGetAll: { error?: string; records?: number };
		ratioToBuiltin: number | null;
		peakRssMB: number;
		templateRecordsPerSecond: number;
	};
	incremental: { changed: number; calls: number; seconds: number; records: number };
	/**
	 * The same incremental run seen as table work: `changes` records written into a records table of
	 * `tableRows` rows (the whole run's seconds, HubSpot calls included, bound the table work).
	 */
	incrementalIntoBigTable?: { changes: number; tableRows: number; seconds: number; calls: number };
	/**
	 * The two-way contact sync's incremental run: `changes` HubSpot edits over `linkRows` links (and as many app
	 * rows). Seconds and peak n8n RSS of the whole run as the template ships (no data of successful runs saved);
	 * from a copy that saves its run data (`secondsWithRunData`), the seconds of its link saves (one insert,
	 * deletes by row id), of the stand-in app's updates (a Data table update per row) and of reading the app rows
	 * and links.
	 */
	twoWayIncremental?: { changes: number; linkRows: number; seconds: number; linkWriteSeconds: number; appWriteSeconds: number; readSeconds: number; calls: number; peakRssMB: number; rssGrowthMB: number; secondsWithRunData?: number };
	/** Data table space per synced record (n8n's own size figure over the records table's rows). */
	dataTableBytesPerRecord?: number;
	/**
	 * Peak n8n RSS of a full sync through the template (chunked) at each portal size, beside n8n's RSS
	 * when ready: memory is flat in the portal's size when every point stays within 150 MB of it.
	 */
	templatePull?: { idleRssMB: number; points: Array<{ records: number; peakRssMB: number; overIdleMB: number; idleRssMB?: number }> };
	/** Headline: upsert only ("Read Before Writing" off); `readFirst`: the node's default. */
	push: PushFigures & { readFirst: PushFigures };
	bookings: { count: number; meetingsCreated: number; calls: number; callsPerBooking: number; p50ms: number; p95ms: number; ratePerSecond: number; failed: number };
	deals: { count: number; itemsPerSecond: number; templateItemsPerSecond: number; sent: number; calls: number; seconds: number };
	/** `idleRssMB`: where n8n was started afresh for this sync, its RSS after one small sync (what it is measured against). */
	scaling: Array<{ records: number; seconds: number; msPerRecord: number; peakRssMB: number; rssGrowthMB: number; kbPerRecord: number; tableMB?: number; idleRssMB?: number }>;
}

export interface GoalCheck {
	goal: string;
	measured: string;
	met: boolean;
}

/** The package's performance goals, each next to what was measured. */
export function checkGoals(result: BenchResult): GoalCheck[] {
	const { pull, push, bookings, incremental } = result;
	const goals: GoalCheck[] = [
		{ goal: 'full pull ≥ 90% of the list + search ceiling', measured: `${Math.round(pull.shareOfCeiling * 100)}% (${pull.recordsPerSecond} of ${Math.round(pull.ceilingRecordsPerSecond)} rec/s)`, met: pull.shareOfCeiling >= 0.9 },
		{
			goal: "full pull ≥ 5× n8n's built-in node",
			measured: pull.ratioToBuiltin === null ? `built-in could not do it: ${pull.builtinError ?? 'no figure'}` : `${pull.ratioToBuiltin}× at ${pull.comparedAt.toLocaleString('en')} records`,
			met: pull.ratioToBuiltin === null ? true : pull.ratioToBuiltin >= 5,
		},
		{ goal: '< 1% of calls answered 429, none surfaced as an error', measured: `${(pull.http429Share * 100).toFixed(2)}% (${pull.http429}), ${pull.errorsSurfaced} surfaced`, met: pull.http429Share < 0.01 && pull.errorsSurfaced === 0 },
		{ goal: '≤ 1.01 calls per 100 records (pull)', measured: String(pull.callsPer100), met: pull.callsPer100 <= 1.01 },
		{ goal: '≤ 1.01 calls per 100 records (push)', measured: `${push.callsPer100} (upsert only); ${push.readFirst.callsPer100} reading first`, met: push.callsPer100 <= 1.01 },
		{ goal: '≤ 2 calls per booking', measured: String(bookings.callsPerBooking), met: bookings.callsPerBooking <= 2 },
		{ goal: 'bookings: meetings created = bookings', measured: `${bookings.meetingsCreated} of ${bookings.count}`, met: bookings.meetingsCreated === bookings.count },
		{ goal: 'incremental: ≤ 10 calls for 1,000 changes', measured: `${incremental.calls} calls for ${incremental.changed.toLocaleString('en')} changes`, met: incremental.calls <= Math.max(10, (10 * incremental.changed) / 1000) },
		...(result.incrementalIntoBigTable
			? [
					{
						goal: 'incremental: 1,000 changes into a 100,000-row records table ≤ 5 s',
						measured: `${result.incrementalIntoBigTable.seconds} s for ${result.incrementalIntoBigTable.changes.toLocaleString('en')} changes into ${result.incrementalIntoBigTable.tableRows.toLocaleString('en')} rows`,
						met: result.incrementalIntoBigTable.seconds <= 5,
					},
				]
			: []),
		...(result.twoWayIncremental
			? [
					{
						goal: 'two-way incremental: saving 1,000 changed links into a 100,000-row links table ≤ 5 s',
						measured: `${result.twoWayIncremental.linkWriteSeconds} s for ${result.twoWayIncremental.changes.toLocaleString('en')} links into ${result.twoWayIncremental.linkRows.toLocaleString('en')} rows`,
						met: result.twoWayIncremental.linkWriteSeconds <= 5,
					},
				]
			: []),
		...(result.templatePull
			? [
					{
						goal: 'template full sync: peak n8n RSS ≤ idle + 150 MB at every size (flat in the portal)',
						measured: result.templatePull.points.map((point) => `${point.records.toLocaleString('en')}: ${point.peakRssMB} MB (+${point.overIdleMB}${point.idleRssMB ? ` over a fresh n8n's ${point.idleRssMB}` : ''})`).join('; '),
						met: result.templatePull.points.every((point) => point.overIdleMB <= TEMPLATE_RSS_ALLOWANCE_MB),
					},
				]
			: []),
		{ goal: 'peak n8n RSS, 100k pull with its Data table write ≤ 600 MB', measured: `${pull.peakRssMB} MB`, met: pull.peakRssMB <= 600 },
	];
	return goals;
}

/** How far above n8n's RSS when ready a template full sync may peak, at any portal size. */
export const TEMPLATE_RSS_ALLOWANCE_MB = 150;

/** The template pulls' peaks against n8n's RSS when ready. */
export function templatePullFigures(idleRssMB: number, scaling: BenchResult['scaling'], sizes: number[]): NonNullable<BenchResult['templatePull']> {
	// A sync measured in an n8n started afresh is judged against that n8n's RSS after a small warm-up sync: the phases
	// before it leave garbage V8 may keep, which would count against the sync.
	const points = scaling
		.filter((point) => sizes.includes(point.records))
		.map((point) => ({ records: point.records, peakRssMB: point.peakRssMB, overIdleMB: round(point.peakRssMB - (point.idleRssMB ?? idleRssMB)), ...(point.idleRssMB ? { idleRssMB: point.idleRssMB } : {}) }));
	return { idleRssMB, points };
}

/** Portal sizes of the sizing table. */
export const SIZING_RECORDS = [10_000, 100_000, 300_000, 600_000, 1_000_000];

/** Records table space for `records` records at `bytesPerRecord` (MB = 2^20 bytes, as n8n counts its limit). */
export function tableMegabytes(records: number, bytesPerRecord: number): number {
	return round((records * bytesPerRecord) / 2 ** 20, 1);
}

/** Whether the cost per record stays flat from the smallest to the largest size (linear growth): within 2×. */
export function scalesLinearly(scaling: BenchResult['scaling']): boolean {
	if (scaling.length < 2) return true;
	const perRecord = scaling.map((point) => point.msPerRecord);
	return Math.max(...perRecord) <= 2 * Math.min(...perRecord);
}

/** "HTTP 429: generic text: HubSpot's message" → "HTTP 429: HubSpot's message". */
function shortError(error: string): string {
	const parts = error.split(': ');
	return parts.length > 2 ? `${parts[0]}: ${parts[parts.length - 1]}` : error;
}

const row = (cells: Array<string | number | null | undefined>) => `| ${cells.map((cell) => (cell === null || cell === undefined ? '—' : String(cell))).join(' | ')} |`;

/** BENCHMARKS.md: the latest full run's table with how to reproduce it. */
export function benchmarksPage(result: BenchResult): string {
	return `# Benchmarks\n\nWhat \`npm run bench\` measured last (bench/run.ts; goals: the package's performance targets). Each ratio is measured side by side in the same run; absolute times vary with the machine. Machine-readable: bench/results/latest.json.\n\n${markdownReport(result)}`;
}

export function markdownReport(result: BenchResult): string {
	const { meta, pull, incremental, push, bookings, deals, scaling } = result;
	const lines: string[] = [];
	lines.push(`Measured ${meta.date} on ${meta.machine}; n8n ${meta.n8nVersion} on Node ${meta.nodeVersion}; emulator latency ${meta.latencyMs} ms, limits ${meta.limits.standard.max} per ${meta.limits.standard.windowMs / 1000} s, search ${meta.limits.search.max}/s, pages ${meta.limits.listPageSize} (list) / ${meta.limits.searchPageSize} (search), batches ${meta.limits.batchSize}; n8n's heap limit ${meta.heapLimitMB ? `${meta.heapLimitMB} MB` : "Node's default"}, n8n's RSS when ready ${meta.n8nIdleRssMB} MB.`);
	lines.push(`Command: \`${meta.command}\`${meta.seconds ? ` (${Math.round(meta.seconds / 60)} min)` : ''}.`, '');
	lines.push('| figure | ours | n8n built-in / ceiling | ratio |', '| --- | --- | --- | --- |');
	lines.push(row([`full pull, ${pull.records.toLocaleString('en')} contacts × 10 properties (node alone)`, `${pull.recordsPerSecond} rec/s, ${pull.calls} calls (${pull.listPages} list + ${pull.searchPages} search pages), ${pull.http429} × 429`, `ceiling ${Math.round(pull.ceilingRecordsPerSecond)} rec/s`, `${Math.round(pull.shareOfCeiling * 100)}% of ceiling`]));
	lines.push(row([`full pull, ${pull.comparedAt.toLocaleString('en')} contacts (largest the built-in node handled)`, `${pull.oursAtComparedSize} rec/s`, pull.builtinRecordsPerSecond === null ? `failed: ${pull.builtinError}` : `${pull.builtinRecordsPerSecond} rec/s (${pull.builtinCalls} calls, ${pull.builtinHttp429} × 429)`, pull.ratioToBuiltin === null ? '—' : `${pull.ratioToBuiltin}×`]));
	lines.push(row(['built-in contact search at each size tried', '', pull.builtinProbes.map((probe) => `${probe.records.toLocaleString('en')}: ${probe.error ? `failed (${shortError(probe.error)})` : `${probe.recordsPerSecond} rec/s`}`).join('; '), '']));
	lines.push(row([`built-in contact search, ${pull.records.toLocaleString('en')} contacts`, '', pull.builtinLargest.error ? `failed: ${pull.builtinLargest.error}` : `${pull.builtinLargest.records} records`, '']));
	lines.push(row(['built-in contact "get many"', '', pull.builtinGetAll.error ? `failed: ${pull.builtinGetAll.error}` : `${pull.builtinGetAll.records} records`, '']));
	lines.push(row([`full pull through the property-sync template (with its Data table write)`, `${pull.templateRecordsPerSecond} rec/s, peak n8n RSS ${pull.peakRssMB} MB`, '', '']));
	lines.push(row([`incremental pull after changing ${incremental.changed.toLocaleString('en')} records`, `${incremental.calls} calls, ${incremental.seconds} s, ${incremental.records} records`, '', '']));
	for (const [label, figures] of [['upsert only', push], ['read before writing', push.readFirst]] as const) {
		lines.push(row([`push ${figures.records.toLocaleString('en')} contacts (half new), ${label}`, `${figures.recordsPerSecond} rec/s, ${figures.callsPer100} calls / 100, ${figures.created} created, ${figures.updated} updated, ${figures.errors} errors`, '', '']));
	}
	lines.push(row([`${bookings.count.toLocaleString('en')} bookings at ${bookings.ratePerSecond}/s`, `${bookings.meetingsCreated} meetings, ${bookings.callsPerBooking} calls/booking, p50 ${bookings.p50ms} ms, p95 ${bookings.p95ms} ms`, '', '']));
	lines.push(row([`${deals.count.toLocaleString('en')} deals: Filter Deals + Map Deal Stage`, `${deals.itemsPerSecond} items/s (nodes alone), ${deals.templateItemsPerSecond} items/s (whole template, ${deals.sent} sent)`, '', '']));
	if (result.incrementalIntoBigTable) {
		const big = result.incrementalIntoBigTable;
		lines.push(row([`incremental run: ${big.changes.toLocaleString('en')} changes into a ${big.tableRows.toLocaleString('en')}-row records table`, `${big.seconds} s, ${big.calls} HubSpot calls`, '', '']));
	}
	if (result.twoWayIncremental) {
		const twoWay = result.twoWayIncremental;
		lines.push(
			row([
				`two-way contact sync, incremental: ${twoWay.changes.toLocaleString('en')} HubSpot edits over ${twoWay.linkRows.toLocaleString('en')} links and app rows`,
				`${twoWay.seconds} s, ${twoWay.calls} HubSpot calls, peak n8n RSS ${twoWay.peakRssMB} MB (+${twoWay.rssGrowthMB}); saving its run data (${twoWay.secondsWithRunData ?? '—'} s): links saved in ${twoWay.linkWriteSeconds} s, app rows updated in ${twoWay.appWriteSeconds} s (the stand-in app: a Data table update per row), app rows and links read in ${twoWay.readSeconds} s`,
				'',
				'',
			]),
		);
	}
	if (result.dataTableBytesPerRecord) lines.push(row(['Data table space per synced record', `${result.dataTableBytesPerRecord} bytes`, '', '']));
	lines.push('', '**Scaling** (full pull through the template, Data table write included)', '', '| records | seconds | ms / record | peak RSS MB | RSS growth MB | KB / record | records table MB |', '| --- | --- | --- | --- | --- | --- | --- |');
	for (const point of scaling) lines.push(row([point.records.toLocaleString('en'), point.seconds, point.msPerRecord, point.peakRssMB, point.rssGrowthMB, point.kbPerRecord, point.tableMB]));
	if (result.dataTableBytesPerRecord) {
		lines.push('', `**Sizing** (records table space at ${result.dataTableBytesPerRecord} bytes per record, measured; n8n's default limit for all Data tables of an instance is 200 MiB, \`N8N_DATA_TABLES_MAX_SIZE_BYTES\`)`, '', '| records | MB |', '| --- | --- |');
		for (const records of SIZING_RECORDS) lines.push(row([records.toLocaleString('en'), tableMegabytes(records, result.dataTableBytesPerRecord)]));
	}
	lines.push('', '**Goals**', '', '| goal | measured | met |', '| --- | --- | --- |');
	for (const check of checkGoals(result)) lines.push(row([check.goal, check.measured, check.met ? 'yes' : '**no**']));
	lines.push(row(['cost per record grows linearly (10k → 100k)', scaling.map((point) => `${point.msPerRecord} ms`).join(' → '), scalesLinearly(scaling) ? 'yes' : '**no**']));
	return `${lines.join('\n')}\n`;
}
