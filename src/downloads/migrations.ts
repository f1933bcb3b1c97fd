import type { Migration } from '../db/types.js';

/**
 * The download index lives in the same database as keys and sources. Times are Unix
 * milliseconds and booleans 0/1 so the SQL stays identical on SQLite and PostgreSQL.
 * One statement per migration: drivers differ on multi-statement strings.
 */
export const DOWNLOAD_MIGRATIONS: readonly Migration[] = [
  {
    id: 'downloads-0001-tracks',
    sqlite: `CREATE TABLE IF NOT EXISTS download_tracks (
      track_id TEXT PRIMARY KEY,
      source TEXT NOT NULL,
      title TEXT NOT NULL,
      artist TEXT NOT NULL,
      album TEXT,
      license_name TEXT,
      license_url TEXT,
      origin_url TEXT NOT NULL,
      origin_codec TEXT,
      origin_sha256 TEXT NOT NULL,
      fetched_at INTEGER NOT NULL,
      last_served_at INTEGER
      )`,
    postgres: `CREATE TABLE IF NOT EXISTS download_tracks (
      track_id TEXT PRIMARY KEY,
      source TEXT NOT NULL,
      title TEXT NOT NULL,
      artist TEXT NOT NULL,
      album TEXT,
      license_name TEXT,
      license_url TEXT,
      origin_url TEXT NOT NULL,
      origin_codec TEXT,
      origin_sha256 TEXT NOT NULL,
      fetched_at BIGINT NOT NULL,
      last_served_at BIGINT
      )`,
  },
  {
    id: 'downloads-0002-files',
    sqlite: `CREATE TABLE IF NOT EXISTS download_files (
      track_id TEXT NOT NULL,
      format TEXT NOT NULL,
      path TEXT NOT NULL UNIQUE,
      size_bytes INTEGER NOT NULL,
      sha256 TEXT NOT NULL,
      lossless INTEGER NOT NULL,
      sample_rate INTEGER,
      channels INTEGER,
      bits_per_sample INTEGER,
      duration_sec REAL,
      PRIMARY KEY (track_id, format)
      )`,
    postgres: `CREATE TABLE IF NOT EXISTS download_files (
      track_id TEXT NOT NULL,
      format TEXT NOT NULL,
      path TEXT NOT NULL UNIQUE,
      size_bytes BIGINT NOT NULL,
      sha256 TEXT NOT NULL,
      lossless SMALLINT NOT NULL,
      sample_rate INTEGER,
      channels INTEGER,
      bits_per_sample INTEGER,
      duration_sec DOUBLE PRECISION,
      PRIMARY KEY (track_id, format)
      )`,
  },
  {
    id: 'downloads-0003-tracks-served-index',
    sqlite: `CREATE INDEX IF NOT EXISTS download_tracks_served ON download_tracks (last_served_at, fetched_at)`,
    postgres: `CREATE INDEX IF NOT EXISTS download_tracks_served ON download_tracks (last_served_at, fetched_at)`,
  },
  {
    id: 'downloads-0004-refusals',
    sqlite: `CREATE TABLE IF NOT EXISTS download_refusals (
      track_id TEXT PRIMARY KEY,
      reason TEXT NOT NULL,
      detail TEXT,
      refused_at INTEGER NOT NULL
      )`,
    postgres: `CREATE TABLE IF NOT EXISTS download_refusals (
      track_id TEXT PRIMARY KEY,
      reason TEXT NOT NULL,
      detail TEXT,
      refused_at BIGINT NOT NULL
      )`,
  },
  {
    // Jobs of the in-process queue, so a restart finds them (jobs.ts). `owner` names the
    // process running the job and `heartbeat_at` when it last said so; `payload` is the JSON
    // track the job works on, dropped once the job has finished.
    id: 'downloads-0005-jobs',
    sqlite: `CREATE TABLE IF NOT EXISTS download_jobs (
      id TEXT PRIMARY KEY,
      track_id TEXT NOT NULL,
      state TEXT NOT NULL,
      progress REAL NOT NULL DEFAULT 0,
      error_code TEXT,
      error_message TEXT,
      payload TEXT,
      owner TEXT,
      heartbeat_at INTEGER,
      attempts INTEGER NOT NULL DEFAULT 0,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL,
      finished_at INTEGER
      )`,
    postgres: `CREATE TABLE IF NOT EXISTS download_jobs (
      id TEXT PRIMARY KEY,
      track_id TEXT NOT NULL,
      state TEXT NOT NULL,
      progress DOUBLE PRECISION NOT NULL DEFAULT 0,
      error_code TEXT,
      error_message TEXT,
      payload TEXT,
      owner TEXT,
      heartbeat_at BIGINT,
      attempts INTEGER NOT NULL DEFAULT 0,
      created_at BIGINT NOT NULL,
      updated_at BIGINT NOT NULL,
      finished_at BIGINT
      )`,
  },
  {
    id: 'downloads-0006-jobs-state-index',
    sqlite: `CREATE INDEX IF NOT EXISTS download_jobs_state ON download_jobs (state, finished_at)`,
    postgres: `CREATE INDEX IF NOT EXISTS download_jobs_state ON download_jobs (state, finished_at)`,
  },
];
