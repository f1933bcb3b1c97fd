import type { DownloadUnavailableReason, License, LocalizedText } from '../domain/types.js';

/**
 * The two formats the gateway offers: the best-quality WAV and the optimised MP3 made from it.
 * This object and the ones below are the only definitions; the schema registers them as enums.
 */
export const AudioFormat = { WAV: 'WAV', MP3: 'MP3' } as const;
export type DownloadFormat = keyof typeof AudioFormat;

export const DOWNLOAD_FORMATS: readonly DownloadFormat[] = [AudioFormat.WAV, AudioFormat.MP3];

/**
 * Why a download is not offered. The provider-level reasons come from `DownloadPermission`;
 * the pipeline adds its own once it has looked at the file.
 */
export type DownloadReason = DownloadUnavailableReason;

/** One entry of `Track.downloads` / `Album.downloads`. */
export interface DownloadOption {
  format: DownloadFormat;
  available: boolean;
  reason: DownloadReason | null;
  /** Human-readable detail for `reason`, in both API languages where the source gave both. */
  detail: LocalizedText | null;
  license: License | null;
  /** Known once the file has been fetched and converted. */
  sizeBytes: number | null;
  /** Null until the file exists; WAV decoded from a lossy original is `false`. */
  lossless: boolean | null;
  /** Signed, expiring `/files/…` URL; null until the file is ready. */
  url: string | null;
  /** When `url` stops working (ISO 8601). */
  expiresAt: string | null;
}

export const JobState = { QUEUED: 'QUEUED', RUNNING: 'RUNNING', DONE: 'DONE', FAILED: 'FAILED' } as const;
export type JobState = keyof typeof JobState;

/** Stable codes for job failures, so clients can tell "try again" from "never". */
export const DownloadErrorCode = {
  NOT_LICENSED: 'NOT_LICENSED',
  SOURCE_UNAVAILABLE: 'SOURCE_UNAVAILABLE',
  TOO_LARGE: 'TOO_LARGE',
  HOST_NOT_ALLOWED: 'HOST_NOT_ALLOWED',
  NOT_AUDIO: 'NOT_AUDIO',
  UPSTREAM_FAILED: 'UPSTREAM_FAILED',
  TRANSCODE_FAILED: 'TRANSCODE_FAILED',
  STORAGE_FAILED: 'STORAGE_FAILED',
  INTERNAL: 'INTERNAL',
} as const;
export type DownloadErrorCode = keyof typeof DownloadErrorCode;

export interface JobError {
  code: DownloadErrorCode;
  message: string;
}

export interface DownloadJob {
  id: string;
  trackId: string;
  state: JobState;
  /** 0..1 */
  progress: number;
  error: JobError | null;
  createdAt: string;
  updatedAt: string;
}

/** One file of a cached track, as the index stores it. */
export interface IndexedFile {
  format: DownloadFormat;
  /** Relative to MUSIC_DIR, `/`-separated, NFC. */
  path: string;
  sizeBytes: number;
  sha256: string;
  lossless: boolean;
  sampleRate: number | null;
  channels: number | null;
  bitsPerSample: number | null;
  durationSec: number | null;
}

export interface IndexEntry {
  trackId: string;
  source: string;
  title: string;
  artist: string;
  album: string | null;
  license: License | null;
  originUrl: string;
  /** What the source sent: `FLAC`, `MPEG 1 Layer 3`, … */
  originCodec: string | null;
  originSha256: string;
  fetchedAt: number;
  lastServedAt: number | null;
  files: IndexedFile[];
}
