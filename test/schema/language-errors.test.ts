import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SourceError } from '../../src/errors/source.js';
import type { ProviderFactory } from '../../src/providers/types.js';
import { startKeyedGateway, type KeyedGateway } from '../auth/gateway.js';
import { startReplayServer, type ReplayServer } from '../support/replayServer.js';
import { startGateway, type GraphQLBody, type TestGateway } from '../support/gateway.js';
import { results, searchProvider } from '../support/testProviders.js';

/**
 * The API answers in Spanish when the request prefers it (`Accept-Language: es…`) and in English
 * otherwise: every error code of the API's own, through the whole gateway, in both languages.
 * graphql-js's own parse and validation messages stay English on purpose.
 */
const SPANISH = 'es-ES,es;q=0.9';

type Language = 'es' | 'en';
const HEADERS: Record<Language, string | null> = { es: SPANISH, en: null };

async function ask(
  url: string,
  query: string,
  options: { language?: string | null; key?: string; variables?: Record<string, unknown> } = {},
): Promise<{ status: number; body: GraphQLBody<any> }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.language) headers['accept-language'] = options.language;
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  const response = await fetch(`${url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables: options.variables }) });
  return { status: response.status, body: (await response.json()) as GraphQLBody<any> };
}

/** The first error, which each case below expects; its message in the language asked. */
function firstError(body: GraphQLBody<any>): { message: string; code: string } {
  expect(body.errors, JSON.stringify(body)).toBeDefined();
  const [error] = body.errors!;
  return { message: error!.message, code: error!.extensions!.code };
}

describe('error messages in the language of the request', () => {
  let replay: ReplayServer;
  let gateway: TestGateway;

  beforeAll(async () => {
    replay = await startReplayServer({ extraHosts: ['alpha.test', 'beta.test'] });
    gateway = await startGateway({
      factories: [searchProvider('alpha'), searchProvider('beta')],
      replay,
      env: { CHAIN_SEARCH_TRACKS: 'alpha,beta', BREAKER_THRESHOLD: '1000' },
    });
  });
  afterAll(async () => {
    await gateway.close();
    await replay.close();
  });
  afterEach(() => {
    replay.reset();
    gateway.access.statuses.clear();
  });

  const cases: { name: string; code: string; query: string; key?: string; status?: number; en: string; es: string; setup?: () => void }[] = [
    {
      name: 'an empty search (input)',
      code: 'BAD_USER_INPUT',
      query: '{ searchTracks(query: "   ") { source } }',
      en: '"query" must not be empty.',
      es: '«query» no puede estar vacío.',
    },
    {
      name: 'a cursor the API never handed out',
      code: 'BAD_USER_INPUT',
      query: '{ searchTracks(query: "malamente", after: "nope") { source } }',
      en: '"after" is not a cursor returned by this API.',
      es: '«after» no es un cursor devuelto por esta API.',
    },
    {
      name: 'an id of a source that does not exist',
      code: 'BAD_USER_INPUT',
      query: '{ track(id: "spotify:track:1") { title } }',
      en: 'Unknown source "spotify" in id "spotify:track:1".',
      es: 'El id «spotify:track:1» nombra una fuente que no existe: «spotify».',
    },
    {
      name: 'a track its source does not have',
      code: 'NOT_FOUND',
      query: '{ track(id: "alpha:track:404") { title } }',
      setup: () => replay.route('GET', 'https://alpha.test/track/404', { status: 404, body: '{"error":"not found"}' }),
      en: 'Test alpha has no such item (track).',
      es: 'Test alpha no tiene ese elemento (track).',
    },
    {
      name: 'every source down',
      code: 'SOURCES_UNAVAILABLE',
      query: '{ searchTracks(query: "todo caído") { source } }',
      setup: () =>
        void replay.intercept((_request, response) => {
          response.writeHead(503).end();
          return true;
        }),
      en: 'No source could answer searchTracks: alpha unavailable, beta unavailable.',
      es: 'Ninguna fuente ha podido responder a searchTracks: alpha unavailable, beta unavailable.',
    },
    {
      name: "a source key asking for another source",
      code: 'FORBIDDEN',
      key: 'alpha',
      query: '{ searchTracks(query: "malamente", source: "beta") { source } }',
      en: 'This key may only use the source "alpha"; it cannot use Test beta (beta).',
      es: 'Esta clave solo puede usar la fuente «alpha»; no puede usar Test beta (beta).',
    },
    {
      name: 'an inactive source',
      code: 'SOURCE_INACTIVE',
      query: '{ searchTracks(query: "malamente", source: "beta") { source } }',
      setup: () => gateway.access.statuses.set('beta', 'inactive'),
      en: 'The source Test beta (beta) is inactive.',
      es: 'La fuente Test beta (beta) está desactivada.',
    },
    {
      name: 'a download on a server without downloads',
      code: 'DOWNLOAD_UNAVAILABLE',
      query: 'mutation { prepareDownload(trackId: "alpha:track:1") { id } }',
      en: 'Downloads are not enabled on this server.',
      es: 'Las descargas no están activadas en este servidor.',
    },
    {
      name: 'an unknown key, refused before GraphQL runs',
      code: 'UNAUTHENTICATED',
      key: 'invalid',
      status: 401,
      query: '{ searchTracks(query: "malamente") { source } }',
      en: 'Unknown or revoked API key.',
      es: 'Esta clave de API no existe o ha sido revocada.',
    },
  ];

  for (const language of ['es', 'en'] as const) {
    it.each(cases)(`${language}: $code for $name`, async ({ code, query, key, status, setup, ...messages }) => {
      setup?.();
      const answer = await ask(gateway.url, query, { language: HEADERS[language], key });
      if (status) expect(answer.status).toBe(status);
      expect(firstError(answer.body)).toEqual({ code, message: messages[language] });
    });
  }

  it('reads the most preferred language of the header: Spanish only when Spanish comes first', async () => {
    const query = '{ searchTracks(query: "") { source } }';
    const spanish = '«query» no puede estar vacío.';
    const english = '"query" must not be empty.';
    const header = async (value: string | null) => firstError((await ask(gateway.url, query, { language: value })).body).message;
    expect(await header('es')).toBe(spanish);
    expect(await header('es-MX')).toBe(spanish);
    expect(await header('en-US,en;q=0.9,es;q=0.8')).toBe(english);
    expect(await header('en;q=0.5,es;q=0.9')).toBe(spanish);
    expect(await header('fr-FR')).toBe(english);
    expect(await header(null)).toBe(english);
  });

  it('keeps the extensions as they are, whatever the language', async () => {
    replay.intercept((_request, response) => {
      response.writeHead(503).end();
      return true;
    });
    const es = (await ask(gateway.url, '{ searchTracks(query: "caído otra vez") { source } }', { language: SPANISH })).body.errors![0]!;
    const en = (await ask(gateway.url, '{ searchTracks(query: "caído otra vez") { source } }')).body.errors![0]!;
    expect(es.message).not.toBe(en.message);
    const withoutTimes = (extensions: Record<string, any>) => ({ ...extensions, attempts: extensions.attempts.map(({ ms: _ms, ...attempt }: { ms: number }) => attempt) });
    expect(withoutTimes(es.extensions!)).toEqual(withoutTimes(en.extensions!));
    expect(es.path).toEqual(['searchTracks']);
  });

  it("leaves graphql-js's own validation messages in English", async () => {
    const { body } = await ask(gateway.url, '{ nope }', { language: SPANISH });
    expect(firstError(body)).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED', message: expect.stringMatching(/^Cannot query field "nope" on type "Query"\./) });
  });

  it('answers /metrics refusals in the language of the request too', async () => {
    const refused = await fetch(`${gateway.url}/metrics`, { headers: { authorization: 'Bearer alpha', 'accept-language': SPANISH } });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toBe('Solo la clave de administración puede leer las métricas.\n');
    const unknown = await fetch(`${gateway.url}/metrics`, { headers: { authorization: 'Bearer invalid' } });
    expect(await unknown.text()).toBe('Unknown or revoked API key.\n');
  });
});

/** A source that reports the request's deadline as an upstream call does when it passes. */
const lateSource: ProviderFactory = (deps) => ({
  ...searchProvider('late')(deps),
  async searchTracks() {
    throw new SourceError('late', 'DEADLINE_EXCEEDED', "the request's deadline of 100 ms passed");
  },
});

describe('request limits in the language of the request', () => {
  let replay: ReplayServer;
  let gateway: TestGateway;

  beforeAll(async () => {
    replay = await startReplayServer({ extraHosts: ['alpha.test'] });
    gateway = await startGateway({
      factories: [searchProvider('alpha'), lateSource],
      replay,
      env: { CHAIN_SEARCH_TRACKS: 'alpha', MAX_QUERY_COST: '10', MAX_QUERY_ALIASES: '5', MAX_UPSTREAM_CALLS_PER_REQUEST: '1' },
    });
  });
  afterAll(async () => {
    await gateway.close();
    await replay.close();
  });
  afterEach(() => replay.reset());

  it.each(['es', 'en'] as const)('%s: BUDGET_EXCEEDED once the request has spent its upstream calls', async (language) => {
    // One call allowed: one search is answered, the other is refused. Different words per
    // language keep the first run's answers out of the second's way.
    replay.route('GET', `https://alpha.test/search?q=uno-${language}&limit=10`, { body: results('Uno') });
    replay.route('GET', `https://alpha.test/search?q=dos-${language}&limit=10`, { body: results('Dos') });
    const { body } = await ask(gateway.url, `{ a: searchTracks(query: "uno-${language}") { source } b: searchTracks(query: "dos-${language}") { source } }`, {
      language: HEADERS[language],
    });
    expect(body.errors).toHaveLength(1);
    expect(firstError(body)).toEqual({
      code: 'BUDGET_EXCEEDED',
      message: {
        es: 'La petición ha agotado su cupo de llamadas a las fuentes; no se ha consultado searchTracks.',
        en: 'This request has used up its upstream-call budget; searchTracks was not asked.',
      }[language],
    });
  });

  it.each(['es', 'en'] as const)('%s: DEADLINE_EXCEEDED when the deadline passes before a source answers', async (language) => {
    const { body } = await ask(gateway.url, '{ searchTracks(query: "tarde", source: "late") { source } }', { language: HEADERS[language] });
    expect(firstError(body)).toEqual({
      code: 'DEADLINE_EXCEEDED',
      message: {
        es: 'La petición se ha quedado sin tiempo antes de poder responder a searchTracks.',
        en: 'This request ran out of time before searchTracks could be answered.',
      }[language],
    });
  });

  it.each(['es', 'en'] as const)('%s: QUERY_TOO_COMPLEX names the cost and the limit', async (language) => {
    const query = `{ ${['a', 'b', 'c', 'd'].map((alias) => `${alias}: searchTracks(query: "${alias}") { source }`).join(' ')} }`;
    const { status, body } = await ask(gateway.url, query, { language: HEADERS[language] });
    expect(status).toBe(400);
    const { cost } = body.errors![0]!.extensions!;
    expect(cost).toBeGreaterThan(10);
    expect(firstError(body)).toEqual({
      code: 'QUERY_TOO_COMPLEX',
      message: {
        es:
          `La petición costaría ${cost}, por encima del límite de 10 (más o menos una unidad por cada llamada a una fuente de música). ` +
          'Pide menos elementos (`first`), menos alias o menos campos que consulten otras fuentes (cover, lyrics, biography, album, …).',
        en:
          `This request would cost ${cost}, over the limit of 10 (about one unit per call to a music source). ` +
          'Ask for fewer items (`first`), fewer aliases, or fewer fields that reach other sources (cover, lyrics, biography, album, …).',
      }[language],
    });
  });

  it.each(['es', 'en'] as const)('%s: a document over the alias limit, refused before GraphQL runs', async (language) => {
    const query = `{ ${['a', 'b', 'c', 'd', 'e', 'f'].map((alias) => `${alias}: viewer { scope }`).join(' ')} }`;
    const { status, body } = await ask(gateway.url, query, { language: HEADERS[language] });
    expect(status).toBe(400);
    expect(firstError(body)).toEqual({
      code: 'GRAPHQL_VALIDATION_FAILED',
      message: {
        es: 'La operación usa más de 5 alias (tiene 6). Cada alias vuelve a ejecutar su campo; divide la petición.',
        en: 'Aliases limit of 5 exceeded, found 6. Each alias runs its field again; split the request.',
      }[language],
    });
  });
});

describe('keys refused in the language of the request (real keys registry)', () => {
  let gateway: KeyedGateway;

  beforeAll(async () => {
    gateway = await startKeyedGateway({ factories: [searchProvider('alpha')] });
  });
  afterAll(async () => {
    await gateway.close();
  });

  it('a request without a key: UNAUTHENTICATED, 401, before GraphQL runs', async () => {
    const es = await gateway.post('{ viewer { scope } }', {}, { 'accept-language': SPANISH });
    expect(es.status).toBe(401);
    expect(es.body.errors![0]).toMatchObject({
      message: 'Hace falta una clave de API: envíala como «Authorization: Bearer <clave>» o «X-API-Key: <clave>».',
      extensions: { code: 'UNAUTHENTICATED' },
    });
    const en = await gateway.post('{ viewer { scope } }');
    expect(en.body.errors![0]!.message).toBe('An API key is required: send "Authorization: Bearer <key>" or "X-API-Key: <key>".');
  });

  it('a key of an inactive source: SOURCE_INACTIVE, 403, before GraphQL runs', async () => {
    const key = gateway.keys.get('alpha')!.key;
    await gateway.auth.setSourceStatus('alpha', 'inactive');
    try {
      const es = await gateway.post('{ viewer { scope } }', {}, { authorization: `Bearer ${key}`, 'accept-language': SPANISH });
      expect(es.status).toBe(403);
      expect(es.body.errors![0]).toMatchObject({ message: 'La fuente «alpha» está desactivada.', extensions: { code: 'SOURCE_INACTIVE', source: 'alpha' } });
      const en = await gateway.post('{ viewer { scope } }', {}, { authorization: `Bearer ${key}` });
      expect(en.body.errors![0]!.message).toBe('The source "alpha" is inactive.');
    } finally {
      await gateway.auth.setSourceStatus('alpha', 'active');
    }
  });

  it('a read-only admin key running a mutation: FORBIDDEN', async () => {
    const issued = await gateway.auth.createKey('*', 'Panel', { readOnly: true });
    const mutation = 'mutation { setSourceStatus(sourceId: "alpha", status: INACTIVE) { id } }';
    const es = await gateway.post(mutation, {}, { authorization: `Bearer ${issued.key}`, 'accept-language': SPANISH });
    expect(es.body.errors![0]).toMatchObject({
      message: 'Esta clave de administración es de solo lectura: puede consultarlo todo, pero no ejecutar mutaciones.',
      extensions: { code: 'FORBIDDEN' },
    });
    const en = await gateway.post(mutation, {}, { authorization: `Bearer ${issued.key}` });
    expect(en.body.errors![0]!.message).toBe('This admin key is read-only: it may read everything but cannot run mutations.');
  });
});
