import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FRESH_FOR } from '../../src/cache/policy.js';
import { startReplayServer, type ReplayServer } from '../support/replayServer.js';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { results, searchProvider } from '../support/testProviders.js';

const SEARCH = `query($q: String!) { searchTracks(query: $q, first: 5) { source nodes { title } } }`;

describe('upstream cache', () => {
  let replay: ReplayServer;
  let gateway: TestGateway;
  let clock = Date.parse('2026-11-24T10:00:00Z');

  beforeAll(async () => {
    replay = await startReplayServer({ extraHosts: ['alpha.test', 'beta.test'] });
    gateway = await startGateway({
      factories: [searchProvider('alpha'), searchProvider('beta')],
      replay,
      env: { CHAIN_SEARCH_TRACKS: 'alpha,beta', BREAKER_THRESHOLD: '1000' },
      now: () => clock,
    });
  });
  afterAll(async () => {
    await gateway.close();
    await replay.close();
  });

  it('answers the same query the second time with zero upstream requests', async () => {
    replay.route('GET', 'https://alpha.test/search?q=bizcochito&limit=5', { body: results('Bizcochito') });
    const first = await gateway.query(SEARCH, { q: 'bizcochito' });
    expect(first.body.data.searchTracks.nodes).toEqual([{ title: 'Bizcochito' }]);
    const before = replay.count();
    const second = await gateway.query(SEARCH, { q: 'bizcochito' });
    expect(second.body).toEqual(expect.objectContaining({ data: first.body.data }));
    expect(replay.count() - before).toBe(0);
  });

  it('asks again once the entry has expired', async () => {
    replay.route('GET', 'https://alpha.test/search?q=despechá&limit=5', { body: results('Despechá') });
    await gateway.query(SEARCH, { q: 'despechá' });
    clock += FRESH_FOR.search + 1;
    const before = replay.count();
    await gateway.query(SEARCH, { q: 'despechá' });
    expect(replay.count() - before).toBe(1);
  });

  it('serves an expired entry, marked stale, when every source fails', async () => {
    replay.route('GET', 'https://alpha.test/search?q=saoko&limit=5', { body: results('Saoko') });
    await gateway.query(SEARCH, { q: 'saoko' });
    clock += FRESH_FOR.search + 60_000;
    const stop = replay.intercept((_req, res) => {
      res.writeHead(503).end();
      return true;
    });
    try {
      const { body } = await gateway.query(SEARCH, { q: 'saoko' });
      expect(body.errors).toBeUndefined();
      expect(body.data.searchTracks).toEqual({ source: 'alpha', nodes: [{ title: 'Saoko' }] });
      const report = body.extensions!.sources!.find((r) => r.field === 'searchTracks')!;
      expect(report.stale).toBe(true);
      expect(report.attempts.map((a) => `${a.source}:${a.outcome}`)).toEqual(['alpha:unavailable', 'beta:unavailable', 'alpha:stale']);
    } finally {
      stop();
    }
  });
});
