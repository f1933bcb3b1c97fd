import { beforeAll, describe, expect, it } from 'vitest';
import { replayedGateways } from '../support/gateway.js';
import { results, searchProvider } from '../support/testProviders.js';

/**
 * What one request may spend (issue 9 §3): `MAX_UPSTREAM_CALLS_PER_REQUEST` real upstream calls
 * and `REQUEST_DEADLINE_MS` of time. Past either, the fields still to answer fail with their own
 * code and the rest of the answer is returned.
 */
const FIELDS = `nodes { title }`;

describe('per-request limits', () => {
  const { replay, start } = replayedGateways({ extraHosts: ['alpha.test', 'beta.test', 'stuck.test'] });

  /** Nullable lookups, so a field that fails leaves the others standing. */
  const node = (alias: string, id: string) => `${alias}: node(id: "${id}") { ... on Track { title } }`;
  const track = (id: string) => JSON.stringify({ id, title: `Pista ${id}`, artist: 'Rosalía', seconds: 180 });

  describe('upstream-call budget', () => {
    const ids = ['uno', 'dos', 'tres', 'cuatro', 'cinco'];

    beforeAll(() => {
      for (const id of ['guardada', ...ids]) replay.route('GET', `https://alpha.test/track/${id}`, { body: track(id) });
    });

    it('answers the fields within the budget, fails the rest with BUDGET_EXCEEDED, and sends exactly the budget upstream', async () => {
      const gateway = await start({ factories: [searchProvider('alpha')], env: { MAX_UPSTREAM_CALLS_PER_REQUEST: '2' } });
      const { status, body } = await gateway.query(`{ ${ids.map((id) => node(id, `alpha:track:${id}`)).join(' ')} }`);
      expect(status).toBe(200);
      expect(replay.count()).toBe(2);

      const answered = ids.filter((id) => body.data[id] !== null);
      expect(answered).toHaveLength(2);
      for (const id of answered) expect(body.data[id]).toEqual({ title: `Pista ${id}` });
      expect(body.errors).toHaveLength(3);
      for (const error of body.errors!) {
        expect(ids.filter((id) => !answered.includes(id))).toContain(error.path![0]);
        expect(error.extensions!.code).toBe('BUDGET_EXCEEDED');
        expect(error.message).toMatch(/used up its upstream-call budget/);
      }
      // The source was not asked for the fields over budget, and is not blamed for them.
      expect(gateway.services.health.snapshot('alpha')).toMatchObject({ successes: 2, failures: 0 });
    });

    it('still answers fields from the cache once the budget is spent', async () => {
      const gateway = await start({ factories: [searchProvider('alpha')], env: { MAX_UPSTREAM_CALLS_PER_REQUEST: '1' } });
      await gateway.query(`{ ${node('guardada', 'alpha:track:guardada')} }`);
      replay.reset();

      const { body } = await gateway.query(`{ ${node('uno', 'alpha:track:uno')} ${node('dos', 'alpha:track:dos')} ${node('guardada', 'alpha:track:guardada')} }`);
      expect(replay.count()).toBe(1);
      expect(body.data.guardada).toEqual({ title: 'Pista guardada' });
      expect([body.data.uno, body.data.dos].filter((field) => field !== null)).toHaveLength(1);
      expect(body.errors!.map((error) => error.extensions!.code)).toEqual(['BUDGET_EXCEEDED']);
    });

    it('counts a failed call too: a source that fails after the budget is spent leaves no call for the next source', async () => {
      replay.route('GET', 'https://beta.test/search?q=dos&limit=5', { body: results('dos (beta)') });
      const gateway = await start({
        factories: [searchProvider('alpha'), searchProvider('beta')],
        env: { CHAIN_SEARCH_TRACKS: 'alpha,beta', MAX_UPSTREAM_CALLS_PER_REQUEST: '1' },
      });
      replay.intercept((req, res) => (req.host === 'alpha.test' ? (res.writeHead(503).end(), true) : false));
      const { body } = await gateway.query(`{ searchTracks(query: "dos", first: 5) { nodes { title } } }`);
      expect(body.errors![0]!.extensions!.code).toBe('BUDGET_EXCEEDED');
      expect(body.errors![0]!.extensions!.attempts.map((a: { source: string; outcome: string }) => `${a.source}:${a.outcome}`)).toEqual([
        'alpha:unavailable',
        'beta:budget_exceeded',
      ]);
      expect(replay.count('alpha.test')).toBe(1);
      expect(replay.count('beta.test')).toBe(0);
      expect(gateway.services.health.snapshot('alpha').failures).toBe(1);
      expect(gateway.services.health.snapshot('beta').failures).toBe(0);
    });
  });

  describe('deadline', () => {
    it('fails the fields still waiting with DEADLINE_EXCEEDED, returns those already answered, and answers at the deadline', async () => {
      const gateway = await start({
        factories: [searchProvider('alpha'), searchProvider('stuck')],
        env: { REQUEST_DEADLINE_MS: '1000', UPSTREAM_TIMEOUT_MS: '20000' },
      });
      replay.route('GET', 'https://alpha.test/track/pronto', { body: track('pronto') });
      replay.route('GET', 'https://alpha.test/track/calentamiento', { body: track('calentamiento') });
      // A gateway's first request pays for warming up; it must not eat into the deadline below.
      await gateway.query(`{ ${node('calentamiento', 'alpha:track:calentamiento')} }`);
      let upstreamLeft = false;
      replay.intercept((req, res) =>
        req.host === 'stuck.test'
          ? new Promise<boolean>((resolve) =>
              res.on('close', () => {
                upstreamLeft = true;
                resolve(true);
              }),
            )
          : false,
      );

      const started = Date.now();
      const { body } = await gateway.query(`{ ${node('pronto', 'alpha:track:pronto')} ${node('nunca', 'stuck:track:nunca')} }`);
      const elapsed = Date.now() - started;

      expect(body.data.pronto).toEqual({ title: 'Pista pronto' });
      expect(body.data.nunca).toBeNull();
      expect(body.errors).toHaveLength(1);
      expect(body.errors![0]).toMatchObject({ path: ['nunca'], extensions: { code: 'DEADLINE_EXCEEDED' } });
      expect(body.errors![0]!.message).toMatch(/ran out of time/);
      const report = body.extensions!.sources!.find((r) => r.attempts[0]?.source === 'stuck')!;
      expect(report.attempts.map((a) => a.outcome)).toEqual(['deadline_exceeded']);
      // Answered at the deadline, not at the 20 s upstream timeout; the upstream call was dropped.
      expect(elapsed).toBeLessThan(10_000);
      await expect.poll(() => upstreamLeft).toBe(true);
      // The deadline is the request's doing, not the source's.
      expect(gateway.services.health.snapshot('stuck').failures).toBe(0);
    });
  });
});
