import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryCache } from '../../src/cache/store.js';
import { composeCoreServices } from '../../src/compose.js';
import { createFilesRouter } from '../../src/downloads/http.js';
import { createDownloadService } from '../../src/downloads/service.js';
import { loadDownloadSettings } from '../../src/downloads/config.js';
import { openSqliteFile } from '../../src/db/sqlite.js';
import { silentLogger } from '../../src/logger.js';
import type { ProviderFactory } from '../../src/providers/types.js';
import type { Services } from '../../src/services.js';
import { TestAccess, serveApp } from '../support/gateway.js';
import { searchProvider } from '../support/testProviders.js';
import { FILE_HOST, SOURCE, fileHostProvider, generateAudio, licensedTrack, startDownloads, type DownloadHarness, type GeneratedAudio } from './support.js';

/**
 * A download offered through a match: `alpha` lists a song it does not license (a catalogue
 * that only describes it); the same recording at `filehost`, a source that licenses its
 * download (CC BY), is found by searching title and artist, and lends its WAV and MP3 — only
 * when the match is close (within 2 s at confidence ≥ 0.9). `prepareDownload` on alpha's id
 * prepares filehost's file.
 */
const TITLE = 'Canción uno';
const ARTIST = 'Artista Prueba';

const fileHostFactory: ProviderFactory = (deps) => {
  const client = deps.createClient({ source: SOURCE, hosts: [FILE_HOST] });
  return {
    ...fileHostProvider(),
    idKinds: { track: ['track'] },
    async searchTracks(input, ctx) {
      const body = await client.json<{ results: { id: string; title: string; seconds: number }[] }>(`https://${FILE_HOST}/api/search`, {
        ctx,
        cache: 'search',
        searchParams: { q: input.query },
      });
      const items = body.results.map((raw) => licensedTrack({ nativeId: raw.id, title: raw.title, artists: [{ id: null, name: ARTIST }], durationSec: raw.seconds }));
      return { items, total: items.length, nextCursor: null };
    },
    async track(ref, ctx) {
      const body = await client.json<{ title: string; seconds: number }>(`https://${FILE_HOST}/api/tracks/${ref.id}`, { ctx, cache: 'entity' });
      return licensedTrack({ nativeId: ref.id, title: body.title, artists: [{ id: null, name: ARTIST }], durationSec: body.seconds });
    },
  };
};

let audio: GeneratedAudio;
let h: DownloadHarness;
let app: Awaited<ReturnType<typeof serveApp>>;
let services: Services;

async function gql<T = any>(query: string, variables: Record<string, unknown> = {}): Promise<{ data?: T; errors?: { message: string; extensions?: Record<string, any> }[]; extensions?: any }> {
  const response = await fetch(`${app.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  return response.json() as Promise<any>;
}

beforeAll(async () => {
  audio = await generateAudio();
  h = await startDownloads({ env: { SERVER_SECRET: 'b'.repeat(40) }, extraHosts: ['alpha.test'] });
  await h.service.close();
  const seconds = Math.round(audio.seconds);
  // alpha: the song, and a longer cut of it (3 s more: a different edit, never lent a file).
  h.server.route('GET', 'https://alpha.test/track/1', { body: JSON.stringify({ id: '1', title: TITLE, artist: ARTIST, seconds }) });
  h.server.route('GET', 'https://alpha.test/track/2', { body: JSON.stringify({ id: '2', title: 'Canción dos', artist: ARTIST, seconds: seconds + 3 }) });
  h.server.route('GET', `https://${FILE_HOST}/api/search?q=${encodeURIComponent(`${ARTIST} cancion uno`)}`, { body: JSON.stringify({ results: [{ id: 'song-1', title: TITLE, seconds }] }) });
  h.server.route('GET', `https://${FILE_HOST}/api/search?q=${encodeURIComponent(`${ARTIST} cancion dos`)}`, { body: JSON.stringify({ results: [{ id: 'song-2', title: 'Canción dos', seconds }] }) });
  h.server.route('GET', `https://${FILE_HOST}/api/tracks/song-1`, { body: JSON.stringify({ title: TITLE, seconds }) });
  h.server.route('GET', `https://${FILE_HOST}/audio/song-1.flac`, { body: audio.flac, contentType: 'audio/flac' });

  const env = { LOG_LEVEL: 'silent', UPSTREAM_RETRIES: '0', HEDGE_DELAY_MS: '0', CHAIN_AVAILABILITY: SOURCE, MUSIC_DIR: h.musicDir, DATA_DIR: h.dataDir };
  const config = { ...h.config, chains: { ...h.config.chains, availability: [SOURCE] } };
  Object.defineProperty(config, 'upstreamOverrides', { get: () => h.server.overrides });
  services = composeCoreServices({
    config,
    env,
    logger: silentLogger,
    cache: createMemoryCache(),
    access: new TestAccess(),
    factories: [fileHostFactory, searchProvider('alpha', { withoutPlayback: true })],
  });
  services.downloads = await createDownloadService({
    config,
    db: await openSqliteFile(h.dataDir),
    providers: services.providers,
    logger: silentLogger,
    settings: loadDownloadSettings({ SERVER_SECRET: 'b'.repeat(40) }),
  });
  app = await serveApp(services, { routers: { '/files': createFilesRouter(services.downloads) } });
});

afterAll(async () => {
  await app?.close();
  await services?.downloads?.close();
  await h.close();
  await rm(audio.dir, { recursive: true, force: true });
});

const DOWNLOADS = `query Downloads($id: ID!) { track(id: $id) { downloads { format available reason source trackId license { name } } } }`;

describe('downloads through a match', () => {
  it('offers the WAV and MP3 of the same recording at a source that licenses it, naming that source and track', async () => {
    const { data, errors, extensions } = await gql(DOWNLOADS, { id: 'alpha:track:1' });
    expect(errors).toBeUndefined();
    expect(data.track.downloads).toEqual([
      { format: 'WAV', available: true, reason: null, source: SOURCE, trackId: `${SOURCE}:track:song-1`, license: { name: 'CC BY 4.0' } },
      { format: 'MP3', available: true, reason: null, source: SOURCE, trackId: `${SOURCE}:track:song-1`, license: { name: 'CC BY 4.0' } },
    ]);
    const report = extensions.sources.find((r: { field: string }) => r.field === 'Track.downloads');
    expect(report).toMatchObject({ answeredBy: SOURCE, borrowed: { for: 'alpha:track:1', from: `${SOURCE}:track:song-1`, matchedBy: 'METADATA' } });
  });

  it('prepares the lending source\'s file when asked for the original id', async () => {
    const started = await gql(`mutation Prepare($id: ID!) { prepareDownload(trackId: $id) { id trackId state } }`, { id: 'alpha:track:1' });
    expect(started.errors).toBeUndefined();
    expect(started.data.prepareDownload.trackId).toBe(`${SOURCE}:track:song-1`);
    const job = await services.downloads!.settled(started.data.prepareDownload.id);
    expect(job.state).toBe('DONE');
    const { data } = await gql(`query Ready($id: ID!) { track(id: $id) { downloads { format url source } } }`, { id: 'alpha:track:1' });
    expect(data.track.downloads.map((d: { url: string | null; source: string }) => [d.source, d.url !== null])).toEqual([
      [SOURCE, true],
      [SOURCE, true],
    ]);
  });

  it('lends nothing when the lengths differ by more than 2 s: the track keeps its own reason', async () => {
    const { data, errors } = await gql(DOWNLOADS, { id: 'alpha:track:2' });
    expect(errors).toBeUndefined();
    expect(data.track.downloads.map((d: { available: boolean; reason: string; source: string }) => [d.available, d.reason, d.source])).toEqual([
      [false, 'NOT_LICENSED', 'alpha'],
      [false, 'NOT_LICENSED', 'alpha'],
    ]);
    const refused = await gql(`mutation Prepare($id: ID!) { prepareDownload(trackId: $id) { id } }`, { id: 'alpha:track:2' });
    expect(refused.errors![0]!.extensions!.code).toBe('DOWNLOAD_UNAVAILABLE');
  });
});
