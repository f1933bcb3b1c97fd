import type { ServerResponse } from 'node:http';
import { describe, it, type ExpectStatic } from 'vitest';
import { loadConfig, type AppConfig } from '../../src/config.js';
import { createMemoryCache } from '../../src/cache/store.js';
import { isSourceError, type SourceErrorKind } from '../../src/errors/source.js';
import { createClientFactory } from '../../src/http/upstream.js';
import { silentLogger } from '../../src/logger.js';
import { CAPABILITIES, type CallContext, type NativeRef, type Provider, type ProviderFactory } from '../../src/providers/types.js';
import { callContext } from './providerHarness.js';
import { traced } from '../../src/catalog/traced.js';
import type Keyv from 'keyv';
import { startReplayServer, type Interceptor, type ReplayServer } from './replayServer.js';

/**
 * Behaviour every source must share, whatever it wraps: run once per provider in the registry
 * (test/providers/contract.test.ts), like `test/db/contract.ts` is for databases. Every request
 * goes to a local replay server whose interceptors play the upstream: a failing one, a page of
 * the wrong kind, a hostile body. Rate limits are lifted and retries off, so the run is quick.
 *
 * Rules (their ids name them in `knownFailures`):
 *  - `id-kinds`        declared id kinds and implemented lookups agree, both ways
 *  - `parse-url`       `parseUrl` names entities of declared kinds, and nothing for foreign links
 *  - `unconfigured`    with a credential missing, every call is UNCONFIGURED and nothing is sent
 *  - `malformed-ids`   ids of a foreign kind or that cannot be the source's are NOT_FOUND, unsent
 *  - `foreign-cursor`  a cursor the source never handed out is BAD_INPUT, unsent
 *  - `unavailable`     an upstream 5xx is UNAVAILABLE
 *  - `html-page`       an HTML page sent with status 200 where data was expected is BAD_RESPONSE
 *  - `scalar-body`     a bare JSON string or null is refused (a SourceError), not read as "nothing"
 *  - `typed-errors`    hostile bodies (HTML, truncated JSON, wrong types, lists of wrong items,
 *                      huge arrays, deep nesting) end in a result or a SourceError, never a
 *                      TypeError or RangeError
 *  - `nothing-cached`  after a body was refused (any SourceError but NOT_FOUND), the same call
 *                      goes upstream again
 */

export type Entity = 'track' | 'album' | 'artist';

export interface ContractSubject {
  factory: ProviderFactory;
  /** Values for the provider's credentials (any non-blank value; nothing leaves the machine). */
  env?: Record<string, string>;
  /** A well-formed id of each entity the source looks up, so calls reach the (replayed) network. */
  refs?: Partial<Record<Entity, NativeRef>>;
  /** Ids of a declared kind that the source can tell, without asking, are not its own. */
  malformedIds?: Partial<Record<Entity, string[]>>;
  /** Links to the source's own entity pages (`parseUrl`), with the entity each names. */
  ownUrls?: { url: string; entity: Entity }[];
  /**
   * Rules known to fail, as `<rule>` or `<rule>/<call>` → why. They run as expected failures:
   * once fixed, the test fails until the entry is removed, so this list cannot go stale.
   */
  knownFailures?: Record<string, string>;
}

/** Calls the suite makes: the capabilities plus batch lookups and download resolution. */
export type CallName = (typeof CAPABILITIES)[number] | 'tracksByIds' | 'albumsByIds' | 'artistsByIds' | 'resolveDownload';

const CALL_NAMES: readonly CallName[] = [...CAPABILITIES, 'tracksByIds', 'albumsByIds', 'artistsByIds', 'resolveDownload'];

/** A cursor no source hands out: spaces and signs no continuation token or offset contains. */
export const FOREIGN_CURSOR = '§ not a cursor §';

const NIRVANA_MBID = '5b11f4ce-a62d-471e-81fc-a69a8278c7da';

const SAMPLE = {
  search: 'Smells Like Teen Spirit',
  lyrics: { artist: 'Nirvana', title: 'Smells Like Teen Spirit', album: 'Nevermind', durationSec: 301, isrc: 'USGF19942501' },
  cover: { musicbrainzReleaseId: 'b84ee12a-09ef-421b-82de-0441a926375b', musicbrainzReleaseGroupId: 'f5093c06-23e3-404f-aeaa-40f72885ee3a' },
  artist: {
    name: 'Nirvana',
    musicbrainzId: NIRVANA_MBID,
    links: [
      { platform: 'wikidata', url: 'https://www.wikidata.org/wiki/Q11649' },
      { platform: 'wikipedia', url: 'https://en.wikipedia.org/wiki/Nirvana_(band)' },
    ],
  },
  isrc: 'USGF19942501',
  barcode: '0720642442524',
} as const;

interface Call {
  name: CallName;
  /** The instance the call is made on (its shared cache is where refused bodies must not land). */
  provider: Provider;
  run(ctx: CallContext): Promise<unknown>;
}

/** Each built instance's shared cache, so a call can run the way the catalog runs it. */
const CACHES = new WeakMap<Provider, Keyv>();

type AnyMethod = (...args: unknown[]) => Promise<unknown>;

/** The entity whose native ref a call takes; null for calls that take none. */
const REF_OF: Partial<Record<CallName, Entity>> = {
  track: 'track',
  album: 'album',
  artist: 'artist',
  artistAlbums: 'artist',
  relatedTracks: 'track',
  similarArtists: 'artist',
  tracksByIds: 'track',
  albumsByIds: 'album',
  artistsByIds: 'artist',
  resolveDownload: 'track',
};

const CURSOR_CALLS: ReadonlySet<CallName> = new Set(['searchTracks', 'searchAlbums', 'searchArtists', 'artistAlbums', 'relatedTracks', 'similarArtists']);

/** The call `name` with sample input; null when the provider lacks it or the suite has no ref for it. */
function sampleCall(provider: Provider, name: CallName, subject: ContractSubject, options: { cursor?: string | null; ref?: NativeRef } = {}): Call | null {
  const method = (provider as unknown as Record<string, AnyMethod | undefined>)[name];
  if (typeof method !== 'function') return null;
  const entity = REF_OF[name];
  const ref = options.ref ?? (entity ? subject.refs?.[entity] : undefined);
  if (entity && !ref) return null;
  const cursor = options.cursor ?? null;
  const call = (...args: unknown[]) => method.apply(provider, args);
  const browse = { limit: 5, cursor };
  const runs: Record<CallName, (ctx: CallContext) => Promise<unknown>> = {
    searchTracks: (ctx) => call({ query: SAMPLE.search, limit: 5, cursor }, ctx),
    searchAlbums: (ctx) => call({ query: SAMPLE.search, limit: 5, cursor }, ctx),
    searchArtists: (ctx) => call({ query: SAMPLE.search, limit: 5, cursor }, ctx),
    track: (ctx) => call(ref, ctx),
    album: (ctx) => call(ref, ctx),
    artist: (ctx) => call(ref, ctx),
    artistAlbums: (ctx) => call(ref, browse, ctx),
    relatedTracks: (ctx) => call(ref, browse, ctx),
    similarArtists: (ctx) => call(ref, browse, ctx),
    chart: (ctx) => call({ country: null, genre: null, limit: 5 }, ctx),
    lyrics: (ctx) => call({ ...SAMPLE.lyrics }, ctx),
    coverArt: (ctx) => call({ ...SAMPLE.cover }, ctx),
    artistBiography: (ctx) => call({ ...SAMPLE.artist }, ctx),
    artistImage: (ctx) => call({ ...SAMPLE.artist }, ctx),
    tracksByIsrc: (ctx) => call(SAMPLE.isrc, ctx),
    albumsByBarcode: (ctx) => call(SAMPLE.barcode, ctx),
    tracksByIds: (ctx) => call([ref], ctx),
    albumsByIds: (ctx) => call([ref], ctx),
    artistsByIds: (ctx) => call([ref], ctx),
    resolveDownload: (ctx) => call(ref, ctx),
  };
  return { name, provider, run: runs[name] };
}

interface Outcome {
  /** `ok` (a result), a SourceError kind, or the name of anything else thrown. */
  result: 'ok' | SourceErrorKind | `escaped ${string}`;
  value?: unknown;
  message: string;
  requests: ReplayServer['requests'];
}

/** A hostile upstream answer: what a broken, hijacked or half-delivered source might send. */
interface HostileBody {
  name: string;
  contentType: string;
  body: string;
}

const HTML_PAGE: HostileBody = {
  name: 'an HTML page',
  contentType: 'text/html; charset=utf-8',
  body: '<!DOCTYPE html><html><head><title>Maintenance</title></head><body><h1>We will be back soon</h1><p>Service temporarily down.</p></body></html>',
};
const JSON_STRING: HostileBody = { name: 'a bare JSON string', contentType: 'application/json', body: '"Smells Like Teen Spirit"' };
const JSON_NULL: HostileBody = { name: 'JSON null', contentType: 'application/json', body: 'null' };

/**
 * Keys sources commonly answer with, each holding a value of the wrong type. The id is a string,
 * as most sources' ids are, so parsers that check it get past it to the rest.
 */
const WRONG_TYPES = JSON.stringify({
  id: NIRVANA_MBID,
  name: ['not', 'a', 'name'],
  title: 42,
  data: 'not a list',
  results: 7,
  items: { not: 'a list' },
  tracks: 'none',
  track: ['x'],
  album: 12,
  albums: null,
  artist: [1, 2],
  artists: 'x',
  'artist-credit': { not: 'a list' },
  recordings: {},
  releases: 'x',
  'release-groups': 3,
  relations: 'x',
  isrcs: 5,
  media: 'x',
  tags: 'x',
  genres: {},
  collection: 'x',
  response: [],
  docs: 5,
  feed: 'x',
  contents: 9,
  message: 'x',
  type: ['exact'],
  mus: 'x',
  art: 5,
  entities: [],
  extract: { text: 1 },
  count: 'many',
  total: {},
  next_href: 5,
  lyrics: [],
  trackName: { x: 1 },
  artistName: [],
  metadata: 'x',
  files: 'x',
  topalbums: 'x',
  similarartists: 'x',
  tag: 7,
  image: 'x',
  bio: 3,
  url: {},
});

/**
 * The same keys, each holding a list whose items are of every wrong kind: the envelope is what
 * a parser checks first, so this reaches the code that reads each item.
 */
const WRONG_ITEMS = JSON.stringify(
  Object.fromEntries(
    Object.keys(JSON.parse(WRONG_TYPES) as Record<string, unknown>).map((key) => [
      key,
      key === 'id' ? NIRVANA_MBID : [null, 7, 'x', [], { id: 5, title: [], name: {}, artist: 'x', url: 3, duration: 'long' }],
    ]),
  ),
);

const HOSTILE_BODIES: readonly HostileBody[] = [
  HTML_PAGE,
  { name: 'truncated JSON', contentType: 'application/json', body: '{"data":[{"id":1,"title":"Smells Like' },
  JSON_STRING,
  JSON_NULL,
  { name: 'an object of wrong types', contentType: 'application/json', body: WRONG_TYPES },
  { name: 'lists of wrong items', contentType: 'application/json', body: WRONG_ITEMS },
  { name: 'a huge array', contentType: 'application/json', body: `[${'{"id":[],"title":{},"name":7},'.repeat(9_999)}{}]` },
  { name: 'deeply nested JSON', contentType: 'application/json', body: `${'{"data":['.repeat(6_000)}1${']}'.repeat(6_000)}` },
];

function answer(response: ServerResponse, status: number, contentType: string, body: string): true {
  response.writeHead(status, { 'content-type': contentType });
  response.end(body);
  return true;
}

export function providerContract(subject: ContractSubject): void {
  /**
   * A replay server of its own per test (and per hostile run), so tests can run concurrently
   * without one's interceptor answering another's requests.
   */
  async function stage<T>(work: (upstream: Upstream) => Promise<T>): Promise<T> {
    const server = await startReplayServer({ unmatchedExpected: true });
    try {
      return await work(upstreamOf(server));
    } finally {
      await server.close();
    }
  }

  interface Upstream {
    /** A fresh instance (empty cache) whose every request, to any host, goes to this server. */
    build(env: Record<string, string>): Provider;
    /** Runs a call built on a provider of this upstream, counting the requests it sends. */
    run(call: Call | null, intercept?: Interceptor): Promise<Outcome>;
  }

  function upstreamOf(server: ReplayServer): Upstream {
    return {
      build: (env) => buildProvider(env, () => server.baseUrl),
      async run(call, intercept) {
        if (!call) throw new Error('the suite has no sample input for this call');
        const before = server.requests.length;
        const stop = intercept ? server.intercept(intercept) : () => {};
        let result: Outcome['result'] = 'ok';
        let message = '';
        let value: unknown;
        try {
          // As the catalog calls a source: writes held until the provider accepts the answer.
          const outcome = await traced(callContext(), CACHES.get(call.provider)!, (ctx) => call.run(ctx));
          if (!outcome.ok) throw outcome.error;
          value = outcome.value;
        } catch (error) {
          if (isSourceError(error)) result = error.kind;
          else result = `escaped ${(error as Error)?.name ?? typeof error}`;
          message = String((error as Error)?.message ?? error);
        } finally {
          stop();
        }
        return { result, value, message, requests: server.requests.slice(before) };
      },
    };
  }

  function buildProvider(env: Record<string, string>, baseUrl: () => string): Provider {
    const fullEnv = { LOG_LEVEL: 'silent', UPSTREAM_RETRIES: '0', UPSTREAM_TIMEOUT_MS: '2000', ...env };
    const config: AppConfig = loadConfig(fullEnv);
    // Every host, declared or not, is routed locally: the contract never reaches the network.
    const overrides = new Proxy({} as Record<string, string>, {
      get: (_target, host) => (typeof host === 'string' ? `${baseUrl()}/${host}` : undefined),
      has: () => true,
    });
    Object.defineProperty(config, 'upstreamOverrides', { get: () => overrides });
    const cache = createMemoryCache();
    const createClient = createClientFactory({ config, cache, logger: silentLogger });
    const provider = subject.factory({
      config,
      env: fullEnv,
      logger: silentLogger,
      // No waiting between requests and no retries: the rules are about answers, not pacing.
      createClient: (options) => createClient({ ...options, rateLimit: undefined, retries: 0, timeoutMs: 2000 }),
    });
    CACHES.set(provider, cache);
    return provider;
  }

  const offline = (env: Record<string, string>) =>
    buildProvider(env, () => {
      throw new Error('this provider instance is not meant to send requests');
    });

  // Credentials default to placeholder values: the replay server is all they are ever sent to.
  const credentials = Object.fromEntries(offline({}).credentials.map((name) => [name, `contract-${name.toLowerCase()}`]));
  const configuredEnv = { ...credentials, ...subject.env };
  const probe = offline(configuredEnv);
  const id = probe.id;
  const has = (name: string) => typeof (probe as unknown as Record<string, unknown>)[name] === 'function';
  const calls = CALL_NAMES.map((name) => sampleCall(probe, name, subject)).filter((call): call is Call => call !== null);

  /**
   * `it`, or `it.fails` for a rule listed as known to fail. Tests run concurrently, so each gets
   * its own `expect` (the global one cannot tell concurrent tests' soft failures apart).
   */
  const rule = (ruleId: string, call: string | null, title: string, test: (expect: ExpectStatic) => Promise<void> | void) => {
    const known = (call && subject.knownFailures?.[`${ruleId}/${call}`]) ?? subject.knownFailures?.[ruleId];
    const label = `[${ruleId}${call ? `/${call}` : ''}] ${title}`;
    if (known) it.fails(`${label} — known to fail: ${known}`, (context) => test(context.expect));
    else it(label, (context) => test(context.expect));
  };

  const describeOutcome = (outcome: Outcome) =>
    `${outcome.result}${outcome.message ? ` (${outcome.message.slice(0, 200)})` : ''} after ${outcome.requests.length} request(s)`;

  /**
   * Each hostile body is served for a first call and again for the same call repeated, on a
   * fresh instance; the outcomes are shared by the rules that judge them.
   */
  const hostileRuns = new Map<CallName, Promise<{ body: HostileBody; first: Outcome; second: Outcome }[]>>();
  const hostile = (name: CallName) => {
    let runs = hostileRuns.get(name);
    if (!runs) {
      runs = Promise.all(
        HOSTILE_BODIES.map((body) =>
          stage(async (upstream) => {
            const provider = upstream.build(configuredEnv);
            const call = sampleCall(provider, name, subject);
            const serve: Interceptor = (_request, response) => answer(response, 200, body.contentType, body.body);
            const first = await upstream.run(call, serve);
            const second = await upstream.run(call, serve);
            return { body, first, second };
          }),
        ),
      );
      hostileRuns.set(name, runs);
    }
    return runs;
  };
  const outcomeOf = async (name: CallName, body: HostileBody) => (await hostile(name)).find((entry) => entry.body === body)!;

  describe.concurrent(`provider contract: ${id}`, () => {
    rule('id-kinds', null, 'declares id kinds exactly for the lookups it implements', (expect) => {
      for (const entity of ['track', 'album', 'artist'] as const) {
        const kinds = probe.idKinds?.[entity] ?? [];
        expect(kinds.length > 0, `idKinds.${entity} declared ⇔ ${entity}() implemented`).toBe(has(entity));
      }
      const needs: [string, Entity][] = [
        ['tracksByIds', 'track'],
        ['relatedTracks', 'track'],
        ['resolveDownload', 'track'],
        ['albumsByIds', 'album'],
        ['artistsByIds', 'artist'],
        ['artistAlbums', 'artist'],
        ['similarArtists', 'artist'],
      ];
      for (const [name, entity] of needs) {
        if (has(name)) expect(probe.idKinds?.[entity]?.length ?? 0, `${name}() takes ${entity} ids, so idKinds.${entity} is declared`).toBeGreaterThan(0);
      }
      if (probe.chartGenres) {
        expect(has('chart'), 'chartGenres without chart()').toBe(true);
        for (const genre of probe.chartGenres) expect(genre).toBe(genre.toLowerCase().trim());
      }
    });

    if (probe.parseUrl || subject.ownUrls) {
      rule('parse-url', null, 'parses its own entity pages into refs of declared kinds, and nothing else', (expect) => {
        // `offline` instances throw if they try to reach any host, so parsing here proves it fetches nothing.
        const provider = offline(configuredEnv);
        expect(typeof provider.parseUrl, 'ownUrls given but no parseUrl').toBe('function');
        for (const { url, entity } of subject.ownUrls ?? []) {
          const parsed = provider.parseUrl!(new URL(url));
          expect(parsed?.entity, url).toBe(entity);
          expect(provider.idKinds?.[entity] ?? [], url).toContain(parsed!.ref.kind);
        }
        for (const foreign of ['https://example.org/', `https://example.org/recording/${NIRVANA_MBID}`, 'https://www.google.com/search?q=nirvana']) {
          expect(provider.parseUrl!(new URL(foreign)), foreign).toBeNull();
        }
      });
    }

    if (probe.credentials.length > 0) {
      rule('unconfigured', null, 'refuses every call with UNCONFIGURED and sends nothing when a credential is missing', (expect) =>
        stage(async (upstream) => {
          expect(probe.configured, 'the subject env configures the provider').toBe(true);
          const bare = upstream.build({});
          expect(bare.configured).toBe(false);
          const unconfiguredCalls = CALL_NAMES.map((name) => sampleCall(bare, name, subject)).filter((call): call is Call => call !== null);
          expect(unconfiguredCalls.map((call) => call.name)).toEqual(calls.map((call) => call.name));
          for (const call of unconfiguredCalls) {
            const outcome = await upstream.run(call);
            expect(outcome.result, `${call.name}: ${describeOutcome(outcome)}`).toBe('UNCONFIGURED');
            expect(outcome.requests, call.name).toHaveLength(0);
          }
        }),
      );
    } else {
      rule('unconfigured', null, 'is keyless, so it is configured with no environment at all', (expect) => {
        expect(offline({}).configured).toBe(true);
      });
    }

    for (const name of CALL_NAMES) {
      const entity = REF_OF[name];
      if (!entity || !has(name)) continue;
      rule('malformed-ids', name, 'answers ids that cannot be its own with NOT_FOUND (null in batches) without a request', (expect) =>
        stage(async (upstream) => {
          const provider = upstream.build(configuredEnv);
          const declared = provider.idKinds?.[entity] ?? [];
          const wellFormed = subject.refs?.[entity]?.id ?? 'x';
          const malformed: NativeRef[] = [
            { kind: 'no-such-kind', id: wellFormed },
            ...declared.flatMap((kind) => ['', '   ', ...(subject.malformedIds?.[entity] ?? [])].map((id) => ({ kind, id }))),
          ];
          for (const ref of malformed) {
            const outcome = await upstream.run(sampleCall(provider, name, subject, { ref }));
            const label = `${name}(${ref.kind}:${JSON.stringify(ref.id)}): ${describeOutcome(outcome)}`;
            if (name.endsWith('ByIds')) {
              expect(outcome.result, label).toBe('ok');
              expect(outcome.value, label).toEqual([null]);
            } else {
              expect(outcome.result, label).toBe('NOT_FOUND');
            }
            expect(outcome.requests, label).toHaveLength(0);
          }
        }),
      );
    }

    for (const call of calls) {
      if (!CURSOR_CALLS.has(call.name)) continue;
      rule('foreign-cursor', call.name, 'answers a cursor it never handed out with BAD_INPUT without a request', (expect) =>
        stage(async (upstream) => {
          const provider = upstream.build(configuredEnv);
          const outcome = await upstream.run(sampleCall(provider, call.name, subject, { cursor: FOREIGN_CURSOR }));
          expect(outcome.result, describeOutcome(outcome)).toBe('BAD_INPUT');
          expect(outcome.requests).toHaveLength(0);
        }),
      );
    }

    for (const call of calls) {
      rule('unavailable', call.name, 'reports an upstream 5xx as UNAVAILABLE', (expect) =>
        stage(async (upstream) => {
          const provider = upstream.build(configuredEnv);
          const outcome = await upstream.run(sampleCall(provider, call.name, subject), (_request, response) =>
            answer(response, 503, 'text/plain', 'Service Unavailable'),
          );
          expect(outcome.requests.length, 'the sample call reaches upstream').toBeGreaterThan(0);
          expect(outcome.result, describeOutcome(outcome)).toBe('UNAVAILABLE');
        }),
      );

      rule('html-page', call.name, 'refuses an HTML page sent with status 200 as BAD_RESPONSE', async (expect) => {
        const { first } = await outcomeOf(call.name, HTML_PAGE);
        expect(first.requests.length, 'the sample call reaches upstream').toBeGreaterThan(0);
        expect(first.result, describeOutcome(first)).toBe('BAD_RESPONSE');
      });

      rule('scalar-body', call.name, 'refuses a bare JSON string or null instead of reading it as "nothing found"', async (expect) => {
        for (const body of [JSON_STRING, JSON_NULL]) {
          const { first } = await outcomeOf(call.name, body);
          expect(first.requests.length, 'the sample call reaches upstream').toBeGreaterThan(0);
          expect.soft(first.result === 'ok' || first.result.startsWith('escaped'), `${body.name}: ${describeOutcome(first)}`).toBe(false);
        }
      });

      rule('typed-errors', call.name, 'ends every hostile body in a result or a SourceError, never anything else', async (expect) => {
        for (const { body, first, second } of await hostile(call.name)) {
          for (const outcome of [first, second]) {
            expect.soft(outcome.result.startsWith('escaped'), `${body.name}: ${describeOutcome(outcome)}`).toBe(false);
          }
        }
      });

      rule('nothing-cached', call.name, 'asks upstream again after refusing a body, instead of serving it from cache', async (expect) => {
        // NOT_FOUND is an answer read from the body ("not in this list"), not a refusal of it.
        const refused = (await hostile(call.name)).filter(({ first }) => first.result !== 'ok' && first.result !== 'NOT_FOUND' && !first.result.startsWith('escaped'));
        expect(refused.length, 'some hostile body is refused').toBeGreaterThan(0);
        for (const { body, first, second } of refused) {
          const asked = new Set(first.requests.map((request) => `${request.method} ${request.url}`));
          const again = second.requests.filter((request) => asked.has(`${request.method} ${request.url}`));
          // Soft, so one run lists every body that was cached.
          expect.soft(again.length, `${body.name}: first ${describeOutcome(first)}; then ${describeOutcome(second)}`).toBeGreaterThan(0);
        }
      });
    }
  });
}
