import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startReplayServer, type ReplayServer } from '../support/replayServer.js';
import { results, searchProvider } from '../support/testProviders.js';
import { startKeyedGateway, type KeyedGateway } from './gateway.js';

const SOURCES = `{
  sources {
    id name description endpoints status unlimited configured keyPrefix
    health { circuit lastError { kind } recentLatencyMs }
    usage { requestsToday requestsTotal }
    keys { id scope label prefix active }
  }
}`;
const VIEWER = '{ viewer { keyId scope label isAdmin allowedSources } }';
const SEARCH = 'query($source: String) { searchTracks(query: "tangos", first: 5, source: $source) { source } }';
const ROTATE = 'mutation($s: String!) { rotateSourceKey(sourceId: $s) { key apiKey { id scope prefix active } } }';
const SET_STATUS = 'mutation($s: String!, $st: SourceStatus!) { setSourceStatus(sourceId: $s, status: $st) { id status } }';

describe('sources, viewer and admin mutations over GraphQL', () => {
  let replay: ReplayServer;
  let gateway: KeyedGateway;
  let admin: Record<string, string>;
  let alpha: Record<string, string>;

  beforeAll(async () => {
    replay = await startReplayServer({ extraHosts: ['alpha.test', 'beta.test'] });
    for (const id of ['alpha', 'beta']) replay.route('GET', `https://${id}.test/search?q=tangos&limit=5`, { body: results(`Tangos de ${id}`) });
    gateway = await startKeyedGateway({
      factories: [searchProvider('alpha'), searchProvider('beta')],
      replay,
      env: { CHAIN_SEARCH_TRACKS: 'alpha,beta', BREAKER_THRESHOLD: '1000' },
    });
  });
  beforeEach(() => {
    admin = { authorization: `Bearer ${gateway.keys.get('*')!.key}` };
    alpha = { authorization: `Bearer ${gateway.keys.get('alpha')!.key}` };
  });
  afterAll(async () => {
    await gateway?.close();
    await replay?.close();
  });

  it('lists every source for the admin key, with endpoints, status, health, usage and key prefix', async () => {
    for (let i = 0; i < 3; i += 1) expect((await gateway.post(SEARCH, {}, alpha)).body.errors).toBeUndefined();
    const { status, body } = await gateway.post(SOURCES, {}, admin);
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const sources = body.data!.sources as any[];
    expect(sources.map((s) => s.id)).toEqual(['alpha', 'beta']);
    const a = sources[0];
    expect(a).toMatchObject({
      name: 'Test alpha',
      endpoints: ['searchTracks', 'track'],
      status: 'ACTIVE',
      unlimited: true,
      configured: true,
      keyPrefix: gateway.keys.get('alpha')!.apiKey.prefix,
      usage: { requestsToday: 3, requestsTotal: 3 },
    });
    expect(a.health.circuit).toBe('CLOSED');
    expect(a.health.lastError).toBeNull();
    expect(a.health.recentLatencyMs).toEqual(expect.any(Number));
    expect(a.keys).toEqual([{ id: gateway.keys.get('alpha')!.apiKey.id, scope: 'alpha', label: 'Clave inicial', prefix: a.keyPrefix, active: true }]);
    expect(sources[1].usage).toEqual({ requestsToday: 0, requestsTotal: 0 });
  });

  it('shows a source key only its own source, and tells it what it may do', async () => {
    const { body } = await gateway.post(SOURCES, {}, alpha);
    expect((body.data!.sources as any[]).map((s) => s.id)).toEqual(['alpha']);
    const viewer = await gateway.post(VIEWER, {}, alpha);
    expect(viewer.body.data!.viewer).toEqual({
      keyId: gateway.keys.get('alpha')!.apiKey.id,
      scope: 'alpha',
      label: 'Clave inicial',
      isAdmin: false,
      allowedSources: ['alpha'],
    });
    const adminViewer = await gateway.post(VIEWER, {}, admin);
    expect(adminViewer.body.data!.viewer).toMatchObject({ scope: '*', isAdmin: true, allowedSources: ['alpha', 'beta'] });
  });

  it('refuses every admin operation to a source key with FORBIDDEN and changes nothing', async () => {
    const before = await gateway.db.all('SELECT id, revoked_at FROM api_keys ORDER BY id');
    const attempts = [
      [ROTATE, { s: 'alpha' }],
      [SET_STATUS, { s: 'alpha', st: 'INACTIVE' }],
      ['mutation { createSourceKey(sourceId: "alpha", label: "x") { key } }', {}],
      [`mutation { revokeKey(keyId: "${gateway.keys.get('beta')!.apiKey.id}") { id } }`, {}],
      ['{ apiKeys { id } }', {}],
    ] as const;
    for (const [query, variables] of attempts) {
      const { body } = await gateway.post(query, variables, alpha);
      expect(body.errors?.map((e) => e.extensions?.code), query).toEqual(['FORBIDDEN']);
    }
    expect(await gateway.db.all('SELECT id, revoked_at FROM api_keys ORDER BY id')).toEqual(before);
    expect(gateway.auth.sourceStatus('alpha')).toBe('active');
  });

  it('answers BAD_USER_INPUT to unknown sources and malformed ids, changing nothing', async () => {
    // Everything but last_used_at, which usage counting moves forward twice a second.
    const keyRows = () => gateway.db.all('SELECT id, scope, label, prefix, hash, created_at, revoked_at, replaced_by FROM api_keys ORDER BY id');
    const before = await keyRows();
    const attempts = [
      [ROTATE, { s: 'spotify' }],
      [ROTATE, { s: '../alpha' }],
      [SET_STATUS, { s: 'spotify', st: 'INACTIVE' }],
      ['mutation { createSourceKey(sourceId: "nope", label: null) { key } }', {}],
      ['mutation { revokeKey(keyId: "key_ffffffffffffffff") { id } }', {}],
      ['mutation { revokeKey(keyId: "alpha") { id } }', {}],
      ['mutation { rotateSourceKey(sourceId: "alpha", keyId: "not-an-id") { key } }', {}],
    ] as const;
    for (const [query, variables] of attempts) {
      const { body } = await gateway.post(query, variables, admin);
      expect(body.errors?.map((e) => e.extensions?.code), `${query} ${JSON.stringify(variables)}`).toEqual(['BAD_USER_INPUT']);
    }
    expect(await keyRows()).toEqual(before);
  });

  it('rotates a key: the new key is returned once and works, the old one is refused at once', async () => {
    const old = gateway.keys.get('beta')!;
    const beta = { authorization: `Bearer ${old.key}` };
    expect((await gateway.post(SEARCH, {}, beta)).body.data!.searchTracks.source).toBe('beta');
    const { body } = await gateway.post(ROTATE, { s: 'beta' }, admin);
    const issued = body.data!.rotateSourceKey;
    expect(issued.key).toMatch(/^mk_beta_/);
    expect(issued.apiKey).toMatchObject({ scope: 'beta', active: true, prefix: issued.key.slice(0, issued.apiKey.prefix.length) });
    expect((await gateway.post(SEARCH, {}, beta)).status).toBe(401);
    const fresh = await gateway.post(SEARCH, {}, { authorization: `Bearer ${issued.key}` });
    expect(fresh.body.data!.searchTracks.source).toBe('beta');
    const listed = await gateway.post(SOURCES, {}, admin);
    const betaRow = (listed.body.data!.sources as any[]).find((s) => s.id === 'beta');
    expect(betaRow.keyPrefix).toBe(issued.apiKey.prefix);
    expect(betaRow.keys.map((k: any) => [k.id, k.active])).toEqual([
      [old.apiKey.id, false],
      [issued.apiKey.id, true],
    ]);
  });

  it('deactivates a source: its key is refused and the admin chain skips it; reactivating restores both', async () => {
    const off = await gateway.post(SET_STATUS, { s: 'alpha', st: 'INACTIVE' }, admin);
    expect(off.body.data!.setSourceStatus).toEqual({ id: 'alpha', status: 'INACTIVE' });
    const refused = await gateway.post(SEARCH, {}, alpha);
    expect(refused.status).toBe(403);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('SOURCE_INACTIVE');
    expect((await gateway.post(SEARCH, {}, admin)).body.data!.searchTracks.source).toBe('beta');

    await gateway.post(SET_STATUS, { s: 'alpha', st: 'ACTIVE' }, admin);
    expect((await gateway.post(SEARCH, {}, alpha)).body.data!.searchTracks.source).toBe('alpha');
    expect((await gateway.post(SEARCH, {}, admin)).body.data!.searchTracks.source).toBe('alpha');
  });

  it('creates and revokes an extra key', async () => {
    const created = await gateway.post('mutation { createSourceKey(sourceId: "alpha", label: "App móvil") { key apiKey { id label } } }', {}, admin);
    const { key, apiKey } = created.body.data!.createSourceKey;
    expect(apiKey.label).toBe('App móvil');
    const mobile = { authorization: `Bearer ${key}` };
    expect((await gateway.post(VIEWER, {}, mobile)).body.data!.viewer.label).toBe('App móvil');
    const revoked = await gateway.post(`mutation { revokeKey(keyId: "${apiKey.id}") { id active revokedAt } }`, {}, admin);
    expect(revoked.body.data!.revokeKey).toMatchObject({ id: apiKey.id, active: false });
    expect((await gateway.post(VIEWER, {}, mobile)).status).toBe(401);
    // The original alpha key is untouched.
    expect((await gateway.post(VIEWER, {}, alpha)).status).toBe(200);
  });
});
