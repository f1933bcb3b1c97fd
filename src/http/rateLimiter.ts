import PQueue from 'p-queue';
import type { RateLimit } from './types.js';

/** Runs upstream calls no faster than a source allows. Retries go through it too, so they count. */
export interface RateLimiter {
  /** Runs `task` when the source allows; a caller whose `signal` aborts while waiting leaves the queue. */
  schedule<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T>;
}

export type RateLimiterFactory = (source: string, limit: RateLimit) => RateLimiter;

/**
 * In-process limiter: a sliding window (p-queue's strict mode), so no rolling window ever holds
 * more than `requests` starts — a fixed window would allow two back-to-back at a boundary.
 * One limiter per source per process, shared by every concurrent request.
 */
export const createLocalRateLimiter: RateLimiterFactory = (_source, limit) => {
  const queue = new PQueue({ intervalCap: limit.requests, interval: limit.intervalMs, strict: true });
  return { schedule: <T>(task: () => Promise<T>) => queue.add(task) as Promise<T> };
};

export const unlimited: RateLimiter = { schedule: (task) => task() };
