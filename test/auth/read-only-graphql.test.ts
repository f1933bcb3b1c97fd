import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApiSchema } from '../../src/schema/index.js';
import { getNamedType, isEnumType, isNonNullType, type GraphQLInputType } from 'graphql';
import { startReplayServer, type ReplayServer } from '../support/replayServer.js';
import { results, searchProvider } from '../support/testProviders.js';
import { startKeyedGateway, type KeyedGateway } from './gateway.js';

const CREATE_READ_ONLY = 'mutation { createSourceKey(sourceId: "*", label: "Panel Flask", readOnly: true) { key apiKey { id scope readOnly label active } } }';
const VIEWER = '{ viewer { keyId scope isAdmin readOnly allowedSources } }';

/** A value of the right type for an argument, so a mutation validates and reaches the read-only rule. */
function sampleValue(type: GraphQLInputType): string {
  const named = getNamedType(type);
  if (isEnumType(named)) return named.getValues()[0]!.name;
  if (named.name === 'Boolean') return 'false';
  if (named.name === 'Int' || named.name === 'Float') return '1';
  return '"alpha"';
}

describe('read-only admin keys over GraphQL', () => {
  let replay: ReplayServer;
  let gateway: KeyedGateway;
  let admin: Record<string, string>;
  let panel: Record<string, string>;
  let panelKeyId: string;

  beforeAll(async () => {
    replay = await startReplayServer({ extraHosts: ['alpha.test'] });
    replay.route('GET', 'https://alpha.test/search?q=tangos&limit=5', { body: results('Tangos de alpha') });
    gateway = await startKeyedGateway({ factories: [searchProvider('alpha')], replay, env: { CHAIN_SEARCH_TRACKS: 'alpha' } });
    admin = { authorization: `Bearer ${gateway.keys.get('*')!.key}` };
    const created = await gateway.post(CREATE_READ_ONLY, {}, admin);
    expect(created.body.errors).toBeUndefined();
    const { key, apiKey } = created.body.data!.createSourceKey;
    expect(key).toMatch(/^mk_readonly_/);
    expect(apiKey).toMatchObject({ scope: '*', readOnly: true, label: 'Panel Flask', active: true });
    panel = { authorization: `Bearer ${key}` };
    panelKeyId = apiKey.id;
  });
  afterAll(async () => {
    await gateway?.close();
    await replay?.close();
  });

  it('tells the viewer it is an admin key that is read-only; a full admin key is not', async () => {
    expect((await gateway.post(VIEWER, {}, panel)).body.data!.viewer).toEqual({
      keyId: panelKeyId,
      scope: '*',
      isAdmin: true,
      readOnly: true,
      allowedSources: ['alpha'],
    });
    expect((await gateway.post(VIEWER, {}, admin)).body.data!.viewer).toMatchObject({ isAdmin: true, readOnly: false });
  });

  it('reads what an admin reads: sources with keys, every key, usage, searches and metrics', async () => {
    const sources = await gateway.post('{ sources { id usage { requestsTotal } keys { id readOnly } } }', {}, panel);
    expect(sources.body.errors).toBeUndefined();
    expect(sources.body.data!.sources.map((s: any) => s.id)).toEqual(['alpha']);
    const keys = await gateway.post('{ apiKeys(scope: "*") { id readOnly active } }', {}, panel);
    expect(keys.body.data!.apiKeys).toEqual([
      { id: gateway.keys.get('*')!.apiKey.id, readOnly: false, active: true },
      { id: panelKeyId, readOnly: true, active: true },
    ]);
    const search = await gateway.post('{ searchTracks(query: "tangos", first: 5) { source } }', {}, panel);
    expect(search.body.data!.searchTracks.source).toBe('alpha');
    const metrics = await fetch(`${gateway.url}/metrics`, { headers: panel });
    expect(metrics.status).toBe(200);
  });

  it('is refused every mutation of the schema with FORBIDDEN, and nothing changes', async () => {
    const schema = await buildApiSchema();
    const mutations = Object.values(schema.getMutationType()!.getFields());
    expect(mutations.map((field) => field.name)).toEqual(expect.arrayContaining(['createSourceKey', 'rotateSourceKey', 'revokeKey', 'setSourceStatus', 'prepareDownload']));
    // Everything a mutation could change; last_used_at moves with every request and is not a change.
    const KEYS = 'SELECT id, scope, label, prefix, hash, created_at, revoked_at, replaced_by, read_only FROM api_keys ORDER BY id';
    const before = await gateway.db.all(KEYS);
    const sourcesBefore = await gateway.db.all('SELECT * FROM sources ORDER BY id');
    for (const field of mutations) {
      const args = field.args.filter((arg) => isNonNullType(arg.type) || arg.name === 'readOnly');
      const argList = args.length ? `(${args.map((arg) => `${arg.name}: ${sampleValue(arg.type)}`).join(', ')})` : '';
      const selection = getNamedType(field.type).toString() === 'Boolean' ? '' : ' { __typename }';
      const query = `mutation { ${field.name}${argList}${selection} }`;
      const { status, body } = await gateway.post(query, {}, panel);
      expect(body.errors?.map((error) => error.extensions?.code), query).toEqual(['FORBIDDEN']);
      expect(body.data ?? null, query).toBeNull();
      expect(status, query).toBe(403);
    }
    expect(await gateway.db.all(KEYS)).toEqual(before);
    expect(await gateway.db.all('SELECT * FROM sources ORDER BY id')).toEqual(sourcesBefore);
  });

  it('lets only a full admin key issue read-only keys', async () => {
    const alpha = { authorization: `Bearer ${gateway.keys.get('alpha')!.key}` };
    expect((await gateway.post(CREATE_READ_ONLY, {}, alpha)).body.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    const sourceReadOnly = await gateway.post('mutation { createSourceKey(sourceId: "alpha", readOnly: true) { key } }', {}, admin);
    expect(sourceReadOnly.body.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  });

  it('stops working at once when a full admin key revokes it', async () => {
    const created = await gateway.post(CREATE_READ_ONLY, {}, admin);
    const { key, apiKey } = created.body.data!.createSourceKey;
    const other = { authorization: `Bearer ${key}` };
    expect((await gateway.post(VIEWER, {}, other)).status).toBe(200);
    const revoked = await gateway.post(`mutation { revokeKey(keyId: "${apiKey.id}") { active readOnly } }`, {}, admin);
    expect(revoked.body.data!.revokeKey).toEqual({ active: false, readOnly: true });
    expect((await gateway.post(VIEWER, {}, other)).status).toBe(401);
  });
});
