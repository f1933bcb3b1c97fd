import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createDeezerProvider } from '../../../src/providers/deezer/index.js';
import fc from 'fast-check';
import { DEEZER_GENRES, deezerGenreId } from '../../../src/providers/deezer/genres.js';
import { errorFromBody, isDefaultPicture, normaliseName, parseAlbum, parseArtist, parseChartEntries, parseTrack } from '../../../src/providers/deezer/parse.js';
import type { DzAlbum, DzArtist, DzTrack } from '../../../src/providers/deezer/types.js';
import { parseDeezerUrl } from '../../../src/providers/deezer/urls.js';
import type { Provider } from '../../../src/providers/types.js';
import { callContext, replayProvider, type ReplayHarness, sourceErrorOf as rejection } from '../../support/providerHarness.js';
import { readRecording, readRecordingJson, skipWithoutRecordings } from '../../support/recordings.js';

/**
 * Deezer through the real upstream client. `/search/artist?q=Michael+Jackson` and
 * `/artist/<id>/top` are the shared recordings (from Navidrome); the other bodies are genuine
 * answers recorded by deezer-python (origins in test/fixtures/deezer/README.md), served with
 * `server.route()` for the exact request the provider makes.
 */
const API = 'https://api.deezer.com';

function fixture(name: string): string {
  return readFileSync(new URL(`../../fixtures/deezer/${name}`, import.meta.url), 'utf8');
}

function url(path: string, params: Record<string, string | number> = {}): string {
  const target = new URL(`${API}${path}`);
  for (const [key, value] of Object.entries(params)) target.searchParams.set(key, String(value));
  return target.toString();
}


let harness: ReplayHarness<Provider> | null = null;
afterEach(async () => {
  await harness?.close();
  harness = null;
});

async function start(): Promise<ReplayHarness<Provider>> {
  harness = await replayProvider(createDeezerProvider, { sources: ['deezer'] });
  return harness;
}

interface RecordedArtist {
  id: number;
  name: string;
  picture_small: string;
  picture_medium: string;
  picture_big: string;
  picture_xl: string;
}

describe.skipIf(skipWithoutRecordings('deezer'))('Deezer provider', () => {
  it('is keyless and always configured', async () => {
    const { provider } = await start();
    expect(provider.configured).toBe(true);
    expect(provider.credentials).toEqual([]);
  });

  describe('artistImage (recording /search/artist?q=Michael+Jackson)', () => {
    it('takes the exact-name match and its 250/500/1000 px pictures', async () => {
      const { provider, server } = await start();
      const recorded: RecordedArtist[] = readRecordingJson('deezer', 'deezer.search.artist.json').data;
      const expected = recorded.find((artist) => artist.name === 'Michael Jackson')!;

      const photo = await provider.artistImage!({ name: 'Michael Jackson', musicbrainzId: null, links: [] }, callContext());

      expect(photo).toEqual({ small: expected.picture_medium, medium: expected.picture_big, large: expected.picture_xl, source: 'deezer' });
      expect(server.count('/search/artist')).toBe(1);
    });

    it('refuses near misses: no artist named exactly like the query means no photo', async () => {
      const { provider, server } = await start();
      server.route('GET', url('/search/artist', { q: 'Micheal Jackson' }), { body: readRecording('deezer', 'deezer.search.artist.json') });
      // The answer holds "jay emcee, Micheal Jackson" and "Michael Jackson Tribute", neither of which is this artist.
      expect(await provider.artistImage!({ name: 'Micheal Jackson', musicbrainzId: null, links: [] }, callContext())).toBeNull();
    });

    it("never returns Deezer's empty-hash default picture, even for an exact match", async () => {
      const { provider, server } = await start();
      const recorded: RecordedArtist[] = readRecordingJson('deezer', 'deezer.search.artist.json').data;
      const withoutPicture = recorded.find((artist) => artist.name === 'The Michael Jackson Tribute Band')!;
      expect(isDefaultPicture(withoutPicture.picture_medium)).toBe(true);
      server.route('GET', url('/search/artist', { q: withoutPicture.name }), { body: readRecording('deezer', 'deezer.search.artist.json') });

      expect(await provider.artistImage!({ name: withoutPicture.name, musicbrainzId: null, links: [] }, callContext())).toBeNull();
    });

    it('uses a Deezer link from MusicBrainz relationships directly, without searching', async () => {
      const { provider, server } = await start();
      server.route('GET', url('/artist/27'), { body: fixture('artist.27.json') });
      const photo = await provider.artistImage!(
        { name: 'Daft Punk', musicbrainzId: null, links: [{ platform: 'deezer', url: 'https://www.deezer.com/fr/artist/27' }] },
        callContext(),
      );
      expect(photo?.large).toBe('https://e-cdns-images.dzcdn.net/images/artist/f2bc007e9133c946ac3c3907ddc5d2ea/1000x1000-000000-80-0-0.jpg');
      expect(server.count('/search/')).toBe(0);
    });

    it('matches names regardless of case, accents and punctuation only', () => {
      expect(normaliseName('Beyoncé')).toBe(normaliseName('BEYONCE'));
      expect(normaliseName('AC/DC')).toBe(normaliseName('ac dc'));
      expect(normaliseName('Bob Marley & The Wailers')).toBe(normaliseName('bob marley and the wailers'));
      expect(normaliseName('Michael Jackson Tribute')).not.toBe(normaliseName('Michael Jackson'));
    });
  });

  describe('recorded /artist/<id>/top rows', () => {
    it('parse into tracks with every contributor, album, cover sizes and the 30 s preview', () => {
      const recorded = readRecordingJson('deezer', 'deezer.artist.top.json').data;
      for (const row of recorded) {
        const track = parseTrack(row)!;
        expect(track.id).toBe(`deezer:track:${row.id}`);
        expect(track.title).toBe(row.title);
        expect(track.durationSec).toBe(row.duration);
        expect(track.artists.map((a) => a.name)).toEqual(row.contributors.map((c: { name: string }) => c.name));
        expect(track.album).toEqual({ id: `deezer:album:${row.album.id}`, title: row.album.title });
        expect(track.cover).toEqual({ small: row.album.cover_medium, medium: row.album.cover_big, large: row.album.cover_xl, source: 'deezer' });
        expect(track.previewUrl).toBe(row.preview);
        expect(track.playbackUrl).toBe(row.link);
        expect(track.download).toEqual({ allowed: false, reason: 'NOT_LICENSED' });
      }
      expect(parseTrack(recorded[0])!.artists.map((a) => a.id)).toEqual(['deezer:artist:27', 'deezer:artist:295821']);
    });
  });

  describe('chart', () => {
    it('global chart from /chart/0/tracks: Deezer positions, rank as popularity', async () => {
      const { provider, server } = await start();
      server.route('GET', url('/chart/0/tracks', { limit: 3 }), { body: fixture('chart.0.tracks.json') });
      const chart = await provider.chart!({ country: null, genre: null, limit: 3 }, callContext());
      expect(chart.scope).toBe('GLOBAL');
      expect(chart.entries.map((e) => [e.position, e.track.artists[0]!.name, e.track.title, e.popularity])).toEqual([
        [1, "Heuss L'enfoiré", 'Khapta', 995729],
        [2, 'Angèle', 'Tout oublier', 998162],
        [3, 'Ariana Grande', '7 rings', 1000000],
      ]);
      expect(chart.entries[1]!.track.album).toEqual({ id: 'deezer:album:71730882', title: 'Brol' });
    });

    it('has no chart by country code and says so without a request', async () => {
      const { provider, server } = await start();
      expect((await rejection(provider.chart!({ country: 'ES', genre: null, limit: 10 }, callContext()))).kind).toBe('NOT_FOUND');
      expect(server.count()).toBe(0);
    });
  });

  describe('search', () => {
    it('tracks: index/limit paging continued from `next`', async () => {
      const { provider, server } = await start();
      server.route('GET', url('/search/track', { q: 'Soliloquy', index: 0, limit: 2 }), { body: fixture('search.track.json') });
      const page = await provider.searchTracks!({ query: 'Soliloquy', limit: 2, cursor: null }, callContext());
      expect(page.total).toBe(290);
      expect(page.nextCursor).toBe('2');
      expect(page.items.map((t) => [t.title, t.durationSec, t.artists[0]!.name])).toEqual([
        ['Too much', 209, 'Lou Doillon'],
        ['Brother', 214, 'Lou Doillon'],
      ]);
      expect(page.items[0]!.previewUrl).toBe('https://cdns-preview-0.dzcdn.net/stream/c-062c3f7698bea38986aa01374a2ff1b0-4.mp3');
    });

    it('artists: the recorded answer, with empty-hash pictures read as no photo', async () => {
      const { provider, server } = await start();
      server.route('GET', url('/search/artist', { q: 'Michael Jackson', index: 0, limit: 25 }), { body: readRecording('deezer', 'deezer.search.artist.json') });
      const recorded: RecordedArtist[] = readRecordingJson('deezer', 'deezer.search.artist.json').data;
      const page = await provider.searchArtists!({ query: 'Michael Jackson', limit: 25, cursor: null }, callContext());
      expect(page.items.map((a) => a.name)).toEqual(recorded.map((a) => a.name));
      expect(page.items.map((a) => a.photo === null)).toEqual(recorded.map((a) => isDefaultPicture(a.picture_medium)));
      expect(page.total).toBe(17);
      // No `next` in the answer: this was the last page.
      expect(page.nextCursor).toBeNull();
    });
  });

  describe('lookups', () => {
    it('track: ISRC, date, position and every contributor', async () => {
      const { provider, server } = await start();
      server.route('GET', url('/track/3135556'), { body: fixture('track.3135556.json') });
      const track = await provider.track!({ kind: 'track', id: '3135556' }, callContext());
      expect(track).toMatchObject({
        id: 'deezer:track:3135556',
        title: 'Harder Better Faster Stronger',
        isrc: 'GBDUW0000059',
        releaseDate: '2001-03-07',
        durationSec: 224,
        trackNumber: 4,
        discNumber: 1,
        playbackUrl: 'https://www.deezer.com/track/3135556',
        album: { id: 'deezer:album:302127', title: 'Discovery' },
      });
      expect(track.isrcs).toEqual(['GBDUW0000059']);
      expect(track.artists).toEqual([{ id: 'deezer:artist:27', name: 'Daft Punk' }]);
    });

    it('album (2025 recordings): barcode, label, genres, and the whole track list with ISRCs from /album/<id>/tracks', async () => {
      const { provider, server } = await start();
      const recordedAlbum = readRecordingJson('deezer', 'album-302127-discovery-2025.json');
      const recordedTracks = readRecordingJson('deezer', 'album-302127-tracks-2025.json').data;
      const album = await provider.album!({ kind: 'album', id: '302127' }, callContext());
      expect(server.unmatched).toEqual([]);
      expect(server.requests.map((r) => r.path)).toEqual(['/album/302127', '/album/302127/tracks']);
      expect(album).toMatchObject({
        title: 'Discovery',
        barcode: '724384960650',
        label: 'Daft Life Ltd./ADA France',
        type: 'ALBUM',
        releaseDate: '2001-03-07',
        trackCount: 14,
        genres: ['Dance'],
      });
      expect(album.tracks!.map((t) => [t.title, t.isrc, t.trackNumber])).toEqual(
        recordedTracks.map((t: { title: string; isrc: string; track_position: number }) => [t.title, t.isrc, t.track_position]),
      );
      expect(album.tracks![0]!.isrcs).toEqual(['GBDUW0000053']);
      expect(album.tracks!.reduce((sum, t) => sum + t.durationSec!, 0)).toBe(recordedAlbum.duration);
      expect(album.tracks![0]!.cover?.large).toBe(recordedAlbum.cover_xl);
      expect(album.tracks![0]!.album).toEqual({ id: 'deezer:album:302127', title: 'Discovery' });
    });

    it('album: a track list longer than one page is read to the end by following `next`', async () => {
      const { provider, server } = await start();
      // The recorded 14-track list cut into the two pages Deezer sends for longer albums (25 rows each,
      // `next` pointing at the following index); every row is as recorded.
      const recorded = readRecordingJson('deezer', 'album-302127-tracks-2025.json');
      const first = { data: recorded.data.slice(0, 10), total: 14, next: `${API}/album/302127/tracks?index=10` };
      const second = { data: recorded.data.slice(10), total: 14, prev: `${API}/album/302127/tracks?index=0` };
      server.route('GET', url('/album/302127/tracks'), { body: JSON.stringify(first) });
      server.route('GET', url('/album/302127/tracks', { index: 10 }), { body: JSON.stringify(second) });
      const album = await provider.album!({ kind: 'album', id: '302127' }, callContext());
      expect(album.tracks!.map((t) => t.trackNumber)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
      expect(server.count('/album/302127/tracks')).toBe(2);
    });

    it('artist: name, photo and page', async () => {
      const { provider, server } = await start();
      server.route('GET', url('/artist/27'), { body: fixture('artist.27.json') });
      const artist = await provider.artist!({ kind: 'artist', id: '27' }, callContext());
      expect(artist).toMatchObject({ id: 'deezer:artist:27', name: 'Daft Punk', url: 'https://www.deezer.com/artist/27' });
      expect(artist.photo?.small).toBe('https://e-cdns-images.dzcdn.net/images/artist/f2bc007e9133c946ac3c3907ddc5d2ea/250x250-000000-80-0-0.jpg');
    });

    it('a non-numeric id is NOT_FOUND without a request', async () => {
      const { provider, server } = await start();
      expect((await rejection(provider.track!({ kind: 'track', id: 'abc' }, callContext()))).kind).toBe('NOT_FOUND');
      expect(server.count()).toBe(0);
    });
  });

  describe('error bodies (status 200)', () => {
    it('code 800 "no data" is NOT_FOUND', async () => {
      const { provider, server } = await start();
      server.route('GET', url('/track/1'), { body: fixture('error.no-data.json') });
      const error = await rejection(provider.track!({ kind: 'track', id: '1' }, callContext()));
      expect(error.kind).toBe('NOT_FOUND');
      expect(error.message).toContain('no data');
    });

    it('code 4 (quota) is RATE_LIMITED and is not cached', async () => {
      const { provider, server } = await start();
      // The quota error has the documented shape of every Deezer error body.
      server.route('GET', url('/chart/0/tracks', { limit: 5 }), {
        body: JSON.stringify({ error: { type: 'Exception', message: 'Quota limit exceeded', code: 4 } }),
      });
      const ctx = callContext();
      expect((await rejection(provider.chart!({ country: null, genre: null, limit: 5 }, ctx))).kind).toBe('RATE_LIMITED');
      expect((await rejection(provider.chart!({ country: null, genre: null, limit: 5 }, ctx))).kind).toBe('RATE_LIMITED');
      expect(server.count('/chart/0/tracks')).toBe(2);
    });

    it('a list answer without `data` is BAD_RESPONSE', async () => {
      const { provider, server } = await start();
      server.route('GET', url('/search/track', { q: 'x', index: 0, limit: 5 }), { body: '{"unexpected":true}' });
      expect((await rejection(provider.searchTracks!({ query: 'x', limit: 5, cursor: null }, callContext()))).kind).toBe('BAD_RESPONSE');
    });
  });
});

describe.skipIf(skipWithoutRecordings('deezer'))('Deezer cross-source identity', () => {
  describe('tracksByIsrc (/track/isrc:<ISRC>)', () => {
    // No `/track/isrc:` answer is recorded. Deezer answers it with the same full track object as
    // `/track/<id>`, so the recorded 2025 lookup of that very track (ISRC USUM72409273) is served for it.
    const ISRC = 'USUM72409273';

    it('gives the track carrying the ISRC, with every contributor', async () => {
      const { provider, server } = await start();
      server.route('GET', url(`/track/isrc:${ISRC}`), { body: readRecording('deezer', 'track-2947516331-die-with-a-smile-2025.json') });
      const tracks = await provider.tracksByIsrc!(ISRC, callContext());
      expect(server.unmatched).toEqual([]);
      expect(tracks).toHaveLength(1);
      expect(tracks[0]).toMatchObject({ id: 'deezer:track:2947516331', title: 'Die With A Smile', isrc: ISRC, isrcs: [ISRC], durationSec: 250, releaseDate: '2024-08-16' });
      expect(tracks[0]!.artists.map((a) => a.name)).toEqual(['Lady Gaga', 'Bruno Mars']);
      expect(tracks[0]!.album).toEqual({ id: 'deezer:album:629506181', title: 'Die With A Smile' });
    });

    it('"no data" (HTTP 200 with an error body) is an empty list', async () => {
      const { provider, server } = await start();
      server.route('GET', url('/track/isrc:GBDUW0000099'), { body: fixture('error.no-data.json') });
      expect(await provider.tracksByIsrc!('GBDUW0000099', callContext())).toEqual([]);
    });

    it('a track that does not carry the asked ISRC is not an answer', async () => {
      const { provider, server } = await start();
      server.route('GET', url('/track/isrc:GBDUW0000059'), { body: readRecording('deezer', 'track-2947516331-die-with-a-smile-2025.json') });
      expect(await provider.tracksByIsrc!('GBDUW0000059', callContext())).toEqual([]);
    });

    it('something that is not an ISRC is BAD_INPUT, without a request', async () => {
      const { provider, server } = await start();
      expect((await rejection(provider.tracksByIsrc!('not-an-isrc', callContext()))).kind).toBe('BAD_INPUT');
      expect((await rejection(provider.tracksByIsrc!('US/../../x', callContext()))).kind).toBe('BAD_INPUT');
      expect(server.count()).toBe(0);
    });
  });

  describe('albumsByBarcode (/album/upc:<code>, recorded 2025)', () => {
    it('gives the release with its barcode; an embedded list cut at 25 of 36 tracks is left for the lookup', async () => {
      const { provider, server } = await start();
      const albums = await provider.albumsByBarcode!('196589221285', callContext());
      expect(server.unmatched).toEqual([]);
      expect(albums).toHaveLength(1);
      expect(albums[0]).toMatchObject({
        id: 'deezer:album:327983357',
        title: 'ELVIS (Original Motion Picture Soundtrack)',
        barcode: '196589221285',
        label: 'House of Iona/RCA Records',
        releaseDate: '2025-01-18',
        trackCount: 36,
        tracks: null,
        genres: ['Películas/Juegos', 'Scores de Películas'],
        url: 'https://www.deezer.com/album/327983357',
      });
      expect(albums[0]!.artists).toEqual([{ id: 'deezer:artist:5080', name: 'Varios Artistas' }]);
    });

    it('tries the other spelling of the code (EAN-13 with a leading zero ↔ UPC-A)', async () => {
      const { provider, server } = await start();
      server.route('GET', url('/album/upc:0196589221285'), { body: fixture('error.no-data.json') });
      const albums = await provider.albumsByBarcode!('0196589221285', callContext());
      expect(albums.map((a) => a.barcode)).toEqual(['196589221285']);
      expect(server.requests.map((r) => r.path)).toEqual(['/album/upc:0196589221285', '/album/upc:196589221285']);
    });

    it('no release under either spelling is an empty list; a non-barcode is BAD_INPUT without a request', async () => {
      const { provider, server } = await start();
      server.route('GET', url('/album/upc:724384960651'), { body: fixture('error.no-data.json') });
      server.route('GET', url('/album/upc:0724384960651'), { body: fixture('error.no-data.json') });
      expect(await provider.albumsByBarcode!('724384960651', callContext())).toEqual([]);
      expect(server.count()).toBe(2);
      expect((await rejection(provider.albumsByBarcode!('12ab', callContext()))).kind).toBe('BAD_INPUT');
      expect(server.count()).toBe(2);
    });
  });

  describe('similarArtists (/artist/<id>/related)', () => {
    it("gives Deezer's related artists with photos, pages with index/limit and continues from `next`", async () => {
      const { provider, server } = await start();
      server.route('GET', url('/artist/27/related', { index: 0, limit: 3 }), { body: fixture('artist.27.related.json') });
      const page = await provider.similarArtists!({ kind: 'artist', id: '27' }, { limit: 3, cursor: null }, callContext());
      expect(server.unmatched).toEqual([]);
      expect(page.items.map((a) => [a.id, a.name])).toEqual([
        ['deezer:artist:6404', 'Justice'],
        ['deezer:artist:13358', 'Kavinsky'],
        ['deezer:artist:14', 'Gorillaz'],
      ]);
      expect(page.items[0]!.photo?.large).toBe('https://e-cdns-images.dzcdn.net/images/artist/46773214a3a3e074822aa2c5b489619d/1000x1000-000000-80-0-0.jpg');
      expect(page.total).toBe(39);
      expect(page.nextCursor).toBe('3');

      server.route('GET', url('/artist/27/related', { index: 3, limit: 3 }), { body: fixture('artist.27.related.json') });
      await provider.similarArtists!({ kind: 'artist', id: '27' }, { limit: 3, cursor: page.nextCursor }, callContext());
      expect(server.requests.at(-1)!.query.get('index')).toBe('3');
    });

    it('a cursor it never handed out is BAD_INPUT and a malformed id NOT_FOUND, neither with a request', async () => {
      const { provider, server } = await start();
      for (const cursor of ['abc', '-1', '1e3', '9999999', 'page:2']) {
        expect((await rejection(provider.similarArtists!({ kind: 'artist', id: '27' }, { limit: 3, cursor }, callContext()))).kind).toBe('BAD_INPUT');
      }
      expect((await rejection(provider.similarArtists!({ kind: 'artist', id: '27/../1' }, { limit: 3, cursor: null }, callContext()))).kind).toBe('NOT_FOUND');
      expect((await rejection(provider.similarArtists!({ kind: 'track', id: '27' }, { limit: 3, cursor: null }, callContext()))).kind).toBe('NOT_FOUND');
      expect(server.count()).toBe(0);
    });
  });

  describe('genre charts (/chart/<genre id>/tracks)', () => {
    it("declares Deezer's genres, whose ids match Deezer's own /genre list", async () => {
      const { provider } = await start();
      const recorded: { id: number; name: string }[] = JSON.parse(fixture('genre.json')).data;
      const genres = recorded.filter((genre) => genre.id !== 0);
      expect(DEEZER_GENRES.map(([id, name]) => ({ id, name }))).toEqual(genres.map(({ id, name }) => ({ id, name })));
      expect(provider.chartGenres).toEqual(genres.map((genre) => genre.name.toLowerCase()));
      expect(provider.chartGenres).toContain('rap/hip hop');
      for (const genre of genres) expect(deezerGenreId(genre.name)).toBe(genre.id);
      expect(deezerGenreId('Rap / Hip-Hop')).toBe(116);
      expect(deezerGenreId('r&b')).toBe(165);
    });

    it('asks the chart of the genre id and parses it like the overall chart', async () => {
      const { provider, server } = await start();
      // No genre chart is recorded; it has the shape of the overall one, so the recorded
      // `/chart/0/tracks` answer (2019) is served for the genre's URL.
      server.route('GET', url('/chart/116/tracks', { limit: 10 }), { body: readRecording('deezer', 'chart-0-tracks-2019.json') });
      const chart = await provider.chart!({ country: null, genre: 'Rap/Hip Hop', limit: 10 }, callContext());
      expect(server.unmatched).toEqual([]);
      expect(chart.scope).toBe('GLOBAL');
      expect(chart.entries).toHaveLength(10);
      expect(chart.entries[0]).toMatchObject({ position: 1, track: { title: 'Khapta' } });
    });

    it('a genre Deezer does not chart is NOT_FOUND without a request', async () => {
      const { provider, server } = await start();
      expect((await rejection(provider.chart!({ country: null, genre: 'vaporwave', limit: 10 }, callContext()))).kind).toBe('NOT_FOUND');
      expect(server.count()).toBe(0);
    });
  });

  describe('parseUrl', () => {
    const parse = (link: string) => parseDeezerUrl(new URL(link));

    it('reads the links Deezer itself gives (recorded `link` and `share` fields)', () => {
      const track = readRecordingJson('deezer', 'track-2947516331-die-with-a-smile-2025.json');
      expect(parse(track.link)).toEqual({ entity: 'track', ref: { kind: 'track', id: '2947516331' } });
      expect(parse(track.share)).toEqual({ entity: 'track', ref: { kind: 'track', id: '2947516331' } });
      expect(parse(track.album.link)).toEqual({ entity: 'album', ref: { kind: 'album', id: '629506181' } });
      expect(parse(track.artist.link)).toEqual({ entity: 'artist', ref: { kind: 'artist', id: '75491' } });
    });

    it('accepts a locale segment and a trailing slash, and is declared on the provider', async () => {
      const { provider } = await start();
      expect(provider.parseUrl!(new URL('https://www.deezer.com/es/album/302127'))).toEqual({ entity: 'album', ref: { kind: 'album', id: '302127' } });
      expect(parse('https://deezer.com/en-gb/artist/27/')).toEqual({ entity: 'artist', ref: { kind: 'artist', id: '27' } });
      expect(parse('http://www.deezer.com/fr/track/3135556#x')).toEqual({ entity: 'track', ref: { kind: 'track', id: '3135556' } });
    });

    it('gives null for short links (they need a request), other pages and other hosts', () => {
      for (const link of [
        'https://deezer.page.link/ZB7S5uH6w3QDfzGF8',
        'https://link.deezer.com/s/30mbzKhjTz0ce7OOgZIJR',
        'https://www.deezer.com/playlist/908622995',
        'https://www.deezer.com/track/abc',
        'https://www.deezer.com/track/0123',
        'https://www.deezer.com/track/1/extra',
        'https://api.deezer.com/track/3135556',
        'https://deezer.com.evil.example/track/1',
        'ftp://www.deezer.com/track/1',
      ]) {
        expect(parse(link)).toBeNull();
      }
    });
  });
});

describe.skipIf(skipWithoutRecordings('deezer'))('Deezer facing hostile answers', () => {
  const lookup = (provider: Provider) => provider.track!({ kind: 'track', id: '3135556' }, callContext());

  it.each([
    ['an HTML page with status 200', '<!DOCTYPE html><html><body>Maintenance</body></html>', 'text/html; charset=utf-8'],
    ['truncated JSON', '{"id":3135556,"title":"Harder Better', 'application/json'],
    ['a JSON array', '[1,2,3]', 'application/json'],
    ['an id that is not a number', '{"id":"abc","title":"x"}', 'application/json'],
    ['a title of the wrong type', '{"id":3135556,"title":{"text":"x"}}', 'application/json'],
    ['an error object of the wrong type', '{"error":"boom"}', 'application/json'],
  ])('%s is BAD_RESPONSE', async (_what, body, contentType) => {
    const { provider, server } = await start();
    server.route('GET', url('/track/3135556'), { body, contentType });
    expect((await rejection(lookup(provider))).kind).toBe('BAD_RESPONSE');
  });

  it('fields of the wrong type are read as missing, not as a TypeError', async () => {
    const { provider, server } = await start();
    const track = { id: 3135556, title: 'x', contributors: 'Daft Punk', artist: 27, album: 'Discovery', isrc: 42, genres: 'x' };
    server.route('GET', url('/track/3135556'), { body: JSON.stringify(track) });
    expect(await lookup(provider)).toMatchObject({ id: 'deezer:track:3135556', artists: [], album: null, isrc: null, isrcs: [] });
    const album = { id: 302127, title: 'x', tracks: { data: 'none' }, genres: { data: { name: 'Dance' } }, contributors: [null, 5, { name: 'Daft Punk' }] };
    server.route('GET', url('/album/302127'), { body: JSON.stringify(album) });
    server.route('GET', url('/album/302127/tracks'), { body: JSON.stringify({ data: [null, 'x', 7, { id: 1, title: 'One' }] }) });
    const parsed = await provider.album!({ kind: 'album', id: '302127' }, callContext());
    expect(parsed.genres).toEqual([]);
    expect(parsed.artists).toEqual([{ id: null, name: 'Daft Punk' }]);
    expect(parsed.tracks!.map((t) => t.title)).toEqual(['One']);
  });

  it('a huge list is cut to the page asked for before parsing; deep nesting is only data', async () => {
    const { provider, server } = await start();
    const row = JSON.parse(fixture('search.track.json')).data[0];
    let deep: unknown = 'bottom';
    for (let level = 0; level < 2000; level++) deep = { deep };
    const rows = Array.from({ length: 5_000 }, (_, i) => ({ ...row, id: i + 1, extra: i === 0 ? deep : null }));
    server.route('GET', url('/search/track', { q: 'x', index: 0, limit: 5 }), { body: JSON.stringify({ data: rows, total: 5_000, next: 'more' }) });
    const page = await provider.searchTracks!({ query: 'x', limit: 5, cursor: null }, callContext());
    expect(page.items.map((t) => t.id)).toEqual([1, 2, 3, 4, 5].map((id) => `deezer:track:${id}`));
    expect(page.nextCursor).toBe('5');
  });

  it('a search cursor it never handed out is BAD_INPUT without a request', async () => {
    const { provider, server } = await start();
    expect((await rejection(provider.searchTracks!({ query: 'x', limit: 5, cursor: 'next-page' }, callContext()))).kind).toBe('BAD_INPUT');
    expect(server.count()).toBe(0);
  });

  it('parsers return null or a value for any JSON, never throw', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
        parseTrack(value as DzTrack);
        parseAlbum(value as DzAlbum);
        parseArtist(value as DzArtist);
        parseChartEntries(Array.isArray(value) ? (value as DzTrack[]) : [value as DzTrack]);
        errorFromBody(value);
      }),
      { numRuns: 300 },
    );
    // Field by field: each known field replaced by arbitrary JSON.
    const keys = ['id', 'title', 'isrc', 'link', 'duration', 'contributors', 'artist', 'album', 'tracks', 'genres', 'nb_tracks', 'upc', 'record_type', 'position', 'rank'];
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...keys), fc.jsonValue({ maxDepth: 3 })), (fields) => {
        const raw = { id: 1, title: 'x', ...fields };
        parseTrack(raw as DzTrack);
        parseAlbum(raw as DzAlbum);
        parseArtist({ ...raw, name: 'x' } as DzArtist);
      }),
      { numRuns: 300 },
    );
  });
});
