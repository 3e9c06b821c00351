import { RateLimitPacer, type Clock } from '../../nodes/shared/transport/pacer';
import { decideRetry, DEFAULT_RETRY_POLICY } from '../../nodes/shared/transport/retry';
import { classifyResponse, parseRetryAfterMs } from '../../nodes/shared/transport/errors';

/** A clock that only moves when the code under test sleeps. */
function fakeClock(): Clock & { slept: number[] } {
	let now = 1_000_000;
	const slept: number[] = [];
	return { now: () => now, sleep: async (ms) => { slept.push(ms); now += ms; }, slept };
}

describe('RateLimitPacer', () => {
	it('never lets more than 95% of the budget into any rolling window', async () => {
		const clock = fakeClock();
		const pacer = new RateLimitPacer(clock, { standard: { max: 110, windowMs: 10_000 } });
		const sentAt: number[] = [];
		for (let i = 0; i < 500; i++) {
			await pacer.acquire('standard');
			sentAt.push(clock.now());
		}
		for (let i = 0; i < sentAt.length; i++) {
			const inWindow = sentAt.filter((t) => t > sentAt[i] - 10_000 && t <= sentAt[i]).length;
			expect(inWindow).toBeLessThanOrEqual(104);
		}
		// ... and keeps close to the ceiling: 500 requests need about 4 windows, not more.
		expect(clock.now() - 1_000_000).toBeLessThan(50_000);
	});

	it('paces search separately at its own 5 per second', async () => {
		const clock = fakeClock();
		const pacer = new RateLimitPacer(clock);
		for (let i = 0; i < 20; i++) await pacer.acquire('search');
		expect(clock.now() - 1_000_000).toBeGreaterThanOrEqual(3_000);
		await pacer.acquire('standard');
	});

	it('learns the account budget from HubSpot headers and backs off when others used it', async () => {
		const clock = fakeClock();
		const pacer = new RateLimitPacer(clock);
		pacer.observe('standard', { headers: { 'X-HubSpot-RateLimit-Max': '190', 'X-HubSpot-RateLimit-Interval-Milliseconds': '10000', 'X-HubSpot-RateLimit-Remaining': '150' } });
		expect(pacer.limitsOf('standard')).toEqual({ max: 190, windowMs: 10_000 });
		pacer.observe('standard', { headers: { 'x-hubspot-ratelimit-remaining': '0' } });
		await pacer.acquire('standard');
		expect(clock.slept[0]).toBeGreaterThan(0);
	});

	it('after each 429 spaces that kind wider (4% of its window more, at most 20%), the other kind as before', async () => {
		// The sixth search in a second waits for the first to leave the window, plus the margin.
		const sixthSearchWait = async (pacer: RateLimitPacer, clock: ReturnType<typeof fakeClock>) => {
			for (let i = 0; i < 5; i++) await pacer.acquire('search');
			const before = clock.now();
			await pacer.acquire('search');
			return clock.now() - before;
		};
		const clock = fakeClock();
		const pacer = new RateLimitPacer(clock);
		expect(await sixthSearchWait(pacer, clock)).toBe(1030);
		clock.slept.length = 0;
		pacer.rateLimited('search', 1000);
		await pacer.acquire('search');
		expect(clock.slept[0]).toBe(1000);
		await clock.sleep(2000);
		expect(await sixthSearchWait(pacer, clock)).toBe(1070);
		for (let i = 0; i < 10; i++) pacer.rateLimited('search', 0);
		await clock.sleep(2000);
		expect(await sixthSearchWait(pacer, clock)).toBe(1230);
		// The standard budget keeps its own margin: 3% of 10 s.
		const standard = new RateLimitPacer(clock, { standard: { max: 10, windowMs: 10_000 } });
		for (let i = 0; i < 10; i++) await standard.acquire('standard');
		const before = clock.now();
		await standard.acquire('standard');
		expect(clock.now() - before).toBe(10_300);
	});

	it('holds every request of a kind after a 429 pause', async () => {
		const clock = fakeClock();
		const pacer = new RateLimitPacer(clock);
		pacer.pause('standard', 1500);
		await pacer.acquire('standard');
		expect(clock.slept).toEqual([1500]);
	});
});

describe('decideRetry', () => {
	const policy = DEFAULT_RETRY_POLICY;
	const half = () => 0.5;
	it.each([
		['429 TEN_SECONDLY with Retry-After', { code: 'RATE_LIMITED', policyName: 'TEN_SECONDLY_ROLLING', retryAfterMs: 3000, attempts: 1 }, false, true],
		['429 DAILY', { code: 'RATE_LIMITED', policyName: 'DAILY', attempts: 1 }, true, false],
		['502 on a read', { code: 'UNAVAILABLE', httpStatus: 502, attempts: 1 }, true, true],
		['502 on a create', { code: 'UNAVAILABLE', httpStatus: 502, attempts: 1 }, false, false],
		['reset on a create', { code: 'UNAVAILABLE', networkCode: 'ECONNRESET', attempts: 1 }, false, false],
		['423 locked on a create', { code: 'UNAVAILABLE', httpStatus: 423, attempts: 1 }, false, true],
		['400', { code: 'VALIDATION', httpStatus: 400, attempts: 1 }, true, false],
		['401', { code: 'AUTH_INVALID', httpStatus: 401, attempts: 1 }, true, false],
	] as const)('%s', (_name, failure, idempotent, retry) => {
		expect(decideRetry(failure as never, 1, idempotent, policy, half).retry).toBe(retry);
	});

	it('waits at least Retry-After, at least 2 s after a 423, and stops at the last attempt', () => {
		expect(decideRetry({ code: 'RATE_LIMITED', retryAfterMs: 3000, attempts: 1 }, 1, true, policy, half).delayMs).toBeGreaterThanOrEqual(3000);
		expect(decideRetry({ code: 'UNAVAILABLE', httpStatus: 423, attempts: 1 }, 1, false, policy, half).delayMs).toBeGreaterThanOrEqual(2000);
		expect(decideRetry({ code: 'UNAVAILABLE', httpStatus: 503, attempts: 8 }, policy.maxAttempts, true, policy, half).retry).toBe(false);
		// A name that does not resolve is tried once more, not eight times; other network errors keep the full budget.
		expect(decideRetry({ code: 'UNAVAILABLE', networkCode: 'ENOTFOUND', attempts: 1 }, 1, true, policy, half).retry).toBe(true);
		expect(decideRetry({ code: 'UNAVAILABLE', networkCode: 'ENOTFOUND', attempts: 2 }, policy.maxUnresolvedAttempts, true, policy, half).retry).toBe(false);
		expect(decideRetry({ code: 'UNAVAILABLE', networkCode: 'ECONNRESET', attempts: 2 }, policy.maxUnresolvedAttempts, true, policy, half).retry).toBe(true);
		// A 429 means HubSpot did not process the request: it is tried longer, but not forever.
		expect(decideRetry({ code: 'RATE_LIMITED', policyName: 'TEN_SECONDLY_ROLLING', attempts: 8 }, policy.maxAttempts, true, policy, half).retry).toBe(true);
		expect(decideRetry({ code: 'RATE_LIMITED', policyName: 'TEN_SECONDLY_ROLLING', attempts: 12 }, policy.maxRateLimitedAttempts, true, policy, half).retry).toBe(false);
	});

	it('backs off exponentially with jitter, capped', () => {
		const delays = [1, 2, 3, 4, 5].map((attempt) => decideRetry({ code: 'UNAVAILABLE', httpStatus: 503, attempts: attempt }, attempt, true, policy, () => 1).delayMs);
		expect(delays).toEqual([500, 1000, 2000, 4000, 8000]);
		expect(decideRetry({ code: 'UNAVAILABLE', httpStatus: 503, attempts: 1 }, 1, true, policy, () => 0).delayMs).toBe(250);
	});
});

describe('classifyResponse', () => {
	it('reads policyName and Retry-After of a 429', () => {
		const failure = classifyResponse({ statusCode: 429, headers: { 'retry-after': '2' }, body: JSON.stringify({ status: 'error', message: 'You have reached your secondly limit.', errorType: 'RATE_LIMIT', policyName: 'SECONDLY', correlationId: 'c-1' }) });
		expect(failure).toEqual({ code: 'RATE_LIMITED', httpStatus: 429, hubspotMessage: 'You have reached your secondly limit.', hubspotCategory: 'RATE_LIMIT', correlationId: 'c-1', policyName: 'SECONDLY', retryAfterMs: 2000, attempts: 1 });
	});
	it('takes the correlation id from the header when the body has none', () => {
		expect(classifyResponse({ statusCode: 502, headers: { 'X-HubSpot-Correlation-Id': 'h-9' }, body: '<html>Bad gateway</html>' })).toMatchObject({ code: 'UNAVAILABLE', correlationId: 'h-9' });
	});
	it('parses Retry-After dates', () => {
		expect(parseRetryAfterMs(new Date(5_000).toUTCString(), 1_000)).toBe(4_000);
		expect(parseRetryAfterMs(undefined)).toBeUndefined();
	});
});
