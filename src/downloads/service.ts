import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { AppConfig } from '../config.js';
import { migrate } from '../db/migrate.js';
import type { Db } from '../db/types.js';
import type { Album, License, LocalizedText, Track } from '../domain/types.js';
import { parseGlobalId } from '../domain/ids.js';
import { bilingual, localized, textIn } from '../domain/text.js';
import { ApiError, badInput, type Text } from '../errors/api.js';
import type { Logger } from '../logger.js';
import type { Provider } from '../providers/types.js';
import { loadDownloadSettings, type DownloadSettings } from './config.js';
import { realDisk, type DiskOps } from './disk.js';
import { createEvictor } from './eviction.js';
import { resolveFfmpeg, type FfmpegBinary } from './ffmpeg.js';
import { DOWNLOAD_MIGRATIONS } from './migrations.js';
import { resolveInside } from './names.js';
import { createJobStore } from './jobs.js';
import { createPipeline, jobIdOfWorkFolder, PARTIAL_DIR, type DownloadResolver } from './pipeline.js';
import { createInProcessQueue, type JobHandler, type JobQueue } from './queue.js';
import { createUrlSigner, loadServerSecret } from './signing.js';
import { createDownloadIndex } from './store.js';
import { DOWNLOAD_FORMATS, type DownloadFormat, type DownloadJob, type DownloadOption, type DownloadReason, type IndexEntry, type IndexedFile } from './types.js';

/** What the service needs from the provider registry (`ProviderRegistry` fits). */
export interface ProviderLookup {
  get(id: string): Provider | undefined;
}

export interface DownloadServiceDeps {
  config: Pick<AppConfig, 'musicDir' | 'dataDir' | 'publicUrl' | 'upstreamOverrides' | 'userAgent'>;
  db: Db;
  providers: ProviderLookup;
  logger: Logger;
  env?: Readonly<Record<string, string | undefined>>;
  settings?: DownloadSettings;
  /** Replaces the in-process queue: `redisQueueFactory` shares one queue between instances. */
  createQueue?: (handler: JobHandler, settings: DownloadSettings, logger: Logger) => JobQueue;
  disk?: DiskOps;
  now?: () => number;
}

/** A file `/files` may serve, once its signature checked out. */
export interface ServableFile {
  trackId: string;
  absolutePath: string;
  file: IndexedFile;
}

export interface DownloadService {
  readonly musicDir: string;
  readonly settings: DownloadSettings;
  /** WAV and MP3 entries for `Track.downloads`. Never contacts a source. */
  optionsForTrack(track: Track): Promise<DownloadOption[]>;
  /** The same for many tracks at once (one index query), in order. */
  optionsForTracks(tracks: readonly Track[]): Promise<DownloadOption[][]>;
  /** Album-level summary: available when every track is; sizes once every track is on disk. */
  optionsForAlbum(album: Album): Promise<DownloadOption[]>;
  /** Options of a track already on disk, or null. */
  optionsForCached(trackId: string): Promise<DownloadOption[] | null>;
  /**
   * Starts the download of a track, or joins the job already running for it. A track already on
   * disk gets a finished job without `lookup` being called, so it costs no upstream request.
   * Throws `ApiError` (BAD_USER_INPUT, DOWNLOAD_UNAVAILABLE with `reason`) when it cannot start.
   */
  prepare(trackId: string, lookup: (trackId: string) => Promise<Track>, borrow?: (track: Track) => Promise<Track | null>): Promise<DownloadJob>;
  job(id: string): Promise<DownloadJob | null>;
  /** Resolves when the job is DONE or FAILED (tests, CLI). */
  settled(id: string): Promise<DownloadJob>;
  /** Checks a `/files` request's signature and returns what to serve, or null (→ 403). */
  authorize(relativePath: string, exp: string | undefined, sig: string | undefined): Promise<ServableFile | null>;
  /** Records a successful serve, for least-recently-served eviction. */
  markServed(trackId: string): void;
  ffmpeg(): Promise<FfmpegBinary>;
  close(): Promise<void>;
}

export async function createDownloadService(deps: DownloadServiceDeps): Promise<DownloadService> {
  const settings = deps.settings ?? loadDownloadSettings(deps.env ?? process.env);
  const now = deps.now ?? Date.now;
  const musicDir = path.resolve(deps.config.musicDir);
  const logger = deps.logger.child({ module: 'downloads' });
  await migrate(deps.db, DOWNLOAD_MIGRATIONS);
  const index = createDownloadIndex(deps.db);
  const signer = createUrlSigner(await loadServerSecret(settings.serverSecret, deps.config.dataDir), {
    ttlSeconds: settings.urlTtlSeconds,
    publicUrl: deps.config.publicUrl,
  });

  let ffmpegBinary: Promise<FfmpegBinary> | null = null;
  const ffmpeg = () => {
    ffmpegBinary ??= resolveFfmpeg(settings.ffmpegPath).then((binary) => {
      logger.info('ffmpeg selected', { path: binary.path, origin: binary.origin });
      return binary;
    });
    return ffmpegBinary;
  };
  const hostsFor = (source: string) => deps.providers.get(source)?.downloadHosts ?? null;
  /** Spanish texts name the source as people know it; the English ones keep its id, as before. */
  const nameOf = (source: string) => deps.providers.get(source)?.name ?? source;
  const resolverFor = (source: string): DownloadResolver | null => {
    const provider = deps.providers.get(source);
    return provider?.resolveDownload ? provider.resolveDownload.bind(provider) : null;
  };

  const handler = createPipeline({
    musicDir,
    settings,
    overrides: () => deps.config.upstreamOverrides,
    userAgent: deps.config.userAgent,
    index,
    ffmpeg,
    hostsFor,
    resolverFor,
    disk: deps.disk ?? realDisk,
    logger,
    now,
    afterStore: createEvictor({ index, musicDir, maxBytes: settings.maxStorageBytes, logger }),
  });
  const queue =
    deps.createQueue?.(handler, settings, logger) ??
    createInProcessQueue({ handler, concurrency: settings.concurrency, logger, store: createJobStore(deps.db), now });
  // Jobs a crash left unfinished are resumed or failed first; then every work folder no live
  // job is writing (in this process or another sharing MUSIC_DIR) is leftover and goes.
  await queue.start();
  await removeAbandonedWork(musicDir, queue, logger);
  const preparing = new Map<string, Promise<DownloadJob>>();

  async function onDisk(entry: IndexEntry): Promise<boolean> {
    for (const file of entry.files) {
      try {
        const info = await stat(resolveInside(musicDir, file.path));
        if (info.size !== file.sizeBytes) return false;
      } catch {
        return false;
      }
    }
    return entry.files.length > 0;
  }

  function readyOptions(entry: IndexEntry): DownloadOption[] {
    return DOWNLOAD_FORMATS.map((format) => {
      const file = entry.files.find((candidate) => candidate.format === format);
      if (!file) return unavailable(format, 'SOURCE_UNAVAILABLE', bilingual('this format was not produced', 'este formato no se llegó a generar'), entry.license);
      const signed = signer.sign(file.path, now());
      return {
        format,
        available: true,
        reason: null,
        detail: null,
        license: entry.license,
        sizeBytes: file.sizeBytes,
        lossless: file.lossless,
        url: signed.url,
        expiresAt: signed.expiresAt.toISOString(),
      };
    });
  }

  async function pendingOptions(track: Track): Promise<DownloadOption[]> {
    const permission = track.download;
    if (!permission.allowed) {
      return DOWNLOAD_FORMATS.map((format) => unavailable(format, permission.reason, permission.detail ?? null, null));
    }
    const license = permission.license ?? track.license;
    if (!hostsFor(track.source)?.length || !permission.originUrl) {
      const detail = permission.originUrl
        ? bilingual(`${track.source} declares no download hosts on this server`, `${nameOf(track.source)} no declara en este servidor desde qué hosts se descarga`)
        : bilingual(`${track.source} gave no file to download`, `${nameOf(track.source)} no ha dado ningún archivo que descargar`);
      return DOWNLOAD_FORMATS.map((format) => unavailable(format, 'SOURCE_UNAVAILABLE', detail, license));
    }
    const refusal = await index.refusal(track.id);
    if (refusal) return DOWNLOAD_FORMATS.map((format) => unavailable(format, refusal.reason, refusalText(refusal), license));
    return DOWNLOAD_FORMATS.map((format) => ({
      format,
      available: true,
      reason: null,
      detail: bilingual('Available: call prepareDownload to produce the file.', 'Disponible: llama a prepareDownload para generar el archivo.'),
      license,
      sizeBytes: null,
      lossless: null,
      url: null,
      expiresAt: null,
    }));
  }

  async function optionsForTracks(tracks: readonly Track[]): Promise<DownloadOption[][]> {
    const cached = await index.getMany(tracks.map((track) => track.id));
    return Promise.all(tracks.map((track) => {
      const entry = cached.get(track.id);
      return entry ? readyOptions(entry) : pendingOptions(track);
    }));
  }

  async function startJob(trackId: string, lookup: (trackId: string) => Promise<Track>, borrow?: (track: Track) => Promise<Track | null>): Promise<DownloadJob> {
    const cached = await index.get(trackId);
    if (cached) {
      if (await onDisk(cached)) return queue.recordDone(trackId);
      logger.warn('indexed download missing on disk; fetching it again', { trackId });
      await index.remove(trackId);
    }
    const track = await lookup(trackId);
    const permission = track.download;
    // Not licensed here, but the same recording may be at a source that licenses it.
    const lender = permission.allowed || !borrow ? null : await borrow(track);
    if (lender && lender.download.allowed) return prepareOne(lender.id, async () => lender);
    if (!permission.allowed) {
      logger.warn('download refused', { source: track.source, kind: permission.reason, trackId: track.id });
      const detail = permission.detail ?? bilingual(`${track.source} does not offer this track for download`, `${nameOf(track.source)} no ofrece esta canción para descargar`);
      throw new ApiError('DOWNLOAD_UNAVAILABLE', detail, { reason: permission.reason });
    }
    if (!permission.originUrl || !hostsFor(track.source)?.length) {
      logger.warn('download refused', { source: track.source, kind: 'SOURCE_UNAVAILABLE', trackId: track.id });
      throw new ApiError(
        'DOWNLOAD_UNAVAILABLE',
        bilingual(`${track.source} has no downloadable file for this track on this server`, `${nameOf(track.source)} no tiene en este servidor ningún archivo descargable de esta canción`),
        { reason: 'SOURCE_UNAVAILABLE' },
      );
    }
    // A recorded refusal (TOO_LARGE) is shown in the options but does not block a new attempt:
    // the source may have replaced the file, and a success clears it.
    return queue.enqueue({ trackId, track });
  }

  function prepareOne(trackId: string, lookup: (trackId: string) => Promise<Track>, borrow?: (track: Track) => Promise<Track | null>): Promise<DownloadJob> {
    if (!parseGlobalId(trackId)) return Promise.reject(badInput(notATrackId(trackId), 'trackId'));
    // Concurrent requests for one track share the lookup and the job.
    let pending = preparing.get(trackId);
    if (!pending) {
      pending = startJob(trackId, lookup, borrow).finally(() => preparing.delete(trackId));
      preparing.set(trackId, pending);
    }
    return pending;
  }

  return {
    musicDir,
    settings,
    async optionsForTrack(track) {
      return (await optionsForTracks([track]))[0]!;
    },
    optionsForTracks,
    async optionsForAlbum(album) {
      const tracks = album.tracks ?? [];
      if (tracks.length === 0) {
        const detail = bilingual('the source listed no tracks for this album', 'la fuente no da la lista de canciones de este álbum');
        return DOWNLOAD_FORMATS.map((format) => unavailable(format, 'SOURCE_UNAVAILABLE', detail, album.license ?? null));
      }
      const perTrack = await optionsForTracks(tracks);
      return DOWNLOAD_FORMATS.map((format, i) => summarise(format, perTrack.map((options) => options[i]!), album.license ?? null));
    },
    async optionsForCached(trackId) {
      const entry = await index.get(trackId);
      return entry ? readyOptions(entry) : null;
    },
    prepare: prepareOne,
    job: (id) => queue.get(id),
    settled: (id) => queue.settled(id),
    async authorize(relativePath, exp, sig) {
      if (!signer.verify(relativePath, exp, sig, now())) return null;
      const found = await index.byPath(relativePath);
      if (!found) return null;
      let absolutePath: string;
      try {
        absolutePath = resolveInside(musicDir, relativePath);
      } catch {
        return null;
      }
      return { trackId: found.trackId, absolutePath, file: found.file };
    },
    markServed(trackId) {
      index.markServed(trackId, now()).catch((error) => logger.warn('could not record a serve', { trackId, error }));
    },
    ffmpeg,
    close: () => queue.close(),
  };
}

export function notATrackId(trackId: string): Text {
  return { en: `"${trackId}" is not a track id`, es: `«${trackId}» no es un id de canción` };
}

/**
 * A recorded refusal keeps the pipeline's English words (the index stores one text); the only
 * refusal recorded is TOO_LARGE, which Spanish says in its own words.
 */
function refusalText(refusal: { reason: DownloadReason; detail: string | null }): LocalizedText | null {
  if (refusal.reason !== 'TOO_LARGE') return refusal.detail;
  return bilingual(refusal.detail ?? 'the file is over the size limit of this server', 'el archivo supera el tamaño máximo que admite este servidor');
}

function unavailable(format: DownloadFormat, reason: DownloadReason, detail: LocalizedText | null, license: License | null): DownloadOption {
  return { format, available: false, reason, detail, license, sizeBytes: null, lossless: null, url: null, expiresAt: null };
}

function summarise(format: DownloadFormat, options: readonly DownloadOption[], albumLicense: License | null): DownloadOption {
  const blocked = options.filter((option) => !option.available);
  const licenses = new Set(options.map((option) => option.license?.url ?? option.license?.name ?? null));
  const license = licenses.size === 1 ? options[0]!.license ?? albumLicense : albumLicense;
  if (blocked.length > 0) {
    const first = blocked[0]!;
    const reason = first.detail;
    const detail = localized((language) => {
      const why = reason ? `: ${textIn(reason, language)}` : '';
      return language === 'es'
        ? `${blocked.length} de ${options.length} canciones no se ${blocked.length === 1 ? 'puede' : 'pueden'} descargar${why}`
        : `${blocked.length} of ${options.length} tracks cannot be downloaded${why}`;
    });
    return unavailable(format, first.reason ?? 'SOURCE_UNAVAILABLE', detail, license);
  }
  const sizes = options.map((option) => option.sizeBytes);
  const allSized = sizes.every((size): size is number => size !== null);
  const lossless = options.every((option) => option.lossless !== null) ? options.every((option) => option.lossless === true) : null;
  return {
    format,
    available: true,
    reason: null,
    detail: allSized ? null : bilingual('Available: call prepareDownload for each track.', 'Disponible: llama a prepareDownload para cada canción.'),
    license,
    sizeBytes: allSized ? sizes.reduce((sum, size) => sum + size, 0) : null,
    lossless,
    url: null,
    expiresAt: null,
  };
}

/**
 * Empties `<MUSIC_DIR>/.partial` of everything no live job owns. The folder is listed before the
 * queue is asked: a job records itself as running before it creates its folder, so a folder
 * seen here whose job is not live cannot be in use.
 */
async function removeAbandonedWork(musicDir: string, queue: JobQueue, logger: Logger): Promise<void> {
  const partial = path.join(musicDir, PARTIAL_DIR);
  let names: string[];
  try {
    names = await readdir(partial);
  } catch {
    return;
  }
  if (names.length === 0) return;
  const live = await queue.liveJobs([...new Set(names.map(jobIdOfWorkFolder))]);
  for (const name of names) {
    if (live.has(jobIdOfWorkFolder(name))) continue;
    try {
      await rm(path.join(partial, name), { recursive: true, force: true });
      logger.info('removed an abandoned download work folder', { folder: name });
    } catch (error) {
      logger.warn('could not remove an abandoned download work folder', { folder: name, error });
    }
  }
}
