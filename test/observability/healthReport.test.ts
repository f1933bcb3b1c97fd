import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/auth/cli.js';
import { HealthTracker } from '../../src/catalog/health.js';
import { silentLogger } from '../../src/logger.js';
import { HealthReporter } from '../../src/observability/healthReport.js';
import { startFixture, type AuthFixture } from '../auth/support.js';

let fixture: AuthFixture | null = null;
afterEach(async () => {
  await fixture?.close();
  fixture = null;
});

async function cli(f: AuthFixture, ...argv: string[]) {
  let out = '';
  const code = await runCli(argv, { env: { DATA_DIR: f.dir, LOG_LEVEL: 'silent' }, out: (t) => (out += t), err: () => undefined });
  return { code, out };
}

describe('health reported for the keys CLI', () => {
  it("writes each source's circuit, counts and last error, which the CLI shows with GraphQL's spellings", async () => {
    const f = (fixture = await startFixture());
    let clock = Date.parse('2026-03-01T12:00:00Z');
    const health = new HealthTracker({ threshold: 2, cooldownMs: 30_000, now: () => clock });
    const reporter = new HealthReporter(f.db, health, () => ['lrclib', 'musicbrainz', 'youtubemusic'], silentLogger, () => new Date(clock));
    health.recordSuccess('lrclib', 120);
    health.recordFault('youtubemusic', 'BAD_RESPONSE', 'youtubemusic: no shelf with results');
    health.recordFault('youtubemusic', 'BAD_RESPONSE', 'youtubemusic: no shelf with results');
    await reporter.flush();

    const listed = JSON.parse((await cli(f, 'list', '--json')).out);
    const bySource = Object.fromEntries(listed.sources.map((s: any) => [s.id, s.health]));
    expect(bySource.lrclib).toEqual({
      circuit: 'CLOSED',
      lastError: null,
      recentLatencyMs: 120,
      successes: 1,
      failures: 0,
      reportedAt: '2026-03-01T12:00:00.000Z',
    });
    expect(bySource.youtubemusic).toMatchObject({
      circuit: 'OPEN',
      lastError: { kind: 'BAD_RESPONSE', message: 'youtubemusic: no shelf with results', at: '2026-03-01T12:00:00.000Z' },
      successes: 0,
      failures: 2,
    });
    expect((await cli(f, 'list')).out).toMatch(/Scraping YouTube Music \(youtubemusic\)[^]*salud: circuito ABIERTO[^]*último fallo BAD_RESPONSE/);

    // Unchanged snapshots are not rewritten until a minute has passed; changes are.
    clock += 10_000;
    health.recordSuccess('musicbrainz', 300);
    await reporter.flush();
    const later = await f.db.all<{ source_id: string; reported_at: string }>('SELECT source_id, reported_at FROM source_health ORDER BY source_id');
    expect(later).toEqual([
      { source_id: 'lrclib', reported_at: '2026-03-01T12:00:00.000Z' },
      { source_id: 'musicbrainz', reported_at: '2026-03-01T12:00:10.000Z' },
      { source_id: 'youtubemusic', reported_at: '2026-03-01T12:00:00.000Z' },
    ]);
    clock += 60_000;
    await reporter.stop();
    const refreshed = await f.db.all<{ reported_at: string }>('SELECT reported_at FROM source_health');
    expect(new Set(refreshed.map((row) => row.reported_at))).toEqual(new Set(['2026-03-01T12:01:10.000Z']));
  });
});
