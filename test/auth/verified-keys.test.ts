import { afterEach, describe, expect, it } from 'vitest';
import { AuthService } from '../../src/auth/index.js';
import type { Db } from '../../src/db/types.js';
import { silentLogger } from '../../src/logger.js';
import { bearer, errorCode, startFixture, type AuthFixture } from './support.js';

/**
 * Verified keys are remembered for a moment so most requests cost no database query. These
 * tests count queries and move a fake clock; nothing is measured in time.
 */
const KEY_LOOKUP = /FROM api_keys k\b/;

/** The fixture's database, counting key lookups and able to hold one back until released. */
class WatchedDb implements Db {
  readonly dialect;
  lookups = 0;
  private gate: Promise<void> | null = null;

  constructor(private readonly inner: Db) {
    this.dialect = inner.dialect;
  }

  /** The next key lookup waits until the returned function is called. */
  holdNextLookup(): () => void {
    let release!: () => void;
    this.gate = new Promise((resolve) => (release = resolve));
    return release;
  }

  async all<T>(sql: string, params?: readonly unknown[]) {
    if (KEY_LOOKUP.test(sql)) {
      this.lookups += 1;
      const gate = this.gate;
      this.gate = null;
      // Read first, then wait: the answer is what the database said before the hold.
      const rows = await this.inner.all<T>(sql, params);
      if (gate) await gate;
      return rows;
    }
    return this.inner.all<T>(sql, params);
  }
  get<T>(sql: string, params?: readonly unknown[]) {
    return this.inner.get<T>(sql, params);
  }
  run(sql: string, params?: readonly unknown[]) {
    return this.inner.run(sql, params);
  }
  exec(sql: string) {
    return this.inner.exec(sql);
  }
  transaction<T>(work: (tx: Db) => Promise<T>) {
    return this.inner.transaction(work);
  }
  close() {
    return this.inner.close();
  }
}

let fixture: AuthFixture | null = null;
const services: AuthService[] = [];
afterEach(async () => {
  for (const service of services.splice(0)) await service.stop();
  await fixture?.close();
  fixture = null;
});

async function setUp() {
  let now = Date.parse('2026-03-01T12:00:00Z');
  const f = (fixture = await startFixture());
  const db = new WatchedDb(f.db);
  const instance = () => {
    const service = new AuthService(db, silentLogger, { now: () => new Date(now) });
    services.push(service);
    return service;
  };
  return { f, db, instance, advance: (ms: number) => (now += ms) };
}

describe('verified keys', () => {
  it('asks the database once per key and TTL, not once per request', async () => {
    const { f, db, instance, advance } = await setUp();
    const auth = instance();
    const key = bearer(f.keys.get('musicbrainz')!.key);
    for (let i = 0; i < 5; i += 1) expect((await auth.authenticate(key)).scope).toBe('musicbrainz');
    expect(db.lookups).toBe(1);
    advance(999);
    await auth.authenticate(key);
    expect(db.lookups).toBe(1);
    advance(2);
    await auth.authenticate(key);
    expect(db.lookups).toBe(2);
  });

  it('does not remember unknown or revoked keys', async () => {
    const { f, db, instance } = await setUp();
    const auth = instance();
    const forged = bearer(`${f.keys.get('lrclib')!.key.slice(0, -4)}AAAA`);
    expect(await errorCode(auth.authenticate(forged))).toBe('UNAUTHENTICATED');
    expect(await errorCode(auth.authenticate(forged))).toBe('UNAUTHENTICATED');
    expect(db.lookups).toBe(2);
  });

  it('refuses a revoked, rotated or deactivated key on the very next request of the instance that changed it', async () => {
    const { f, instance } = await setUp();
    const auth = instance();
    const extra = await auth.createKey('lrclib', 'Cliente');
    const musicbrainz = bearer(f.keys.get('musicbrainz')!.key);
    const youtube = bearer(f.keys.get('youtubemusic')!.key);
    for (const key of [bearer(extra.key), musicbrainz, youtube]) await auth.authenticate(key);

    await auth.revokeKey(extra.apiKey.id);
    expect(await errorCode(auth.authenticate(bearer(extra.key)))).toBe('UNAUTHENTICATED');
    await auth.rotateKey('musicbrainz');
    expect(await errorCode(auth.authenticate(musicbrainz))).toBe('UNAUTHENTICATED');
    await auth.setSourceStatus('youtubemusic', 'inactive');
    expect(await errorCode(auth.authenticate(youtube))).toBe('SOURCE_INACTIVE');
  });

  it('does not let a lookup that read the key before its revocation remember it afterwards', async () => {
    const { f, db, instance } = await setUp();
    const auth = instance();
    const key = bearer(f.keys.get('lrclib')!.key);
    const release = db.holdNextLookup();
    const inFlight = auth.authenticate(key);
    await auth.revokeKey(f.keys.get('lrclib')!.apiKey.id);
    release();
    // It read the key while it was still valid: that request goes through…
    expect((await inFlight).scope).toBe('lrclib');
    // …but what it read is not remembered past the revocation.
    expect(await errorCode(auth.authenticate(key))).toBe('UNAUTHENTICATED');
  });

  it('lets another instance on the same database learn of a revocation within the TTL (1 s)', async () => {
    const { f, instance, advance } = await setUp();
    const [a, b] = [instance(), instance()];
    const key = bearer(f.keys.get('youtubemusic')!.key);
    await b.authenticate(key);
    await a.revokeKey(f.keys.get('youtubemusic')!.apiKey.id);
    expect((await b.authenticate(key)).scope).toBe('youtubemusic');
    advance(1_001);
    expect(await errorCode(b.authenticate(key))).toBe('UNAUTHENTICATED');
  });
});
