import * as cheerio from 'cheerio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBandcampProvider } from '../../../src/providers/bandcamp/index.js';
import type { Provider } from '../../../src/providers/types.js';
import { emittedIds, expectLookupsTake, lookup, nativeRefOf, unthrottled, type EmittedId } from '../../support/emittedIds.js';
import { replayProvider, type ReplayHarness } from '../../support/providerHarness.js';
import { loadIndex, readRecording, skipWithoutRecordings } from '../../support/recordings.js';
import { BC, MACBENSON_TRACKS, serveBandDetails, serveMacbensonTracks } from './recorded.js';

/**
 * Issue 13 §5 for Bandcamp: every id read out of the recordings (searches, autocomplete, release
 * pages, artist pages and discographies, the mobile API) is of a kind the lookups take, and those
 * whose pages or answers were recorded open from the recordings.
 */

/** npet's home page renders its one track; it is served at the track's own address. */
function npetTrackUrl(): string {
  return JSON.parse(cheerio.load(readRecording(BC, 'artist-npet-home.html'))('[data-tralbum]').attr('data-tralbum')!).url;
}

/** Native ids whose lookups are recorded (or served from a recorded page, as above). */
function recordedNativeIds(): Set<string> {
  const ids = new Set<string>(['macbenson', 'infiniteammo', 'toupie', 'npet/track/track-1', ...MACBENSON_TRACKS.map((slug) => `macbenson/track/${slug}`)]);
  for (const entry of loadIndex(BC)) {
    const url = new URL(entry.request.url);
    const release = /^\/+(album|track)\/([^/]+)$/.exec(url.pathname);
    if (release && url.hostname.endsWith('.bandcamp.com')) ids.add(`${url.hostname.replace('.bandcamp.com', '')}/${release[1]}/${release[2]}`);
    if (url.pathname.endsWith('/tralbum_details')) ids.add(`${url.searchParams.get('band_id')}:${url.searchParams.get('tralbum_type')}${url.searchParams.get('tralbum_id')}`);
  }
  return ids;
}

describe.skipIf(skipWithoutRecordings(BC))('Bandcamp: every id handed out opens', () => {
  let h: ReplayHarness<Provider>;
  let ids: EmittedId[] = [];

  beforeAll(async () => {
    h = await replayProvider(unthrottled(createBandcampProvider), { sources: [BC] });
    serveBandDetails(h.server);
    serveMacbensonTracks(h.server);
    h.server.route('GET', npetTrackUrl(), { body: readRecording(BC, 'artist-npet-home.html'), contentType: 'text/html; charset=UTF-8' });
    const p = h.provider;
    const results: unknown[] = [
      await p.searchArtists!({ query: 'noise', limit: 50, cursor: null }, h.ctx),
      await p.searchArtists!({ query: 'noise', limit: 50, cursor: '2' }, h.ctx),
      await p.searchAlbums!({ query: 'C418', limit: 50, cursor: null }, h.ctx),
      await p.searchTracks!({ query: 'c418', limit: 50, cursor: null }, h.ctx),
      await p.album!({ kind: 'album', id: 'macbenson/album/coming-of-age' }, h.ctx),
      await p.album!({ kind: 'album', id: 'infiniteammo/album/night-in-the-woods-vol-1-at-the-end-of-everything' }, h.ctx),
      await p.album!({ kind: 'album', id: 'billwurtz/album/high-enough' }, h.ctx),
      await p.track!({ kind: 'track', id: 'radicaldreamland/track/hackmud-continuous-mix' }, h.ctx),
      await p.track!({ kind: 'track', id: 'npet/track/track-1' }, h.ctx),
      await p.artist!({ kind: 'artist', id: 'macbenson' }, h.ctx),
      await p.artist!({ kind: 'artist', id: 'toupie' }, h.ctx),
      await p.artistAlbums!({ kind: 'artist', id: 'infiniteammo' }, { limit: 50, cursor: null }, h.ctx),
      await p.artistAlbums!({ kind: 'artist', id: 'macbenson' }, { limit: 50, cursor: null }, h.ctx),
    ];
    for (const slug of MACBENSON_TRACKS) results.push(await p.track!({ kind: 'track', id: `macbenson/track/${slug}` }, h.ctx));
    for (const entry of loadIndex(BC).filter((recorded) => recorded.file.startsWith('mobile-tralbum-details-'))) {
      const params = new URL(entry.request.url).searchParams;
      results.push(await p.track!({ kind: 'track', id: `${params.get('band_id')}:t${params.get('tralbum_id')}` }, h.ctx));
    }
    ids = emittedIds(results);
  });
  afterAll(() => h?.close());

  it('hands out tracks, albums and artists, each under a kind its lookups declare, and each lookup takes it', async () => {
    for (const entity of ['track', 'album', 'artist'] as const) expect(ids.filter((id) => id.entity === entity).length, entity).toBeGreaterThan(5);
    // Numeric (mobile API) and page ids both occur.
    expect(ids.some(({ id }) => /^bandcamp:album:\d+:a\d+$/.test(id))).toBe(true);
    expect(ids.some(({ id }) => /^bandcamp:track:[a-z0-9-]+\/track\//.test(id))).toBe(true);
    await expectLookupsTake(createBandcampProvider, ids);
  });

  it('opens the handed-out ids whose pages or answers were recorded', async () => {
    const recorded = recordedNativeIds();
    const opened = ids.filter(({ id }) => recorded.has(nativeRefOf(id).id));
    expect(new Set(opened.map(({ entity }) => entity))).toEqual(new Set(['track', 'album', 'artist']));
    for (const { entity, id } of opened) {
      const found = (await lookup(h.provider, entity, nativeRefOf(id), h.ctx)) as { id: string };
      // A lookup by number answers with the release's page id (the mobile API names its page).
      if (/^\d+:[at]\d+$/.test(nativeRefOf(id).id)) expect(found.id, id).toMatch(new RegExp(`^bandcamp:${entity}:[a-z0-9-]+/(album|track)/`));
      else expect(found.id, id).toBe(id);
    }
  });
});
