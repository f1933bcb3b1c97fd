import { rm } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { bootstrapSources } from '../../src/auth/bootstrap.js';
import { AUTH_MIGRATIONS, AuthService } from '../../src/auth/index.js';
import { openDatabase } from '../../src/db/index.js';
import { migrate } from '../../src/db/migrate.js';
import type { Db } from '../../src/db/types.js';
import { silentLogger } from '../../src/logger.js';
import { ProviderRegistry } from '../../src/providers/registry.js';
import { bearer, errorCode, MUSICBRAINZ, startFixture, tempDir, YOUTUBE_MUSIC, type AuthFixture } from './support.js';

/**
 * A database whose transactions crash at the n-th write: stands in for a process dying or a
 * disk failing between two steps of a key change.
 */
class CrashingDb implements Db {
  readonly dialect;
  writes = 0;

  constructor(
    private readonly inner: Db,
    private readonly crashAtWrite: number,
  ) {
    this.dialect = inner.dialect;
  }

  all<T>(sql: string, params?: readonly unknown[]) {
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
  close() {
    return this.inner.close();
  }

  transaction<T>(work: (tx: Db) => Promise<T>): Promise<T> {
    return this.inner.transaction((tx) =>
      work({
        dialect: tx.dialect,
        all: (sql, params) => tx.all(sql, params),
        get: (sql, params) => tx.get(sql, params),
        exec: (sql) => tx.exec(sql),
        transaction: (inner) => tx.transaction(inner),
        close: () => tx.close(),
        run: async (sql, params) => {
          this.writes += 1;
          if (this.writes === this.crashAtWrite) throw new Error(`simulated crash at write ${this.writes}`);
          return tx.run(sql, params);
        },
      }),
    );
  }
}

let fixture: AuthFixture | null = null;
afterEach(async () => {
  await fixture?.close();
  fixture = null;
});

async function keyRows(db: Db) {
  return db.all('SELECT id, scope, label, prefix, hash, revoked_at, replaced_by FROM api_keys ORDER BY id');
}

describe('key changes are atomic', () => {
  it('rotation crashing at any of its writes leaves the old key working and no new key behind', async () => {
    // The rotations run on other service instances: `f.auth` must read what the database says
    // on every call, not a key it verified a moment ago (instances learn within that TTL).
    const f = (fixture = await startFixture(undefined, { verifiedKeyTtlMs: 0 }));
    const old = f.keys.get('musicbrainz')!;
    const before = await keyRows(f.db);

    let writesInRotation = 0;
    for (let crashAt = 1; ; crashAt += 1) {
      const crashing = new CrashingDb(f.db, crashAt);
      const auth = new AuthService(crashing, silentLogger);
      const outcome = await auth.rotateKey('musicbrainz').then(
        (issued) => ({ issued }),
        (error: Error) => ({ error }),
      );
      if ('issued' in outcome) {
        writesInRotation = crashing.writes;
        expect(await errorCode(f.auth.authenticate(bearer(old.key)))).toBe('UNAUTHENTICATED');
        expect((await f.auth.authenticate(bearer(outcome.issued.key))).scope).toBe('musicbrainz');
        break;
      }
      expect(outcome.error.message).toBe(`simulated crash at write ${crashAt}`);
      expect(await keyRows(f.db)).toEqual(before);
      expect((await f.auth.authenticate(bearer(old.key))).keyId).toBe(old.apiKey.id);
    }
    // Insert of the new key and revocation of the old: a crash between them was exercised.
    expect(writesInRotation).toBeGreaterThanOrEqual(2);
  });

  it('creation crashing at any of its writes leaves no key half-made', async () => {
    const f = (fixture = await startFixture());
    const before = await keyRows(f.db);
    const sourcesBefore = await f.db.all('SELECT * FROM sources ORDER BY id');
    let writesInCreation = 0;
    for (let crashAt = 1; ; crashAt += 1) {
      const crashing = new CrashingDb(f.db, crashAt);
      const outcome = await new AuthService(crashing, silentLogger).createKey('lrclib', 'Cliente').then(
        (issued) => ({ issued }),
        (error: Error) => ({ error }),
      );
      if ('issued' in outcome) {
        writesInCreation = crashing.writes;
        expect((await f.auth.authenticate(bearer(outcome.issued.key))).label).toBe('Cliente');
        break;
      }
      expect(await keyRows(f.db)).toEqual(before);
      expect(await f.db.all('SELECT * FROM sources ORDER BY id')).toEqual(sourcesBefore);
    }
    expect(writesInCreation).toBeGreaterThanOrEqual(2);
  });

  it('a first start crashing half-way registers nothing, and the next start issues every key', async () => {
    const dir = await tempDir();
    const db = await openDatabase({ dataDir: dir, databaseUrl: null });
    try {
      await migrate(db, AUTH_MIGRATIONS);
      const registry = new ProviderRegistry([MUSICBRAINZ, YOUTUBE_MUSIC]);
      await expect(bootstrapSources(new CrashingDb(db, 3), registry)).rejects.toThrow('simulated crash at write 3');
      expect(await db.get('SELECT COUNT(*) AS n FROM sources')).toEqual({ n: 0 });
      expect(await db.get('SELECT COUNT(*) AS n FROM api_keys')).toEqual({ n: 0 });
      const result = await bootstrapSources(db, registry);
      expect(result.issued.map((k) => k.apiKey.scope)).toEqual(['*', 'musicbrainz', 'youtubemusic']);
    } finally {
      await db.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
