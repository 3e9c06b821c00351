/**
 * Sends the smoke's operations to one side (HubSpot, or the local emulator replaying them),
 * compares what both answered, and archives what the run made.
 */
import { hubspotPaths, isSearchPath, type CrmObjectType } from '../../nodes/shared/transport/paths';
import { missingScopesOf, type Answer, type Marker, type SideState, type SmokeOperation } from './operations';
import { shapeDifferences, topShape } from './shape';

export type Sleep = (ms: number) => Promise<void>;

/** Gaps between calls to one side: well under HubSpot's 110 per 10 s and 5 searches per second. */
export interface Pacing {
	standardMs: number;
	searchMs: number;
}

/** How often a search is repeated while HubSpot's index catches up with a write, and how long apart. */
export interface Polling {
	tries: number;
	delayMs: number;
}

/** A 429 from traffic of other apps in the account is waited out this many times, then reported. */
const RATE_LIMITED_TRIES = 3;
const REQUEST_TIMEOUT_MS = 30_000;

export interface SideOutcome {
	answer?: Answer;
	/** Requests sent (more than one while waiting for the search index or out a 429). */
	tries: number;
	fact?: string;
	problem?: string;
	/** Not sent: "not needed", or which operation it needs. */
	skipped?: string;
	/** No answer at all (network), or the script's own failure. */
	error?: string;
	/** The emulator side only: requests or answers outside HubSpot's spec. */
	violations?: string[];
}

export interface SmokeRow {
	name: string;
	method: string;
	hubspot: SideOutcome;
	emulator: SideOutcome;
	/** HubSpot's side: ok, not needed, skipped, missing scope, unexpected, problem, no answer. */
	result: string;
	differences: string[];
}

export function newSideState(marker: Marker): SideState {
	const byType = () => ({ contacts: [], companies: [], deals: [], meetings: [] }) as Record<CrmObjectType, string[]>;
	return { marker, ids: {}, flags: {}, created: byType(), archived: byType(), answers: {}, passed: new Set() };
}

/** One HubSpot account (or emulator) reached over HTTP with a bearer token; the token is never printed. */
export class HttpSide {
	private lastSentAt = 0;

	constructor(
		readonly baseUrl: string,
		private readonly token: string,
		private readonly pacing: Pacing,
		private readonly sleep: Sleep,
	) {}

	async send(method: string, path: string, query?: Record<string, string | number | boolean>, body?: unknown): Promise<Answer> {
		const url = new URL(`${this.baseUrl}${path}`);
		for (const [key, value] of Object.entries(query ?? {})) url.searchParams.set(key, String(value));
		for (let attempt = 1; ; attempt++) {
			const gap = isSearchPath(path) ? this.pacing.searchMs : this.pacing.standardMs;
			const wait = this.lastSentAt + gap - Date.now();
			if (wait > 0) await this.sleep(wait);
			this.lastSentAt = Date.now();
			const response = await fetch(url, {
				method,
				headers: { authorization: `Bearer ${this.token}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
				body: body === undefined ? undefined : JSON.stringify(body),
				signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
			});
			const answer = await answerOf(response);
			if (answer.status !== 429 || attempt >= RATE_LIMITED_TRIES) return answer;
			const seconds = Number(response.headers.get('retry-after'));
			await this.sleep(Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 2_000);
		}
	}
}

async function answerOf(response: Response): Promise<Answer> {
	const text = await response.text();
	let body: unknown;
	try {
		body = text ? JSON.parse(text) : undefined;
	} catch {
		body = text;
	}
	const rateHeaders: Record<string, string> = {};
	response.headers.forEach((value, name) => {
		if (name.toLowerCase().startsWith('x-hubspot-ratelimit-')) rateHeaders[name.toLowerCase()] = value;
	});
	return { status: response.status, body, rateHeaders };
}

/** Why a request got no answer, without the request's headers (the token). */
export function networkErrorOf(error: unknown): string {
	const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
	if ((error as Error)?.name === 'TimeoutError') return `no answer within ${REQUEST_TIMEOUT_MS / 1000} s`;
	return cause?.code ?? cause?.message ?? (error as Error)?.message ?? String(error);
}

/** Runs one operation on one side: skipped, sent (repeated while the search index lags), checked. */
export async function runOn(side: HttpSide, state: SideState, operation: SmokeOperation, polling: Polling, sleep: Sleep): Promise<SideOutcome> {
	if (operation.when && !operation.when(state)) return { tries: 0, skipped: 'not needed' };
	const missing = operation.dependsOn?.find((name) => !state.passed.has(name));
	if (missing) return { tries: 0, skipped: `needs "${missing}"` };
	let answer: Answer | undefined;
	let tries = 0;
	try {
		const path = operation.path(state);
		const query = operation.query?.(state);
		const body = operation.body?.(state);
		// Bounded: at most polling.tries sends (each already bounded for 429s).
		while (tries < Math.max(1, polling.tries)) {
			answer = await side.send(operation.method, path, query, body);
			tries++;
			if (!operation.until || answer.status >= 300 || operation.until(answer, state)) break;
			if (tries < polling.tries) await sleep(polling.delayMs);
		}
	} catch (error) {
		return { tries, error: networkErrorOf(error) };
	}
	const received = answer!;
	state.answers[operation.name] = received;
	if (!operation.expect.includes(received.status)) return { answer: received, tries };
	state.passed.add(operation.name);
	try {
		operation.keep?.(received, state);
		return { answer: received, tries, ...(operation.check?.(received, state) ?? {}) };
	} catch (error) {
		return { answer: received, tries, problem: `the smoke could not read the answer (${(error as Error).message})` };
	}
}

function messageOf(answer: Answer): string {
	const body = answer.body as { message?: unknown; category?: unknown } | undefined;
	const message = typeof body?.message === 'string' ? body.message : '';
	const category = typeof body?.category === 'string' ? body.category : '';
	const text = [category, message.length > 140 ? `${message.slice(0, 140)}…` : message].filter(Boolean).join(': ');
	return text ? ` (${text})` : '';
}

/** HubSpot's side of a row in a word or a sentence. */
export function resultOf(operation: SmokeOperation, outcome: SideOutcome): string {
	if (outcome.skipped) return outcome.skipped === 'not needed' ? 'not needed' : `skipped: ${outcome.skipped}`;
	if (outcome.error || !outcome.answer) return `no answer: ${outcome.error ?? 'unknown'}`;
	const scopes = missingScopesOf(outcome.answer);
	if (scopes) return `missing scope: ${scopes.length ? scopes.join(' or ') : 'see HubSpot’s answer'} (add it to the service key)`;
	if (!operation.expect.includes(outcome.answer.status)) return `unexpected ${outcome.answer.status}${messageOf(outcome.answer)}`;
	return outcome.problem ? `problem: ${outcome.problem}` : 'ok';
}

/** A row passes when HubSpot answered as expected (or the operation was not needed). */
export const passes = (row: SmokeRow): boolean => row.result === 'ok' || row.result === 'not needed';

function brief(outcome: SideOutcome): string {
	if (outcome.skipped) return `not sent (${outcome.skipped})`;
	if (outcome.error || !outcome.answer) return `no answer (${outcome.error ?? 'unknown'})`;
	return String(outcome.answer.status);
}

const headerNames = (answer: Answer) => Object.keys(answer.rateHeaders).sort().join(', ') || 'none';

/** What differs between HubSpot's answer and the emulator's to the same request. */
export function differencesOf(operation: SmokeOperation, hubspot: SideOutcome, emulator: SideOutcome): string[] {
	const differences: string[] = [];
	if (!hubspot.answer || !emulator.answer) {
		if (brief(hubspot) !== brief(emulator)) differences.push(`HubSpot ${brief(hubspot)}, emulator ${brief(emulator)}`);
	} else if (hubspot.answer.status !== emulator.answer.status) {
		differences.push(`status: HubSpot ${hubspot.answer.status}, emulator ${emulator.answer.status}`);
	} else {
		differences.push(...shapeDifferences(hubspot.answer.body, emulator.answer.body, operation.ignoreShape));
		if (headerNames(hubspot.answer) !== headerNames(emulator.answer)) differences.push(`rate-limit headers: HubSpot ${headerNames(hubspot.answer)}; emulator ${headerNames(emulator.answer)}`);
	}
	if ((hubspot.fact ?? '') !== (emulator.fact ?? '')) differences.push(`HubSpot "${hubspot.fact ?? '—'}", emulator "${emulator.fact ?? '—'}"`);
	if ((hubspot.problem ?? '') !== (emulator.problem ?? '')) differences.push(`problem: HubSpot "${hubspot.problem ?? 'none'}", emulator "${emulator.problem ?? 'none'}"`);
	for (const violation of emulator.violations ?? []) differences.push(`emulator contract: ${violation}`);
	return differences;
}

/** The answer as the table shows it: status, top-level shape, what the check found, how many tries. */
export function cellOf(outcome: SideOutcome): string {
	if (outcome.skipped || outcome.error || !outcome.answer) return brief(outcome);
	const parts = [`${outcome.answer.status} ${topShape(outcome.answer.body)}`];
	if (outcome.fact) parts.push(outcome.fact);
	if (outcome.tries > 1) parts.push(`${outcome.tries} tries`);
	return parts.join(' · ');
}

const ARCHIVE_ORDER: CrmObjectType[] = ['meetings', 'deals', 'companies', 'contacts'];

/**
 * Archives every record the run made that is not archived yet (after a failure mid-run, or when an
 * archive operation did not run), 100 per call. Answers one line per type that could not be archived.
 */
export async function archiveLeftovers(side: HttpSide, state: SideState): Promise<{ archived: number; failures: string[] }> {
	let archived = 0;
	const failures: string[] = [];
	for (const type of ARCHIVE_ORDER) {
		const left = state.created[type].filter((id) => !state.archived[type].includes(id));
		for (let start = 0; start < left.length; start += 100) {
			const ids = left.slice(start, start + 100);
			try {
				const answer = await side.send('POST', hubspotPaths.batch(type, 'archive'), undefined, { inputs: ids.map((id) => ({ id })) });
				if (answer.status === 204) {
					state.archived[type].push(...ids);
					archived += ids.length;
				} else failures.push(`${type} ${ids.join(', ')}: HubSpot answered ${answer.status}${messageOf(answer)}`);
			} catch (error) {
				failures.push(`${type} ${ids.join(', ')}: ${networkErrorOf(error)}`);
			}
		}
	}
	return { archived, failures };
}

/** How many records of each type the run made and archived, e.g. "3 contacts, 1 companies". */
export function madeSummary(state: SideState): string {
	const parts = ARCHIVE_ORDER.slice()
		.reverse()
		.map((type) => ({ type, made: state.created[type].length, archived: state.created[type].filter((id) => state.archived[type].includes(id)).length }))
		.filter((entry) => entry.made)
		.map((entry) => `${entry.archived}/${entry.made} ${entry.type}`);
	return parts.join(', ') || 'nothing';
}
