import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCacheStore } from '../../src/cache/store.js';
import { loadConfig } from '../../src/config.js';
import { createClientFactory } from '../../src/http/upstream.js';
import { connectRedis, createRedisRateLimiterFactory } from '../../src/http/redisRateLimiter.js';
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
      const clientA = createClientFactory({ config: a.config, cache: a.cache, logger: silentLogger })({ source: 'shared' });
      const clientB = createClientFactory({ config: b.config, cache: b.cache, logger: silentLogger })({ source: 'shared' });
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

  it('spaces requests of both instances by one shared rate limit', async () => {
    const redisA = await connectRedis(REDIS_URL);
    const redisB = await connectRedis(REDIS_URL);
    const prefix = `test-ratelimit-${run}:`;
    try {
      const limit = { requests: 1, intervalMs: 200 };
      const limiterA = createRedisRateLimiterFactory(redisA, prefix)('musicbrainz', limit);
      const limiterB = createRedisRateLimiterFactory(redisB, prefix)('musicbrainz', limit);
      const started: number[] = [];
      const task = async () => {
        started.push(performance.now());
      };
      await Promise.all([1, 2, 3].flatMap(() => [limiterA.schedule(task), limiterB.schedule(task)]));
      started.sort((x, y) => x - y);
      expect(started).toHaveLength(6);
      for (let i = 1; i < started.length; i += 1) expect(started[i]! - started[i - 1]!).toBeGreaterThanOrEqual(195);
      expect(started.at(-1)! - started[0]!).toBeGreaterThanOrEqual(995);
    } finally {
      await redisA.del(`${prefix}musicbrainz`);
      await redisA.quit();
      await redisB.quit();
    }
  });
});
