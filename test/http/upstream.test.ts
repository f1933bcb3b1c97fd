import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryCache } from '../../src/cache/store.js';
import { loadConfig } from '../../src/config.js';
import { SourceError } from '../../src/errors/source.js';
import { createClientFactory, parseRetryAfter, rewriteHost } from '../../src/http/upstream.js';
import { silentLogger } from '../../src/logger.js';
import { callContext, sourceErrorOf } from '../support/providerHarness.js';
import { startReplayServer, type ReplayServer } from '../support/replayServer.js';

describe('upstream client', () => {
  let replay: ReplayServer;

  beforeAll(async () => {
    replay = await startReplayServer({ extraHosts: ['api.test'] });
  });
  afterAll(() => replay.close());
  afterEach(() => replay.reset());

  function client(env: Record<string, string> = {}) {
    const config = loadConfig({ LOG_LEVEL: 'silent', UPSTREAM_RETRIES: '2', UPSTREAM_TIMEOUT_MS: '2000', ...env });
    Object.defineProperty(config, 'upstreamOverrides', { get: () => replay.overrides });
    return createClientFactory({ config, cache: createMemoryCache(), logger: silentLogger })({ source: 'api', hosts: ['api.test'] });
  }

  /** Answers the listed responses in turn for requests to `path`, then 200 `{"ok":true}`. */
  function sequence(path: string, answers: { status: number; headers?: Record<string, string>; body?: string }[]) {
    let served = 0;
    replay.intercept((req, res) => {
      if (req.path !== path) return false;
      const answer = answers[served++] ?? { status: 200, body: '{"ok":true}', headers: { 'content-type': 'application/json' } };
      res.writeHead(answer.status, answer.headers ?? { 'content-type': 'text/plain' }).end(answer.body ?? '');
      return true;
    });
  }

  it('retries a 503 with backoff and succeeds', async () => {
    sequence('/flaky', [{ status: 503 }, { status: 502 }]);
    const body = await client().json('https://api.test/flaky', { ctx: callContext(), cache: 'none' });
    expect(body).toEqual({ ok: true });
    expect(replay.count('/flaky')).toBe(3);
  });

  it('honours Retry-After on 429 before asking again', async () => {
    sequence('/busy', [{ status: 429, headers: { 'retry-after': '1' } }]);
    await client().json('https://api.test/busy', { ctx: callContext(), cache: 'none' });
    const times = replay.requests.filter((r) => r.path === '/busy').map((r) => r.at);
    expect(times).toHaveLength(2);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(990);
  });

  it('gives up at once with RATE_LIMITED when Retry-After is longer than it will wait', async () => {
    sequence('/later', [{ status: 429, headers: { 'retry-after': '120' } }]);
    const error = await sourceErrorOf(client().json('https://api.test/later', { ctx: callContext(), cache: 'none' }));
    expect(error.kind).toBe('RATE_LIMITED');
    expect(error.details.retryAfterMs).toBe(120_000);
    expect(replay.count('/later')).toBe(1);
  });

  it('does not retry a 404, and remembers it briefly', async () => {
    sequence('/missing', [{ status: 404 }, { status: 404 }]);
    const api = client();
    expect((await sourceErrorOf(api.json('https://api.test/missing', { ctx: callContext(), cache: 'entity' }))).kind).toBe('NOT_FOUND');
    expect((await sourceErrorOf(api.json('https://api.test/missing', { ctx: callContext(), cache: 'entity' }))).kind).toBe('NOT_FOUND');
    expect(replay.count('/missing')).toBe(1);
  });

  it('keeps credentials out of the cache key and of error messages', async () => {
    replay.route('GET', 'https://api.test/secret?q=x', { body: '{"ok":true}' });
    const api = client();
    await api.json('https://api.test/secret', { ctx: callContext(), cache: 'search', searchParams: { q: 'x', api_key: 'one' }, secretParams: ['api_key'] });
    await api.json('https://api.test/secret', { ctx: callContext(), cache: 'search', searchParams: { q: 'x', api_key: 'two' }, secretParams: ['api_key'] });
    expect(replay.count('/secret')).toBe(1);
    sequence('/denied', [{ status: 403 }]);
    const error = await sourceErrorOf(api.json('https://api.test/denied', { ctx: callContext(), cache: 'none', searchParams: { api_key: 'hunter2' }, secretParams: ['api_key'] }));
    expect(error.kind).toBe('UNAUTHORIZED');
    expect(error.message).not.toContain('hunter2');
    expect(error.message).toContain('REDACTED');
  });

  it('never caches a 200 that validation rejects', async () => {
    replay.route('GET', 'https://api.test/disguised', { body: '{"error":6,"message":"not found"}' });
    const api = client();
    const validate = (body: unknown) => {
      if ((body as { error?: number }).error) throw new SourceError('api', 'NOT_FOUND', 'error body');
    };
    for (let i = 0; i < 2; i += 1) {
      expect((await sourceErrorOf(api.json('https://api.test/disguised', { ctx: callContext(), cache: 'entity', validate }))).kind).toBe('NOT_FOUND');
    }
    expect(replay.count('/disguised')).toBe(2);
  });

  it('shares one upstream call between identical concurrent requests', async () => {
    replay.route('GET', 'https://api.test/popular', { body: '{"ok":true}' });
    const api = client();
    await Promise.all(Array.from({ length: 10 }, () => api.json('https://api.test/popular', { ctx: callContext(), cache: 'entity' })));
    expect(replay.count('/popular')).toBe(1);
  });

  it('rewrites hosts through UPSTREAM_OVERRIDES, keeping path and query', () => {
    expect(rewriteHost('https://musicbrainz.org/ws/2/artist?query=x', { 'musicbrainz.org': 'http://127.0.0.1:9/mb' })).toBe('http://127.0.0.1:9/mb/ws/2/artist?query=x');
    expect(rewriteHost('https://other.org/a', { 'musicbrainz.org': 'http://127.0.0.1:9' })).toBe('https://other.org/a');
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-11-24T10:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('Tue, 24 Nov 2026 10:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});
