import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { IssuedKey } from '../../src/auth/index.js';
import { createMemoryCache } from '../../src/cache/store.js';
import { composeCoreServices } from '../../src/compose.js';
import { loadDownloadSettings } from '../../src/downloads/config.js';
import { createFilesRouter } from '../../src/downloads/http.js';
import { createDownloadService } from '../../src/downloads/service.js';
import { silentLogger } from '../../src/logger.js';
import { createLrclibProvider } from '../../src/providers/lrclib/index.js';
import type { Services } from '../../src/services.js';
import { FILE_HOST, SOURCE, fileHostLookup, generateAudio, startDownloads, type DownloadHarness, type GeneratedAudio } from '../downloads/support.js';
import { ARTIFACTS, POLL, missingChromium, type OpenBrowser } from '../support/browser.js';
import { serveApp } from '../support/gateway.js';
import { issueKeys, openKeys, phoneBrowser, signIn } from './support.js';

vi.mock('../../src/schema/index.js', async (importOriginal) => (await import('./support.js')).contractSchemaModule(importOriginal as never));

/**
 * «Preparar descarga» against the real download service: the `filehost` test source of the
 * download tests (test/downloads/support.ts) offers a CC BY track whose FLAC is generated with
 * ffmpeg, and a second one whose "audio" is a web page. The page polls the job until it is done,
 * then links the signed /files URLs; a failed job is explained in Spanish. A third track is the
 * song of LRCLIB's documented example record, whose real synced lyrics the page lists. Keys and
 * source names come from the real keys registry.
 */
const noBrowser = missingChromium('/ web client downloads and lyrics');

// A real LRCLIB /api/get answer (origin in test/fixtures/lrclib/README.md).
const LRCLIB_GET = readFileSync(new URL('../fixtures/lrclib/get.json', import.meta.url), 'utf8');
// Jamendo's documented sample track (test/fixtures/jamendo/README.md).
const JAMENDO_TRACK = (JSON.parse(readFileSync(new URL('../fixtures/jamendo/tracks.json', import.meta.url), 'utf8')) as { results: JamendoTrack[] }).results[0]!;

interface JamendoTrack {
  id: string;
  name: string;
  artist_name: string;
  duration: number;
  shareurl: string;
}

describe.skipIf(Boolean(noBrowser))('/ (web client): downloads, lyrics and other sources in a real browser', () => {
  let audio: GeneratedAudio;
  let downloads: DownloadHarness;
  let services: Services;
  let keys: Map<string, IssuedKey>;
  let app: Awaited<ReturnType<typeof serveApp>>;
  let browser: OpenBrowser;
  let page: Page;
  const foreign: { url: string; type: string }[] = [];
  const texts = (selector: string) => page.locator(selector).allTextContents();
  const nameOf = (id: string) => services.providers.get(id)!.name;

  beforeAll(async () => {
    audio = await generateAudio();
    downloads = await startDownloads({ env: { SERVER_SECRET: 's'.repeat(40), CHAIN_LYRICS: 'lrclib' }, extraHosts: ['lrclib.net'] });
    await downloads.service.close();
    const { server, config, dataDir, musicDir, db } = downloads;
    server.route('GET', `https://${FILE_HOST}/api/tracks/song-1`, { body: JSON.stringify({ title: 'Canción uno', artist: 'Artista Prueba' }) });
    server.route('GET', `https://${FILE_HOST}/audio/song-1.flac`, { body: audio.flac, contentType: 'audio/flac' });
    server.route('GET', `https://${FILE_HOST}/api/tracks/song-2`, { body: JSON.stringify({ title: 'Canción dos', artist: 'Artista Prueba' }) });
    server.route('GET', `https://${FILE_HOST}/audio/song-2.flac`, { body: '<!doctype html><title>Descarga</title>', contentType: 'text/html' });
    // The song of LRCLIB's documented example record, to show its real synced lyrics.
    const lyricsRecord = JSON.parse(LRCLIB_GET);
    server.route('GET', `https://${FILE_HOST}/api/tracks/song-3`, {
      body: JSON.stringify({ title: lyricsRecord.trackName, artist: lyricsRecord.artistName, album: lyricsRecord.albumName, duration: lyricsRecord.duration }),
    });
    const get = new URL('https://lrclib.net/api/get');
    for (const [name, value] of Object.entries({ track_name: lyricsRecord.trackName, artist_name: lyricsRecord.artistName, album_name: lyricsRecord.albumName, duration: lyricsRecord.duration })) {
      get.searchParams.set(name, String(value));
    }
    server.route('GET', get.toString(), { body: LRCLIB_GET });
    // Every other song has no lyrics at LRCLIB: its answer for a signature it does not know.
    server.fallback((request, response) => {
      if (request.host !== 'lrclib.net') return false;
      response.writeHead(404, { 'content-type': 'application/json' }).end('{"code":404,"name":"TrackNotFound","message":"Failed to find specified track"}');
      return true;
    });
    // Jamendo's sample song, as this test source has it too (for the "other sources" view).
    server.route('GET', `https://${FILE_HOST}/api/tracks/song-4`, { body: JSON.stringify({ title: JAMENDO_TRACK.name, artist: JAMENDO_TRACK.artist_name, duration: JAMENDO_TRACK.duration }) });

    const env = { LOG_LEVEL: 'silent', UPSTREAM_RETRIES: '0', HEDGE_DELAY_MS: '0', MUSIC_DIR: musicDir, DATA_DIR: dataDir, CHAIN_LYRICS: 'lrclib' };
    const auth = await openKeys(db);
    services = composeCoreServices({ config, env, logger: silentLogger, cache: createMemoryCache(), access: auth, factories: [fileHostLookup, createLrclibProvider] });
    keys = await issueKeys(auth, services);
    services.downloads = await createDownloadService({
      config,
      db,
      providers: services.providers,
      logger: silentLogger,
      settings: loadDownloadSettings({ SERVER_SECRET: 's'.repeat(40) }),
    });
    app = await serveApp(services, { routers: { '/files': createFilesRouter(services.downloads) } });
    browser = await phoneBrowser(app.url, foreign);
    page = browser.page;
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await services?.downloads?.close();
    await services?.auth?.stop();
    await downloads?.close();
    if (audio) await rm(audio.dir, { recursive: true, force: true });
  });

  it('prepares the WAV and MP3, then links the signed files', async () => {
    await signIn(page, app.url, keys.get('*')!.key, '#/cancion/filehost:track:song-1');
    await page.waitForSelector('.download');
    expect(await page.textContent('.hero h1')).toBe('Canción uno');
    expect(await page.locator('.download').first().textContent()).toContain('pulsa «Preparar descarga»');
    expect(await page.getAttribute('.download a[href^="https://creativecommons.org/"]', 'href')).toBe('https://creativecommons.org/licenses/by/4.0/');

    await page.click('button:text-is("Preparar descarga")');
    await page.waitForSelector('a:has-text("Descargar WAV")', POLL);
    expect(await page.textContent('.downloads__status')).toBe('Descarga lista.');
    expect(await page.locator('button:text-is("Preparar descarga")').count()).toBe(0);
    const wav = await page.getAttribute('a:has-text("Descargar WAV")', 'href');
    const mp3 = await page.getAttribute('a:has-text("Descargar MP3")', 'href');
    expect(wav!.startsWith(`${app.url}/files/`) && /\.wav\?exp=\d+&sig=/.test(wav!)).toBe(true);
    expect(mp3!.startsWith(`${app.url}/files/`) && /\.mp3\?exp=\d+&sig=/.test(mp3!)).toBe(true);
    expect(await page.textContent('.download[data-format=WAV]')).toContain('sin pérdida');
    for (const [href, type] of [[wav, 'audio/wav'], [mp3, 'audio/mpeg']] as const) {
      const served = await page.evaluate<{ status: number; type: string | null }>(`fetch(${JSON.stringify(href)}).then((r) => ({ status: r.status, type: r.headers.get('content-type') }))`);
      expect(served).toEqual({ status: 200, type });
    }
    expect(await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth')).toBeLessThanOrEqual(0);
    await page.screenshot({ path: path.join(ARTIFACTS, 'site-download.png'), fullPage: true });
  });

  it('explains a failed preparation in Spanish and offers to try again', async () => {
    await page.evaluate("location.hash = '#/cancion/filehost:track:song-2'");
    await page.waitForSelector('button:text-is("Preparar descarga")');
    await page.click('button:text-is("Preparar descarga")');
    const failure = page.locator('.downloads__status .notice--error');
    await failure.waitFor(POLL);
    expect(await failure.getAttribute('data-code')).toBe('NOT_AUDIO');
    expect(await failure.textContent()).toBe('Lo que entregó la fuente no era el audio esperado (una página web o un fragmento).');
    expect(await page.textContent('section[aria-labelledby=downloads-title] button')).toBe('Intentar de nuevo');
    expect(foreign.filter((request) => request.type !== 'image')).toEqual([]);
  });

  it('shows synced lyrics line by line with their times and their source', async () => {
    const record = JSON.parse(LRCLIB_GET) as { trackName: string; syncedLyrics: string };
    const lines = record.syncedLyrics
      .split('\n')
      .map((line) => /^\[(\d+):(\d+)\.\d+\] ?(.*)$/.exec(line))
      .filter((match): match is RegExpExecArray => match !== null)
      .map(([, m, s, text]) => ({ time: `${Number(m)}:${s}`, text: text || ' ' }));
    await page.evaluate("location.hash = '#/cancion/filehost:track:song-3'");
    await page.waitForSelector('.lyrics--synced li', POLL);
    expect(await page.textContent('.hero h1')).toBe(record.trackName);
    expect(await texts('.lyrics__line')).toEqual(lines.map((line) => line.text));
    expect(await texts('.lyrics__time')).toEqual(lines.map((line) => line.time));
    expect(await page.textContent('section[aria-labelledby=lyrics-title] .fineprint')).toBe(`Letra: ${nameOf('lrclib')}`);
    await page.screenshot({ path: path.join(ARTIFACTS, 'site-lyrics.png'), fullPage: true });
  });

  it('«Letras» finds the same lyrics by artist and title (a lyrics key has nothing else)', async () => {
    const record = JSON.parse(LRCLIB_GET) as { trackName: string; artistName: string; plainLyrics: string };
    await page.click('#sign-out');
    await page.evaluate("location.hash = '#/buscar'");
    await page.fill('#api-key', keys.get('lrclib')!.key);
    await page.click('#sign-in');
    await page.waitForSelector('#lyrics-artist');
    expect(await page.evaluate('location.hash')).toBe('#/letras');
    expect(await page.locator('#nav a:visible').allTextContents()).toEqual(['Letras']);
    // LRCLIB's /api/get is asked without album and duration here: route that call too.
    const get = new URL('https://lrclib.net/api/get');
    get.searchParams.set('track_name', record.trackName);
    get.searchParams.set('artist_name', record.artistName);
    downloads.server.route('GET', get.toString(), { body: LRCLIB_GET });
    await page.fill('#lyrics-artist', record.artistName);
    await page.fill('#lyrics-title-q', record.trackName);
    await page.click('button:text-is("Buscar letra")');
    await page.waitForSelector('.lyrics', POLL);
    expect(await page.textContent('h1')).toBe(`Letra de «${record.trackName}»`);
    expect(await page.locator('.lyrics--synced li').count()).toBeGreaterThan(0);
    expect(await page.textContent('.panel .fineprint')).toBe(`Letra: ${nameOf('lrclib')}`);
  });

  it('shows the same recording at other sources, a borrowed link and a download through a match, as the API says them', async () => {
    await page.click('#sign-out');
    await page.fill('#api-key', keys.get('*')!.key);
    await page.click('#sign-in');
    await page.waitForSelector('#login', { state: 'hidden' });
    // The answer of CONTRACTS.md (Track.availability, playbackSource, DownloadOption.source/trackId)
    // filled from Jamendo's documented sample: the test is about how the page tells it.
    const jamendoId = `jamendo:track:${JAMENDO_TRACK.id}`;
    let borrow = false;
    const prepared: unknown[] = [];
    await page.route(`${app.url}/graphql`, async (route: Route) => {
      const body = route.request().postDataJSON() as { query: string; variables: Record<string, unknown> };
      if (/^\s*mutation PrepareDownload\b/.test(body.query)) {
        prepared.push(body.variables.trackId);
        return route.abort('failed');
      }
      if (!/^\s*query Track\b/.test(body.query)) return route.continue();
      const response = await route.fetch();
      const json = (await response.json()) as { data: { node: Record<string, any> } };
      const node = json.data.node;
      node.availability = [
        { source: 'jamendo', sourceName: 'Jamendo', confidence: 1, matchedBy: 'ISRC', durationDeltaSec: 0, track: { id: jamendoId, title: JAMENDO_TRACK.name, artist: JAMENDO_TRACK.artist_name, playbackUrl: JAMENDO_TRACK.shareurl } },
      ];
      if (borrow) Object.assign(node, { playbackUrl: JAMENDO_TRACK.shareurl, playbackSource: 'jamendo' });
      // The WAV still to prepare; the MP3 already on the server (a signed URL of this gateway).
      node.downloads = node.downloads.map((option: Record<string, unknown>) => ({
        ...option,
        available: true,
        reason: null,
        source: 'jamendo',
        trackId: jamendoId,
        url: option.format === 'MP3' ? `${app.url}/files/fankel/ma%C3%B1ana.mp3?exp=1&sig=x` : null,
        sizeBytes: option.format === 'MP3' ? 8_704_000 : null,
      }));
      return route.fulfill({ response, json });
    });

    await page.evaluate("location.hash = '#/cancion/filehost:track:song-4'");
    await page.waitForSelector('.matches');
    const match = page.locator('.match[data-source=jamendo]');
    expect(await match.locator('a').textContent()).toBe('Escuchar en Jamendo');
    expect(await match.locator('a').getAttribute('href')).toBe(JAMENDO_TRACK.shareurl);
    expect(await match.locator('.match__detail').textContent()).toBe('mismo ISRC · confianza 100 %');
    expect(await page.locator('.download[data-format=WAV] .download__detail').first().textContent()).toBe('Disponible: pulsa «Preparar descarga» para que el servidor la prepare. Se descarga desde Jamendo, que tiene la misma grabación.');
    expect(await page.locator('.download[data-format=MP3] .download__detail').first().textContent()).toBe('desde Jamendo · 8,3 MB');
    // The file comes from the matching Jamendo track: that is the track prepared.
    await page.click('button:text-is("Preparar descarga")');
    await expect.poll(() => prepared, POLL).toEqual([jamendoId]);
    await page.screenshot({ path: path.join(ARTIFACTS, 'site-availability.png'), fullPage: true });

    borrow = true;
    await page.evaluate("location.hash = '#/buscar'");
    await page.evaluate("location.hash = '#/cancion/filehost:track:song-4'");
    await page.waitForSelector('.listen__borrowed');
    expect(await page.getAttribute('.listen__main a', 'href')).toBe(JAMENDO_TRACK.shareurl);
    expect(await page.textContent('.listen__main a')).toBe('Escuchar en Jamendo');
    expect(await page.textContent('.listen__borrowed')).toBe(`${nameOf(SOURCE)} no tiene enlace propio: es la misma grabación en Jamendo (mismo ISRC · confianza 100 %).`);
    // The borrowed link is not listed a second time.
    expect(await page.locator('.matches').count()).toBe(0);
    await page.unroute(`${app.url}/graphql`);
  });
});
