import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createLastfmProvider } from '../../../src/providers/lastfm/index.js';
import { isPlaceholderImage, parseAlbum } from '../../../src/providers/lastfm/parse.js';
import type { Provider } from '../../../src/providers/types.js';
import { callContext, replayProvider, type ReplayHarness, sourceErrorOf as rejection } from '../../support/providerHarness.js';
import { readRecording, readRecordingJson, skipWithoutRecordings } from '../../support/recordings.js';

/**
 * Last.fm through the real upstream client against a replay server. Bodies come from the shared
 * recordings (Navidrome's fixtures) and from the genuine answers in test/fixtures/lastfm (origins
 * in its README; two files there are constructed in the documented shape and say so).
 * Recorded URLs use `?` for arguments their fixture did not show, so tests route the exact
 * request the provider makes to the recorded body.
 */
const API = 'https://ws.audioscrobbler.com/2.0/';
const ENV = { LASTFM_API_KEY: 'test-key' };

function fixture(name: string): string {
  return readFileSync(new URL(`../../fixtures/lastfm/${name}`, import.meta.url), 'utf8');
}

function url(params: Record<string, string | number>): string {
  const target = new URL(API);
  for (const [key, value] of Object.entries(params)) target.searchParams.set(key, String(value));
  return target.toString();
}


let harness: ReplayHarness<Provider> | null = null;
afterEach(async () => {
  await harness?.close();
  harness = null;
});

async function start(env: Record<string, string> = ENV): Promise<ReplayHarness<Provider>> {
  harness = await replayProvider(createLastfmProvider, { sources: ['lastfm'], env });
  return harness;
}

describe.skipIf(skipWithoutRecordings('lastfm'))('Last.fm provider', () => {
  describe('without LASTFM_API_KEY', () => {
    it('reports configured: false and fails every capability with UNCONFIGURED, without a request', async () => {
      const { provider, server, ctx } = await start({});
      expect(provider.configured).toBe(false);
      expect(provider.credentials).toEqual(['LASTFM_API_KEY']);
      const calls: Promise<unknown>[] = [
        provider.searchTracks!({ query: 'x', limit: 5, cursor: null }, ctx),
        provider.searchAlbums!({ query: 'x', limit: 5, cursor: null }, ctx),
        provider.searchArtists!({ query: 'x', limit: 5, cursor: null }, ctx),
        provider.track!({ kind: 'track', id: 'U2/One' }, ctx),
        provider.album!({ kind: 'album', id: 'U2/Boy' }, ctx),
        provider.artist!({ kind: 'artist', id: 'U2' }, ctx),
        provider.artistAlbums!({ kind: 'artist', id: 'U2' }, { limit: 5, cursor: null }, ctx),
        provider.artistBiography!({ name: 'U2', musicbrainzId: null, links: [] }, ctx),
        provider.chart!({ country: null, genre: null, limit: 5 }, ctx),
        provider.chart!({ country: 'ES', genre: null, limit: 5 }, ctx),
        provider.chart!({ country: null, genre: 'rock', limit: 5 }, ctx),
        provider.similarArtists!({ kind: 'artist', id: 'U2' }, { limit: 5, cursor: null }, ctx),
      ];
      for (const call of calls) expect((await rejection(call)).kind).toBe('UNCONFIGURED');
      expect(server.count()).toBe(0);
    });
  });

  describe('artist.getInfo (recordings)', () => {
    it('parses the recorded U2 answer: tags as genres, similar artists, bio without the Last.fm anchor', async () => {
      const { provider, server } = await start();
      server.route('GET', url({ method: 'artist.getinfo', artist: 'U2', lang: 'pt' }), {
        body: readRecording('lastfm', 'lastfm.artist.getinfo.json'),
      });
      const recorded = readRecordingJson('lastfm', 'lastfm.artist.getinfo.json').artist;

      const artist = await provider.artist!({ kind: 'artist', id: 'U2' }, callContext({ languages: ['pt'] }));

      expect(artist.id).toBe('lastfm:artist:U2');
      expect(artist.name).toBe(recorded.name);
      expect(artist.url).toBe(recorded.url);
      expect(artist.genres).toEqual(recorded.tags.tag.map((tag: { name: string }) => tag.name));
      expect(artist.similar.map((credit) => credit.name)).toEqual(recorded.similar.artist.map((a: { name: string }) => a.name));
      expect(artist.similar[0]!.id).toBe(`lastfm:artist:${encodeURIComponent(recorded.similar.artist[0].name)}`);
      expect(artist.refs?.musicbrainzArtistId).toBe(recorded.mbid);
      // Every recorded image is Last.fm's grey star placeholder.
      expect(recorded.image.every((image: { '#text': string }) => isPlaceholderImage(image['#text']))).toBe(true);
      expect(artist.photo).toBeNull();

      const bio = artist.biography!;
      expect(bio.language).toBe('pt');
      expect(bio.source).toBe('lastfm');
      expect(bio.url).toBe(recorded.bio.links.link.href);
      expect(bio.summary).toBe(recorded.bio.summary.replace(/\s*<a [^>]+>Read more on Last\.fm<\/a>/, '').trim());
      expect(bio.content).toContain('As vendas giram em torno dos 145 milhões');
      for (const text of [bio.summary!, bio.content!]) {
        expect(text).not.toContain('Read more on Last.fm');
        expect(text).not.toMatch(/<a\b/);
      }
      expect(server.count()).toBe(1);
    });

    it('walks ctx.languages: an empty bio in Spanish falls to the English one, which is reported as English', async () => {
      const { provider, server } = await start();
      server.route('GET', url({ method: 'artist.getinfo', artist: 'Legião Urbana', lang: 'es' }), {
        body: readRecording('lastfm', 'lastfm.artist.getinfo.empty.json'),
      });
      server.route('GET', url({ method: 'artist.getinfo', artist: 'Legião Urbana', lang: 'en' }), {
        body: readRecording('lastfm', 'lastfm.artist.getinfo.en.json'),
      });

      const bio = await provider.artistBiography!(
        { name: 'Legião Urbana', musicbrainzId: null, links: [] },
        callContext({ languages: ['es', 'en'] }),
      );

      expect(bio?.language).toBe('en');
      expect(bio?.summary?.startsWith('Legião Urbana was a Brazilian post-punk band from Brasília')).toBe(true);
      expect(bio?.content).toContain('Dado Villa-Lobos');
      expect(bio?.content).not.toContain('Read more on Last.fm');
      expect(server.count('lang=es')).toBe(1);
      expect(server.count('lang=en')).toBe(1);
    });

    it('returns no biography when no wanted language has one (the "Read more" anchor alone is not a bio)', async () => {
      const { provider, server } = await start();
      server.route('GET', url({ method: 'artist.getinfo', artist: 'Legião Urbana', lang: 'es' }), {
        body: readRecording('lastfm', 'lastfm.artist.getinfo.empty.json'),
      });
      const ctx = callContext({ languages: ['es'] });
      expect(await provider.artistBiography!({ name: 'Legião Urbana', musicbrainzId: null, links: [] }, ctx)).toBeNull();
      const artist = await provider.artist!({ kind: 'artist', id: encodeURIComponent('Legião Urbana') }, ctx);
      expect(artist.name).toBe('Legião Urbana');
      expect(artist.biography).toBeNull();
      expect(artist.similar.length).toBeGreaterThan(0);
      // The second call is answered from the cache.
      expect(server.count()).toBe(1);
    });

    it('falls back from an MBID Last.fm does not know to the name', async () => {
      const { provider, server } = await start();
      const mbid = '47685be0-926f-4be9-b1ae-e32da47a3b99';
      server.route('GET', url({ method: 'artist.getinfo', mbid, lang: 'en' }), {
        body: JSON.stringify({ error: 6, message: 'The artist you supplied could not be found' }),
      });
      server.route('GET', url({ method: 'artist.getinfo', artist: 'Legião Urbana', lang: 'en' }), {
        body: readRecording('lastfm', 'lastfm.artist.getinfo.en.json'),
      });
      const bio = await provider.artistBiography!(
        { name: 'Legião Urbana', musicbrainzId: mbid, links: [] },
        callContext({ languages: ['en'] }),
      );
      expect(bio?.summary).toContain('Renato Russo');
      expect(server.count(`mbid=${mbid}`)).toBe(1);
      expect(server.count('artist=Legi')).toBe(1);
    });

    it('reads the "[unknown]" answer: empty similar list, no photo', async () => {
      const { provider, server } = await start();
      server.route('GET', url({ method: 'artist.getinfo', artist: '[unknown]', lang: 'en' }), {
        body: readRecording('lastfm', 'lastfm.artist.getinfo.unknown.json'),
      });
      const artist = await provider.artist!({ kind: 'artist', id: encodeURIComponent('[unknown]') }, callContext({ languages: ['en'] }));
      expect(artist.similar).toEqual([]);
      expect(artist.photo).toBeNull();
      expect(artist.genres).toContain('mistagged artist');
    });
  });

  describe('error bodies', () => {
    const cases: [number, string][] = [
      [6, 'NOT_FOUND'],
      [10, 'UNAUTHORIZED'],
      [26, 'UNAUTHORIZED'],
      [29, 'RATE_LIMITED'],
      [11, 'UNAVAILABLE'],
      [16, 'UNAVAILABLE'],
      [8, 'BAD_RESPONSE'],
    ];
    it.each(cases)('error %i sent with status 200 becomes %s', async (code, kind) => {
      const { provider, server } = await start();
      server.route('GET', url({ method: 'artist.getinfo', artist: 'Nobody', lang: 'en' }), {
        body: JSON.stringify({ error: code, message: `Last.fm says ${code}` }),
      });
      const error = await rejection(provider.artist!({ kind: 'artist', id: 'Nobody' }, callContext({ languages: ['en'] })));
      expect(error.kind).toBe(kind);
      expect(error.message).toContain(`error ${code}`);
    });

    it('never caches an error body as data', async () => {
      const { provider, server } = await start();
      server.route('GET', url({ method: 'chart.gettoptracks', limit: 5, page: 1 }), {
        body: JSON.stringify({ error: 29, message: 'Rate Limit Exceeded' }),
      });
      const ctx = callContext();
      await rejection(provider.chart!({ country: null, genre: null, limit: 5 }, ctx));
      await rejection(provider.chart!({ country: null, genre: null, limit: 5 }, ctx));
      expect(server.count('chart.gettoptracks')).toBe(2);
    });

    it('an unknown artist has no biography (null, not an error)', async () => {
      const { provider, server } = await start();
      server.route('GET', url({ method: 'artist.getinfo', artist: 'Nobody At All', lang: 'en' }), {
        body: JSON.stringify({ error: 6, message: 'The artist you supplied could not be found' }),
      });
      const bio = await provider.artistBiography!({ name: 'Nobody At All', musicbrainzId: null, links: [] }, callContext({ languages: ['en'] }));
      expect(bio).toBeNull();
    });

    it('a body that is neither data nor an error is BAD_RESPONSE', async () => {
      const { provider, server } = await start();
      server.route('GET', url({ method: 'album.getinfo', artist: 'U2', album: 'Boy' }), { body: '{"something":"else"}' });
      expect((await rejection(provider.album!({ kind: 'album', id: 'U2/Boy' }, callContext()))).kind).toBe('BAD_RESPONSE');
    });
  });

  describe('album.getInfo (recordings)', () => {
    it('gives the track list with durations, ranks, tags and the cover', async () => {
      const { provider, server } = await start();
      server.route('GET', url({ method: 'album.getinfo', artist: 'Legião Urbana', album: 'Dois' }), {
        body: readRecording('lastfm', 'lastfm.album.getinfo.en.json'),
      });
      const recorded = readRecordingJson('lastfm', 'lastfm.album.getinfo.en.json').album;
      const id = `${encodeURIComponent('Legião Urbana')}/Dois`;

      const album = await provider.album!({ kind: 'album', id }, callContext());

      expect(album.id).toBe(`lastfm:album:${id}`);
      expect(album.title).toBe('Dois');
      expect(album.artists.map((a) => a.name)).toEqual(['Legião Urbana']);
      expect(album.genres).toEqual(recorded.tags.tag.map((tag: { name: string }) => tag.name));
      expect(album.trackCount).toBe(recorded.tracks.track.length);
      expect(album.tracks!.map((t) => t.title)).toEqual(recorded.tracks.track.map((t: { name: string }) => t.name));
      expect(album.tracks!.map((t) => t.durationSec)).toEqual(recorded.tracks.track.map((t: { duration: number }) => t.duration));
      expect(album.tracks!.map((t) => t.trackNumber)).toEqual(recorded.tracks.track.map((t: { '@attr': { rank: number } }) => t['@attr'].rank));
      expect(album.tracks![0]!.album).toEqual({ id: album.id, title: 'Dois' });
      expect(album.cover).toEqual({
        small: recorded.image.find((i: { size: string }) => i.size === 'mega')['#text'],
        medium: recorded.image.find((i: { size: string }) => i.size === 'mega')['#text'],
        large: null,
        source: 'lastfm',
      });
      expect(album.refs?.musicbrainzReleaseId).toBe(recorded.mbid);
      expect(album.tracks![0]!.download).toEqual({ allowed: false, reason: 'NOT_LICENSED' });
    });

    it('reads empty strings as missing: no cover, no tags, unknown track list', async () => {
      const { provider, server } = await start();
      server.route('GET', url({ method: 'album.getinfo', artist: 'The Jesus and Mary Chain', album: 'The Definitive Less Damage And More Joy' }), {
        body: readRecording('lastfm', 'lastfm.album.getinfo.empty_urls.json'),
      });
      const album = await provider.album!(
        { kind: 'album', id: `${encodeURIComponent('The Jesus and Mary Chain')}/${encodeURIComponent('The Definitive Less Damage And More Joy')}` },
        callContext(),
      );
      expect(album.cover).toBeNull();
      expect(album.genres).toEqual([]);
      expect(album.tracks).toBeNull();
      expect(album.trackCount).toBeNull();
      expect(album.refs?.musicbrainzReleaseId).toBeNull();
    });

    it('reads a one-track album, where the XML-to-JSON translation sends an object instead of a list', () => {
      const recorded = readRecordingJson('lastfm', 'lastfm.album.getinfo.en.json').album;
      const single = { ...recorded, tracks: { track: recorded.tracks.track[0] } };
      const album = parseAlbum(single, true)!;
      expect(album.trackCount).toBe(1);
      expect(album.tracks!.map((t) => [t.title, t.durationSec, t.trackNumber])).toEqual([['Daniel na Cova dos Leões', 232, 1]]);
    });

    it('rejects an id that is not artist/title without asking Last.fm', async () => {
      const { provider, server } = await start();
      expect((await rejection(provider.album!({ kind: 'album', id: 'only-one-part' }, callContext()))).kind).toBe('NOT_FOUND');
      expect(server.count()).toBe(0);
    });
  });

  describe('search (sample answers)', () => {
    it('track.search: artist given as a bare name, placeholder covers dropped, page cursor', async () => {
      const { provider, server } = await start();
      server.route('GET', url({ method: 'track.search', track: 'some', limit: 3, page: 1 }), { body: fixture('track.search.json') });
      const page = await provider.searchTracks!({ query: 'some', limit: 3, cursor: null }, callContext());
      expect(page.total).toBe(3147643);
      expect(page.nextCursor).toBe('2');
      expect(page.items.map((t) => [t.artists[0]!.name, t.title])).toEqual([
        ['Gotye', 'Somebody That I Used To Know'],
        ['The Killers', 'Somebody Told Me'],
        ['Adele', 'Someone Like You'],
      ]);
      expect(page.items[0]!.id).toBe('lastfm:track:Gotye/Somebody%20That%20I%20Used%20To%20Know');
      expect(page.items.every((t) => t.cover === null)).toBe(true);
      expect(page.items[0]!.links).toEqual([{ platform: 'lastfm', url: 'https://www.last.fm/music/Gotye/_/Somebody+That+I+Used+To+Know' }]);
    });

    it('album.search: covers at 300 px, empty MBIDs read as missing', async () => {
      const { provider, server } = await start();
      server.route('GET', url({ method: 'album.search', album: 'some', limit: 3, page: 2 }), { body: fixture('album.search.json') });
      const page = await provider.searchAlbums!({ query: 'some', limit: 3, cursor: '2' }, callContext());
      expect(page.items.map((a) => a.title)).toEqual(['some rap songs', 'Some Nights', 'Sometimes']);
      expect(page.items[0]!.cover?.small).toBe('https://lastfm.freetls.fastly.net/i/u/300x300/b7b9b1e9d8007ddaeaa9ee8a8e45a4c3.png');
      expect(page.items[0]!.refs?.musicbrainzReleaseId).toBeNull();
      expect(page.items[1]!.refs?.musicbrainzReleaseId).toBe('dc64e2f5-6ca2-429a-8956-c104cd62c925');
      expect(page.items[0]!.tracks).toBeNull();
      expect(page.nextCursor).toBe('3');
    });

    it('artist.search: the star placeholder is never a photo', async () => {
      const { provider, server } = await start();
      server.route('GET', url({ method: 'artist.search', artist: 'some', limit: 2, page: 1 }), { body: fixture('artist.search.json') });
      const page = await provider.searchArtists!({ query: 'some', limit: 2, cursor: null }, callContext());
      expect(page.items.map((a) => a.name)).toEqual(['Something Corporate', 'Someone Still Loves You Boris Yeltsin']);
      expect(page.items.map((a) => a.photo)).toEqual([null, null]);
      expect(page.total).toBe(64264);
    });
  });

  describe('track.getInfo (sample answer)', () => {
    it('reads the duration in milliseconds ("0" means unknown), the album and its cover, and tags', async () => {
      const { provider, server } = await start();
      server.route('GET', url({ method: 'track.getinfo', artist: 'The Cure', track: 'Plainsong' }), { body: fixture('track.getinfo.json') });
      const track = await provider.track!({ kind: 'track', id: 'The%20Cure/Plainsong' }, callContext());
      expect(track.title).toBe('Plainsong');
      expect(track.durationSec).toBeNull();
      expect(track.album).toEqual({ id: 'lastfm:album:The%20Cure/Disintegration', title: 'Disintegration' });
      expect(track.cover?.small).toBe('https://lastfm.freetls.fastly.net/i/u/300x300/83b8ba7098904df8cd2a781da5b4f871.png');
      expect(track.genres).toEqual(['new wave', '80s', 'post-punk', 'alternative', 'The Cure']);
      expect(track.refs?.musicbrainzReleaseId).toBe('91fa2331-d8b4-4d1f-aa4d-53b1c54853e5');
    });
  });

  describe('charts', () => {
    it('global chart: chart.getTopTracks, positions in order, plays as popularity, placeholders and missing images as no cover', async () => {
      const { provider, server } = await start();
      server.route('GET', url({ method: 'chart.gettoptracks', limit: 4, page: 1 }), { body: fixture('chart.gettoptracks.json') });
      const chart = await provider.chart!({ country: null, genre: null, limit: 4 }, callContext());
      expect(chart.scope).toBe('GLOBAL');
      expect(chart.source).toBe('lastfm');
      expect(chart.entries.map((e) => [e.position, e.track.title, e.popularity])).toEqual([
        [1, 'Happy', 110536],
        [2, 'Do I Wanna Know?', 78875],
        [3, 'Rather Be (feat. Jess Glynne)', 71904],
        [4, 'Timber', 37191],
      ]);
      expect(chart.entries[0]!.track.durationSec).toBe(232);
      expect(chart.entries[0]!.track.cover?.small).toBe('http://userserve-ak.last.fm/serve/300x300/92659171.png');
      expect(chart.entries[2]!.track.cover).toBeNull();
      expect(chart.entries[3]!.track.cover).toBeNull();
      expect(Number.isNaN(Date.parse(chart.fetchedAt))).toBe(false);
    });

    it('country chart: geo.getTopTracks with the ISO code mapped to the name Last.fm expects', async () => {
      const { provider, server } = await start();
      server.route('GET', url({ method: 'geo.gettoptracks', country: 'Spain', limit: 2, page: 1 }), {
        body: fixture('geo.gettoptracks.constructed.json'),
      });
      const chart = await provider.chart!({ country: 'ES', genre: null, limit: 2 }, callContext());
      expect(chart.scope).toBe('ES');
      expect(chart.title).toContain('Spain');
      // geo ranks start at 0; positions start at 1. Listeners are the only figure geo gives.
      expect(chart.entries.map((e) => [e.position, e.track.title, e.popularity])).toEqual([
        [1, 'Happy', 51531],
        [2, 'Do I Wanna Know?', 39056],
      ]);
      expect(server.count('country=Spain')).toBe(1);
    });

    it('an unknown country code fails with NOT_FOUND before any request', async () => {
      const { provider, server } = await start();
      expect((await rejection(provider.chart!({ country: 'XX', genre: null, limit: 5 }, callContext()))).kind).toBe('NOT_FOUND');
      expect(server.count()).toBe(0);
    });
  });

  describe('artist.getSimilar', () => {
    it('lists similar artists, most similar first, as Last.fm artists without placeholder photos', async () => {
      const { provider, server } = await start();
      // Constructed in the shape of the recorded artist.getSimilar answer (`similarartists.artist[]`
      // and its `@attr`), with the genuine artist entries of the recorded Guns N' Roses getInfo.
      const similar = readRecordingJson('lastfm', 'artist.getinfo-guns-n-roses-censored.json').artist.similar.artist;
      server.route('GET', url({ method: 'artist.getsimilar', artist: "Guns N' Roses", limit: 3 }), {
        body: JSON.stringify({ similarartists: { artist: similar, '@attr': { artist: "Guns N' Roses" } } }),
      });
      const page = await provider.similarArtists!({ kind: 'artist', id: encodeURIComponent("Guns N' Roses") }, { limit: 3, cursor: null }, callContext());
      expect(page.items.map((artist) => artist.name)).toEqual(similar.slice(0, 3).map((artist: { name: string }) => artist.name));
      expect(page.items[0]).toMatchObject({ id: 'lastfm:artist:Slash', source: 'lastfm', url: 'https://www.last.fm/music/Slash', biography: null });
      expect(page.items[0]!.links).toEqual([{ platform: 'lastfm', url: 'https://www.last.fm/music/Slash' }]);
      expect(page.nextCursor).toBeNull();
      expect(server.count('method=artist.getsimilar')).toBe(1);
    });

    it('reads the recorded answer for an artist with no similar ones as an empty page', async () => {
      const { provider, server } = await start();
      server.route('GET', url({ method: 'artist.getsimilar', artist: '[unknown]', limit: 10 }), {
        body: readRecording('lastfm', 'lastfm.artist.getsimilar.unknown.json'),
      });
      const page = await provider.similarArtists!({ kind: 'artist', id: encodeURIComponent('[unknown]') }, { limit: 10, cursor: null }, callContext());
      expect(page).toEqual({ items: [], total: 0, nextCursor: null });
    });

    it('has one page only: any cursor is bad input, and an unknown artist is NOT_FOUND', async () => {
      const { provider, server } = await start();
      const paged = await rejection(provider.similarArtists!({ kind: 'artist', id: 'U2' }, { limit: 10, cursor: '2' }, callContext()));
      expect(paged.kind).toBe('BAD_INPUT');
      expect(server.count()).toBe(0);
      server.route('GET', url({ method: 'artist.getsimilar', artist: 'Nobody At All', limit: 10 }), {
        body: JSON.stringify({ error: 6, message: 'The artist you supplied could not be found', links: [] }),
      });
      const unknown = await rejection(provider.similarArtists!({ kind: 'artist', id: 'Nobody%20At%20All' }, { limit: 10, cursor: null }, callContext()));
      expect(unknown.kind).toBe('NOT_FOUND');
    });
  });

  describe('genre charts', () => {
    it('declares the genres it charts, in lower case, and asks tag.getTopTracks for one of them', async () => {
      const { provider, server } = await start();
      expect(provider.chartGenres).toEqual(expect.arrayContaining(['rock', 'pop', 'electronic', 'hip-hop', 'jazz', 'rap']));
      for (const genre of provider.chartGenres!) expect(genre).toBe(genre.toLowerCase());
      server.route('GET', url({ method: 'tag.gettoptracks', tag: 'rap', limit: 2, page: 1 }), { body: readRecording('lastfm', 'tag.gettoptracks-rap-limit-2.json') });
      const chart = await provider.chart!({ country: null, genre: 'Rap', limit: 2 }, callContext());
      expect(chart.scope).toBe('GLOBAL');
      expect(chart.entries.map((entry) => [entry.position, entry.track.title, entry.track.artists[0]!.name, entry.track.durationSec])).toEqual([
        [1, 'Stronger', 'Kanye West', 314],
        [2, 'Clint Eastwood', 'Gorillaz', 339],
      ]);
      expect(server.count('tag=rap')).toBe(1);
    });

    it('refuses a genre outside its list, and a genre with a country, without a request', async () => {
      const { provider, server } = await start();
      for (const input of [
        { country: null, genre: 'seen live', limit: 5 },
        { country: null, genre: '80s', limit: 5 },
        { country: 'ES', genre: 'rock', limit: 5 },
      ]) {
        expect((await rejection(provider.chart!(input, callContext()))).kind).toBe('NOT_FOUND');
      }
      expect(server.count()).toBe(0);
    });
  });

  describe('links to Last.fm pages', () => {
    it('names the artist, album or track a page shows, with ids the lookups accept', async () => {
      const { provider, server } = await start();
      const parse = provider.parseUrl!;
      expect(parse(new URL('https://www.last.fm/music/Guns+N%27+Roses'))).toEqual({ entity: 'artist', ref: { kind: 'artist', id: encodeURIComponent("Guns N' Roses") } });
      expect(parse(new URL('https://www.last.fm/music/AC%2FDC/_/Hells+Bells'))).toEqual({ entity: 'track', ref: { kind: 'track', id: 'AC%2FDC/Hells%20Bells' } });
      expect(parse(new URL('https://www.last.fm/es/music/Queen/A+Night+at+the+Opera'))).toEqual({ entity: 'album', ref: { kind: 'album', id: 'Queen/A%20Night%20at%20the%20Opera' } });
      expect(parse(new URL('https://www.lastfm.de/music/Queen/A+Night+at+the+Opera/+tags'))?.entity).toBe('album');
      expect(parse(new URL('https://www.last.fm/music/Nirvana/+wiki'))).toEqual({ entity: 'artist', ref: { kind: 'artist', id: 'Nirvana' } });
      expect(parse(new URL('https://www.last.fm/music/+noredirect/Nirvana'))).toEqual({ entity: 'artist', ref: { kind: 'artist', id: 'Nirvana' } });
      expect(parse(new URL('https://www.last.fm/music/Sum+41/_/In+Too+Deep'))?.ref.id).toBe('Sum%2041/In%20Too%20Deep');
      expect(parse(new URL('https://www.last.fm/music/Mumford+%2B+Sons'))?.ref.id).toBe(encodeURIComponent('Mumford + Sons'));
      for (const other of ['https://www.last.fm/user/rj', 'https://www.last.fm/tag/rock', 'https://www.last.fm/', 'https://example.org/music/Nirvana', 'https://www.last.fm.example.org/music/Nirvana']) {
        expect(parse(new URL(other)), other).toBeNull();
      }
      // The parsed track id is the one a track lookup sends.
      server.route('GET', url({ method: 'track.getinfo', artist: 'AC/DC', track: 'Hells Bells' }), { body: readRecording('lastfm', 'track.getinfo-ac-dc-hells-bells-censored.json') });
      const track = await provider.track!(parse(new URL('https://www.last.fm/music/AC%2FDC/_/Hells+Bells'))!.ref, callContext());
      expect(track.title).toBe('Hells Bells');
    });
  });

  describe('cursors', () => {
    it('pages searches by the page numbers it hands out, and refuses any other cursor without a request', async () => {
      const { provider, server } = await start();
      for (const cursor of ['0', 'abc', '2.5', '-1', 'page-2']) {
        expect((await rejection(provider.searchTracks!({ query: 'gun', limit: 5, cursor }, callContext()))).kind).toBe('BAD_INPUT');
        expect((await rejection(provider.artistAlbums!({ kind: 'artist', id: 'U2' }, { limit: 5, cursor }, callContext()))).kind).toBe('BAD_INPUT');
      }
      expect(server.count()).toBe(0);
    });
  });

  describe('artist.getTopAlbums (constructed sample)', () => {
    it('lists the discography without "(null)" rows and pages by Last.fm page number', async () => {
      const { provider, server } = await start();
      server.route('GET', url({ method: 'artist.gettopalbums', artist: 'Legião Urbana', limit: 2, page: 1 }), {
        body: fixture('artist.gettopalbums.constructed.json'),
      });
      const page = await provider.artistAlbums!({ kind: 'artist', id: encodeURIComponent('Legião Urbana') }, { limit: 2, cursor: null }, callContext());
      expect(page.items.map((a) => a.title)).toEqual(['Dois']);
      expect(page.items[0]!.id).toBe(`lastfm:album:${encodeURIComponent('Legião Urbana')}/Dois`);
      expect(page.items[0]!.refs?.musicbrainzArtistId).toBe('47685be0-926f-4be9-b1ae-e32da47a3b99');
      expect(page.total).toBe(6);
      expect(page.nextCursor).toBe('2');
    });
  });
});
