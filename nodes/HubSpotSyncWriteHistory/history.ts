/**
 * Pure logic of the sync history: what an item means (success, skip, error and its code), the
 * normalized row, the record-link rules (first error only, disable and re-enable), the pause after
 * repeated authentication failures, and secret stripping. No I/O: state comes in and goes out as
 * data.
 */
import { randomBytes } from 'crypto';

import type { LinkState } from '../shared/links';

import { CATALOG, isHistoryCode, type HistoryCode, type Language } from './catalog';

export interface ItemOutcome {
	code: HistoryCode;
	status: 'success' | 'skip' | 'error';
	/** The node's own explanation of this item (reason, error message), if any. */
	detail?: string;
	/** Remedy details from the node (e.g. which field to fix). */
	detailRemedy?: string;
	hubspotMessage?: string;
	correlationId?: string;
	attempts?: number;
	/**
	 * Explicit link instruction from an upstream node (Filter Deals): disable or enable the record's
	 * link.
	 */
	linkAction?: 'disable' | 'enable';
}

export interface HistoryRow {
	historyId: string;
	runId: string;
	timestamp: string;
	direction: string;
	objectType: string;
	hubspotId: string;
	targetId: string;
	accountLabel: string;
	status: ItemOutcome['status'];
	code: HistoryCode;
	message: string;
	remedy: string;
	hubspotMessage: string;
	correlationId: string;
	attempts: number;
	firstError: boolean;
}

export interface LinkUpdate {
	hubspotId: string;
	targetId: string;
	objectType: string;
	enabled: boolean;
	disabledReason: string;
	code: HistoryCode;
	updatedAt: string;
}

export interface PauseState {
	integration: string;
	consecutiveAuthFailures: number;
	paused: boolean;
	pausedAt?: string;
}

type Json = Record<string, unknown>;

const asObject = (value: unknown): Json | undefined =>
	value !== null && typeof value === 'object' && !Array.isArray(value)
		? (value as Json)
		: undefined;
const asText = (value: unknown): string | undefined =>
	typeof value === 'string' && value.trim() !== ''
		? value
		: typeof value === 'number'
			? String(value)
			: undefined;

/**
 * A classification mentioned in an error message, e.g. "HubSpot rejected the credential
 * (AUTH_INVALID)".
 */
function codeInMessage(message: string | undefined): HistoryCode | undefined {
	const found = message?.match(/\(([A-Z_]{4,})\)\s*$/)?.[1];
	return isHistoryCode(found) ? found : undefined;
}

/**
 * What an incoming item means. Understands this package's outputs (status, code, reason), its
 * error items ({ error: { code, ... } }), n8n's generic continue-on-fail items ({ error: "text" })
 * and the Error Trigger's item ({ execution: { error } }).
 */
export function classifyItem(json: Json): ItemOutcome {
	const executionError = asObject(asObject(json.execution)?.error);
	const error = asObject(json.error) ?? executionError;
	const linkAction =
		json.linkAction === 'disable' || json.linkAction === 'enable' ? json.linkAction : undefined;
	if (error || typeof json.error === 'string') {
		const hubspot = asObject(asObject(error?.context)?.hubspot) ?? error ?? {};
		const message = asText(error?.message) ?? asText(json.error);
		const classified =
			[hubspot.code, error?.code, codeInMessage(message)].find(isHistoryCode) ?? 'UNKNOWN';
		// The daily limit is not a fault of the data: the run stops and says when it can go on.
		const code =
			classified === 'RATE_LIMITED' && hubspot.policyName === 'DAILY' ? 'DAILY_LIMIT' : classified;
		return {
			code,
			status: CATALOG[code].status,
			detail: message,
			detailRemedy: asText(error?.description),
			hubspotMessage: asText(hubspot.hubspotMessage),
			correlationId: asText(hubspot.correlationId),
			attempts: Number(hubspot.attempts ?? json.hubspotCalls ?? 0) || undefined,
			linkAction,
		};
	}
	const status = asText(json.status);
	const code = asText(json.code);
	if (status === 'duplicate')
		return { code: 'DUPLICATE', status: 'skip', detail: asText(json.reason), linkAction };
	if (
		status === 'skipped' ||
		status === 'skip' ||
		status === 'excluded' ||
		status === 'filtered' ||
		status === 'unmapped'
	) {
		const known = isHistoryCode(code) ? code : 'UNKNOWN';
		return {
			code: known,
			status: CATALOG[known].status === 'error' ? 'error' : 'skip',
			detail: asText(json.reason),
			linkAction,
		};
	}
	if (linkAction === 'enable')
		return { code: 'LINK_ENABLED', status: 'success', detail: asText(json.reason), linkAction };
	return {
		code: 'OK',
		status: 'success',
		detail: asText(json.reason),
		attempts: Number(json.hubspotCalls ?? 0) || undefined,
		linkAction,
	};
}

const SECRET_PATTERNS: Array<[RegExp, string]> = [
	[/Bearer\s+[A-Za-z0-9\-._~+/]+=*/gi, 'Bearer [redacted]'],
	[
		/\b(authorization|x-hubspot-api-key|api[-_]?key|hapikey|access[-_]?token|refresh[-_]?token|client[-_]?secret|password|token)(["']?\s*[:=]\s*["']?)[^\s"'&,;}]+/gi,
		'$1$2[redacted]',
	],
	// HubSpot private-app and service-key tokens, OAuth tokens: long opaque strings.
	[/\bpat-[a-z0-9]{2,4}-[A-Za-z0-9-]{20,}/g, '[redacted]'],
	[/\b[A-Za-z0-9_-]{32,}\b/g, '[redacted]'],
];

/** Removes tokens, keys and Authorization headers from text that goes into a history row. */
export function redactSecrets(text: string, knownSecrets: string[] = []): string {
	let clean = text;
	for (const secret of knownSecrets.filter((s) => s.length >= 6))
		clean = clean.split(secret).join('[redacted]');
	for (const [pattern, replacement] of SECRET_PATTERNS) clean = clean.replace(pattern, replacement);
	return clean;
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A history id short enough to read out on the phone: H-XXXX-XXXX (Crockford base32, 40 random
 * bits).
 */
export function newHistoryId(): string {
	const bytes = randomBytes(5);
	let bits = 0n;
	for (const byte of bytes) bits = (bits << 8n) | BigInt(byte);
	let out = '';
	for (let i = 0; i < 8; i++) ((out = CROCKFORD[Number(bits & 31n)] + out), (bits >>= 5n));
	return `H-${out.slice(0, 4)}-${out.slice(4)}`;
}

export interface RowContext {
	language: Language;
	runId: string;
	now: string;
	direction: string;
	objectType: string;
	hubspotId: string;
	targetId: string;
	accountLabel: string;
}

export function buildRow(outcome: ItemOutcome, ctx: RowContext): HistoryRow {
	const entry = CATALOG[outcome.code];
	const join = (...parts: Array<string | undefined>) => parts.filter(Boolean).join(' ');
	const showDetail = outcome.detail && !entry.message.en.startsWith(outcome.detail);
	return {
		historyId: newHistoryId(),
		runId: ctx.runId,
		timestamp: ctx.now,
		direction: ctx.direction,
		objectType: ctx.objectType,
		hubspotId: ctx.hubspotId,
		targetId: ctx.targetId,
		accountLabel: ctx.accountLabel,
		status: outcome.status,
		code: outcome.code,
		message: redactSecrets(
			join(entry.message[ctx.language], showDetail ? outcome.detail : undefined),
		),
		remedy: redactSecrets(join(entry.remedy[ctx.language], outcome.detailRemedy)),
		hubspotMessage: redactSecrets(outcome.hubspotMessage ?? ''),
		correlationId: outcome.correlationId ?? '',
		attempts: outcome.attempts ?? 0,
		firstError: false,
	};
}

const DISABLING: HistoryCode[] = ['NOT_FOUND', 'EXCLUDED'];

/**
 * The integration's link rules: a record whose counterpart was deleted, or that was excluded in
 * HubSpot, gets its link disabled and ONE row; later items for a disabled record write no row. An
 * excluded record that comes back is enabled again.
 */
export function decideLink(
	outcome: ItemOutcome,
	link: LinkState | undefined,
): {
	writeRow: boolean;
	firstError: boolean;
	update?: { enabled: boolean; disabledReason: string };
} {
	const disabled = link !== undefined && link.enabled === false;
	const disables = DISABLING.includes(outcome.code) || outcome.linkAction === 'disable';
	if (disables) {
		if (disabled) return { writeRow: false, firstError: false };
		return {
			writeRow: true,
			firstError: true,
			update: { enabled: false, disabledReason: outcome.code },
		};
	}
	if (disabled) {
		const comesBack =
			outcome.linkAction === 'enable' ||
			(link.disabledReason === 'EXCLUDED' && outcome.status === 'success');
		if (comesBack)
			return { writeRow: true, firstError: false, update: { enabled: true, disabledReason: '' } };
		// Still disabled for a deleted record: stay silent (the first error row already said it).
		return { writeRow: false, firstError: false };
	}
	return { writeRow: true, firstError: false };
}

/**
 * Counts consecutive AUTH_INVALID results; at `threshold` the integration pauses. A success
 * (an authenticated call that worked) resets the count. Other results leave it unchanged.
 */
export function advancePause(
	state: PauseState,
	outcome: ItemOutcome,
	threshold: number,
	now: string,
): PauseState {
	if (state.paused) return state;
	if (outcome.code === 'AUTH_INVALID') {
		const count = state.consecutiveAuthFailures + 1;
		return count >= threshold
			? { ...state, consecutiveAuthFailures: count, paused: true, pausedAt: now }
			: { ...state, consecutiveAuthFailures: count };
	}
	// A duplicate was answered by HubSpot (409) too: the credential works.
	const authenticated = outcome.status === 'success' || outcome.code === 'DUPLICATE';
	if (authenticated && state.consecutiveAuthFailures > 0)
		return { ...state, consecutiveAuthFailures: 0 };
	return state;
}

export function readPauseState(value: unknown, integration: string): PauseState {
	const json = asObject(value) ?? {};
	return {
		integration,
		consecutiveAuthFailures: Number(json.consecutiveAuthFailures ?? 0) || 0,
		paused: json.paused === true || json.paused === 'true' || json.paused === 1,
		pausedAt: asText(json.pausedAt),
	};
}
