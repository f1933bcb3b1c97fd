import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppleProvider } from '../../../src/providers/apple/index.js';
import fc from 'fast-check';
import { albumFromLookup, artworkSizes, parseFeedEntries, parseLookupSong, parseSong, songFromLookup } from '../../../src/providers/apple/parse.js';
import type { AppleFeed, AppleFeedResult, ItunesLookup, ItunesResult } from '../../../src/providers/apple/types.js';
import { parseAppleMusicUrl } from '../../../src/providers/apple/urls.js';
import { readRecordingJson, skipWithoutRecordings } from '../../support/recordings.js';
import type { Provider } from '../../../src/providers/types.js';
import { callContext, replayProvider, type ReplayHarness, sourceErrorOf as rejection } from '../../support/providerHarness.js';

/**
 * Apple Music RSS through the real upstream client. No recordings exist in the shared set; the
 * body is a genuine 2022 answer of the US most-played songs feed kept in
 * giacomozama/itunes-most-played's test suite (details in test/fixtures/apple/README.md).
 */
const SAMPLE = readFileSync(new URL('../../fixtures/apple/most-played.us.songs.json', import.meta.url), 'utf8');
const FEEDS = 'https://rss.applemarketingtools.com/api/v2';

let harness: ReplayHarness<Provider> | null = null;
afterEach(async () => {
  await harness?.close();
  harness = null;
});

async function start(): Promise<ReplayHarness<Provider>> {
  harness = await replayProvider(createAppleProvider, { extraHosts: ['rss.applemarketingtools.com', 'itunes.apple.com'] });
  return harness;
}


describe('Apple Music RSS provider', () => {
  it('reads the country chart: positions, songs, release dates, genres without the "Music" umbrella', async () => {
    const { provider, server } = await start();
    server.route('GET', `${FEEDS}/us/music/most-played/5/songs.json`, { body: SAMPLE });
    const results = JSON.parse(SAMPLE).feed.results;

    const chart = await provider.chart!({ country: 'US', genre: null, limit: 5 }, callContext());

    expect(chart.scope).toBe('US');
    expect(chart.source).toBe('apple');
    expect(chart.title).toBe('Apple Music: Top Songs (United States)');
    expect(chart.entries.map((e) => e.position)).toEqual([1, 2, 3, 4, 5]);
    expect(chart.entries.map((e) => e.track.title)).toEqual(results.map((r: { name: string }) => r.name));
    expect(chart.entries.map((e) => e.track.artists[0]!.name)).toEqual(results.map((r: { artistName: string }) => r.artistName));
    const first = chart.entries[0]!.track;
    expect(first).toMatchObject({
      id: 'apple:song:1621119447',
      releaseDate: '2022-04-29',
      genres: ['Hip-Hop/Rap'],
      playbackUrl: 'https://music.apple.com/us/album/wait-for-u-feat-drake-tems/1621119097?i=1621119447',
      durationSec: null,
    });
    expect(first.download).toEqual({ allowed: false, reason: 'NOT_LICENSED' });
    expect(chart.entries[1]!.track.title).toBe('Tití Me Preguntó');
  });

  it('rewrites the 100 px artwork to 250/500/1000 px', async () => {
    const { provider, server } = await start();
    server.route('GET', `${FEEDS}/us/music/most-played/1/songs.json`, { body: SAMPLE });
    const chart = await provider.chart!({ country: 'us', genre: null, limit: 1 }, callContext());
    const base = 'https://is4-ssl.mzstatic.com/image/thumb/Music122/v4/65/f2/06/65f2067b-a8ea-239c-c219-8e0f0282dcea/196589073693.jpg';
    expect(chart.entries).toHaveLength(1);
    expect(chart.entries[0]!.track.cover).toEqual({
      small: `${base}/250x250bb.jpg`,
      medium: `${base}/500x500bb.jpg`,
      large: `${base}/1000x1000bb.jpg`,
      source: 'apple',
    });
    expect(artworkSizes('https://example.org/cover.jpg')).toEqual({ small: 'https://example.org/cover.jpg', medium: null, large: null, source: 'apple' });
  });

  it('asks the lower-case storefront of the wanted country', async () => {
    const { provider, server } = await start();
    server.route('GET', `${FEEDS}/es/music/most-played/5/songs.json`, { body: SAMPLE });
    const chart = await provider.chart!({ country: 'ES', genre: null, limit: 5 }, callContext());
    expect(chart.scope).toBe('ES');
    expect(chart.title).toContain('Spain');
    expect(server.count('/api/v2/es/music/most-played/5/songs.json')).toBe(1);
  });

  it('has no worldwide chart: without a country it gives the US chart and labels it US', async () => {
    const { provider, server } = await start();
    server.route('GET', `${FEEDS}/us/music/most-played/5/songs.json`, { body: SAMPLE });
    const chart = await provider.chart!({ country: null, genre: null, limit: 5 }, callContext());
    expect(chart.scope).toBe('US');
    expect(chart.title).toContain('United States');
  });

  it('fails typed: unknown country (no request), missing storefront (404), body without results', async () => {
    const { provider, server } = await start();
    expect((await rejection(provider.chart!({ country: 'XX', genre: null, limit: 5 }, callContext()))).kind).toBe('NOT_FOUND');
    expect(server.count()).toBe(0);

    server.route('GET', `${FEEDS}/kp/music/most-played/5/songs.json`, { status: 404, body: '' });
    expect((await rejection(provider.chart!({ country: 'KP', genre: null, limit: 5 }, callContext()))).kind).toBe('NOT_FOUND');

    server.route('GET', `${FEEDS}/fr/music/most-played/5/songs.json`, { body: '{"feed":{"title":"Top Songs"}}' });
    expect((await rejection(provider.chart!({ country: 'FR', genre: null, limit: 5 }, callContext()))).kind).toBe('BAD_RESPONSE');

    server.route('GET', `${FEEDS}/de/music/most-played/5/songs.json`, { status: 503, body: 'busy' });
    expect((await rejection(provider.chart!({ country: 'DE', genre: null, limit: 5 }, callContext()))).kind).toBe('UNAVAILABLE');
  });
});

/**
 * iTunes Lookup API: a genuine answer of `lookup?entity=song&limit=200&id=1728639278&country=us`
 * kept in Harmony's test data (details in test/fixtures/apple/README.md), trimmed to the album and
 * its first two songs. No lookup is among the shared recordings.
 */
const LOOKUP_ALBUM = readFileSync(new URL('../../fixtures/apple/lookup.album-1728639278.us.json', import.meta.url), 'utf8');
const LOOKUP = 'https://itunes.apple.com/lookup';
const lookupUrl = (params: Record<string, string | number>) => `${LOOKUP}?${new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)]))}`;

describe('Apple Music lookups (iTunes Lookup API)', () => {
  it('album: the album lookup with entity=song gives the album and its songs in order', async () => {
    const { provider, server } = await start();
    server.route('GET', lookupUrl({ entity: 'song', limit: 200, id: '1728639278', country: 'us' }), { body: LOOKUP_ALBUM });
    const album = await provider.album!({ kind: 'album', id: '1728639278' }, callContext());
    expect(server.unmatched).toEqual([]);
    expect(album).toMatchObject({
      id: 'apple:album:1728639278',
      title: 'Nightmare·Escape The ERA - EP',
      artists: [{ id: null, name: 'Dreamcatcher' }],
      releaseDate: '2018-05-10',
      trackCount: 6,
      type: 'EP',
      genres: ['K-Pop'],
      url: 'https://music.apple.com/us/album/nightmare-escape-the-era-ep/1728639278',
    });
    expect(album.cover?.large).toBe('https://is1-ssl.mzstatic.com/image/thumb/Music116/v4/0e/a4/29/0ea429d0-fcf0-6f98-d433-d2fa4700fc37/cover_KM0019454_1.jpg/1000x1000bb.jpg');
    expect(album.tracks!.map((t) => [t.id, t.title, t.trackNumber, t.durationSec])).toEqual([
      ['apple:song:1728639279', 'INSIDE-OUTSIDE (Intro)', 1, 84],
      ['apple:song:1728639281', 'YOU AND I', 2, 195],
    ]);
    expect(album.tracks![0]).toMatchObject({
      album: { id: 'apple:album:1728639278', title: 'Nightmare·Escape The ERA - EP' },
      playbackUrl: 'https://music.apple.com/us/album/inside-outside-intro/1728639278?i=1728639279',
      previewUrl: 'https://audio-ssl.itunes.apple.com/itunes-assets/AudioPreview126/v4/09/22/b0/0922b0ea-7dfb-e85b-17d0-80255ff014ab/mzaf_6378099378252459597.plus.aac.p.m4a',
      download: { allowed: false, reason: 'NOT_LICENSED' },
    });
  });

  it('track: a song lookup answers with that song alone', async () => {
    const { provider, server } = await start();
    // A lookup by song id lists just that song; its object is the recorded one.
    const recordedSong = (JSON.parse(LOOKUP_ALBUM) as ItunesLookup).results![2]!;
    server.route('GET', lookupUrl({ id: '1728639281', country: 'us' }), { body: JSON.stringify({ resultCount: 1, results: [recordedSong] }) });
    const track = await provider.track!({ kind: 'song', id: '1728639281' }, callContext());
    expect(track).toMatchObject({ id: 'apple:song:1728639281', title: 'YOU AND I', durationSec: 195, discNumber: 1 });
  });

  it('nothing found (resultCount 0) is NOT_FOUND; malformed ids are NOT_FOUND without a request', async () => {
    const { provider, server } = await start();
    server.route('GET', lookupUrl({ id: '1', country: 'us' }), { body: '\n\n\n{\n "resultCount":0,\n "results": []\n}\n\n\n' });
    expect((await rejection(provider.track!({ kind: 'song', id: '1' }, callContext()))).kind).toBe('NOT_FOUND');
    expect(server.count()).toBe(1);
    for (const ref of [{ kind: 'song', id: 'abc' }, { kind: 'album', id: '1728639279' }, { kind: 'song', id: '1 2' }]) {
      expect((await rejection(provider.track!(ref, callContext()))).kind).toBe('NOT_FOUND');
    }
    expect((await rejection(provider.album!({ kind: 'album', id: '0' }, callContext()))).kind).toBe('NOT_FOUND');
    expect(server.count()).toBe(1);
  });

  it.each([
    ['an HTML page with status 200', '<html><body>Service unavailable</body></html>', 'text/html'],
    ['truncated JSON', '{"resultCount":1,"results":[{"wrapperType":"track"', 'text/javascript; charset=utf-8'],
    ['results that are not a list', '{"resultCount":1,"results":{"trackId":1}}', 'text/javascript; charset=utf-8'],
  ])('%s is BAD_RESPONSE', async (_what, body, contentType) => {
    const { provider, server } = await start();
    server.route('GET', lookupUrl({ id: '1728639281', country: 'us' }), { body, contentType });
    expect((await rejection(provider.track!({ kind: 'song', id: '1728639281' }, callContext()))).kind).toBe('BAD_RESPONSE');
  });

  it('parsers return null or a value for any JSON, never throw', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
        parseLookupSong(value as ItunesResult);
        parseSong(value as AppleFeedResult);
        songFromLookup({ results: [value] } as ItunesLookup, '1');
        albumFromLookup({ results: [value, { wrapperType: 'collection', collectionId: 1, collectionName: 'x' }] } as ItunesLookup, '1');
        parseFeedEntries({ feed: { results: [value] } } as AppleFeed);
        parseSong({ id: '1', name: 'x', artistName: 'y', genres: value } as AppleFeedResult);
      }),
      { numRuns: 300 },
    );
  });
});

describe.skipIf(skipWithoutRecordings('apple'))('Apple Music parseUrl', () => {
  it('reads every song link of the recorded RSS feed (album page with ?i=) as that song', async () => {
    const { provider } = await start();
    const feed = readRecordingJson<AppleFeed>('apple', 'most-played-us-20-songs-2022.json');
    const results = feed.feed!.results!;
    expect(results).toHaveLength(20);
    for (const result of results) {
      expect(provider.parseUrl!(new URL(result.url!))).toEqual({ entity: 'track', ref: { kind: 'song', id: result.id } });
    }
  });

  it('reads song pages, album pages and the older iTunes links; the lookup links included', () => {
    const parse = (link: string) => parseAppleMusicUrl(new URL(link));
    const lookup = JSON.parse(LOOKUP_ALBUM) as ItunesLookup;
    expect(parse(lookup.results![0]!.collectionViewUrl!)).toEqual({ entity: 'album', ref: { kind: 'album', id: '1728639278' } });
    expect(parse(lookup.results![1]!.trackViewUrl!)).toEqual({ entity: 'track', ref: { kind: 'song', id: '1728639279' } });
    expect(parse('https://music.apple.com/es/song/you-and-i/1728639281')).toEqual({ entity: 'track', ref: { kind: 'song', id: '1728639281' } });
    expect(parse('https://music.apple.com/gb/song/1728639281')).toEqual({ entity: 'track', ref: { kind: 'song', id: '1728639281' } });
    expect(parse('https://itunes.apple.com/us/album/nightmare-escape-the-era-ep/id1728639278?i=1728639279')).toEqual({ entity: 'track', ref: { kind: 'song', id: '1728639279' } });
    expect(parse('https://geo.music.apple.com/us/album/_/1728639278')).toEqual({ entity: 'album', ref: { kind: 'album', id: '1728639278' } });
  });

  it('gives null for artist and playlist pages (no lookups for them here), bad song ids and other hosts', () => {
    const parse = (link: string) => parseAppleMusicUrl(new URL(link));
    for (const link of [
      'https://music.apple.com/us/artist/future/128050210',
      'https://music.apple.com/us/playlist/todays-hits/pl.f4d106fed2bd41149aaacabb233eb5eb',
      'https://music.apple.com/us/album/x/1728639278?i=abc',
      'https://music.apple.com/us/album/x/notanid',
      'https://rss.applemarketingtools.com/api/v2/us/music/most-played/20/songs.json',
      'https://music.apple.com.example/us/song/x/1',
    ]) {
      expect(parse(link)).toBeNull();
    }
  });
});
