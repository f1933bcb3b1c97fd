import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDownloadSettings, parseBytes } from '../../src/downloads/config.js';
import { DownloadError } from '../../src/downloads/errors.js';
import { assertAllowedUrl } from '../../src/downloads/fetcher.js';
import { hostMatches as hostAllowed } from '../../src/http/hosts.js';
import { fileName, layoutFor, resolveInside, sanitizeSegment, truncateBytes } from '../../src/downloads/names.js';
import { creditLine } from '../../src/domain/credits.js';
import { createInProcessQueue } from '../../src/downloads/queue.js';
import { createUrlSigner, loadServerSecret } from '../../src/downloads/signing.js';
import { silentLogger } from '../../src/logger.js';
import { licensedTrack } from './support.js';

describe('names', () => {
  it.each([
    ['../../etc/passwd', '_.._etc_passwd'],
    ['..', '_'],
    ['.', '_'],
    ['.bashrc', 'bashrc'],
    ['CON', '_CON'],
    ['con.txt', '_con.txt'],
    ['LPT9', '_LPT9'],
    ['Console', 'Console'],
    ['trailing dots...', 'trailing dots'],
    ['  spaced   out  ', 'spaced out'],
    ['tab\there\nnew', 'tab here new'],
    ['\u202Eevil\u202C\u200F name\u200B', 'evil name'],
    ['a<b>c:d"e/f\\g|h?i*j', 'a_b_c_d_e_f_g_h_i_j'],
    ['Cafe\u0301', 'Café'],
    ['', '_'],
  ])('sanitizeSegment(%j) → %j', (raw, expected) => {
    expect(sanitizeSegment(raw, 120)).toBe(expected);
  });

  it('composes to NFC', () => {
    expect(sanitizeSegment('Cafe\u0301', 120)).toBe('Caf\u00e9');
  });

  it('cuts on grapheme boundaries by bytes', () => {
    const family = '👩‍👩‍👧‍👦';
    expect(Buffer.byteLength(family)).toBe(25);
    expect(truncateBytes(`ab${family}`, 26)).toBe('ab');
    expect(truncateBytes(`ab${family}`, 27)).toBe(`ab${family}`);
    expect(truncateBytes('ñññ', 5)).toBe('ññ');
  });

  it('keeps extension and collision suffix when shortening a file name', () => {
    const long = 'x'.repeat(400);
    expect(fileName(long, 'wav')).toBe(`${'x'.repeat(196)}.wav`);
    const second = fileName(long, 'mp3', 2);
    expect(second.endsWith(' (2).mp3')).toBe(true);
    expect(Buffer.byteLength(second)).toBe(200);
  });

  it('lays out artist / album / NN - title', () => {
    expect(layoutFor({ artist: 'Rosalía', album: 'Motomami', title: 'Saoko', trackNumber: 1 })).toEqual({ dir: 'Rosalía/Motomami', stem: '01 - Saoko' });
    expect(layoutFor({ artist: '', album: null, title: '', trackNumber: null })).toEqual({ dir: 'Artista desconocido/Sin álbum', stem: 'Sin título' });
    expect(layoutFor({ artist: 'A', album: 'B', title: 'C', trackNumber: 112 }).stem).toBe('112 - C');
  });

  it('refuses relative paths that leave the root', () => {
    const root = path.resolve('/srv/musica');
    expect(resolveInside(root, 'A/B/01 - C.wav')).toBe(path.join(root, 'A/B/01 - C.wav'));
    for (const bad of ['../x', 'A/../../x', '/etc/passwd', 'A//B', '.partial/x', 'A\\..\\x', 'A/B\0/c']) {
      expect(() => resolveInside(root, bad)).toThrow();
    }
  });

  it('joins artist credits with their join phrases', () => {
    expect(creditLine([{ id: null, name: 'A', joinPhrase: ' feat. ' }, { id: null, name: 'B' }])).toBe('A feat. B');
    expect(creditLine([{ id: null, name: 'A' }, { id: null, name: 'B' }])).toBe('A, B');
    expect(creditLine([])).toBe('');
  });
});

describe('signed URLs', () => {
  const signer = createUrlSigner(Buffer.from('x'.repeat(40)), { ttlSeconds: 60, publicUrl: 'https://musica.example' });
  const now = Date.UTC(2025, 0, 1);

  it('signs the path and expiry and verifies them back', () => {
    const { url, expiresAt } = signer.sign('Ár tist/Al bum/01 - T.wav', now);
    expect(expiresAt.getTime()).toBe(now + 60_000);
    const parsed = new URL(url);
    expect(parsed.origin + parsed.pathname).toBe('https://musica.example/files/%C3%81r%20tist/Al%20bum/01%20-%20T.wav');
    const exp = parsed.searchParams.get('exp')!;
    const sig = parsed.searchParams.get('sig')!;
    expect(signer.verify('Ár tist/Al bum/01 - T.wav', exp, sig, now)).toBe(true);
    expect(signer.verify('Ár tist/Al bum/01 - T.mp3', exp, sig, now)).toBe(false);
    expect(signer.verify('Ár tist/Al bum/01 - T.wav', String(Number(exp) + 1), sig, now)).toBe(false);
    expect(signer.verify('Ár tist/Al bum/01 - T.wav', exp, sig, now + 60_000)).toBe(false);
    expect(signer.verify('Ár tist/Al bum/01 - T.wav', exp, undefined, now)).toBe(false);
  });

  it('does not accept a signature made with another secret', () => {
    const other = createUrlSigner(Buffer.from('y'.repeat(40)), { ttlSeconds: 60, publicUrl: null });
    const parsed = new URL(other.sign('a/b/c.wav', now).url, 'http://x');
    expect(signer.verify('a/b/c.wav', parsed.searchParams.get('exp')!, parsed.searchParams.get('sig')!, now)).toBe(false);
  });

  it('generates the server secret once, private, and reuses it', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'musica-secret-'));
    try {
      const first = await loadServerSecret(null, dir);
      const second = await loadServerSecret(null, dir);
      expect(first.equals(second)).toBe(true);
      expect(first.length).toBe(64);
      expect((await stat(path.join(dir, 'secret'))).mode & 0o777).toBe(0o600);
      expect((await readFile(path.join(dir, 'secret'), 'utf8')).trim()).toBe(first.toString());
      expect((await loadServerSecret('z'.repeat(40), dir)).toString()).toBe('z'.repeat(40));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('host allowlist', () => {
  it('matches exact hosts and subdomain wildcards', () => {
    const allowed = ['archive.org', '*.archive.org'];
    expect(hostAllowed('archive.org', allowed)).toBe(true);
    expect(hostAllowed('ia801200.us.archive.org', allowed)).toBe(true);
    expect(hostAllowed('ARCHIVE.ORG.', allowed)).toBe(true);
    expect(hostAllowed('evilarchive.org', allowed)).toBe(false);
    expect(hostAllowed('archive.org.evil.net', allowed)).toBe(false);
    expect(hostAllowed('cdn.example.com', ['*.example.com'])).toBe(true);
    expect(hostAllowed('example.com', ['*.example.com'])).toBe(false);
  });

  it('refuses credentials, ports and non-HTTP schemes', () => {
    const allowed = ['archive.org'];
    expect(() => assertAllowedUrl(new URL('https://user:pw@archive.org/x'), allowed)).toThrow(DownloadError);
    expect(() => assertAllowedUrl(new URL('https://archive.org:444/x'), allowed)).toThrow(/port 444/);
    expect(() => assertAllowedUrl(new URL('ftp://archive.org/x'), allowed)).toThrow(/ftp:/);
    expect(() => assertAllowedUrl(new URL('https://archive.org/download/x'), allowed)).not.toThrow();
    expect(() => assertAllowedUrl(new URL('http://archive.org/download/x'), allowed, new URL('https://archive.org/download/x'))).toThrow(/https to http/);
  });
});

describe('settings', () => {
  it('reads sizes with units and validates the secret', () => {
    expect(parseBytes('500M')).toBe(500 * 1024 ** 2);
    expect(parseBytes('20GiB')).toBe(20 * 1024 ** 3);
    expect(parseBytes('1234')).toBe(1234);
    expect(parseBytes('-1')).toBeNull();
    expect(parseBytes('lots')).toBeNull();
    const settings = loadDownloadSettings({ MUSIC_DIR_MAX_BYTES: '2T', FFMPEG_PATH: '/usr/bin/ffmpeg' });
    expect(settings).toMatchObject({ maxStorageBytes: 2 * 1024 ** 4, maxOriginalBytes: 1024 ** 3, ffmpegPath: '/usr/bin/ffmpeg', serverSecret: null, urlTtlSeconds: 3600 });
    // Configuration mistakes are the owner's to read: in Spanish, naming the variable, like src/config.ts.
    expect(() => loadDownloadSettings({ SERVER_SECRET: 'short' })).toThrow(
      expect.objectContaining({ name: 'ConfigError', variable: 'SERVER_SECRET', message: 'SERVER_SECRET debe tener al menos 32 caracteres (firma las URL de descarga)' }),
    );
    expect(() => loadDownloadSettings({ MUSIC_DIR_MAX_BYTES: 'big' })).toThrow(
      expect.objectContaining({ variable: 'MUSIC_DIR_MAX_BYTES', message: expect.stringContaining('MUSIC_DIR_MAX_BYTES debe ser un tamaño en bytes') }),
    );
    expect(() => loadDownloadSettings({ DOWNLOAD_CONCURRENCY: '0' })).toThrow(
      expect.objectContaining({ variable: 'DOWNLOAD_CONCURRENCY', message: 'DOWNLOAD_CONCURRENCY debe ser un número entero entre 1 y 16 (se recibió "0")' }),
    );
  });
});

describe('in-process queue', () => {
  it('shares a job per track, limits concurrency and reports failures by code', async () => {
    let running = 0;
    let peak = 0;
    const gates = new Map<string, () => void>();
    const started: string[] = [];
    const queue = createInProcessQueue({
      concurrency: 2,
      logger: silentLogger,
      handler: async ({ trackId }, report) => {
        running += 1;
        peak = Math.max(peak, running);
        started.push(trackId);
        report(0.5);
        await new Promise<void>((resolve) => gates.set(trackId, resolve));
        running -= 1;
        if (trackId.endsWith(':bad')) throw new DownloadError('NOT_AUDIO', 'nope');
        if (trackId.endsWith(':crash')) throw new Error('boom');
      },
    });
    const payload = (id: string) => ({ trackId: licensedTrack({ nativeId: id }).id, track: licensedTrack({ nativeId: id }) });
    const tick = () => new Promise((resolve) => setTimeout(resolve, 10));

    const a1 = await queue.enqueue(payload('a'));
    const a2 = await queue.enqueue(payload('a'));
    expect(a2.id).toBe(a1.id);
    const bad = await queue.enqueue(payload('bad'));
    const crash = await queue.enqueue(payload('crash'));
    await tick();
    expect(started).toEqual([payload('a').trackId, payload('bad').trackId]);
    expect(await queue.get(a1.id)).toMatchObject({ state: 'RUNNING', progress: 0.5 });
    expect(await queue.get(crash.id)).toMatchObject({ state: 'QUEUED', progress: 0 });

    gates.get(payload('a').trackId)!();
    expect(await queue.settled(a1.id)).toMatchObject({ state: 'DONE', progress: 1, error: null });
    await tick();
    expect(await queue.get(crash.id)).toMatchObject({ state: 'RUNNING' });
    gates.get(payload('bad').trackId)!();
    gates.get(payload('crash').trackId)!();
    expect(await queue.settled(bad.id)).toMatchObject({ state: 'FAILED', error: { code: 'NOT_AUDIO', message: 'nope' } });
    expect(await queue.settled(crash.id)).toMatchObject({ state: 'FAILED', error: { code: 'INTERNAL' } });
    expect(peak).toBe(2);

    // Once finished, a new request for the same track is a new job.
    const a3 = await queue.enqueue(payload('a'));
    expect(a3.id).not.toBe(a1.id);
    await tick();
    gates.get(payload('a').trackId)!();
    expect((await queue.settled(a3.id)).state).toBe('DONE');
    await queue.close();
  });
});
