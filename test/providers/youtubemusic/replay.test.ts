import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Album, Artist, Page, Track } from '../../../src/domain/types.js';
import { SourceError } from '../../../src/errors/source.js';
import { createYouTubeMusicProvider, SEARCH_FILTER } from '../../../src/providers/youtubemusic/index.js';
import { replayProvider, type ReplayHarness } from '../../support/providerHarness.js';
import { skipWithoutRecordings } from '../../support/recordings.js';
import {
  atSize,
  bodyOf,
  clockSeconds,
  continuationShelf,
  expectedRow,
  firstPageShelf,
  isInnerTube,
  recording,
  serveAll,
  serveBrowse,
  tokenOf,
  type Raw,
} from './recorded.js';

/**
 * Every recorded call type the provider makes, replayed through the real upstream client
 * (cache, rate limit, error mapping) against the genuine responses.
 */

const RECORDINGS = {
  songs: 'search-songs-filter-mocromaniac.json',
  songsNext: 'search-songs-filter-mocromaniac-continuation.json',
  corrected: 'search-songs-filter-misspelled-no-copyrigh-sounds.json',
  correctedNext: 'search-songs-filter-misspelled-no-copyrigh-sounds-continuation.json',
  albums: 'search-albums-filter-axwell.json',
  albumsNext: 'search-albums-filter-axwell-continuation.json',
  artists: 'search-artists-filter-kevin.json',
  artistsNext: 'search-artists-filter-kevin-continuation.json',
  noResults: 'search-artists-filter-neutral-malk-no-results.json',
  album: 'browse-album-MPREb_Tr9YVfRfip1.json',
  compilation: 'browse-album-various-artists-MPREb_HzRLg8XTLkv.json',
  artist: 'browse-artist-UCJwGWV914kBlV4dKRn7AEFA.json',
  charts: 'browse-charts-FEmusic_charts-US.json',
  chartPlaylist: 'browse-playlist-chart-VLOLAK5uy_mzYnlaHgFOvLaxqIPnnouEr-idiUn4NIM.json',
  suggestions: 'get-search-suggestions-empty-input.json',
  moods: 'browse-moods-and-genres.json',
} as const;

/** Credits written back as one line ("Axwell & Max'C"), to compare with the recorded text. */
const creditLine = (item: { artists: Track['artists'] }) => squash(item.artists.map((a) => a.name + (a.joinPhrase ?? '')).join(''));
/** Names are trimmed ("Recycled J  " is recorded with trailing spaces): compare with spacing normalised. */
const squash = (value: string) => value.replace(/\s+/g, ' ').trim();
const linkedIds = (item: { artists: Track['artists'] }) => item.artists.filter((a) => a.id).map((a) => a.id);

function expectTracksMatchRows(tracks: Track[], rows: Raw[]): void {
  expect(tracks).toHaveLength(rows.length);
  tracks.forEach((track, i) => {
    const row = expectedRow(rows[i]);
    expect(track.id).toBe(`youtubemusic:song:${row.videoId}`);
    expect(track.title).toBe(row.title);
    expect(creditLine(track)).toBe(squash(row.segments[0]!));
    expect(linkedIds(track)).toEqual(row.artists.map((a) => `youtubemusic:artist:${a.channelId}`));
    expect(track.album).toEqual(row.album ? { id: `youtubemusic:album:${row.album.browseId}`, title: row.album.title } : null);
    expect(track.durationSec).toBe(clockSeconds(row.clock!));
    expect(track.playbackUrl).toBe(`https://music.youtube.com/watch?v=${row.videoId}`);
    expect(track.download).toEqual({ allowed: false, reason: 'NOT_LICENSED', detail: { en: 'streams are never ripped', es: 'nunca se graban las emisiones' } });
    expect(track.cover?.large).toBe(atSize(row.largestThumbnail!.url, 1200));
    expect(track.cover?.small).toBe(atSize(row.largestThumbnail!.url, 250));
  });
}

describe.skipIf(skipWithoutRecordings('youtubemusic'))('YouTube Music replay', () => {
  let h: ReplayHarness;
  beforeEach(async () => {
    h = await replayProvider(createYouTubeMusicProvider, { sources: ['youtubemusic'] });
  });
  afterEach(() => h.close());

  const search = (query: string, cursor: string | null = null, limit = 20) => ({ query, cursor, limit });

  describe('searchTracks', () => {
    it('parses the first page and pages on with the recorded continuation request', async () => {
      const first = await h.provider.searchTracks!(search('mocromaniac'), h.ctx);
      const shelf = firstPageShelf(recording(RECORDINGS.songs));
      expectTracksMatchRows(first.items, shelf.contents);
      expect(first.nextCursor).toBe(tokenOf(shelf));

      const sent = bodyOf(h.server.requests[0]!);
      expect(sent).toMatchObject({ query: 'mocromaniac', params: SEARCH_FILTER.songs });
      expect(sent.context.client).toMatchObject({ clientName: 'WEB_REMIX', clientVersion: '1.20260121.03.00', hl: 'es', gl: 'ES' });
      expect(h.server.requests[0]!.headers).toMatchObject({ 'x-youtube-client-name': '67', 'x-youtube-client-version': '1.20260121.03.00' });

      const second = await h.provider.searchTracks!(search('mocromaniac', first.nextCursor), h.ctx);
      const next = continuationShelf(recording(RECORDINGS.songsNext));
      expectTracksMatchRows(second.items, next.contents);
      expect(second.nextCursor).toBe(tokenOf(next));
      // The continuation request is the recorded one: token in the URL, only `context` in the body.
      expect(Object.keys(bodyOf(h.server.requests[1]!))).toEqual(['context']);
      expect(h.server.requests[1]!.query.get('ctoken')).toBe(h.server.requests[1]!.query.get('continuation'));
    });

    it('returns the corrected results of a misspelled query, and its continuation', async () => {
      const first = await h.provider.searchTracks!(search('no copyrigh sounds'), h.ctx);
      const shelf = firstPageShelf(recording(RECORDINGS.corrected));
      expectTracksMatchRows(first.items, shelf.contents);
      const second = await h.provider.searchTracks!(search('no copyrigh sounds', first.nextCursor), h.ctx);
      const next = continuationShelf(recording(RECORDINGS.correctedNext));
      expectTracksMatchRows(second.items, next.contents);
      expect(second.nextCursor).toBe(tokenOf(next));
    });

    it('cuts a page at the limit and resumes inside it from the cache', async () => {
      const all = firstPageShelf(recording(RECORDINGS.songs)).contents.map((row: Raw) => expectedRow(row).videoId);
      const first = await h.provider.searchTracks!(search('mocromaniac', null, 5), h.ctx);
      expect(first.items.map((t) => t.id)).toEqual(all.slice(0, 5).map((id: string) => `youtubemusic:song:${id}`));
      expect(first.nextCursor).toBe('#5');
      const second = await h.provider.searchTracks!(search('mocromaniac', first.nextCursor, 5), h.ctx);
      expect(second.items.map((t) => t.id)).toEqual(all.slice(5, 10).map((id: string) => `youtubemusic:song:${id}`));
      expect(h.server.count('/youtubei/v1/search')).toBe(1);
    });
  });

  describe('searchAlbums', () => {
    function expectAlbumsMatchRows(albums: Album[], rows: Raw[]) {
      expect(albums).toHaveLength(rows.length);
      albums.forEach((album, i) => {
        const row = expectedRow(rows[i]);
        expect(album.id).toBe(`youtubemusic:album:${row.browseId}`);
        expect(album.title).toBe(row.title);
        expect(creditLine(album)).toBe(squash(row.segments[1]!));
        expect(linkedIds(album)).toEqual(row.artists.map((a) => `youtubemusic:artist:${a.channelId}`));
        expect(album.releaseDate).toBe(row.year);
        expect(album.type).toBe({ Album: 'ALBUM', Single: 'SINGLE', EP: 'EP' }[row.typeLabel as string] ?? null);
        expect(album.cover?.medium).toBe(atSize(row.largestThumbnail!.url, 500));
      });
    }

    it('parses both recorded pages', async () => {
      const first = await h.provider.searchAlbums!(search('axwell'), h.ctx);
      const shelf = firstPageShelf(recording(RECORDINGS.albums));
      expectAlbumsMatchRows(first.items, shelf.contents);
      expect(first.nextCursor).toBe(tokenOf(shelf));
      expect(bodyOf(h.server.requests[0]!).params).toBe(SEARCH_FILTER.albums);

      const second = await h.provider.searchAlbums!(search('axwell', first.nextCursor), h.ctx);
      const next = continuationShelf(recording(RECORDINGS.albumsNext));
      expectAlbumsMatchRows(second.items, next.contents);
      expect(second.nextCursor).toBe(tokenOf(next));
    });

    it('keeps unlinked credits such as "Various Artists" by name', async () => {
      const page = await h.provider.searchAlbums!(search('axwell'), h.ctx);
      const rows = firstPageShelf(recording(RECORDINGS.albums)).contents as Raw[];
      const index = rows.findIndex((row) => expectedRow(row).artists.length === 0);
      expect(index).toBeGreaterThanOrEqual(0);
      const unlinked = rows[index].musicResponsiveListItemRenderer.flexColumns[1].musicResponsiveListItemFlexColumnRenderer.text.runs[2].text;
      expect(page.items[index]!.artists).toEqual([{ id: null, name: unlinked }]);
    });
  });

  describe('searchArtists', () => {
    function expectArtistsMatchRows(artists: Artist[], rows: Raw[]) {
      expect(artists).toHaveLength(rows.length);
      artists.forEach((artist, i) => {
        const row = expectedRow(rows[i]);
        expect(artist.id).toBe(`youtubemusic:artist:${row.browseId}`);
        expect(artist.name).toBe(row.title);
        expect(artist.photo?.large).toBe(atSize(row.largestThumbnail!.url, 1200));
        expect(artist.url).toBe(`https://music.youtube.com/channel/${row.browseId}`);
      });
    }

    it('parses both recorded pages', async () => {
      const first = await h.provider.searchArtists!(search('kevin'), h.ctx);
      const shelf = firstPageShelf(recording(RECORDINGS.artists));
      expectArtistsMatchRows(first.items, shelf.contents);
      expect(first.nextCursor).toBe(tokenOf(shelf));
      expect(bodyOf(h.server.requests[0]!).params).toBe(SEARCH_FILTER.artists);

      const second = await h.provider.searchArtists!(search('kevin', first.nextCursor), h.ctx);
      const next = continuationShelf(recording(RECORDINGS.artistsNext));
      expectArtistsMatchRows(second.items, next.contents);
      expect(second.nextCursor).toBe(tokenOf(next));
    });

    it('gives an empty last page for the recorded no-results answer', async () => {
      const page: Page<Artist> = await h.provider.searchArtists!(search('neutral malk'), h.ctx);
      expect(page).toEqual({ items: [], total: null, nextCursor: null });
      expect(bodyOf(h.server.requests[0]!).query).toBe('neutral malk');
      // The recording really is the "No results" page, not some other answer.
      const message = recording(RECORDINGS.noResults).contents.tabbedSearchResultsRenderer.tabs[0].tabRenderer.content.sectionListRenderer.contents[0]
        .itemSectionRenderer.contents[1].messageRenderer.text.runs[0].text;
      expect(message).toMatch(/No results/);
    });
  });

  describe('album', () => {
    it('reads title, artists, year, cover, type and the numbered track list', async () => {
      h.server.intercept(serveBrowse({ MPREb_Tr9YVfRfip1: RECORDINGS.album }));
      const album = await h.provider.album!({ kind: 'album', id: 'MPREb_Tr9YVfRfip1' }, h.ctx);
      const raw = recording(RECORDINGS.album);
      const header = raw.contents.twoColumnBrowseResultsRenderer.tabs[0].tabRenderer.content.sectionListRenderer.contents[0].musicResponsiveHeaderRenderer;
      const rows: Raw[] = raw.contents.twoColumnBrowseResultsRenderer.secondaryContents.sectionListRenderer.contents[0].musicShelfRenderer.contents;
      const strapline = header.straplineTextOne.runs[0];
      const thumbs: Raw[] = header.thumbnail.musicThumbnailRenderer.thumbnail.thumbnails;

      expect(album.id).toBe('youtubemusic:album:MPREb_Tr9YVfRfip1');
      expect(album.title).toBe(header.title.runs[0].text);
      expect(album.artists).toEqual([{ id: `youtubemusic:artist:${strapline.navigationEndpoint.browseEndpoint.browseId}`, name: strapline.text }]);
      expect(album.releaseDate).toBe(header.subtitle.runs[2].text);
      expect(header.subtitle.runs[0].text).toBe('Album');
      expect(album.type).toBe('ALBUM');
      expect(album.cover?.large).toBe(atSize(thumbs.at(-1).url, 1200));
      expect(album.trackCount).toBe(Number.parseInt(header.secondSubtitle.runs[0].text, 10));
      expect(album.url).toBe(raw.microformat.microformatDataRenderer.urlCanonical);
      expect(album.tracks).toHaveLength(rows.length);
      album.tracks!.forEach((track, i) => {
        const row = expectedRow(rows[i]);
        expect(track.id).toBe(`youtubemusic:song:${row.videoId}`);
        expect(track.title).toBe(row.title);
        expect(track.trackNumber).toBe(Number(row.index));
        expect(track.durationSec).toBe(clockSeconds(row.clock!));
        expect(creditLine(track)).toBe(squash(row.segments[0]!));
        expect(track.album).toEqual({ id: album.id, title: album.title });
        expect(track.cover).toEqual(album.cover);
      });
      expect(bodyOf(h.server.requests[0]!).browseId).toBe('MPREb_Tr9YVfRfip1');
    });

    it('marks a Various Artists album as a compilation and keeps every track credit', async () => {
      h.server.intercept(serveBrowse({ MPREb_HzRLg8XTLkv: RECORDINGS.compilation }));
      const album = await h.provider.album!({ kind: 'album', id: 'MPREb_HzRLg8XTLkv' }, h.ctx);
      const raw = recording(RECORDINGS.compilation);
      const header = raw.contents.twoColumnBrowseResultsRenderer.tabs[0].tabRenderer.content.sectionListRenderer.contents[0].musicResponsiveHeaderRenderer;
      const rows: Raw[] = raw.contents.twoColumnBrowseResultsRenderer.secondaryContents.sectionListRenderer.contents[0].musicShelfRenderer.contents;
      expect(album.artists).toEqual([{ id: null, name: header.straplineTextOne.runs[0].text }]);
      expect(album.type).toBe('COMPILATION');
      expect(album.trackCount).toBe(Number.parseInt(header.secondSubtitle.runs[0].text, 10));
      album.tracks!.forEach((track, i) => {
        const row = expectedRow(rows[i]);
        expect(linkedIds(track)).toEqual(row.artists.map((a) => `youtubemusic:artist:${a.channelId}`));
        expect(creditLine(track)).toBe(squash(row.segments[0]!));
        expect(track.durationSec).toBe(clockSeconds(row.clock!));
      });
    });

    it('refuses ids that are not album browse ids without asking the site', async () => {
      await expect(h.provider.album!({ kind: 'album', id: 'UCJwGWV914kBlV4dKRn7AEFA' }, h.ctx)).rejects.toMatchObject({ kind: 'NOT_FOUND' });
      expect(h.server.requests).toHaveLength(0);
    });
  });

  describe('artist', () => {
    const CHANNEL = 'UCJwGWV914kBlV4dKRn7AEFA';

    it('reads name, photo, biography with its Wikipedia source, links and similar artists', async () => {
      h.server.intercept(serveBrowse({ [CHANNEL]: RECORDINGS.artist }));
      const artist = await h.provider.artist!({ kind: 'artist', id: CHANNEL }, h.ctx);
      const raw = recording(RECORDINGS.artist);
      const header = raw.header.musicImmersiveHeaderRenderer;
      const wikipedia = header.description.runs.find((run: Raw) => run.navigationEndpoint?.urlEndpoint?.url?.includes('wikipedia.org'))
        .navigationEndpoint.urlEndpoint.url;
      const thumbs: Raw[] = header.thumbnail.musicThumbnailRenderer.thumbnail.thumbnails;

      expect(artist.id).toBe(`youtubemusic:artist:${CHANNEL}`);
      expect(artist.name).toBe(header.title.runs[0].text);
      // A wide banner cannot be resized to a square: the listed sizes are picked by width.
      expect(artist.photo?.large).toBe(thumbs.find((t) => t.width >= 1000).url);
      expect(artist.biography?.content?.startsWith(header.description.runs[0].text.split('\n')[0])).toBe(true);
      expect(artist.biography?.content).toContain(wikipedia);
      expect(artist.biography).toMatchObject({ source: 'youtubemusic', language: 'en', url: wikipedia });
      expect(artist.links).toEqual([{ platform: 'wikipedia', url: wikipedia }]);
      expect(artist.url).toBe(raw.microformat.microformatDataRenderer.urlCanonical);

      const sections: Raw[] = raw.contents.singleColumnBrowseResultsRenderer.tabs[0].tabRenderer.content.sectionListRenderer.contents;
      const fans = sections.find((s) => s.musicCarouselShelfRenderer?.contents?.[0]?.musicTwoRowItemRenderer?.navigationEndpoint?.browseEndpoint?.browseEndpointContextSupportedConfigs?.browseEndpointContextMusicConfig?.pageType === 'MUSIC_PAGE_TYPE_ARTIST');
      const similar = fans.musicCarouselShelfRenderer.contents.map((c: Raw) => c.musicTwoRowItemRenderer);
      expect(artist.similar).toEqual(similar.map((card: Raw) => ({ id: `youtubemusic:artist:${card.navigationEndpoint.browseEndpoint.browseId}`, name: card.title.runs[0].text })));
    });

    it('lists the albums and singles the page shows as the discography', async () => {
      h.server.intercept(serveBrowse({ [CHANNEL]: RECORDINGS.artist }));
      const page = await h.provider.artistAlbums!({ kind: 'artist', id: CHANNEL }, { limit: 100, cursor: null }, h.ctx);
      const sections: Raw[] = recording(RECORDINGS.artist).contents.singleColumnBrowseResultsRenderer.tabs[0].tabRenderer.content.sectionListRenderer.contents;
      const cards = sections
        .flatMap((s) => s.musicCarouselShelfRenderer?.contents ?? [])
        .map((c: Raw) => c.musicTwoRowItemRenderer)
        .filter((card: Raw) => card?.navigationEndpoint?.browseEndpoint?.browseId?.startsWith('MPREb_'));
      expect(cards.length).toBeGreaterThan(10);
      expect(page.items.map((a) => a.id)).toEqual(cards.map((card: Raw) => `youtubemusic:album:${card.navigationEndpoint.browseEndpoint.browseId}`));
      expect(page.items.map((a) => a.title)).toEqual(cards.map((card: Raw) => card.title.runs[0].text));
      expect(page.items.map((a) => a.releaseDate)).toEqual(cards.map((card: Raw) => card.subtitle.runs.at(-1).text));
      // "Singles & EPs" cards say "Single • 2026"; cards in "Albums" only give the year.
      expect(page.items.filter((a) => a.type === 'SINGLE').length).toBe(cards.filter((card: Raw) => card.subtitle.runs[0].text === 'Single').length);
      expect(page.items.every((a) => a.artists[0]?.id === `youtubemusic:artist:${CHANNEL}`)).toBe(true);
      expect(page.nextCursor).toBeNull();

      const firstFive = await h.provider.artistAlbums!({ kind: 'artist', id: CHANNEL }, { limit: 5, cursor: null }, h.ctx);
      expect(firstFive.items).toEqual(page.items.slice(0, 5));
      const nextFive = await h.provider.artistAlbums!({ kind: 'artist', id: CHANNEL }, { limit: 5, cursor: firstFive.nextCursor }, h.ctx);
      expect(nextFive.items).toEqual(page.items.slice(5, 10));
    });
  });

  describe('chart', () => {
    it('opens the country chart page, picks its top-100 chart and reads the ranked entries', async () => {
      const home = recording(RECORDINGS.charts);
      const carousels: Raw[] = home.contents.singleColumnBrowseResultsRenderer.tabs[0].tabRenderer.content.sectionListRenderer.contents;
      const top100 = carousels
        .flatMap((s) => s.musicCarouselShelfRenderer?.contents ?? [])
        .map((c: Raw) => c.musicTwoRowItemRenderer)
        .find((card: Raw) => card && /100/.test(card.title.runs[0].text));
      const playlistId: string = top100.navigationEndpoint.browseEndpoint.browseId;
      // The top-100 playlist page itself was not recorded; the recorded chart playlist page (same
      // renderers, "Trending 20 Spain") stands in for it.
      h.server.intercept(serveBrowse({ 'FEmusic_charts:US': RECORDINGS.charts, [playlistId]: RECORDINGS.chartPlaylist }));

      const chart = await h.provider.chart!({ country: 'US', genre: null, limit: 100 }, h.ctx);

      expect(h.server.requests.map((r) => bodyOf(r).browseId)).toEqual(['FEmusic_charts', playlistId]);
      expect(bodyOf(h.server.requests[0]!).formData).toEqual({ selectedValues: ['US'] });
      const playlist = recording(RECORDINGS.chartPlaylist);
      const rows: Raw[] = playlist.contents.twoColumnBrowseResultsRenderer.secondaryContents.sectionListRenderer.contents[0].musicPlaylistShelfRenderer.contents;
      expect(chart.scope).toBe('US');
      expect(chart.source).toBe('youtubemusic');
      expect(chart.title).toBe(playlist.contents.twoColumnBrowseResultsRenderer.tabs[0].tabRenderer.content.sectionListRenderer.contents[0].musicResponsiveHeaderRenderer.title.runs[0].text);
      expect(chart.entries).toHaveLength(rows.length);
      chart.entries.forEach((entry, i) => {
        const row = expectedRow(rows[i]);
        expect(entry.position).toBe(Number(row.rank));
        expect(entry.track.id).toBe(`youtubemusic:song:${row.videoId}`);
        expect(entry.track.title).toBe(row.title);
        expect(creditLine(entry.track)).toBe(squash(row.segments[0]!));
        expect(entry.track.durationSec).toBe(clockSeconds(row.clock!));
        // Video stills on i.ytimg.com have no size option (`atSize` leaves them as they are) and are used as listed.
        expect(entry.track.cover?.medium).toBe(atSize(row.largestThumbnail!.url, 500));
      });

      const top3 = await h.provider.chart!({ country: 'US', genre: null, limit: 3 }, h.ctx);
      expect(top3.entries.map((e) => e.position)).toEqual([1, 2, 3]);
      expect(h.server.count('/youtubei/v1/browse')).toBe(2);
    });

    it('is empty when the site answers with another country than the one asked', async () => {
      // The recorded page shows the United States; asked for Kosovo, which the picker does not offer.
      h.server.intercept(serveBrowse({ 'FEmusic_charts:XK': RECORDINGS.charts }));
      const chart = await h.provider.chart!({ country: 'XK', genre: null, limit: 10 }, h.ctx);
      expect(chart).toMatchObject({ scope: 'XK', entries: [] });
      expect(h.server.requests).toHaveLength(1);
    });

    it('asks for the global chart with the ZZ code', async () => {
      h.server.intercept(serveBrowse({}));
      await expect(h.provider.chart!({ country: null, genre: null, limit: 10 }, h.ctx)).rejects.toBeInstanceOf(SourceError);
      expect(bodyOf(h.server.requests[0]!).formData).toEqual({ selectedValues: ['ZZ'] });
    });
  });

  describe('errors', () => {
    it('a recorded answer of another kind (search suggestions) is BAD_RESPONSE, and is not cached', async () => {
      h.server.intercept(serveAll('search', RECORDINGS.suggestions));
      await expect(h.provider.searchTracks!(search('anything'), h.ctx)).rejects.toMatchObject({ kind: 'BAD_RESPONSE', source: 'youtubemusic' });
      await expect(h.provider.searchTracks!(search('anything'), h.ctx)).rejects.toMatchObject({ kind: 'BAD_RESPONSE' });
      expect(h.server.count('/youtubei/v1/search')).toBe(2);
    });

    it('a browse page of another kind (moods & genres) asked as an album is BAD_RESPONSE', async () => {
      h.server.intercept(serveBrowse({ MPREb_Tr9YVfRfip1: RECORDINGS.moods }));
      await expect(h.provider.album!({ kind: 'album', id: 'MPREb_Tr9YVfRfip1' }, h.ctx)).rejects.toMatchObject({ kind: 'BAD_RESPONSE' });
    });

    it('maps HTTP failures to typed errors', async () => {
      h.server.intercept((request, response) => {
        if (!isInnerTube(request, 'search')) return false;
        const status = bodyOf(request).query === 'down' ? 503 : 404;
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end('{}');
        return true;
      });
      await expect(h.provider.searchTracks!(search('down'), h.ctx)).rejects.toMatchObject({ kind: 'UNAVAILABLE', details: { status: 503 } });
      await expect(h.provider.searchTracks!(search('gone'), h.ctx)).rejects.toMatchObject({ kind: 'NOT_FOUND' });
    });

    it('an HTML page instead of JSON is BAD_RESPONSE', async () => {
      h.server.intercept((request, response) => {
        if (!isInnerTube(request, 'browse')) return false;
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        response.end('<!doctype html><html><body>Before you continue to YouTube</body></html>');
        return true;
      });
      await expect(h.provider.artist!({ kind: 'artist', id: 'UCJwGWV914kBlV4dKRn7AEFA' }, h.ctx)).rejects.toMatchObject({ kind: 'BAD_RESPONSE' });
    });
  });
});
