import { randomUUID } from 'node:crypto';
import type { Track } from '../domain/types.js';
import type { Logger } from '../logger.js';
import { isDownloadError } from './errors.js';
import type { DownloadJob, JobError } from './types.js';

/**
 * Where download jobs wait and run. The in-process queue below is the default; the interface
 * is data-only (a payload in, job records out) so a BullMQ/Redis implementation can replace it
 * and run the same handler in worker processes.
 */
export interface JobPayload {
  trackId: string;
  /** Plain data, serialisable for an out-of-process queue. */
  track: Track;
}

export type JobHandler = (payload: JobPayload, report: (progress: number) => void, signal: AbortSignal) => Promise<void>;

export interface JobQueue {
  /** Queues a job for the track, or returns the one already queued or running for it. */
  enqueue(payload: JobPayload): Promise<DownloadJob>;
  /** A finished job for a track that needed no work (already on disk). */
  recordDone(trackId: string): Promise<DownloadJob>;
  get(id: string): Promise<DownloadJob | null>;
  /** Resolves once the job is DONE or FAILED. */
  settled(id: string): Promise<DownloadJob>;
  close(): Promise<void>;
}

export interface InProcessQueueOptions {
  handler: JobHandler;
  concurrency: number;
  logger: Logger;
  /** Finished jobs stay queryable this long. */
  retainMs?: number;
  maxRetained?: number;
  now?: () => number;
}

interface Entry {
  job: DownloadJob;
  payload: JobPayload | null;
  finishedAt: number | null;
  waiters: ((job: DownloadJob) => void)[];
}

export function createInProcessQueue(options: InProcessQueueOptions): JobQueue {
  const now = options.now ?? Date.now;
  const retainMs = options.retainMs ?? 6 * 3600_000;
  const maxRetained = options.maxRetained ?? 2000;
  const entries = new Map<string, Entry>();
  const activeByTrack = new Map<string, string>();
  const waiting: string[] = [];
  const shutdown = new AbortController();
  const running = new Set<Promise<void>>();

  const stamp = () => new Date(now()).toISOString();
  const snapshot = (entry: Entry): DownloadJob => ({ ...entry.job, error: entry.job.error ? { ...entry.job.error } : null });

  function create(trackId: string, payload: JobPayload | null, state: DownloadJob['state']): Entry {
    const at = stamp();
    const entry: Entry = {
      job: { id: randomUUID(), trackId, state, progress: state === 'DONE' ? 1 : 0, error: null, createdAt: at, updatedAt: at },
      payload,
      finishedAt: state === 'DONE' ? now() : null,
      waiters: [],
    };
    entries.set(entry.job.id, entry);
    prune();
    return entry;
  }

  function finish(entry: Entry, error: JobError | null): void {
    entry.job.state = error ? 'FAILED' : 'DONE';
    if (!error) entry.job.progress = 1;
    entry.job.error = error;
    entry.job.updatedAt = stamp();
    entry.finishedAt = now();
    entry.payload = null;
    activeByTrack.delete(entry.job.trackId);
    for (const resolve of entry.waiters.splice(0)) resolve(snapshot(entry));
  }

  function prune(): void {
    const cutoff = now() - retainMs;
    const finished = [...entries.values()].filter((entry) => entry.finishedAt !== null);
    const excess = finished.length - maxRetained;
    finished
      .sort((a, b) => (a.finishedAt ?? 0) - (b.finishedAt ?? 0))
      .forEach((entry, index) => {
        if (index < excess || (entry.finishedAt ?? 0) < cutoff) entries.delete(entry.job.id);
      });
  }

  function pump(): void {
    while (running.size < options.concurrency && waiting.length > 0 && !shutdown.signal.aborted) {
      const entry = entries.get(waiting.shift()!);
      if (!entry || !entry.payload) continue;
      const task = run(entry).finally(() => {
        running.delete(task);
        pump();
      });
      running.add(task);
    }
  }

  async function run(entry: Entry): Promise<void> {
    entry.job.state = 'RUNNING';
    entry.job.updatedAt = stamp();
    const report = (progress: number) => {
      const clamped = Math.min(1, Math.max(entry.job.progress, progress));
      if (clamped !== entry.job.progress) {
        entry.job.progress = Math.round(clamped * 1000) / 1000;
        entry.job.updatedAt = stamp();
      }
    };
    try {
      await options.handler(entry.payload!, report, shutdown.signal);
      finish(entry, null);
    } catch (error) {
      if (isDownloadError(error)) {
        finish(entry, { code: error.code, message: error.message });
      } else {
        options.logger.error('download job crashed', { jobId: entry.job.id, trackId: entry.job.trackId, error });
        finish(entry, { code: 'INTERNAL', message: 'unexpected error while preparing the download' });
      }
    }
  }

  return {
    async enqueue(payload) {
      const activeId = activeByTrack.get(payload.trackId);
      const active = activeId ? entries.get(activeId) : undefined;
      if (active) return snapshot(active);
      if (shutdown.signal.aborted) throw new Error('the download queue is closed');
      const entry = create(payload.trackId, payload, 'QUEUED');
      activeByTrack.set(payload.trackId, entry.job.id);
      waiting.push(entry.job.id);
      pump();
      return snapshot(entry);
    },
    async recordDone(trackId) {
      return snapshot(create(trackId, null, 'DONE'));
    },
    async get(id) {
      const entry = entries.get(id);
      return entry ? snapshot(entry) : null;
    },
    settled(id) {
      const entry = entries.get(id);
      if (!entry) return Promise.reject(new Error(`unknown job ${id}`));
      if (entry.job.state === 'DONE' || entry.job.state === 'FAILED') return Promise.resolve(snapshot(entry));
      return new Promise((resolve) => entry.waiters.push(resolve));
    },
    async close() {
      shutdown.abort();
      for (const id of waiting.splice(0)) {
        const entry = entries.get(id);
        if (entry) finish(entry, { code: 'INTERNAL', message: 'the server stopped before the download started' });
      }
      await Promise.allSettled([...running]);
    },
  };
}
