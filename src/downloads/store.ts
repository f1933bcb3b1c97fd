import type { Db } from '../db/types.js';
import type { DownloadFormat, DownloadReason, IndexEntry, IndexedFile } from './types.js';

/**
 * The download index: which tracks are on disk, where, and what they are. The filesystem holds
 * the bytes; this table is the truth about which of them are complete (a file is listed only
 * after it has been renamed into place).
 */
export interface DownloadIndex {
  get(trackId: string): Promise<IndexEntry | null>;
  getMany(trackIds: readonly string[]): Promise<Map<string, IndexEntry>>;
  byPath(path: string): Promise<{ trackId: string; file: IndexedFile } | null>;
  pathTaken(path: string): Promise<boolean>;
  put(entry: IndexEntry): Promise<void>;
  remove(trackId: string): Promise<void>;
  markServed(trackId: string, at: number): Promise<void>;
  totalBytes(): Promise<number>;
  /** Tracks in eviction order: least recently served (or fetched, if never served) first. */
  evictionCandidates(limit: number): Promise<IndexEntry[]>;
  refusal(trackId: string): Promise<{ reason: DownloadReason; detail: string | null } | null>;
  refuse(trackId: string, reason: DownloadReason, detail: string | null, at: number): Promise<void>;
}

interface TrackRow {
  track_id: string;
  source: string;
  title: string;
  artist: string;
  album: string | null;
  license_name: string | null;
  license_url: string | null;
  origin_url: string;
  origin_codec: string | null;
  origin_sha256: string;
  fetched_at: number | string;
  last_served_at: number | string | null;
}

interface FileRow {
  track_id: string;
  format: string;
  path: string;
  size_bytes: number | string;
  sha256: string;
  lossless: number | string | boolean;
  sample_rate: number | null;
  channels: number | null;
  bits_per_sample: number | null;
  duration_sec: number | string | null;
}

export function createDownloadIndex(db: Db): DownloadIndex {
  async function filesFor(trackIds: readonly string[]): Promise<Map<string, IndexedFile[]>> {
    const byTrack = new Map<string, IndexedFile[]>();
    if (trackIds.length === 0) return byTrack;
    const rows = await db.all<FileRow>(
      `SELECT * FROM download_files WHERE track_id IN (${trackIds.map(() => '?').join(', ')}) ORDER BY format DESC`,
      trackIds,
    );
    for (const row of rows) {
      const list = byTrack.get(row.track_id) ?? [];
      list.push(toFile(row));
      byTrack.set(row.track_id, list);
    }
    return byTrack;
  }

  async function entries(rows: TrackRow[]): Promise<IndexEntry[]> {
    const files = await filesFor(rows.map((row) => row.track_id));
    return rows.map((row) => toEntry(row, files.get(row.track_id) ?? []));
  }

  return {
    async get(trackId) {
      const row = await db.get<TrackRow>('SELECT * FROM download_tracks WHERE track_id = ?', [trackId]);
      if (!row) return null;
      const [entry] = await entries([row]);
      return entry ?? null;
    },
    async getMany(trackIds) {
      const unique = [...new Set(trackIds)];
      const result = new Map<string, IndexEntry>();
      // SQLite allows 999 parameters per statement; stay well below.
      for (let start = 0; start < unique.length; start += 200) {
        const chunk = unique.slice(start, start + 200);
        const rows = await db.all<TrackRow>(
          `SELECT * FROM download_tracks WHERE track_id IN (${chunk.map(() => '?').join(', ')})`,
          chunk,
        );
        for (const entry of await entries(rows)) result.set(entry.trackId, entry);
      }
      return result;
    },
    async byPath(path) {
      const row = await db.get<FileRow>('SELECT * FROM download_files WHERE path = ?', [path]);
      return row ? { trackId: row.track_id, file: toFile(row) } : null;
    },
    async pathTaken(path) {
      const row = await db.get<{ one: number }>('SELECT 1 AS one FROM download_files WHERE LOWER(path) = LOWER(?)', [path]);
      return row !== undefined;
    },
    async put(entry) {
      await db.transaction(async (tx) => {
        await tx.run('DELETE FROM download_files WHERE track_id = ?', [entry.trackId]);
        await tx.run('DELETE FROM download_tracks WHERE track_id = ?', [entry.trackId]);
        await tx.run('DELETE FROM download_refusals WHERE track_id = ?', [entry.trackId]);
        await tx.run(
          `INSERT INTO download_tracks (track_id, source, title, artist, album, license_name, license_url, origin_url, origin_codec, origin_sha256, fetched_at, last_served_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [
            entry.trackId,
            entry.source,
            entry.title,
            entry.artist,
            entry.album,
            entry.license?.name ?? null,
            entry.license?.url ?? null,
            entry.originUrl,
            entry.originCodec,
            entry.originSha256,
            entry.fetchedAt,
            entry.lastServedAt,
          ],
        );
        for (const file of entry.files) {
          await tx.run(
            `INSERT INTO download_files (track_id, format, path, size_bytes, sha256, lossless, sample_rate, channels, bits_per_sample, duration_sec)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            [
              entry.trackId,
              file.format,
              file.path,
              file.sizeBytes,
              file.sha256,
              file.lossless ? 1 : 0,
              file.sampleRate,
              file.channels,
              file.bitsPerSample,
              file.durationSec,
            ],
          );
        }
      });
    },
    async remove(trackId) {
      await db.transaction(async (tx) => {
        await tx.run('DELETE FROM download_files WHERE track_id = ?', [trackId]);
        await tx.run('DELETE FROM download_tracks WHERE track_id = ?', [trackId]);
      });
    },
    async markServed(trackId, at) {
      await db.run('UPDATE download_tracks SET last_served_at = ? WHERE track_id = ?', [at, trackId]);
    },
    async totalBytes() {
      const row = await db.get<{ total: number | string | null }>('SELECT SUM(size_bytes) AS total FROM download_files');
      return Number(row?.total ?? 0);
    },
    async evictionCandidates(limit) {
      const rows = await db.all<TrackRow>(
        `SELECT * FROM download_tracks ORDER BY COALESCE(last_served_at, fetched_at) ASC, fetched_at ASC LIMIT ?`,
        [limit],
      );
      return entries(rows);
    },
    async refusal(trackId) {
      const row = await db.get<{ reason: string; detail: string | null }>('SELECT reason, detail FROM download_refusals WHERE track_id = ?', [trackId]);
      return row ? { reason: row.reason as DownloadReason, detail: row.detail } : null;
    },
    async refuse(trackId, reason, detail, at) {
      await db.transaction(async (tx) => {
        await tx.run('DELETE FROM download_refusals WHERE track_id = ?', [trackId]);
        await tx.run('INSERT INTO download_refusals (track_id, reason, detail, refused_at) VALUES (?, ?, ?, ?)', [trackId, reason, detail, at]);
      });
    },
  };
}

function toEntry(row: TrackRow, files: IndexedFile[]): IndexEntry {
  return {
    trackId: row.track_id,
    source: row.source,
    title: row.title,
    artist: row.artist,
    album: row.album,
    license: row.license_name ? { name: row.license_name, url: row.license_url } : null,
    originUrl: row.origin_url,
    originCodec: row.origin_codec,
    originSha256: row.origin_sha256,
    fetchedAt: Number(row.fetched_at),
    lastServedAt: row.last_served_at === null ? null : Number(row.last_served_at),
    files,
  };
}

function toFile(row: FileRow): IndexedFile {
  return {
    format: row.format as DownloadFormat,
    path: row.path,
    sizeBytes: Number(row.size_bytes),
    sha256: row.sha256,
    lossless: row.lossless === true || Number(row.lossless) === 1,
    sampleRate: row.sample_rate,
    channels: row.channels,
    bitsPerSample: row.bits_per_sample,
    durationSec: row.duration_sec === null ? null : Number(row.duration_sec),
  };
}
