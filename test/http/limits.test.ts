import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COST } from '../../src/schema/cost.js';
import { startGateway, type GraphQLBody, type TestGateway } from '../support/gateway.js';
import { startReplayServer, type ReplayServer } from '../support/replayServer.js';
import { results, searchProvider } from '../support/testProviders.js';

/** A limit small enough to reach with one search: 3 for the search + 10 covers × 2. */
const MAX_COST = COST.SEARCH + 10 * COST.COVER;

describe('limits on what one request may ask', () => {
  let replay: ReplayServer;
  let gateway: TestGateway;

  beforeAll(async () => {
    replay = await startReplayServer({ extraHosts: ['alpha.test'] });
    gateway = await startGateway({
      factories: [searchProvider('alpha')],
      replay,
      env: { CHAIN_SEARCH_TRACKS: 'alpha', MAX_QUERY_COST: String(MAX_COST) },
    });
  });
  afterAll(async () => {
    await gateway.close();
    await replay.close();
  });

  async function post(query: string, headers: Record<string, string> = {}): Promise<{ status: number; type: string; body: GraphQLBody<any> }> {
    const response = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query }),
    });
    return { status: response.status, type: response.headers.get('content-type') ?? '', body: (await response.json()) as GraphQLBody<any> };
  }

  describe('static cost (MAX_QUERY_COST)', () => {
    it('runs an operation that costs exactly the limit', async () => {
      replay.route('GET', 'https://alpha.test/search?q=justo&limit=10', { body: results('Justo') });
      const before = replay.count();
      const { status, body } = await gateway.query('{ searchTracks(query: "justo", first: 10) { nodes { title cover { small } } } }');
      expect(status).toBe(200);
      expect(body.errors).toBeUndefined();
      expect(body.data.searchTracks.nodes[0].title).toBe('Justo');
      expect(replay.count() - before).toBe(1);
    });

    it('refuses one unit more with QUERY_TOO_COMPLEX, naming cost and limit, before any upstream call', async () => {
      const before = replay.count();
      const { status, body } = await gateway.query('{ searchTracks(query: "caro", first: 11) { nodes { title cover { small } } } }');
      expect(status).toBe(400);
      expect(body.data).toBeUndefined();
      expect(body.errors).toHaveLength(1);
      const [error] = body.errors!;
      expect(error!.extensions!.code).toBe('QUERY_TOO_COMPLEX');
      expect(error!.extensions!.cost).toBe(MAX_COST + COST.COVER);
      expect(error!.extensions!.maxCost).toBe(MAX_COST);
      expect(error!.message).toContain(`cost ${MAX_COST + COST.COVER}, over the limit of ${MAX_COST}`);
      expect(body.extensions!.sources).toEqual([]);
      expect(replay.count() - before).toBe(0);
    });

    it('prices each alias, so cheap searches add up past the limit and none of them runs', async () => {
      const aliases = Array.from({ length: 8 }, (_, i) => `a${i}: searchTracks(query: "alias${i}") { source }`).join(' ');
      const before = replay.count();
      const { status, body } = await gateway.query(`{ ${aliases} }`);
      expect(status).toBe(400);
      expect(body.errors![0]!.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', cost: 8 * COST.SEARCH });
      expect(replay.count() - before).toBe(0);
    });

    it('answers a GraphQL-over-HTTP client in its own media type, with 400', async () => {
      const { status, type, body } = await post('{ searchTracks(query: "caro", first: 50) { nodes { cover { small } } } }', {
        accept: 'application/graphql-response+json',
      });
      expect(status).toBe(400);
      expect(type).toMatch(/^application\/graphql-response\+json/);
      expect(body.errors![0]!.extensions!.code).toBe('QUERY_TOO_COMPLEX');
    });

    it('prices the same document again for other variables: a price remembered for first 10 lets no first 11 through', async () => {
      replay.route('GET', 'https://alpha.test/search?q=vuelta&limit=10', { body: results('Vuelta') });
      const document = 'query Page($n: Int) { searchTracks(query: "vuelta", first: $n) { nodes { title cover { small } } } }';
      const cheap = await gateway.query(document, { n: 10 });
      expect(cheap.status).toBe(200);
      expect(cheap.body.errors).toBeUndefined();
      const before = replay.count();
      const dear = await gateway.query(document, { n: 11 });
      expect(dear.status).toBe(400);
      expect(dear.body.errors![0]!.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', cost: MAX_COST + COST.COVER });
      expect(replay.count() - before).toBe(0);
      const again = await gateway.query(document, { n: 10 });
      expect(again.body.errors).toBeUndefined();
    });

    it('tells caches not to keep an answer, refused or not (answers depend on the key and on live sources)', async () => {
      for (const query of ['{ __typename }', '{ searchTracks(query: "caro", first: 50) { nodes { cover { small } } } }']) {
        const response = await fetch(`${gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
        await response.arrayBuffer();
        expect(response.headers.get('cache-control')).toBe('no-store');
      }
    });

    it('refuses variables that do not fit the operation as BAD_USER_INPUT, not as an internal error', async () => {
      const before = replay.count();
      const { status, body } = await gateway.query('query Q($n: Int!) { searchTracks(query: "x", first: $n) { source } }', {});
      expect(status).toBe(400);
      expect(body.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
      expect(body.errors![0]!.message).toContain('$n');
      expect(replay.count() - before).toBe(0);
    });
  });

  describe('introspection', () => {
    it('lets the standard introspection query through (GraphiQL Docs, codegen): free and exempt from the depth limit', async () => {
      // The plain query, and the fullest variant GraphiQL or codegen tools may send.
      const fullest = getIntrospectionQuery({ inputValueDeprecation: true, schemaDescription: true, specifiedByUrl: true, directiveIsRepeatable: true, oneOf: true });
      for (const query of [getIntrospectionQuery(), fullest]) {
        const { status, body } = await post(query);
        expect(status).toBe(200);
        expect(body.errors).toBeUndefined();
        expect(body.data.__schema.queryType.name).toBe('Query');
        expect(body.data.__schema.types.map((type: { name: string }) => type.name)).toContain('Track');
      }
    });

    it('still refuses introspection that cycles through types (graphql-js MaxIntrospectionDepthRule)', async () => {
      const { status, body } = await post('{ __schema { types { fields { type { fields { type { fields { type { fields { name } } } } } } } } } }');
      expect(status).toBe(400);
      expect(body.errors![0]!.extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(body.errors![0]!.message).toMatch(/introspection/i);
    });
  });

  describe('document shape, refused before validation', () => {
    /** graphql-js's OverlappingFieldsCanBeMerged reports this pair; seeing no such report means the rule never ran. */
    const CONFLICT = 'same: title same: artist';
    const conflictReported = (body: GraphQLBody<unknown>) => body.errors!.some((error) => /conflict/i.test(error.message));

    it('reports a conflicting alias pair when the document is small (so its absence below means something)', async () => {
      const { status, body } = await post(`{ searchTracks(query: "x") { nodes { ${CONFLICT} } } }`);
      expect(status).toBe(400);
      expect(conflictReported(body)).toBe(true);
    });

    it('refuses 3,700 repeated fields by counting selections, before graphql-js\'s own validation rules run', async () => {
      const flood = `{ searchTracks(query: "x") { nodes { ${CONFLICT} ${'title '.repeat(3700)}} } }`;
      const before = replay.count();
      const { status, body } = await post(flood);
      expect(status).toBe(400);
      expect(body.errors).toHaveLength(1);
      expect(body.errors![0]!.extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'MAX_QUERY_SELECTIONS' });
      expect(body.errors![0]!.message).toMatch(/more than 1000 fields/);
      expect(conflictReported(body)).toBe(false);
      expect(replay.count() - before).toBe(0);
    });

    it('refuses the same document again on every request, each time in the language that request asks for', async () => {
      const flood = `{ searchTracks(query: "x") { nodes { ${'title '.repeat(1100)}} } }`;
      for (const [language, message] of [
        ['es', /más de 1000 campos/],
        ['en', /more than 1000 fields/],
        ['es', /más de 1000 campos/],
      ] as const) {
        const { status, body } = await post(flood, { 'accept-language': language });
        expect(status).toBe(400);
        expect(body.errors![0]!.extensions!.limit).toBe('MAX_QUERY_SELECTIONS');
        expect(body.errors![0]!.message).toMatch(message);
      }
    });

    it('counts a fragment wherever it is spread', async () => {
      const fields = Array.from({ length: 40 }, (_, i) => `f${i}: title`).join(' ');
      const spreads = Array.from({ length: 30 }, (_, i) => `...F${i}`).join(' ');
      const fragments = Array.from({ length: 30 }, (_, i) => `fragment F${i} on Track { ${fields} }`).join(' ');
      const { status, body } = await post(`{ searchTracks(query: "x") { nodes { ${CONFLICT} ${spreads} } } } ${fragments}`);
      expect(status).toBe(400);
      expect(body.errors![0]!.extensions!.limit).toBe('MAX_QUERY_SELECTIONS');
      expect(conflictReported(body)).toBe(false);
    });

    it('counts the fields of a fragment no operation spreads (graphql-js compares them as well)', async () => {
      const { status, body } = await post(`{ __typename } fragment Unused on Query { ${'__typename '.repeat(1100)}}`);
      expect(status).toBe(400);
      expect(body.errors![0]!.extensions!.limit).toBe('MAX_QUERY_SELECTIONS');
    });

    it('refuses a document of 1,500 aliases (under the 64 kB body limit) while parsing, at the token limit', async () => {
      const query = `{ ${Array.from({ length: 1500 }, (_, i) => `a${i}:searchTracks(query:"x"){source}`).join(' ')} }`;
      expect(JSON.stringify({ query }).length).toBeLessThan(64 * 1024);
      const before = replay.count();
      const { status, body } = await post(query);
      expect(status).toBe(400);
      expect(body.errors).toHaveLength(1);
      expect(body.errors![0]!.extensions!.code).toBe('GRAPHQL_PARSE_FAILED');
      expect(body.errors![0]!.message).toMatch(/Document contains more th\w+ 5000 tokens/);
      expect(replay.count() - before).toBe(0);
    });

    it('refuses more aliases than MAX_QUERY_ALIASES before validation, and before pricing', async () => {
      const aliases = Array.from({ length: 21 }, (_, i) => `a${i}: searchTracks(query: "x") { source }`).join(' ');
      const { status, body } = await post(`{ ${aliases} searchTracks(query: "x") { nodes { ${CONFLICT} } } }`);
      expect(status).toBe(400);
      expect(body.errors).toHaveLength(1);
      expect(body.errors![0]!.extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'MAX_QUERY_ALIASES' });
      expect(body.errors![0]!.message).toMatch(/Aliases limit of 20 exceeded, found 23/);
      expect(conflictReported(body)).toBe(false);
    });

    it('refuses a query nested 11 levels deep, also through fragments and inline fragments', async () => {
      const before = replay.count();
      const deep = '{ searchTracks(query: "x") { nodes { album { tracks { album { tracks { album { tracks { album { tracks { title } } } } } } } } } } }';
      const { status, body } = await post(deep);
      expect(status).toBe(400);
      expect(body.errors![0]!.extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'MAX_QUERY_DEPTH' });
      expect(body.errors![0]!.message).toMatch(/depth limit of 10 exceeded, found 11/);
      expect(replay.count() - before).toBe(0);
      const viaFragments = await post(
        'query { searchTracks(query: "x") { nodes { ...T } } } fragment T on Track { ... on Track { album { tracks { album { tracks { album { tracks { album { tracks { title } } } } } } } } } }',
      );
      expect(viaFragments.body.errors![0]!.message).toMatch(/depth limit of 10 exceeded, found 11/);
      // Ten levels are allowed.
      const ten = await post('{ searchTracks(query: "x") { nodes { album { tracks { album { tracks { album { tracks { album { title } } } } } } } } } }');
      expect(ten.body.errors?.[0]?.extensions?.limit).toBeUndefined();
    });

    it('applies the same limits to GET requests', async () => {
      const query = `{ searchTracks(query: "x") { nodes { ${'title '.repeat(1100)}} } }`;
      const response = await fetch(`${gateway.url}/graphql?query=${encodeURIComponent(query)}`, {
        headers: { accept: 'application/json', 'apollo-require-preflight': 'true' },
      });
      expect(response.status).toBe(400);
      const body = (await response.json()) as GraphQLBody<unknown>;
      expect(body.errors![0]!.extensions!.limit).toBe('MAX_QUERY_SELECTIONS');
    });
  });
});
