import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { checkLyrics } from '../../../src/catalog/matching.js';
import { createVagalumeProvider } from '../../../src/providers/vagalume/index.js';
import { languageOf } from '../../../src/providers/vagalume/parse.js';
import type { VagalumeSearchAnswer } from '../../../src/providers/vagalume/types.js';
import type { LyricsQuery, Provider } from '../../../src/providers/types.js';
import { replayProvider, type ReplayHarness, sourceErrorOf as rejection } from '../../support/providerHarness.js';

/**
 * Vagalume has no recordings: the fixtures are real `search.php` answers recorded by the
 * `vagalume` Ruby gem (brianstorti/vagalume, VCR cassettes) in the shape documented at
 * https://api.vagalume.com.br/docs/letras/ — origins and cuts in test/fixtures/vagalume/README.md.
 * They are served through the replay server so the real client runs.
 */
const fixture = (name: string) => readFileSync(new URL(`../../fixtures/vagalume/${name}`, import.meta.url), 'utf8');
const exact = JSON.parse(fixture('search-exact.json')) as Required<VagalumeSearchAnswer>;
const API_KEY = 'test-vagalume-key';

function searchUrl(artist: string, title: string): string {
  const url = new URL('https://api.vagalume.com.br/search.php');
  url.searchParams.set('art', artist);
  url.searchParams.set('mus', title);
  return url.toString();
}

const unforgiven: LyricsQuery = { artist: 'Metallica', title: 'The Unforgiven', album: null, durationSec: 387, isrc: null };
const unforgivenSearch = searchUrl('Metallica', 'The Unforgiven');

let harness: ReplayHarness<Provider> | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function configured() {
  harness = await replayProvider(createVagalumeProvider, { extraHosts: ['api.vagalume.com.br'], env: { VAGALUME_API_KEY: API_KEY } });
  return harness;
}

describe('Vagalume without VAGALUME_API_KEY', () => {
  it('reports configured: false and refuses lyrics without touching the network', async () => {
    harness = await replayProvider(createVagalumeProvider, { extraHosts: ['api.vagalume.com.br'] });
    const { provider, ctx, server } = harness;
    expect(provider.configured).toBe(false);
    expect(provider.credentials).toEqual(['VAGALUME_API_KEY']);
    expect(provider.name).toBe('Vagalume');
    expect((await rejection(provider.lyrics!(unforgiven, ctx))).kind).toBe('UNCONFIGURED');
    expect(server.count()).toBe(0);
  });

  it('treats a blank key as missing', async () => {
    harness = await replayProvider(createVagalumeProvider, { extraHosts: ['api.vagalume.com.br'], env: { VAGALUME_API_KEY: '  ' } });
    expect(harness.provider.configured).toBe(false);
  });
});

describe('Vagalume lyrics', () => {
  it('searches by artist and title with the key, and reads the song it found', async () => {
    const { provider, ctx, server } = await configured();
    server.route('GET', unforgivenSearch, { body: fixture('search-exact.json'), contentType: 'application/x-javascript; charset=UTF-8' });
    const lyrics = await provider.lyrics!(unforgiven, ctx);

    expect(server.count()).toBe(1);
    expect(server.requests[0]!.query.get('apikey')).toBe(API_KEY);
    const [song] = exact.mus;
    expect(lyrics).toEqual({
      source: 'vagalume',
      trackTitle: song!.name,
      artistName: exact.art.name,
      durationSec: null,
      text: song!.text,
      synced: null,
      partial: false,
      copyright: null,
      // `lang` 2 is English; the Portuguese translation is not the lyrics.
      language: 'en',
      url: song!.url,
      instrumental: false,
      match: null,
    });
    expect(lyrics!.text!.split('\n')[0]).toBe('New blood joins this earth');
    expect(lyrics!.text).not.toContain('Imperdoáveis');
    expect(checkLyrics(unforgiven, lyrics!).accepted).toBe(true);
  });

  it('keeps the title and artist Vagalume offers for an approximate answer, for the matching rules to judge', async () => {
    const { provider, ctx, server } = await configured();
    const misspelt: LyricsQuery = { ...unforgiven, artist: 'Metalica', title: 'Unforgiven' };
    server.route('GET', searchUrl('Metalica', 'Unforgiven'), { body: fixture('search-aprox.json') });
    const lyrics = (await provider.lyrics!(misspelt, ctx))!;
    expect(lyrics.trackTitle).toBe('The Unforgiven');
    expect(lyrics.artistName).toBe('Metallica');
    expect(lyrics.match).toBeNull();
    // The rules, not the provider, decide: close enough here, but with less than full confidence.
    const verdict = checkLyrics(misspelt, lyrics);
    expect(verdict.accepted).toBe(true);
    expect(verdict.confidence).toBeLessThan(1);
    // An approximate answer for another song of the artist is rejected by the same rules.
    expect(checkLyrics({ ...misspelt, title: 'Enter Sandman' }, lyrics).accepted).toBe(false);
  });

  it.each([
    ['search-song-notfound.json', 'artist known, song not'],
    ['search-notfound.json', 'artist unknown'],
  ])('answers null, not an error, for %s (%s)', async (file) => {
    const { provider, ctx, server } = await configured();
    server.route('GET', unforgivenSearch, { body: fixture(file) });
    expect(await provider.lyrics!(unforgiven, ctx)).toBeNull();
    expect(server.count()).toBe(1);
  });

  it('maps the numeric language id (3 → es) and leaves unknown ids (999999) null', async () => {
    const { provider, ctx, server } = await configured();
    const spanish = structuredClone(exact);
    spanish.mus[0]!.lang = 3;
    server.route('GET', unforgivenSearch, { body: JSON.stringify(spanish) });
    expect((await provider.lyrics!(unforgiven, ctx))?.language).toBe('es');

    const other = structuredClone(exact);
    other.mus[0]!.lang = 999999;
    const query = { ...unforgiven, title: 'The Unforgiven II' };
    server.route('GET', searchUrl('Metallica', 'The Unforgiven II'), { body: JSON.stringify(other) });
    expect((await provider.lyrics!(query, ctx))?.language).toBeNull();
  });

  it('strips HTML from names and decodes entities', async () => {
    const { provider, ctx, server } = await configured();
    const answer = structuredClone(exact);
    answer.art.name = 'Simon &amp; Garfunkel';
    answer.mus[0]!.name = 'The <b>Boxer</b>';
    server.route('GET', unforgivenSearch, { body: JSON.stringify(answer) });
    const lyrics = (await provider.lyrics!(unforgiven, ctx))!;
    expect(lyrics.artistName).toBe('Simon & Garfunkel');
    expect(lyrics.trackTitle).toBe('The Boxer');
  });

  it('a found song without text is no lyrics', async () => {
    const { provider, ctx, server } = await configured();
    const answer = structuredClone(exact);
    answer.mus[0]!.text = ' ';
    server.route('GET', unforgivenSearch, { body: JSON.stringify(answer) });
    expect(await provider.lyrics!(unforgiven, ctx)).toBeNull();
  });

  it.each([
    ['an error object without "type"', '{"error":"invalid apikey"}'],
    ['an unknown type', '{"type":"error"}'],
    ['an exact answer without "mus"', '{"type":"exact","art":{"name":"Metallica"}}'],
  ])('%s is BAD_RESPONSE, and is not cached', async (_label, body) => {
    const { provider, ctx, server } = await configured();
    server.route('GET', unforgivenSearch, { body });
    expect((await rejection(provider.lyrics!(unforgiven, ctx))).kind).toBe('BAD_RESPONSE');
    server.route('GET', unforgivenSearch, { body: fixture('search-exact.json') });
    expect((await provider.lyrics!(unforgiven, ctx))?.trackTitle).toBe('The Unforgiven');
    expect(server.count()).toBe(2);
  });

  it.each([
    [403, 'UNAUTHORIZED'],
    [429, 'RATE_LIMITED'],
    [503, 'UNAVAILABLE'],
  ])('HTTP %i becomes %s', async (status, kind) => {
    const { provider, ctx, server } = await configured();
    server.route('GET', unforgivenSearch, { status, body: '', contentType: 'text/plain' });
    expect((await rejection(provider.lyrics!(unforgiven, ctx))).kind).toBe(kind);
  });

  it('an HTML page instead of JSON is BAD_RESPONSE', async () => {
    const { provider, ctx, server } = await configured();
    server.route('GET', unforgivenSearch, { body: '<!DOCTYPE html><html><body>Vagalume</body></html>', contentType: 'text/html' });
    expect((await rejection(provider.lyrics!(unforgiven, ctx))).kind).toBe('BAD_RESPONSE');
  });

  it('a cancelled call is not a lyrics answer', async () => {
    const { provider, server } = await configured();
    server.route('GET', unforgivenSearch, { body: fixture('search-exact.json') });
    const controller = new AbortController();
    controller.abort();
    const error = await rejection(provider.lyrics!(unforgiven, { signal: controller.signal, languages: ['es'], cacheMode: 'normal' }));
    expect(error.kind).toBe('ABORTED');
  });
});

describe('Vagalume language ids', () => {
  it('maps every documented id to ISO 639-1', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9].map(languageOf)).toEqual(['pt', 'en', 'es', 'fr', 'de', 'it', 'nl', 'ja', 'pt']);
    expect(languageOf('1')).toBe('pt');
    expect(languageOf(999999)).toBeNull();
    expect(languageOf(undefined)).toBeNull();
  });
});
