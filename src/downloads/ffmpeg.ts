import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { DownloadError } from './errors.js';

/**
 * Which ffmpeg runs: FFMPEG_PATH, else an `ffmpeg` on PATH (Debian's build encodes LAME about
 * 2.4× faster than the bundled one), else the static binary shipped inside
 * `@ffmpeg-installer/ffmpeg`, so a fresh machine needs nothing beyond `npm ci`.
 */
export interface FfmpegBinary {
  path: string;
  origin: 'FFMPEG_PATH' | 'PATH' | 'bundled';
}

export async function resolveFfmpeg(explicit: string | null, envPath: string | undefined = process.env.PATH): Promise<FfmpegBinary> {
  if (explicit) {
    if (!(await executable(explicit))) throw new Error(`FFMPEG_PATH points at ${explicit}, which is not an executable file`);
    return { path: explicit, origin: 'FFMPEG_PATH' };
  }
  for (const dir of (envPath ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, 'ffmpeg');
    if (await executable(candidate)) return { path: candidate, origin: 'PATH' };
  }
  const require = createRequire(import.meta.url);
  const bundled = (require('@ffmpeg-installer/ffmpeg') as { path: string }).path;
  if (!(await executable(bundled))) throw new Error('no ffmpeg found: set FFMPEG_PATH or install ffmpeg');
  return { path: bundled, origin: 'bundled' };
}

async function executable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

const STDERR_KEPT = 4096;

/**
 * Runs ffmpeg with file input and file output (never pipes: the VBR header and the WAV sizes are
 * written by seeking back once the stream is done). Rejects with the tail of stderr.
 */
export function runFfmpeg(binary: string, args: readonly string[], signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(binary, ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', ...args], {
        stdio: ['ignore', 'ignore', 'pipe'],
        signal,
      });
    } catch (error) {
      reject(new DownloadError('TRANSCODE_FAILED', `could not start ffmpeg (${(error as Error).message})`, { cause: error }));
      return;
    }
    let stderr = '';
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_KEPT);
    });
    child.on('error', (error) => {
      reject(new DownloadError('TRANSCODE_FAILED', signal.aborted ? 'conversion cancelled' : `could not run ffmpeg (${(error as NodeJS.ErrnoException).code ?? error.message})`, { cause: error }));
    });
    child.on('close', (code, killedBy) => {
      if (code === 0) resolve();
      else reject(new DownloadError('TRANSCODE_FAILED', `ffmpeg failed (${killedBy ?? `exit ${code}`}): ${lastLine(stderr)}`));
    });
  });
}

function lastLine(text: string): string {
  const lines = text.trim().split('\n').filter(Boolean);
  return (lines.at(-1) ?? 'no message').slice(0, 300);
}

export interface Mp3Tags {
  title: string;
  artist: string;
  album: string | null;
  trackNumber: number | null;
  year: string | null;
}

/** PCM WAV at the source's rate and channels, 16/24/32-bit integer as the source's depth allows. */
export function wavDecodeArgs(input: string, output: string, bitsPerSample: number | null, tags: Mp3Tags, comment: string | null): string[] {
  const codec = bitsPerSample !== null && bitsPerSample > 24 ? 'pcm_s32le' : bitsPerSample !== null && bitsPerSample > 16 ? 'pcm_s24le' : 'pcm_s16le';
  return ['-i', input, '-map', '0:a:0', '-map_metadata', '-1', '-c:a', codec, ...riffInfo(tags, comment), '-f', 'wav', output];
}

/** LAME VBR about V2, written to a file so the Xing header carries the real length. No tags: they are added afterwards. */
export function mp3EncodeArgs(input: string, output: string): string[] {
  return ['-i', input, '-map', '0:a:0', '-map_metadata', '-1', '-c:a', 'libmp3lame', '-q:a', '2', '-id3v2_version', '0', '-write_id3v1', '0', '-f', 'mp3', output];
}

/** Keeps a lossy MP3 original's frames untouched, dropping its tags (ours replace them). */
export function mp3CopyArgs(input: string, output: string): string[] {
  return ['-i', input, '-map', '0:a:0', '-map_metadata', '-1', '-c:a', 'copy', '-id3v2_version', '0', '-write_id3v1', '0', '-f', 'mp3', output];
}

function riffInfo(tags: Mp3Tags, comment: string | null): string[] {
  const pairs: [string, string | null][] = [
    ['title', tags.title],
    ['artist', tags.artist],
    ['album', tags.album],
    ['track', tags.trackNumber !== null ? String(tags.trackNumber) : null],
    ['date', tags.year],
    ['comment', comment],
  ];
  return pairs.flatMap(([key, value]) => (value ? ['-metadata', `${key}=${value}`] : []));
}
