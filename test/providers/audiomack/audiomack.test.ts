import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createAudiomackProvider } from '../../../src/providers/audiomack/index.js';
import { authorizationHeader, signature, signatureBaseString, type OAuthCredentials } from '../../../src/providers/audiomack/oauth.js';
import fc from 'fast-check';
import { parseAlbum, parseArtist, parseSong } from '../../../src/providers/audiomack/parse.js';
import { parseAudiomackUrl } from '../../../src/providers/audiomack/urls.js';
import { FieldReader } from '../../../src/providers/shared/drift.js';
import { silentLogger } from '../../../src/logger.js';
import type { Provider } from '../../../src/providers/types.js';
import { replayProvider, type ReplayHarness, sourceErrorOf as caught } from '../../support/providerHarness.js';

/**
 * Audiomack has no recorded responses (its API needs a granted key), so these tests prove what
 * can be proved without one: the OAuth 1.0a signing against the specification's own worked
 * examples (test/fixtures/audiomack), that an unconfigured provider sends nothing, and that a
 * configured one sends correctly signed requests and types the failures it gets back.
 */

interface SpecExample {
  request: { method: string; url: string; params: Record<string, string | string[]> };
  consumerKey: string;
  consumerSecret: string;
  token: string;
  tokenSecret: string;
  realm?: string;
  nonce: string;
  timestamp: number;
  version: string | null;
  signature?: string;
  headerSignature?: string;
  baseString?: string;
}

const examples = JSON.parse(readFileSync(new URL('../../fixtures/audiomack/oauth-spec-examples.json', import.meta.url), 'utf8')) as Record<string, SpecExample>;

const credentialsOf = (example: SpecExample): OAuthCredentials => ({
  consumerKey: example.consumerKey,
  consumerSecret: example.consumerSecret,
  token: { key: example.token, secret: example.tokenSecret },
});
const optionsOf = (example: SpecExample) => ({ nonce: example.nonce, timestamp: example.timestamp, version: example.version, realm: example.realm });


/** `OAuth a="1", b="2"` → `{a: '1', b: '2'}`, values percent-decoded. */
function headerParams(header: string): Record<string, string> {
  expect(header.startsWith('OAuth ')).toBe(true);
  return Object.fromEntries([...header.matchAll(/([a-z_]+)="([^"]*)"/g)].map((match) => [match[1]!, decodeURIComponent(match[2]!)]));
}

describe('OAuth 1.0a signing (specification examples)', () => {
  it('RFC 5849 §1.2: the photos.example.net signature and header', () => {
    const example = examples.rfc5849_section_1_2!;
    expect(signature(example.request, credentialsOf(example), optionsOf(example))).toBe(example.signature);
    const header = authorizationHeader(example.request, credentialsOf(example), optionsOf(example));
    expect(header).toContain(`oauth_signature="${example.headerSignature}"`);
    expect(header).toContain('realm="Photos"');
    expect(headerParams(header)).toMatchObject({ oauth_consumer_key: example.consumerKey, oauth_token: example.token, oauth_nonce: example.nonce });
  });

  it('RFC 5849 §3.4.1.1: the base string of a request with repeated and encoded parameters', () => {
    const example = examples.rfc5849_section_3_4_1_1!;
    expect(signatureBaseString(example.request, credentialsOf(example), optionsOf(example))).toBe(example.baseString);
  });

  it('OAuth Core 1.0 Appendix A.5: base string and signature with oauth_version', () => {
    const example = examples.oauth_core_1_0_appendix_a!;
    expect(signatureBaseString(example.request, credentialsOf(example), optionsOf(example))).toBe(example.baseString);
    expect(signature(example.request, credentialsOf(example), optionsOf(example))).toBe(example.signature);
  });

  it('a different secret gives a different signature', () => {
    const example = examples.rfc5849_section_1_2!;
    expect(signature(example.request, { ...credentialsOf(example), consumerSecret: 'other' }, optionsOf(example))).not.toBe(example.signature);
  });
});

describe('Audiomack provider', () => {
  let harness: ReplayHarness<Provider>;
  afterEach(async () => {
    await harness?.close();
  });

  it('without credentials: configured false, UNCONFIGURED, and zero requests', async () => {
    harness = await replayProvider(createAudiomackProvider, { extraHosts: ['api.audiomack.com'] });
    const { provider, server, ctx } = harness;
    expect(provider.configured).toBe(false);
    expect(provider.credentials).toEqual(['AUDIOMACK_CONSUMER_KEY', 'AUDIOMACK_CONSUMER_SECRET']);
    expect(provider.description).toMatch(/sin probar contra el servicio real/);
    const calls = [
      provider.searchTracks!({ query: 'burna boy', limit: 10, cursor: null }, ctx),
      provider.searchAlbums!({ query: 'burna boy', limit: 10, cursor: null }, ctx),
      provider.searchArtists!({ query: 'burna boy', limit: 10, cursor: null }, ctx),
      provider.track!({ kind: 'song', id: '123' }, ctx),
      provider.album!({ kind: 'album', id: '123' }, ctx),
      provider.artist!({ kind: 'artist', id: 'some-artist' }, ctx),
    ];
    for (const call of calls) expect((await caught(call)).kind).toBe('UNCONFIGURED');
    expect(server.requests).toHaveLength(0);
  });

  it('only one of the two credentials is still unconfigured', async () => {
    harness = await replayProvider(createAudiomackProvider, { env: { AUDIOMACK_CONSUMER_KEY: 'test-key' } });
    expect(harness.provider.configured).toBe(false);
  });

  describe('with credentials', () => {
    const env = { AUDIOMACK_CONSUMER_KEY: 'test-consumer-key', AUDIOMACK_CONSUMER_SECRET: 'test-consumer-secret' };

    it('signs each request; the signature verifies against the request as received', async () => {
      harness = await replayProvider(createAudiomackProvider, { env, extraHosts: ['api.audiomack.com'] });
      const { provider, server, ctx } = harness;
      server.intercept((request, response) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ results: [] }));
        return true;
      });
      const page = await provider.searchTracks!({ query: 'burna boy', limit: 10, cursor: null }, ctx);
      expect(page).toEqual({ items: [], total: null, nextCursor: null });
      const [request] = server.requests;
      expect(request!.path).toBe('/v1/search');
      const query = Object.fromEntries(request!.query);
      expect(query).toEqual({ q: 'burna boy', show: 'songs', sort: 'relevance', limit: '10', page: '1' });
      const oauth = headerParams(String(request!.headers.authorization));
      expect(oauth).toMatchObject({ oauth_consumer_key: env.AUDIOMACK_CONSUMER_KEY, oauth_signature_method: 'HMAC-SHA1', oauth_version: '1.0' });
      expect(oauth.oauth_token).toBeUndefined();
      const expected = signature(
        { method: 'GET', url: 'https://api.audiomack.com/v1/search', params: query },
        { consumerKey: env.AUDIOMACK_CONSUMER_KEY, consumerSecret: env.AUDIOMACK_CONSUMER_SECRET },
        { nonce: oauth.oauth_nonce, timestamp: Number(oauth.oauth_timestamp), version: oauth.oauth_version },
      );
      expect(oauth.oauth_signature).toBe(expected);
    });

    it('asks songs, albums and artists with show=, pages with page=, and looks up by id and slug', async () => {
      harness = await replayProvider(createAudiomackProvider, { env, extraHosts: ['api.audiomack.com'] });
      const { provider, server, ctx } = harness;
      server.intercept((request, response) => {
        response.writeHead(request.path.startsWith('/v1/search') ? 200 : 404, { 'content-type': 'application/json' });
        response.end(request.path.startsWith('/v1/search') ? JSON.stringify({ results: [] }) : '{}');
        return true;
      });
      await provider.searchAlbums!({ query: 'x', limit: 5, cursor: '3' }, ctx);
      await provider.searchArtists!({ query: 'x', limit: 50, cursor: null }, ctx);
      expect(server.requests.map((request) => [request.query.get('show'), request.query.get('page'), request.query.get('limit')])).toEqual([
        ['albums', '3', '5'],
        ['artists', '1', '20'],
      ]);
      expect((await caught(provider.track!({ kind: 'song', id: '2077853' }, ctx))).kind).toBe('NOT_FOUND');
      expect((await caught(provider.artist!({ kind: 'artist', id: 'some-artist' }, ctx))).kind).toBe('NOT_FOUND');
      expect(server.requests.slice(2).map((request) => request.path)).toEqual(['/v1/music/2077853', '/v1/artist/some-artist']);
      for (const request of server.requests) expect(String(request.headers.authorization)).toMatch(/^OAuth /);
    });

    it('a rejected key is UNAUTHORIZED and an unrecognised answer BAD_RESPONSE', async () => {
      harness = await replayProvider(createAudiomackProvider, { env, extraHosts: ['api.audiomack.com'] });
      const { provider, server, ctx } = harness;
      let answer: { status: number; type: string; body: string } = { status: 401, type: 'application/json', body: '{}' };
      server.intercept((_request, response) => {
        response.writeHead(answer.status, { 'content-type': answer.type });
        response.end(answer.body);
        return true;
      });
      expect((await caught(provider.searchTracks!({ query: 'a', limit: 10, cursor: null }, ctx))).kind).toBe('UNAUTHORIZED');
      answer = { status: 200, type: 'text/html', body: '<html><body>Audiomack</body></html>' };
      expect((await caught(provider.searchTracks!({ query: 'b', limit: 10, cursor: null }, ctx))).kind).toBe('BAD_RESPONSE');
      answer = { status: 200, type: 'application/json', body: '{"status":"ok"}' };
      expect((await caught(provider.searchTracks!({ query: 'c', limit: 10, cursor: null }, ctx))).kind).toBe('BAD_RESPONSE');
    });

    it('ids of the wrong kind never reach the network', async () => {
      harness = await replayProvider(createAudiomackProvider, { env, extraHosts: ['api.audiomack.com'] });
      const { provider, server, ctx } = harness;
      expect((await caught(provider.track!({ kind: 'album', id: '1' }, ctx))).kind).toBe('NOT_FOUND');
      expect((await caught(provider.artist!({ kind: 'artist', id: '../etc' }, ctx))).kind).toBe('NOT_FOUND');
      expect(server.requests).toHaveLength(0);
    });

    it('looks a song or album up by the artist and slug of its page, through /music/<type>/<artist>/<slug>', async () => {
      harness = await replayProvider(createAudiomackProvider, { env, extraHosts: ['api.audiomack.com'] });
      const { provider, server, ctx } = harness;
      server.intercept((_request, response) => {
        response.writeHead(404, { 'content-type': 'application/json' });
        response.end('{}');
        return true;
      });
      const song = parseAudiomackUrl(new URL('https://audiomack.com/burna-boy/song/last-last'))!;
      const album = parseAudiomackUrl(new URL('https://audiomack.com/burna-boy/album/love-damini'))!;
      expect((await caught(provider.track!(song.ref, ctx))).kind).toBe('NOT_FOUND');
      expect((await caught(provider.album!(album.ref, ctx))).kind).toBe('NOT_FOUND');
      expect(server.requests.map((request) => request.path)).toEqual(['/v1/music/song/burna-boy/last-last', '/v1/music/album/burna-boy/love-damini']);
    });

    it('malformed ids and cursors it never handed out are refused without a request', async () => {
      harness = await replayProvider(createAudiomackProvider, { env, extraHosts: ['api.audiomack.com'] });
      const { provider, server, ctx } = harness;
      for (const id of ['a/b/c', '../x', 'burna-boy/', '/last-last', 'x y/z', '0']) {
        expect((await caught(provider.track!({ kind: 'song', id }, ctx))).kind).toBe('NOT_FOUND');
      }
      for (const cursor of ['0', '-1', 'next', '1.5', '99999']) {
        expect((await caught(provider.searchTracks!({ query: 'x', limit: 5, cursor }, ctx))).kind).toBe('BAD_INPUT');
      }
      expect(server.requests).toHaveLength(0);
    });

    it('answers whose results have the wrong type are BAD_RESPONSE, never a TypeError', async () => {
      harness = await replayProvider(createAudiomackProvider, { env, extraHosts: ['api.audiomack.com'] });
      const { provider, server, ctx } = harness;
      let body = '';
      server.intercept((_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(body);
        return true;
      });
      for (const answer of ['{"results":5}', '{"results":[null]}', '{"results":{"id":"x y","title":"t"}}', '{"results":', '[]']) {
        body = answer;
        expect((await caught(provider.track!({ kind: 'song', id: '2077853' }, ctx))).kind).toBe('BAD_RESPONSE');
      }
      body = '{"results":"none","count":"many"}';
      expect(await provider.searchTracks!({ query: 'x', limit: 5, cursor: null }, ctx)).toEqual({ items: [], total: null, nextCursor: null });
    });
  });
});

describe('Audiomack parseUrl', () => {
  const parse = (link: string) => parseAudiomackUrl(new URL(link));

  it('reads song, album and artist pages (also the older /song/<artist>/<slug> form)', () => {
    expect(parse('https://audiomack.com/burna-boy/song/last-last')).toEqual({ entity: 'track', ref: { kind: 'song', id: 'burna-boy/last-last' } });
    expect(parse('https://www.audiomack.com/burna-boy/album/love-damini/')).toEqual({ entity: 'album', ref: { kind: 'album', id: 'burna-boy/love-damini' } });
    expect(parse('https://audiomack.com/song/burna-boy/last-last')).toEqual({ entity: 'track', ref: { kind: 'song', id: 'burna-boy/last-last' } });
    expect(parse('https://audiomack.com/burna-boy')).toEqual({ entity: 'artist', ref: { kind: 'artist', id: 'burna-boy' } });
    expect(parse('https://audiomack.com/Burna-Boy?utm_source=x')).toEqual({ entity: 'artist', ref: { kind: 'artist', id: 'burna-boy' } });
  });

  it("gives null for playlists, the site's own pages and other hosts", () => {
    for (const link of [
      'https://audiomack.com/burna-boy/playlist/mix',
      'https://audiomack.com/trending-now',
      'https://audiomack.com/search?q=burna',
      'https://audiomack.com/',
      'https://audiomack.com/burna-boy/song/last-last/extra',
      'https://audiomack.com.example/burna-boy',
      'https://api.audiomack.com/v1/music/2077853',
    ]) {
      expect(parse(link)).toBeNull();
    }
  });
});

describe('Audiomack parsing', () => {
  const reader = () => new FieldReader(silentLogger, 'test');

  it('explains in English and Spanish that downloads are not offered', () => {
    const track = parseSong({ id: 1, title: 'x', isrc: 'us-um7-24-09273' }, reader())!;
    expect(track.download).toEqual({
      allowed: false,
      reason: 'NOT_LICENSED',
      detail: { en: 'Audiomack documents no download permission; listen on Audiomack.', es: 'Audiomack no documenta ningún permiso de descarga; escúchala en Audiomack.' },
    });
    expect(track.isrcs).toEqual(['USUM72409273']);
  });

  it('parsers return null or a value for any JSON, never throw', () => {
    const keys = ['id', 'type', 'title', 'artist', 'album', 'url_slug', 'uploader', 'uploader_url_slug', 'image', 'genre', 'duration', 'released', 'uploaded', 'isrc', 'tracks', 'name', 'bio', 'hometown'];
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.dictionary(fc.constantFrom(...keys), fc.jsonValue({ maxDepth: 3 })), (value, fields) => {
        parseSong(value, reader());
        parseAlbum(value, reader(), true);
        parseArtist(value, reader());
        parseSong({ id: 1, title: 'x', ...fields }, reader());
        parseAlbum({ id: 1, title: 'x', ...fields }, reader(), true);
        parseArtist({ url_slug: 'x', name: 'x', ...fields }, reader());
      }),
      { numRuns: 300 },
    );
  });
});
