import type { RateLimit } from './types.js';

/**
 * Runs upstream calls no faster than a source allows. Retries go through it too, so they count.
 *
 * `signal` belongs to the caller: when it aborts while the task is still waiting for its turn,
 * the wait ends at once with a `RateLimitWaitAborted` and the caller's place goes to the next
 * waiter. A task that has already started is the caller's business, not the limiter's.
 *
 * Hand-written rather than p-queue (removed): its `intervalCap` counts per fixed window, so two
 * windows back to back let twice the cap through (BurstPacer pays bursts back), and a shared
 * limit needs the same arithmetic in Redis (redisRateLimiter.ts), which a queue object cannot do.
 */
export interface RateLimiter {
  schedule<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T>;
}

export type RateLimiterFactory = (source: string, limit: RateLimit) => RateLimiter;

/** The rejection of a wait whose caller left (named `AbortError`, like fetch and got). */
export class RateLimitWaitAborted extends Error {
  override readonly name = 'AbortError';
  readonly code = 'ABORT_ERR';
  constructor(source: string, reason?: unknown) {
    super(`${source}: request cancelled while waiting for its rate-limit turn`, { cause: reason });
  }
}

/** `burst` when given (at least 1), else `requests`: what the old rolling window let through at once. */
export function burstOf(limit: RateLimit): number {
  return Math.max(1, Math.floor(limit.burst ?? limit.requests));
}

/** Milliseconds per request at the long-run rate. */
export function spacingOf(limit: RateLimit): number {
  return limit.intervalMs / limit.requests;
}

/**
 * When the next request may start: a token bucket of `burst` tokens that refill one per
 * `spacing`, which also pays its bursts back. A plain bucket lets `burst` go at once *and*
 * then one per `spacing` (burst + T/spacing starts in a window of T), so a busy minute could
 * run above the source's average; here any k+1 consecutive starts with k ≥ burst span at
 * least k·spacing. Hence:
 *
 * - up to `burst` requests start at once after an idle spell (one `spacing` of idle time earns
 *   one of them back, as in a token bucket);
 * - any window of length T ≥ burst·spacing holds at most ⌈T / spacing⌉ starts: the average
 *   over every such window stays within the limit (1 req/s for MusicBrainz, whose historical
 *   rule was "no more than 10 in 10 s");
 * - with burst = 1 it is plain spacing; with burst = requests it never exceeds `requests` in
 *   any rolling `intervalMs`, the old sliding-window guarantee.
 *
 * The recurrence (s = start times, R = earliest next start):
 * R(n+1) = max(R(n) + spacing, s(n+1−burst) + burst·spacing). The Redis limiter runs the same
 * arithmetic in Lua.
 */
export class BurstPacer {
  private readonly recent: number[] = [];
  private earliest = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly spacing: number,
    private readonly burst: number,
  ) {}

  /** The earliest time the next start is allowed (−∞ when it may go at once). */
  get nextStartAt(): number {
    return this.earliest;
  }

  /** Records a start at `at` (never before `nextStartAt`). */
  record(at: number): void {
    this.recent.push(at);
    if (this.recent.length > this.burst) this.recent.shift();
    const oldest = this.recent.length === this.burst ? this.recent[0]! : Number.NEGATIVE_INFINITY;
    this.earliest = Math.max(this.earliest + this.spacing, oldest + this.burst * this.spacing);
  }
}

export interface LocalLimiterOptions {
  /** Monotonic clock in ms (tests pass a fake one; fake timers fake `performance` too). */
  now?: () => number;
}

interface Waiter {
  start(): void;
}

/**
 * Waiters in arrival order; the head starts as soon as the pacer allows. A waiter holds only its
 * place in the line, never a token, so one that leaves costs the others nothing.
 */
class PacedQueue {
  private readonly line: Waiter[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly pacer: BurstPacer,
    private readonly now: () => number,
  ) {}

  enter(waiter: Waiter): void {
    this.line.push(waiter);
    this.pump();
  }

  leave(waiter: Waiter): boolean {
    const index = this.line.indexOf(waiter);
    if (index < 0) return false;
    this.line.splice(index, 1);
    if (this.line.length === 0) this.stopTimer();
    return true;
  }

  private pump = (): void => {
    this.stopTimer();
    while (this.line.length > 0) {
      const now = this.now();
      const at = this.pacer.nextStartAt;
      if (at > now) {
        this.timer = setTimeout(this.pump, Math.ceil(at - now));
        return;
      }
      this.pacer.record(now);
      this.line.shift()!.start();
    }
  };

  private stopTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}

/** Waits for a turn in `queue`, leaving the line at once if `signal` aborts first. */
function waitForTurn(queue: PacedQueue, source: string, signal: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted) return Promise.reject(new RateLimitWaitAborted(source, signal.reason));
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      if (queue.leave(waiter)) reject(new RateLimitWaitAborted(source, signal?.reason));
    };
    const waiter: Waiter = {
      start() {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    queue.enter(waiter);
  });
}

/**
 * In-process limiter: one `BurstPacer` per source per process, shared by every concurrent
 * request, first come first served.
 */
export function createLocalRateLimiter(source: string, limit: RateLimit, options: LocalLimiterOptions = {}): RateLimiter {
  const queue = new PacedQueue(new BurstPacer(spacingOf(limit), burstOf(limit)), options.now ?? (() => performance.now()));
  return {
    async schedule<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
      await waitForTurn(queue, source, signal);
      return task();
    },
  };
}

export const unlimited: RateLimiter = { schedule: (task) => task() };
