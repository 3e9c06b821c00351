/**
 * `npm run smoke:hubspot`: every HubSpot operation the nodes call, once, against a real HubSpot
 * account, each request replayed on the local emulator, and one table of what both answered.
 *
 *   HUBSPOT_SMOKE_TOKEN=<service key of a developer test account> npm run smoke:hubspot
 *   HUBSPOT_SMOKE_BASE_URL=http://127.0.0.1:4010 HUBSPOT_SMOKE_TOKEN=emulator-service-key npm run smoke:hubspot
 *
 * Records are made under a marker (emails n8n-smoke-<stamp>-n@example.com, names "n8n smoke <stamp>",
 * the meeting's booking id n8n-smoke-<stamp>) and archived afterwards, also after a failure. Two
 * properties (n8n_smoke_tags on contacts, n8n_smoke_booking_id on meetings, group n8n_sync) are made
 * once and reused. Without a token nothing is sent. See README → Development and docs/hubspot-fidelity.md.
 */
import { DEFAULT_SERVICE_KEY, HubSpotEmulator, makePropertyDef, seedCrm, type ObjectType } from '../test/hubspot-emulator';
import { hubspotPaths } from '../nodes/shared/transport/paths';
import {
	markerOf,
	NOT_RUN,
	SMOKE_CONTACT_PROPERTY,
	SMOKE_GROUP,
	SMOKE_MEETING_PROPERTY,
	SMOKE_OPERATIONS,
	type SideState,
	type SmokeOperation,
} from './smoke/operations';
import {
	archiveLeftovers,
	cellOf,
	differencesOf,
	HttpSide,
	madeSummary,
	newSideState,
	passes,
	resultOf,
	runOn,
	type Pacing,
	type Polling,
	type Sleep,
	type SmokeRow,
} from './smoke/run';

export const DEFAULT_BASE_URL = 'https://api.hubapi.com';

export const NO_TOKEN_MESSAGE =
	'HUBSPOT_SMOKE_TOKEN is not set, so nothing was sent: set it to a service key of a HubSpot developer test account (optionally HUBSPOT_SMOKE_BASE_URL, default https://api.hubapi.com); README → Development → "Checking against a real HubSpot account" explains it.';

/** Account types whose data a smoke may write to; others need HUBSPOT_SMOKE_ANY_ACCOUNT=yes. */
const TEST_ACCOUNT_TYPES = new Set(['DEVELOPER_TEST', 'SANDBOX']);

export interface SmokeOptions {
	env?: Record<string, string | undefined>;
	/** Where the output lines go (console.log). */
	write?: (line: string) => void;
	pacing?: Pacing;
	polling?: Polling;
	sleep?: Sleep;
	now?: () => number;
	/** Aborting stops after the current operation; what was made is still archived. */
	signal?: AbortSignal;
}

export interface SmokeResult {
	exitCode: number;
	rows: SmokeRow[];
	/** The run's marker (`n8n-smoke-<stamp>`), when it ran. */
	tag?: string;
	cleanupFailures: string[];
}

const isLoopback = (url: URL) => ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);

/** The token travels in a header: only over HTTPS, or plain HTTP to this machine (the emulator). */
function baseUrlProblem(baseUrl: string): string | undefined {
	let url: URL;
	try {
		url = new URL(baseUrl);
	} catch {
		return `HUBSPOT_SMOKE_BASE_URL "${baseUrl}" is not a URL: use e.g. https://api.hubapi.com or http://127.0.0.1:4010.`;
	}
	if (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url))) return undefined;
	return `HUBSPOT_SMOKE_BASE_URL "${baseUrl}" is neither https nor this machine: the token would travel unencrypted. Use https, or http://127.0.0.1:<port> for the emulator.`;
}

/**
 * The emulator the requests are replayed on: started in-process, seeded minimally (two unrelated
 * contacts and a company, as a test account has sample records, an owner and a team), with room
 * for the smoke's few dozen calls.
 */
async function startReplayEmulator(): Promise<{ emulator: HubSpotEmulator; url: string }> {
	const emulator = new HubSpotEmulator({ limits: { standard: { max: 10_000, windowMs: 10_000 }, search: { max: 1_000, windowMs: 1_000 } } });
	seedCrm(emulator.store, { contacts: 2, companies: 1, owners: 1, teams: 1 });
	const url = await emulator.start();
	return { emulator, url };
}

/**
 * The smoke's properties are reused between runs: whatever of them HubSpot already has, the
 * emulator is given too, so that both answer the property operations alike on a second run.
 */
async function mirrorSmokeProperties(hubspot: HttpSide, emulator: HubSpotEmulator): Promise<void> {
	for (const [type, name] of [['contacts', SMOKE_CONTACT_PROPERTY], ['meetings', SMOKE_MEETING_PROPERTY]] as Array<[ObjectType, string]>) {
		const groups = await hubspot.send('GET', hubspotPaths.propertyGroups(type));
		const group = ((groups.body as { results?: Array<{ name?: string; label?: string }> })?.results ?? []).find((entry) => entry.name === SMOKE_GROUP.name);
		if (groups.status === 200 && group) emulator.store.groups.get(type)!.set(SMOKE_GROUP.name, { name: SMOKE_GROUP.name, label: group.label ?? SMOKE_GROUP.label, displayOrder: -1, archived: false });
		const property = await hubspot.send('GET', hubspotPaths.property(type, name));
		if (property.status !== 200) continue;
		const found = property.body as Record<string, unknown>;
		const pick = (key: string) => (found[key] === undefined ? {} : { [key]: found[key] });
		const definition = makePropertyDef({ name, ...pick('label'), ...pick('type'), ...pick('fieldType'), ...pick('groupName'), ...pick('options'), ...pick('hasUniqueValue'), ...pick('formField'), ...pick('description') } as never, emulator.store.iso());
		if (!emulator.store.groups.get(type)!.has(definition.groupName)) emulator.store.groups.get(type)!.set(definition.groupName, { name: definition.groupName, label: definition.groupName, displayOrder: -1, archived: false });
		emulator.store.properties.get(type)!.set(name, definition);
	}
}

/** After the account details: whether to go on, and if not, why (one line). */
function stopReason(row: SmokeRow, baseUrl: string, env: Record<string, string | undefined>): string | undefined {
	const { answer, error } = row.hubspot;
	if (error || !answer) return `No answer from ${baseUrl} (${error ?? 'unknown'}): check HUBSPOT_SMOKE_BASE_URL and the network.`;
	if (answer.status === 401) return `HubSpot refused the token (401): check HUBSPOT_SMOKE_TOKEN (a service key of the test account, not expired or rotated). Nothing was written.`;
	if (answer.status !== 200) return undefined;
	const accountType = String((answer.body as { accountType?: unknown })?.accountType ?? 'unknown');
	if (TEST_ACCOUNT_TYPES.has(accountType) || isLoopback(new URL(baseUrl)) || env.HUBSPOT_SMOKE_ANY_ACCOUNT === 'yes') return undefined;
	return `The account is of type ${accountType}, not a developer test account or sandbox: nothing was written. Use a test account's service key, or set HUBSPOT_SMOKE_ANY_ACCOUNT=yes to write marked records (archived afterwards) to this account anyway.`;
}

function collectViolations(emulator: HubSpotEmulator, from: number): string[] {
	return emulator.contract.violations.slice(from).map((violation) => `${violation.direction} ${violation.operation}: ${violation.errors.slice(0, 2).join('; ')}`);
}

const escapeCell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const MAX_DIFFERENCES_SHOWN = 6;

export function renderTable(rows: SmokeRow[]): string[] {
	const lines = ['| operation | HubSpot | emulator | result | differences |', '| --- | --- | --- | --- | --- |'];
	for (const row of rows) {
		const shown = row.differences.slice(0, MAX_DIFFERENCES_SHOWN);
		const more = row.differences.length - shown.length;
		const differences = row.differences.length ? `${shown.join('; ')}${more > 0 ? `; +${more} more` : ''}` : 'none';
		lines.push(`| ${[`${row.method} ${row.name}`, cellOf(row.hubspot), cellOf(row.emulator), row.result, differences].map(escapeCell).join(' | ')} |`);
	}
	return lines;
}

/** Rate-limit headers HubSpot sent, with the last value of each (limits are not secrets). */
function rateHeaderSummary(rows: SmokeRow[]): string {
	const seen = new Map<string, string>();
	const searchWithout = rows.filter((row) => /search/.test(row.name) && row.hubspot.answer && !Object.keys(row.hubspot.answer.rateHeaders).length).length;
	for (const row of rows) for (const [name, value] of Object.entries(row.hubspot.answer?.rateHeaders ?? {})) seen.set(name, value);
	const listed = [...seen.entries()].sort().map(([name, value]) => `${name}=${value}`).join(', ');
	return `Rate-limit headers from HubSpot: ${listed || 'none'}${searchWithout ? ` (none on ${searchWithout} search answer(s))` : ''}.`;
}

interface Both<T> {
	hubspot: T;
	emulator: T;
}

/** One operation on HubSpot, then the same request on the emulator, compared. */
async function runRow(operation: SmokeOperation, sides: Both<HttpSide>, states: Both<SideState>, replay: HubSpotEmulator, polling: Polling, sleep: Sleep): Promise<SmokeRow> {
	const hubspot = await runOn(sides.hubspot, states.hubspot, operation, polling, sleep);
	const before = replay.contract.violations.length;
	// The emulator answers at once: no need to wait for an index there.
	const emulator = await runOn(sides.emulator, states.emulator, operation, { tries: polling.tries, delayMs: 0 }, sleep);
	emulator.violations = collectViolations(replay, before);
	return { name: operation.name, method: operation.method, hubspot, emulator, result: resultOf(operation, hubspot), differences: differencesOf(operation, hubspot, emulator) };
}

export async function main(options: SmokeOptions = {}): Promise<SmokeResult> {
	const env = options.env ?? process.env;
	const write = options.write ?? ((line: string) => console.log(line));
	const token = env.HUBSPOT_SMOKE_TOKEN?.trim();
	if (!token) {
		write(NO_TOKEN_MESSAGE);
		return { exitCode: 0, rows: [], cleanupFailures: [] };
	}
	const baseUrl = (env.HUBSPOT_SMOKE_BASE_URL?.trim() || DEFAULT_BASE_URL).replace(/\/+$/, '');
	const refused = baseUrlProblem(baseUrl);
	if (refused) {
		write(refused);
		return { exitCode: 2, rows: [], cleanupFailures: [] };
	}
	const sleep: Sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
	const polling = options.polling ?? { tries: 8, delayMs: 2_500 };
	const marker = markerOf((options.now ?? Date.now)());
	const replay = await startReplayEmulator();
	const sides: Both<HttpSide> = {
		hubspot: new HttpSide(baseUrl, token, options.pacing ?? { standardMs: 150, searchMs: 250 }, sleep),
		emulator: new HttpSide(replay.url, DEFAULT_SERVICE_KEY, { standardMs: 0, searchMs: 0 }, sleep),
	};
	const states: Both<SideState> = { hubspot: newSideState(marker), emulator: newSideState(marker) };
	const rows: SmokeRow[] = [];
	let stopped: string | undefined;
	let cleanup: Awaited<ReturnType<typeof archiveLeftovers>> = { archived: 0, failures: [] };
	try {
		for (const operation of SMOKE_OPERATIONS) {
			if (options.signal?.aborted) {
				stopped = 'Interrupted: the remaining operations were not sent.';
				break;
			}
			const row = await runRow(operation, sides, states, replay.emulator, polling, sleep);
			rows.push(row);
			if (operation !== SMOKE_OPERATIONS[0]) continue;
			stopped = stopReason(row, baseUrl, env);
			if (stopped) break;
			// Best effort: without it a second run only shows the property operations differing.
			await mirrorSmokeProperties(sides.hubspot, replay.emulator).catch(() => undefined);
		}
	} finally {
		cleanup = await archiveLeftovers(sides.hubspot, states.hubspot);
		await archiveLeftovers(sides.emulator, states.emulator).catch(() => undefined);
		await replay.emulator.stop();
	}
	const accountType = String((rows[0]?.hubspot.answer?.body as { accountType?: unknown } | undefined)?.accountType ?? 'unknown');
	write(`HubSpot smoke ${new Date(marker.stamp).toISOString()} against ${baseUrl} (account type ${accountType}), each request replayed on the emulator; records marked ${marker.tag}.`);
	write('');
	for (const line of renderTable(rows)) write(line);
	write('');
	write(rateHeaderSummary(rows));
	write(`Not run: ${NOT_RUN.join('; ')}.`);
	write(`Made and archived in HubSpot: ${madeSummary(states.hubspot)}.`);
	for (const failure of cleanup.failures) write(`Could not archive ${failure}: archive these by hand (they carry the marker ${marker.tag}).`);
	const failing = rows.filter((row) => !passes(row)).length;
	const differing = rows.filter((row) => row.differences.length).length;
	if (stopped) write(stopped);
	else if (!failing && !differing && !cleanup.failures.length) write(`All ${rows.length} operations answered as expected, with no difference from the emulator.`);
	else write(`${failing} of ${rows.length} operations did not answer as expected and ${differing} differ from the emulator: see the table, and record the run in docs/hubspot-fidelity.md.`);
	const exitCode = stopped || failing || differing || cleanup.failures.length ? 1 : 0;
	return { exitCode, rows, tag: marker.tag, cleanupFailures: cleanup.failures };
}

if (require.main === module) {
	const controller = new AbortController();
	process.once('SIGINT', () => controller.abort());
	main({ signal: controller.signal }).then(
		(result) => {
			process.exitCode = result.exitCode;
		},
		(error: Error) => {
			console.error(`The smoke stopped: ${error.message}`);
			process.exitCode = 2;
		},
	);
}
