import type { HubSpotFailure } from './errors';

export interface RetryPolicy {
	/** Total tries, the first included, when HubSpot failed (5xx, dropped connection, 423). */
	maxAttempts: number;
	/**
	 * Total tries when HubSpot answered 429 (not DAILY): it did not process the request, so trying
	 * longer is safe; bounded all the same.
	 */
	maxRateLimitedAttempts: number;
	/** First backoff; doubles each try, with full jitter. */
	baseDelayMs: number;
	maxDelayMs: number;
	/** HubSpot asks for at least 2 s after a 423 (record locked). */
	lockedDelayMs: number;
	/**
	 * Wait after a 429 without Retry-After: a rolling 10-s window frees up in about 2 s of pacing.
	 */
	rateLimitFloorMs: number;
	/**
	 * Total tries when the host's name does not resolve: a typo in the base URL or no DNS rarely
	 * heals in seconds.
	 */
	maxUnresolvedAttempts: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	// 8 tries ride out a HubSpot answering one call in five with a 5xx (0.2^8: a few in a million).
	maxAttempts: 8,
	maxRateLimitedAttempts: 12,
	baseDelayMs: 500,
	maxDelayMs: 20_000,
	lockedDelayMs: 2_000,
	rateLimitFloorMs: 2_000,
	// One more try rides out a DNS blip (a container's resolver starting); more would make a mistyped
	// base URL wait half a minute, dropdowns included, before its explanation shows.
	maxUnresolvedAttempts: 2,
};

export interface RetryDecision {
	retry: boolean;
	delayMs: number;
}

/**
 * Whether to send the request again, and after how long.
 * - 429 (not DAILY): HubSpot did not process the request, so even a create is safe to resend.
 * - 423: the record is locked; HubSpot did not process it; wait at least 2 s.
 * - 5xx and network errors: the request may have been processed. Resent only when the request is
 *   idempotent (reads, searches, updates by id, upserts by a unique key): a create sent twice
 *   could make two records, so creates surface the failure instead.
 */
export function decideRetry(
	failure: HubSpotFailure,
	attempt: number,
	idempotent: boolean,
	policy: RetryPolicy,
	random: () => number = Math.random,
): RetryDecision {
	const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
	const jittered = Math.round(backoff / 2 + random() * (backoff / 2));
	if (failure.code === 'RATE_LIMITED') {
		if (failure.policyName === 'DAILY' || attempt >= policy.maxRateLimitedAttempts)
			return { retry: false, delayMs: 0 };
		const floor =
			failure.retryAfterMs ??
			(failure.policyName === 'SECONDLY' ? policy.rateLimitFloorMs / 2 : policy.rateLimitFloorMs);
		return { retry: true, delayMs: floor + Math.round(random() * 250 * attempt) };
	}
	if (attempt >= policy.maxAttempts) return { retry: false, delayMs: 0 };
	if (failure.networkCode === 'ENOTFOUND' && attempt >= policy.maxUnresolvedAttempts)
		return { retry: false, delayMs: 0 };
	if (failure.httpStatus === 423) {
		return { retry: true, delayMs: Math.max(policy.lockedDelayMs, jittered) };
	}
	if (failure.code === 'UNAVAILABLE' && idempotent) return { retry: true, delayMs: jittered };
	return { retry: false, delayMs: 0 };
}
