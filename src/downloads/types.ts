import type { DownloadUnavailableReason, License, LocalizedText } from '../domain/types.js';

/** The two formats the gateway offers: the best-quality WAV and the optimised MP3 made from it. */
export type DownloadFormat = 'WAV' | 'MP3';

export const DOWNLOAD_FORMATS: readonly DownloadFormat[] = ['WAV', 'MP3'];

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

export type JobState = 'QUEUED' | 'RUNNING' | 'DONE' | 'FAILED';

/** Stable codes for job failures, so clients can tell "try again" from "never". */
export type DownloadErrorCode =
  | 'NOT_LICENSED'
  | 'SOURCE_UNAVAILABLE'
  | 'TOO_LARGE'
  | 'HOST_NOT_ALLOWED'
  | 'NOT_AUDIO'
  | 'UPSTREAM_FAILED'
  | 'TRANSCODE_FAILED'
  | 'STORAGE_FAILED'
  | 'INTERNAL';

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
