export * from './client';
export * from './errors';
export * from './pagination';
export * from './paths';
export { RateLimitPacer, DEFAULT_LIMITS, type BudgetKind, type Clock } from './pacer';
export { decideRetry, DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry';
