import { randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/index.js';
import { migrate } from '../../src/db/migrate.js';
import type { Db } from '../../src/db/types.js';
import { DownloadError } from '../../src/downloads/errors.js';
import { createJobStore, ownerGone, THIS_PROCESS, type JobStore } from '../../src/downloads/jobs.js';
import { DOWNLOAD_MIGRATIONS } from '../../src/downloads/migrations.js';
import { createInProcessQueue, type JobHandler, type JobPayload, type JobQueue } from '../../src/downloads/queue.js';
import type { DownloadJob } from '../../src/downloads/types.js';
import { silentLogger } from '../../src/logger.js';
import { missingPostgres, TEST_DATABASE_URL, testSchemas } from '../support/postgres.js';
import { licensedTrack } from './support.js';

/**
 * The in-process queue with its jobs in the database, on SQLite and on a real PostgreSQL:
 * what another instance sees, what a graceful stop hands on, and who takes over the jobs of
 * an owner that is gone. (A real SIGKILL is in crash.test.ts.)
 */
const noPostgres = await missingPostgres('download jobs on PostgreSQL');
const schemas = testSchemas('musica_dl_jobs');
const cleanups: (() => Promise<unknown>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(async () => {
  if (!noPostgres) await schemas.dropAll();
});

/** Another machine's gateway as a job owner: judged only by its heartbeat. */
const ELSEWHERE = 'otra-maquina|pid:[1]|77|token';
const payload = (name: string): JobPayload => ({ trackId: licensedTrack({ nativeId: name }).id, track: licensedTrack({ nativeId: name }) });

async function until<T>(check: () => T | Promise<T>, timeoutMs = 10_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A handler that reports progress and waits for the test (or the queue's abort). */
function gated() {
  const gates = new Map<string, () => void>();
  const runs: string[] = [];
  const handler: JobHandler = async ({ trackId }, report, signal) => {
    runs.push(trackId);
    report(0.4);
    await new Promise<void>((resolve, reject) => {
      gates.set(trackId, resolve);
      signal.addEventListener('abort', () => reject(new DownloadError('UPSTREAM_FAILED', 'aborted')));
    });
  };
  const release = async (trackId: string) => {
    await until(() => gates.has(trackId));
    gates.get(trackId)!();
    gates.delete(trackId);
  };
  return { handler, runs, release };
}

const databases: [string, () => Promise<Db>, unknown][] = [
  [
    'SQLite',
    async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'musica-jobs-'));
      cleanups.push(() => rm(dir, { recursive: true, force: true }));
      return openDatabase({ dataDir: dir, databaseUrl: null });
    },
    null,
  ],
  ['PostgreSQL', () => openDatabase({ dataDir: '/nonexistent', databaseUrl: TEST_DATABASE_URL }, { postgres: { schema: schemas.next() } }), noPostgres],
];

for (const [name, open, skip] of databases) {
  describe.skipIf(Boolean(skip))(`download jobs kept in ${name}`, () => {
    async function database(): Promise<{ db: Db; store: JobStore }> {
      const db = await open();
      await migrate(db, DOWNLOAD_MIGRATIONS);
      cleanups.push(() => db.close());
      return { db, store: createJobStore(db) };
    }

    function queue(store: JobStore, handler: JobHandler, extra: { owner?: string; leaseMs?: number; concurrency?: number } = {}): JobQueue {
      const created = createInProcessQueue({ handler, concurrency: extra.concurrency ?? 2, logger: silentLogger, store, leaseMs: extra.leaseMs ?? 30_000, owner: extra.owner });
      cleanups.push(() => created.close());
      return created;
    }

    async function orphan(store: JobStore, name: string, state: 'QUEUED' | 'RUNNING', attempts: number, heartbeatAgoMs: number, owner = ELSEWHERE): Promise<DownloadJob> {
      const at = Date.now() - heartbeatAgoMs;
      const job: DownloadJob = { id: randomUUID(), trackId: payload(name).trackId, state: 'QUEUED', progress: 0, error: null, createdAt: new Date(at).toISOString(), updatedAt: new Date(at).toISOString() };
      await store.insert(job, payload(name), owner, at);
      for (let i = 0; i < attempts; i += 1) await store.started(job.id, owner, at);
      if (state === 'QUEUED') await store.handBack(job.id, owner, at).then(() => store.takeOver(job.id, { owner: null, heartbeatAt: null }, owner, at));
      return job;
    }

    it('shows another instance sharing the database each job, its progress and its outcome', async () => {
      const { store } = await database();
      const { handler, release } = gated();
      const a = queue(store, handler, { leaseMs: 150 });
      const b = queue(store, handler, { owner: ELSEWHERE });
      await a.start();
      await b.start();
      const job = await a.enqueue(payload('shared'));
      expect(await b.get(job.id)).toMatchObject({ id: job.id, trackId: job.trackId, createdAt: job.createdAt });
      await until(async () => (await b.get(job.id))?.progress === 0.4);
      expect(await b.get(job.id)).toMatchObject({ state: 'RUNNING', error: null });
      expect(await b.liveJobs([job.id, randomUUID()])).toEqual(new Set([job.id]));
      const settled = b.settled(job.id);
      await release(job.trackId);
      expect(await settled).toMatchObject({ id: job.id, state: 'DONE', progress: 1, error: null });
      expect(await b.liveJobs([job.id])).toEqual(new Set());
      const instant = await a.recordDone(job.trackId);
      expect(await b.get(instant.id)).toEqual(instant);
      expect(await b.get(randomUUID())).toBeNull();
      expect(await b.get('../etc')).toBeNull();
    });

    it('hands queued and running jobs back on a graceful stop; the next start runs them, the cut attempt not counted', async () => {
      const { store } = await database();
      const first = gated();
      const a = queue(store, first.handler, { concurrency: 1 });
      await a.start();
      const running = await a.enqueue(payload('handed-1'));
      const waiting = await a.enqueue(payload('handed-2'));
      await until(() => first.runs.length === 1);
      await a.close();
      for (const id of [running.id, waiting.id]) {
        expect(await store.get(id)).toMatchObject({ job: { state: 'QUEUED', progress: 0 }, owner: null, attempts: 0 });
      }

      const second = gated();
      const b = queue(store, second.handler, { concurrency: 1 });
      await b.start();
      await Promise.all([second.release(running.trackId), second.release(waiting.trackId)]);
      expect(await b.settled(running.id)).toMatchObject({ state: 'DONE' });
      expect(await b.settled(waiting.id)).toMatchObject({ state: 'DONE' });
      expect(second.runs.sort()).toEqual([running.trackId, waiting.trackId].sort());
      expect((await store.get(running.id))!.attempts).toBe(1);
    });

    it('takes over the jobs of an owner silent past the lease, and leaves those of a live one', async () => {
      const { store } = await database();
      const silent = await orphan(store, 'silent', 'RUNNING', 1, 60_000);
      const alive = await orphan(store, 'alive', 'RUNNING', 1, 0);
      const { handler, runs, release } = gated();
      const q = queue(store, handler, { leaseMs: 30_000 });
      await q.start();
      await until(() => runs.length === 1);
      expect(runs).toEqual([silent.trackId]);
      await release(silent.trackId);
      expect(await q.settled(silent.id)).toMatchObject({ state: 'DONE' });
      expect((await store.get(silent.id))!.attempts).toBe(2);
      expect(await store.get(alive.id)).toMatchObject({ job: { state: 'RUNNING' }, owner: ELSEWHERE });
      expect(await q.liveJobs([alive.id, silent.id])).toEqual(new Set([alive.id]));
    });

    it('fails a job interrupted on its last attempt with the reason, and resumes one that never started', async () => {
      const { store } = await database();
      const twice = await orphan(store, 'twice', 'RUNNING', 2, 60_000);
      const never = await orphan(store, 'never', 'QUEUED', 0, 60_000);
      const { handler, runs, release } = gated();
      const q = queue(store, handler);
      await q.start();
      expect(await q.get(twice.id)).toMatchObject({
        state: 'FAILED',
        error: { code: 'INTERNAL', message: 'interrupted: the server stopped while preparing this download (2 attempts); request it again' },
      });
      await release(never.trackId);
      expect(await q.settled(never.id)).toMatchObject({ state: 'DONE' });
      expect(runs).toEqual([never.trackId]);
      expect(await store.get(twice.id)).toMatchObject({ job: { state: 'FAILED' }, payload: null, owner: null });
    });

    it('lets exactly one of two instances starting together take an orphaned job over', async () => {
      const { store } = await database();
      const job = await orphan(store, 'contested', 'RUNNING', 1, 60_000);
      const runs: string[] = [];
      const handler: JobHandler = async ({ trackId }) => {
        runs.push(trackId);
      };
      const a = queue(store, handler, { owner: 'maquina-a|ns|1|a' });
      const b = queue(store, handler, { owner: 'maquina-b|ns|1|b' });
      await Promise.all([a.start(), b.start()]);
      await until(async () => (await store.get(job.id))?.job.state === 'DONE');
      expect(runs).toEqual([job.trackId]);
    });
  });
}

describe('job owners', () => {
  it('knows a process of this host that has exited, and an earlier process with this very PID', () => {
    const [host, namespace, pid] = THIS_PROCESS.split('|');
    const exited = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    expect(ownerGone(`${host}|${namespace}|${exited.stdout}|x`)).toBe(true);
    expect(ownerGone(`${host}|${namespace}|${pid}|an-earlier-token`)).toBe(true);
    expect(ownerGone(THIS_PROCESS)).toBe(false);
    expect(ownerGone(`${host}|${namespace}|${process.ppid}|x`)).toBe(false);
    // Another host or PID namespace: its heartbeat decides, not this process.
    expect(ownerGone(`otra-maquina|${namespace}|${exited.stdout}|x`)).toBe(false);
    expect(ownerGone(`${host}|pid:[999]|${exited.stdout}|x`)).toBe(false);
    expect(ownerGone('garbage')).toBe(false);
  });
});
