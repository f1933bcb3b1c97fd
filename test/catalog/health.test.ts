import { afterEach, describe, expect, it, vi } from 'vitest';
import { ResultCache } from '../../src/cache/results.js';
import { createMemoryCache } from '../../src/cache/store.js';
import { runChain } from '../../src/catalog/chain.js';
import { HealthTracker } from '../../src/catalog/health.js';
import type { SourceErrorKind } from '../../src/errors/source.js';
import { silentLogger } from '../../src/logger.js';
import { createMusicBrainzProvider } from '../../src/providers/musicbrainz/index.js';
import { replayProvider, type ReplayHarness } from '../support/providerHarness.js';

describe('circuit breaker', () => {
  it('opens after the threshold of consecutive faults, probes once after the cool-down, and closes on success', () => {
    let now = 0;
    const health = new HealthTracker({ threshold: 3, cooldownMs: 1000, closeAfter: 1, now: () => now });
    for (let i = 0; i < 2; i += 1) health.recordFault('lastfm', 'UNAVAILABLE', 'HTTP 503');
    expect(health.tryAcquire('lastfm')).toBe(true);
    health.recordFault('lastfm', 'TIMEOUT', 'no answer');
    expect(health.state('lastfm')).toBe('open');
    expect(health.tryAcquire('lastfm')).toBe(false);

    now = 1000;
    expect(health.state('lastfm')).toBe('half-open');
    expect(health.tryAcquire('lastfm')).toBe(true);
    expect(health.tryAcquire('lastfm'), 'only one probe at a time').toBe(false);
    health.recordSuccess('lastfm', 120);
    expect(health.state('lastfm')).toBe('closed');
    expect(health.snapshot('lastfm')).toMatchObject({ circuit: 'closed', recentLatencyMs: 120, successes: 1, failures: 3, lastError: { kind: 'TIMEOUT' } });
  });

  it('re-opens when the probe fails', () => {
    let now = 0;
    const health = new HealthTracker({ threshold: 1, cooldownMs: 500, now: () => now });
    health.recordFault('deezer', 'UNAVAILABLE', 'down');
    now = 600;
    expect(health.tryAcquire('deezer')).toBe(true);
    health.recordFault('deezer', 'UNAVAILABLE', 'still down');
    expect(health.state('deezer')).toBe('open');
  });

});

/** Notes what the chain reported about each call, so a test can wait for a call it cancelled. */
class WatchedHealth extends HealthTracker {
  readonly reported: string[] = [];
  override recordSuccess(source: string, latencyMs: number): void {
    super.recordSuccess(source, latencyMs);
    this.reported.push('success');
  }
  override recordFault(source: string, kind: SourceErrorKind, message: string): void {
    super.recordFault(source, kind, message);
    this.reported.push(`fault ${kind}`);
  }
  override recordNeutral(source: string): void {
    super.recordNeutral(source);
    this.reported.push('neutral');
  }
}

/**
 * What moves the breaker, through the chain (src/catalog/chain.ts) and the real upstream client:
 * MusicBrainz recording lookups against a local server, with a threshold of one fault, so any
 * call counted as a fault would open the circuit.
 */
describe('circuit breaker through the chain', () => {
  const UNKNOWN = '0f6b4a2e-1d7c-4c55-9f3a-6a0d2b9e8c11';
  let harness: ReplayHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  async function musicbrainz() {
    harness = await replayProvider(createMusicBrainzProvider, { extraHosts: ['musicbrainz.org'] });
    const { provider, server } = harness;
    const health = new WatchedHealth({ threshold: 1, cooldownMs: 60_000 });
    const lookup = (signal: AbortSignal = new AbortController().signal) =>
      runChain(
        { field: 'track', candidates: [provider], call: (p, ctx) => p.track!({ kind: 'recording', id: UNKNOWN }, ctx), staleFallback: false },
        { hedgeDelayMs: 2500, health, signal, languages: ['en'], results: new ResultCache(1 << 20), cache: createMemoryCache(), logger: silentLogger },
      );
    /** MusicBrainz answers the lookup with `status` (without `status`, it never answers). */
    const answer = (status?: number, contentType = 'application/json', body = '') =>
      new Promise<void>((asked) => {
        server.intercept((request, response) => {
          if (!request.path.endsWith(`/recording/${UNKNOWN}`)) return false;
          asked();
          if (status) response.writeHead(status, { 'content-type': contentType }).end(body);
          return true;
        });
      });
    return { server, health, lookup, answer };
  }

  it('keeps the circuit closed when the source answers 404 (an answer, not a fault)', async () => {
    const { server, health, lookup, answer } = await musicbrainz();
    void answer(404, 'application/json', '{"error":"Not Found"}');
    const result = await lookup();
    expect(result.ok).toBe(false);
    expect(result.report.attempts.map((a) => `${a.source}:${a.outcome}`)).toEqual(['musicbrainz:not_found']);
    expect(server.count(UNKNOWN)).toBe(1);
    expect(health.reported).toEqual(['neutral']);
    expect(health.state('musicbrainz')).toBe('closed');
  });

  it('keeps the circuit closed when the caller cancels a call the source has not answered yet', async () => {
    const { health, lookup, answer } = await musicbrainz();
    const asked = answer();
    const caller = new AbortController();
    const result = lookup(caller.signal);
    await asked;
    caller.abort();
    expect((await result).ok).toBe(false);
    // The chain returns at once; the cancelled call is accounted for when it ends.
    await vi.waitFor(() => expect(health.reported).toEqual(['neutral']));
    expect(health.state('musicbrainz')).toBe('closed');
  });

  it('opens the circuit on an upstream 503, the same way asked', async () => {
    const { health, lookup, answer } = await musicbrainz();
    void answer(503, 'text/plain', 'Service Unavailable');
    const result = await lookup();
    expect(result.report.attempts.map((a) => `${a.source}:${a.outcome}`)).toEqual(['musicbrainz:unavailable']);
    expect(health.reported).toEqual(['fault UNAVAILABLE']);
    expect(health.state('musicbrainz')).toBe('open');
  });
});
