import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryCache } from '../../src/cache/store.js';
import { composeCoreServices } from '../../src/compose.js';
import { createFilesRouter } from '../../src/downloads/http.js';
import { createDownloadService } from '../../src/downloads/service.js';
import { loadDownloadSettings } from '../../src/downloads/config.js';
import { openSqliteFile } from '../../src/db/sqlite.js';
import { silentLogger } from '../../src/logger.js';
import { createMusicBrainzProvider } from '../../src/providers/musicbrainz/index.js';
import type { Services } from '../../src/services.js';
import { TestAccess, serveApp } from '../support/gateway.js';
import { FILE_HOST, SOURCE, fileHostLookup, generateAudio, startDownloads, type DownloadHarness, type GeneratedAudio } from './support.js';

/**
 * The download API end to end: GraphQL → catalog lookup (through the real upstream client) →
 * download service → `/files`. The `filehost` test source answers track lookups from
 * `https://files.musica.test/api/tracks/<id>` and serves audio under `/audio/` (`fileHostLookup`).
 */

const MB_RECORDING = '0cf3008f-e246-428f-abc1-35f87d584d60';

let audio: GeneratedAudio;
let h: DownloadHarness;
let app: Awaited<ReturnType<typeof serveApp>>;
let base: string;
let services: Services;

async function gql<T = any>(
  query: string,
  variables: Record<string, unknown> = {},
  key?: string,
  language?: string,
): Promise<{ data?: T; errors?: { message: string; extensions?: Record<string, any> }[] }> {
  const response = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}), ...(language ? { 'accept-language': language } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return response.json() as Promise<any>;
}

beforeAll(async () => {
  audio = await generateAudio();
  h = await startDownloads({ env: { SERVER_SECRET: 'g'.repeat(40) }, extraHosts: ['musicbrainz.org'] });
  await h.service.close();
  h.server.route('GET', `https://${FILE_HOST}/api/tracks/song-1`, { body: JSON.stringify({ title: 'Canción uno', artist: 'Artista Prueba' }) });
  h.server.route('GET', `https://${FILE_HOST}/audio/song-1.flac`, { body: audio.flac, contentType: 'audio/flac' });
  const recording = await readFile(path.join(import.meta.dirname, '../fixtures/musicbrainz/recording-0cf3008f-inc-artists.json'), 'utf8');
  h.server.intercept((request, response) => {
    if (request.host !== 'musicbrainz.org' || !request.path.startsWith(`/ws/2/recording/${MB_RECORDING}`)) return false;
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(recording);
    return true;
  });

  const env = { LOG_LEVEL: 'silent', UPSTREAM_RETRIES: '0', HEDGE_DELAY_MS: '0', MUSIC_DIR: h.musicDir, DATA_DIR: h.dataDir };
  services = composeCoreServices({
    config: h.config,
    env,
    logger: silentLogger,
    cache: createMemoryCache(),
    access: new TestAccess(),
    factories: [fileHostLookup, createMusicBrainzProvider],
  });
  services.downloads = await createDownloadService({
    config: h.config,
    db: await openSqliteFile(h.dataDir),
    providers: services.providers,
    logger: silentLogger,
    settings: loadDownloadSettings({ SERVER_SECRET: 'g'.repeat(40) }),
  });
  app = await serveApp(services, { routers: { '/files': createFilesRouter(services.downloads) } });
  base = app.url;
});

afterAll(async () => {
  await app?.close();
  await services?.downloads?.close();
  await h.close();
  await rm(audio.dir, { recursive: true, force: true });
});

const TRACK_ID = `${SOURCE}:track:song-1`;
const TRACK_DOWNLOADS = `query ($id: ID!) { track(id: $id) { downloads { format available reason detail sizeBytes lossless url expiresIn license { name url } } } }`;

describe('GraphQL downloads', () => {
  it('offers WAV and MP3 for a licensed track before anything is fetched', async () => {
    const { data, errors } = await gql(TRACK_DOWNLOADS, { id: TRACK_ID });
    expect(errors).toBeUndefined();
    expect(data.track.downloads).toEqual([
      { format: 'WAV', available: true, reason: null, detail: expect.any(String), sizeBytes: null, lossless: null, url: null, expiresIn: null, license: { name: 'CC BY 4.0', url: 'https://creativecommons.org/licenses/by/4.0/' } },
      { format: 'MP3', available: true, reason: null, detail: expect.any(String), sizeBytes: null, lossless: null, url: null, expiresIn: null, license: { name: 'CC BY 4.0', url: 'https://creativecommons.org/licenses/by/4.0/' } },
    ]);
    expect(h.server.count('/audio/')).toBe(0);
  });

  it('explains the options in the language of the request', async () => {
    const details = async (language?: string) => ((await gql(TRACK_DOWNLOADS, { id: TRACK_ID }, undefined, language)).data.track.downloads as { detail: string }[]).map((o) => o.detail);
    expect(await details('es-ES,es;q=0.9')).toEqual(Array(2).fill('Disponible: llama a prepareDownload para generar el archivo.'));
    expect(await details()).toEqual(Array(2).fill('Available: call prepareDownload to produce the file.'));
    expect(h.server.count('/audio/')).toBe(0);
  });

  it('prepares the files, reports the job, then serves them through signed URLs', async () => {
    const started = await gql(`mutation ($id: ID!) { prepareDownload(trackId: $id) { id trackId state progress error { code message } } }`, { id: TRACK_ID });
    expect(started.errors).toBeUndefined();
    const job = started.data.prepareDownload;
    expect(job.trackId).toBe(TRACK_ID);
    expect(['QUEUED', 'RUNNING']).toContain(job.state);

    await services.downloads!.settled(job.id);
    const done = await gql(`query ($id: ID!) { download(id: $id) { state progress error { code } } }`, { id: job.id });
    expect(done.data.download).toEqual({ state: 'DONE', progress: 1, error: null });

    const { data } = await gql(TRACK_DOWNLOADS, { id: TRACK_ID });
    const [wav, mp3] = data.track.downloads;
    expect(wav).toMatchObject({ format: 'WAV', available: true, lossless: true });
    expect(wav.expiresIn).toBeGreaterThan(3590);
    expect(wav.expiresIn).toBeLessThanOrEqual(3600);
    expect(mp3).toMatchObject({ format: 'MP3', available: true, lossless: false });
    expect(wav.url).toMatch(/^\/files\/Artista%20Prueba\/%C3%81lbum%20Prueba\/03%20-%20Canci%C3%B3n%20uno\.wav\?exp=/);
    const file = await fetch(`${base}${wav.url}`);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('audio/wav');
    expect((await file.arrayBuffer()).byteLength).toBe(wav.sizeBytes);
    expect((await fetch(`${base}${wav.url.replace(/sig=./, 'sig=A')}`)).status).toBe(403);
  });

  it('answers a second prepareDownload from the index without any upstream request', async () => {
    h.server.requests.length = 0;
    const again = await gql(`mutation ($id: ID!) { prepareDownload(trackId: $id) { state progress } }`, { id: TRACK_ID });
    expect(again.data.prepareDownload).toEqual({ state: 'DONE', progress: 1 });
    expect(h.server.requests).toHaveLength(0);
  });

  it('says NOT_LICENSED for a MusicBrainz recording and refuses to prepare it', async () => {
    const id = `musicbrainz:recording:${MB_RECORDING}`;
    const { data, errors } = await gql(`query ($id: ID!) { track(id: $id) { title downloads { format available reason url } } }`, { id });
    expect(errors, JSON.stringify(errors)).toBeUndefined();
    expect(data.track.downloads).toEqual([
      { format: 'WAV', available: false, reason: 'NOT_LICENSED', url: null },
      { format: 'MP3', available: false, reason: 'NOT_LICENSED', url: null },
    ]);
    const refused = await gql(`mutation ($id: ID!) { prepareDownload(trackId: $id) { id } }`, { id });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'DOWNLOAD_UNAVAILABLE', reason: 'NOT_LICENSED' });
    expect(refused.errors?.[0]?.message).toBe('musicbrainz does not offer this track for download');
    const inSpanish = await gql(`mutation ($id: ID!) { prepareDownload(trackId: $id) { id } }`, { id }, undefined, 'es');
    expect(inSpanish.errors?.[0]).toMatchObject({ message: 'MusicBrainz no ofrece esta canción para descargar', extensions: { code: 'DOWNLOAD_UNAVAILABLE', reason: 'NOT_LICENSED' } });
  });

  it('keeps a source key to its own source', async () => {
    const refused = await gql(`mutation ($id: ID!) { prepareDownload(trackId: $id) { id } }`, { id: TRACK_ID }, 'musicbrainz');
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const bad = await gql(`mutation { prepareDownload(trackId: "nonsense") { id } }`);
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await gql(`{ download(id: "no-such-job") { id } }`)).data).toEqual({ download: null });
  });

  it('lists the finished files on the job', async () => {
    const started = await gql(`mutation ($id: ID!) { prepareDownload(trackId: $id) { id downloads { format url } } }`, { id: TRACK_ID });
    expect(started.data.prepareDownload.downloads.map((d: { format: string }) => d.format)).toEqual(['WAV', 'MP3']);
    expect(started.data.prepareDownload.downloads[0].url).toMatch(/^\/files\//);
  });
});
