import fc from 'fast-check';

/**
 * A generated corpus of malformed or hostile requests to `/graphql` (issue 9 §8), built with
 * fast-check from a fixed seed so every run sends the very same requests. Each request is raw
 * bytes on purpose: method, path and body are what a hostile client controls, so nothing here
 * goes through a GraphQL or JSON library that would tidy it up.
 */

export interface AbuseRequest {
  /** The family the request comes from, for the per-family tally printed after the run. */
  family: string;
  method: string;
  /** Path and query string exactly as sent (may be malformed). */
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** Keys the corpus may present; filled in once the gateway has issued them. */
export interface CorpusKeys {
  admin: string;
  /** A key for one source, which may not run admin fields. */
  source: string;
}

/** Who a request claims to be. Real keys are names here, resolved when the request is sent. */
type Credential = 'admin' | 'source' | 'none' | 'bearer-garbage' | 'mangled-admin' | 'basic' | 'x-api-key-garbage' | 'huge';

const credential: fc.Arbitrary<Credential> = fc.oneof(
  { arbitrary: fc.constant<Credential>('admin'), weight: 6 },
  { arbitrary: fc.constant<Credential>('source'), weight: 2 },
  fc.constantFrom<Credential>('none', 'bearer-garbage', 'mangled-admin', 'basic', 'x-api-key-garbage', 'huge'),
);

export function credentialHeaders(kind: Credential, keys: CorpusKeys): Record<string, string> {
  switch (kind) {
    case 'admin':
      return { authorization: `Bearer ${keys.admin}` };
    case 'source':
      return { authorization: `Bearer ${keys.source}` };
    case 'none':
      return {};
    case 'bearer-garbage':
      return { authorization: 'Bearer mk_x_not-a-real-key' };
    case 'mangled-admin':
      // Same shape and prefix as the admin key, wrong secret: it reaches the hash comparison.
      return { authorization: `Bearer ${keys.admin.slice(0, -1)}${keys.admin.endsWith('A') ? 'B' : 'A'}` };
    case 'basic':
      return { authorization: 'Basic YWRtaW46YWRtaW4=' };
    case 'x-api-key-garbage':
      return { 'x-api-key': '   ' };
    case 'huge':
      return { authorization: `Bearer mk_${'a'.repeat(8_000)}` };
  }
}

const SOURCES = ['musicbrainz', 'deezer', 'jamendo', 'lastfm', 'youtubemusic', 'soundcloud', 'bandcamp', 'audiomack', 'internetarchive', 'apple', 'alpha', 'nope'];
const KINDS = ['track', 'album', 'artist', 'recording', 'release', 'song', 'user', 'playlist', 'item', 'x', ''];

/** Short hostile text: control characters, lone surrogates, emoji, quotes, path tricks. */
const junk: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom('', ' ', '\u0000', '\ud800', '\udfff\ud800', '../../etc/passwd', '%2e%2e%2f', '\u202e\u200b', '🎵'.repeat(50), '" OR 1=1 --', '${jndi:ldap://x}', '\\', '"', '\n\r\t'),
  fc.integer({ min: 1, max: 1_000 }).map((n) => 'x'.repeat(n)),
);

/** A string literal for a GraphQL document, escaped the way JSON escapes (GraphQL accepts that). */
const literal = (text: string) => JSON.stringify(text);

const badId: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(fc.constantFrom(...SOURCES), fc.constantFrom(...KINDS), junk).map(([source, kind, id]) => `${source}:${kind}:${id}`),
  fc.constantFrom('musicbrainz:recording:b9ad642e-b012-41c7-b72a-42cf4911f9ff', 'bandcamp:track:metadata.google.internal/track/x', 'bandcamp:artist:127.0.0.1', 'deezer:track:-1', 'jamendo:track:1e309'),
  junk,
  junk.map((text) => Buffer.from(text).toString('base64')),
);

const badCursor: fc.Arbitrary<string> = fc.oneof(junk, junk.map((text) => Buffer.from(text).toString('base64')), fc.constantFrom('Y3Vyc29y', 'eyJvZmZzZXQiOi0xfQ==', 'eyJvZmZzZXQiOjFlMzA5fQ=='));

const smallInt = fc.oneof(fc.integer({ min: -5, max: 60 }), fc.constantFrom(0, -1, 2 ** 31 - 1, -(2 ** 31)));

/** Fields a real client might ask for, with arguments taken from the hostile pools above. */
const field: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(junk, smallInt).map(([query, first]) => `searchTracks(query: ${literal(query)}, first: ${first}) { nodes { id title artists { name } } pageInfo { endCursor } }`),
  fc.tuple(junk, badCursor).map(([query, after]) => `searchAlbums(query: ${literal(query)}, after: ${literal(after)}) { nodes { id title } }`),
  fc.tuple(junk, fc.constantFrom(...SOURCES)).map(([query, source]) => `searchArtists(query: ${literal(query)}, source: ${literal(source)}) { nodes { id name } }`),
  badId.map((id) => `track(id: ${literal(id)}) { id title }`),
  badId.map((id) => `album(id: ${literal(id)}) { id title }`),
  badId.map((id) => `artist(id: ${literal(id)}) { id name }`),
  badId.map((id) => `node(id: ${literal(id)}) { id }`),
  fc.array(badId, { maxLength: 60 }).map((ids) => `nodes(ids: ${JSON.stringify(ids)}) { id }`),
  junk.map((url) => `resolveUrl(url: ${literal(url)}) { id }`),
  fc.tuple(junk, junk).map(([artist, title]) => `lyrics(artist: ${literal(artist)}, title: ${literal(title)}) { text }`),
  fc.tuple(junk, smallInt).map(([country, first]) => `chart(country: ${literal(country)}, first: ${first}) { title }`),
  junk.map((isrc) => `tracksByIsrc(isrc: ${literal(isrc)}) { id }`),
  fc.constantFrom('viewer { scope }', 'sources { id }', '__typename', '__schema { queryType { name } }', 'apiKeys { id }'),
);

/** Identifiers no schema type has (and a few that only exist elsewhere in the schema). */
const unknownName = fc.oneof(fc.stringMatching(/^[_A-Za-z][_0-9A-Za-z]{0,30}$/), fc.constantFrom('password', 'constructor', '__proto__', 'toString', 'mutation', 'title'));

const document: fc.Arbitrary<{ family: string; query: string }> = fc.oneof(
  { arbitrary: fc.array(field, { minLength: 1, maxLength: 3 }).map((fields) => ({ family: 'fields', query: `{ ${fields.join(' ')} }` })), weight: 6 },
  // Deep nesting: through real types, and as bare selection sets.
  fc.integer({ min: 5, max: 60 }).map((depth) => ({
    family: 'deep',
    query: `{ searchTracks(query: "a") { nodes { ${'album { tracks { nodes { '.repeat(depth)}id${' } } }'.repeat(depth)} } } }`,
  })),
  fc.integer({ min: 8, max: 1_200 }).map((depth) => ({ family: 'deep', query: `${'{ a '.repeat(depth)}${'}'.repeat(depth)}` })),
  // Alias floods of cheap and of expensive fields.
  fc.tuple(fc.integer({ min: 10, max: 400 }), fc.constantFrom('viewer { scope }', '__typename', 'searchTracks(query: "x") { totalCount }')).map(([count, target]) => ({
    family: 'aliases',
    query: `{ ${Array.from({ length: count }, (_, i) => `a${i}: ${target}`).join(' ')} }`,
  })),
  // Repeated fields: what makes graphql-js's overlap check quadratic.
  fc.tuple(fc.integer({ min: 10, max: 2_500 }), fc.constantFrom('scope', 'keyId', '__typename')).map(([count, name]) => ({
    family: 'repeated',
    query: `{ viewer { ${`${name} `.repeat(count)}} }`,
  })),
  // Fragment cycles, self-spreads, and a fragment bomb (each level spreads the last one twice).
  // A few far past every limit: the sizes above stop just past them, where refusals are decided.
  fc.constantFrom(
    { family: 'huge', query: `{ ${Array.from({ length: 3_000 }, (_, i) => `a${i}: __typename`).join(' ')} }` },
    { family: 'huge', query: `{ viewer { ${'scope '.repeat(12_000)}} }` },
    { family: 'huge', query: `${'{ a '.repeat(6_000)}${'}'.repeat(6_000)}` },
    { family: 'huge', query: `{ searchTracks(query: "a") { nodes { ${'album { tracks { nodes { '.repeat(500)}id${' } } }'.repeat(500)} } } }` },
  ),
  fc.constantFrom(
    { family: 'fragments', query: 'fragment A on Query { ...B } fragment B on Query { ...A } { ...A }' },
    { family: 'fragments', query: 'fragment A on Query { viewer { scope } ...A } { ...A }' },
    { family: 'fragments', query: '{ ...Missing }' },
    { family: 'fragments', query: 'fragment A on Nope { x } { ...A }' },
  ),
  fc.integer({ min: 2, max: 40 }).map((levels) => ({
    family: 'fragments',
    query: [
      'fragment F0 on Viewer { scope }',
      ...Array.from({ length: levels }, (_, i) => `fragment F${i + 1} on Viewer { ...F${i} ...F${i} }`),
      `{ viewer { ...F${levels} } }`,
    ].join(' '),
  })),
  fc.array(unknownName, { minLength: 1, maxLength: 30 }).map((names) => ({ family: 'unknown', query: `{ ${names.join(' ')} viewer { ${names[0]} } }` })),
  fc.tuple(unknownName, junk).map(([name, value]) => ({ family: 'unknown', query: `{ searchTracks(query: "a", ${name}: ${literal(value)}) { nodes { ${name} } } }` })),
  // Text that is not GraphQL at all.
  fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ maxLength: 300 }), fc.constantFrom('', '{', '}', '{{{{', 'query', '\ufeff{ viewer { scope } }', '{ viewer { scope } }\u0000')).map((query) => ({
    family: 'garbage-document',
    query,
  })),
);

/** The `variables` member as raw JSON text (deep nesting cannot go through JSON.stringify's recursion). */
const variables: fc.Arbitrary<string | undefined> = fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 10 },
  fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
  fc.integer({ min: 1_000, max: 20_000 }).map((size) => JSON.stringify({ q: 'x'.repeat(size) })),
  fc.integer({ min: 100, max: 3_000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`),
  fc.integer({ min: 100, max: 2_000 }).map((depth) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`),
  fc.constantFrom('"string"', '42', 'null', '[1,2,3]', '{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{}}}', '{"first":1e308}', '{"first":-0}', '{"q":"\\ud800"}'),
);

/** POST bodies built from a document: valid JSON, broken JSON, or batches. */
const postBody: fc.Arbitrary<{ family: string; body: string }> = fc.oneof(
  { arbitrary: fc.tuple(document, variables).map(([doc, vars]) => ({
      family: vars && vars.length > 1_000 ? 'variables' : doc.family,
      body: `{"query":${JSON.stringify(doc.query)}${vars === undefined ? '' : `,"variables":${vars}`}}`,
    })), weight: 10 },
  // Broken JSON: cut, with garbage spliced in, or not JSON at all.
  fc.tuple(document, fc.nat(), fc.string({ unit: 'binary', maxLength: 8 })).map(([doc, at, noise]) => {
    const json = JSON.stringify({ query: doc.query });
    const cut = at % Math.max(json.length, 1);
    return { family: 'broken-json', body: `${json.slice(0, cut)}${noise}${json.slice(cut + 1)}` };
  }),
  fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.constantFrom('', 'null', 'true', '0', '"query"', '{"query":null}', '{"query":{}}', '{"query":["{ viewer { scope } }"]}', '{"query":"{ viewer { scope } }","variables":"{"}', '{"query":"{ viewer { scope } }","operationName":7}', '{"__proto__":{"query":"{ viewer { scope } }"}}', '\ufeff{"query":"{ viewer { scope } }"}', '{"query":"\\ud800"}')).map((body) => ({
    family: 'broken-json',
    body,
  })),
  // Batched arrays: empty, small, large, nested.
  fc.tuple(fc.array(document, { maxLength: 4 }), fc.integer({ min: 0, max: 200 })).map(([docs, copies]) => ({
    family: 'batch',
    body: JSON.stringify(copies % 3 === 0 ? docs.map((doc) => ({ query: doc.query })) : Array.from({ length: copies }, () => ({ query: '{ viewer { scope } }' }))),
  })),
  fc.constantFrom({ family: 'batch', body: '[]' }, { family: 'batch', body: '[[{"query":"{ viewer { scope } }"}]]' }, { family: 'batch', body: '[null, 1, "x"]' }),
  // Oversized: past the 64 kB body limit, or just under it with a long comment (2 bytes a character).
  fc.integer({ min: 56 * 1024, max: 72 * 1024 }).map((size) => ({ family: 'oversized', body: JSON.stringify({ query: `{ viewer { scope } } #${'é'.repeat(size / 2)}` }) })),
);

const contentType: fc.Arbitrary<string | null> = fc.oneof(
  { arbitrary: fc.constant('application/json'), weight: 12 },
  fc.constantFrom(
    null,
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/graphql',
    'application/json; charset=latin1',
    'application/json; charset=utf-16',
    'APPLICATION/JSON',
    'application/xml',
    '*/*',
  ),
);

const post: fc.Arbitrary<{ family: string; request: Omit<AbuseRequest, 'family'> & { credential: Credential } }> = fc
  .tuple(postBody, contentType, credential, fc.constantFrom<string | null>(null, 'es', 'en', 'xx;q=2,,', 'es'.repeat(2_000)))
  .map(([{ family, body }, type, who, language]) => ({
    family: type === 'application/json' ? family : 'content-type',
    request: {
      method: 'POST',
      path: '/graphql',
      headers: { ...(type ? { 'content-type': type } : {}), ...(language ? { 'accept-language': language } : {}) },
      body,
      credential: who,
    },
  }));

/** Apollo's CSRF prevention answers a GET only when this header (or a JSON content type) is sent. */
const preflightHeader = (on: boolean): Record<string, string> => (on ? { 'apollo-require-preflight': 'true' } : {});

/** GET requests: mutations (refused on GET), queries with or without the CSRF preflight header, broken query strings. */
const get: fc.Arbitrary<{ family: string; request: Omit<AbuseRequest, 'family'> & { credential: Credential } }> = fc.oneof(
  fc.tuple(fc.constantFrom('mutation { revokeKey(keyId: "x") { id } }', 'mutation { setSourceStatus(sourceId: "deezer", status: DISABLED) { id } }', 'mutation { createSourceKey(sourceId: "deezer") { apiKey } }', 'mutation M { prepareDownload(trackId: "jamendo:track:1") { id } }'), fc.boolean(), credential).map(([query, preflight, who]) => ({
    family: 'get-mutation',
    request: { method: 'GET', path: `/graphql?query=${encodeURIComponent(query)}`, headers: preflightHeader(preflight), credential: who },
  })),
  fc.tuple(document, fc.boolean(), credential).map(([doc, preflight, who]) => ({
    family: `get-${doc.family}`,
    request: { method: 'GET', path: `/graphql?query=${encodeURIComponent(doc.query).slice(0, 12_000)}`, headers: preflightHeader(preflight), credential: who },
  })),
  fc.tuple(fc.constantFrom('/graphql?query=%ZZ', '/graphql?query=%00', '/graphql?query[]=a&query[]=b', '/graphql?query[a]=b', '/graphql?variables=%7B&query=%7Bviewer%7Bscope%7D%7D', '/graphql?extensions=x&query=%7B%7D', '/graphql/../graphql', '/graphql%00', `/graphql?${'a=1&'.repeat(2_000)}`), credential).map(([path, who]) => ({
    family: 'get-broken',
    request: { method: 'GET', path, headers: { 'apollo-require-preflight': 'true' }, credential: who },
  })),
  fc.tuple(fc.constantFrom('PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'TRACE'), credential).map(([method, who]) => ({
    family: 'method',
    request: { method, path: '/graphql', headers: { 'content-type': 'application/json', origin: 'https://evil.test' }, body: '{"query":"{ viewer { scope } }"}', credential: who },
  })),
);

export interface CorpusEntry extends AbuseRequest {
  credential: Credential;
}

/**
 * `count` requests from `seed`. Mutations go only by GET (where they are refused): by POST with
 * the admin key they would rotate or revoke the very keys the run uses.
 */
export function abuseCorpus(seed: number, count: number): CorpusEntry[] {
  const entry = fc.oneof({ arbitrary: post, weight: 4 }, get).map(({ family, request }) => ({ family, ...request }));
  return fc.sample(entry, { seed, numRuns: count });
}
