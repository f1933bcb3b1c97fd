import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { HealthTracker } from '../../src/catalog/health.js';
import { createMusicBrainzProvider } from '../../src/providers/musicbrainz/index.js';
import { replayedGateways } from '../support/gateway.js';
import { results, searchProvider } from '../support/testProviders.js';

/**
 * The circuit breaker as DESIGN.md states it (issue 9 §4): only real upstream calls move it —
 * failures, timeouts and hedge losers slower than the hedge delay count; cache hits and the
 * caller's own mistakes do not — and an open circuit still lets fresh cached answers through.
 */
const SEARCH = `query($q: String!) { searchTracks(query: $q, first: 5) { source nodes { title } } }`;

type Report = { field: string; answeredBy: string | null; stale: boolean; attempts: { source: string; outcome: string; cached?: boolean }[] };
const searchReport = (body: { extensions?: { sources?: unknown[] } }): Report =>
  (body.extensions!.sources as Report[]).find((report) => report.field === 'searchTracks')!;
const outcomes = (report: Report) => report.attempts.map((a) => `${a.source}:${a.outcome}${a.cached ? ':cached' : ''}`);

/** Never answers; settles once the gateway gives up on the request (so nothing is left open). */
function hang(res: ServerResponse): Promise<boolean> {
  return new Promise((resolve) => res.on('close', () => resolve(true)));
}
const unavailable = (res: ServerResponse) => void res.writeHead(503, { 'content-type': 'text/plain' }).end('Service Unavailable');
const reset = (res: ServerResponse) => void res.socket?.destroy();

describe('circuit breaker through the gateway', () => {
  const { replay, start } = replayedGateways({ extraHosts: ['alpha.test', 'beta.test', 'musicbrainz.org'] });

  /** Sends alpha's n-th search request to `faults[n]` (the rest fall through to routes). */
  function alphaFaults(faults: ((res: ServerResponse) => unknown)[]): void {
    let seen = 0;
    replay.intercept((req, res) => {
      if (req.host !== 'alpha.test') return false;
      const fault = faults[seen++];
      if (!fault) return false;
      const outcome = fault(res);
      return outcome instanceof Promise ? outcome : true;
    });
  }

  it('counts a hedge loser slower than the hedge delay against its source; once open, later requests do not wait for it', async () => {
    const gateway = await start({
      factories: [searchProvider('alpha'), searchProvider('beta')],
      env: { CHAIN_SEARCH_TRACKS: 'alpha,beta', HEDGE_DELAY_MS: '100', UPSTREAM_TIMEOUT_MS: '10000', BREAKER_THRESHOLD: '4', BREAKER_COOLDOWN_MS: '60000' },
    });
    // Two of the four faults are hangs that only the hedge ends: without them the circuit stays closed.
    alphaFaults([hang, unavailable, hang, reset]);
    const seen: string[][] = [];
    for (const q of ['uno', 'dos', 'tres', 'cuatro']) {
      replay.route('GET', `https://beta.test/search?q=${q}&limit=5`, { body: results(q) });
      const { body } = await gateway.query(SEARCH, { q });
      expect(body.data.searchTracks.source).toBe('beta');
      seen.push(outcomes(searchReport(body)));
    }
    expect(seen.map((attempts) => attempts[0])).toEqual(['alpha:lost-hedge', 'alpha:unavailable', 'alpha:lost-hedge', 'alpha:unavailable']);
    expect(gateway.services.health.state('alpha')).toBe('open');
    expect(gateway.services.health.snapshot('alpha')).toMatchObject({ failures: 4, lastError: { kind: 'UNAVAILABLE' } });

    // Open: alpha is not asked, so beta starts at once instead of after the hedge delay.
    const alphaCalls = replay.count('alpha.test');
    replay.route('GET', 'https://beta.test/search?q=cinco&limit=5', { body: results('Cinco') });
    const { body } = await gateway.query(SEARCH, { q: 'cinco' });
    expect(body.data.searchTracks.source).toBe('beta');
    expect(outcomes(searchReport(body))).toEqual(['alpha:skipped-circuit-open', 'beta:ok']);
    expect(replay.count('alpha.test')).toBe(alphaCalls);
  });

  it('records the hedge loss as a timeout of the slow source, not as a cancellation', async () => {
    const gateway = await start({
      factories: [searchProvider('alpha'), searchProvider('beta')],
      env: { CHAIN_SEARCH_TRACKS: 'alpha,beta', HEDGE_DELAY_MS: '100', UPSTREAM_TIMEOUT_MS: '10000', BREAKER_THRESHOLD: '2', BREAKER_COOLDOWN_MS: '60000' },
    });
    alphaFaults([hang, hang]);
    for (const q of ['lenta', 'lentísima']) {
      replay.route('GET', `https://beta.test/search?q=${encodeURIComponent(q)}&limit=5`, { body: results(q) });
      const { body } = await gateway.query(SEARCH, { q });
      expect(body.data.searchTracks.source).toBe('beta');
    }
    expect(gateway.services.health.state('alpha')).toBe('open');
    expect(gateway.services.health.snapshot('alpha').lastError).toMatchObject({ kind: 'TIMEOUT', message: expect.stringMatching(/hedge delay/) });
  });

  it('does not count cached answers as successes: timeouts between cache hits still open the circuit', async () => {
    const gateway = await start({
      factories: [searchProvider('alpha')],
      env: { CHAIN_SEARCH_TRACKS: 'alpha', UPSTREAM_TIMEOUT_MS: '150', BREAKER_THRESHOLD: '2', BREAKER_COOLDOWN_MS: '60000' },
    });
    replay.route('GET', 'https://alpha.test/search?q=guardada&limit=5', { body: results('Guardada') });
    await gateway.query(SEARCH, { q: 'guardada' });
    replay.intercept((req, res) => (req.host === 'alpha.test' && req.query.get('q')?.startsWith('caída') ? hang(res) : false));

    const first = await gateway.query(SEARCH, { q: 'caída 1' });
    expect(first.body.errors![0]!.extensions!.code).toBe('SOURCES_UNAVAILABLE');
    const cached = await gateway.query(SEARCH, { q: 'guardada' });
    expect(cached.body.data.searchTracks.nodes[0].title).toBe('Guardada');
    expect(outcomes(searchReport(cached.body))).toEqual(['alpha:ok:cached']);
    expect(gateway.services.health.state('alpha')).toBe('closed');

    await gateway.query(SEARCH, { q: 'caída 2' });
    expect(gateway.services.health.state('alpha')).toBe('open');
    expect(gateway.services.health.snapshot('alpha')).toMatchObject({ successes: 1, failures: 2, lastError: { kind: 'TIMEOUT' } });
    expect(replay.count('alpha.test')).toBe(3);
  });

  it('answers a well-formed cursor the source cannot continue with BAD_USER_INPUT, asks nobody, and leaves the circuit closed', async () => {
    const gateway = await start({
      factories: [createMusicBrainzProvider],
      env: { CHAIN_SEARCH_TRACKS: 'musicbrainz', BREAKER_THRESHOLD: '2', MUSICBRAINZ_RPS: '50' },
    });
    // ["musicbrainz","abc",0]: our cursor format, wrapping a MusicBrainz offset it never handed out.
    const after = 'WyJtdXNpY2JyYWlueiIsImFiYyIsMF0';
    expect(JSON.parse(Buffer.from(after, 'base64url').toString('utf8'))).toEqual(['musicbrainz', 'abc', 0]);
    for (let i = 0; i < 5; i += 1) {
      const { body } = await gateway.query(`query($after: String) { searchTracks(query: "Malamente", first: 5, after: $after) { nodes { id } } }`, { after });
      expect(body.data).toBeNull();
      expect(body.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
      expect(body.errors![0]!.message).toMatch(/"abc" is not a MusicBrainz page cursor/);
    }
    expect(replay.count()).toBe(0);
    expect(gateway.services.health.state('musicbrainz')).toBe('closed');
    expect(gateway.services.health.snapshot('musicbrainz')).toMatchObject({ failures: 0, lastError: null });
  });

  it('serves a fresh cached answer while the circuit is open, labelled as cached and not as stale', async () => {
    let clock = Date.parse('2026-03-01T12:00:00Z');
    const gateway = await start({
      factories: [searchProvider('alpha')],
      now: () => clock,
      // No in-process layer: the answer has to come through the open circuit from the shared cache.
      env: { CHAIN_SEARCH_TRACKS: 'alpha', BREAKER_THRESHOLD: '1', BREAKER_COOLDOWN_MS: '3600000', RESULT_CACHE_MB: '0' },
    });
    replay.route('GET', 'https://alpha.test/search?q=fresca&limit=5', { body: results('Fresca') });
    await gateway.query(SEARCH, { q: 'fresca' });
    replay.route('GET', 'https://alpha.test/search?q=rota&limit=5', { status: 503, body: 'down', contentType: 'text/plain' });
    await gateway.query(SEARCH, { q: 'rota' });
    expect(gateway.services.health.state('alpha')).toBe('open');
    const calls = replay.count('alpha.test');

    const { body } = await gateway.query(SEARCH, { q: 'fresca' });
    expect(body.errors).toBeUndefined();
    expect(body.data.searchTracks.nodes[0].title).toBe('Fresca');
    const report = searchReport(body);
    expect(report).toMatchObject({ answeredBy: 'alpha', stale: false });
    expect(outcomes(report)).toEqual(['alpha:ok:cached']);

    expect(replay.count('alpha.test')).toBe(calls);

    // Seven hours on the search answer is past its six fresh hours, and the probe fails: what is
    // served now is stale, and says so.
    clock += 7 * 60 * 60 * 1000;
    replay.intercept((req, res) => (req.host === 'alpha.test' ? (unavailable(res), true) : false));
    const later = await gateway.query(SEARCH, { q: 'fresca' });
    expect(later.body.data.searchTracks.nodes[0].title).toBe('Fresca');
    expect(searchReport(later.body)).toMatchObject({ answeredBy: 'alpha', stale: true });
    expect(outcomes(searchReport(later.body))).toEqual(['alpha:unavailable', 'alpha:stale']);
  });
});

describe('closing a circuit (closeAfter, default 2)', () => {
  function openCircuit() {
    let now = 0;
    const health = new HealthTracker({ threshold: 1, cooldownMs: 1000, now: () => now });
    health.recordFault('deezer', 'UNAVAILABLE', 'HTTP 503');
    expect(health.state('deezer')).toBe('open');
    now = 1000;
    return { health, advance: (ms: number) => (now += ms) };
  }

  it('stays half-open after one successful probe and closes after the second', () => {
    const { health } = openCircuit();
    expect(health.tryAcquire('deezer')).toBe(true);
    expect(health.tryAcquire('deezer'), 'one probe at a time').toBe(false);
    health.recordSuccess('deezer', 80);
    expect(health.state('deezer')).toBe('half-open');
    // The source answered: the second probe may go at once, without another cool-down.
    expect(health.tryAcquire('deezer')).toBe(true);
    expect(health.tryAcquire('deezer')).toBe(false);
    health.recordSuccess('deezer', 90);
    expect(health.state('deezer')).toBe('closed');
    expect(health.tryAcquire('deezer')).toBe(true);
    expect(health.tryAcquire('deezer'), 'closed: no probe limit').toBe(true);
  });

  it('re-opens, for a whole cool-down, when a probe fails after a successful one', () => {
    const { health, advance } = openCircuit();
    expect(health.tryAcquire('deezer')).toBe(true);
    health.recordSuccess('deezer', 80);
    expect(health.tryAcquire('deezer')).toBe(true);
    health.recordFault('deezer', 'TIMEOUT', 'no answer');
    expect(health.state('deezer')).toBe('open');
    expect(health.tryAcquire('deezer')).toBe(false);
    advance(999);
    expect(health.tryAcquire('deezer')).toBe(false);
    advance(1);
    expect(health.tryAcquire('deezer')).toBe(true);
    // The earlier success does not carry over: two fresh successes are needed again.
    health.recordSuccess('deezer', 80);
    expect(health.state('deezer')).toBe('half-open');
  });

  it('frees the probe when the probing call said nothing about the source (a cache hit, a cancellation)', () => {
    const { health } = openCircuit();
    expect(health.tryAcquire('deezer')).toBe(true);
    health.recordNeutral('deezer');
    expect(health.state('deezer')).toBe('half-open');
    expect(health.tryAcquire('deezer')).toBe(true);
  });
});
