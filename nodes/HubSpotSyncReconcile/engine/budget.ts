/**
 * The API call budget, as HubSpot's Salesforce connector has one ("API calls in the last 24
 * hours"): HubSpot calls counted from the run and history rows of the last 24 hours, and whether a
 * run that expects to make some more calls stays under the operator's cap. Pure; the template reads
 * the rows.
 */
import type { IDataObject } from 'n8n-workflow';

import { associationWriteCalls } from '../../shared/transport/associations';
import type { ReconcileResult } from './reconcile';

export interface CallsRow {
	/** When the run or item ended (ISO 8601). */
	timestamp: string;
	/** HubSpot calls it made. */
	calls: number;
}

export interface BudgetDecision {
	/** Calls in the 24 hours before `now`. */
	used: number;
	cap: number;
	remaining: number;
	allowed: boolean;
	/** Why a run is refused, in the operator's words; empty when allowed. */
	reason: string;
	/** When enough calls leave the window for this run to fit (ISO), when refused. */
	retryAfter?: string;
}

const DAY_MS = 24 * 3_600_000;

export function checkCallBudget(
	rows: CallsRow[],
	cap: number,
	expectedCalls: number,
	now: Date,
): BudgetDecision {
	const since = now.getTime() - DAY_MS;
	const inWindow = rows
		.map((row) => ({ at: Date.parse(row.timestamp), calls: Number(row.calls) || 0 }))
		.filter((row) => Number.isFinite(row.at) && row.at > since && row.at <= now.getTime())
		.sort((left, right) => left.at - right.at);
	const used = inWindow.reduce((sum, row) => sum + row.calls, 0);
	const remaining = Math.max(0, cap - used);
	if (!(cap > 0) || used + expectedCalls <= cap)
		return { used, cap, remaining, allowed: true, reason: '' };
	if (expectedCalls > cap) {
		return {
			used,
			cap,
			remaining,
			allowed: false,
			reason: `This run needs about ${expectedCalls} HubSpot calls, more than the cap of ${cap} for 24 hours. It was skipped: raise the cap or sync fewer records.`,
		};
	}
	// The run fits once the oldest calls leave the 24-hour window.
	let freed = 0;
	let retryAt = now.getTime() + DAY_MS;
	for (const row of inWindow) {
		freed += row.calls;
		if (used - freed + expectedCalls <= cap) {
			retryAt = row.at + DAY_MS;
			break;
		}
	}
	const retryAfter = new Date(retryAt).toISOString();
	return {
		used,
		cap,
		remaining,
		allowed: false,
		retryAfter,
		reason: `This run needs about ${expectedCalls} HubSpot calls, but ${used} of the ${cap} allowed in 24 hours are used (${remaining} left). It was skipped; it fits again after ${retryAfter}, or raise the cap.`,
	};
}

/**
 * HubSpot calls that writing `count` records through Sync Properties → Push costs: its definitions
 * read, then per 100 records one batch read and one batch write (upsert or create/update).
 */
export function pushCalls(count: number): number {
	return count > 0 ? 1 + 2 * Math.ceil(count / 100) : 0;
}

/** The "API Call Budget" settings, read from the node's parameters. */
export interface CallBudget {
	/** Most calls in 24 hours; 0 = no cap. */
	cap: number;
	/** The calls rows of the last 24 hours. */
	rows: CallsRow[];
	/** Calls this run made before the node (e.g. the pull's), not yet in the rows. */
	callsThisRun: number;
}

/**
 * The call budget, checked once the writes are known: calls of the last 24 hours, this run's so far
 * (including Reconcile's own), and what Push and Associate will need for the HubSpot writes. Over
 * the cap: one OVER_BUDGET skip. The usage is reported on the Summary whether or not a cap is set.
 */
export function checkRunBudget(
	result: ReconcileResult,
	budget: CallBudget,
	ownCalls: number,
	now: Date,
): { usage: IDataObject; overBudget?: IDataObject } {
	const { cap } = budget;
	const associating = [...result.hubspotUpdates, ...result.hubspotCreates].filter(
		(write) => write.associations,
	).length;
	const expectedCalls =
		budget.callsThisRun +
		ownCalls +
		pushCalls(result.hubspotUpdates.length) +
		pushCalls(result.hubspotCreates.length) +
		associationWriteCalls(associating);
	const decision = checkCallBudget(budget.rows, cap, expectedCalls, now);
	const usage: IDataObject = {
		callsLast24Hours: decision.used,
		cap: cap > 0 ? cap : null,
		remaining: cap > 0 ? decision.remaining : null,
		expectedCalls,
	};
	if (decision.allowed) return { usage };
	return {
		usage,
		overBudget: {
			status: 'skipped',
			code: 'OVER_BUDGET',
			reason: decision.reason,
			used: decision.used,
			cap,
			remaining: decision.remaining,
			expectedCalls,
			retryAfter: decision.retryAfter ?? '',
		},
	};
}
