import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createDeezerProvider } from '../../../src/providers/deezer/index.js';
import { isDefaultPicture, normaliseName, parseTrack } from '../../../src/providers/deezer/parse.js';
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
      expect(track.artists).toEqual([{ id: 'deezer:artist:27', name: 'Daft Punk' }]);
    });

    it('album: full track list, label, genres and record type', async () => {
      const { provider, server } = await start();
      server.route('GET', url('/album/302127'), { body: fixture('album.302127.json') });
      const album = await provider.album!({ kind: 'album', id: '302127' }, callContext());
      const recorded = JSON.parse(fixture('album.302127.json'));
      expect(album).toMatchObject({ title: 'Discovery', label: 'Parlophone France', type: 'ALBUM', releaseDate: '2001-03-07', trackCount: 14, genres: ['Dance'] });
      expect(album.tracks!.map((t) => t.title)).toEqual(recorded.tracks.data.map((t: { title: string }) => t.title));
      expect(album.tracks!.reduce((sum, t) => sum + t.durationSec!, 0)).toBe(recorded.duration);
      expect(album.tracks![0]!.cover?.large).toBe(recorded.cover_xl);
      expect(album.tracks![0]!.album).toEqual({ id: 'deezer:album:302127', title: 'Discovery' });
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
