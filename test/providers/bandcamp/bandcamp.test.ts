import * as cheerio from 'cheerio';
import { afterEach, describe, expect, it } from 'vitest';
import { createBandcampProvider } from '../../../src/providers/bandcamp/index.js';
import { parseBandcampUrl } from '../../../src/providers/bandcamp/links.js';
import { downloadOf } from '../../../src/providers/bandcamp/parse.js';
import type { Provider } from '../../../src/providers/types.js';
import { replayProvider, type ReplayHarness, sourceErrorOf as caught } from '../../support/providerHarness.js';
import { loadIndex, readRecording, readRecordingJson, skipWithoutRecordings } from '../../support/recordings.js';
import { spyLogger } from '../soundcloud/spyLogger.js';
import { serveBandDetails } from './recorded.js';

/**
 * Bandcamp call types in shared/recordings/bandcamp (NewPipeExtractor's mocks, May 2026)
 * replayed through the real upstream client. Expected values are read from the recordings.
 */

const BC = 'bandcamp';
type Raw = Record<string, any>;

const html = (file: string) => readRecording(BC, file);
const json = (file: string): Raw => readRecordingJson<Raw>(BC, file);
const tralbumOf = (file: string): Raw => JSON.parse(cheerio.load(html(file))('[data-tralbum]').attr('data-tralbum')!);
const art = (artId: number, size: number) => `https://f4.bcbits.com/img/a${String(artId).padStart(10, '0')}_${size}.jpg`;
const image = (imageId: number, size: number) => `https://f4.bcbits.com/img/${String(imageId).padStart(10, '0')}_${size}.jpg`;


/** Search results as the recorded page lists them, read independently of the provider's parser. */
function searchResults(file: string) {
  const $ = cheerio.load(html(file));
  return $('li.searchresult')
    .toArray()
    .map((element) => {
      const item = $(element);
      return {
        type: JSON.parse(item.attr('data-search')!).type as string,
        title: item.find('.heading a').text().trim(),
        url: item.find('.itemurl a').text().trim(),
        img: item.find('.art img').attr('src') ?? null,
        length: item.find('.length').text().trim(),
      };
    });
}

describe.skipIf(skipWithoutRecordings(BC))('Bandcamp provider (replayed recordings)', () => {
  let harness: ReplayHarness<Provider>;
  const logger = spyLogger();

  async function start() {
    logger.lines.length = 0;
    harness = await replayProvider(createBandcampProvider, { sources: [BC], logger });
    serveBandDetails(harness.server);
    return harness;
  }

  afterEach(async () => {
    await harness?.close();
  });

  describe('search', () => {
    it('artists and labels from the search page, paged by its next link', async () => {
      const { provider, ctx } = await start();
      for (const [file, cursor, next] of [
        ['search-noise-page1.html', null, '2'],
        ['search-noise-page2.html', '2', '3'],
      ] as const) {
        const expected = searchResults(file).filter((item) => item.type === 'b');
        const page = await provider.searchArtists!({ query: 'noise', limit: 50, cursor }, ctx);
        expect(page.nextCursor).toBe(next);
        expect(page.items.map((artist) => artist.name)).toEqual(expected.map((item) => item.title));
        expect(page.items.map((artist) => artist.url)).toEqual(expected.map((item) => `${item.url}/`));
        expect(page.items.map((artist) => artist.id)).toEqual(expected.map((item) => `bandcamp:artist:${new URL(item.url).hostname.replace('.bandcamp.com', '')}`));
        expect(page.items.map((artist) => artist.photo?.medium ?? null)).toEqual(
          expected.map((item) => (item.img ? item.img.replace(/_\d+\.jpg$/, '_16.jpg') : null)),
        );
      }
    });

    it('albums from the search page, with artist, cover and track count', async () => {
      const { provider, ctx } = await start();
      const expected = searchResults('search-c418-page1.html').filter((item) => item.type === 'a');
      const page = await provider.searchAlbums!({ query: 'C418', limit: 50, cursor: null }, ctx);
      expect(page.items).toHaveLength(expected.length);
      expect(page.nextCursor).toBe('2');
      page.items.forEach((album, index) => {
        const item = expected[index]!;
        const path = new URL(item.url);
        expect(album.title).toBe(item.title);
        expect(album.url).toBe(item.url);
        expect(album.id).toBe(`bandcamp:album:${path.hostname.replace('.bandcamp.com', '')}${path.pathname}`);
        expect(album.cover?.large).toBe(item.img!.replace(/_\d+\.jpg$/, '_10.jpg'));
        expect(album.trackCount).toBe(Number(/(\d+) tracks?/.exec(item.length)?.[1] ?? NaN) || null);
      });
      expect(page.items[0]?.artists[0]).toEqual({ id: 'bandcamp:artist:c418', name: 'C418' });
    });

    it('tracks from the autocomplete JSON', async () => {
      const { provider, server, ctx } = await start();
      const results = json('autocomplete-elastic-c418.json').auto.results.filter((result: Raw) => result.type === 't');
      const page = await provider.searchTracks!({ query: 'c418', limit: 50, cursor: null }, ctx);
      expect(JSON.parse(server.requests[0]!.body)).toEqual(json('autocomplete-elastic-c418.request.json'));
      expect(page.items.map((track) => track.title)).toEqual(results.map((result: Raw) => result.name));
      expect(page.items.map((track) => track.playbackUrl)).toEqual(results.map((result: Raw) => result.item_url_path));
      expect(page.items.map((track) => track.album?.title)).toEqual(results.map((result: Raw) => result.album_name));
      expect(page.items.map((track) => track.cover?.medium)).toEqual(results.map((result: Raw) => art(result.art_id, 16)));
      expect(page.items.map((track) => track.artists[0]?.name)).toEqual(results.map((result: Raw) => result.band_name));
      expect(page.nextCursor).toBeNull();
    });
  });

  describe('release pages', () => {
    it('an album page: tracks, durations, date, cover, tags, licence; paid → NOT_LICENSED', async () => {
      const { provider, ctx } = await start();
      const tralbum = tralbumOf('album-macbenson-coming-of-age.html');
      const album = await provider.album!({ kind: 'album', id: 'macbenson/album/coming-of-age' }, ctx);
      expect(album).toMatchObject({
        id: 'bandcamp:album:macbenson/album/coming-of-age',
        title: tralbum.current.title,
        artists: [{ id: 'bandcamp:artist:macbenson', name: tralbum.artist }],
        releaseDate: '2019-11-01',
        url: tralbum.url,
        type: 'ALBUM',
        trackCount: tralbum.trackinfo.length,
        cover: { small: art(tralbum.art_id, 4), medium: art(tralbum.art_id, 16), large: art(tralbum.art_id, 10) },
        license: { name: 'All rights reserved', url: null },
      });
      expect(tralbum.album_release_date).toBe('01 Nov 2019 00:00:00 GMT');
      expect(album.tracks?.map((track) => track.title)).toEqual(tralbum.trackinfo.map((info: Raw) => info.title));
      expect(album.tracks?.map((track) => track.durationSec)).toEqual(tralbum.trackinfo.map((info: Raw) => Math.round(info.duration)));
      expect(album.tracks?.map((track) => track.playbackUrl)).toEqual(tralbum.trackinfo.map((info: Raw) => `https://macbenson.bandcamp.com${info.title_link}`));
      expect(album.tracks?.map((track) => track.trackNumber)).toEqual(tralbum.trackinfo.map((info: Raw) => info.track_num));
      expect(album.genres).toContain('alternative');
      expect(tralbum.freeDownloadPage).toBeNull();
      for (const track of album.tracks ?? []) expect(track.download).toMatchObject({ allowed: false, reason: 'NOT_LICENSED' });
    });

    it('a long album with 62 tracks', async () => {
      const { provider, ctx } = await start();
      const tralbum = tralbumOf('album-infiniteammo-night-in-the-woods-vol-1.html');
      const album = await provider.album!({ kind: 'album', id: 'infiniteammo/album/night-in-the-woods-vol-1-at-the-end-of-everything' }, ctx);
      expect(album.tracks).toHaveLength(62);
      expect(album.tracks?.map((track) => track.id)).toEqual(tralbum.trackinfo.map((info: Raw) => `bandcamp:track:infiniteammo${info.title_link}`));
      expect(album.tracks?.reduce((sum, track) => sum + (track.durationSec ?? 0), 0)).toBe(
        tralbum.trackinfo.reduce((sum: number, info: Raw) => sum + Math.round(info.duration), 0),
      );
    });

    it('an album with no streamable tracks has an unknown track list, not an empty one', async () => {
      const { provider, ctx } = await start();
      const tralbum = tralbumOf('album-billwurtz-high-enough-locked-tracks.html');
      const album = await provider.album!({ kind: 'album', id: 'billwurtz/album/high-enough' }, ctx);
      expect(tralbum.trackinfo).toEqual([]);
      expect(album.title).toBe(tralbum.current.title);
      expect(album.tracks).toBeNull();
      expect(album.trackCount).toBeNull();
      expect(album.releaseDate).toBe('2014-09-17');
    });

    it('track pages (recorded at a doubled-slash URL, served at the canonical one)', async () => {
      const { provider, server, ctx } = await start();
      for (const slug of ['coming-of-age', 'home-with-me-3', 'bedsheets-2', 'divine-2', 'dont-dance-with-boys-with-girlfriends']) {
        server.route('GET', `https://macbenson.bandcamp.com/track/${slug}`, { body: html(`track-macbenson-${slug}.html`), contentType: 'text/html; charset=UTF-8' });
        const tralbum = tralbumOf(`track-macbenson-${slug}.html`);
        const track = await provider.track!({ kind: 'track', id: `macbenson/track/${slug}` }, ctx);
        expect(track).toMatchObject({
          id: `bandcamp:track:macbenson/track/${slug}`,
          title: tralbum.current.title,
          durationSec: Math.round(tralbum.trackinfo[0].duration),
          trackNumber: tralbum.current.track_number,
          album: { id: 'bandcamp:album:macbenson/album/coming-of-age', title: 'Coming of Age' },
          playbackUrl: tralbum.url,
          cover: { medium: art(tralbum.art_id, 16) },
          artists: [{ id: 'bandcamp:artist:macbenson', name: 'mac benson' }],
          download: { allowed: false, reason: 'NOT_LICENSED' },
        });
      }
    });

    it('a paid-only track page', async () => {
      const { provider, ctx } = await start();
      const tralbum = tralbumOf('track-radicaldreamland-hackmud-continuous-mix-paid.html');
      const track = await provider.track!({ kind: 'track', id: 'radicaldreamland/track/hackmud-continuous-mix' }, ctx);
      expect(track.title).toBe(tralbum.current.title);
      expect(track.durationSec).toBe(Math.round(tralbum.trackinfo[0].duration));
      expect(track.artists[0]?.name).toBe(tralbum.artist);
      expect(track.album?.id).toBe(`bandcamp:album:radicaldreamland${tralbum.album_url}`);
      expect(track.album?.title).toBe('hackmud OST Vol. 1 (Lena Raine)');
      expect(track.download).toMatchObject({ allowed: false, reason: 'NOT_LICENSED' });
      expect(track.previewUrl).toBeNull();
    });

    it('a free-download track: allowed, with its download page and Creative Commons licence', async () => {
      // The artist's home page renders this track; it is served at the track's own address.
      const { provider, server, ctx } = await start();
      const tralbum = tralbumOf('artist-npet-home.html');
      server.route('GET', tralbum.url, { body: html('artist-npet-home.html'), contentType: 'text/html; charset=UTF-8' });
      const track = await provider.track!({ kind: 'track', id: 'npet/track/track-1' }, ctx);
      expect(tralbum.current.download_pref).toBe(1);
      expect(track.download).toEqual({
        allowed: true,
        license: { name: 'Creative Commons BY 4.0', url: 'https://creativecommons.org/licenses/by/4.0/' },
        originUrl: tralbum.freeDownloadPage,
      });
      expect(track.durationSec).toBe(Math.round(tralbum.trackinfo[0].duration));
      expect(track.releaseDate).toBe('2020-03-17');
    });

    it('looks tracks up by number through the mobile API', async () => {
      const { provider, ctx } = await start();
      const files = loadIndex(BC).filter((entry) => entry.file.startsWith('mobile-tralbum-details-'));
      expect(files.length).toBeGreaterThan(0);
      for (const entry of files) {
        const params = new URL(entry.request.url).searchParams;
        const raw = json(entry.file);
        const track = await provider.track!({ kind: 'track', id: `${params.get('band_id')}:t${params.get('tralbum_id')}` }, ctx);
        const path = new URL(raw.bandcamp_url);
        expect(track.id).toBe(`bandcamp:track:${path.hostname.replace('.bandcamp.com', '')}${path.pathname}`);
        expect(track.title).toBe(raw.title);
        expect(track.durationSec).toBe(Math.round(raw.tracks[0].duration));
        expect(track.releaseDate).toBe(new Date(raw.release_date * 1000).toISOString().slice(0, 10));
        expect(track.cover?.medium).toBe(art(raw.art_id, 16));
        expect(track.genres).toEqual(raw.tags.filter((tag: Raw) => !tag.isloc).map((tag: Raw) => tag.name));
        expect(track.download.allowed).toBe(raw.free_download === true);
      }
    });
  });

  describe('artists', () => {
    it('an artist profile from the home page', async () => {
      const { provider, ctx } = await start();
      const details = json('mobile-band-details-macbenson.json');
      const artist = await provider.artist!({ kind: 'artist', id: 'macbenson' }, ctx);
      expect(artist).toMatchObject({
        id: 'bandcamp:artist:macbenson',
        name: details.name,
        disambiguation: details.location,
        biography: { content: details.bio },
        photo: { large: image(details.bio_image_id, 10) },
      });
      expect(artist.links).toEqual([
        { platform: 'bandcamp', url: 'https://macbenson.bandcamp.com/' },
        { platform: 'official', url: details.sites[0].url },
      ]);
    });

    it('an artist without releases: the bare page is completed by the mobile API', async () => {
      const { provider, server, ctx } = await start();
      const details = json('mobile-band-details-toupie.json');
      const artist = await provider.artist!({ kind: 'artist', id: 'toupie' }, ctx);
      expect(server.count('/api/mobile/22/band_details')).toBe(1);
      expect(artist).toMatchObject({
        name: details.name,
        disambiguation: details.location,
        biography: { content: details.bio },
        photo: { medium: image(details.bio_image_id, 16) },
        links: [{ platform: 'bandcamp', url: details.bandcamp_url }, { platform: 'twitter', url: details.sites[0].url }],
      });
    });

    it('a discography from the music grid', async () => {
      const { provider, ctx } = await start();
      const $ = cheerio.load(html('artist-infiniteammo-home.html'));
      const grid = $('li.music-grid-item')
        .toArray()
        .map((element) => ({ href: $(element).find('a').attr('href')!, title: $(element).find('p.title').text().trim() }));
      const page = await provider.artistAlbums!({ kind: 'artist', id: 'infiniteammo' }, { limit: 50, cursor: null }, ctx);
      expect(page.items.map((album) => album.title)).toEqual(grid.map((item) => item.title));
      expect(page.items.map((album) => album.id)).toEqual(grid.map((item) => `bandcamp:album:infiniteammo${item.href}`));
      expect(page.items.every((album) => album.cover?.medium?.startsWith('https://f4.bcbits.com/img/a'))).toBe(true);
      const firstTwo = await provider.artistAlbums!({ kind: 'artist', id: 'infiniteammo' }, { limit: 2, cursor: null }, ctx);
      expect(firstTwo.nextCursor).toBe('2');
      expect(firstTwo.total).toBe(grid.length);
    });

    it('a discography from the mobile API when the home page shows a release', async () => {
      const { provider, ctx } = await start();
      const details = json('mobile-band-details-macbenson.json');
      const page = await provider.artistAlbums!({ kind: 'artist', id: 'macbenson' }, { limit: 50, cursor: null }, ctx);
      expect(page.items.map((album) => album.title)).toEqual(details.discography.map((item: Raw) => item.title));
      expect(page.items.map((album) => album.id)).toEqual(
        details.discography.map((item: Raw) => `bandcamp:album:${item.band_id}:${item.item_type === 'album' ? 'a' : 't'}${item.item_id}`),
      );
      expect(page.items.map((album) => album.type)).toEqual(details.discography.map((item: Raw) => (item.item_type === 'track' ? 'SINGLE' : 'ALBUM')));
    });

    it('an artist without releases has an empty discography', async () => {
      const { provider, ctx } = await start();
      const page = await provider.artistAlbums!({ kind: 'artist', id: 'toupie' }, { limit: 50, cursor: null }, ctx);
      expect(page).toEqual({ items: [], total: 0, nextCursor: null });
    });

    it("the mobile API's error answer (HTTP 200) is NOT_FOUND", async () => {
      const { provider, server, ctx } = await start();
      // Replaces the per-band answers set up by start(): every band_details call gets the error.
      server.reset();
      server.intercept((request, response) => {
        if (request.path !== '/api/mobile/22/band_details') return false;
        response.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
        response.end(readRecording(BC, 'mobile-band-details-band-id-0-error.json'));
        return true;
      });
      expect((await caught(provider.artistAlbums!({ kind: 'artist', id: 'toupie' }, { limit: 50, cursor: null }, ctx))).kind).toBe('NOT_FOUND');
    });
  });

  describe('site changes', () => {
    function withTralbum(file: string, change: (tralbum: Raw) => void): string {
      const $ = cheerio.load(html(file));
      const element = $('[data-tralbum]');
      const tralbum = JSON.parse(element.attr('data-tralbum')!);
      change(tralbum);
      element.attr('data-tralbum', JSON.stringify(tralbum));
      return $.html();
    }

    it('a renamed key in data-tralbum nulls that field, warns, and keeps the rest', async () => {
      const { provider, server, ctx } = await start();
      const original = tralbumOf('album-macbenson-coming-of-age.html');
      const page = withTralbum('album-macbenson-coming-of-age.html', (tralbum) => {
        for (const info of tralbum.trackinfo) {
          info.length = info.duration;
          delete info.duration;
        }
      });
      server.route('GET', 'https://macbenson.bandcamp.com/album/coming-of-age', { body: page, contentType: 'text/html; charset=UTF-8' });
      const album = await provider.album!({ kind: 'album', id: 'macbenson/album/coming-of-age' }, ctx);
      expect(album.tracks?.map((track) => track.title)).toEqual(original.trackinfo.map((info: Raw) => info.title));
      expect(album.tracks?.every((track) => track.durationSec === null)).toBe(true);
      expect(album.cover?.medium).toBe(art(original.art_id, 16));
      expect(album.releaseDate).toBe('2019-11-01');
      expect(logger.warnings().filter((line) => line.fields.field === 'trackinfo.duration')).toHaveLength(1);
    });

    it('a page without data-tralbum is read from its ld+json', async () => {
      const { provider, server, ctx } = await start();
      const $ = cheerio.load(html('album-macbenson-coming-of-age.html'));
      $('[data-tralbum]').removeAttr('data-tralbum');
      server.route('GET', 'https://macbenson.bandcamp.com/album/coming-of-age', { body: $.html(), contentType: 'text/html; charset=UTF-8' });
      const original = tralbumOf('album-macbenson-coming-of-age.html');
      const album = await provider.album!({ kind: 'album', id: 'macbenson/album/coming-of-age' }, ctx);
      expect(album.title).toBe(original.current.title);
      expect(album.tracks?.map((track) => track.title)).toEqual(original.trackinfo.map((info: Raw) => info.title));
      // ld+json states whole seconds (P00H01M04S), so durations are floored there.
      expect(album.tracks?.map((track) => track.durationSec)).toEqual(original.trackinfo.map((info: Raw) => Math.floor(info.duration)));
      expect(album.cover?.large).toBe(art(original.art_id, 10));
      expect(logger.warnings().some((line) => line.fields.field === 'data-tralbum')).toBe(true);
    });

    it('an unrecognised page is BAD_RESPONSE', async () => {
      const { provider, server, ctx } = await start();
      server.intercept((request, response) => {
        response.writeHead(200, { 'content-type': 'text/html' });
        response.end('<html><body><h1>We will be right back</h1></body></html>');
        return request.host.endsWith('bandcamp.com');
      });
      expect((await caught(provider.searchAlbums!({ query: 'C418', limit: 10, cursor: null }, ctx))).kind).toBe('BAD_RESPONSE');
      expect((await caught(provider.album!({ kind: 'album', id: 'macbenson/album/coming-of-age' }, ctx))).kind).toBe('BAD_RESPONSE');
      expect((await caught(provider.artist!({ kind: 'artist', id: 'macbenson' }, ctx))).kind).toBe('BAD_RESPONSE');
    });
  });
});

describe('Bandcamp links (parseUrl)', () => {
  const parse = (url: string) => parseBandcampUrl(new URL(url));

  it('names artists, albums and tracks on *.bandcamp.com', () => {
    expect(parse('https://macbenson.bandcamp.com')).toEqual({ entity: 'artist', ref: { kind: 'artist', id: 'macbenson' } });
    expect(parse('https://toupie.bandcamp.com/releases')).toEqual({ entity: 'artist', ref: { kind: 'artist', id: 'toupie' } });
    expect(parse('https://MacBenson.bandcamp.com/album/coming-of-age?from=search&search_item_id=1')).toEqual({
      entity: 'album',
      ref: { kind: 'album', id: 'macbenson/album/coming-of-age' },
    });
    expect(parse('http://macbenson.bandcamp.com//track/divine-2')).toEqual({ entity: 'track', ref: { kind: 'track', id: 'macbenson/track/divine-2' } });
  });

  it("names nothing on custom domains (telling needs a request), Bandcamp's own services or other pages", () => {
    for (const url of [
      'https://lorangeproductions.com/album/old-soul',
      'https://bandcamp.com/search?q=c418',
      'https://daily.bandcamp.com/lists/best-of-2025',
      'https://www.bandcamp.com/',
      'https://macbenson.bandcamp.com/merch',
      'https://macbenson.bandcamp.com/album/',
      'https://a.b.bandcamp.com/album/x',
      'https://macbenson.bandcamp.com.example.org/album/x',
    ]) {
      expect(parse(url), url).toBeNull();
    }
  });
});

describe('Bandcamp download details', () => {
  it('say in both languages why a release is not offered', () => {
    expect(downloadOf(null, null)).toEqual({
      allowed: false,
      reason: 'NOT_LICENSED',
      detail: { en: 'the artist sells this release; buy it on Bandcamp', es: 'el artista vende este lanzamiento; cómpralo en Bandcamp' },
    });
  });
});
