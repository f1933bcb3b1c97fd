import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCacheStore } from '../../src/cache/store.js';
import { loadConfig } from '../../src/config.js';
import { createClientFactory } from '../../src/http/upstream.js';
import { createRedisRateLimiterFactory } from '../../src/http/redisRateLimiter.js';
import { connectRedis, type RedisScripting } from '../../src/redis.js';
import { silentLogger } from '../../src/logger.js';
import { callContext } from '../support/providerHarness.js';
import { startReplayServer, type ReplayServer } from '../support/replayServer.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function redisReachable(): Promise<string | null> {
  try {
    const client = await connectRedis(REDIS_URL);
    await client.ping();
    await client.quit();
    return null;
  } catch (error) {
    return `Redis not reachable at ${REDIS_URL} (${(error as Error).message})`;
  }
}

const skipReason = await redisReachable();
if (skipReason) console.warn(`[skip] ${skipReason}`);

/** Two gateway instances sharing one Redis, as in a scaled-out deployment. */
describe.skipIf(skipReason !== null)('scale-out on Redis', () => {
  let replay: ReplayServer;
  const run = randomUUID();

  beforeAll(async () => {
    replay = await startReplayServer({ extraHosts: ['shared.test'] });
    replay.intercept((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      return true;
    });
  });
  afterAll(() => replay.close());

  async function instance(options: { cacheNamespace: string; limiterPrefix: string }) {
    const config = loadConfig({ REDIS_URL, LOG_LEVEL: 'silent', UPSTREAM_RETRIES: '0' });
    Object.defineProperty(config, 'upstreamOverrides', { get: () => replay.overrides });
    const cache = await createCacheStore(config, options.cacheNamespace);
    return { cache, config };
  }

  it('shares the upstream cache: the second instance asks nobody', async () => {
    const namespace = `test-cache-${run}`;
    const a = await instance({ cacheNamespace: namespace, limiterPrefix: '' });
    const b = await instance({ cacheNamespace: namespace, limiterPrefix: '' });
    try {
      const clientA = createClientFactory({ config: a.config, cache: a.cache, logger: silentLogger })({ source: 'shared', hosts: ['shared.test'] });
      const clientB = createClientFactory({ config: b.config, cache: b.cache, logger: silentLogger })({ source: 'shared', hosts: ['shared.test'] });
      const url = `https://shared.test/item/${run}`;
      expect(await clientA.json(url, { ctx: callContext(), cache: 'entity' })).toEqual({ ok: true });
      const before = replay.count(run);
      expect(await clientB.json(url, { ctx: callContext(), cache: 'entity' })).toEqual({ ok: true });
      expect(replay.count(run) - before).toBe(0);
    } finally {
      await a.cache.clear();
      await a.cache.disconnect();
      await b.cache.disconnect();
    }
  });

  /**
   * The starts each reservation was given, in Redis server time (the last of the reserved
   * starts the script returns). Asserting on them, not on when tasks ran, keeps these tests
   * exact on a busy machine: a reply delivered late makes its task start late, which may bring
   * it close to the next one on our clock but never close to it at Redis.
   */
  function recordingSlots(client: RedisScripting, slots: number[]): RedisScripting {
    return {
      async eval(script, numKeys, ...keysAndArgs) {
        const answer = await client.eval(script, numKeys, ...keysAndArgs);
        if (Array.isArray(answer) && answer.length === 5) slots.push(Number(String(answer[4]).split(' ').at(-1)));
        return answer;
      },
    };
  }

  it('spaces requests of both instances by one shared rate limit', async () => {
    const redisA = await connectRedis(REDIS_URL);
    const redisB = await connectRedis(REDIS_URL);
    const prefix = `test-ratelimit-${run}:`;
    try {
      const limit = { requests: 1, intervalMs: 200 };
      const slots: number[] = [];
      const limiterA = createRedisRateLimiterFactory(recordingSlots(redisA, slots), prefix)('musicbrainz', limit);
      const limiterB = createRedisRateLimiterFactory(recordingSlots(redisB, slots), prefix)('musicbrainz', limit);
      let started = 0;
      const task = async () => {
        started += 1;
      };
      await Promise.all([1, 2, 3].flatMap(() => [limiterA.schedule(task), limiterB.schedule(task)]));
      expect(started).toBe(6);
      slots.sort((x, y) => x - y);
      expect(slots).toHaveLength(6);
      for (let i = 1; i < slots.length; i += 1) expect(slots[i]! - slots[i - 1]!).toBeGreaterThanOrEqual(200 - 0.002);
      expect(slots.at(-1)! - slots[0]!).toBeGreaterThanOrEqual(1000 - 0.002);
    } finally {
      await redisA.del(`${prefix}musicbrainz:bucket`);
      await redisA.quit();
      await redisB.quit();
    }
  });

  it('lets a burst start at once across instances, then pays it back before the next start', async () => {
    const redisA = await connectRedis(REDIS_URL);
    const redisB = await connectRedis(REDIS_URL);
    const prefix = `test-ratelimit-burst-${run}:`;
    try {
      const limit = { requests: 1, intervalMs: 250, burst: 3 };
      const slots: number[] = [];
      const limiterA = createRedisRateLimiterFactory(recordingSlots(redisA, slots), prefix)('musicbrainz', limit);
      const limiterB = createRedisRateLimiterFactory(recordingSlots(redisB, slots), prefix)('musicbrainz', limit);
      const task = async () => undefined;
      await Promise.all([limiterA.schedule(task), limiterB.schedule(task), limiterA.schedule(task), limiterB.schedule(task), limiterA.schedule(task)]);
      slots.sort((x, y) => x - y);
      // Three are given "now" (a few ms apart: the time the reservations took), not one interval apart.
      expect(slots[2]! - slots[0]!).toBeLessThan(250);
      // The fourth only once the three are paid back, the fifth one interval later.
      expect(slots[3]! - slots[0]!).toBeGreaterThanOrEqual(750 - 0.002);
      expect(slots[4]! - slots[3]!).toBeGreaterThanOrEqual(250 - 0.002);
    } finally {
      await redisA.del(`${prefix}musicbrainz:bucket`);
      await redisA.quit();
      await redisB.quit();
    }
  });

  it('lets cancelled waiters leave without reserving anything in Redis', async () => {
    const redis = await connectRedis(REDIS_URL);
    const prefix = `test-ratelimit-abort-${run}:`;
    const key = `${prefix}musicbrainz:bucket`;
    try {
      const limiter = createRedisRateLimiterFactory(redis, prefix)('musicbrainz', { requests: 1, intervalMs: 400, burst: 1 });
      const labels: string[] = [];
      const task = (label: string) => async () => {
        labels.push(label);
      };
      await limiter.schedule(task('first'));
      const first = Number(await redis.hget(key, 'starts'));
      const controllers = Array.from({ length: 50 }, () => new AbortController());
      const waits = controllers.map((controller, i) => limiter.schedule(task(`cancelled${i}`), controller.signal).catch((error: Error) => error.name));
      await new Promise((resolve) => setTimeout(resolve, 50));
      for (const controller of controllers) controller.abort();
      expect(await Promise.all(waits)).toEqual(Array.from({ length: 50 }, () => 'AbortError'));
      await limiter.schedule(task('next'));
      expect(labels).toEqual(['first', 'next']);
      // The next caller got the turn right after the first: 50 cancelled callers reserved nothing
      // (the head's reservation was undone, the others never reached Redis).
      expect(Number(await redis.hget(key, 'starts'))).toBeCloseTo(first + 400, 2);
    } finally {
      await redis.del(key);
      await redis.quit();
    }
  });

  it('undoes the reservation of a head that leaves while waiting for its start', async () => {
    const redis = await connectRedis(REDIS_URL);
    const prefix = `test-ratelimit-undo-${run}:`;
    const key = `${prefix}musicbrainz:bucket`;
    try {
      const limiter = createRedisRateLimiterFactory(redis, prefix)('musicbrainz', { requests: 1, intervalMs: 1000, burst: 1 });
      await limiter.schedule(async () => undefined);
      const first = Number(await redis.hget(key, 'starts'));
      const head = new AbortController();
      const leaving = limiter.schedule(async () => 'started', head.signal).catch((error: Error) => error.name);
      // Let the head reserve its start (one second ahead), then leave.
      while (Number(await redis.hget(key, 'starts')) === first) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(Number(await redis.hget(key, 'starts'))).toBeCloseTo(first + 1000, 2);
      head.abort();
      expect(await leaving).toBe('AbortError');
      expect(Number(await redis.hget(key, 'starts'))).toBeCloseTo(first, 2);
      // The next caller gets the start the head gave back, not the one after it.
      await limiter.schedule(async () => undefined);
      expect(Number(await redis.hget(key, 'starts'))).toBeCloseTo(first + 1000, 2);
    } finally {
      await redis.del(key);
      await redis.quit();
    }
  });
});
