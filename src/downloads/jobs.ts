import { randomUUID } from 'node:crypto';
import { readlinkSync } from 'node:fs';
import os from 'node:os';
import type { Db } from '../db/types.js';
import type { JobPayload } from './queue.js';
import type { DownloadErrorCode, DownloadJob, JobError, JobState } from './types.js';

/**
 * The in-process queue's jobs in the database, so a job outlives the process that accepted it:
 * after a crash the next start finds it unfinished and resumes or fails it. Times are Unix
 * milliseconds; `DownloadJob` carries them as ISO text.
 */
export interface StoredJob {
  job: DownloadJob;
  payload: JobPayload | null;
  /** The process running (or holding) the job; null once handed back. */
  owner: string | null;
  heartbeatAt: number | null;
  /** How many times the job was started. */
  attempts: number;
}

export interface JobStore {
  insert(job: DownloadJob, payload: JobPayload | null, owner: string | null, at: number): Promise<void>;
  /** RUNNING, one more attempt. */
  started(id: string, owner: string, at: number): Promise<void>;
  finished(id: string, error: JobError | null, at: number): Promise<void>;
  /** Back to QUEUED without an owner, the attempt not counted: a graceful stop hands the job on. */
  handBack(id: string, owner: string, at: number): Promise<void>;
  /** Refreshes the owner's claim on its unfinished jobs and records their progress. */
  heartbeat(owner: string, at: number, progress: ReadonlyMap<string, number>): Promise<void>;
  /**
   * Takes an unfinished job over from `previous` (its owner and heartbeat as last read): true
   * only for the one caller that changed it. The job is QUEUED again under `owner`.
   */
  takeOver(id: string, previous: Pick<StoredJob, 'owner' | 'heartbeatAt'>, owner: string, at: number): Promise<boolean>;
  get(id: string): Promise<StoredJob | null>;
  unfinished(): Promise<StoredJob[]>;
  /** The ids among `ids` of jobs still QUEUED or RUNNING. */
  unfinishedAmong(ids: readonly string[]): Promise<Set<string>>;
  /** Forgets jobs finished before `before`. */
  prune(before: number): Promise<void>;
}

interface JobRow {
  id: string;
  track_id: string;
  state: string;
  progress: number | string;
  error_code: string | null;
  error_message: string | null;
  payload: string | null;
  owner: string | null;
  heartbeat_at: number | string | null;
  attempts: number | string;
  created_at: number | string;
  updated_at: number | string;
}

const UNFINISHED = "state IN ('QUEUED', 'RUNNING')";

export function createJobStore(db: Db): JobStore {
  return {
    async insert(job, payload, owner, at) {
      const finished = job.state === 'DONE' || job.state === 'FAILED';
      await db.run(
        `INSERT INTO download_jobs (id, track_id, state, progress, error_code, error_message, payload, owner, heartbeat_at, attempts, created_at, updated_at, finished_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)`,
        [
          job.id,
          job.trackId,
          job.state,
          job.progress,
          job.error?.code ?? null,
          job.error?.message ?? null,
          payload && !finished ? JSON.stringify(payload) : null,
          finished ? null : owner,
          finished ? null : at,
          Date.parse(job.createdAt),
          Date.parse(job.updatedAt),
          finished ? at : null,
        ],
      );
    },
    async started(id, owner, at) {
      await db.run(
        `UPDATE download_jobs SET state = 'RUNNING', attempts = attempts + 1, owner = ?, heartbeat_at = ?, updated_at = ? WHERE id = ? AND ${UNFINISHED}`,
        [owner, at, at, id],
      );
    },
    async finished(id, error, at) {
      await db.run(
        `UPDATE download_jobs SET state = ?, progress = CASE WHEN ? = 1 THEN 1 ELSE progress END, error_code = ?, error_message = ?,
           payload = NULL, owner = NULL, heartbeat_at = NULL, updated_at = ?, finished_at = ? WHERE id = ?`,
        [error ? 'FAILED' : 'DONE', error ? 0 : 1, error?.code ?? null, error?.message ?? null, at, at, id],
      );
    },
    async handBack(id, owner, at) {
      await db.run(
        `UPDATE download_jobs SET state = 'QUEUED', progress = 0, attempts = CASE WHEN state = 'RUNNING' AND attempts > 0 THEN attempts - 1 ELSE attempts END,
           owner = NULL, heartbeat_at = NULL, updated_at = ? WHERE id = ? AND owner = ? AND ${UNFINISHED}`,
        [at, id, owner],
      );
    },
    async heartbeat(owner, at, progress) {
      await db.transaction(async (tx) => {
        await tx.run(`UPDATE download_jobs SET heartbeat_at = ? WHERE owner = ? AND ${UNFINISHED}`, [at, owner]);
        for (const [id, value] of progress) {
          await tx.run(`UPDATE download_jobs SET progress = ?, updated_at = ? WHERE id = ? AND owner = ? AND progress < ?`, [value, at, id, owner, value]);
        }
      });
    },
    async takeOver(id, previous, owner, at) {
      const { changes } = await db.run(
        `UPDATE download_jobs SET state = 'QUEUED', progress = 0, owner = ?, heartbeat_at = ?, updated_at = ?
          WHERE id = ? AND ${UNFINISHED} AND COALESCE(owner, '') = ? AND COALESCE(heartbeat_at, -1) = ?`,
        [owner, at, at, id, previous.owner ?? '', previous.heartbeatAt ?? -1],
      );
      return changes === 1;
    },
    async get(id) {
      const row = await db.get<JobRow>('SELECT * FROM download_jobs WHERE id = ?', [id]);
      return row ? toStored(row) : null;
    },
    async unfinished() {
      const rows = await db.all<JobRow>(`SELECT * FROM download_jobs WHERE ${UNFINISHED} ORDER BY created_at, id`);
      return rows.map(toStored);
    },
    async unfinishedAmong(ids) {
      const found = new Set<string>();
      for (let start = 0; start < ids.length; start += 200) {
        const chunk = ids.slice(start, start + 200);
        const rows = await db.all<{ id: string }>(`SELECT id FROM download_jobs WHERE ${UNFINISHED} AND id IN (${chunk.map(() => '?').join(', ')})`, chunk);
        for (const row of rows) found.add(row.id);
      }
      return found;
    },
    async prune(before) {
      await db.run('DELETE FROM download_jobs WHERE finished_at IS NOT NULL AND finished_at < ?', [before]);
    },
  };
}

function toStored(row: JobRow): StoredJob {
  const iso = (ms: number | string) => new Date(Number(ms)).toISOString();
  return {
    job: {
      id: row.id,
      trackId: row.track_id,
      state: row.state as JobState,
      progress: Number(row.progress),
      error: row.error_code ? { code: row.error_code as DownloadErrorCode, message: row.error_message ?? '' } : null,
      createdAt: iso(row.created_at),
      updatedAt: iso(row.updated_at),
    },
    payload: parsePayload(row.payload),
    owner: row.owner,
    heartbeatAt: row.heartbeat_at === null ? null : Number(row.heartbeat_at),
    attempts: Number(row.attempts),
  };
}

function parsePayload(raw: string | null): JobPayload | null {
  if (!raw) return null;
  try {
    const parsed = JSON.parse(raw) as JobPayload;
    return typeof parsed?.trackId === 'string' && typeof parsed.track === 'object' && parsed.track !== null ? parsed : null;
  } catch {
    return null;
  }
}

// ── Who owns a job ─────────────────────────────────────────────────────────────────────────

/**
 * This process as a job owner: host, PID namespace, PID and a token drawn at start. Queues of
 * one process share it (their jobs are all alive while the process is).
 */
export const THIS_PROCESS = [os.hostname(), pidNamespace(), String(process.pid), randomUUID()].join('|');

/**
 * True when `owner` certainly no longer runs: a process of this host and PID namespace that has
 * exited, or an earlier process that had this very PID (a restarted container's PID 1). Owners
 * elsewhere are judged by their heartbeat instead.
 */
export function ownerGone(owner: string, self: string = THIS_PROCESS): boolean {
  const theirs = parseOwner(owner);
  const mine = parseOwner(self);
  if (!theirs || !mine || theirs.host !== mine.host || theirs.namespace !== mine.namespace) return false;
  if (theirs.pid === mine.pid) return theirs.token !== mine.token;
  try {
    process.kill(theirs.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function parseOwner(owner: string): { host: string; namespace: string; pid: number; token: string } | null {
  const parts = owner.split('|');
  if (parts.length < 4) return null;
  const token = parts.pop()!;
  const pid = Number(parts.pop());
  const namespace = parts.pop()!;
  if (!Number.isSafeInteger(pid) || pid <= 0) return null;
  return { host: parts.join('|'), namespace, pid, token };
}

function pidNamespace(): string {
  try {
    return readlinkSync('/proc/self/ns/pid');
  } catch {
    return '';
  }
}
