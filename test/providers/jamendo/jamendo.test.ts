import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createJamendoProvider } from '../../../src/providers/jamendo/index.js';
import { licenseFromCcUrl } from '../../../src/providers/jamendo/license.js';
import fc from 'fast-check';
import { parseAlbum, parseArtist, parseTrack } from '../../../src/providers/jamendo/parse.js';
import type { JamendoAlbum, JamendoArtist, JamendoResponse, JamendoTrack } from '../../../src/providers/jamendo/types.js';
import { parseJamendoUrl } from '../../../src/providers/jamendo/urls.js';
import type { Provider } from '../../../src/providers/types.js';
import { replayProvider, type ReplayHarness, sourceErrorOf as rejection } from '../../support/providerHarness.js';
import { readRecording, skipWithoutRecordings } from '../../support/recordings.js';

/**
 * Jamendo's recordings are the sample responses of its own API documentation
 * (https://developer.jamendo.com/v3.0, one page per method), recorded with the download-permission
 * fields added in 2021. Their request URLs (by artist name, docs client id) are not the ones the
 * provider makes, so each body is served with `server.route()` for the provider's own request and
 * the real client runs. The samples of pages the recordings lack (`/tracks`, `/artists/albums`)
 * are in test/fixtures/jamendo (see its README).
 */
const fixture = (name: string) => readFileSync(new URL(`../../fixtures/jamendo/${name}`, import.meta.url), 'utf8');
const sample = <T>(name: string) => JSON.parse(fixture(name)) as JamendoResponse<T>;
const recording = (name: string) => readRecording('jamendo', name);
const recorded = <T>(name: string) => JSON.parse(recording(name)) as JamendoResponse<T>;
const hasRecordings = !skipWithoutRecordings('jamendo');

const CLIENT_ID = 'test-client-id';
const TRACK_PARAMS = { audioformat: 'mp32', audiodlformat: 'flac', include: 'musicinfo' };
const EMPTY = '{"headers":{"status":"success","code":0,"error_message":"","warnings":"","results_count":0},"results":[]}';

function jamendoUrl(path: string, params: Record<string, string | number>): string {
  const url = new URL(`https://api.jamendo.com/v3.0/${path}`);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, String(value));
  return url.toString();
}


let harness: ReplayHarness<Provider> | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function configured() {
  harness = await replayProvider(createJamendoProvider, { extraHosts: ['api.jamendo.com'], env: { JAMENDO_CLIENT_ID: CLIENT_ID } });
  return harness;
}

describe('Jamendo without JAMENDO_CLIENT_ID', () => {
  it('reports configured: false and refuses every call without touching the network', async () => {
    harness = await replayProvider(createJamendoProvider, { extraHosts: ['api.jamendo.com'] });
    const { provider, ctx, server } = harness;
    expect(provider.configured).toBe(false);
    expect(provider.credentials).toEqual(['JAMENDO_CLIENT_ID']);
    const calls = [
      provider.searchTracks!({ query: 'rock', limit: 5, cursor: null }, ctx),
      provider.searchAlbums!({ query: 'rock', limit: 5, cursor: null }, ctx),
      provider.searchArtists!({ query: 'rock', limit: 5, cursor: null }, ctx),
      provider.track!({ kind: 'track', id: '1848357' }, ctx),
      provider.album!({ kind: 'album', id: '104336' }, ctx),
      provider.artist!({ kind: 'artist', id: '376782' }, ctx),
      provider.artistAlbums!({ kind: 'artist', id: '376782' }, { limit: 5, cursor: null }, ctx),
      provider.chart!({ country: null, genre: null, limit: 10 }, ctx),
      provider.tracksByIds!([{ kind: 'track', id: '1848357' }], ctx),
    ];
    for (const call of calls) expect((await rejection(call)).kind).toBe('UNCONFIGURED');
    expect(server.count()).toBe(0);
  });
});

describe('Jamendo tracks (sample of developer.jamendo.com/v3.0/tracks)', () => {
  const raw = sample<JamendoTrack>('tracks.json').results![0]!;

  it('searches tracks and parses licence, stream, page, download and cover from the sample', async () => {
    const { provider, ctx, server } = await configured();
    server.route('GET', jamendoUrl('tracks/', { ...TRACK_PARAMS, search: 'groove rock', limit: 10, offset: 0, fullcount: 'true' }), {
      body: fixture('tracks.json'),
    });
    const page = await provider.searchTracks!({ query: 'groove rock', limit: 10, cursor: null }, ctx);

    expect(server.requests[0]!.query.get('client_id')).toBe(CLIENT_ID);
    expect(page.items).toHaveLength(1);
    // The sample was asked without fullcount, so there is no total; one result under the limit ends the list.
    expect(page.total).toBeNull();
    expect(page.nextCursor).toBeNull();
    const track = page.items[0]!;
    expect(track.id).toBe(`jamendo:track:${raw.id}`);
    expect(track.title).toBe('mañana será tarde');
    expect(track.artists).toEqual([{ id: 'jamendo:artist:421168', name: raw.artist_name }]);
    expect(track.album).toEqual({ id: 'jamendo:album:368084', title: raw.album_name });
    expect(track.durationSec).toBe(272);
    expect(track.releaseDate).toBe('2021-04-11');
    expect(track.trackNumber).toBe(1);
    expect(track.license).toEqual({ name: 'CC BY-NC-ND 3.0', url: raw.license_ccurl });
    expect(track.playbackUrl).toBe('https://www.jamendo.com/track/1848357');
    expect(track.previewUrl).toBe(raw.audio);
    expect(track.download).toEqual({ allowed: true, license: track.license, originUrl: raw.audiodownload });
    expect(track.genres).toEqual(['rock']);
    expect(track.cover).toEqual({
      small: 'https://usercontent.jamendo.com?type=album&id=368084&width=300&trackid=1848357',
      medium: 'https://usercontent.jamendo.com?type=album&id=368084&width=500&trackid=1848357',
      large: 'https://usercontent.jamendo.com?type=album&id=368084&width=600&trackid=1848357',
      source: 'jamendo',
    });
  });

  it('asks for FLAC in audiodownload and keeps the client id out of the cache key', async () => {
    const { provider, ctx, server } = await configured();
    server.route('GET', jamendoUrl('tracks/', { ...TRACK_PARAMS, id: '1848357', limit: 1 }), { body: fixture('tracks.json') });
    await provider.track!({ kind: 'track', id: '1848357' }, ctx);
    await provider.track!({ kind: 'track', id: '1848357' }, ctx);
    expect(server.requests[0]!.query.get('audiodlformat')).toBe('flac');
    // The second lookup is answered from cache.
    expect(server.count()).toBe(1);
  });

  it('looks a track up by id and says NOT_FOUND for an id Jamendo does not know', async () => {
    const { provider, ctx, server } = await configured();
    server.route('GET', jamendoUrl('tracks/', { ...TRACK_PARAMS, id: '1848357', limit: 1 }), { body: fixture('tracks.json') });
    server.route('GET', jamendoUrl('tracks/', { ...TRACK_PARAMS, id: '1', limit: 1 }), { body: EMPTY });
    expect((await provider.track!({ kind: 'track', id: '1848357' }, ctx)).title).toBe(raw.name);
    expect((await rejection(provider.track!({ kind: 'track', id: '1' }, ctx))).kind).toBe('NOT_FOUND');
  });

  it('fetches several ids in one call and answers in the order asked, null for unknown ids', async () => {
    const { provider, ctx, server } = await configured();
    server.route('GET', jamendoUrl('tracks/', { ...TRACK_PARAMS, id: '999 1848357', limit: 2 }), { body: fixture('tracks.json') });
    const tracks = await provider.tracksByIds!(
      [
        { kind: 'track', id: '999' },
        { kind: 'track', id: '1848357' },
      ],
      ctx,
    );
    expect(server.count()).toBe(1);
    expect(server.requests[0]!.url).toContain('id=999+1848357');
    expect(tracks.map((track) => track?.id ?? null)).toEqual([null, 'jamendo:track:1848357']);
  });

  it('a track the artist does not let apps download is NOT_LICENSED (Jamendo then empties audiodownload)', () => {
    const track = parseTrack({ ...raw, audiodownload_allowed: false, audiodownload: '' })!;
    expect(track.download).toMatchObject({ allowed: false, reason: 'NOT_LICENSED' });
    // The licence is still shown: it governs listening and sharing, not app downloads.
    expect(track.license?.name).toBe('CC BY-NC-ND 3.0');
  });

  it('gives the weekly popularity chart for the world, and no chart for a country', async () => {
    const { provider, ctx, server } = await configured();
    server.route('GET', jamendoUrl('tracks/', { ...TRACK_PARAMS, order: 'popularity_week', limit: 20 }), { body: fixture('tracks.json') });
    const chart = await provider.chart!({ country: null, genre: null, limit: 20 }, ctx);
    expect(chart.scope).toBe('GLOBAL');
    expect(chart.source).toBe('jamendo');
    expect(chart.entries.map((entry) => [entry.position, entry.track.id])).toEqual([[1, 'jamendo:track:1848357']]);

    expect((await rejection(provider.chart!({ country: 'ES', genre: null, limit: 20 }, ctx))).kind).toBe('NOT_FOUND');
    expect(server.count()).toBe(1);
  });

  it('declares the hosts its downloadable files come from', async () => {
    const { provider } = await configured();
    expect(new URL(raw.audiodownload!).hostname).toBe('prod-1.storage.jamendo.com');
    expect(provider.downloadHosts).toContain('prod-1.storage.jamendo.com');
  });
});

describe.runIf(hasRecordings)('Jamendo albums (recorded samples of /albums/tracks and /albums)', () => {
  it('gives the album with its track list sorted by position, durations, licence and downloads', async () => {
    const { provider, ctx, server } = await configured();
    server.route('GET', jamendoUrl('albums/tracks/', { id: '104336', ...TRACK_PARAMS }), { body: recording('docs-albums-tracks-we-are-fm-season-one.json') });
    const album = await provider.album!({ kind: 'album', id: '104336' }, ctx);

    expect(album.id).toBe('jamendo:album:104336');
    expect(album.title).toBe('Season One');
    expect(album.artists).toEqual([{ id: 'jamendo:artist:376782', name: 'WE ARE FM' }]);
    expect(album.releaseDate).toBe('2011-12-29');
    expect(album.trackCount).toBe(10);
    // The sample lists positions 10, 3, 2, 6, … as strings.
    expect(album.tracks!.map((track) => track.trackNumber)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(album.tracks!.map((track) => track.title).slice(0, 3)).toEqual(['My World', 'Dance', "No Words (Director's Cut)"]);
    expect(album.tracks!.map((track) => track.durationSec)).toEqual([202, 211, 338, 198, 198, 99, 240, 197, 325, 192]);
    expect(album.license).toEqual({ name: 'CC BY-NC-SA 3.0', url: 'http://creativecommons.org/licenses/by-nc-sa/3.0/' });
    const first = album.tracks![0]!;
    // Album tracks carry no artist or album fields: they come from the album.
    expect(first.artists).toEqual(album.artists);
    expect(first.album).toEqual({ id: 'jamendo:album:104336', title: 'Season One' });
    expect(first.download).toEqual({
      allowed: true,
      license: album.license,
      originUrl: 'https://prod-1.storage.jamendo.com/download/track/887208/mp32/',
    });
    expect(album.cover?.large).toBe('https://usercontent.jamendo.com?type=album&id=104336&width=600&trackid=887202');
  });

  it('searches albums by name and pages by offset', async () => {
    const { provider, ctx, server } = await configured();
    server.route('GET', jamendoUrl('albums/', { namesearch: 'season', limit: 2, offset: 4, fullcount: 'true' }), { body: recording('docs-albums-artist-we-are-fm.json') });
    const page = await provider.searchAlbums!({ query: 'season', limit: 2, cursor: '4' }, ctx);
    expect(page.items.map((album) => [album.id, album.title, album.url])).toEqual([
      ['jamendo:album:104336', 'Season One', 'https://www.jamendo.com/list/a104336'],
      ['jamendo:album:124067', 'Season One: Instrumental', 'https://www.jamendo.com/list/a124067'],
    ]);
    // A full page without a total means there may be more.
    expect(page.nextCursor).toBe('6');
    expect(page.items[0]!.tracks).toBeNull();
  });
});

describe.runIf(hasRecordings)('Jamendo artists (recorded sample of /artists/musicinfo, docs sample of /artists/albums)', () => {
  it('gives the artist with photo, biography in the first language that has one, website and tags', async () => {
    const { provider, ctx, server } = await configured();
    server.route('GET', jamendoUrl('artists/musicinfo/', { id: '376782' }), { body: recording('docs-artists-musicinfo-we-are-fm.json') });
    const artist = await provider.artist!({ kind: 'artist', id: '376782' }, ctx);
    expect(artist.id).toBe('jamendo:artist:376782');
    expect(artist.name).toBe('WE ARE FM');
    expect(artist.photo?.medium).toBe('https://usercontent.jamendo.com?type=artist&id=376782&width=500');
    // Spanish is asked first but empty in the sample: the English HTML description is used, as text.
    expect(artist.biography).toMatchObject({ content: 'https://www.facebook.com/wearefm', language: 'en', source: 'jamendo' });
    expect(artist.links).toEqual([
      { platform: 'facebook', url: 'https://www.facebook.com/wearefm' },
      { platform: 'jamendo', url: 'https://www.jamendo.com/artist/376782' },
    ]);
    expect(artist.genres).toEqual(['rock', 'electronic', 'energetic', 'electrorock']);
  });

  it('lists the discography with the artist taken from the parent and the old-style cover resized', async () => {
    const { provider, ctx, server } = await configured();
    server.route('GET', jamendoUrl('artists/albums/', { id: '376782' }), { body: fixture('artists-albums.json') });
    const page = await provider.artistAlbums!({ kind: 'artist', id: '376782' }, { limit: 10, cursor: null }, ctx);
    expect(page.total).toBe(1);
    expect(page.nextCursor).toBeNull();
    const album = page.items[0]!;
    expect(album.artists).toEqual([{ id: 'jamendo:artist:376782', name: 'WE ARE FM' }]);
    expect(album.cover).toEqual({
      small: 'https://images.jamendo.com/albums/s104/104336/covers/1.300.jpg',
      medium: 'https://images.jamendo.com/albums/s104/104336/covers/1.500.jpg',
      large: 'https://images.jamendo.com/albums/s104/104336/covers/1.600.jpg',
      source: 'jamendo',
    });
  });
});

describe('Jamendo errors arrive in headers with HTTP 200', () => {
  const searchUrl = jamendoUrl('tracks/', { ...TRACK_PARAMS, search: 'x', limit: 5, offset: 0, fullcount: 'true' });
  const search = (provider: Provider, ctx: ReplayHarness['ctx']) => provider.searchTracks!({ query: 'x', limit: 5, cursor: null }, ctx);

  it('code 5 (invalid client id) is UNAUTHORIZED and is not cached', async () => {
    const { provider, ctx, server } = await configured();
    server.route('GET', searchUrl, { body: fixture('error-invalid-client.json') });
    const error = await rejection(search(provider, ctx));
    expect(error.kind).toBe('UNAUTHORIZED');
    expect(error.message).toContain('Invalid Client Id');
    await rejection(search(provider, ctx));
    expect(server.count()).toBe(2);
  });

  it('code 6 (rate limit exceeded) is RATE_LIMITED, other codes are BAD_RESPONSE', async () => {
    const { provider, ctx, server } = await configured();
    server.route('GET', searchUrl, { body: '{"headers":{"status":"failed","code":6,"error_message":"Rate Limit Exceeded","warnings":""},"results":[]}' });
    expect((await rejection(search(provider, ctx))).kind).toBe('RATE_LIMITED');
    server.route('GET', searchUrl, { body: '{"headers":{"status":"failed","code":3,"error_message":"Type","warnings":""},"results":[]}' });
    expect((await rejection(search(provider, ctx))).kind).toBe('BAD_RESPONSE');
  });

  it('a body that is not a Jamendo document is BAD_RESPONSE', async () => {
    const { provider, ctx, server } = await configured();
    server.route('GET', searchUrl, { body: '{"results":[]}' });
    expect((await rejection(search(provider, ctx))).kind).toBe('BAD_RESPONSE');
  });
});

describe('licence names from Creative Commons URLs', () => {
  it.each([
    ['http://creativecommons.org/licenses/by-nc-sa/3.0/', 'CC BY-NC-SA 3.0'],
    ['http://creativecommons.org/licenses/by-nc-sa/2.0/fr/', 'CC BY-NC-SA 2.0 FR'],
    ['https://creativecommons.org/licenses/by/4.0/', 'CC BY 4.0'],
    ['https://creativecommons.org/publicdomain/zero/1.0/', 'CC0 1.0'],
  ])('%s → %s', (url, name) => {
    expect(licenseFromCcUrl(url)).toEqual({ name, url });
  });

  it('keeps a non-CC URL as its own name and gives null for nothing', () => {
    expect(licenseFromCcUrl('https://example.org/terms')).toEqual({ name: 'https://example.org/terms', url: 'https://example.org/terms' });
    expect(licenseFromCcUrl('')).toBeNull();
  });
});

describe.runIf(hasRecordings)('Jamendo download permission on the recorded samples (fields of February 2021)', () => {
  it('every track of the recorded /albums/tracks sample may be downloaded, from its own audiodownload URL, under its licence', async () => {
    const { provider, ctx, server } = await configured();
    server.route('GET', jamendoUrl('albums/tracks/', { id: '104336', ...TRACK_PARAMS }), { body: recording('docs-albums-tracks-we-are-fm-season-one.json') });
    const album = await provider.album!({ kind: 'album', id: '104336' }, ctx);
    const rows = recorded<{ tracks: JamendoTrack[] }>('docs-albums-tracks-we-are-fm-season-one.json').results![0]!.tracks;
    expect(rows.every((row) => row.audiodownload_allowed === true)).toBe(true);
    const byId = new Map(album.tracks!.map((track) => [track.id, track]));
    for (const row of rows) {
      const track = byId.get(`jamendo:track:${row.id}`)!;
      expect(track.download).toEqual({ allowed: true, license: { name: 'CC BY-NC-SA 3.0', url: row.license_ccurl }, originUrl: row.audiodownload });
      expect(track.previewUrl).toBe(row.audio);
      expect(provider.downloadHosts).toContain(new URL(row.audiodownload!).hostname);
    }
  });

  it('the tracks of the recorded /artists/tracks sample carry their album, licence and MP3 download', () => {
    const artist = recorded<{ tracks: JamendoTrack[] }>('docs-artists-tracks-we-are-fm.json').results![0]!;
    const tracks = artist.tracks.map((row) => parseTrack(row)!);
    expect(tracks).toHaveLength(10);
    for (const [index, track] of tracks.entries()) {
      const row = artist.tracks[index]!;
      expect(track).toMatchObject({
        id: `jamendo:track:${row.id}`,
        title: row.name,
        album: { id: 'jamendo:album:104336', title: 'Season One' },
        releaseDate: '2011-12-29',
        durationSec: Number(row.duration),
        license: { name: 'CC BY-NC-SA 3.0' },
        download: { allowed: true, originUrl: row.audiodownload },
      });
      expect(row.audiodownload).toMatch(/\/mp31\/$/);
    }
  });

  it('explains a refused download in English and Spanish', () => {
    const row = recorded<{ tracks: JamendoTrack[] }>('docs-albums-tracks-we-are-fm-season-one.json').results![0]!.tracks[0]!;
    expect(parseTrack({ ...row, audiodownload_allowed: false, audiodownload: '' })!.download).toEqual({
      allowed: false,
      reason: 'NOT_LICENSED',
      detail: { en: 'The artist has not enabled downloads of this track on Jamendo.', es: 'El artista no ha habilitado la descarga de esta canción en Jamendo.' },
    });
    const { audiodownload_allowed: _dropped, ...withoutPermission } = row;
    expect(parseTrack(withoutPermission)!.download).toEqual({
      allowed: false,
      reason: 'NOT_LICENSED',
      detail: { en: 'Jamendo did not say whether this track may be downloaded.', es: 'Jamendo no indica si esta canción se puede descargar.' },
    });
    expect(parseTrack({ ...row, audiodownload: '' })!.download).toEqual({
      allowed: false,
      reason: 'SOURCE_UNAVAILABLE',
      detail: { en: 'Jamendo allows the download but sent no file address.', es: 'Jamendo permite la descarga, pero no envió la dirección del archivo.' },
    });
  });
});

describe.runIf(hasRecordings)('Jamendo parseUrl', () => {
  const parse = (link: string) => parseJamendoUrl(new URL(link));

  it('reads the page and short links the API hands out (recorded shareurl and shorturl fields)', () => {
    const album = recorded<{ shareurl: string; shorturl: string }>('docs-albums-artist-we-are-fm.json').results![0]!;
    const artist = recorded<{ shareurl: string; shorturl: string }>('docs-artists-we-are-fm.json').results![0]!;
    const track = sample<JamendoTrack>('tracks.json').results![0]!;
    expect(parse(album.shareurl)).toEqual({ entity: 'album', ref: { kind: 'album', id: '104336' } });
    expect(parse(album.shorturl)).toEqual({ entity: 'album', ref: { kind: 'album', id: '104336' } });
    expect(parse(artist.shareurl)).toEqual({ entity: 'artist', ref: { kind: 'artist', id: '376782' } });
    expect(parse(artist.shorturl)).toEqual({ entity: 'artist', ref: { kind: 'artist', id: '376782' } });
    expect(parse(track.shareurl!)).toEqual({ entity: 'track', ref: { kind: 'track', id: '1848357' } });
    expect(parse(track.shorturl!)).toEqual({ entity: 'track', ref: { kind: 'track', id: '1848357' } });
  });

  it('reads the slugged pages of the site, with or without a language segment', async () => {
    const { provider } = await configured();
    expect(provider.parseUrl!(new URL('https://www.jamendo.com/track/1848357/manana-sera-tarde'))).toEqual({ entity: 'track', ref: { kind: 'track', id: '1848357' } });
    expect(parse('https://www.jamendo.com/album/104336/season-one')).toEqual({ entity: 'album', ref: { kind: 'album', id: '104336' } });
    expect(parse('https://jamendo.com/en/artist/376782/we-are-fm/')).toEqual({ entity: 'artist', ref: { kind: 'artist', id: '376782' } });
  });

  it('gives null for playlists, other pages and other hosts', () => {
    for (const link of [
      'https://www.jamendo.com/list/p123456/my-playlist',
      'https://www.jamendo.com/playlist/500089488',
      'https://www.jamendo.com/track/abc',
      'https://www.jamendo.com/track/1/slug/extra',
      'https://jamen.do/x/1',
      'https://api.jamendo.com/v3.0/tracks/?id=1848357',
      'https://jamendo.com.example/track/1',
    ]) {
      expect(parse(link)).toBeNull();
    }
  });
});

describe('Jamendo refuses input it could not have given, without a request', () => {
  it('malformed ids are NOT_FOUND', async () => {
    const { provider, ctx, server } = await configured();
    for (const call of [
      provider.track!({ kind: 'track', id: 'abc' }, ctx),
      provider.track!({ kind: 'album', id: '104336' }, ctx),
      provider.album!({ kind: 'album', id: '104336 887202' }, ctx),
      provider.artist!({ kind: 'artist', id: '0' }, ctx),
      provider.artistAlbums!({ kind: 'artist', id: '../x' }, { limit: 5, cursor: null }, ctx),
    ]) {
      expect((await rejection(call)).kind).toBe('NOT_FOUND');
    }
    expect(await provider.tracksByIds!([{ kind: 'track', id: '1 OR 1' }, { kind: 'track', id: '' }], ctx)).toEqual([null, null]);
    expect(server.count()).toBe(0);
  });

  it('cursors it never handed out are BAD_INPUT', async () => {
    const { provider, ctx, server } = await configured();
    for (const cursor of ['x', '-5', '2.5', '99999999', 'page:2']) {
      expect((await rejection(provider.searchTracks!({ query: 'rock', limit: 5, cursor }, ctx))).kind).toBe('BAD_INPUT');
      expect((await rejection(provider.artistAlbums!({ kind: 'artist', id: '376782' }, { limit: 5, cursor }, ctx))).kind).toBe('BAD_INPUT');
    }
    expect(server.count()).toBe(0);
  });
});

describe('Jamendo facing hostile answers', () => {
  const searchUrl = jamendoUrl('tracks/', { ...TRACK_PARAMS, search: 'x', limit: 5, offset: 0, fullcount: 'true' });
  const search = (provider: Provider, ctx: ReplayHarness['ctx']) => provider.searchTracks!({ query: 'x', limit: 5, cursor: null }, ctx);

  it.each([
    ['an HTML page with status 200', '<!doctype html><html><body>Jamendo is down</body></html>', 'text/html'],
    ['truncated JSON', '{"headers":{"status":"success","code":0},"results":[{"id":"1"', 'application/json'],
    ['results that are not a list', '{"headers":{"status":"success","code":0},"results":{"id":"1"}}', 'application/json'],
    ['headers that are a string', '{"headers":"ok","results":[]}', 'application/json'],
  ])('%s is BAD_RESPONSE', async (_what, body, contentType) => {
    const { provider, ctx, server } = await configured();
    server.route('GET', searchUrl, { body, contentType });
    expect((await rejection(search(provider, ctx))).kind).toBe('BAD_RESPONSE');
  });

  it('entries and fields of the wrong type are skipped or read as missing, not a TypeError', async () => {
    const { provider, ctx, server } = await configured();
    const good = sample<JamendoTrack>('tracks.json').results![0]!;
    const odd = { ...good, id: '77', musicinfo: { tags: { genres: 'rock', instruments: 5 } }, audiodownload_allowed: 'yes', image: 42, album_id: [], shareurl: {} };
    const body = { headers: { status: 'success', code: 0, results_fullcount: 3 }, results: [null, 7, 'x', odd] };
    server.route('GET', searchUrl, { body: JSON.stringify(body) });
    const page = await search(provider, ctx);
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({ id: 'jamendo:track:77', genres: ['rock'], download: { allowed: false, reason: 'NOT_LICENSED' }, playbackUrl: 'https://jamen.do/t/1848357' });

    server.route('GET', jamendoUrl('artists/albums/', { id: '376782' }), { body: JSON.stringify({ headers: { status: 'success', code: 0 }, results: [{ id: '376782', name: 'x', albums: 'none' }] }) });
    expect((await provider.artistAlbums!({ kind: 'artist', id: '376782' }, { limit: 5, cursor: null }, ctx)).items).toEqual([]);
  });

  it('parsers return null or a value for any JSON, never throw', () => {
    const keys = ['id', 'name', 'duration', 'artist_id', 'artist_name', 'album_id', 'album_name', 'position', 'license_ccurl', 'audiodownload', 'audiodownload_allowed', 'image', 'musicinfo', 'tracks', 'albums', 'shareurl', 'website'];
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.dictionary(fc.constantFrom(...keys), fc.jsonValue({ maxDepth: 3 })), (value, fields) => {
        parseTrack(value as JamendoTrack);
        parseAlbum(value as JamendoAlbum);
        parseArtist(value as JamendoArtist, ['es', 'en']);
        parseTrack({ id: '1', name: 'x', ...fields } as JamendoTrack);
        parseAlbum({ id: '1', name: 'x', ...fields } as JamendoAlbum);
        parseArtist({ id: '1', name: 'x', ...fields } as JamendoArtist, ['es']);
      }),
      { numRuns: 400 },
    );
  });
});
