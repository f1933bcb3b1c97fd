import * as cheerio from 'cheerio';
import { readFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryCache } from '../../src/cache/store.js';
import { composeCoreServices } from '../../src/compose.js';
import { openSqliteFile } from '../../src/db/sqlite.js';
import { loadDownloadSettings } from '../../src/downloads/config.js';
import { createFilesRouter } from '../../src/downloads/http.js';
import { createDownloadService } from '../../src/downloads/service.js';
import { silentLogger } from '../../src/logger.js';
import { createAppleProvider } from '../../src/providers/apple/index.js';
import { createBandcampProvider } from '../../src/providers/bandcamp/index.js';
import { createCoverArtArchiveProvider } from '../../src/providers/coverartarchive/index.js';
import { createLrclibProvider } from '../../src/providers/lrclib/index.js';
import { createMusicBrainzProvider } from '../../src/providers/musicbrainz/index.js';
import type { ProviderFactory } from '../../src/providers/types.js';
import type { Services } from '../../src/services.js';
import { FILE_HOST, SOURCE, fileHostProvider, generateAudio, licensedTrack, startDownloads, type DownloadHarness, type GeneratedAudio } from '../downloads/support.js';
import { TestAccess, serveApp, startGateway, type TestGateway } from '../support/gateway.js';
import { loadIndex, readRecording, readRecordingJson, skipWithoutRecordings } from '../support/recordings.js';
import { ARTIFACTS, POLL, missingChromium, openBrowser, type OpenBrowser } from '../support/browser.js';
import { sourceDown, startReplayServer, type ReplayServer } from '../support/replayServer.js';

/**
 * The Spanish web client at `/` in a real browser (Debian's chromium driven by playwright-core)
 * on a phone-sized screen, against a real gateway whose sources answer from the genuine
 * recordings (MusicBrainz, Cover Art Archive, Bandcamp) and Apple's published RSS sample
 * (test/fixtures/apple). Expected titles, durations and texts are read from those files.
 * Screenshots go to test-artifacts/site-*.png.
 */
const noBrowser = missingChromium('/ web client end-to-end');
const noRecordings = skipWithoutRecordings('musicbrainz', 'coverartarchive', 'bandcamp');

// Code run inside the page is passed as strings: the test project has no DOM typings.
const PHONE = { width: 360, height: 740 };

const WS = 'https://musicbrainz.org/ws/2';
const SEARCH_URL = `${WS}/release?query=You+Want+It+Darker&fmt=json`;
const ALBUM_MBID = 'd5cdb7fd-c7e9-460a-9549-8a369655cc52';
const BANDCAMP_ALBUM = 'bandcamp:album:macbenson/album/coming-of-age';
const APPLE_SAMPLE = readFileSync(new URL('../fixtures/apple/most-played.us.songs.json', import.meta.url), 'utf8');
// A real LRCLIB /api/get answer (origin in test/fixtures/lrclib/README.md).
const LRCLIB_GET = readFileSync(new URL('../fixtures/lrclib/get.json', import.meta.url), 'utf8');
const HOSTILE = '<img src=x onerror="window.__pwned=1">Álbum hostil';

const recordedMb = (url: string) => {
  const entry = loadIndex('musicbrainz').find((e) => e.request.url === url);
  if (!entry) throw new Error(`no recording of ${url}`);
  return readRecordingJson('musicbrainz', entry.file);
};
const tralbumOf = (file: string) => JSON.parse(cheerio.load(readRecording('bandcamp', file))('[data-tralbum]').attr('data-tralbum')!);
const clock = (seconds: number) => `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;

/** A fresh chromium profile on a phone-sized screen that can reach only `origin`; other requests are recorded and refused. */
async function phoneBrowser(origin: string, foreign: { url: string; type: string }[]): Promise<OpenBrowser> {
  const browser = await openBrowser({ viewport: PHONE, locale: 'es-ES', isMobile: true, hasTouch: true });
  // Nothing leaves the machine: covers and photos point at the sources' real hosts.
  await browser.context.route('**/*', async (route) => {
    const request = route.request();
    if (request.url().startsWith(origin)) return route.continue();
    foreign.push({ url: request.url(), type: request.resourceType() });
    return route.abort();
  });
  return browser;
}

async function signIn(page: Page, origin: string, hash = ''): Promise<void> {
  await page.goto(`${origin}/${hash}`);
  await page.fill('#api-key', 'admin');
  await page.click('#sign-in');
  await page.waitForSelector('#login', { state: 'hidden' });
}

describe.skipIf(Boolean(noBrowser) || noRecordings)('/ (web client) in a real browser', () => {
  let replay: ReplayServer;
  let gateway: TestGateway;
  let browser: Awaited<ReturnType<typeof openBrowser>>;
  let page: Page;
  const foreign: { url: string; type: string }[] = [];
  const pageErrors: string[] = [];
  const search = recordedMb(SEARCH_URL);

  beforeAll(async () => {
    replay = await startReplayServer({
      sources: ['musicbrainz', 'coverartarchive', 'bandcamp'],
      includeSubsetParams: ['inc'],
      extraHosts: ['rss.applemarketingtools.com'],
    });
    // The client asks 20 per page; MusicBrainz was recorded answering its default 25. Pages of 20
    // are the recorded answer cut at the same place (same order, same total).
    replay.route('GET', `${WS}/release?query=You+Want+It+Darker&limit=20`, { body: JSON.stringify({ ...search, releases: search.releases.slice(0, 20) }) });
    replay.route('GET', `${WS}/release?query=You+Want+It+Darker&limit=20&offset=20`, { body: JSON.stringify({ ...search, offset: 20, releases: search.releases.slice(20) }) });
    // Third-party data is untrusted: a release title carrying markup must show as text.
    const hostile = { ...search.releases[2], title: HOSTILE };
    replay.route('GET', `${WS}/release?query=hostil&limit=20`, { body: JSON.stringify({ ...search, count: 1, releases: [hostile] }) });
    // Bandcamp track pages were recorded at a doubled-slash URL; serve them at the canonical one.
    replay.route('GET', 'https://macbenson.bandcamp.com/track/coming-of-age', {
      body: readRecording('bandcamp', 'track-macbenson-coming-of-age.html'),
      contentType: 'text/html; charset=UTF-8',
    });
    replay.route('GET', 'https://rss.applemarketingtools.com/api/v2/us/music/most-played/50/songs.json', { body: APPLE_SAMPLE });
    // What the recordings do not hold (other releases' covers, the track search, the Spanish
    // chart) is a source that is down: the failures these tests show in Spanish.
    replay.fallback(sourceDown);

    gateway = await startGateway({
      factories: [createMusicBrainzProvider, createCoverArtArchiveProvider, createBandcampProvider, createAppleProvider],
      replay,
      env: {
        CHAIN_SEARCH_TRACKS: 'musicbrainz',
        CHAIN_SEARCH_ALBUMS: 'musicbrainz',
        CHAIN_CHART: 'apple',
        CHAIN_CHART_GLOBAL: 'apple',
        MUSICBRAINZ_RPS: '50',
        BREAKER_THRESHOLD: '1000',
      },
    });

    await mkdir(ARTIFACTS, { recursive: true });
    browser = await phoneBrowser(gateway.url, foreign);
    page = browser.page;
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
    await replay?.close();
  });

  const shot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `site-${name}.png`), fullPage: true });
  const sideScroll = () => page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
  const texts = (selector: string) => page.locator(selector).allTextContents();
  const hash = () => page.evaluate<string>('decodeURIComponent(location.hash)');

  it('asks for the key, refuses a wrong one and keeps a good one only for this tab', async () => {
    await page.goto(`${gateway.url}/`);
    expect(await page.getAttribute('html', 'lang')).toBe('es');
    await page.waitForSelector('#login:not([hidden])');
    expect(await page.title()).toBe('Entrar · Música');
    expect(await hash()).toBe('#/buscar');

    await page.fill('#api-key', 'invalid');
    await page.click('#sign-in');
    await expect.poll(() => page.textContent('#login-error'), POLL).toBe('La clave no es válida o ha sido revocada.');
    expect(await page.evaluate("sessionStorage.getItem('musica.key') ?? localStorage.getItem('musica.key')")).toBeNull();

    await page.fill('#api-key', 'admin');
    await page.click('#sign-in');
    await page.waitForSelector('#search-q');
    expect(await page.isVisible('#login')).toBe(false);
    expect(await page.evaluate("sessionStorage.getItem('musica.key')")).toBe('admin');
    expect(await page.evaluate("localStorage.getItem('musica.key')")).toBeNull();
    await shot('login-done');
  });

  it('searches: a source failure in Spanish, then the recorded album titles, 20 at a time', async () => {
    await page.fill('#search-q', 'You Want It Darker');
    await page.press('#search-q', 'Enter');
    // Tracks come from MusicBrainz's recording search, which was not recorded: the chain fails.
    const failure = page.locator('#results .notice--error');
    await failure.waitFor(POLL);
    expect(await failure.getAttribute('data-code')).toBe('SOURCES_UNAVAILABLE');
    expect(await failure.locator('p').textContent()).toBe('No se ha podido buscar. Ninguna fuente ha podido responder ahora mismo. Inténtalo de nuevo dentro de un rato.');

    await page.click('#tab-albumes');
    await page.waitForSelector('#results .list .item');
    expect(await hash()).toBe('#/buscar?q=You+Want+It+Darker&tipo=albumes');
    expect(await page.getAttribute('#tab-albumes', 'aria-selected')).toBe('true');
    const titles = search.releases.map((release: { title: string }) => release.title);
    expect(await texts('#results .item__title')).toEqual(titles.slice(0, 20));
    expect(await page.textContent('#results .meta')).toBe(`Resultados de MusicBrainz · ${new Intl.NumberFormat('es-ES').format(search.count)} en total`);
    expect(await page.textContent('#results .provenance')).toContain('Búsqueda de álbumes — MusicBrainz (MusicBrainz: respondió');
    expect(await sideScroll()).toBeLessThanOrEqual(0);
    await shot('search');

    await page.click('text=Cargar más');
    await expect.poll(() => page.locator('#results .item__title').count(), POLL).toBe(titles.length);
    expect(await texts('#results .item__title')).toEqual(titles);
  });

  it('opens an album from the results and comes back with the back button', async () => {
    const index = search.releases.findIndex((release: { id: string }) => release.id === ALBUM_MBID);
    const recorded = recordedMb(`${WS}/release/${ALBUM_MBID}?inc=artist-credits&fmt=json`);
    await page.locator('#results .item').nth(index).click();
    await page.waitForSelector('.hero h1');
    expect(await hash()).toBe(`#/album/musicbrainz:release:${ALBUM_MBID}`);
    expect(await page.textContent('.hero h1')).toBe(recorded.title);
    expect(await page.textContent('.facts')).toContain(recorded['artist-credit'][0].name);
    expect(await page.textContent('.facts')).toContain(recorded.date.slice(0, 4));
    // The recording has no media: the page says so instead of inventing a list.
    expect(await page.textContent('section[aria-labelledby=tracks-title] .empty')).toBe('La fuente no da la lista de canciones de este álbum.');

    await page.goBack();
    await page.waitForSelector('#results .list');
    expect(await hash()).toBe('#/buscar?q=You+Want+It+Darker&tipo=albumes');
    expect(await page.locator('#results .item__title').count()).toBe(search.releases.length);
    expect(await page.inputValue('#search-q')).toBe('You Want It Darker');
  });

  it('shows an album track list with durations, a track and its artist', async () => {
    const tralbum = tralbumOf('album-macbenson-coming-of-age.html');
    await page.evaluate(`location.hash = '#/album/${BANDCAMP_ALBUM}'`);
    await page.waitForSelector('.list--tracks');
    expect(await page.textContent('.hero h1')).toBe(tralbum.current.title);
    expect(await texts('.list--tracks .item__title')).toEqual(tralbum.trackinfo.map((info: { title: string }) => info.title));
    expect(await texts('.list--tracks .item__aside')).toEqual(tralbum.trackinfo.map((info: { duration: number }) => clock(Math.round(info.duration))));
    expect(await texts('.list--tracks .item__pos')).toEqual(tralbum.trackinfo.map((info: { track_num: number }) => String(info.track_num)));
    expect(await sideScroll()).toBeLessThanOrEqual(0);
    await shot('album');
    await page.setViewportSize({ width: 1024, height: 800 });
    await shot('album-wide');
    await page.setViewportSize(PHONE);

    const track = tralbumOf('track-macbenson-coming-of-age.html');
    await page.locator('.list--tracks .item').first().click();
    await page.waitForSelector('section[aria-labelledby=downloads-title] .download');
    expect(await page.textContent('.hero h1')).toBe(track.current.title);
    expect(await page.textContent('.facts')).toContain(clock(Math.round(track.trackinfo[0].duration)));
    expect(await page.getAttribute('text=Escuchar en Bandcamp', 'href')).toBe(track.url);
    expect(await page.getAttribute('text=Escuchar en Bandcamp', 'rel')).toContain('noopener');
    // A paid Bandcamp release: both formats explained in Spanish, nothing to prepare.
    expect(await texts('.download__format')).toEqual(['WAV', 'MP3']);
    expect(await texts('.download__reason')).toEqual(Array(2).fill('La fuente no permite descargar esta canción; solo reproducirla.'));
    expect(await page.locator('button:text-is("Preparar descarga")').count()).toBe(0);
    // No lyrics source is configured on this gateway: said plainly, no text made up.
    await expect.poll(() => page.textContent('section[aria-labelledby=lyrics-title]'), POLL).toContain('No se ha encontrado la letra de esta canción.');
    expect(await sideScroll()).toBeLessThanOrEqual(0);
    await shot('track');

    const band = readRecordingJson('bandcamp', 'mobile-band-details-macbenson.json');
    await page.click(`.facts a:has-text("${tralbum.artist}")`);
    await page.waitForSelector('section[aria-labelledby=discography-title] .list');
    expect(await hash()).toBe('#/artista/bandcamp:artist:macbenson');
    expect(await page.textContent('.hero h1')).toBe(band.name);
    expect(await page.textContent('.bio')).toBe(band.bio);
    expect(await page.textContent('section[aria-labelledby=bio-title] .fineprint')).toBe('Biografía: Bandcamp');
    expect(await page.evaluate<string[]>("[...document.querySelectorAll('.chips a')].map((a) => a.href)")).toContain(new URL(band.sites[0].url).href);
    expect(await texts('section[aria-labelledby=discography-title] .item__title')).toEqual(band.discography.map((item: { title: string }) => item.title));
    expect(await sideScroll()).toBeLessThanOrEqual(0);
    await shot('artist');
  });

  it('charts: a Spanish error where no source answers, a country chart, and the worldwide fallback said plainly', async () => {
    await page.click('#nav a[data-section=listas]');
    await page.waitForSelector('#chart-country');
    expect(await hash()).toBe('#/listas/ES');
    const failure = page.locator('#view .notice--error');
    await failure.waitFor(POLL);
    expect(await failure.getAttribute('data-code')).toBe('SOURCES_UNAVAILABLE');
    expect(await failure.locator('p').textContent()).toContain('Ninguna fuente ha podido responder ahora mismo.');

    const feed = JSON.parse(APPLE_SAMPLE).feed.results as { name: string; artistName: string }[];
    await page.selectOption('#chart-country', 'US');
    await page.waitForSelector('.list--chart');
    expect(await hash()).toBe('#/listas/US');
    expect(await page.textContent('h1')).toBe('Lo más escuchado en Estados Unidos');
    expect(await texts('.list--chart .item__title')).toEqual(feed.map((r) => r.name));
    expect(await texts('.list--chart .item__sub')).toEqual(feed.map((r) => r.artistName));
    expect(await texts('.list--chart .item__pos')).toEqual(feed.map((_, i) => String(i + 1)));
    expect(await page.textContent('.results .meta')).toContain('Fuente: Apple Music');
    expect(await sideScroll()).toBeLessThanOrEqual(0);
    await shot('chart');

    await page.selectOption('#chart-country', 'mundial');
    await expect.poll(() => page.locator('.results .notice').first().textContent(), POLL).toBe(
      'Apple Music no tiene lista mundial; se muestra la de Estados Unidos.',
    );
    expect(await texts('.list--chart .item__title')).toEqual(feed.map((r) => r.name));
  });

  it('shows a hostile title from a source as text, without running it', async () => {
    await page.evaluate("location.hash = '#/buscar?q=hostil&tipo=albumes'");
    await page.waitForSelector('#results .item__title');
    expect(await page.textContent('#results .item__title')).toBe(HOSTILE);
    expect(await page.locator('#results img[src="x"]').count()).toBe(0);
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    expect(await page.locator('#results .item__title').innerHTML()).toContain('&lt;img');
  });

  it('is an installable app: manifest, icons and a service worker that keeps only the app shell', async () => {
    const manifestHref = await page.getAttribute('link[rel=manifest]', 'href');
    const manifest = await page.evaluate<{ status: number; type: string | null; body: any }>(
      `fetch(${JSON.stringify(manifestHref)}).then(async (r) => ({ status: r.status, type: r.headers.get('content-type'), body: await r.json() }))`,
    );
    expect(manifest.status).toBe(200);
    expect(manifest.type).toContain('application/manifest+json');
    expect(manifest.body).toMatchObject({ name: 'Música', short_name: 'Música', start_url: '/', display: 'standalone', lang: 'es' });
    expect(manifest.body.theme_color).toMatch(/^#[0-9a-f]{6}$/i);
    for (const icon of manifest.body.icons) {
      const served = await page.evaluate<{ status: number; type: string | null }>(`fetch(${JSON.stringify(icon.src)}).then((r) => ({ status: r.status, type: r.headers.get('content-type') }))`);
      expect(served).toEqual({ status: 200, type: expect.stringContaining('image/svg+xml') });
    }

    const worker = await page.evaluate<string>('navigator.serviceWorker.ready.then((r) => r.active.scriptURL)');
    expect(worker).toBe(`${gateway.url}/sw.js`);
    // Several API answers have gone by; the cache holds the shell and nothing else.
    const cached = await page.evaluate<string[]>(
      'caches.keys().then((names) => Promise.all(names.map((n) => caches.open(n).then((c) => c.keys())))).then((lists) => lists.flat().map((r) => new URL(r.url).pathname))',
    );
    expect(cached.length).toBeGreaterThan(0);
    const shell = ['/', '/index.html', '/app.js', '/app.css', '/sw-register.js', '/manifest.webmanifest', '/icon.svg', '/icon-maskable.svg'];
    for (const entry of cached) expect(shell).toContain(entry);
  });

  it('remembers the key on this device only when asked, and asks again when the key stops working', async () => {
    await page.click('#sign-out');
    await page.waitForSelector('#login:not([hidden])');
    expect(await page.textContent('#login-error')).toContain('Sesión cerrada');
    expect(await page.evaluate("sessionStorage.getItem('musica.key') ?? localStorage.getItem('musica.key')")).toBeNull();

    await page.fill('#api-key', 'admin');
    await page.check('#remember');
    await page.click('#sign-in');
    await page.waitForSelector('#login', { state: 'hidden' });
    expect(await page.evaluate("localStorage.getItem('musica.key')")).toBe('admin');
    expect(await page.evaluate("sessionStorage.getItem('musica.key')")).toBeNull();

    // A key revoked meanwhile: the next request is refused and the key is asked for again.
    await page.evaluate("localStorage.setItem('musica.key', 'invalid')");
    await page.evaluate(`location.hash = '#/album/${BANDCAMP_ALBUM}'`);
    await page.waitForSelector('#login:not([hidden])');
    expect(await page.textContent('#login-error')).toBe('Tu clave no es válida o ha sido revocada. Vuelve a introducirla.');
    expect(await page.evaluate("localStorage.getItem('musica.key')")).toBeNull();
    expect(await sideScroll()).toBeLessThanOrEqual(0);
    await shot('login');
  });

  it('loaded nothing but images from outside the gateway, and raised no page errors', () => {
    expect(foreign.filter((request) => request.type !== 'image')).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});

/**
 * «Preparar descarga» against the real download service: the `filehost` test source of the
 * download tests (test/downloads/support.ts) offers a CC BY track whose FLAC is generated with
 * ffmpeg, and a second one whose "audio" is a web page. The page polls the job until it is done,
 * then links the signed /files URLs; a failed job is explained in Spanish. A third track is the
 * song of LRCLIB's documented example record, whose real synced lyrics the page lists.
 */
describe.skipIf(Boolean(noBrowser))('/ (web client): downloads and lyrics in a real browser', () => {
  const fileHostFactory: ProviderFactory = (deps) => {
    const client = deps.createClient({ source: SOURCE, hosts: [FILE_HOST] });
    return {
      ...fileHostProvider(),
      idKinds: { track: ['track'] },
      async track(ref, ctx) {
        const body = await client.json<{ title: string; artist: string; album?: string; duration?: number }>(`https://${FILE_HOST}/api/tracks/${ref.id}`, { ctx, cache: 'entity' });
        return licensedTrack({
          nativeId: ref.id,
          title: body.title,
          artists: [{ id: null, name: body.artist }],
          ...(body.album ? { album: { id: null, title: body.album } } : {}),
          ...(body.duration ? { durationSec: body.duration } : {}),
        });
      },
    };
  };
  let audio: GeneratedAudio;
  let downloads: DownloadHarness;
  let services: Services;
  let app: Awaited<ReturnType<typeof serveApp>>;
  let browser: Awaited<ReturnType<typeof openBrowser>>;
  let page: Page;
  const foreign: { url: string; type: string }[] = [];
  const texts = (selector: string) => page.locator(selector).allTextContents();

  beforeAll(async () => {
    audio = await generateAudio();
    downloads = await startDownloads({ env: { SERVER_SECRET: 's'.repeat(40), CHAIN_LYRICS: 'lrclib' }, extraHosts: ['lrclib.net'] });
    await downloads.service.close();
    const { server, config, dataDir, musicDir } = downloads;
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
    // LRCLIB is down for the other songs: their downloads go ahead without lyrics.
    server.fallback(sourceDown);
    const env = { LOG_LEVEL: 'silent', UPSTREAM_RETRIES: '0', HEDGE_DELAY_MS: '0', MUSIC_DIR: musicDir, DATA_DIR: dataDir, CHAIN_LYRICS: 'lrclib' };
    services = composeCoreServices({ config, env, logger: silentLogger, cache: createMemoryCache(), access: new TestAccess(), factories: [fileHostFactory, createLrclibProvider] });
    services.downloads = await createDownloadService({
      config,
      db: await openSqliteFile(dataDir),
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
    await downloads?.close();
    if (audio) await rm(audio.dir, { recursive: true, force: true });
  });

  it('prepares the WAV and MP3, then links the signed files', async () => {
    await signIn(page, app.url, '#/cancion/filehost:track:song-1');
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
    expect(await page.textContent('section[aria-labelledby=lyrics-title] .fineprint')).toBe('Letra: LRCLIB');
    await page.screenshot({ path: path.join(ARTIFACTS, 'site-lyrics.png'), fullPage: true });
  });
});
