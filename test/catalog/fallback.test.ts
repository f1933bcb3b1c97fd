import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startReplayServer, type ReplayServer } from '../support/replayServer.js';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { results, searchProvider } from '../support/testProviders.js';

const SEARCH = `query($q: String!) { searchTracks(query: $q, first: 5) { source totalCount nodes { id title source } } }`;

describe('fallback across sources', () => {
  let replay: ReplayServer;
  let gateway: TestGateway;

  beforeAll(async () => {
    replay = await startReplayServer({ extraHosts: ['alpha.test', 'beta.test'] });
    gateway = await startGateway({
      factories: [searchProvider('alpha'), searchProvider('beta')],
      replay,
      env: { CHAIN_SEARCH_TRACKS: 'alpha,beta', UPSTREAM_TIMEOUT_MS: '300', BREAKER_THRESHOLD: '1000' },
    });
  });
  afterAll(async () => {
    await gateway.close();
    await replay.close();
  });
  afterEach(() => replay.reset());

  const faults: [string, (res: import('node:http').ServerResponse) => void][] = [
    ['answers 503', (res) => res.writeHead(503, { 'content-type': 'text/plain' }).end('Service Unavailable')],
    ['times out', () => undefined],
    ['resets the connection', (res) => res.socket?.destroy()],
    [
      'sends a truncated body',
      (res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '500' });
        res.write('{"results":[{"id":"1","ti');
        setTimeout(() => res.socket?.destroy(), 20);
      },
    ],
    ['sends an HTML page instead of JSON', (res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Maintenance</title>')],
  ];

  it.each(faults)('when the first source %s, the second answers and both attempts are reported', async (name, fault) => {
    replay.intercept((req, res) => {
      if (req.host !== 'alpha.test') return false;
      fault(res);
      return true;
    });
    // A query of its own per case keeps the cache out of the way.
    const q = `malamente ${name}`;
    replay.route('GET', `https://beta.test/search?q=${encodeURIComponent(q)}&limit=5`, { body: results('Malamente', 'Malamente (Live)') });
    const { body } = await gateway.query(SEARCH, { q });
    expect(body.errors, name).toBeUndefined();
    expect(body.data.searchTracks.source).toBe('beta');
    expect(body.data.searchTracks.nodes.map((n: { title: string }) => n.title)).toEqual(['Malamente', 'Malamente (Live)']);
    const report = body.extensions!.sources!.find((r) => r.field === 'searchTracks')!;
    expect(report.answeredBy).toBe('beta');
    expect(report.attempts.map((a) => a.source)).toEqual(['alpha', 'beta']);
    expect(report.attempts[0]!.outcome).not.toBe('ok');
    expect(report.attempts[1]!.outcome).toBe('ok');
    expect(replay.count('alpha.test/search')).toBeGreaterThanOrEqual(1);
    expect(replay.count('beta.test/search')).toBe(1);
  });

  it('moves on when the first source finds nothing', async () => {
    replay.route('GET', 'https://alpha.test/search?q=nadie&limit=5', { body: results() });
    replay.route('GET', 'https://beta.test/search?q=nadie&limit=5', { body: results('Nadie') });
    const { body } = await gateway.query(SEARCH, { q: 'nadie' });
    expect(body.data.searchTracks.source).toBe('beta');
    const report = body.extensions!.sources!.find((r) => r.field === 'searchTracks')!;
    expect(report.attempts.map((a) => `${a.source}:${a.outcome}`)).toEqual(['alpha:empty', 'beta:ok']);
  });

  it('returns an empty list, not an error, when every source answers empty', async () => {
    replay.route('GET', 'https://alpha.test/search?q=zzzz&limit=5', { body: results() });
    replay.route('GET', 'https://beta.test/search?q=zzzz&limit=5', { body: results() });
    const { body } = await gateway.query(SEARCH, { q: 'zzzz' });
    expect(body.errors).toBeUndefined();
    expect(body.data.searchTracks).toMatchObject({ source: 'alpha', nodes: [] });
  });

  it('with every source down, answers a coded GraphQL error and keeps serving', async () => {
    const down = replay.intercept((_req, res) => {
      res.writeHead(503).end();
      return true;
    });
    const { status, body } = await gateway.query(SEARCH, { q: 'todo caído' });
    expect(status).toBe(200);
    expect(body.data).toBeNull();
    expect(body.errors![0]!.extensions!.code).toBe('SOURCES_UNAVAILABLE');
    expect(body.errors![0]!.message).toMatch(/alpha unavailable.*beta unavailable/);
    expect(body.errors![0]!.extensions!.attempts.map((a: { source: string }) => a.source)).toEqual(['alpha', 'beta']);
    down();
    replay.route('GET', 'https://alpha.test/search?q=vuelve&limit=5', { body: results('Vuelve') });
    const again = await gateway.query(SEARCH, { q: 'vuelve' });
    expect(again.body.data.searchTracks.nodes[0].title).toBe('Vuelve');
  });

  it('hedges: a slow first source costs the hedge delay, and the faster answer wins', async () => {
    const hedged = await startGateway({
      factories: [searchProvider('alpha'), searchProvider('beta')],
      replay,
      env: { CHAIN_SEARCH_TRACKS: 'alpha,beta', HEDGE_DELAY_MS: '100', UPSTREAM_TIMEOUT_MS: '5000' },
    });
    try {
      replay.intercept((req) => (req.host === 'alpha.test' ? new Promise<boolean>(() => undefined) : false));
      replay.route('GET', 'https://beta.test/search?q=lento&limit=5', { body: results('Lento') });
      const started = Date.now();
      const { body } = await hedged.query(SEARCH, { q: 'lento' });
      const elapsed = Date.now() - started;
      expect(body.data.searchTracks.source).toBe('beta');
      expect(elapsed).toBeLessThan(2000);
      const report = body.extensions!.sources!.find((r) => r.field === 'searchTracks')!;
      expect(report.attempts.map((a) => `${a.source}:${a.outcome}`)).toEqual(['alpha:lost-hedge', 'beta:ok']);
    } finally {
      await hedged.close();
    }
  });

  it('skips a source whose circuit is open, without asking it', async () => {
    const broken = await startGateway({
      factories: [searchProvider('alpha'), searchProvider('beta')],
      replay,
      env: { CHAIN_SEARCH_TRACKS: 'alpha,beta', BREAKER_THRESHOLD: '1', BREAKER_COOLDOWN_MS: '60000' },
    });
    try {
      const stop = replay.intercept((req, res) => {
        if (req.host !== 'alpha.test') return false;
        res.writeHead(503).end();
        return true;
      });
      replay.route('GET', 'https://beta.test/search?q=uno&limit=5', { body: results('Uno') });
      replay.route('GET', 'https://beta.test/search?q=dos&limit=5', { body: results('Dos') });
      await broken.query(SEARCH, { q: 'uno' });
      const alphaCalls = replay.count('alpha.test');
      const { body } = await broken.query(SEARCH, { q: 'dos' });
      stop();
      expect(replay.count('alpha.test')).toBe(alphaCalls);
      expect(body.data.searchTracks.source).toBe('beta');
      const report = body.extensions!.sources!.find((r) => r.field === 'searchTracks')!;
      expect(report.attempts.map((a) => `${a.source}:${a.outcome}`)).toEqual(['alpha:skipped-circuit-open', 'beta:ok']);
    } finally {
      await broken.close();
    }
  });
});
