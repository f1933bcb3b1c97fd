import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig, type AppConfig } from '../../src/config.js';
import { openSqliteFile } from '../../src/db/sqlite.js';
import type { Db } from '../../src/db/types.js';
import { formatGlobalId } from '../../src/domain/ids.js';
import type { Track } from '../../src/domain/types.js';
import { loadDownloadSettings } from '../../src/downloads/config.js';
import type { DiskOps } from '../../src/downloads/disk.js';
import { resolveFfmpeg, runFfmpeg } from '../../src/downloads/ffmpeg.js';
import { createDownloadService, type DownloadService, type DownloadServiceDeps } from '../../src/downloads/service.js';
import { silentLogger, type Logger } from '../../src/logger.js';
import type { Provider, ProviderFactory } from '../../src/providers/types.js';
import { startReplayServer, type ReplayServer } from '../support/replayServer.js';

/**
 * A stand-in file host for download tests. The source `filehost` declares
 * `files.musica.test` and `*.cdn.musica.test` as its download hosts; the replay server answers
 * for them (and for `evil.example.test`, so a refused redirect can be proven never to be
 * requested) through UPSTREAM_OVERRIDES, exactly as production reaches real hosts.
 */
export const FILE_HOST = 'files.musica.test';
export const CDN_HOST = 'node7.cdn.musica.test';
export const EVIL_HOST = 'evil.example.test';
export const SOURCE = 'filehost';
export const CC_BY = { name: 'CC BY 4.0', url: 'https://creativecommons.org/licenses/by/4.0/' };

export interface GeneratedAudio {
  dir: string;
  /** 3 s, 48 kHz, stereo, 24-bit FLAC. */
  flac: Buffer;
  /** 3 s, 44.1 kHz, stereo, LAME VBR MP3 written to a file (with its Xing header). */
  mp3: Buffer;
  cover: Buffer;
  seconds: number;
}

/** Real audio made by the same ffmpeg the pipeline uses (bundled or FFMPEG_PATH/PATH). */
export async function generateAudio(): Promise<GeneratedAudio> {
  const dir = await mkdtemp(path.join(tmpdir(), 'musica-audio-'));
  const { path: ffmpeg } = await resolveFfmpeg(process.env.FFMPEG_PATH ?? null);
  const signal = new AbortController().signal;
  const seconds = 3;
  await runFfmpeg(ffmpeg, [
    '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${seconds}`,
    '-f', 'lavfi', '-i', `sine=frequency=660:sample_rate=48000:duration=${seconds}`,
    '-filter_complex', 'amerge=inputs=2', '-c:a', 'flac', '-sample_fmt', 's32', path.join(dir, 'source.flac'),
  ], signal);
  await runFfmpeg(ffmpeg, [
    '-f', 'lavfi', '-i', `sine=frequency=330:sample_rate=44100:duration=${seconds}`,
    '-ac', '2', '-c:a', 'libmp3lame', '-q:a', '4', path.join(dir, 'source.mp3'),
  ], signal);
  await runFfmpeg(ffmpeg, ['-f', 'lavfi', '-i', 'color=c=orange:s=96x96:d=1', '-frames:v', '1', path.join(dir, 'cover.jpg')], signal);
  return {
    dir,
    flac: await readFile(path.join(dir, 'source.flac')),
    mp3: await readFile(path.join(dir, 'source.mp3')),
    cover: await readFile(path.join(dir, 'cover.jpg')),
    seconds,
  };
}

export function fileHostProvider(): Provider {
  return {
    id: SOURCE,
    name: 'File host (test)',
    description: 'test source with downloadable files',
    hosts: [FILE_HOST],
    credentials: [],
    configured: true,
    downloadHosts: [FILE_HOST, '*.cdn.musica.test'],
  };
}

export function licensedTrack(overrides: Partial<Track> & { nativeId: string; file?: string }): Track {
  const { nativeId, file, ...rest } = overrides;
  return {
    id: formatGlobalId(SOURCE, 'track', nativeId),
    source: SOURCE,
    title: 'Canción de prueba',
    artists: [{ id: null, name: 'Artista Prueba' }],
    album: { id: null, title: 'Álbum Prueba' },
    durationSec: 3,
    releaseDate: '2021-05-04',
    isrc: null,
    trackNumber: 3,
    cover: null,
    playbackUrl: null,
    previewUrl: null,
    license: CC_BY,
    download: { allowed: true, license: CC_BY, originUrl: `https://${FILE_HOST}/audio/${file ?? `${nativeId}.flac`}` },
    genres: [],
    links: [],
    ...rest,
  };
}

/**
 * The file host as a catalogue source: it looks a track up at
 * `https://files.musica.test/api/tracks/<id>` (`{ title, artist, album?, duration? }`) and
 * offers it as a licensed download of `/audio/<id>.flac`.
 */
export const fileHostLookup: ProviderFactory = (deps) => {
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

/** A download service whose one source is the file host (or `provider`), logging nothing unless told. */
export function fileHostDownloads(
  options: Omit<DownloadServiceDeps, 'providers' | 'logger'> & { provider?: Provider; logger?: Logger },
): Promise<DownloadService> {
  const { provider = fileHostProvider(), logger = silentLogger, ...deps } = options;
  return createDownloadService({ ...deps, logger, providers: { get: (id) => (id === SOURCE ? provider : undefined) } });
}

export interface DownloadHarness {
  service: DownloadService;
  server: ReplayServer;
  db: Db;
  config: AppConfig;
  musicDir: string;
  dataDir: string;
  close(): Promise<void>;
}

export async function startDownloads(
  options: { env?: Record<string, string>; disk?: DiskOps; now?: () => number; extraHosts?: string[]; provider?: Provider; logger?: Logger } = {},
): Promise<DownloadHarness> {
  const root = await mkdtemp(path.join(tmpdir(), 'musica-dl-'));
  const musicDir = path.join(root, 'musica');
  const dataDir = path.join(root, 'data');
  const server = await startReplayServer({ extraHosts: [FILE_HOST, CDN_HOST, EVIL_HOST, ...(options.extraHosts ?? [])] });
  const env = { LOG_LEVEL: 'silent', MUSIC_DIR: musicDir, DATA_DIR: dataDir, ...options.env };
  const config = loadConfig(env);
  Object.defineProperty(config, 'upstreamOverrides', { get: () => server.overrides });
  const db = await openSqliteFile(dataDir);
  const service = await fileHostDownloads({
    config,
    db,
    provider: options.provider,
    logger: options.logger,
    settings: loadDownloadSettings({ DOWNLOAD_IDLE_TIMEOUT_MS: '5000', ...env }),
    disk: options.disk,
    now: options.now,
  });
  return {
    service,
    server,
    db,
    config,
    musicDir,
    dataDir,
    async close() {
      await service.close();
      await server.close();
      await db.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** Every regular file under `dir`, relative, `/`-separated. */
export async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(current: string, prefix: string): Promise<void> {
    let entries;
    try {
      entries = await readdir(current, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(path.join(current, entry.name), rel);
      else out.push(rel);
    }
  }
  await walk(dir, '');
  return out.sort();
}

export async function fileSize(file: string): Promise<number> {
  return (await stat(file)).size;
}

/** Serves `body` for `https://files.musica.test/audio/<name>`. */
export function serveAudio(server: ReplayServer, name: string, body: Buffer, contentType = 'audio/flac'): void {
  server.route('GET', `https://${FILE_HOST}/audio/${name}`, { body, contentType });
}

export function serveCover(server: ReplayServer, name: string, body: Buffer): void {
  server.route('GET', `https://${FILE_HOST}/covers/${name}`, { body, contentType: 'image/jpeg' });
}
