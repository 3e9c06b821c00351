/**
 * `npm run bench -- --quick` at tiny sizes, so the benchmark cannot rot between full runs: every
 * phase runs in the real n8n, n8n's built-in HubSpot node reaches the emulator over TLS, and the
 * machine-readable result has issue 9's keys with figures that follow from the sizes (calls and
 * counts, never times).
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { REPO_ROOT } from '../../scripts/n8n-runtime';

jest.setTimeout(900_000);

let result: any;
let markdown: string;
beforeAll(async () => {
	const args = ['tsx', 'bench/run.ts', '--quick', '--sizes', '1000,2000', '--push', '200', '--bookings', '10', '--deals', '200', '--big', '3000'];
	const output = await new Promise<string>((resolve, reject) =>
		execFile('npx', args, { cwd: REPO_ROOT, timeout: 800_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stdout.slice(-3000)}\n${stderr.slice(-3000)}`)) : resolve(stdout))),
	);
	console.log(output.split('\n').filter((line) => line.startsWith('[bench')).join('\n'));
	result = JSON.parse(readFileSync(path.join(REPO_ROOT, 'bench/results/quick.json'), 'utf8'));
	markdown = readFileSync(path.join(REPO_ROOT, 'bench/results/quick.md'), 'utf8');
});

it('writes every figure as a number', () => {
	const numbers = ['pull.records', 'pull.recordsPerSecond', 'pull.ceilingRecordsPerSecond', 'pull.callsPer100', 'pull.http429Share', 'pull.peakRssMB', 'incremental.changed', 'incremental.calls', 'push.callsPer100', 'push.recordsPerSecond', 'bookings.count', 'bookings.meetingsCreated', 'bookings.callsPerBooking', 'bookings.p50ms', 'bookings.p95ms', 'deals.itemsPerSecond', 'incrementalIntoBigTable.changes', 'incrementalIntoBigTable.tableRows', 'incrementalIntoBigTable.seconds', 'incrementalIntoBigTable.calls', 'dataTableBytesPerRecord', 'templatePull.idleRssMB', 'twoWayIncremental.seconds', 'twoWayIncremental.linkWriteSeconds', 'twoWayIncremental.appWriteSeconds', 'twoWayIncremental.peakRssMB'];
	for (const key of numbers) {
		const value = key.split('.').reduce((object, part) => object?.[part], result);
		expect([key, typeof value]).toEqual([key, 'number']);
	}
	expect(result.pull.builtinRecordsPerSecond === null ? typeof result.pull.builtinError : typeof result.pull.builtinRecordsPerSecond).toMatch(/number|string/);
	expect(result.meta).toMatchObject({ n8nVersion: '2.41.1', latencyMs: 100, limits: { standard: { max: 110, windowMs: 10_000 }, search: { max: 5 } } });
	expect(result.meta.nodeVersion).toMatch(/^24\./);
});

it("n8n's built-in node reached the emulator as api.hubapi.com: its legacy list endpoint is answered 404, its searches were counted", () => {
	expect(result.pull.builtinGetAll.error).toContain('HTTP 404');
	expect(result.pull.builtinGetAll.error).toContain('/contacts/v1/lists/all/contacts/all');
	expect(result.pull.builtinProbes.map((probe: { records: number }) => probe.records)).toEqual([500, 1000]);
	for (const probe of result.pull.builtinProbes) expect(probe.calls).toBeGreaterThanOrEqual(5);
});

it('pull, incremental, push, bookings and deals did exactly the work their sizes imply', () => {
	expect(result.pull).toMatchObject({ records: 2000, errorsSurfaced: 0 });
	expect(result.pull.callsPer100).toBeLessThanOrEqual(1.01);
	// The last full sync (--big) comes after the incremental one, on a bigger portal.
	expect(result.scaling.map((point: { records: number }) => point.records)).toEqual([1000, 2000, 3000]);
	expect(result.templatePull.points.map((point: { records: number }) => point.records)).toEqual([2000, 3000]);
	// Each is measured in an n8n started afresh and warmed up, against that n8n's RSS.
	for (const point of result.templatePull.points) expect(point.overIdleMB).toBe(Math.round(point.peakRssMB - point.idleRssMB));
	for (const point of result.templatePull.points) expect(point.idleRssMB).toBeGreaterThan(0);
	expect(result.incremental).toMatchObject({ changed: 20, records: 20 });
	expect(result.incremental.calls).toBeLessThanOrEqual(4);
	// 200 contacts: 1 definitions call + 2 upserts; reading first adds 2 batch reads.
	expect(result.push).toMatchObject({ records: 200, created: 100, updated: 100, errors: 0, calls: 3 });
	expect(result.push.readFirst).toMatchObject({ records: 200, created: 100, updated: 100, errors: 0, calls: 5 });
	expect(result.bookings).toMatchObject({ count: 10, meetingsCreated: 10, callsPerBooking: 2, failed: 0 });
	// The two-way incremental run: 1% of the 2,000 linked contacts edited, their app rows updated and links saved (the
	// run checks both counts); HubSpot calls: its pull and Reconcile's definitions, no write.
	expect(result.twoWayIncremental).toMatchObject({ changes: 20, linkRows: 2000 });
	expect(result.twoWayIncremental.calls).toBeLessThanOrEqual(4);
	expect(result.deals.count).toBe(200);
	expect(result.deals.sent).toBeGreaterThan(0);
});

it('the Markdown table shows the figures and judges every goal', () => {
	expect(markdown).toContain('Command: `npm run bench -- --quick --sizes 1000,2000');
	expect(markdown).toContain('built-in contact "get many"');
	expect((markdown.match(/\| (yes|\*\*no\*\*) \|$/gm) ?? []).length).toBe(13);
	expect(result.dataTableBytesPerRecord).toBeGreaterThan(100);
	expect(result.incrementalIntoBigTable).toMatchObject({ changes: result.incremental.changed, tableRows: 2000 + 10 });
	expect(markdown).toContain('**Sizing**');
});
