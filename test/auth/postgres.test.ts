import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startAuth, type AuthService } from '../../src/auth/index.js';
import { openPostgres, type PostgresDb } from '../../src/db/postgres.js';
import { silentLogger } from '../../src/logger.js';
import { ProviderRegistry } from '../../src/providers/registry.js';
import { bearer, errorCode, LRCLIB, MUSICBRAINZ, YOUTUBE_MUSIC } from './support.js';
import { TEST_DATABASE_URL, missingPostgres, testSchemas } from '../support/postgres.js';

/**
 * The keys registry on a real PostgreSQL (`TEST_DATABASE_URL`, default the local trust-auth
 * server), in a schema per test dropped afterwards: the SQL shared with SQLite, usage
 * upserts, and two instances starting at once. Skipped, with the reason printed, only when
 * no server answers.
 */
const url = TEST_DATABASE_URL;
const unavailable = await missingPostgres('PostgreSQL keys registry tests');

const schemas = testSchemas('musica_auth');
const open: { db: PostgresDb; auth: AuthService }[] = [];
const registry = new ProviderRegistry([MUSICBRAINZ, YOUTUBE_MUSIC, LRCLIB]);

const newSchema = () => schemas.next();

async function instance(schema: string) {
  const db = await openPostgres(url, { schema });
  const started = await startAuth({ db, logger: silentLogger, providers: registry });
  open.push({ db, auth: started.auth });
  return { db, ...started };
}

afterEach(async () => {
  for (const { db, auth } of open.splice(0)) {
    await auth.stop();
    await db.close();
  }
});

afterAll(async () => {
  if (!unavailable) await schemas.dropAll();
});

describe.skipIf(Boolean(unavailable))('keys registry on PostgreSQL', () => {
  it('bootstraps, authenticates, rotates, revokes and deactivates', async () => {
    const { auth, bootstrap, db } = await instance(newSchema());
    const keys = new Map(bootstrap.issued.map((k) => [k.apiKey.scope, k]));
    expect([...keys.keys()].sort()).toEqual(['*', 'lrclib', 'musicbrainz', 'youtubemusic']);
    expect((await auth.listSources()).map((s) => [s.id, s.name, s.status, s.unlimited])).toEqual([
      ['lrclib', 'LRCLIB', 'active', true],
      ['musicbrainz', 'MusicBrainz', 'active', true],
      ['youtubemusic', 'Scraping YouTube Music', 'active', true],
    ]);
    const mb = keys.get('musicbrainz')!;
    expect(await auth.authenticate(bearer(mb.key))).toEqual({ keyId: mb.apiKey.id, scope: 'musicbrainz', label: 'Clave inicial', readOnly: false });

    const fresh = await auth.rotateKey('musicbrainz');
    expect(await errorCode(auth.authenticate(bearer(mb.key)))).toBe('UNAUTHENTICATED');
    expect((await auth.authenticate(bearer(fresh.key))).keyId).toBe(fresh.apiKey.id);
    expect((await auth.findKey(mb.apiKey.id))!.replacedBy).toBe(fresh.apiKey.id);

    await auth.setSourceStatus('lrclib', 'inactive');
    expect(await errorCode(auth.authenticate(bearer(keys.get('lrclib')!.key)))).toBe('SOURCE_INACTIVE');
    expect(await errorCode(auth.revokeKey(keys.get('*')!.apiKey.id))).toBe('BAD_USER_INPUT');
    expect(await errorCode(auth.createKey('spotify'))).toBe('BAD_USER_INPUT');

    // No plaintext anywhere in the table, only hashes.
    const stored = JSON.stringify(await db.all('SELECT * FROM api_keys'));
    for (const { key } of [...keys.values(), fresh]) expect(stored).not.toContain(key.slice(-46));
  });

  it('adds usage with upserts and returns the sums as numbers', async () => {
    const { auth, bootstrap } = await instance(newSchema());
    const yt = bootstrap.issued.find((k) => k.apiKey.scope === 'youtubemusic')!;
    const principal = await auth.authenticate(bearer(yt.key));
    auth.recordUsage(principal);
    auth.recordUsage(principal);
    await auth.flushUsage();
    auth.recordUsage(principal);
    await auth.flushUsage();
    expect((await auth.usageByScope()).get('youtubemusic')).toEqual({ requestsToday: 3, requestsTotal: 3 });
    expect((await auth.usageByKey()).get(principal.keyId)).toEqual({ requestsToday: 3, requestsTotal: 3 });
    expect((await auth.findKey(principal.keyId))!.lastUsedAt).not.toBeNull();
  });

  it('issues every key once when two instances start on an empty database at the same time', async () => {
    const schema = newSchema();
    const first = await openPostgres(url, { schema });
    await first.close();
    const [a, b] = await Promise.all([instance(schema), instance(schema)]);
    const issued = [...a.bootstrap.issued, ...b.bootstrap.issued].map((k) => k.apiKey.scope).sort();
    expect(issued).toEqual(['*', 'lrclib', 'musicbrainz', 'youtubemusic']);
    expect(await a.db.get('SELECT COUNT(*) AS n FROM api_keys')).toEqual({ n: 4 });
    expect(await a.db.get('SELECT COUNT(*) AS n FROM sources')).toEqual({ n: 3 });
  });
});
