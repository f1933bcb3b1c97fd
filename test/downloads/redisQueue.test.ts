import { createHash, randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express from 'express';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openSqliteFile } from '../../src/db/sqlite.js';
import type { Db } from '../../src/db/types.js';
import { loadDownloadSettings } from '../../src/downloads/config.js';
import { DownloadError } from '../../src/downloads/errors.js';
import { createFilesRouter } from '../../src/downloads/http.js';
import type { JobHandler, JobPayload, JobQueue } from '../../src/downloads/queue.js';
import { createRedisQueue, redisQueueFactory, type RedisQueueOptions } from '../../src/downloads/redisQueue.js';
import type { DownloadService } from '../../src/downloads/service.js';
import { createDownloadIndex } from '../../src/downloads/store.js';
import type { DownloadJob } from '../../src/downloads/types.js';
import { silentLogger } from '../../src/logger.js';
import { startReplayServer, type ReplayServer } from '../support/replayServer.js';
import { CDN_HOST, FILE_HOST, fileHostDownloads, generateAudio, licensedTrack, serveAudio } from './support.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function redisReachable(): Promise<string | null> {
  const probe = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  let cause: Error | null = null;
  probe.on('error', (error: Error) => (cause ??= error));
  try {
    await probe.connect();
    await probe.ping();
    return null;
  } catch (error) {
    return `Redis not reachable at ${REDIS_URL} (${(cause ?? (error as Error)).message})`;
  } finally {
    probe.disconnect();
  }
}

const skipReason = await redisReachable();
if (skipReason) console.warn(`[skip] ${skipReason}`);

const run = randomUUID();
/** Every key this file writes starts with it, so the cleanup can prove nothing is left behind. */
const PREFIX = `test-downloads-${run}`;

/**
 * Two "gateway instances" are two queues with their own Redis connections on one Redis, under
 * one queue name, exactly as two processes of a deployment would be.
 */
describe.skipIf(skipReason !== null)('download queue shared through Redis', () => {
  let admin: Redis;
  const open: JobQueue[] = [];
  let queueName = '';

  beforeAll(() => {
    admin = new Redis(REDIS_URL);
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((queue) => queue.close()));
  });
  afterAll(async () => {
    await deleteKeys(admin, `${PREFIX}:*`);
    expect(await admin.keys(`${PREFIX}:*`)).toEqual([]);
    admin.disconnect();
  });

  function instance(handler: JobHandler, extra: Partial<RedisQueueOptions> = {}): JobQueue {
    const queue = createRedisQueue({ url: REDIS_URL, handler, concurrency: 2, logger: silentLogger, prefix: PREFIX, queueName, pollMs: 20, ...extra });
    open.push(queue);
    return queue;
  }

  /** A handler that reports progress, then waits until the test lets the track finish. */
  function gatedHandler() {
    const gates = new Map<string, () => void>();
    const runs: string[] = [];
    const handler: JobHandler = async ({ trackId }, report) => {
      runs.push(trackId);
      report(0.4);
      await new Promise<void>((resolve) => gates.set(trackId, resolve));
    };
    const release = async (trackId: string) => {
      await until(() => gates.has(trackId));
      gates.get(trackId)!();
      gates.delete(trackId);
    };
    return { handler, runs, release };
  }

  let counter = 0;
  const nextQueue = () => {
    counter += 1;
    queueName = `q${counter}`;
  };

  it('shows a job queued on one instance, with its state and progress, on another', async () => {
    nextQueue();
    const { handler, release } = gatedHandler();
    const a = instance(handler);
    const b = instance(handler, { work: false });
    const track = payload('shared');

    const queued = await a.enqueue(track);
    expect(queued).toMatchObject({ trackId: track.trackId, error: null });
    expect(['QUEUED', 'RUNNING']).toContain(queued.state);

    const running = await until(async () => {
      const seen = await b.get(queued.id);
      return seen?.state === 'RUNNING' && seen.progress === 0.4 ? seen : null;
    });
    expect(running).toMatchObject({ id: queued.id, trackId: track.trackId, createdAt: queued.createdAt, error: null });
    expect(Date.parse(running.updatedAt)).toBeGreaterThanOrEqual(Date.parse(queued.createdAt));

    await release(track.trackId);
    const done = await until(async () => ((await b.get(queued.id))?.state === 'DONE' ? b.get(queued.id) : null));
    expect(done).toMatchObject({ id: queued.id, state: 'DONE', progress: 1, error: null });
    expect(await a.get(queued.id)).toEqual(done);

    // A job for a track already on disk is just as visible.
    const instant = await a.recordDone(track.trackId);
    expect(await b.get(instant.id)).toEqual(instant);
    expect(instant).toMatchObject({ state: 'DONE', progress: 1 });

    expect(await b.get(randomUUID())).toBeNull();
    // Ids come from clients: names of BullMQ's own keys are not jobs.
    expect(await b.get('meta')).toBeNull();
    expect(await b.get('id')).toBeNull();
  });

  it('makes one job of concurrent requests for a track from two instances, run once', async () => {
    nextQueue();
    const { handler, runs, release } = gatedHandler();
    const a = instance(handler);
    const b = instance(handler);
    const track = payload('together');

    const jobs = await Promise.all([1, 2, 3, 4].flatMap(() => [a.enqueue(track), b.enqueue(track)]));
    expect(new Set(jobs.map((job) => job.id)).size).toBe(1);
    const other = await b.enqueue(payload('other'));
    expect(other.id).not.toBe(jobs[0]!.id);

    await release(track.trackId);
    await release(payload('other').trackId);
    expect(await b.settled(jobs[0]!.id)).toMatchObject({ state: 'DONE' });
    expect(await a.settled(other.id)).toMatchObject({ state: 'DONE' });
    expect(runs.filter((id) => id === track.trackId)).toHaveLength(1);

    // Once finished, a new request is a new job.
    const again = await a.enqueue(track);
    expect(again.id).not.toBe(jobs[0]!.id);
    await release(track.trackId);
    expect(await b.settled(again.id)).toMatchObject({ state: 'DONE' });
    expect(runs.filter((id) => id === track.trackId)).toHaveLength(2);
  });

  it('fails with the DownloadError code and message, and a later request starts a new attempt', async () => {
    nextQueue();
    let attempts = 0;
    const a = instance(async ({ trackId }, report) => {
      attempts += 1;
      report(0.3);
      if (trackId.endsWith(':crash')) throw new Error('boom at /var/lib/secret/path');
      if (attempts === 1) throw new DownloadError('NOT_AUDIO', 'the file is not audio (text/html)');
    });
    const b = instance(async () => undefined, { work: false });
    const track = payload('flaky');

    const first = await a.enqueue(track);
    const failed = await b.settled(first.id);
    expect(failed).toMatchObject({ id: first.id, state: 'FAILED', progress: 0.3, error: { code: 'NOT_AUDIO', message: 'the file is not audio (text/html)' } });
    expect(await a.get(first.id)).toEqual(failed);

    const second = await b.enqueue(track);
    expect(second.id).not.toBe(first.id);
    expect(await b.settled(second.id)).toMatchObject({ state: 'DONE', error: null });
    expect(attempts).toBe(2);
    // The failed attempt stays readable.
    expect((await b.get(first.id))?.state).toBe('FAILED');

    const crash = await b.enqueue(payload('crash'));
    expect(await b.settled(crash.id)).toMatchObject({ state: 'FAILED', error: { code: 'INTERNAL', message: 'unexpected error while preparing the download' } });
  });

  it('resolves settled on an instance that does not run the job', async () => {
    nextQueue();
    const { handler, release } = gatedHandler();
    const a = instance(handler);
    const b = instance(handler, { work: false });
    const job = await a.enqueue(payload('waited'));

    let resolved: DownloadJob | null = null;
    const waiting = b.settled(job.id).then((finished) => (resolved = finished));
    await until(async () => (await b.get(job.id))?.state === 'RUNNING');
    expect(resolved).toBeNull();
    await release(payload('waited').trackId);
    await waiting;
    expect(resolved).toMatchObject({ id: job.id, state: 'DONE', progress: 1 });
    await expect(b.settled(randomUUID())).rejects.toThrow(/unknown job/);
  });

  it('names as live only the jobs a worker is running, so their work folders are left alone at start', async () => {
    nextQueue();
    const { handler, release, runs } = gatedHandler();
    const worker = instance(handler, { concurrency: 1 });
    const reader = instance(handler, { work: false });
    const first = await worker.enqueue(payload('live-1'));
    const second = await worker.enqueue(payload('live-2'));
    await until(() => runs.length === 1);
    const unknown = randomUUID();
    expect(await reader.liveJobs([first.id, second.id, unknown, 'not-a-job'])).toEqual(new Set([first.id]));
    await release(payload('live-1').trackId);
    await until(async () => (await reader.get(first.id))?.state === 'DONE');
    await until(() => runs.length === 2);
    expect(await reader.liveJobs([first.id, second.id])).toEqual(new Set([second.id]));
    await release(payload('live-2').trackId);
    await until(async () => (await reader.get(second.id))?.state === 'DONE');
  });

  it('hands a running job back when its instance closes, and leaves no open handles', async () => {
    nextQueue();
    const baseline = handles();
    const started: string[] = [];
    const a = createRedisQueue({
      url: REDIS_URL,
      concurrency: 1,
      logger: silentLogger,
      prefix: PREFIX,
      queueName,
      pollMs: 20,
      handler: async ({ trackId }, report, signal) => {
        started.push(`a:${trackId}`);
        report(0.5);
        await new Promise<void>((_resolve, reject) => signal.addEventListener('abort', () => reject(new DownloadError('UPSTREAM_FAILED', 'aborted'))));
      },
    });
    open.push(a);
    const track = payload('handed-over');
    const job = await a.enqueue(track);
    await until(() => started.length === 1);
    expect(handles().TCPSocketWrap ?? 0).toBeGreaterThan(baseline.TCPSocketWrap ?? 0);
    await a.close();
    await expect(a.get(job.id)).rejects.toThrow(/closed/);

    const b = createRedisQueue({
      url: REDIS_URL,
      concurrency: 1,
      logger: silentLogger,
      prefix: PREFIX,
      queueName,
      pollMs: 20,
      handler: async ({ trackId }) => {
        started.push(`b:${trackId}`);
      },
    });
    open.push(b);
    const finished = await b.settled(job.id);
    expect(finished).toMatchObject({ id: job.id, state: 'DONE', error: null });
    expect(started).toEqual([`a:${track.trackId}`, `b:${track.trackId}`]);
    await b.close();

    // Sockets and timers of both instances are gone: nothing keeps the process alive.
    await until(() => sameHandles(handles(), baseline));
  });
});

/** Two gateway instances over one MUSIC_DIR and one database file, the pipeline for real. */
describe.skipIf(skipReason !== null)('downloads on two instances sharing Redis, MUSIC_DIR and the index', () => {
  let root: string;
  let files: ReplayServer;
  let dbs: Db[] = [];
  let services: DownloadService[] = [];
  let http: Server;
  let admin: Redis;
  const queueName = 'e2e';

  async function gatewayInstance(work: boolean): Promise<DownloadService> {
    const env = { LOG_LEVEL: 'silent', MUSIC_DIR: path.join(root, 'musica'), DATA_DIR: path.join(root, 'data'), SERVER_SECRET: 's'.repeat(48) };
    const config = loadConfig(env);
    Object.defineProperty(config, 'upstreamOverrides', { get: () => files.overrides });
    const db = await openSqliteFile(env.DATA_DIR);
    dbs.push(db);
    const service = await fileHostDownloads({
      config,
      db,
      settings: loadDownloadSettings({ DOWNLOAD_IDLE_TIMEOUT_MS: '5000', ...env }),
      createQueue: redisQueueFactory(REDIS_URL, { prefix: PREFIX, queueName, work }),
    });
    services.push(service);
    return service;
  }

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'musica-redis-dl-'));
    files = await startReplayServer({ extraHosts: [FILE_HOST, CDN_HOST] });
    admin = new Redis(REDIS_URL);
  });
  afterAll(async () => {
    await Promise.all(services.map((service) => service.close()));
    await Promise.all(dbs.map((db) => db.close()));
    await new Promise((resolve) => (http ? http.close(resolve) : resolve(undefined)));
    await files.close();
    await rm(root, { recursive: true, force: true });
    await deleteKeys(admin, `${PREFIX}:*`);
    admin.disconnect();
    services = [];
    dbs = [];
  });

  it("serves from instance B the file that instance A's worker produced", async () => {
    const audio = await generateAudio();
    try {
      const a = await gatewayInstance(true);
      const b = await gatewayInstance(false);
      const nativeId = `shared-${run}`;
      const track = licensedTrack({ nativeId });
      serveAudio(files, `${nativeId}.flac`, audio.flac);
      const lookup = async () => track;

      const [fromA, fromB] = await Promise.all([a.prepare(track.id, lookup), b.prepare(track.id, lookup)]);
      expect(fromB.id).toBe(fromA.id);
      expect(await b.settled(fromB.id)).toMatchObject({ state: 'DONE', progress: 1, error: null });
      expect(files.count(`/audio/${nativeId}.flac`)).toBe(1);

      // B never ran a job, yet the track is ready there: a new request costs no work.
      const again = await b.prepare(track.id, async () => {
        throw new Error('a track on disk needs no lookup');
      });
      expect(again).toMatchObject({ state: 'DONE', progress: 1 });
      expect(again.id).not.toBe(fromA.id);
      expect(await a.job(again.id)).toEqual(again);

      const app = express();
      app.use('/files', createFilesRouter(b));
      http = await new Promise((resolve) => {
        const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
      });
      const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
      const [, mp3] = await b.optionsForTrack(track);
      expect(mp3).toMatchObject({ format: 'MP3', available: true });
      const response = await fetch(`${base}${mp3!.url}`);
      expect(response.status).toBe(200);
      const body = Buffer.from(await response.arrayBuffer());
      const indexed = (await createDownloadIndex(dbs[0]!).get(track.id))!.files.find((file) => file.format === 'MP3')!;
      expect(body.length).toBe(indexed.sizeBytes);
      expect(createHash('sha256').update(body).digest('hex')).toBe(indexed.sha256);
      expect(body.equals(await readFile(path.join(root, 'musica', indexed.path)))).toBe(true);
    } finally {
      await rm(audio.dir, { recursive: true, force: true });
    }
  }, 60_000);
});

function payload(name: string): JobPayload {
  const track = licensedTrack({ nativeId: `${name}-${run}` });
  return { trackId: name === 'crash' ? `${track.id}:crash` : track.id, track };
}

async function until<T>(check: () => T | Promise<T>, timeoutMs = 10_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function handles(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}

function sameHandles(now: Record<string, number>, baseline: Record<string, number>): boolean {
  return ['TCPSocketWrap', 'Timeout'].every((kind) => (now[kind] ?? 0) <= (baseline[kind] ?? 0));
}

async function deleteKeys(redis: Redis, pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    cursor = next;
    if (keys.length) await redis.del(...keys);
  } while (cursor !== '0');
}
