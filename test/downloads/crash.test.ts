import { mkdtempSync } from 'node:fs';
import { readdir, rm, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/index.js';
import { loadDownloadSettings } from '../../src/downloads/config.js';
import type { DownloadJob } from '../../src/downloads/types.js';
import { runTsChild, type TsChild } from '../support/child.js';
import type { DownloadWorkerArgs } from '../support/crash/downloadWorker.js';
import { missingPostgres, TEST_DATABASE_URL, testSchemas } from '../support/postgres.js';
import { startReplayServer } from '../support/replayServer.js';
import { FILE_HOST, fileHostDownloads, generateAudio, licensedTrack } from './support.js';

/**
 * Gateway processes running downloads with the default in-process queue are killed with
 * SIGKILL mid-download. Two jobs, A and B, are cut off in a first process; a second process
 * on the same DATA_DIR/MUSIC_DIR resumes both, finishes A and is killed during B again; a
 * third start (this process) must show A done, B failed with its reason, and no work
 * folder left behind. On SQLite and on PostgreSQL.
 */
const noPostgres = await missingPostgres('download crash test on PostgreSQL');
const schemas = testSchemas('musica_dl_crash');
const audio = await generateAudio();
const files = await startReplayServer({ extraHosts: [FILE_HOST] });

/** Per track: the whole file, or half of it and then silence until the client goes away. */
const modes = new Map<string, 'full' | 'stall'>();
const stalled = new Set<ServerResponse>();
files.intercept((request, response) => {
  const name = /^\/audio\/(.+)\.flac$/.exec(new URL(request.url).pathname)?.[1];
  if (!name) return false;
  response.writeHead(200, { 'content-type': 'audio/flac', 'content-length': String(audio.flac.length) });
  if (modes.get(name) !== 'stall') {
    response.end(audio.flac);
    return true;
  }
  response.write(audio.flac.subarray(0, Math.floor(audio.flac.length / 2)));
  stalled.add(response);
  response.on('close', () => stalled.delete(response));
  return true;
});

const roots: string[] = [];
const children: TsChild[] = [];

afterAll(async () => {
  await Promise.all(children.map((child) => child.kill()));
  for (const response of stalled) response.destroy();
  await files.close();
  for (const root of [...roots, audio.dir]) await rm(root, { recursive: true, force: true });
  if (!noPostgres) await schemas.dropAll();
});

interface Scenario {
  base: Omit<DownloadWorkerArgs, 'prepare' | 'watch'>;
  a: string;
  b: string;
  first: TsChild;
}

/** Starts the first process of a scenario right away: loading it takes a few seconds. */
function prepareScenario(name: string, database: Pick<DownloadWorkerArgs, 'databaseUrl' | 'pgSchema'>, skip: unknown): Scenario | null {
  if (skip) return null;
  const root = mkdtempSync(path.join(tmpdir(), 'musica-dl-crash-'));
  roots.push(root);
  const base = { musicDir: path.join(root, 'musica'), dataDir: path.join(root, 'data'), overrides: files.overrides, ...database };
  const [a, b] = [`${name}-resumed`, `${name}-failed`];
  modes.set(a, 'stall');
  modes.set(b, 'stall');
  const first = runTsChild('test/support/crash/downloadWorker.ts', { ...base, prepare: [a, b] } satisfies DownloadWorkerArgs);
  children.push(first);
  return { base, a, b, first };
}

const scenarios = {
  sqlite: prepareScenario('sqlite', {}, false),
  postgres: prepareScenario('postgres', { databaseUrl: TEST_DATABASE_URL, pgSchema: schemas.next() }, noPostgres),
};

async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const partialDir = (scenario: Scenario) => path.join(scenario.base.musicDir, '.partial');
const partialEntries = (scenario: Scenario) => readdir(partialDir(scenario)).catch(() => [] as string[]);

/** How many work folders hold part of an original: downloads under way, whatever the folders are named. */
async function downloadsUnderWay(scenario: Scenario): Promise<number> {
  let count = 0;
  for (const entry of await partialEntries(scenario)) {
    const size = await stat(path.join(partialDir(scenario), entry, 'original')).then((info) => info.size, () => 0);
    if (size > 0) count += 1;
  }
  return count;
}

async function crashTwiceThenRestart(scenario: Scenario): Promise<void> {
  const { base, a, b, first } = scenario;
  const { jobs } = await first.message<{ jobs: Record<string, string> }>((m) => typeof m.jobs === 'object', 90_000);
  const [jobA, jobB] = [jobs[a]!, jobs[b]!];
  await until(async () => (await downloadsUnderWay(scenario)) === 2, 'both downloads to start');
  await first.kill();
  const jobOf = (folder: string) => folder.split('.')[0];
  expect((await partialEntries(scenario)).map(jobOf).sort()).toEqual([jobA, jobB].sort());

  // Second process: both jobs are taken up again; A's file now arrives whole, B stalls again.
  modes.set(a, 'full');
  const second = runTsChild('test/support/crash/downloadWorker.ts', { ...base, watch: [jobA] } satisfies DownloadWorkerArgs);
  children.push(second);
  const { settled } = await second.message<{ settled: DownloadJob }>((m) => (m.settled as DownloadJob | undefined)?.id === jobA, 90_000);
  expect(settled).toMatchObject({ state: 'DONE', progress: 1, error: null });
  await until(async () => files.count(`/audio/${b}.flac`) === 2 && (await downloadsUnderWay(scenario)) === 1, 'B to be resumed');
  await second.kill();
  // A's folders are gone with A done; B's first run's folder made way for its second.
  expect((await partialEntries(scenario)).map(jobOf)).toEqual([jobB]);
  const requestsForB = files.count(`/audio/${b}.flac`);
  expect(requestsForB).toBe(2);

  // Third start, in this process, on the same DATA_DIR, MUSIC_DIR and database.
  const env = { LOG_LEVEL: 'silent', MUSIC_DIR: base.musicDir, DATA_DIR: base.dataDir, SERVER_SECRET: 's'.repeat(48) };
  const config = loadConfig(env);
  Object.defineProperty(config, 'upstreamOverrides', { get: () => files.overrides });
  const db = await openDatabase({ dataDir: base.dataDir, databaseUrl: base.databaseUrl ?? null }, { postgres: { schema: base.pgSchema } });
  const service = await fileHostDownloads({ config, db, settings: loadDownloadSettings(env) });
  try {
    expect(await service.job(jobA)).toMatchObject({ id: jobA, trackId: licensedTrack({ nativeId: a }).id, state: 'DONE', progress: 1 });
    const failed = await service.job(jobB);
    expect(failed).toMatchObject({ id: jobB, state: 'FAILED', error: { code: 'INTERNAL' } });
    expect(failed!.error!.message).toMatch(/^interrupted: the server stopped while preparing this download \(2 attempts\)/);
    expect(await partialEntries(scenario)).toEqual([]);
    expect(files.count(`/audio/${b}.flac`)).toBe(requestsForB);
    const options = await service.optionsForCached(licensedTrack({ nativeId: a }).id);
    expect(options?.map((option) => [option.format, option.available])).toEqual([
      ['WAV', true],
      ['MP3', true],
    ]);
  } finally {
    await service.close();
    await db.close();
  }
}

describe('downloads survive a SIGKILL of the gateway', () => {
  it('SQLite: an interrupted job is resumed to DONE, one interrupted twice is FAILED with its reason, no work folder is left', { timeout: 180_000 }, async () => {
    await crashTwiceThenRestart(scenarios.sqlite!);
  });

  it.skipIf(Boolean(noPostgres))('PostgreSQL: the same', { timeout: 180_000 }, async () => {
    await crashTwiceThenRestart(scenarios.postgres!);
  });
});
