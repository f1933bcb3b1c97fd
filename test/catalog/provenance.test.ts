import { beforeAll, describe, expect, it } from 'vitest';
import { replayedGateways, type TestGateway } from '../support/gateway.js';
import { results, searchProvider } from '../support/testProviders.js';

/** What `extensions.sources` and the response headers tell a client about where an answer came from. */
const SEARCH = `query($q: String!) { searchTracks(query: $q, first: 5) { nodes { title } } }`;
type Attempt = { source: string; outcome: string; cached?: boolean };

describe('provenance', () => {
  const { replay, start } = replayedGateways({ extraHosts: ['alpha.test'] });

  beforeAll(() => {
    replay.route('GET', 'https://alpha.test/search?q=origen&limit=5', { body: results('Origen') });
  });

  async function attemptsFor(gateway: TestGateway, q: string): Promise<Attempt[]> {
    const { body } = await gateway.query(SEARCH, { q });
    expect(body.errors).toBeUndefined();
    return body.extensions!.sources!.find((report) => report.field === 'searchTracks')!.attempts as Attempt[];
  }

  it.each([
    ['the in-process result cache', {}],
    ['the shared upstream cache', { RESULT_CACHE_MB: '0' }],
  ])('marks an answer from %s as cached, and a live one as not', async (_layer, env) => {
    const gateway = await start({ factories: [searchProvider('alpha')], env: { CHAIN_SEARCH_TRACKS: 'alpha', ...env } });
    const live = await attemptsFor(gateway, 'origen');
    expect(live).toEqual([{ source: 'alpha', outcome: 'ok', ms: expect.any(Number) }]);
    const cached = await attemptsFor(gateway, 'origen');
    expect(cached).toEqual([{ source: 'alpha', outcome: 'ok', ms: expect.any(Number), cached: true }]);
    expect(replay.count('alpha.test')).toBe(1);
  });

  it('returns a request id in x-request-id: the caller\'s own when it is a sane token, a new one otherwise', async () => {
    const gateway = await start({ factories: [searchProvider('alpha')], env: { CHAIN_SEARCH_TRACKS: 'alpha' } });
    const post = (headers: Record<string, string>) =>
      fetch(`${gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query: '{ __typename }' }) });

    const fresh = (await post({})).headers.get('x-request-id');
    const another = (await post({})).headers.get('x-request-id');
    expect(fresh).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(another).not.toBe(fresh);
    expect((await post({ 'x-request-id': 'lb-7f3a9c2e.42' })).headers.get('x-request-id')).toBe('lb-7f3a9c2e.42');
    // Anything else could forge or break log lines: it is replaced.
    const forged = (await post({ 'x-request-id': 'x"} {"level":"error' })).headers.get('x-request-id');
    expect(forged).toMatch(/^[0-9a-f-]{36}$/);
  });
});
