import { describe, expect, it } from 'vitest';
import { HealthTracker } from '../../src/catalog/health.js';

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

  it('does not count not-found or cancelled calls as faults', () => {
    const health = new HealthTracker({ threshold: 1, cooldownMs: 500, now: () => 0 });
    health.recordNeutral('musicbrainz');
    health.recordNeutral('musicbrainz');
    expect(health.state('musicbrainz')).toBe('closed');
  });
});
