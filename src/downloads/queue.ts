import { randomUUID } from 'node:crypto';
import type { Track } from '../domain/types.js';
import type { Logger } from '../logger.js';
import { isDownloadError } from './errors.js';
import { ownerGone, THIS_PROCESS, type JobStore, type StoredJob } from './jobs.js';
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

/** `job.id` names the job's work folder, so a restart can tell live folders from abandoned ones. */
export type JobHandler = (payload: JobPayload, report: (progress: number) => void, signal: AbortSignal, job: { id: string }) => Promise<void>;

export interface JobQueue {
  /** Takes up jobs left unfinished by a stopped or crashed process, where the queue keeps any. */
  start(): Promise<void>;
  /** Queues a job for the track, or returns the one already queued or running for it. */
  enqueue(payload: JobPayload): Promise<DownloadJob>;
  /** A finished job for a track that needed no work (already on disk). */
  recordDone(trackId: string): Promise<DownloadJob>;
  get(id: string): Promise<DownloadJob | null>;
  /** Resolves once the job is DONE or FAILED. */
  settled(id: string): Promise<DownloadJob>;
  /**
   * The ids among `ids` of jobs that may be writing their work folder now, in this process or
   * another one sharing the queue: their folders must be left alone.
   */
  liveJobs(ids: readonly string[]): Promise<Set<string>>;
  close(): Promise<void>;
}

export interface InProcessQueueOptions {
  handler: JobHandler;
  concurrency: number;
  logger: Logger;
  /**
   * Where jobs are kept so they survive the process: without it jobs live in memory only.
   * With it, jobs left unfinished by a crash are resumed (or failed) by `start()`.
   */
  store?: JobStore;
  /** A job is started at most this many times; a job interrupted on its last attempt fails. */
  maxAttempts?: number;
  /** An owner silent for this long (on another host) has lost its jobs to whoever takes them. */
  leaseMs?: number;
  /** Finished jobs stay queryable this long. */
  retainMs?: number;
  maxRetained?: number;
  now?: () => number;
  /** This process as a job owner (tests stand in for other processes). */
  owner?: string;
}

interface Entry {
  job: DownloadJob;
  payload: JobPayload | null;
  finishedAt: number | null;
  waiters: ((job: DownloadJob) => void)[];
  failWaiters: ((error: Error) => void)[];
}

const DEFAULT_LEASE_MS = 30_000;
const DEFAULT_MAX_ATTEMPTS = 2;
const STORE_POLL_MS = 250;

export function createInProcessQueue(options: InProcessQueueOptions): JobQueue {
  const now = options.now ?? Date.now;
  const retainMs = options.retainMs ?? 6 * 3600_000;
  const maxRetained = options.maxRetained ?? 2000;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const owner = options.owner ?? THIS_PROCESS;
  const store = options.store ?? null;
  const logger = options.logger;
  const entries = new Map<string, Entry>();
  const activeByTrack = new Map<string, string>();
  const waiting: string[] = [];
  const shutdown = new AbortController();
  const running = new Set<Promise<void>>();
  let timer: NodeJS.Timeout | null = null;
  let lastPrune = 0;
  let recovering: Promise<void> = Promise.resolve();

  const stamp = () => new Date(now()).toISOString();
  const snapshot = (entry: Entry): DownloadJob => ({ ...entry.job, error: entry.job.error ? { ...entry.job.error } : null });
  const finishedState = (job: DownloadJob) => job.state === 'DONE' || job.state === 'FAILED';

  function remember(job: DownloadJob, payload: JobPayload | null): Entry {
    const entry: Entry = { job, payload, finishedAt: finishedState(job) ? now() : null, waiters: [], failWaiters: [] };
    entries.set(job.id, entry);
    prune();
    return entry;
  }

  function create(trackId: string, payload: JobPayload | null, state: DownloadJob['state']): Entry {
    const at = stamp();
    return remember({ id: randomUUID(), trackId, state, progress: state === 'DONE' ? 1 : 0, error: null, createdAt: at, updatedAt: at }, payload);
  }

  async function finish(entry: Entry, error: JobError | null): Promise<void> {
    entry.job.state = error ? 'FAILED' : 'DONE';
    if (!error) entry.job.progress = 1;
    entry.job.error = error;
    entry.job.updatedAt = stamp();
    entry.finishedAt = now();
    entry.payload = null;
    activeByTrack.delete(entry.job.trackId);
    await store?.finished(entry.job.id, error, now()).catch((cause: unknown) => logger.warn('could not record a finished download job', { jobId: entry.job.id, error: cause }));
    entry.failWaiters = [];
    for (const resolve of entry.waiters.splice(0)) resolve(snapshot(entry));
  }

  /** The job goes back to the database for the next start (or another instance) to run. */
  async function handBack(entry: Entry): Promise<void> {
    activeByTrack.delete(entry.job.trackId);
    entries.delete(entry.job.id);
    await store!.handBack(entry.job.id, owner, now()).catch((cause: unknown) => logger.warn('could not hand a download job back', { jobId: entry.job.id, error: cause }));
    entry.waiters = [];
    for (const reject of entry.failWaiters.splice(0)) reject(new Error('the download queue is closed'));
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
    // Recorded before any work starts: a work folder on disk always belongs to a job the
    // database shows as running, which is what lets a restart tell live folders from stray ones.
    await store?.started(entry.job.id, owner, now()).catch((error: unknown) => logger.warn('could not record a started download job', { jobId: entry.job.id, error }));
    const report = (progress: number) => {
      const clamped = Math.min(1, Math.max(entry.job.progress, progress));
      if (clamped !== entry.job.progress) {
        entry.job.progress = Math.round(clamped * 1000) / 1000;
        entry.job.updatedAt = stamp();
      }
    };
    try {
      await options.handler(entry.payload!, report, shutdown.signal, { id: entry.job.id });
      await finish(entry, null);
    } catch (error) {
      if (store && shutdown.signal.aborted) return handBack(entry);
      if (isDownloadError(error)) {
        await finish(entry, { code: error.code, message: error.message });
      } else {
        logger.error('download job crashed', { jobId: entry.job.id, trackId: entry.job.trackId, error });
        await finish(entry, { code: 'INTERNAL', message: 'unexpected error while preparing the download' });
      }
    }
  }

  /**
   * Takes over the unfinished jobs whose owner is gone: exited on this host, handed back by a
   * graceful stop, or silent past the lease. Each is queued again, or failed with the reason
   * when it has already been interrupted on its last attempt.
   */
  async function recover(): Promise<void> {
    if (!store) return;
    const at = now();
    for (const stored of await store.unfinished()) {
      if (stored.owner === owner || entries.has(stored.job.id)) continue;
      const orphaned = stored.owner === null || at - (stored.heartbeatAt ?? 0) > leaseMs || ownerGone(stored.owner, owner);
      if (!orphaned || !(await store.takeOver(stored.job.id, stored, owner, at))) continue;
      await takeUp(stored);
    }
  }

  async function takeUp(stored: StoredJob): Promise<void> {
    const { job, payload, attempts } = stored;
    const interrupted = job.state === 'RUNNING' || attempts > 0;
    const entry = remember({ ...job, state: 'QUEUED', progress: 0, error: null, updatedAt: stamp() }, payload);
    if (!payload || attempts >= maxAttempts) {
      const reason = !payload
        ? 'interrupted: the server stopped and this download could not be resumed; request it again'
        : `interrupted: the server stopped while preparing this download (${attempts} attempts); request it again`;
      logger.warn('download job interrupted too often; failed', { jobId: job.id, trackId: job.trackId, attempts });
      await finish(entry, { code: 'INTERNAL', message: reason });
      return;
    }
    if (interrupted) logger.info('download job resumed after an interruption', { jobId: job.id, trackId: job.trackId, attempts });
    if (!activeByTrack.has(job.trackId)) activeByTrack.set(job.trackId, job.id);
    waiting.push(job.id);
    pump();
  }

  async function tick(): Promise<void> {
    if (!store || shutdown.signal.aborted) return;
    const progress = new Map<string, number>();
    let mine = false;
    for (const entry of entries.values()) {
      if (entry.finishedAt !== null) continue;
      mine = true;
      if (entry.job.state === 'RUNNING') progress.set(entry.job.id, entry.job.progress);
    }
    if (mine) await store.heartbeat(owner, now(), progress);
    recovering = recovering.catch(() => undefined).then(recover);
    await recovering;
    if (now() - lastPrune > 3600_000) {
      lastPrune = now();
      await store.prune(now() - retainMs);
    }
  }

  async function fromStore(id: string): Promise<StoredJob | null> {
    if (!store || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return null;
    return store.get(id);
  }

  return {
    async start() {
      if (!store || timer) return;
      recovering = recovering.catch(() => undefined).then(recover);
      await recovering;
      lastPrune = now();
      await store.prune(now() - retainMs);
      // Heartbeats well inside the lease, so a live owner never looks silent.
      timer = setInterval(() => {
        tick().catch((error: unknown) => logger.warn('download jobs not refreshed in the database', { error }));
      }, Math.max(50, Math.floor(leaseMs / 3)));
      timer.unref();
    },
    async enqueue(payload) {
      const activeId = activeByTrack.get(payload.trackId);
      const active = activeId ? entries.get(activeId) : undefined;
      if (active) return snapshot(active);
      if (shutdown.signal.aborted) throw new Error('the download queue is closed');
      const entry = create(payload.trackId, payload, 'QUEUED');
      if (store) {
        try {
          await store.insert(entry.job, payload, owner, now());
        } catch (error) {
          entries.delete(entry.job.id);
          throw error;
        }
      }
      activeByTrack.set(payload.trackId, entry.job.id);
      waiting.push(entry.job.id);
      pump();
      return snapshot(entry);
    },
    async recordDone(trackId) {
      const entry = create(trackId, null, 'DONE');
      await store?.insert(entry.job, null, null, now());
      return snapshot(entry);
    },
    async get(id) {
      const entry = entries.get(id);
      if (entry) return snapshot(entry);
      return (await fromStore(id))?.job ?? null;
    },
    async settled(id) {
      const entry = entries.get(id);
      if (entry) {
        if (finishedState(entry.job)) return snapshot(entry);
        return new Promise((resolve, reject) => {
          entry.waiters.push(resolve);
          entry.failWaiters.push(reject);
        });
      }
      // A job another process runs: watch its row.
      for (;;) {
        if (shutdown.signal.aborted) throw new Error('the download queue is closed');
        const stored = await fromStore(id);
        if (!stored) throw new Error(`unknown job ${id}`);
        if (finishedState(stored.job)) return stored.job;
        await new Promise((resolve) => setTimeout(resolve, STORE_POLL_MS));
      }
    },
    async liveJobs(ids) {
      const live = new Set(ids.filter((id) => {
        const entry = entries.get(id);
        return entry !== undefined && entry.finishedAt === null;
      }));
      if (store) for (const id of await store.unfinishedAmong(ids.filter((candidate) => !live.has(candidate)))) live.add(id);
      return live;
    },
    async close() {
      shutdown.abort();
      if (timer) clearInterval(timer);
      timer = null;
      await recovering.catch(() => undefined);
      for (const id of waiting.splice(0)) {
        const entry = entries.get(id);
        if (!entry) continue;
        // Kept jobs wait in the database for the next start; memory-only ones cannot.
        if (store) await handBack(entry);
        else await finish(entry, { code: 'INTERNAL', message: 'the server stopped before the download started' });
      }
      await Promise.allSettled([...running]);
    },
  };
}
