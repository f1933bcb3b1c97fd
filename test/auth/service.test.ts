import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AuthService } from '../../src/auth/index.js';
import { openDatabase } from '../../src/db/index.js';
import { silentLogger } from '../../src/logger.js';
import { bearer, errorCode, LRCLIB, MUSICBRAINZ, providerShell, startFixture, tempDir, YOUTUBE_MUSIC, type AuthFixture } from './support.js';

let fixture: AuthFixture | null = null;
afterEach(async () => {
  await fixture?.close();
  fixture = null;
});

async function start(...args: Parameters<typeof startFixture>): Promise<AuthFixture> {
  fixture = await startFixture(...args);
  return fixture;
}

function keyOf(f: AuthFixture, scope: string): string {
  const issued = f.keys.get(scope);
  if (!issued) throw new Error(`no key issued for ${scope}`);
  return issued.key;
}

describe('first start (bootstrap)', () => {
  it('registers every provider with its display name, derived endpoints, active and unlimited', async () => {
    const f = await start();
    const sources = await f.auth.listSources();
    expect(sources.map((s) => [s.id, s.name, s.status, s.unlimited])).toEqual([
      ['lrclib', 'LRCLIB', 'active', true],
      ['musicbrainz', 'MusicBrainz', 'active', true],
      ['youtubemusic', 'Scraping YouTube Music', 'active', true],
    ]);
    expect(sources.find((s) => s.id === 'youtubemusic')!.endpoints).toEqual(['searchTracks', 'track', 'chart']);
    expect(sources.find((s) => s.id === 'musicbrainz')!.endpoints).toEqual([
      'searchTracks',
      'searchAlbums',
      'track',
      'album',
      'artist',
      'Artist.discography',
    ]);
    expect(sources.find((s) => s.id === 'lrclib')!.endpoints).toEqual(['lyrics']);
  });

  it('issues one key per source plus an admin key, each resolving to its own scope', async () => {
    const f = await start();
    expect([...f.keys.keys()].sort()).toEqual(['*', 'lrclib', 'musicbrainz', 'youtubemusic']);
    expect(keyOf(f, '*')).toMatch(/^mk_admin_/);
    expect(keyOf(f, 'youtubemusic')).toMatch(/^mk_youtubemusic_/);
    for (const [scope, issued] of f.keys) {
      const principal = await f.auth.authenticate(bearer(issued.key));
      expect(principal).toEqual({ keyId: issued.apiKey.id, scope, label: issued.apiKey.label, readOnly: false });
    }
  });

  it('issues nothing on a second start, and only the new key when a provider is added later', async () => {
    const dir = await tempDir();
    try {
      const first = await startFixture([MUSICBRAINZ], { dir });
      const firstKey = keyOf(first, 'musicbrainz');
      await first.close();

      const again = await startFixture([MUSICBRAINZ], { dir });
      expect(again.keys.size).toBe(0);
      await again.close();

      // MusicBrainz learns charts, YouTube Music appears: one new row and key, old key intact.
      const grown = providerShell('musicbrainz', 'MusicBrainz', ['searchTracks', 'chart']);
      const later = await startFixture([grown, YOUTUBE_MUSIC], { dir });
      expect([...later.keys.keys()]).toEqual(['youtubemusic']);
      expect((await later.auth.authenticate(bearer(firstKey))).scope).toBe('musicbrainz');
      const mb = (await later.auth.listSources()).find((s) => s.id === 'musicbrainz')!;
      expect(mb.endpoints).toEqual(['searchTracks', 'chart']);
      await later.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('issues every key once when two processes start on an empty SQLite file at the same time', async () => {
    const dir = await tempDir();
    try {
      const [a, b] = await Promise.all([startFixture(undefined, { dir }), startFixture(undefined, { dir })]);
      const scopes = [...a.keys.keys(), ...b.keys.keys()].sort();
      expect(scopes).toEqual(['*', 'lrclib', 'musicbrainz', 'youtubemusic']);
      expect(await a.db.get('SELECT COUNT(*) AS n FROM api_keys')).toEqual({ n: 4 });
      await a.close();
      await b.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('keeps the operator\'s status when a restart refreshes a provider\'s description', async () => {
    const dir = await tempDir();
    try {
      const first = await startFixture([LRCLIB], { dir });
      await first.auth.setSourceStatus('lrclib', 'inactive');
      await first.close();
      const renamed = providerShell('lrclib', 'LRCLIB (letras sincronizadas)', ['lyrics']);
      const second = await startFixture([renamed], { dir });
      const [row] = await second.auth.listSources();
      expect(row).toMatchObject({ name: 'LRCLIB (letras sincronizadas)', status: 'inactive' });
      expect(second.auth.sourceStatus('lrclib')).toBe('inactive');
      await second.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('storage of keys', () => {
  it('writes no plaintext key to the database file, only its SHA-256', async () => {
    const dir = await tempDir();
    try {
      const f = await startFixture([MUSICBRAINZ, YOUTUBE_MUSIC], { dir });
      const rotated = await f.auth.rotateKey('musicbrainz');
      const extra = await f.auth.createKey('youtubemusic', 'Cliente móvil');
      const plaintexts = [...[...f.keys.values()].map((k) => k.key), rotated.key, extra.key];
      const hashes = (await f.db.all<{ hash: string }>('SELECT hash FROM api_keys')).map((row) => row.hash);
      await f.close();

      const files = (await readdir(dir)).filter((name) => name.startsWith('musica.sqlite'));
      expect(files).toContain('musica.sqlite');
      const bytes = Buffer.concat(await Promise.all(files.map((name) => readFile(path.join(dir, name)))));
      // The reading works: the stored hashes are found in the same bytes.
      expect(hashes).toHaveLength(5);
      for (const hash of hashes) expect(bytes.includes(hash)).toBe(true);
      for (const key of plaintexts) {
        expect(bytes.includes(key)).toBe(false);
        // Nor the secret part on its own (everything after the displayed prefix).
        expect(bytes.includes(key.slice(-46))).toBe(false);
        expect(bytes.includes(Buffer.from(key, 'utf16le'))).toBe(false);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('authenticate', () => {
  it('refuses a missing, malformed, unknown or revoked key with UNAUTHENTICATED', async () => {
    const f = await start();
    expect(await errorCode(f.auth.authenticate({}))).toBe('UNAUTHENTICATED');
    expect(await errorCode(f.auth.authenticate(bearer('not-a-key')))).toBe('UNAUTHENTICATED');
    const real = keyOf(f, 'lrclib');
    const forged = real.slice(0, -1) + (real.endsWith('A') ? 'B' : 'A');
    expect(await errorCode(f.auth.authenticate(bearer(forged)))).toBe('UNAUTHENTICATED');
    await f.auth.revokeKey(f.keys.get('lrclib')!.apiKey.id);
    expect(await errorCode(f.auth.authenticate(bearer(real)))).toBe('UNAUTHENTICATED');
  });

  it('accepts the key in X-API-Key as well', async () => {
    const f = await start();
    expect((await f.auth.authenticate({ 'x-api-key': keyOf(f, 'musicbrainz') })).scope).toBe('musicbrainz');
  });

  it('answers SOURCE_INACTIVE to the key of an inactive source until it is active again; admin is unaffected', async () => {
    const f = await start();
    await f.auth.setSourceStatus('youtubemusic', 'inactive');
    expect(f.auth.sourceStatus('youtubemusic')).toBe('inactive');
    expect(await errorCode(f.auth.authenticate(bearer(keyOf(f, 'youtubemusic'))))).toBe('SOURCE_INACTIVE');
    expect((await f.auth.authenticate(bearer(keyOf(f, '*')))).scope).toBe('*');
    await f.auth.setSourceStatus('youtubemusic', 'active');
    expect((await f.auth.authenticate(bearer(keyOf(f, 'youtubemusic')))).scope).toBe('youtubemusic');
  });

  it('sees a status changed by another process at its next refresh, and at once for that source\'s key', async () => {
    const f = await start();
    const other = new AuthService(await openDatabase({ dataDir: f.dir, databaseUrl: null }), silentLogger);
    try {
      await other.setSourceStatus('musicbrainz', 'inactive');
      expect(f.auth.sourceStatus('musicbrainz')).toBe('active');
      // The key check reads the row itself, so the refusal does not wait for the refresh.
      expect(await errorCode(f.auth.authenticate(bearer(keyOf(f, 'musicbrainz'))))).toBe('SOURCE_INACTIVE');
      expect(f.auth.sourceStatus('musicbrainz')).toBe('inactive');
      await other.setSourceStatus('lrclib', 'inactive');
      await f.auth.refreshStatuses();
      expect(f.auth.sourceStatus('lrclib')).toBe('inactive');
    } finally {
      await other.db.close();
    }
  });
});

describe('admin operations', () => {
  it('rotates a source key: the new key works, the old one stops at once and points to its replacement', async () => {
    const f = await start();
    const old = f.keys.get('musicbrainz')!;
    const fresh = await f.auth.rotateKey('musicbrainz');
    expect(fresh.key).toMatch(/^mk_musicbrainz_/);
    expect(await errorCode(f.auth.authenticate(bearer(old.key)))).toBe('UNAUTHENTICATED');
    expect((await f.auth.authenticate(bearer(fresh.key))).keyId).toBe(fresh.apiKey.id);
    const stored = await f.auth.findKey(old.apiKey.id);
    expect(stored).toMatchObject({ replacedBy: fresh.apiKey.id });
    expect(stored!.revokedAt).not.toBeNull();
    expect(fresh.apiKey.label).toBe(old.apiKey.label);
  });

  it('rotates only the named key when a key id is given', async () => {
    const f = await start();
    const extra = await f.auth.createKey('lrclib', 'Cliente web');
    const fresh = await f.auth.rotateKey('lrclib', extra.apiKey.id);
    expect(fresh.apiKey.label).toBe('Cliente web');
    expect(await errorCode(f.auth.authenticate(bearer(extra.key)))).toBe('UNAUTHENTICATED');
    expect((await f.auth.authenticate(bearer(keyOf(f, 'lrclib')))).scope).toBe('lrclib');
  });

  it('creates additional keys, admin keys included', async () => {
    const f = await start();
    const admin = await f.auth.createKey('*', 'Segunda administración');
    expect(admin.key).toMatch(/^mk_admin_/);
    expect(await f.auth.authenticate(bearer(admin.key))).toEqual({ keyId: admin.apiKey.id, scope: '*', label: 'Segunda administración', readOnly: false });
  });

  it('answers BAD_USER_INPUT to bad input and changes nothing', async () => {
    const f = await start();
    const before = await f.db.all('SELECT * FROM api_keys ORDER BY id');
    const sourcesBefore = await f.db.all('SELECT * FROM sources ORDER BY id');
    const attempts: (() => Promise<unknown>)[] = [
      () => f.auth.createKey('spotify'),
      () => f.auth.createKey('Music Brainz'),
      () => f.auth.createKey('musicbrainz', 'x'.repeat(101)),
      () => f.auth.createKey('musicbrainz', 'line\nbreak'),
      () => f.auth.rotateKey('nope'),
      () => f.auth.rotateKey('lrclib', 'key_0000000000000000'),
      () => f.auth.rotateKey('lrclib', f.keys.get('musicbrainz')!.apiKey.id),
      () => f.auth.rotateKey('lrclib', 'DROP TABLE'),
      () => f.auth.revokeKey('key_0000000000000000'),
      () => f.auth.revokeKey("1' OR '1'='1"),
      () => f.auth.setSourceStatus('nope', 'inactive'),
      () => f.auth.setSourceStatus('*', 'inactive'),
      () => f.auth.setSourceStatus('lrclib', 'paused' as never),
    ];
    for (const attempt of attempts) expect(await errorCode(attempt())).toBe('BAD_USER_INPUT');
    expect(await f.db.all('SELECT * FROM api_keys ORDER BY id')).toEqual(before);
    expect(await f.db.all('SELECT * FROM sources ORDER BY id')).toEqual(sourcesBefore);
  });

  it('refuses to revoke the last active admin key, but allows it once another exists', async () => {
    const f = await start();
    const first = f.keys.get('*')!;
    expect(await errorCode(f.auth.revokeKey(first.apiKey.id))).toBe('BAD_USER_INPUT');
    const second = await f.auth.createKey('*', 'Nueva');
    expect((await f.auth.revokeKey(first.apiKey.id)).revokedAt).not.toBeNull();
    expect(await errorCode(f.auth.authenticate(bearer(first.key)))).toBe('UNAUTHENTICATED');
    expect((await f.auth.authenticate(bearer(second.key))).scope).toBe('*');
  });
});

describe('usage counting', () => {
  it('counts requests per key and per source per day without waiting for the write, then stores them', async () => {
    let now = new Date('2025-03-01T23:59:00Z');
    const f = await start(undefined, { now: () => now });
    const mb = await f.auth.authenticate(bearer(keyOf(f, 'musicbrainz')));
    const admin = await f.auth.authenticate(bearer(keyOf(f, '*')));
    for (let i = 0; i < 3; i += 1) f.auth.recordUsage(mb);
    f.auth.recordUsage(admin);
    expect((await f.auth.usageByScope()).get('musicbrainz')).toEqual({ requestsToday: 3, requestsTotal: 3 });
    expect(await f.db.get('SELECT COUNT(*) AS n FROM key_usage')).toEqual({ n: 0 });

    await f.auth.flushUsage();
    expect(await f.db.all('SELECT key_id, scope, day, count FROM key_usage ORDER BY scope')).toEqual([
      { key_id: admin.keyId, scope: '*', day: '2025-03-01', count: 1 },
      { key_id: mb.keyId, scope: 'musicbrainz', day: '2025-03-01', count: 3 },
    ]);
    expect((await f.auth.findKey(mb.keyId))!.lastUsedAt).toBe('2025-03-01T23:59:00.000Z');

    now = new Date('2025-03-02T00:01:00Z');
    f.auth.recordUsage(mb);
    expect((await f.auth.usageByScope()).get('musicbrainz')).toEqual({ requestsToday: 1, requestsTotal: 4 });
    await f.auth.flushUsage();
    expect((await f.auth.usageByScope()).get('musicbrainz')).toEqual({ requestsToday: 1, requestsTotal: 4 });
    expect((await f.auth.usageByKey()).get(mb.keyId)).toEqual({ requestsToday: 1, requestsTotal: 4 });
  });

  it('counts everything exactly once in a read made while a write is in flight', async () => {
    const f = await start();
    const mb = await f.auth.authenticate(bearer(keyOf(f, 'musicbrainz')));
    for (let i = 0; i < 3; i += 1) f.auth.recordUsage(mb);
    const writing = f.auth.flushUsage();
    expect((await f.auth.usageByScope()).get('musicbrainz')).toEqual({ requestsToday: 3, requestsTotal: 3 });
    await writing;
    f.auth.recordUsage(mb);
    const again = f.auth.flushUsage();
    expect((await f.auth.usageByKey()).get(mb.keyId)).toEqual({ requestsToday: 4, requestsTotal: 4 });
    await again;
  });

  it('keeps the counts when a write fails and stores them at the next flush', async () => {
    const f = await start();
    const mb = await f.auth.authenticate(bearer(keyOf(f, 'musicbrainz')));
    f.auth.recordUsage(mb);
    await f.db.exec('ALTER TABLE key_usage RENAME TO key_usage_away');
    await f.auth.flushUsage();
    f.auth.recordUsage(mb);
    await f.db.exec('ALTER TABLE key_usage_away RENAME TO key_usage');
    await f.auth.flushUsage();
    expect(await f.db.get('SELECT SUM(count) AS n FROM key_usage')).toEqual({ n: 2 });
  });
});
