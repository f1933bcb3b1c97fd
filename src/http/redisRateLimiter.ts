import { runScript, type RedisScripting } from '../redis.js';
import { RateLimitWaitAborted, burstOf, spacingOf, type RateLimiter, type RateLimiterFactory } from './rateLimiter.js';

/**
 * Reserves the next start for a source and returns how long to wait for it, running the
 * `BurstPacer` recurrence on state kept in one hash: `next` (earliest next start, absent = at
 * once) and `starts` (the last `burst` reserved starts). Time comes from the Redis server, so
 * instances with skewed clocks still agree: one deployment, one budget per source.
 *
 * Returns the wait and the state before and after, so a reservation nobody used can be undone
 * (see UNDO) as long as no later reservation was made on top of it.
 * The key expires once every constraint it holds has lapsed (a start constrains nothing after
 * burst·spacing), which is the same as a full bucket.
 */
const RESERVE = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
local spacing = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local state = redis.call('HMGET', KEYS[1], 'next', 'starts')
local prevNext = state[1] or ''
local prevStarts = state[2] or ''
local nextAt = tonumber(prevNext)
local starts = {}
for value in string.gmatch(prevStarts, '%S+') do starts[#starts + 1] = tonumber(value) end
local slot = now
if nextAt and nextAt > slot then slot = nextAt end
starts[#starts + 1] = slot
while #starts > burst do table.remove(starts, 1) end
local following = nil
if nextAt then following = nextAt + spacing end
if #starts == burst then
  local paidBack = starts[1] + burst * spacing
  if not following or paidBack > following then following = paidBack end
end
local kept = {}
for i, value in ipairs(starts) do kept[i] = string.format('%.3f', value) end
local newStarts = table.concat(kept, ' ')
local newNext = ''
redis.call('DEL', KEYS[1])
if following then
  newNext = string.format('%.3f', following)
  redis.call('HSET', KEYS[1], 'next', newNext, 'starts', newStarts)
else
  redis.call('HSET', KEYS[1], 'starts', newStarts)
end
redis.call('PEXPIRE', KEYS[1], math.ceil(slot - now + burst * spacing) + 1000)
return { string.format('%.3f', slot - now), prevNext, prevStarts, newNext, newStarts }
`;

/** Puts back the state before a reservation, only if it is still the latest one. */
const UNDO = `
local state = redis.call('HMGET', KEYS[1], 'next', 'starts')
if (state[1] or '') ~= ARGV[3] or (state[2] or '') ~= ARGV[4] then return 0 end
redis.call('DEL', KEYS[1])
if ARGV[2] ~= '' then redis.call('HSET', KEYS[1], 'starts', ARGV[2]) end
if ARGV[1] ~= '' then redis.call('HSET', KEYS[1], 'next', ARGV[1]) end
if ARGV[1] ~= '' or ARGV[2] ~= '' then redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[5])) end
return 1
`;

interface Reservation {
  waitMs: number;
  undoArguments: string[];
}

/**
 * The limiter's Redis mode, used when `REDIS_URL` is set: the same per-source limits and burst
 * as the in-process limiter, shared by every instance of the gateway.
 *
 * Cancellation: callers of one process wait in a local line, and only the head reserves a
 * start in Redis, so a caller who leaves while in the line costs nobody anything. The head may
 * leave after reserving, while it waits for its start: the reservation is then undone if no
 * other instance has reserved after it; otherwise that one start is lost (the Redis state is
 * a sequence, and a hole in the middle cannot be given back). At most one start per process
 * is lost that way per cancelled head, never one per cancelled waiter.
 */
export function createRedisRateLimiterFactory(client: RedisScripting, prefix = 'musica:ratelimit:'): RateLimiterFactory {
  return (source, limit) => {
    const key = `${prefix}${source}:bucket`;
    const spacing = spacingOf(limit);
    const burst = burstOf(limit);
    const line = new LocalLine(source);

    async function reserve(): Promise<Reservation> {
      const answer = (await runScript(client, RESERVE, [key], [String(spacing), String(burst)])) as string[];
      const [wait, prevNext, prevStarts, newNext, newStarts] = answer.map(String);
      const waitMs = Number(wait);
      // Long enough for the state put back: it constrains nothing after our own start's span.
      const ttl = String(Math.ceil(waitMs + burst * spacing) + 1000);
      return { waitMs, undoArguments: [prevNext!, prevStarts!, newNext!, newStarts!, ttl] };
    }

    async function undo(reservation: Reservation): Promise<void> {
      try {
        await runScript(client, UNDO, [key], reservation.undoArguments);
      } catch {
        // The start is lost, which only makes the limiter more careful than it must be.
      }
    }

    const limiter: RateLimiter = {
      async schedule<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
        const release = await line.enter(signal);
        try {
          const reservation = await reserve();
          if (!(await waitUnlessAborted(reservation.waitMs, signal))) {
            await undo(reservation);
            throw new RateLimitWaitAborted(source, signal?.reason);
          }
        } finally {
          release();
        }
        return task();
      },
    };
    return limiter;
  };
}

/** A first-come-first-served line with one place at its head; leaving it is immediate. */
class LocalLine {
  private readonly waiting: Array<() => void> = [];
  private headTaken = false;

  constructor(private readonly source: string) {}

  /** Resolves with a release function once the caller is at the head. */
  enter(signal: AbortSignal | undefined): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(new RateLimitWaitAborted(this.source, signal.reason));
    return new Promise((resolve, reject) => {
      const grant = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve(() => this.release());
      };
      const onAbort = () => {
        const index = this.waiting.indexOf(grant);
        if (index < 0) return;
        this.waiting.splice(index, 1);
        reject(new RateLimitWaitAborted(this.source, signal?.reason));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(grant);
      this.grantNext();
    });
  }

  private release(): void {
    this.headTaken = false;
    this.grantNext();
  }

  private grantNext(): void {
    if (this.headTaken) return;
    const next = this.waiting.shift();
    if (!next) return;
    this.headTaken = true;
    next();
  }
}

/** True after `ms`, false as soon as `signal` aborts. */
function waitUnlessAborted(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
