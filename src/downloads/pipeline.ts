import { textIn } from '../domain/text.js';
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { lstat, mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { creditLine } from '../domain/credits.js';
import type { License, Track } from '../domain/types.js';
import { parseGlobalId } from '../domain/ids.js';
import { isSourceError } from '../errors/source.js';
import type { Logger } from '../logger.js';
import type { CallContext, NativeRef } from '../providers/types.js';
import type { DownloadSettings } from './config.js';
import { pruneEmptyDirs, sha256File, unlinkQuietly, type DiskOps } from './disk.js';
import { DownloadError, isDownloadError } from './errors.js';
import { safeFetch, type FetchResult } from './fetcher.js';
import { mp3CopyArgs, mp3EncodeArgs, runFfmpeg, wavDecodeArgs, type FfmpegBinary, type Mp3Tags } from './ffmpeg.js';
import { fileName, layoutFor, resolveInside } from './names.js';
import { inspectAudio, readWavFormat, type AudioFacts } from './probe.js';
import type { JobHandler } from './queue.js';
import type { DownloadIndex } from './store.js';
import { buildId3, licenseComment, prependTag, type TrackTags } from './tags.js';
import type { DownloadFormat, IndexedFile } from './types.js';

/**
 * One download job, start to finish: check permission and host, fetch the source's file,
 * prove it is audio of the right length, decode it to WAV, make (or keep) the MP3, tag it,
 * move both into the layout and only then list them in the index. Everything is built in
 * `<MUSIC_DIR>/.partial/<job>.<run>/`, on the same filesystem, so the final step is a link/rename and
 * nothing half-written is ever reachable; the work folder is removed whatever happens.
 */
export interface PipelineDeps {
  musicDir: string;
  settings: DownloadSettings;
  /** Read on every fetch: tests swap overrides while the service runs. */
  overrides: () => Readonly<Record<string, string>>;
  userAgent: string;
  index: DownloadIndex;
  ffmpeg: () => Promise<FfmpegBinary>;
  /** The hosts a source declared for its files; null when the source is unknown. */
  hostsFor: (source: string) => readonly string[] | null;
  /**
   * A source whose permitted URL is an API endpoint rather than the file (SoundCloud) turns it
   * into the short-lived file URL here; null when the URL is the file itself.
   */
  resolverFor: (source: string) => DownloadResolver | null;
  disk: DiskOps;
  logger: Logger;
  now: () => number;
  /** Called after a track was added, so the size cap can evict older ones. */
  afterStore: (trackId: string) => Promise<void>;
}

/** Where jobs build their files: `<MUSIC_DIR>/.partial/<job id>/`. */
export const PARTIAL_DIR = '.partial';
const SAFE_JOB_ID = /^[A-Za-z0-9-]{1,64}$/;
const MAX_COVER_BYTES = 10 * 1024 * 1024;
const MAX_PLACEMENT_ATTEMPTS = 50;

/** Failures that are a refusal (the file may not or cannot be what we take), not a fault along the way. */
const REFUSALS: ReadonlySet<string> = new Set(['NOT_LICENSED', 'HOST_NOT_ALLOWED', 'NOT_AUDIO', 'TOO_LARGE']);

export function createPipeline(deps: PipelineDeps): JobHandler {
  const runJob: JobHandler = async ({ track }, report, signal, job) => {
    if (await deps.index.get(track.id)) return;
    const { urls, license } = permitted(track);
    const hosts = deps.hostsFor(track.source);
    if (!hosts || hosts.length === 0) {
      throw new DownloadError('SOURCE_UNAVAILABLE', `${track.source} declares no hosts to download files from`);
    }

    const work = await workFolder(deps.musicDir, job.id);
    try {
      report(0.02);
      const original = path.join(work, 'original');
      let fetched: FetchResult | null = null;
      let originUrl = urls[0]!;
      for (const [i, url] of urls.entries()) {
        try {
          originUrl = url;
          const fileUrl = i === 0 ? await resolveFileUrl(track, url, deps, signal) : url;
          fetched = await safeFetch({
            url: fileUrl,
            allowedHosts: hosts,
            overrides: deps.overrides(),
            maxBytes: deps.settings.maxOriginalBytes,
            idleTimeoutMs: deps.settings.idleTimeoutMs,
            userAgent: deps.userAgent,
            kind: 'audio',
            signal,
            sink: deps.disk.createWriteStream(original),
            onProgress: (received, total) => {
              if (total) report(0.02 + 0.58 * (received / total));
            },
          });
          break;
        } catch (error) {
          // The source no longer has this rendition (FLAC withdrawn, say): try the next one it offered.
          if (!isDownloadError(error) || error.code !== 'SOURCE_UNAVAILABLE' || i === urls.length - 1) throw error;
          await rm(original, { force: true });
          deps.logger.info('download rendition unavailable; trying the next', { trackId: track.id, reason: error.message });
        }
      }
      if (!fetched) throw new DownloadError('SOURCE_UNAVAILABLE', `${track.source} offered no file`);
      report(0.6);

      const facts = await inspectAudio(original, track.durationSec);
      const tags = tagsFor(track, license);
      const ffmpeg = await deps.ffmpeg().catch((error: unknown) => {
        throw new DownloadError('TRANSCODE_FAILED', `no usable ffmpeg: ${(error as Error).message}`, { cause: error });
      });

      const wav = path.join(work, 'audio.wav');
      const wavDepth = facts.lossless ? facts.bitsPerSample : 16;
      await runFfmpeg(ffmpeg.path, wavDecodeArgs(original, wav, wavDepth, tags, license ? licenseComment(license) : null), signal);
      const wavFacts = await checkWav(wav, facts);
      report(0.75);

      const cover = await fetchCover(track, hosts, work, signal, deps);
      const untagged = path.join(work, 'untagged.mp3');
      // A lossy MP3 original is kept frame for frame: re-encoding it would only lose more.
      await runFfmpeg(ffmpeg.path, facts.isMp3 ? mp3CopyArgs(original, untagged) : mp3EncodeArgs(wav, untagged), signal);
      const mp3 = path.join(work, 'audio.mp3');
      await prependTag(await buildId3({ ...tags, license, cover }), untagged, mp3);
      const mp3Facts = await inspectAudio(mp3, null);
      if (!mp3Facts.isMp3 || Math.abs(mp3Facts.durationSec - facts.durationSec) > 0.5) {
        throw new DownloadError('TRANSCODE_FAILED', `the MP3 lasts ${mp3Facts.durationSec.toFixed(2)} s instead of ${facts.durationSec.toFixed(2)} s`);
      }
      report(0.9);

      const files: IndexedFile[] = [
        await describe('WAV', wav, facts.lossless, wavFacts),
        await describe('MP3', mp3, false, mp3Facts),
      ];
      const placed = await place(track, [wav, mp3], files, deps);
      try {
        await deps.index.put({
          trackId: track.id,
          source: track.source,
          title: tags.title,
          artist: tags.artist,
          album: tags.album,
          license,
          originUrl,
          originCodec: facts.codec,
          originSha256: fetched.sha256,
          fetchedAt: deps.now(),
          lastServedAt: null,
          files: placed,
        });
      } catch (error) {
        for (const file of placed) await unlinkQuietly(resolveInside(deps.musicDir, file.path));
        await pruneEmptyDirs(path.dirname(resolveInside(deps.musicDir, placed[0]!.path)), deps.musicDir);
        throw new DownloadError('STORAGE_FAILED', 'could not record the download in the index', { cause: error });
      }
      report(1);
    } catch (error) {
      if (isDownloadError(error) && error.code === 'TOO_LARGE') {
        await deps.index.refuse(track.id, 'TOO_LARGE', error.message, deps.now()).catch(() => undefined);
      }
      throw error;
    } finally {
      await rm(work, { recursive: true, force: true }).catch((error) => deps.logger.warn('could not remove a download work folder', { error }));
    }
    await deps.afterStore(track.id);
  };
  return async (payload, report, signal, job) => {
    try {
      await runJob(payload, report, signal, job);
    } catch (error) {
      if (isDownloadError(error) && REFUSALS.has(error.code)) {
        const { track } = payload;
        deps.logger.warn('download refused', { source: track.source, kind: error.code, trackId: track.id, jobId: job.id, message: error.message });
      }
      throw error;
    }
  };
}

/**
 * `.partial/<job id>.<run>`: named after the job, so a restart can ask the queue whether the
 * folder is still being written, and unique to this run, so a run that was given up on (its
 * process hung past its lease) cannot write into its successor's files. Folders of earlier runs
 * of the job are removed: this run is the job's only live one.
 */
async function workFolder(musicDir: string, jobId: string): Promise<string> {
  const partial = path.join(musicDir, PARTIAL_DIR);
  if (!SAFE_JOB_ID.test(jobId)) return makeFolder(path.join(partial, randomUUID()));
  const earlier = await readdir(partial).catch(() => [] as string[]);
  for (const name of earlier) {
    if (jobIdOfWorkFolder(name) === jobId) await rm(path.join(partial, name), { recursive: true, force: true });
  }
  return makeFolder(path.join(partial, `${jobId}.${randomUUID().slice(0, 8)}`));
}

async function makeFolder(folder: string): Promise<string> {
  await mkdir(folder, { recursive: true });
  return folder;
}

/** The job a work folder belongs to (the name before the first dot). */
export function jobIdOfWorkFolder(name: string): string {
  return name.split('.')[0]!;
}

export type DownloadResolver = (ref: NativeRef, ctx: CallContext) => Promise<string>;

async function resolveFileUrl(track: Track, url: string, deps: PipelineDeps, signal: AbortSignal): Promise<string> {
  const resolve = deps.resolverFor(track.source);
  const id = parseGlobalId(track.id);
  if (!resolve || !id) return url;
  try {
    return await resolve({ kind: id.kind, id: id.nativeId }, { signal, languages: [], cacheMode: 'normal' });
  } catch (error) {
    if (isSourceError(error) && ['NOT_FOUND', 'UNAUTHORIZED', 'BAD_RESPONSE'].includes(error.kind)) {
      throw new DownloadError('SOURCE_UNAVAILABLE', `${track.source} would not hand out the file: ${error.message}`, { cause: error });
    }
    throw new DownloadError('UPSTREAM_FAILED', `${track.source} could not be asked for the file: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * The best file first, then the lesser renditions a source offers to fall back on when the best
 * one is gone (Jamendo: MP3 when the FLAC is not there).
 */
function permitted(track: Track): { urls: string[]; license: License | null } {
  const permission = track.download;
  if (!permission.allowed) {
    const code = permission.reason === 'TOO_LARGE' ? 'TOO_LARGE' : permission.reason === 'NOT_LICENSED' ? 'NOT_LICENSED' : 'SOURCE_UNAVAILABLE';
    throw new DownloadError(code, textIn(permission.detail ?? `${track.source} does not offer this track for download`, 'en'));
  }
  if (!permission.originUrl) throw new DownloadError('SOURCE_UNAVAILABLE', `${track.source} allows downloading but gave no file URL`);
  const alternates = permission.alternateUrls ?? [];
  const urls = [permission.originUrl, ...alternates.filter((url) => typeof url === 'string' && url !== permission.originUrl)];
  return { urls, license: permission.license ?? track.license };
}

/** Tag text goes to ffmpeg's argv and into ID3 frames, where control characters (NUL above all) do not belong. */
function tagText(value: string): string {
  return value.normalize('NFC').replace(/[\u0000-\u001f\u007f]/g, '').trim();
}

function tagsFor(track: Track, license: License | null): Mp3Tags & { license: License | null } {
  return {
    title: tagText(track.title),
    artist: tagText(creditLine(track.artists)),
    album: track.album?.title ? tagText(track.album.title) : null,
    trackNumber: track.trackNumber ?? null,
    year: track.releaseDate ? track.releaseDate.slice(0, 4) : null,
    license,
  };
}

async function checkWav(wav: string, source: AudioFacts): Promise<AudioFacts> {
  const header = await readWavFormat(wav).catch((error: unknown) => {
    throw new DownloadError('TRANSCODE_FAILED', 'ffmpeg produced an unreadable WAV', { cause: error });
  });
  const facts = await inspectAudio(wav, null);
  if (header.formatTag !== 1 || header.sampleRate !== source.sampleRate || header.channels !== source.channels) {
    throw new DownloadError('TRANSCODE_FAILED', `the WAV came out as format ${header.formatTag}, ${header.sampleRate} Hz, ${header.channels} ch`);
  }
  if (Math.abs(facts.durationSec - source.durationSec) > 0.2) {
    throw new DownloadError('TRANSCODE_FAILED', `the WAV lasts ${facts.durationSec.toFixed(2)} s instead of ${source.durationSec.toFixed(2)} s`);
  }
  return { ...facts, bitsPerSample: header.bitsPerSample };
}

async function describe(format: DownloadFormat, file: string, lossless: boolean, facts: AudioFacts): Promise<IndexedFile> {
  const { size } = await stat(file);
  return {
    format,
    path: file,
    sizeBytes: size,
    sha256: await sha256File(file),
    lossless,
    sampleRate: facts.sampleRate,
    channels: facts.channels,
    bitsPerSample: format === 'WAV' ? facts.bitsPerSample : null,
    durationSec: Math.round(facts.durationSec * 1000) / 1000,
  };
}

/**
 * Moves the finished files to `<Artist>/<Album>/<NN> - <Title>.<ext>`. Links fail instead of
 * overwriting, so two tracks that sanitise to the same name (or a file someone put there) get
 * ` (2)`, ` (3)`, … rather than replacing each other. Returns the files with their final
 * relative paths.
 */
async function place(track: Track, sources: readonly string[], files: readonly IndexedFile[], deps: PipelineDeps): Promise<IndexedFile[]> {
  const layout = layoutFor({
    artist: creditLine(track.artists),
    album: track.album?.title ?? null,
    title: track.title,
    trackNumber: track.trackNumber ?? null,
  });
  const dir = resolveInside(deps.musicDir, layout.dir);
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw storageError('could not create the album folder', error);
  }
  for (let attempt = 1; attempt <= MAX_PLACEMENT_ATTEMPTS; attempt += 1) {
    const relative = files.map((file) => `${layout.dir}/${fileName(layout.stem, file.format.toLowerCase(), attempt)}`);
    if (await anyTaken(relative, deps)) continue;
    const done: string[] = [];
    let collided = false;
    for (const [i, rel] of relative.entries()) {
      const target = resolveInside(deps.musicDir, rel);
      try {
        await moveNoClobber(sources[i]!, target, deps.disk);
        done.push(target);
      } catch (error) {
        for (const file of done) await unlinkQuietly(file);
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
          collided = true;
          break;
        }
        await pruneEmptyDirs(dir, deps.musicDir);
        throw storageError('could not move the finished file into the music folder', error);
      }
    }
    if (!collided) return files.map((file, i) => ({ ...file, path: relative[i]! }));
  }
  throw new DownloadError('STORAGE_FAILED', 'too many files with the same name in this album folder');
}

async function anyTaken(relative: readonly string[], deps: PipelineDeps): Promise<boolean> {
  for (const rel of relative) {
    if (await deps.index.pathTaken(rel)) return true;
    try {
      await lstat(resolveInside(deps.musicDir, rel));
      return true;
    } catch {
      // Free on disk.
    }
  }
  return false;
}

async function moveNoClobber(from: string, to: string, disk: DiskOps): Promise<void> {
  try {
    await disk.link(from, to);
    await unlinkQuietly(from);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // Filesystems without hard links (some network and FAT mounts): check, then rename.
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EXDEV') throw error;
    try {
      await lstat(to);
      throw Object.assign(new Error('target exists'), { code: 'EEXIST' });
    } catch (missing) {
      if ((missing as NodeJS.ErrnoException).code !== 'ENOENT') throw missing;
    }
    await disk.rename(from, to);
  }
}

function storageError(message: string, error: unknown): DownloadError {
  const code = (error as NodeJS.ErrnoException)?.code;
  return new DownloadError('STORAGE_FAILED', code ? `${message} (${code})` : message, { cause: error });
}

/** The cover goes into the MP3 when the source has one on its own hosts; any problem just leaves it out. */
async function fetchCover(track: Track, hosts: readonly string[], work: string, signal: AbortSignal, deps: PipelineDeps): Promise<TrackTags['cover']> {
  const url = track.cover?.large ?? track.cover?.medium ?? track.cover?.small ?? null;
  if (!url) return null;
  const file = path.join(work, 'cover');
  try {
    await safeFetch({
      url,
      allowedHosts: hosts,
      overrides: deps.overrides(),
      maxBytes: MAX_COVER_BYTES,
      idleTimeoutMs: deps.settings.idleTimeoutMs,
      userAgent: deps.userAgent,
      kind: 'image',
      signal,
      sink: createWriteStream(file, { flags: 'wx' }),
    });
    const data = await readFile(file);
    const mime = sniffImage(data);
    return mime ? { mime, data } : null;
  } catch (error) {
    deps.logger.debug('cover not embedded', { trackId: track.id, reason: (error as Error).message });
    return null;
  }
}

function sniffImage(data: Buffer): 'image/jpeg' | 'image/png' | null {
  if (data.length > 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'image/jpeg';
  if (data.length > 8 && data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  return null;
}
