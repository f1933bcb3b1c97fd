import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReplayServer, type ReplayServer } from '../support/replayServer.js';
import { results, searchProvider } from '../support/testProviders.js';
import { startKeyedGateway, type GraphQLResponse, type KeyedGateway } from './gateway.js';

/**
 * Who may ask what, end to end through the real app: each kind of caller asks one source it
 * might own and one it does not, and gets an exact outcome (data from that source, or an error
 * code with its HTTP status). alpha and beta are active; gamma is inactive.
 */
const SEARCH = `query($q: String!, $source: String) {
  searchTracks(query: $q, first: 5, source: $source) { source nodes { title source } }
}`;

type Expected = { data: string } | { code: string; status: number; mentions?: string };

describe('scope matrix', () => {
  let replay: ReplayServer;
  let gateway: KeyedGateway;
  const callers = new Map<string, Record<string, string>>();

  beforeAll(async () => {
    replay = await startReplayServer({ extraHosts: ['alpha.test', 'beta.test', 'gamma.test'] });
    for (const id of ['alpha', 'beta', 'gamma']) {
      replay.route('GET', `https://${id}.test/search?q=bulerias&limit=5`, { body: results(`Bulerías según ${id}`) });
    }
    gateway = await startKeyedGateway({
      factories: [searchProvider('alpha'), searchProvider('beta'), searchProvider('gamma')],
      replay,
      env: { CHAIN_SEARCH_TRACKS: 'alpha,beta,gamma', BREAKER_THRESHOLD: '1000' },
    });
    const { auth, keys } = gateway;
    const revoked = await auth.createKey('alpha', 'revocada');
    await auth.revokeKey(revoked.apiKey.id);
    const rotatedAway = await auth.createKey('alpha', 'rotada');
    await auth.rotateKey('alpha', rotatedAway.apiKey.id);
    await auth.setSourceStatus('gamma', 'inactive');

    callers.set('admin key', { authorization: `Bearer ${keys.get('*')!.key}` });
    callers.set('alpha key', { authorization: `Bearer ${keys.get('alpha')!.key}` });
    callers.set('alpha key in X-API-Key', { 'x-api-key': keys.get('alpha')!.key });
    callers.set('revoked alpha key', { authorization: `Bearer ${revoked.key}` });
    callers.set('rotated-away alpha key', { authorization: `Bearer ${rotatedAway.key}` });
    callers.set('no key', {});
    callers.set('gamma key (inactive source)', { authorization: `Bearer ${keys.get('gamma')!.key}` });
  });
  afterAll(async () => {
    await gateway?.close();
    await replay?.close();
  });

  const unauthenticated: Expected = { code: 'UNAUTHENTICATED', status: 401 };
  const inactive: Expected = { code: 'SOURCE_INACTIVE', status: 403, mentions: 'gamma' };
  const matrix: [caller: string, asks: string, expected: Expected][] = [
    ['admin key', 'alpha', { data: 'alpha' }],
    ['admin key', 'beta', { data: 'beta' }],
    ['admin key', 'gamma', { code: 'SOURCE_INACTIVE', status: 200, mentions: 'gamma' }],
    ['alpha key', 'alpha', { data: 'alpha' }],
    ['alpha key', 'beta', { code: 'FORBIDDEN', status: 200, mentions: 'beta' }],
    ['alpha key in X-API-Key', 'alpha', { data: 'alpha' }],
    ['alpha key in X-API-Key', 'beta', { code: 'FORBIDDEN', status: 200, mentions: 'beta' }],
    ['revoked alpha key', 'alpha', unauthenticated],
    ['revoked alpha key', 'beta', unauthenticated],
    ['rotated-away alpha key', 'alpha', unauthenticated],
    ['rotated-away alpha key', 'beta', unauthenticated],
    ['no key', 'alpha', unauthenticated],
    ['no key', 'beta', unauthenticated],
    ['gamma key (inactive source)', 'gamma', inactive],
    ['gamma key (inactive source)', 'alpha', inactive],
  ];

  it.each(matrix)('%s asking %s', async (caller, asks, expected) => {
    const before = replay.count(`${asks}.test/search`);
    const response = await gateway.post(SEARCH, { q: 'bulerias', source: asks }, callers.get(caller)!);
    expectOutcome(response, expected);
    // A refused request never reaches the source.
    if ('code' in expected) expect(replay.count(`${asks}.test/search`)).toBe(before);
  });

  it('pins a source key to its own source when no source is named, and the admin key to the chain', async () => {
    const own = await gateway.post(SEARCH, { q: 'bulerias' }, callers.get('alpha key')!);
    expectOutcome(own, { data: 'alpha' });
    const admin = await gateway.post(SEARCH, { q: 'bulerias' }, callers.get('admin key')!);
    expectOutcome(admin, { data: 'alpha' });
  });

  it("refuses a source key an id of another source, naming that source", async () => {
    const response = await gateway.post('query { track(id: "beta:track:1") { title } }', {}, callers.get('alpha key')!);
    expectOutcome(response, { code: 'FORBIDDEN', status: 200, mentions: 'beta' });
  });
});

function expectOutcome(response: GraphQLResponse, expected: Expected): void {
  if ('data' in expected) {
    expect(response.status).toBe(200);
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data!.searchTracks.source).toBe(expected.data);
    expect(response.body.data!.searchTracks.nodes).toEqual([{ title: `Bulerías según ${expected.data}`, source: expected.data }]);
    return;
  }
  expect(response.status).toBe(expected.status);
  expect(response.body.errors?.map((error) => error.extensions?.code)).toEqual([expected.code]);
  if (expected.mentions) expect(response.body.errors![0]!.message).toContain(expected.mentions);
  expect(response.body.data?.searchTracks ?? null).toBeNull();
}
