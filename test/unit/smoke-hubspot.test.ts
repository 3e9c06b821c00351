/**
 * `npm run smoke:hubspot` pointed at the emulator: the script itself is tested here, in CI, with
 * the emulator standing in for HubSpot (and the script replaying each request on its own emulator).
 */
import { DEFAULT_SERVICE_KEY, type EmulatorOptions } from '../hubspot-emulator';
import { seedCrm } from '../hubspot-emulator/seed';
import { startEmulator, type RunningEmulator } from '../support/emulator';
import { main, NO_TOKEN_MESSAGE, type SmokeOptions } from '../../scripts/smoke-hubspot';
import { SMOKE_MEETING_PROPERTY, SMOKE_OPERATIONS } from '../../scripts/smoke/operations';
import { shapeDifferences, topShape } from '../../scripts/smoke/shape';

const ROOMY_LIMITS: EmulatorOptions['limits'] = { standard: { max: 10_000, windowMs: 10_000 }, search: { max: 1_000, windowMs: 1_000 } };

let hs: RunningEmulator | undefined;
afterEach(async () => {
	await hs?.stop();
	hs = undefined;
});

async function targetEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
	hs = await startEmulator({ limits: ROOMY_LIMITS, ...options });
	// Like a test account's sample records: data the smoke must not mistake for its own.
	seedCrm(hs.emulator.store, { contacts: 2, companies: 1, owners: 1, teams: 1 });
	return hs;
}

/** Runs the smoke against the emulator at full speed (no pacing, no waiting for an index). */
async function smoke(target: RunningEmulator, extra: Partial<SmokeOptions> = {}) {
	const lines: string[] = [];
	const result = await main({
		env: { HUBSPOT_SMOKE_TOKEN: DEFAULT_SERVICE_KEY, HUBSPOT_SMOKE_BASE_URL: target.url },
		write: (line) => lines.push(line),
		pacing: { standardMs: 0, searchMs: 0 },
		polling: { tries: 2, delayMs: 0 },
		...extra,
	});
	return { ...result, output: lines.join('\n') };
}

/** Records carrying the run's marker that the emulator still holds unarchived, by type (its admin API). */
async function unarchivedMarked(target: RunningEmulator, tag: string): Promise<Record<string, number>> {
	const name = tag.replace(/-/g, ' ');
	const marked: Record<string, (properties: Record<string, string | null>) => boolean> = {
		contacts: (p) => String(p.email ?? '').startsWith(tag),
		companies: (p) => p.name === name,
		deals: (p) => p.dealname === name,
		meetings: (p) => p[SMOKE_MEETING_PROPERTY] === tag || String(p.hs_meeting_title ?? '').startsWith(name),
	};
	const counts: Record<string, number> = {};
	for (const [type, isMarked] of Object.entries(marked)) {
		const response = await fetch(`${target.url}/_emulator/objects/${type}`);
		const { results } = (await response.json()) as { results: Array<{ properties: Record<string, string | null> }> };
		counts[type] = results.filter((record) => isMarked(record.properties)).length;
	}
	return counts;
}

/** Marked records the emulator holds archived, by type (straight from its store). */
function archivedMarked(target: RunningEmulator, tag: string): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const type of ['contacts', 'companies', 'deals', 'meetings'] as const) {
		counts[type] = [...target.emulator.store.table(type).values()].filter((record) => record.archived && Object.values(record.properties).some((value) => String(value ?? '').includes(tag.replace(/-/g, ' ')) || String(value ?? '').startsWith(tag))).length;
	}
	return counts;
}

const NOTHING_LEFT = { contacts: 0, companies: 0, deals: 0, meetings: 0 };

it('without a token says what to set and exits 0, sending nothing', async () => {
	const lines: string[] = [];
	const result = await main({ env: {}, write: (line) => lines.push(line) });
	expect(result.exitCode).toBe(0);
	expect(lines).toEqual([NO_TOKEN_MESSAGE]);
	expect(lines[0]).toMatch(/HUBSPOT_SMOKE_TOKEN/);
	expect(lines[0]).toMatch(/README/);
	expect(result.rows).toEqual([]);
});

it('runs cleanly against the emulator: every operation, each ok, no difference, everything archived', async () => {
	const target = await targetEmulator();
	const result = await smoke(target);
	expect(result.rows.map((row) => row.name)).toEqual(SMOKE_OPERATIONS.map((operation) => operation.name));
	const notOk = result.rows.filter((row) => row.result !== 'ok' || row.differences.length).map((row) => `${row.name}: ${row.result}; ${row.differences.join('; ')}`);
	expect(notOk).toEqual([]);
	expect(result.exitCode).toBe(0);
	expect(result.output).toContain('| operation | HubSpot | emulator | result | differences |');
	expect(result.output).not.toContain(DEFAULT_SERVICE_KEY);
	expect(await unarchivedMarked(target, result.tag!)).toEqual(NOTHING_LEFT);
	expect(archivedMarked(target, result.tag!)).toEqual({ contacts: 3, companies: 1, deals: 1, meetings: 2 });
	// The sample records were left alone.
	expect([...target.emulator.store.table('contacts').values()].filter((record) => !record.archived)).toHaveLength(2);
});

it('a second run reuses the smoke’s properties and still shows no difference', async () => {
	const target = await targetEmulator();
	await smoke(target);
	const again = await smoke(target);
	expect(again.rows.find((row) => row.name === 'contacts property create')?.hubspot.answer?.status).toBe(409);
	expect(again.rows.filter((row) => row.differences.length)).toEqual([]);
	expect(again.exitCode).toBe(0);
});

it('shows where HubSpot answers otherwise than the emulator (unique values kept on meetings)', async () => {
	const target = await targetEmulator({ meetingUniqueValues: 'enforce' });
	const result = await smoke(target);
	const row = (name: string) => result.rows.find((candidate) => candidate.name === name)!;
	expect(row('meetings property read (hasUniqueValue)').differences).toContain('HubSpot "hasUniqueValue true", emulator "hasUniqueValue false"');
	expect(row('meeting create again, same booking id').differences).toContain('status: HubSpot 409, emulator 201');
	expect(row('meeting create again, same booking id').result).toBe('ok');
	expect(result.exitCode).toBe(1);
	expect(await unarchivedMarked(target, result.tag!)).toEqual(NOTHING_LEFT);
});

it('reports a scope the service key lacks as such, runs the rest and cleans up', async () => {
	const scopes = ['crm.objects.contacts.read', 'crm.objects.contacts.write', 'crm.objects.companies.read', 'crm.objects.companies.write', 'crm.objects.deals.read', 'crm.objects.deals.write', 'crm.objects.owners.read', 'crm.schemas.contacts.read', 'crm.schemas.deals.read', 'settings.users.teams.read', 'oauth'];
	const target = await targetEmulator({ tokenScopes: { [DEFAULT_SERVICE_KEY]: scopes } });
	const result = await smoke(target);
	const create = result.rows.find((row) => row.name === 'contacts property create')!;
	expect(create.hubspot.answer?.status).toBe(403);
	expect(create.result).toMatch(/^missing scope: \S+.*\(add it to the service key\)$/);
	expect(result.rows.find((row) => row.name === 'contacts property update (options)')!.result).toBe('skipped: needs "contacts property create"');
	expect(result.rows.find((row) => row.name === 'contacts batch upsert by email')!.result).toBe('ok');
	expect(result.exitCode).toBe(1);
	expect(await unarchivedMarked(target, result.tag!)).toEqual(NOTHING_LEFT);
});

it('archives what it made when an operation fails mid-run', async () => {
	// The archive call loses its connection: the final clean-up archives the contacts instead.
	const target = await targetEmulator({ faults: { script: [{ match: '^POST /crm/objects/2026-03/contacts/batch/archive$', reset: 'before' }] } });
	const result = await smoke(target);
	expect(result.rows.find((row) => row.name === 'contacts batch archive')!.result).toMatch(/^no answer/);
	expect(result.rows.find((row) => row.name === 'contacts search after archive')!.result).toBe('skipped: needs "contacts batch archive"');
	expect(result.exitCode).toBe(1);
	expect(result.cleanupFailures).toEqual([]);
	expect(await unarchivedMarked(target, result.tag!)).toEqual(NOTHING_LEFT);
});

it('archives what it made when it is interrupted', async () => {
	const target = await targetEmulator();
	const controller = new AbortController();
	// Interrupted as soon as the contacts exist (Ctrl-C in a terminal).
	const watch = setInterval(() => {
		if ([...target.emulator.store.table('contacts').values()].some((record) => String(record.properties.email).startsWith('n8n-smoke-'))) controller.abort();
	}, 1);
	const result = await smoke(target, { signal: controller.signal }).finally(() => clearInterval(watch));
	expect(result.rows.length).toBeLessThan(SMOKE_OPERATIONS.length);
	expect(result.output).toContain('Interrupted');
	expect(result.exitCode).toBe(1);
	expect(await unarchivedMarked(target, result.tag!)).toEqual(NOTHING_LEFT);
	expect(archivedMarked(target, result.tag!).contacts).toBe(3);
});

describe('answer shapes', () => {
	const record = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ id: '1', properties, archived: false, ...extra });

	it('compares keys and types, never values', () => {
		const hubspot = { results: [record({ email: 'a@example.com', company: null }, { url: 'https://app.hubspot.com/x' })] };
		const emulator = { results: [record({ email: 'b@example.org' })] };
		expect(shapeDifferences(hubspot, emulator)).toEqual(['results[].properties.company: HubSpot null, emulator absent', 'results[].url: HubSpot string, emulator absent']);
		expect(topShape(hubspot)).toBe('{results:arr}');
		expect(JSON.stringify(shapeDifferences(hubspot, emulator))).not.toMatch(/example|hubspot\.com/);
	});

	it('leaves out what depends on the account’s data: empty lists and ignored parts', () => {
		expect(shapeDifferences({ results: [] }, { results: [record({ email: 'x' })] })).toEqual([]);
		expect(shapeDifferences({ results: [], paging: { next: { after: '2' } } }, { results: [] }, ['paging'])).toEqual([]);
		expect(shapeDifferences({ total: 1 }, { total: '1' })).toEqual(['total: HubSpot number, emulator string']);
	});
});

it('refuses to send the token unencrypted to another machine', async () => {
	const lines: string[] = [];
	const result = await main({ env: { HUBSPOT_SMOKE_TOKEN: 'secret-token', HUBSPOT_SMOKE_BASE_URL: 'http://hubspot.example.com' }, write: (line) => lines.push(line) });
	expect(result.exitCode).toBe(2);
	expect(lines.join('\n')).toMatch(/unencrypted/);
	expect(lines.join('\n')).not.toContain('secret-token');
});
