import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue, UnrecoverableError, WaitingError, Worker, type Job, type JobState as BullState } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import type { DownloadSettings } from './config.js';
import { isDownloadError } from './errors.js';
import type { JobHandler, JobPayload, JobQueue } from './queue.js';
import type { DownloadJob, JobError, JobState } from './types.js';

/**
 * The download queue shared by every gateway instance through Redis (BullMQ). A job prepared on
 * one instance is visible, deduplicated by track and runnable on all of them; each instance's
 * worker runs the same pipeline handler, so MUSIC_DIR and the index must be shared as well.
 */
export interface RedisQueueOptions {
  url: string;
  handler: JobHandler;
  /** Jobs this instance's worker runs at once. */
  concurrency: number;
  logger: Logger;
  /** Every instance of one deployment must use the same name and prefix. */
  queueName?: string;
  prefix?: string;
  /** False: this instance only queues and reads jobs; workers elsewhere run them. */
  work?: boolean;
  /** Finished jobs stay queryable this long. */
  retainMs?: number;
  maxRetained?: number;
  /** How often `settled` looks at a job. */
  pollMs?: number;
  now?: () => number;
}

const DEFAULT_QUEUE_NAME = 'downloads';
const DEFAULT_QUEUE_PREFIX = 'musica';

const JOB_NAME = 'download';
/** Progress arrives per received chunk; Redis only needs to hear about it this often. */
const PROGRESS_WRITE_MS = 250;
const JOB_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface StoredData extends JobPayload {
  /** Written just before the job is failed: BullMQ itself keeps only a message. */
  error?: JobError;
}

interface StoredProgress {
  value: number;
  at: number;
}

const STATES: Partial<Record<BullState | 'unknown', JobState>> = {
  waiting: 'QUEUED',
  prioritized: 'QUEUED',
  delayed: 'QUEUED',
  'waiting-children': 'QUEUED',
  active: 'RUNNING',
  completed: 'DONE',
  failed: 'FAILED',
};

/** The `createQueue` option of `createDownloadService` for a deployment with REDIS_URL. */
export function redisQueueFactory(url: string, extra: Pick<RedisQueueOptions, 'queueName' | 'prefix' | 'work'> = {}) {
  return (handler: JobHandler, settings: DownloadSettings, logger: Logger): JobQueue =>
    createRedisQueue({ url, handler, concurrency: settings.concurrency, logger, ...extra });
}

export function createRedisQueue(options: RedisQueueOptions): JobQueue {
  const now = options.now ?? Date.now;
  const retainMs = options.retainMs ?? 6 * 3600_000;
  const maxRetained = options.maxRetained ?? 2000;
  const pollMs = options.pollMs ?? 200;
  const name = options.queueName ?? DEFAULT_QUEUE_NAME;
  const prefix = options.prefix ?? DEFAULT_QUEUE_PREFIX;
  const logger = options.logger.child({ queue: `${prefix}:${name}` });
  const shutdown = new AbortController();
  let closing: Promise<void> | null = null;

  // Requests wait on this connection, so a Redis outage fails them after a few retries; the
  // worker's connection waits for Redis indefinitely, as BullMQ requires for blocking reads.
  const commands = watch(new Redis(options.url, { maxRetriesPerRequest: 3 }), 'queue', logger);
  const queue = new Queue<StoredData>(name, {
    connection: commands,
    prefix,
    defaultJobOptions: {
      attempts: 1,
      removeOnComplete: { age: Math.ceil(retainMs / 1000), count: maxRetained },
      removeOnFail: { age: Math.ceil(retainMs / 1000), count: maxRetained },
    },
  });
  queue.on('error', (error) => logger.warn('download queue error', { error }));

  const workerConnection = options.work === false ? null : watch(new Redis(options.url, { maxRetriesPerRequest: null }), 'worker', logger);
  const worker = workerConnection
    ? new Worker<StoredData>(name, (job, token) => run(job, token), { connection: workerConnection, prefix, concurrency: options.concurrency })
    : null;
  worker?.on('error', (error) => logger.warn('download worker error', { error }));

  const doneKey = (id: string) => `${queue.qualifiedName}:done:${id}`;
  const dedupKey = (trackId: string) => `${queue.qualifiedName}:de:${trackId}`;
  const iso = (ms: number) => new Date(ms).toISOString();

  async function run(job: Job<StoredData>, token: string | undefined): Promise<void> {
    const progress = progressWriter(job, now, logger);
    try {
      await options.handler({ trackId: job.data.trackId, track: job.data.track }, progress.report, shutdown.signal, { id: job.id! });
      await progress.settle();
    } catch (error) {
      await progress.settle();
      if (shutdown.signal.aborted && token) {
        // This instance is stopping: hand the job back so another one (or this one, restarted) runs it.
        await job.updateProgress({ value: 0, at: now() } satisfies StoredProgress);
        await job.moveToWait(token);
        throw new WaitingError();
      }
      const failure = jobError(error, job, logger);
      await job.updateData({ ...job.data, error: failure });
      throw new UnrecoverableError(failure.message);
    }
  }

  async function read(id: string): Promise<DownloadJob | null> {
    if (!JOB_ID.test(id)) return null;
    // State before body: a job seen as failed already carries the error written before it failed.
    const [state, done] = await Promise.all([queue.getJobState(id), commands.get(doneKey(id))]);
    if (done) return JSON.parse(done) as DownloadJob;
    const mapped = STATES[state];
    if (!mapped) return null;
    const job = await queue.getJob(id);
    if (!job) return null;
    const progress = readProgress(job.progress);
    const changes = [job.timestamp, job.processedOn, job.finishedOn, progress?.at].filter((at): at is number => typeof at === 'number');
    return {
      id,
      trackId: job.data.trackId,
      state: mapped,
      progress: mapped === 'DONE' ? 1 : progress?.value ?? 0,
      error: mapped === 'FAILED' ? job.data.error ?? { code: 'INTERNAL', message: `the download stopped: ${job.failedReason || 'unknown reason'}` } : null,
      createdAt: iso(job.timestamp),
      updatedAt: iso(Math.max(...changes)),
    };
  }

  function assertOpen(): void {
    if (shutdown.signal.aborted) throw new Error('the download queue is closed');
  }

  return {
    // BullMQ keeps the jobs in Redis already: a job whose worker died is stalled, then retried.
    async start() {},
    async enqueue(payload) {
      assertOpen();
      // BullMQ's deduplication is atomic in Redis: while a job for the track is queued or running,
      // adding another returns the id of that job, whichever instance added it.
      for (let attempt = 0; attempt < 2; attempt += 1) {
        const added = await queue.add(JOB_NAME, { trackId: payload.trackId, track: payload.track }, { jobId: randomUUID(), deduplication: { id: payload.trackId } });
        const job = await read(added.id!);
        if (job) return job;
        // The key named a job removed by hand; free it (only if it still names that job) and add again.
        await commands.eval("if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0", 1, dedupKey(payload.trackId), added.id!);
      }
      throw new Error(`could not queue a download for ${payload.trackId}`);
    },
    async recordDone(trackId) {
      assertOpen();
      const at = iso(now());
      const job: DownloadJob = { id: randomUUID(), trackId, state: 'DONE', progress: 1, error: null, createdAt: at, updatedAt: at };
      await commands.set(doneKey(job.id), JSON.stringify(job), 'PX', retainMs);
      return job;
    },
    async get(id) {
      assertOpen();
      return read(id);
    },
    async settled(id) {
      // Polling rather than BullMQ's event stream: a finish between subscribing and the first
      // read cannot be missed, and only tests and the CLI wait on jobs.
      for (;;) {
        assertOpen();
        const job = await read(id);
        if (!job) throw new Error(`unknown job ${id}`);
        if (job.state === 'DONE' || job.state === 'FAILED') return job;
        await sleep(pollMs, undefined, { signal: shutdown.signal }).catch(() => undefined);
      }
    },
    async liveJobs(ids) {
      // Active means a worker holds it (or held it until its lock runs out): its folder may be in use.
      const states = await Promise.all(ids.map((id) => (JOB_ID.test(id) ? queue.getJobState(id) : Promise.resolve('unknown'))));
      return new Set(ids.filter((_id, i) => states[i] === 'active'));
    },
    close() {
      closing ??= (async () => {
        // Running handlers see the abort and their jobs go back to the queue for other instances.
        shutdown.abort();
        await worker?.close();
        await queue.close();
        await Promise.all([disconnect(commands), workerConnection && disconnect(workerConnection)]);
      })();
      return closing;
    },
  };
}

function jobError(error: unknown, job: Job<StoredData>, logger: Logger): JobError {
  if (isDownloadError(error)) return { code: error.code, message: error.message };
  logger.error('download job crashed', { jobId: job.id, trackId: job.data.trackId, error });
  return { code: 'INTERNAL', message: 'unexpected error while preparing the download' };
}

function readProgress(raw: unknown): StoredProgress | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const { value, at } = raw as Partial<StoredProgress>;
  return typeof value === 'number' && typeof at === 'number' ? { value, at } : null;
}

/** Monotonic progress as the in-process queue keeps it, written to Redis at most every PROGRESS_WRITE_MS. */
function progressWriter(job: Job<StoredData>, now: () => number, logger: Logger) {
  let value = 0;
  let written = 0;
  let lastWriteAt = 0;
  let timer: NodeJS.Timeout | null = null;
  let writing: Promise<void> = Promise.resolve();

  const write = () => {
    timer = null;
    if (value === written) return;
    written = value;
    lastWriteAt = Date.now();
    const stored: StoredProgress = { value, at: now() };
    writing = writing
      .then(() => job.updateProgress(stored))
      .catch((error: unknown) => logger.warn('could not record download progress', { jobId: job.id, error }));
  };

  return {
    report(progress: number) {
      const next = Math.round(Math.min(1, Math.max(value, progress)) * 1000) / 1000;
      if (next <= value) return;
      value = next;
      if (timer) return;
      const wait = lastWriteAt + PROGRESS_WRITE_MS - Date.now();
      if (wait <= 0) write();
      else timer = setTimeout(write, wait);
    },
    /** Writes what is pending, so nothing lands after the job has finished. */
    async settle() {
      if (timer) {
        clearTimeout(timer);
        write();
      }
      await writing;
    },
  };
}

/** Resolves once the socket is really gone, so a closed queue holds nothing open. */
function disconnect(connection: Redis): Promise<void> {
  if (connection.status === 'end') return Promise.resolve();
  const ended = new Promise<void>((resolve) => connection.once('end', () => resolve()));
  connection.disconnect();
  return ended;
}

/** Logs a connection's failures once per distinct message until it is ready again. */
function watch(connection: Redis, role: string, logger: Logger): Redis {
  let last: string | null = null;
  connection.on('error', (error: Error) => {
    if (error.message === last) return;
    last = error.message;
    logger.warn('download queue lost Redis', { role, error: error.message });
  });
  connection.on('ready', () => {
    last = null;
  });
  return connection;
}
