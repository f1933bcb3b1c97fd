import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BurstPacer, RateLimitWaitAborted, createLocalRateLimiter, type RateLimiter } from '../../src/http/rateLimiter.js';
import type { RateLimit } from '../../src/http/types.js';

/** A limiter on the fake clock, and the (fake) times at which its tasks started, in start order. */
function pacedLimiter(limit: RateLimit) {
  const limiter = createLocalRateLimiter('test', limit, { now: () => Date.now() });
  const starts: { label: string; at: number }[] = [];
  const run = (label: string, signal?: AbortSignal) =>
    limiter.schedule(async () => {
      starts.push({ label, at: Date.now() });
      return label;
    }, signal);
  return { limiter, starts, run };
}

/** Any k+1 consecutive starts with k ≥ burst span at least k·spacing. */
function assertPaysBack(starts: readonly number[], spacing: number, burst: number): void {
  for (let i = 0; i < starts.length; i += 1) {
    for (let j = i + burst; j < starts.length; j += 1) {
      expect(starts[j]! - starts[i]!).toBeGreaterThanOrEqual((j - i) * spacing - 1e-9);
    }
  }
}

/** The most starts in any half-open window [t, t + windowMs). */
function busiestWindow(starts: readonly number[], windowMs: number): number {
  let most = 0;
  for (let i = 0; i < starts.length; i += 1) {
    let count = 0;
    for (let j = i; j < starts.length && starts[j]! < starts[i]! + windowMs; j += 1) count += 1;
    most = Math.max(most, count);
  }
  return most;
}

describe('local rate limiter (token bucket that pays its burst back)', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('lets a burst of `burst` start at once after an idle spell, then keeps the average', async () => {
    const { starts, run } = pacedLimiter({ requests: 1, intervalMs: 1000, burst: 5 });
    const all = Promise.all(Array.from({ length: 8 }, (_, i) => run(`r${i}`)));
    await vi.advanceTimersByTimeAsync(0);
    expect(starts.map((s) => s.label)).toEqual(['r0', 'r1', 'r2', 'r3', 'r4']);
    expect(new Set(starts.map((s) => s.at)).size).toBe(1);

    // The sixth waits until the burst is paid back (5 starts = 5 s), then one per second.
    await vi.advanceTimersByTimeAsync(4999);
    expect(starts).toHaveLength(5);
    await vi.advanceTimersByTimeAsync(1);
    expect(starts).toHaveLength(6);
    await vi.advanceTimersByTimeAsync(2000);
    expect(await all).toHaveLength(8);
    const at = starts.map((s) => s.at - 1_000_000);
    expect(at).toEqual([0, 0, 0, 0, 0, 5000, 6000, 7000]);
  });

  it('earns one start back per interval of idle time, like a token bucket', async () => {
    const { starts, run } = pacedLimiter({ requests: 1, intervalMs: 1000, burst: 5 });
    // Steady traffic first: the bucket is empty.
    const warm = Promise.all(Array.from({ length: 8 }, (_, i) => run(`warm${i}`)));
    await vi.advanceTimersByTimeAsync(7000);
    await warm;
    expect(starts.at(-1)!.at).toBe(Date.now());
    // Three idle intervals later, three may go at once, the fourth waits for the next interval.
    await vi.advanceTimersByTimeAsync(3000);
    const before = starts.length;
    for (let i = 0; i < 4; i += 1) void run(`late${i}`);
    await vi.advanceTimersByTimeAsync(0);
    expect(starts.length - before).toBe(3);
    await vi.advanceTimersByTimeAsync(1000);
    expect(starts.length - before).toBe(4);
  });

  it('never lets the average run above the limit over any window of `burst` intervals or more', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 6 }),
        fc.constantFrom(200, 1000, 1050),
        fc.array(fc.integer({ min: 0, max: 3000 }), { minLength: 1, maxLength: 40 }),
        async (burst, spacing, gaps) => {
          vi.setSystemTime(1_000_000);
          const { starts, run } = pacedLimiter({ requests: 1, intervalMs: spacing, burst });
          const arrivals: Promise<string>[] = [];
          for (const [i, gap] of gaps.entries()) {
            await vi.advanceTimersByTimeAsync(gap);
            arrivals.push(run(`r${i}`));
          }
          await vi.advanceTimersByTimeAsync(gaps.length * spacing * 2);
          await Promise.all(arrivals);
          const at = starts.map((s) => s.at);
          // First come, first served.
          expect(starts.map((s) => s.label)).toEqual(gaps.map((_, i) => `r${i}`));
          assertPaysBack(at, spacing, burst);
          for (const windows of [burst, burst + 1, 2 * burst, 10]) {
            const windowMs = Math.max(windows, burst) * spacing;
            expect(busiestWindow(at, windowMs)).toBeLessThanOrEqual(Math.ceil(windowMs / spacing));
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('keeps the old rolling-window guarantee when no burst is given: at most `requests` per `intervalMs`', async () => {
    const { starts, run } = pacedLimiter({ requests: 5, intervalMs: 1000 });
    const all = Promise.all(Array.from({ length: 23 }, (_, i) => run(`r${i}`)));
    await vi.advanceTimersByTimeAsync(10_000);
    await all;
    const at = starts.map((s) => s.at);
    expect(at.filter((t) => t === at[0])).toHaveLength(5);
    expect(busiestWindow(at, 1000)).toBe(5);
    // 23 starts: 5 at once, then 18 more at 200 ms each.
    expect(at.at(-1)! - at[0]!).toBe(1000 + 17 * 200);
  });

  it('with a burst of 1 spaces every start by one interval', async () => {
    const { starts, run } = pacedLimiter({ requests: 1, intervalMs: 1050, burst: 1 });
    const all = Promise.all([run('a'), run('b'), run('c')]);
    await vi.advanceTimersByTimeAsync(10_000);
    await all;
    expect(starts.map((s) => s.at - starts[0]!.at)).toEqual([0, 1050, 2100]);
  });
});

describe('cancelled waits leave the line at once (issue 9 §5)', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('after 100 cancelled waiters a new call starts at the very next turn', async () => {
    const { starts, run } = pacedLimiter({ requests: 1, intervalMs: 1000, burst: 1 });
    await run('first');

    const controllers = Array.from({ length: 100 }, () => new AbortController());
    const cancelled = controllers.map((controller, i) =>
      run(`cancelled${i}`, controller.signal).then(
        () => 'started',
        (error: unknown) => error,
      ),
    );
    await vi.advanceTimersByTimeAsync(10);
    for (const controller of controllers) controller.abort();
    const outcomes = await Promise.all(cancelled);
    for (const outcome of outcomes) {
      expect(outcome).toBeInstanceOf(RateLimitWaitAborted);
      expect((outcome as Error).name).toBe('AbortError');
    }

    const next = run('next');
    await vi.advanceTimersByTimeAsync(990);
    expect(await next).toBe('next');
    expect(starts.map((s) => s.label)).toEqual(['first', 'next']);
    expect(starts[1]!.at - starts[0]!.at).toBe(1000);
  });

  it('gives the place of a cancelled head to the next waiter, at the same time', async () => {
    const { starts, run } = pacedLimiter({ requests: 1, intervalMs: 1000, burst: 1 });
    await run('first');
    const head = new AbortController();
    const headOutcome = run('head', head.signal).catch((error: unknown) => error);
    const second = run('second');
    await vi.advanceTimersByTimeAsync(500);
    head.abort(new Error('client left'));
    expect(await headOutcome).toBeInstanceOf(RateLimitWaitAborted);
    expect(((await headOutcome) as Error).cause).toEqual(new Error('client left'));
    await vi.advanceTimersByTimeAsync(500);
    expect(await second).toBe('second');
    expect(starts.map((s) => [s.label, s.at - starts[0]!.at])).toEqual([
      ['first', 0],
      ['second', 1000],
    ]);
  });

  it('refuses an already cancelled call without using a turn', async () => {
    const { starts, run } = pacedLimiter({ requests: 1, intervalMs: 1000, burst: 1 });
    const error = await run('dead', AbortSignal.abort()).catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(RateLimitWaitAborted);
    await run('alive');
    expect(starts.map((s) => s.label)).toEqual(['alive']);
  });

  it('does not touch a task that has already started', async () => {
    const limiter: RateLimiter = createLocalRateLimiter('test', { requests: 1, intervalMs: 1000 }, { now: () => Date.now() });
    const controller = new AbortController();
    let finish!: (value: string) => void;
    const running = limiter.schedule(() => new Promise<string>((resolve) => (finish = resolve)), controller.signal);
    await vi.advanceTimersByTimeAsync(0);
    controller.abort();
    finish('done');
    expect(await running).toBe('done');
  });
});

describe('BurstPacer', () => {
  it('follows R(n+1) = max(R(n) + spacing, s(n+1−burst) + burst·spacing)', () => {
    const pacer = new BurstPacer(100, 3);
    expect(pacer.nextStartAt).toBe(Number.NEGATIVE_INFINITY);
    pacer.record(0);
    pacer.record(0);
    expect(pacer.nextStartAt).toBe(Number.NEGATIVE_INFINITY);
    pacer.record(0);
    expect(pacer.nextStartAt).toBe(300);
    pacer.record(300);
    expect(pacer.nextStartAt).toBe(400);
    pacer.record(1000);
    // The burst at 0 still binds the sixth start: s(1) + 5·spacing.
    expect(pacer.nextStartAt).toBe(500);
    pacer.record(1000);
    // Now the start at 300 does: s(4) + 3·spacing.
    expect(pacer.nextStartAt).toBe(600);
  });
});
