import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createYouTubeMusicProvider } from '../../../src/providers/youtubemusic/index.js';
import { emittedIds, expectLookupsTake, lookup, nativeRefOf, unthrottled, type EmittedId } from '../../support/emittedIds.js';
import { replayProvider, type ReplayHarness } from '../../support/providerHarness.js';
import { skipWithoutRecordings } from '../../support/recordings.js';
import { recording, serveBrowse, SOURCE, type Raw } from './recorded.js';

/**
 * Issue 13 §5 for YouTube Music: every id read out of the recordings (searches, album pages,
 * the artist page, the chart, the watch queue) is of a kind the lookups take, and those whose
 * lookups were recorded open from the recordings.
 */

const BROWSE = {
  album: 'browse-album-MPREb_Tr9YVfRfip1.json',
  compilation: 'browse-album-various-artists-MPREb_HzRLg8XTLkv.json',
  artist: 'browse-artist-UCJwGWV914kBlV4dKRn7AEFA.json',
  charts: 'browse-charts-FEmusic_charts-US.json',
  chartPlaylist: 'browse-playlist-chart-VLOLAK5uy_mzYnlaHgFOvLaxqIPnnouEr-idiUn4NIM.json',
} as const;

/** Browse ids whose pages are recorded, for the lookups. */
const RECORDED_BROWSE: Record<string, string> = {
  MPREb_Tr9YVfRfip1: BROWSE.album,
  MPREb_HzRLg8XTLkv: BROWSE.compilation,
  UCJwGWV914kBlV4dKRn7AEFA: BROWSE.artist,
};
/** Video ids whose watch queue is recorded. */
const RECORDED_WATCH = new Set(['lYBUbBu4W08']);

function topChartPlaylistId(): string {
  const sections: Raw[] = recording(BROWSE.charts).contents.singleColumnBrowseResultsRenderer.tabs[0].tabRenderer.content.sectionListRenderer.contents;
  return sections
    .flatMap((section) => section.musicCarouselShelfRenderer?.contents ?? [])
    .map((card: Raw) => card.musicTwoRowItemRenderer)
    .find((card: Raw) => card && /100/.test(card.title.runs[0].text)).navigationEndpoint.browseEndpoint.browseId;
}

describe.skipIf(skipWithoutRecordings(SOURCE))('YouTube Music: every id handed out opens', () => {
  let h: ReplayHarness;
  let ids: EmittedId[] = [];

  beforeAll(async () => {
    h = await replayProvider(unthrottled(createYouTubeMusicProvider), { sources: [SOURCE] });
    // The chart's top-100 playlist was not recorded; the recorded chart playlist stands in (as in replay.test.ts).
    h.server.intercept(serveBrowse({ ...RECORDED_BROWSE, 'FEmusic_charts:US': BROWSE.charts, [topChartPlaylistId()]: BROWSE.chartPlaylist }));
    const p = h.provider;
    const results: unknown[] = [];
    for (const [search, query] of [
      [p.searchTracks!, 'mocromaniac'],
      [p.searchTracks!, 'no copyrigh sounds'],
      [p.searchAlbums!, 'axwell'],
      [p.searchArtists!, 'kevin'],
    ] as const) {
      const first = await search({ query, limit: 50, cursor: null }, h.ctx);
      results.push(first, await search({ query, limit: 50, cursor: first.nextCursor }, h.ctx));
    }
    results.push(
      await p.album!({ kind: 'album', id: 'MPREb_Tr9YVfRfip1' }, h.ctx),
      await p.album!({ kind: 'album', id: 'MPREb_HzRLg8XTLkv' }, h.ctx),
      await p.artist!({ kind: 'artist', id: 'UCJwGWV914kBlV4dKRn7AEFA' }, h.ctx),
      await p.artistAlbums!({ kind: 'artist', id: 'UCJwGWV914kBlV4dKRn7AEFA' }, { limit: 50, cursor: null }, h.ctx),
      await p.chart!({ country: 'US', genre: null, limit: 100 }, h.ctx),
      await p.track!({ kind: 'song', id: 'lYBUbBu4W08' }, h.ctx),
    );
    ids = emittedIds(results);
  });
  afterAll(() => h?.close());

  it('hands out tracks, albums and artists, each under a kind its lookups declare, and each lookup takes it', async () => {
    for (const entity of ['track', 'album', 'artist'] as const) expect(ids.filter((id) => id.entity === entity).length, entity).toBeGreaterThan(10);
    await expectLookupsTake(createYouTubeMusicProvider, ids);
  });

  it('opens the handed-out ids whose pages were recorded', async () => {
    const recorded = ids.filter(({ entity, id }) => {
      const native = nativeRefOf(id).id;
      return entity === 'track' ? RECORDED_WATCH.has(native) : native in RECORDED_BROWSE;
    });
    expect(recorded.map(({ entity }) => entity).sort()).toEqual(expect.arrayContaining(['album', 'track']));
    for (const { entity, id } of recorded) {
      const found = (await lookup(h.provider, entity, nativeRefOf(id), h.ctx)) as { id: string };
      expect(found.id, id).toBe(id);
    }
  });
});
