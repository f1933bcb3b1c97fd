import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SourceError } from '../../../src/errors/source.js';
import type { Logger } from '../../../src/logger.js';
import { createYouTubeMusicProvider } from '../../../src/providers/youtubemusic/index.js';
import {
  parseAlbumPage,
  parseArtistPage,
  parseChartPlaylist,
  parseChartsHome,
  parseTrackSearch,
} from '../../../src/providers/youtubemusic/parse.js';
import { replayProvider, type ReplayHarness } from '../../support/providerHarness.js';
import { skipWithoutRecordings } from '../../support/recordings.js';
import { clone, recording, serveBrowse, type Raw } from './recorded.js';

/**
 * The site renames and moves keys without notice. Each test takes a genuine recording, renames
 * one key in memory, and checks that only the field behind that key is lost (null, reported
 * once) while everything else parses exactly as from the untouched recording.
 */

const SONGS = 'search-songs-filter-mocromaniac.json';
const ALBUM = 'browse-album-MPREb_Tr9YVfRfip1.json';
const ARTIST = 'browse-artist-UCJwGWV914kBlV4dKRn7AEFA.json';
const CHARTS = 'browse-charts-FEmusic_charts-US.json';
const CHART_PLAYLIST = 'browse-playlist-chart-VLOLAK5uy_mzYnlaHgFOvLaxqIPnnouEr-idiUn4NIM.json';

/** Renames `key` of the object at `path` (in place) and returns the root. */
function renameKey(root: Raw, path: (string | number)[], key: string, to = `${key}_renamed`): Raw {
  const parent = path.reduce((node, step) => node[step], root);
  if (!(key in parent)) throw new Error(`test setup: no key ${key} at ${path.join('.')}`);
  parent[to] = parent[key];
  delete parent[key];
  return root;
}

function reporter() {
  const fields: string[] = [];
  return { fields, report: (field: string) => void fields.push(field) };
}

const SONG_ROWS = ['contents', 'tabbedSearchResultsRenderer', 'tabs', 0, 'tabRenderer', 'content', 'sectionListRenderer', 'contents', 1, 'musicShelfRenderer', 'contents'];
const songRow = (i: number) => [...SONG_ROWS, i, 'musicResponsiveListItemRenderer'];
const ALBUM_TAB = ['contents', 'twoColumnBrowseResultsRenderer', 'tabs', 0, 'tabRenderer', 'content', 'sectionListRenderer', 'contents', 0, 'musicResponsiveHeaderRenderer'];
const ALBUM_ROWS = ['contents', 'twoColumnBrowseResultsRenderer', 'secondaryContents', 'sectionListRenderer', 'contents', 0, 'musicShelfRenderer', 'contents'];

describe.skipIf(skipWithoutRecordings('youtubemusic'))('YouTube Music field drift', () => {
  describe('search rows', () => {
    // Read in beforeAll, not while collecting: without recordings the suite skips instead of crashing.
    let intact: ReturnType<typeof parseTrackSearch>;
    beforeAll(() => void (intact = parseTrackSearch(recording(SONGS), () => undefined)));

    it('test setup: the recorded path points at the song shelf', () => {
      expect(recording(SONGS).contents.tabbedSearchResultsRenderer.tabs[0].tabRenderer.content.sectionListRenderer.contents[1].musicShelfRenderer).toBeDefined();
      expect(intact.items).toHaveLength(20);
    });

    it('a renamed title run key leaves that one row out (a track needs its title) and keeps the rest', () => {
      const raw = renameKey(recording(SONGS), [...songRow(0), 'flexColumns', 0, 'musicResponsiveListItemFlexColumnRenderer', 'text'], 'runs');
      const { fields, report } = reporter();
      const page = parseTrackSearch(raw, report);
      expect(page.items).toEqual(intact.items.slice(1));
      expect(page.continuation).toBe(intact.continuation);
      expect(fields).toEqual(['track.title']);
    });

    it('a renamed thumbnail renderer nulls that row\'s cover only', () => {
      const raw = renameKey(recording(SONGS), [...songRow(2), 'thumbnail'], 'musicThumbnailRenderer');
      const { fields, report } = reporter();
      const page = parseTrackSearch(raw, report);
      expect(page.items[2]).toEqual({ ...intact.items[2], cover: null });
      expect(page.items.filter((_, i) => i !== 2)).toEqual(intact.items.filter((_, i) => i !== 2));
      expect(fields).toEqual(['track.cover']);
    });

    it('a renamed playlistItemData is covered by the video id on the title link', () => {
      const raw = renameKey(recording(SONGS), songRow(4), 'playlistItemData');
      const { fields, report } = reporter();
      expect(parseTrackSearch(raw, report)).toEqual(intact);
      expect(fields).toEqual([]);
    });

    it('a renamed results layout is BAD_RESPONSE', () => {
      const raw = renameKey(recording(SONGS), ['contents'], 'tabbedSearchResultsRenderer');
      expect(() => parseTrackSearch(raw, () => undefined)).toThrow(SourceError);
      expect(() => parseTrackSearch(raw, () => undefined)).toThrow(expect.objectContaining({ kind: 'BAD_RESPONSE' }));
    });
  });

  describe('album page', () => {
    let intact: ReturnType<typeof parseAlbumPage>;
    beforeAll(() => void (intact = parseAlbumPage(recording(ALBUM), 'MPREb_Tr9YVfRfip1', () => undefined)));

    it('a renamed duration column nulls that track\'s duration only', () => {
      const raw = renameKey(recording(ALBUM), [...ALBUM_ROWS, 3, 'musicResponsiveListItemRenderer'], 'fixedColumns');
      const { fields, report } = reporter();
      const album = parseAlbumPage(raw, 'MPREb_Tr9YVfRfip1', report);
      expect(album.tracks![3]).toEqual({ ...intact.tracks![3], durationSec: null });
      expect({ ...album, tracks: album.tracks!.filter((_, i) => i !== 3) }).toEqual({ ...intact, tracks: intact.tracks!.filter((_, i) => i !== 3) });
      expect(fields).toEqual(['track.duration']);
    });

    it('a renamed artist line empties the album credits; tracks keep their own', () => {
      const raw = renameKey(recording(ALBUM), ALBUM_TAB, 'straplineTextOne');
      const { fields, report } = reporter();
      const album = parseAlbumPage(raw, 'MPREb_Tr9YVfRfip1', report);
      expect(album).toEqual({ ...intact, artists: [] });
      expect(fields).toEqual(['album.artists']);
    });

    it('a renamed track count line falls back to the number of tracks listed', () => {
      const raw = renameKey(recording(ALBUM), ALBUM_TAB, 'secondSubtitle');
      const album = parseAlbumPage(raw, 'MPREb_Tr9YVfRfip1', () => undefined);
      expect(album).toEqual(intact);
      expect(album.trackCount).toBe(album.tracks!.length);
    });

    it('a renamed cover thumbnail nulls the cover of the album and of its tracks', () => {
      const raw = renameKey(recording(ALBUM), ALBUM_TAB, 'thumbnail');
      const { fields, report } = reporter();
      const album = parseAlbumPage(raw, 'MPREb_Tr9YVfRfip1', report);
      expect(album).toEqual({ ...intact, cover: null, tracks: intact.tracks!.map((track) => ({ ...track, cover: null })) });
      expect(fields).toEqual(['album.cover']);
    });

    it('a renamed page layout is BAD_RESPONSE', () => {
      const raw = renameKey(recording(ALBUM), [], 'contents');
      expect(() => parseAlbumPage(raw, 'MPREb_Tr9YVfRfip1', () => undefined)).toThrow(expect.objectContaining({ kind: 'BAD_RESPONSE' }));
    });
  });

  describe('artist page', () => {
    const CHANNEL = 'UCJwGWV914kBlV4dKRn7AEFA';
    let intact: ReturnType<typeof parseArtistPage>;
    beforeAll(() => void (intact = parseArtistPage(recording(ARTIST), CHANNEL, () => undefined)));
    const HEADER = ['header', 'musicImmersiveHeaderRenderer'];

    it('a renamed header description is covered by the "About" shelf', () => {
      const raw = renameKey(recording(ARTIST), HEADER, 'description');
      const { fields, report } = reporter();
      expect(parseArtistPage(raw, CHANNEL, report)).toEqual(intact);
      expect(fields).toEqual([]);
    });

    it('with both descriptions renamed, biography and links are null/empty and the rest is intact', () => {
      const raw = renameKey(recording(ARTIST), HEADER, 'description');
      const sections: Raw[] = raw.contents.singleColumnBrowseResultsRenderer.tabs[0].tabRenderer.content.sectionListRenderer.contents;
      const about = sections.findIndex((section) => section.musicDescriptionShelfRenderer);
      renameKey(raw, ['contents', 'singleColumnBrowseResultsRenderer', 'tabs', 0, 'tabRenderer', 'content', 'sectionListRenderer', 'contents', about, 'musicDescriptionShelfRenderer'], 'description');
      const { fields, report } = reporter();
      const page = parseArtistPage(raw, CHANNEL, report);
      expect(page).toEqual({ ...intact, artist: { ...intact.artist, biography: null, links: [] } });
      expect(fields).toEqual(['artist.description']);
    });

    it('a renamed header thumbnail nulls the photo only', () => {
      const raw = renameKey(recording(ARTIST), HEADER, 'thumbnail');
      const { fields, report } = reporter();
      const page = parseArtistPage(raw, CHANNEL, report);
      expect(page).toEqual({ ...intact, artist: { ...intact.artist, photo: null } });
      expect(fields).toEqual(['artist.photo']);
    });

    it('a renamed header renderer leaves no name: BAD_RESPONSE, reported', () => {
      const raw = renameKey(recording(ARTIST), ['header'], 'musicImmersiveHeaderRenderer');
      const { fields, report } = reporter();
      expect(() => parseArtistPage(raw, CHANNEL, report)).toThrow(expect.objectContaining({ kind: 'BAD_RESPONSE' }));
      expect(fields).toEqual(['artist.name']);
    });
  });

  describe('charts', () => {
    it('a renamed country state keeps the chart playlists; the country becomes unknown', () => {
      const intact = parseChartsHome(recording(CHARTS));
      const raw = renameKey(recording(CHARTS), [], 'frameworkUpdates');
      expect(parseChartsHome(raw)).toEqual({ ...intact, selectedCountry: null });
      expect(intact.selectedCountry).toBe('US');
    });

    it('renamed rank columns fall back to the order of the rows', () => {
      const intact = parseChartPlaylist(recording(CHART_PLAYLIST), () => undefined);
      const raw = recording(CHART_PLAYLIST);
      const rows: Raw[] = raw.contents.twoColumnBrowseResultsRenderer.secondaryContents.sectionListRenderer.contents[0].musicPlaylistShelfRenderer.contents;
      rows.forEach((row) => renameKey(row, ['musicResponsiveListItemRenderer'], 'customIndexColumn'));
      expect(parseChartPlaylist(raw, () => undefined)).toEqual(intact);
    });

    it('a renamed page layout is BAD_RESPONSE', () => {
      const raw = renameKey(recording(CHARTS), ['contents'], 'singleColumnBrowseResultsRenderer');
      expect(() => parseChartsHome(raw)).toThrow(expect.objectContaining({ kind: 'BAD_RESPONSE' }));
    });
  });

  describe('through the provider', () => {
    let h: ReplayHarness | undefined;
    afterEach(() => h?.close());

    it('logs a missing field once, however often it is missing', async () => {
      const warnings: { message: string; fields?: Record<string, unknown> }[] = [];
      const logger: Logger = {
        debug: () => undefined,
        info: () => undefined,
        warn: (message, fields) => void warnings.push({ message, fields }),
        error: () => undefined,
        child: () => logger,
      };
      const raw = recording(ALBUM);
      const rows: Raw[] = raw.contents.twoColumnBrowseResultsRenderer.secondaryContents.sectionListRenderer.contents[0].musicShelfRenderer.contents;
      rows.forEach((row) => renameKey(row, ['musicResponsiveListItemRenderer'], 'fixedColumns'));
      h = await replayProvider(createYouTubeMusicProvider, { sources: ['youtubemusic'], logger });
      h.server.intercept(serveBrowse({ MPREb_Tr9YVfRfip1: clone(raw) }));

      const album = await h.provider.album!({ kind: 'album', id: 'MPREb_Tr9YVfRfip1' }, h.ctx);
      await h.provider.album!({ kind: 'album', id: 'MPREb_Tr9YVfRfip1' }, h.ctx);

      expect(album.tracks!.length).toBe(rows.length);
      expect(album.tracks!.every((track) => track.durationSec === null)).toBe(true);
      expect(album.tracks!.every((track) => track.title.length > 0)).toBe(true);
      const durationWarnings = warnings.filter((w) => w.fields?.field === 'track.duration');
      expect(durationWarnings).toHaveLength(1);
    });

    it('proceeds with the chart when the country state is missing, and says so once', async () => {
      const warnings: string[] = [];
      const logger: Logger = {
        debug: () => undefined,
        info: () => undefined,
        warn: (_message, fields) => void warnings.push(String(fields?.field)),
        error: () => undefined,
        child: () => logger,
      };
      const home = renameKey(recording(CHARTS), [], 'frameworkUpdates');
      const playlistId = parseChartsHome(home).playlists.find((p) => /100/.test(p.title))!.browseId;
      h = await replayProvider(createYouTubeMusicProvider, { sources: ['youtubemusic'], logger });
      h.server.intercept(serveBrowse({ 'FEmusic_charts:US': home, [playlistId]: CHART_PLAYLIST }));
      const chart = await h.provider.chart!({ country: 'US', genre: null, limit: 50 }, h.ctx);
      expect(chart.entries.length).toBeGreaterThan(0);
      expect(warnings).toContain('chart.selectedCountry');
    });
  });
});
