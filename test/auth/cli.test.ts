import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/auth/cli.js';
import { bearer, errorCode, startFixture, type AuthFixture } from './support.js';

let fixture: AuthFixture | null = null;
afterEach(async () => {
  await fixture?.close();
  fixture = null;
});

async function cli(f: AuthFixture, ...argv: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(argv, { env: { DATA_DIR: f.dir, LOG_LEVEL: 'silent' }, out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

describe('keys CLI', () => {
  it('lists sources, keys and usage as JSON for scripts', async () => {
    const f = (fixture = await startFixture());
    const principal = await f.auth.authenticate(bearer(f.keys.get('lrclib')!.key));
    f.auth.recordUsage(principal);
    f.auth.recordUsage(principal);
    await f.auth.flushUsage();

    const { code, out } = await cli(f, 'list', '--json');
    expect(code).toBe(0);
    const listed = JSON.parse(out);
    // The same spellings as GraphQL: the panel reads both alike.
    expect(listed.sources.map((s: any) => [s.id, s.name, s.status, s.unlimited, s.configured])).toEqual([
      ['lrclib', 'LRCLIB', 'ACTIVE', true, true],
      ['musicbrainz', 'MusicBrainz', 'ACTIVE', true, true],
      ['youtubemusic', 'Scraping YouTube Music', 'ACTIVE', true, true],
    ]);
    // No server has reported health into this database yet.
    expect(listed.sources.map((s: any) => s.health)).toEqual([null, null, null]);
    const lrclib = listed.sources[0];
    expect(lrclib.endpoints).toEqual(['lyrics']);
    expect(lrclib.keyPrefix).toBe(f.keys.get('lrclib')!.apiKey.prefix);
    expect(lrclib.usage).toEqual({ requestsToday: 2, requestsTotal: 2 });
    expect(lrclib.keys[0]).toMatchObject({ id: principal.keyId, active: true, usage: { requestsToday: 2, requestsTotal: 2 } });
    expect(listed.adminKeys.map((k: any) => k.id)).toEqual([f.keys.get('*')!.apiKey.id]);
    // Nothing secret in a listing.
    for (const { key } of f.keys.values()) expect(out).not.toContain(key);
    expect(out).not.toContain('hash');

    const human = await cli(f, 'list');
    expect(human.out).toContain('Scraping YouTube Music (youtubemusic) — ACTIVA, uso ilimitado');
    expect(human.out).toContain(`${f.keys.get('musicbrainz')!.apiKey.prefix}…`);
  });

  it('rotates a key and prints the new one once; the old key stops working', async () => {
    const f = (fixture = await startFixture());
    const old = f.keys.get('musicbrainz')!;
    const { code, out } = await cli(f, 'rotate', 'musicbrainz', '--json');
    expect(code).toBe(0);
    const issued = JSON.parse(out);
    expect(issued.key).toMatch(/^mk_musicbrainz_/);
    expect((await f.auth.authenticate(bearer(issued.key))).scope).toBe('musicbrainz');
    expect(await errorCode(f.auth.authenticate(bearer(old.key)))).toBe('UNAUTHENTICATED');

    const human = await cli(f, 'rotate', 'musicbrainz');
    expect(human.out).toMatch(/\n {2}mk_musicbrainz_[A-Za-z0-9_-]{54}\n/);
    expect(human.out).toContain('UNA SOLA VEZ');
  });

  it('creates, revokes and toggles status; a running server learns within the verified-key TTL', async () => {
    let now = Date.parse('2026-03-01T12:00:00Z');
    const f = (fixture = await startFixture(undefined, { now: () => new Date(now) }));
    const created = JSON.parse((await cli(f, 'create', 'youtubemusic', '--label', 'Panel Flask', '--json')).out);
    expect(created.apiKey.label).toBe('Panel Flask');
    expect((await f.auth.authenticate(bearer(created.key))).label).toBe('Panel Flask');
    expect((await f.auth.authenticate(bearer(f.keys.get('youtubemusic')!.key))).scope).toBe('youtubemusic');

    const admin = JSON.parse((await cli(f, 'create', 'admin', '--json')).out);
    expect(admin.apiKey.scope).toBe('*');

    // The CLI is another process: the server (f.auth) still trusts what it verified until the
    // 1 s TTL runs out, and asks the database again after it.
    const revoked = await cli(f, 'revoke', created.apiKey.id);
    expect(revoked.code).toBe(0);
    expect((await f.auth.authenticate(bearer(created.key))).label).toBe('Panel Flask');
    now += 1_001;
    expect(await errorCode(f.auth.authenticate(bearer(created.key)))).toBe('UNAUTHENTICATED');

    expect((await cli(f, 'status', 'youtubemusic', 'inactive')).out).toContain('inactiva');
    now += 1_001;
    expect(await errorCode(f.auth.authenticate(bearer(f.keys.get('youtubemusic')!.key)))).toBe('SOURCE_INACTIVE');
    await f.auth.refreshStatuses();
    expect(f.auth.sourceStatus('youtubemusic')).toBe('inactive');
  });

  it('issues and rotates read-only admin keys for a panel, listed apart from the full ones', async () => {
    const f = (fixture = await startFixture());
    const created = await cli(f, 'create', 'readonly', '--label', 'Panel Flask', '--json');
    expect(created.code).toBe(0);
    const issued = JSON.parse(created.out);
    expect(issued.key).toMatch(/^mk_readonly_/);
    expect(issued.apiKey).toMatchObject({ scope: '*', readOnly: true, label: 'Panel Flask', active: true });
    expect(await f.auth.authenticate(bearer(issued.key))).toMatchObject({ scope: '*', readOnly: true });

    const human = await cli(f, 'rotate', 'readonly');
    expect(human.out).toContain('Clave nueva para administración de solo lectura');
    expect(human.out).toMatch(/\n {2}mk_readonly_[A-Za-z0-9_-]{54}\n/);
    // The full admin key was not part of that rotation.
    expect((await f.auth.authenticate(bearer(f.keys.get('*')!.key))).readOnly).toBe(false);

    const listed = JSON.parse((await cli(f, 'list', '--json')).out);
    expect(listed.adminKeys.map((k: any) => [k.readOnly, k.active])).toEqual([
      [false, true],
      [true, false],
      [true, true],
    ]);
    expect((await cli(f, 'list')).out).toMatch(/«Panel Flask»  solo lectura  activa/);
  });

  it('reports refused operations with exit code 1 and bad usage with 2', async () => {
    const f = (fixture = await startFixture());
    const unknown = await cli(f, 'rotate', 'spotify');
    expect(unknown.code).toBe(1);
    // The CLI speaks to the owner in Spanish.
    expect(unknown.err).toContain('No hay ninguna fuente «spotify».');
    const asJson = await cli(f, 'revoke', 'nope', '--json');
    expect(asJson.code).toBe(1);
    expect(JSON.parse(asJson.out).error).toEqual({ code: 'BAD_USER_INPUT', message: '«nope» no tiene la forma de un id de clave.' });
    expect((await cli(f, 'status', 'lrclib', 'paused')).code).toBe(2);
    expect((await cli(f, 'frobnicate')).code).toBe(2);
    expect((await cli(f, 'list', '--verbose')).code).toBe(2);
    const help = await cli(f, 'help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('rotate <fuente|admin|readonly>');
  });

  it('prints usage per source and per key', async () => {
    const f = (fixture = await startFixture());
    const principal = await f.auth.authenticate(bearer(f.keys.get('musicbrainz')!.key));
    f.auth.recordUsage(principal);
    await f.auth.flushUsage();
    const report = JSON.parse((await cli(f, 'usage', '--json')).out);
    expect(report.sources).toContainEqual({ scope: 'musicbrainz', requestsToday: 1, requestsTotal: 1 });
    expect(report.keys.find((k: any) => k.id === principal.keyId)).toMatchObject({ requestsToday: 1, requestsTotal: 1 });
    expect((await cli(f, 'usage')).out).toMatch(/musicbrainz\s+1\s+1/);
  });
});
