import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startAuth, type AuthService } from '../../src/auth/index.js';
import type { UsageRedis } from '../../src/auth/usage.js';
import { openDatabase } from '../../src/db/index.js';
import type { Db } from '../../src/db/types.js';
import { silentLogger } from '../../src/logger.js';
import { connectRedis } from '../../src/redis.js';
import { ProviderRegistry } from '../../src/providers/registry.js';
import { missingPostgres, TEST_DATABASE_URL, testSchemas } from '../support/postgres.js';
import { bearer, MUSICBRAINZ } from './support.js';

/**
 * Usage counting with REDIS_URL, on a real Redis and on both SQL stores: counts live in Redis
 * for about a second, the panel sees them there, and the move into SQL applies each batch
 * exactly once even when it is cut short.
 */
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const noPostgres = await missingPostgres('usage with Redis on PostgreSQL');
const noRedis = await redisMissing();
const schemas = testSchemas('musica_usage_redis');
const prefixes: string[] = [];
const cleanups: (() => Promise<unknown>)[] = [];

async function redisMissing(): Promise<string | null> {
  try {
    await (await connectRedis(REDIS_URL)).quit();
    return null;
  } catch (error) {
    const reason = `no Redis at ${REDIS_URL} (${(error as Error).message})`;
    console.warn(`[skip] usage counting with Redis: ${reason}`);
    return reason;
  }
}

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

afterAll(async () => {
  if (!noPostgres) await schemas.dropAll();
  if (noRedis) return;
  const client = await connectRedis(REDIS_URL);
  for (const prefix of prefixes) {
    for await (const keys of client.scanStream({ match: `${prefix}*`, count: 100 })) if (keys.length) await client.del(...(keys as string[]));
  }
  await client.quit();
});

type Store = () => Promise<{ open(): Promise<Db> }>;

const stores: [string, Store, unknown][] = [
  [
    'SQLite',
    async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'musica-usage-redis-'));
      cleanups.push(() => rm(dir, { recursive: true, force: true }));
      return { open: () => openDatabase({ dataDir: dir, databaseUrl: null }) };
    },
    null,
  ],
  [
    'PostgreSQL',
    async () => {
      const schema = schemas.next();
      return { open: () => openDatabase({ dataDir: '/nonexistent', databaseUrl: TEST_DATABASE_URL }, { postgres: { schema } }) };
    },
    noPostgres,
  ],
];

/** A Redis client whose next matching script can be made to fail, as a crash or outage would. */
function faultyClient(client: UsageRedis, fail: { when: (script: string) => boolean; times: number }): UsageRedis {
  return {
    get status() {
      return client.status;
    },
    async eval(script, numKeys, ...keysAndArgs) {
      if (fail.times > 0 && fail.when(script)) {
        fail.times -= 1;
        throw new Error('connection lost');
      }
      return client.eval(script, numKeys, ...keysAndArgs);
    },
  };
}

describe.skipIf(Boolean(noRedis))('usage counting with Redis', () => {
  for (const [name, store, skip] of stores) {
    describe.skipIf(Boolean(skip))(name, () => {
      async function instance(opened: { open(): Promise<Db> }, prefix: string, wrap: (client: UsageRedis) => UsageRedis = (c) => c) {
        const db = await opened.open();
        const client = await connectRedis(REDIS_URL);
        // Timers far away: each test moves counts itself with flushUsage().
        const { auth, bootstrap } = await startAuth({
          db,
          logger: silentLogger,
          providers: new ProviderRegistry([MUSICBRAINZ]),
          redis: wrap(client),
          redisPrefix: prefix,
          usageFlushMs: 3600_000,
        });
        cleanups.push(async () => {
          await auth.stop();
          await client.quit();
          await db.close();
        });
        return { db, auth, client, bootstrap };
      }

      async function fresh(wrap?: (client: UsageRedis) => UsageRedis) {
        const prefix = `test-usage-${randomUUID()}:`;
        prefixes.push(prefix);
        const opened = await store();
        const first = await instance(opened, prefix, wrap);
        const key = first.bootstrap.issued.find((issued) => issued.apiKey.scope === 'musicbrainz')!;
        const principal = await first.auth.authenticate(bearer(key.key));
        return { ...first, opened, prefix, principal };
      }

      const stored = async (db: Db) => Number((await db.get<{ n: number | null }>('SELECT SUM(count) AS n FROM key_usage'))?.n ?? 0);

      it('counts in Redis before answering, shows those counts, and moves them into SQL once', async () => {
        const { auth, db, client, prefix, principal } = await fresh();
        for (let i = 0; i < 5; i += 1) await auth.recordUsage(principal);
        expect(await client.hgetall(`${prefix}pending`)).toMatchObject({ [`c\t${principal.keyId}\tmusicbrainz\t${new Date().toISOString().slice(0, 10)}`]: '5' });
        expect(await stored(db)).toBe(0);
        expect((await auth.usageByScope()).get('musicbrainz')).toMatchObject({ requestsToday: 5, requestsTotal: 5 });

        await auth.flushUsage();
        expect(await stored(db)).toBe(5);
        expect(await client.exists(`${prefix}pending`)).toBe(0);
        expect(await client.smembers(`${prefix}batches`)).toEqual([]);
        expect((await auth.usageByKey()).get(principal.keyId)).toMatchObject({ requestsToday: 5, requestsTotal: 5 });
        expect((await auth.findKey(principal.keyId))!.lastUsedAt).not.toBeNull();
        await auth.flushUsage();
        expect(await stored(db)).toBe(5);
      });

      it('applies a batch cut short after its SQL commit only once, and the panel counts it once meanwhile', async () => {
        const fail = { when: (script: string) => script.includes("'DEL', KEYS[1])\nreturn redis.call('SREM'"), times: 1 };
        const { auth, db, client, prefix, principal } = await fresh((c) => faultyClient(c, fail));
        for (let i = 0; i < 3; i += 1) await auth.recordUsage(principal);
        await auth.flushUsage(); // committed in SQL, then "crashed" before forgetting the batch in Redis
        expect(fail.times).toBe(0);
        expect(await stored(db)).toBe(3);
        expect(await client.scard(`${prefix}batches`)).toBe(1);
        await auth.recordUsage(principal);
        expect((await auth.usageByScope()).get('musicbrainz')!.requestsTotal).toBe(4);

        await auth.flushUsage();
        expect(await stored(db)).toBe(4);
        expect(await client.scard(`${prefix}batches`)).toBe(0);
      });

      it('keeps a batch whose SQL write failed in Redis and applies it at the next move', async () => {
        const { auth, db, client, prefix, principal } = await fresh();
        for (let i = 0; i < 2; i += 1) await auth.recordUsage(principal);
        await db.exec('ALTER TABLE key_usage RENAME TO key_usage_away');
        await auth.flushUsage();
        expect(await client.scard(`${prefix}batches`)).toBe(1);
        await db.exec('ALTER TABLE key_usage_away RENAME TO key_usage');
        expect((await auth.usageByScope()).get('musicbrainz')!.requestsTotal).toBe(2);
        await auth.flushUsage();
        expect(await stored(db)).toBe(2);
      });

      it('counts in memory, and writes to SQL, what Redis refused', async () => {
        const fail = { when: (script: string) => script.includes('HINCRBY'), times: 2 };
        const { auth, db, principal } = await fresh((c) => faultyClient(c, fail));
        for (let i = 0; i < 3; i += 1) await auth.recordUsage(principal);
        expect((await auth.usageByScope()).get('musicbrainz')!.requestsTotal).toBe(3);
        await auth.flushUsage();
        expect(await stored(db)).toBe(3);
      });

      it('two instances counting and moving at once store every request exactly once', async () => {
        const first = await fresh();
        const second = await instance(first.opened, first.prefix);
        const rounds = 20;
        for (let round = 0; round < rounds; round += 1) {
          await Promise.all([
            first.auth.recordUsage(first.principal),
            second.auth.recordUsage(first.principal),
            first.auth.flushUsage(),
            second.auth.flushUsage(),
          ]);
        }
        expect((await second.auth.usageByKey()).get(first.principal.keyId)!.requestsTotal).toBe(rounds * 2);
        await first.auth.flushUsage();
        await second.auth.flushUsage();
        expect(await stored(first.db)).toBe(rounds * 2);
      });
    });
  }
});
