import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startAuth, type AuthService, type IssuedKey } from '../../src/auth/index.js';
import type { KeyEvents } from '../../src/auth/keyEvents.js';
import { connectKeyEvents } from '../../src/auth/redisKeyEvents.js';
import { openPostgres, type PostgresDb } from '../../src/db/postgres.js';
import { silentLogger } from '../../src/logger.js';
import { connectRedis } from '../../src/redis.js';
import { ProviderRegistry } from '../../src/providers/registry.js';
import { missingPostgres, TEST_DATABASE_URL, testSchemas } from '../support/postgres.js';
import { bearer, errorCode, LRCLIB, MUSICBRAINZ } from './support.js';

/**
 * Two gateway instances on one PostgreSQL and one Redis. Their clocks never move, so a verified
 * key would be trusted forever by time alone: the other instance can only learn of a change
 * through the Redis announcement.
 */
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function missingRedis(): Promise<string | null> {
  const client = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await client.connect();
    await client.ping();
    return null;
  } catch (error) {
    const reason = `Redis not reachable at ${REDIS_URL} (${(error as Error).message})`;
    console.warn(`[skip] key events: ${reason}`);
    return reason;
  } finally {
    client.disconnect();
  }
}

const unavailable = (await missingPostgres('key events on PostgreSQL + Redis')) ?? (await missingRedis());
const schemas = testSchemas('musica_keyevents');
const FROZEN = new Date('2026-03-01T12:00:00Z');

const open: { auth: AuthService; db: PostgresDb; events: KeyEvents; redis: { quit(): Promise<unknown> } }[] = [];
afterEach(async () => {
  for (const { auth, db, events, redis } of open.splice(0)) {
    await auth.stop();
    await events.close();
    await redis.quit();
    await db.close();
  }
});
afterAll(async () => {
  if (!unavailable) await schemas.dropAll();
});

async function instance(schema: string, channel: string) {
  const db = await openPostgres(TEST_DATABASE_URL, { schema });
  const redis = await connectRedis(REDIS_URL);
  const events = await connectKeyEvents(redis, { channel });
  const { auth, bootstrap } = await startAuth({
    db,
    logger: silentLogger,
    providers: new ProviderRegistry([MUSICBRAINZ, LRCLIB]),
    events,
    now: () => FROZEN,
  });
  open.push({ auth, db, events, redis });
  return { auth, events, issued: bootstrap.issued };
}

/** Resolves the next time `events` hears of a change (after the service's own listener ran). */
function nextAnnouncement(events: KeyEvents): Promise<void> {
  return new Promise((resolve) => {
    const stop = events.subscribe(() => {
      stop();
      resolve();
    });
  });
}

describe.skipIf(Boolean(unavailable))('key changes between instances over Redis', () => {
  it('refuses a key revoked on one instance on the other once the announcement arrives, with no clock moving', async () => {
    const schema = schemas.next();
    const channel = `musica:test:${randomUUID()}`;
    const a = await instance(schema, channel);
    const b = await instance(schema, channel);
    const keys = new Map<string, IssuedKey>([...a.issued, ...b.issued].map((k) => [k.apiKey.scope, k]));
    const musicbrainz = bearer(keys.get('musicbrainz')!.key);
    const lrclib = bearer(keys.get('lrclib')!.key);
    expect((await b.auth.authenticate(musicbrainz)).scope).toBe('musicbrainz');
    expect((await b.auth.authenticate(lrclib)).scope).toBe('lrclib');

    let heard = nextAnnouncement(b.events);
    await a.auth.revokeKey(keys.get('musicbrainz')!.apiKey.id);
    await heard;
    expect(await errorCode(b.auth.authenticate(musicbrainz))).toBe('UNAUTHENTICATED');

    heard = nextAnnouncement(b.events);
    await a.auth.setSourceStatus('lrclib', 'inactive');
    await heard;
    expect(await errorCode(b.auth.authenticate(lrclib))).toBe('SOURCE_INACTIVE');
  });

  it('does not hear its own announcements, and instances on another channel hear nothing', async () => {
    const schema = schemas.next();
    const channel = `musica:test:${randomUUID()}`;
    const otherChannel = `musica:test:${randomUUID()}`;
    const a = await instance(schema, channel);
    const elsewhere = await instance(schema, otherChannel);
    const heardByA: number[] = [];
    const heardElsewhere: number[] = [];
    a.events.subscribe(() => heardByA.push(Date.now()));
    elsewhere.events.subscribe(() => heardElsewhere.push(Date.now()));

    await a.auth.createKey('lrclib', 'Otra');
    // Markers from a third party on each channel: a subscriber reads its connection in order,
    // so once it has heard the marker it has already dealt with everything published before.
    const third = await connectRedis(REDIS_URL);
    const markers = await Promise.all([connectKeyEvents(third, { channel }), connectKeyEvents(third, { channel: otherChannel })]);
    const markersHeard = Promise.all([nextAnnouncement(a.events), nextAnnouncement(elsewhere.events)]);
    await Promise.all(markers.map((marker) => marker.publish()));
    await markersHeard;
    await Promise.all(markers.map((marker) => marker.close()));
    await third.quit();
    expect(heardByA).toHaveLength(1);
    expect(heardElsewhere).toHaveLength(1);
  });

  it('fails an announcement at once while its connection is down, instead of queueing it until Redis is back', async () => {
    const redis = await connectRedis(REDIS_URL);
    const events = await connectKeyEvents(redis, { channel: `musica:test:${randomUUID()}` });
    try {
      const dropped = new Promise((resolve) => redis.once('close', resolve));
      redis.disconnect(true); // dropped, and reconnecting as after an outage
      await dropped;
      await expect(events.publish()).rejects.toThrow(/not connected/);
    } finally {
      await events.close();
      redis.disconnect();
    }
  });
});
