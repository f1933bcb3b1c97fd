import http from 'node:http';
import { rm } from 'node:fs/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuth, type AuthService } from '../../src/auth/index.js';
import { ADMIN_SCOPE } from '../../src/auth/types.js';
import { createMemoryCache } from '../../src/cache/store.js';
import { composeCoreServices } from '../../src/compose.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/index.js';
import type { Db } from '../../src/db/types.js';
import { silentLogger, type Logger } from '../../src/logger.js';
import { PROVIDER_FACTORIES } from '../../src/providers/registry.js';
import { tempDir } from '../auth/support.js';
import { serveApp } from '../support/gateway.js';
import { startReplayServer, type ReplayServer } from '../support/replayServer.js';
import { results, searchProvider } from '../support/testProviders.js';
import { abuseCorpus, credentialHeaders, type CorpusEntry, type CorpusKeys } from './corpus.js';

/**
 * Issue 9 §8: thousands of malformed or hostile requests against the real app (real keys on
 * SQLite, every registered source plus a test source), with every upstream replayed on
 * loopback: the test source answers, every real source's host answers hostile bodies (503, an
 * HTML page, truncated JSON, wrong types). Nothing reaches the network.
 *
 * What must hold throughout: no 5xx (the README documents none for /graphql: refusals are 4xx,
 * failing sources are errors inside a 200), no INTERNAL_SERVER_ERROR inside an answer, nothing
 * logged at error level, no unhandled rejection or uncaught exception, /health answering while
 * the corpus runs, and the event loop never blocked for long.
 */

const SEED = 20_261_201;
const REQUESTS = 10_000;
const CONCURRENCY = 12;
/**
 * Event-loop delay bounds (the client, the app and the upstream share the loop). Measured on the
 * 2-core machine with other test suites running (load average 7–9): p99 66–185 ms, max 166–555 ms.
 * p99 catches work that keeps the loop busy across many requests; max catches one request that
 * holds it for seconds (a document validated for long, a huge body parsed synchronously).
 */
const MAX_LOOP_P99_MS = 400;
const MAX_LOOP_MAX_MS = 2_000;
/** /health may queue behind the corpus's requests, but never for this long. */
const MAX_HEALTH_MS = 3_000;

/** Answers of the real sources' hosts, in turn: failures and bodies of the wrong kind. */
const HOSTILE_UPSTREAM: { status: number; type: string; body: string }[] = [
  { status: 503, type: 'text/plain', body: 'down' },
  { status: 200, type: 'text/html', body: '<!DOCTYPE html><html><body>Maintenance</body></html>' },
  { status: 200, type: 'application/json', body: '{"data":[{"id":1,"title":"Smells' },
  { status: 200, type: 'application/json', body: '{"data":"x","results":7,"items":{},"recordings":"x","tracks":null,"contents":5}' },
  { status: 200, type: 'application/json', body: '"just a string"' },
];

describe('abuse corpus against /graphql', () => {
  let replay: ReplayServer;
  let db: Db;
  let auth: AuthService;
  let dir: string;
  let url: string;
  let close: () => Promise<void>;
  let keys: CorpusKeys;
  const errorLines: { message: string; fields?: Record<string, unknown> }[] = [];

  beforeAll(async () => {
    replay = await startReplayServer({ extraHosts: ['alpha.test'], unmatchedExpected: true });
    let turn = 0;
    replay.fallback((request, response) => {
      if (request.host === 'alpha.test') {
        response.writeHead(200, { 'content-type': 'application/json' }).end(results('Uno', 'Dos', 'Tres'));
        return true;
      }
      const answer = HOSTILE_UPSTREAM[turn++ % HOSTILE_UPSTREAM.length]!;
      response.writeHead(answer.status, { 'content-type': answer.type }).end(answer.body);
      return true;
    });
    dir = await tempDir();
    const env = {
      LOG_LEVEL: 'silent',
      DATA_DIR: dir,
      UPSTREAM_RETRIES: '0',
      UPSTREAM_TIMEOUT_MS: '2000',
      HEDGE_DELAY_MS: '0',
      MUSICBRAINZ_RPS: '50',
      REQUEST_DEADLINE_MS: '5000',
      CHAIN_SEARCH_TRACKS: 'alpha,musicbrainz,deezer,jamendo',
    };
    const config = loadConfig(env);
    // Every host, declared or not, goes to the replay server.
    const overrides = new Proxy({} as Record<string, string>, {
      get: (_target, host) => (typeof host === 'string' ? `${replay.baseUrl}/${host}` : undefined),
      has: () => true,
    });
    Object.defineProperty(config, 'upstreamOverrides', { get: () => overrides });
    const logger: Logger = {
      ...silentLogger,
      error: (message, fields) => void errorLines.push({ message, fields }),
      child: () => logger,
    };
    db = await openDatabase(config);
    ({ auth } = await startAuth({ db, logger: silentLogger }));
    const factories = [...PROVIDER_FACTORIES, searchProvider('alpha')];
    const services = { ...composeCoreServices({ config, env, logger, cache: createMemoryCache(), access: auth, factories }), auth, db };
    const { issued } = await auth.registerSources(services.providers);
    const byScope = new Map(issued.map((key) => [key.apiKey.scope, key.key]));
    keys = { admin: byScope.get(ADMIN_SCOPE)!, source: byScope.get('alpha')! };
    expect(keys.admin, 'the first start issues an admin key').toBeTruthy();
    expect(keys.source, 'and one for the test source').toBeTruthy();
    ({ url, close } = await serveApp(services));
  });

  afterAll(async () => {
    await close?.();
    await auth?.stop();
    await db?.close();
    await replay?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it(`answers ${REQUESTS} generated hostile requests without a 5xx, a crash or a blocked event loop`, { timeout: 120_000 }, async () => {
    const corpus = abuseCorpus(SEED, REQUESTS);
    expect(corpus.length).toBe(REQUESTS);
    const { port } = new URL(url);
    const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

    const crashes: unknown[] = [];
    const onCrash = (error: unknown) => void crashes.push(error);
    process.on('unhandledRejection', onCrash);
    process.on('uncaughtException', onCrash);

    const loop = monitorEventLoopDelay({ resolution: 10 });
    const statuses = new Map<string, number>();
    const byFamily = new Map<string, Map<number, number>>();
    const failures: string[] = [];
    const familyMs = new Map<string, number>();
    const health = { polls: 0, failures: [] as string[], slowestMs: 0 };
    let running = true;

    const healthPoller = (async () => {
      while (running) {
        const started = performance.now();
        try {
          const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(MAX_HEALTH_MS) });
          const body = await response.text();
          if (response.status !== 200 || body !== '{"status":"ok"}') health.failures.push(`${response.status} ${body.slice(0, 80)}`);
        } catch (error) {
          health.failures.push(String(error));
        }
        health.polls += 1;
        health.slowestMs = Math.max(health.slowestMs, performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();

    const send = (entry: CorpusEntry) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const headers = { ...entry.headers, ...credentialHeaders(entry.credential, keys) };
        const request = http.request({ host: '127.0.0.1', port, method: entry.method, path: entry.path, headers, agent }, (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          response.on('error', reject);
        });
        request.on('error', reject);
        request.end(entry.body);
      });

    const judge = (entry: CorpusEntry, status: number, body: string) => {
      const key = `${entry.family} ${status}`;
      statuses.set(key, (statuses.get(key) ?? 0) + 1);
      const family = byFamily.get(entry.family) ?? new Map<number, number>();
      family.set(status, (family.get(status) ?? 0) + 1);
      byFamily.set(entry.family, family);
      const what = `${entry.method} ${entry.path.slice(0, 120)} ${entry.body?.slice(0, 160) ?? ''}`;
      if (status >= 500) failures.push(`${status} for ${what}: ${body.slice(0, 300)}`);
      else if (body.includes('"INTERNAL_SERVER_ERROR"')) failures.push(`INTERNAL_SERVER_ERROR inside a ${status} for ${what}: ${body.slice(0, 300)}`);
    };

    loop.enable();
    const started = performance.now();
    let next = 0;
    const worker = async () => {
      while (next < corpus.length) {
        const entry = corpus[next++]!;
        const sentAt = performance.now();
        try {
          const { status, body } = await send(entry);
          judge(entry, status, body);
          familyMs.set(entry.family, (familyMs.get(entry.family) ?? 0) + performance.now() - sentAt);
        } catch (error) {
          // The server closing a connection on a request it refuses outright (Node's own parser
          // for an oversized header) is a refusal, not a crash; anything else is reported.
          const code = (error as NodeJS.ErrnoException).code;
          if (code === 'ECONNRESET' && entry.credential === 'huge') judge(entry, 431, '');
          else failures.push(`${entry.method} ${entry.path.slice(0, 80)}: ${String(error)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const elapsedMs = performance.now() - started;
    loop.disable();
    running = false;
    await healthPoller;
    agent.destroy();
    process.off('unhandledRejection', onCrash);
    process.off('uncaughtException', onCrash);

    const ms = (ns: number) => (ns / 1e6).toFixed(1);
    const families = [...byFamily]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([family, counts]) => `  ${family.padEnd(22)} ${[...counts].sort(([a], [b]) => a - b).map(([status, n]) => `${status}×${n}`).join(' ')}  (${((familyMs.get(family) ?? 0) / 1000).toFixed(1)} s)`);
    console.log(
      [
        `abuse corpus: ${corpus.length} requests (seed ${SEED}, concurrency ${CONCURRENCY}) in ${(elapsedMs / 1000).toFixed(1)} s; ${replay.requests.length} upstream requests (all local)`,
        `event-loop delay: p50 ${ms(loop.percentile(50))} ms, p99 ${ms(loop.percentile(99))} ms, max ${ms(loop.max)} ms`,
        `/health: ${health.polls} polls, slowest ${health.slowestMs.toFixed(0)} ms, ${health.failures.length} failures`,
        'statuses by family (and the summed latency of its requests, which overlap 12 at a time):',
        ...families,
      ].join('\n'),
    );

    expect(failures.slice(0, 20), `${failures.length} requests got a 5xx or an internal error`).toEqual([]);
    expect(errorLines.slice(0, 5), 'nothing is logged at error level').toEqual([]);
    expect(crashes, 'no unhandled rejection or uncaught exception').toEqual([]);
    expect(health.failures.slice(0, 5), '/health answers throughout').toEqual([]);
    expect(health.polls, '/health was polled while the corpus ran').toBeGreaterThan(10);
    expect(loop.percentile(99) / 1e6, 'event-loop delay p99 (ms)').toBeLessThan(MAX_LOOP_P99_MS);
    expect(loop.max / 1e6, 'event-loop delay max (ms)').toBeLessThan(MAX_LOOP_MAX_MS);
    // The corpus exercised both ends: refusals and answers, and real upstream calls.
    expect([...statuses.keys()].some((key) => key.endsWith(' 200'))).toBe(true);
    expect([...statuses.keys()].some((key) => key.endsWith(' 400'))).toBe(true);
    expect([...statuses.keys()].some((key) => key.endsWith(' 413'))).toBe(true);
    expect([...statuses.keys()].some((key) => key.endsWith(' 401'))).toBe(true);
    expect(replay.requests.length).toBeGreaterThan(0);
  });
});
