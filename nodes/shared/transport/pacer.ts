import { headerValue, type HubSpotHttpResponse } from './errors';

export type BudgetKind = 'standard' | 'search';

export interface Clock {
	now(): number;
	sleep(ms: number): Promise<void>;
}

export interface BudgetLimits {
	/** Requests allowed per window. */
	max: number;
	windowMs: number;
}

/** HubSpot's published defaults; the standard budget is corrected from response headers. */
export const DEFAULT_LIMITS: Record<BudgetKind, BudgetLimits> = {
	standard: { max: 110, windowMs: 10_000 },
	search: { max: 5, windowMs: 1_000 },
};

/** Requests kept in reserve for other executions and apps that share the account's budget. */
const SAFETY_MARGIN = 0.05;

/** Share of a window added to the spacing after each 429, and the most that can be added. */
const LEARNED_MARGIN_STEP = 0.04;
const MAX_LEARNED_MARGIN = 0.2;

/**
 * Paces requests so that HubSpot's rolling windows are not exceeded, per execution.
 * A sliding log of send times is exact for rolling windows (a token bucket would let a burst
 * plus its refill exceed 110 in 10 s). HubSpot's `X-HubSpot-RateLimit-*` headers tell the real
 * budget of the account and how much other clients have used; a 429 pauses the budget.
 * Nothing here survives the execution: queue-mode workers each pace their own run.
 */
export class RateLimitPacer {
	private readonly sent: Record<BudgetKind, number[]> = { standard: [], search: [] };

	private readonly pausedUntil: Record<BudgetKind, number> = { standard: 0, search: 0 };

	/**
	 * Spacing learned from 429s, added to a kind's window. A request reaches HubSpot a variable time
	 * after it leaves the pacer (n8n's request path, a busy machine); a 429 while the pacer kept to
	 * the limit shows that this variation is larger than the margin, and each one costs a second or
	 * more of that kind's budget. So each 429 widens the margin, up to a fifth of the window.
	 */
	private readonly learnedMarginMs: Record<BudgetKind, number> = { standard: 0, search: 0 };

	private readonly limits: Record<BudgetKind, BudgetLimits>;

	constructor(
		private readonly clock: Clock,
		limits: Partial<Record<BudgetKind, BudgetLimits>> = {},
	) {
		this.limits = { ...DEFAULT_LIMITS, ...limits };
	}

	/** Waits until one more request of this kind fits in the window, then records it as sent. */
	async acquire(kind: BudgetKind): Promise<void> {
		// Bounded: each pass either returns or sleeps until the oldest send leaves the window.
		for (let pass = 0; pass < 1000; pass++) {
			const now = this.clock.now();
			const wait = this.waitMs(kind, now);
			if (wait <= 0) {
				this.sent[kind].push(now);
				return;
			}
			await this.clock.sleep(wait);
		}
		throw new Error(`Rate-limit pacer for ${kind} requests did not free up`);
	}

	/** Learns the account's real budget and its use by other clients from HubSpot's headers. */
	observe(kind: BudgetKind, response: Pick<HubSpotHttpResponse, 'headers'>): void {
		const max = Number(headerValue(response.headers, 'x-hubspot-ratelimit-max'));
		const windowMs = Number(
			headerValue(response.headers, 'x-hubspot-ratelimit-interval-milliseconds'),
		);
		const remaining = Number(headerValue(response.headers, 'x-hubspot-ratelimit-remaining'));
		if (max > 0 && windowMs > 0) this.limits[kind] = { max, windowMs };
		if (Number.isFinite(remaining) && remaining <= 1) {
			// Others used the budget up: leave the window time to roll before sending more.
			const { windowMs: window, max: limit } = this.limits[kind];
			this.pause(kind, Math.ceil((window / limit) * 2));
		}
	}

	/** Nothing of this kind is sent until the wait is over. */
	pause(kind: BudgetKind, ms: number): void {
		this.pausedUntil[kind] = Math.max(this.pausedUntil[kind], this.clock.now() + ms);
	}

	/** After a 429: pause for `ms`, and space this kind's requests wider from now on. */
	rateLimited(kind: BudgetKind, ms: number): void {
		this.pause(kind, ms);
		const { windowMs } = this.limits[kind];
		this.learnedMarginMs[kind] = Math.min(
			Math.round(windowMs * MAX_LEARNED_MARGIN),
			this.learnedMarginMs[kind] + Math.round(windowMs * LEARNED_MARGIN_STEP),
		);
	}

	limitsOf(kind: BudgetKind): BudgetLimits {
		return { ...this.limits[kind] };
	}

	private waitMs(kind: BudgetKind, now: number): number {
		const pauseLeft = this.pausedUntil[kind] - now;
		if (pauseLeft > 0) return pauseLeft;
		const { max, windowMs } = this.limits[kind];
		// A margin only where it costs little: 5% of search's 5/s would be a fifth of its budget.
		const allowed = max >= 20 ? Math.floor(max * (1 - SAFETY_MARGIN)) : max;
		const log = this.sent[kind];
		while (log.length && log[0] <= now - windowMs) log.shift();
		if (log.length < allowed) return 0;
		// A little past the window: requests reach HubSpot a variable few milliseconds after they
		// leave.
		const margin = Math.max(1, Math.round(windowMs * 0.03)) + this.learnedMarginMs[kind];
		return log[log.length - allowed] + windowMs - now + margin;
	}
}
