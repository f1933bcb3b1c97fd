import type { ServerResponse } from 'node:http';
import { describe, expect, it, vi } from 'vitest';
import type { ChainReport } from '../../src/catalog/provenance.js';
import { createLocalRateLimiter, type RateLimiterFactory } from '../../src/http/rateLimiter.js';
import { replayedGateways, type TestGateway } from '../support/gateway.js';
import { results, searchProvider } from '../support/testProviders.js';

/**
 * Cancellation (issue 9 §5): a client that leaves takes back only its own share of the work.
 * Another request waiting for the same upstream call still gets it, and requests whose clients
 * left do not keep their places in a source's rate-limit line.
 */
const SEARCH = `query($q: String!) { searchTracks(query: $q, first: 5) { source nodes { title } } }`;

describe('a client leaving', () => {
  const { replay, start } = replayedGateways({ extraHosts: ['alpha.test', 'slow.test'] });

  /** Sends a GraphQL request the test can walk away from (the connection is closed). */
  function send(g: TestGateway, q: string): { response: Promise<Response>; leave: () => void } {
    const controller = new AbortController();
    const response = fetch(`${g.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: SEARCH, variables: { q } }),
      signal: controller.signal,
    });
    response.catch(() => undefined);
    return { response, leave: () => controller.abort() };
  }

  /** Every chain the gateway finished, as it reports them to its metrics. */
  function finishedChains(g: TestGateway): ChainReport[] {
    const reports: ChainReport[] = [];
    const observe = g.services.metrics.observeChain.bind(g.services.metrics);
    g.services.metrics.observeChain = (report) => {
      reports.push(report);
      observe(report);
    };
    return reports;
  }

  /** Resolves once `n` upstream-cache lookups for keys containing `fragment` have been answered. */
  function cacheLookups(g: TestGateway, fragment: string): { reached: (n: number) => Promise<void> } {
    let seen = 0;
    const cache = g.services.cache as unknown as { get: (key: string) => Promise<unknown> };
    const get = cache.get.bind(cache);
    cache.get = async (key: string) => {
      const value = await get(key);
      // The caller joins (or starts) the flight in the same turn the lookup resolves in.
      if (key.includes(fragment)) setImmediate(() => (seen += 1));
      return value;
    };
    return { reached: (n) => vi.waitFor(() => expect(seen).toBeGreaterThanOrEqual(n), { timeout: 5000, interval: 5 }) };
  }

  it('shares one upstream call between two requests; the first leaving does not fail the second', async () => {
    const gateway = await start({ factories: [searchProvider('alpha')], env: { CHAIN_SEARCH_TRACKS: 'alpha', UPSTREAM_TIMEOUT_MS: '10000' } });
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let upstreamClosedEarly = false;
    replay.intercept(async (req, res) => {
      if (req.host !== 'alpha.test') return false;
      res.on('close', () => (upstreamClosedEarly ||= !res.writableEnded));
      await released;
      res.writeHead(200, { 'content-type': 'application/json' }).end(results('Compartida'));
      return true;
    });
    const chains = finishedChains(gateway);
    const lookups = cacheLookups(gateway, 'compartida');

    const first = send(gateway, 'compartida');
    const second = send(gateway, 'compartida');
    await lookups.reached(2);
    await vi.waitFor(() => expect(replay.count('alpha.test')).toBe(1));

    first.leave();
    await expect(first.response).rejects.toThrow();
    // The gateway has given up on the first request…
    await vi.waitFor(() => expect(chains).toHaveLength(1));
    await new Promise((resolve) => setTimeout(resolve, 50));
    // …and the upstream call it shared is still running for the second.
    expect(upstreamClosedEarly).toBe(false);
    release();

    const body = (await (await second.response).json()) as { data?: any; errors?: unknown[]; extensions?: any };
    expect(body.errors).toBeUndefined();
    expect(body.data.searchTracks.nodes).toEqual([{ title: 'Compartida' }]);
    expect(replay.count('alpha.test')).toBe(1);
    // A live answer it waited for with another request, not one from a cache.
    expect(body.extensions.sources[0].attempts).toEqual([{ source: 'alpha', outcome: 'ok', ms: expect.any(Number) }]);
  });

  it('cancels the shared upstream call once every request waiting for it has left', async () => {
    const gateway = await start({ factories: [searchProvider('alpha')], env: { CHAIN_SEARCH_TRACKS: 'alpha', UPSTREAM_TIMEOUT_MS: '10000' } });
    let upstreamClosed = false;
    replay.intercept((req, res) => {
      if (req.host !== 'alpha.test') return false;
      return new Promise<boolean>((resolve) =>
        res.on('close', () => {
          upstreamClosed = true;
          resolve(true);
        }),
      );
    });
    const lookups = cacheLookups(gateway, 'abandonada');
    const first = send(gateway, 'abandonada');
    const second = send(gateway, 'abandonada');
    await lookups.reached(2);
    await vi.waitFor(() => expect(replay.count('alpha.test')).toBe(1));

    first.leave();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(upstreamClosed).toBe(false);
    second.leave();
    await vi.waitFor(() => expect(upstreamClosed).toBe(true), { timeout: 2000 });
    expect(replay.count('alpha.test')).toBe(1);
  });

  it('lets requests whose clients left out of the rate-limit line at once: the next request is the next to start', async () => {
    // Counts what the limiter lets start: a wait that is still in the line when its turn comes would start (and count) too.
    let entered = 0;
    let started = 0;
    const counting: RateLimiterFactory = (source, limit) => {
      const limiter = createLocalRateLimiter(source, limit);
      return {
        schedule: (task, signal) => {
          entered += 1;
          return limiter.schedule(() => {
            started += 1;
            return task();
          }, signal);
        },
      };
    };
    const gateway = await start({
      factories: [searchProvider('slow', { rateLimit: { requests: 1, intervalMs: 100 } })],
      rateLimiterFactory: counting,
      env: { CHAIN_SEARCH_TRACKS: 'slow', UPSTREAM_TIMEOUT_MS: '30000' },
    });
    replay.intercept((req, res) => (req.host === 'slow.test' && req.query.get('q')?.startsWith('atasco') ? new Promise<boolean>((resolve) => res.on('close', () => resolve(true))) : false));
    const chains = finishedChains(gateway);

    const waiting = Array.from({ length: 100 }, (_, i) => send(gateway, `atasco ${i}`));
    await vi.waitFor(() => expect(entered).toBe(100), { timeout: 20_000, interval: 5 });
    const startedWhenLeaving = started;
    expect(startedWhenLeaving).toBeLessThan(100);
    for (const request of waiting) request.leave();
    await vi.waitFor(() => expect(chains).toHaveLength(100), { timeout: 20_000 });
    // Only the turns that came while the gateway was noticing the hundred disconnections were
    // taken; a line that kept its cancelled waiters would have started every one of them.
    const startedBefore = started;
    expect(startedBefore - startedWhenLeaving).toBeLessThanOrEqual(5);

    replay.route('GET', 'https://slow.test/search?q=siguiente&limit=5', { body: results('Siguiente') });
    const { body } = await gateway.query(SEARCH, { q: 'siguiente' });
    expect(body.errors).toBeUndefined();
    expect(body.data.searchTracks.nodes).toEqual([{ title: 'Siguiente' }]);
    // Only the new request's call started: none of the hundred that left kept a place before it.
    expect(started - startedBefore).toBe(1);
    expect(replay.count('q=siguiente')).toBe(1);
    // Those that had started upstream before their clients left reached the source; no others did.
    expect(replay.count('atasco')).toBe(startedBefore);
  });
});
