import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSoundcloudProvider, type SoundcloudProvider } from '../../../src/providers/soundcloud/index.js';
import { emittedIds, expectLookupsTake, lookup, nativeRefOf, unthrottled, type EmittedId } from '../../support/emittedIds.js';
import { replayProvider, type ReplayHarness } from '../../support/providerHarness.js';
import { skipWithoutRecordings } from '../../support/recordings.js';

/**
 * Issue 13 §5 for SoundCloud: every id read out of the recordings (searches, users, their sets,
 * sets with their tracks, related tracks, the chart, permalink lookups) is of a kind the lookups
 * take, and those whose lookups were recorded open from the recordings.
 */

const SC = 'soundcloud';
/** Numeric ids whose lookups (`/playlists/<id>`, `/users/<id>`) are recorded; `/tracks/<id>` is not. */
const RECORDED: Record<'album' | 'artist', Set<string>> = {
  album: new Set(['136000376']),
  artist: new Set(['542134', '10494998']),
};

describe.skipIf(skipWithoutRecordings(SC))('SoundCloud: every id handed out opens', () => {
  let h: ReplayHarness<SoundcloudProvider>;
  let ids: EmittedId[] = [];

  beforeAll(async () => {
    h = await replayProvider(unthrottled(createSoundcloudProvider), { sources: [SC] });
    const p = h.provider;
    const results: unknown[] = [];
    for (const search of [p.searchTracks!, p.searchAlbums!, p.searchArtists!]) {
      for (const cursor of [null, '10']) results.push(await search({ query: 'lill uzi vert', limit: 10, cursor }, h.ctx));
    }
    const albums = await p.artistAlbums!({ kind: 'user', id: '4803918' }, { limit: 20, cursor: null }, h.ctx);
    results.push(albums, await p.artistAlbums!({ kind: 'user', id: '4803918' }, { limit: 20, cursor: albums.nextCursor }, h.ctx));
    results.push(
      await p.album!({ kind: 'playlist', id: '136000376' }, h.ctx),
      await p.album!({ kind: 'playlist', id: '123062856' }, h.ctx),
      await p.artist!({ kind: 'user', id: '542134' }, h.ctx),
      await p.artist!({ kind: 'user', id: '10494998' }, h.ctx),
      await p.relatedTracks({ kind: 'track', id: '135535700' }, { limit: 10, cursor: null }, h.ctx),
      await p.chart!({ country: null, genre: null, limit: 20 }, h.ctx),
      await p.track!({ kind: 'track-permalink', id: 'garrett-cameron-1/technicality' }, h.ctx),
      await p.track!({ kind: 'track-permalink', id: 'martinsolveig/places' }, h.ctx),
    );
    // The second stub batch of set 123062856 is not recorded (its track list is cut short there).
    expect(h.server.acknowledgeUnmatched()).toHaveLength(1);
    ids = emittedIds(results);
  });
  afterAll(() => h?.close());

  it('hands out tracks, albums and artists, each under a kind its lookups declare, and each lookup takes it', async () => {
    for (const entity of ['track', 'album', 'artist'] as const) expect(ids.filter((id) => id.entity === entity).length, entity).toBeGreaterThan(10);
    await expectLookupsTake(createSoundcloudProvider, ids);
  });

  it('opens the handed-out ids whose lookups were recorded', async () => {
    const recorded = ids.filter(({ entity, id }) => entity !== 'track' && RECORDED[entity].has(nativeRefOf(id).id));
    expect(recorded.length).toBe(3);
    for (const { entity, id } of recorded) {
      const found = (await lookup(h.provider, entity, nativeRefOf(id), h.ctx)) as { id: string };
      expect(found.id, id).toBe(id);
    }
  });
});
