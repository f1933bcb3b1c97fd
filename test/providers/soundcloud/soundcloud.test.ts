import { afterEach, describe, expect, it } from 'vitest';
import { createSoundcloudProvider, type SoundcloudProvider } from '../../../src/providers/soundcloud/index.js';
import { parseSoundcloudUrl } from '../../../src/providers/soundcloud/links.js';
import { replayProvider, type ReplayHarness, sourceErrorOf as caught } from '../../support/providerHarness.js';
import { readRecording, readRecordingJson, skipWithoutRecordings } from '../../support/recordings.js';
import { spyLogger } from './spyLogger.js';

/**
 * Every SoundCloud call type in shared/recordings/soundcloud (NewPipeExtractor's mocks, Feb 2026)
 * replayed through the real upstream client. Expected values are read from the recordings.
 */

const SC = 'soundcloud';
type Raw = Record<string, any>;

const recording = (file: string): Raw => readRecordingJson<Raw>(SC, file);
const recordingList = (file: string): Raw[] => readRecordingJson<Raw[]>(SC, file);
const seconds = (ms: number) => Math.round(ms / 1000);
const sized = (url: string, suffix: string) => url.replace(/-large\.(jpg|png)$/, `-${suffix}.$1`);
const offsetOf = (href: string) => new URL(href).searchParams.get('offset');


describe.skipIf(skipWithoutRecordings(SC))('SoundCloud provider (replayed recordings)', () => {
  let harness: ReplayHarness<SoundcloudProvider>;
  const logger = spyLogger();

  async function start() {
    logger.lines.length = 0;
    harness = await replayProvider(createSoundcloudProvider, { sources: [SC], logger });
    return harness;
  }

  afterEach(async () => {
    await harness?.close();
  });

  describe('search', () => {
    it('parses /search/tracks and pages by the offset in next_href', async () => {
      const { provider, ctx } = await start();
      for (const [file, cursor] of [
        ['search-tracks-lill-uzi-vert-offset0.json', null],
        ['search-tracks-lill-uzi-vert-offset10.json', '10'],
      ] as const) {
        const raw = recording(file);
        const page = await provider.searchTracks!({ query: 'lill uzi vert', limit: 10, cursor }, ctx);
        expect(page.total).toBe(raw.total_results);
        expect(page.nextCursor).toBe(offsetOf(raw.next_href));
        expect(page.items).toHaveLength(raw.collection.length);
        page.items.forEach((track, index) => {
          const expected = raw.collection[index];
          expect(track.id).toBe(`soundcloud:track:${expected.id}`);
          expect(track.title).toBe(expected.title);
          expect(track.durationSec).toBe(seconds(expected.full_duration));
          expect(track.playbackUrl).toBe(expected.permalink_url);
          const artwork = expected.artwork_url ?? expected.user.avatar_url;
          expect(track.cover?.medium).toBe(sized(artwork, 't500x500'));
          expect(track.cover?.small).toBe(sized(artwork, 't300x300'));
          expect(track.cover?.large).toBe(sized(artwork, 'original'));
          if (!expected.publisher_metadata?.artist) expect(track.artists[0]).toEqual({ id: `soundcloud:user:${expected.user.id}`, name: expected.user.username });
        });
      }
    });

    it('parses /search/users as artists', async () => {
      const { provider, ctx } = await start();
      for (const [file, cursor] of [
        ['search-users-lill-uzi-vert-offset0.json', null],
        ['search-users-lill-uzi-vert-offset10.json', '10'],
      ] as const) {
        const raw = recording(file);
        const page = await provider.searchArtists!({ query: 'lill uzi vert', limit: 10, cursor }, ctx);
        expect(page.total).toBe(raw.total_results);
        expect(page.nextCursor).toBe(offsetOf(raw.next_href));
        expect(page.items.map((artist) => artist.id)).toEqual(raw.collection.map((user: Raw) => `soundcloud:user:${user.id}`));
        expect(page.items.map((artist) => artist.name)).toEqual(raw.collection.map((user: Raw) => user.username));
        expect(page.items.map((artist) => artist.photo?.medium ?? null)).toEqual(
          raw.collection.map((user: Raw) => (user.avatar_url ? sized(user.avatar_url, 't500x500') : null)),
        );
      }
    });

    it('parses /search/playlists as albums, with set type and track count', async () => {
      const { provider, ctx } = await start();
      for (const [file, cursor] of [
        ['search-playlists-lill-uzi-vert-offset0.json', null],
        ['search-playlists-lill-uzi-vert-offset10.json', '10'],
      ] as const) {
        const raw = recording(file);
        const page = await provider.searchAlbums!({ query: 'lill uzi vert', limit: 10, cursor }, ctx);
        expect(page.nextCursor).toBe(offsetOf(raw.next_href));
        expect(page.items).toHaveLength(raw.collection.length);
        page.items.forEach((album, index) => {
          const expected = raw.collection[index];
          expect(album.id).toBe(`soundcloud:playlist:${expected.id}`);
          expect(album.title).toBe(expected.title);
          expect(album.trackCount).toBe(expected.track_count);
          expect(album.artists[0]?.name).toBe(expected.user.username);
          expect(album.type).toBe(expected.set_type === 'album' ? 'ALBUM' : expected.set_type === '' ? 'OTHER' : album.type);
          expect(album.url).toBe(expected.permalink_url);
          expect(album.tracks).toBeNull();
        });
      }
    });

    it('reads a last page (no next_href) as the end of the results', async () => {
      // The only last-page recording is of /search (all kinds); it is served for /search/users.
      const { provider, server, ctx } = await start();
      const raw = recording('search-all-last-page-no-next-href-wpghua.json');
      server.route('GET', 'https://api-v2.soundcloud.com/search/users?q=wpgh%C3%BC%C3%A4&limit=10&offset=0', {
        body: readRecording(SC, 'search-all-last-page-no-next-href-wpghua.json'),
      });
      const page = await provider.searchArtists!({ query: 'wpghüä', limit: 10, cursor: null }, ctx);
      expect(page.nextCursor).toBeNull();
      expect(page.total).toBe(raw.total_results);
      expect(page.items.map((artist) => artist.name)).toEqual(raw.collection.map((user: Raw) => user.username));
    });
  });

  describe('client_id', () => {
    it('discovers the id from the last script bundle on the home page, once', async () => {
      const { provider, server, ctx } = await start();
      await provider.searchTracks!({ query: 'lill uzi vert', limit: 10, cursor: null }, ctx);
      await provider.searchArtists!({ query: 'lill uzi vert', limit: 10, cursor: null }, ctx);
      expect(server.requests.filter((request) => request.host === 'soundcloud.com')).toHaveLength(1);
      expect(server.count('a-v2.sndcdn.com/assets/53-a49d47cd.js')).toBe(1);
      const recordedId = /[,{]client_id:"([^"]+)"/.exec(readRecording(SC, 'js-asset-53-a49d47cd.partial.js'))![1];
      const apiCalls = server.requests.filter((request) => request.host === 'api-v2.soundcloud.com');
      expect(apiCalls).toHaveLength(2);
      for (const call of apiCalls) expect(call.query.get('client_id')).toBe(recordedId);
      expect(server.requests.find((request) => request.path.endsWith('.js'))?.headers.range).toBe('bytes=0-50000');
    });

    it('on a 401 discovers the id again once and retries once', async () => {
      const { provider, server, ctx } = await start();
      let rejected = 0;
      server.intercept((request, response) => {
        if (request.host !== 'api-v2.soundcloud.com' || rejected > 0) return false;
        rejected += 1;
        response.writeHead(401, { 'content-type': 'application/json' });
        response.end('{}');
        return true;
      });
      const raw = recording('search-tracks-lill-uzi-vert-offset0.json');
      const page = await provider.searchTracks!({ query: 'lill uzi vert', limit: 10, cursor: null }, ctx);
      expect(page.items.map((track) => track.title)).toEqual(raw.collection.map((track: Raw) => track.title));
      expect(server.count('https://soundcloud.com/')).toBe(2);
      expect(server.count('api-v2.soundcloud.com/search/tracks')).toBe(2);
    });

    it('gives up with UNAUTHORIZED when the new id is rejected too (no loop)', async () => {
      const { provider, server, ctx } = await start();
      server.intercept((request, response) => {
        if (request.host !== 'api-v2.soundcloud.com') return false;
        response.writeHead(403, { 'content-type': 'application/json' });
        response.end('{}');
        return true;
      });
      const error = await caught(provider.searchTracks!({ query: 'lill uzi vert', limit: 10, cursor: null }, ctx));
      expect(error.kind).toBe('UNAUTHORIZED');
      expect(server.count('https://soundcloud.com/')).toBe(2);
      expect(server.count('api-v2.soundcloud.com')).toBe(2);
    });

    it('concurrent rejections share one re-discovery', async () => {
      const { provider, server, ctx } = await start();
      await provider.searchTracks!({ query: 'lill uzi vert', limit: 10, cursor: null }, ctx);
      let rejectedSearches = 0;
      server.intercept((request, response) => {
        if (request.host !== 'api-v2.soundcloud.com' || !request.path.startsWith('/search/') || rejectedSearches >= 2) return false;
        rejectedSearches += 1;
        response.writeHead(401, { 'content-type': 'application/json' });
        response.end('{}');
        return true;
      });
      await Promise.all([
        provider.searchArtists!({ query: 'lill uzi vert', limit: 10, cursor: null }, ctx),
        provider.searchAlbums!({ query: 'lill uzi vert', limit: 10, cursor: null }, ctx),
      ]);
      expect(server.count('https://soundcloud.com/')).toBe(2);
    });

    it('a home page without script bundles is BAD_RESPONSE', async () => {
      const { provider, server, ctx } = await start();
      server.intercept((request, response) => {
        if (request.host !== 'soundcloud.com') return false;
        response.writeHead(200, { 'content-type': 'text/html' });
        response.end('<html><body>maintenance</body></html>');
        return true;
      });
      const error = await caught(provider.searchTracks!({ query: 'lill uzi vert', limit: 10, cursor: null }, ctx));
      expect(error.kind).toBe('BAD_RESPONSE');
      expect(server.count('api-v2.soundcloud.com')).toBe(0);
    });
  });

  describe('lookups', () => {
    it('resolves a track permalink read from its link, through api-v2 /resolve', async () => {
      const { provider, server, ctx } = await start();
      const raw = recording('resolve-track-garrett-cameron-1-technicality.json');
      const parsed = provider.parseUrl!(new URL('https://soundcloud.com/garrett-cameron-1/technicality?in=x/sets/y'));
      expect(parsed).toEqual({ entity: 'track', ref: { kind: 'track-permalink', id: 'garrett-cameron-1/technicality' } });
      const track = await provider.track!(parsed!.ref, ctx);
      const resolveCall = server.requests.find((request) => request.path === '/resolve')!;
      expect(resolveCall.query.get('url')).toBe('https://soundcloud.com/garrett-cameron-1/technicality');
      expect(track).toMatchObject({
        id: `soundcloud:track:${raw.id}`,
        title: raw.title,
        durationSec: seconds(raw.full_duration),
        playbackUrl: raw.permalink_url,
        genres: [raw.genre],
        artists: [{ id: `soundcloud:user:${raw.user.id}`, name: raw.user.username }],
        cover: { medium: sized(raw.artwork_url, 't500x500') },
        license: { name: 'All rights reserved', url: null },
        download: { allowed: false, reason: 'NOT_LICENSED' },
        releaseDate: raw.display_date.slice(0, 10),
      });
    });

    it('a Go+ track keeps its full length, not the 30 s preview, and the label metadata', async () => {
      const { provider, ctx } = await start();
      const raw = recording('resolve-track-martinsolveig-places-go-plus.json');
      const track = await provider.track!({ kind: 'track-permalink', id: 'martinsolveig/places' }, ctx);
      expect(raw.duration).toBe(30000);
      expect(track.durationSec).toBe(seconds(raw.full_duration));
      expect(track.isrc).toBe(raw.publisher_metadata.isrc);
      expect(track.album?.title).toBe(raw.publisher_metadata.album_title);
      // The label's artist name, linked to the uploading account because the names match.
      expect(raw.user.username).toBe('martinsolveig');
      expect(track.artists).toEqual([{ id: `soundcloud:user:${raw.user.id}`, name: raw.publisher_metadata.artist }]);
    });

    it('maps a Creative Commons licence', async () => {
      const { provider, ctx } = await start();
      const raw = recording('resolve-track-wearecc-open-minds-ep-21-creative-commons.json');
      const track = await provider.track!({ kind: 'track-permalink', id: 'wearecc/open-minds-ep-21-dr-beth-harris-and-dr-steven-zucker-of-smarthistory' }, ctx);
      expect(raw.license).toBe('cc-by');
      expect(track.license).toEqual({ name: 'Creative Commons Attribution (CC BY)', url: 'https://creativecommons.org/licenses/by/' });
      expect(track.releaseDate).toBe(raw.release_date.slice(0, 10));
      expect(track.download).toMatchObject({ allowed: false, reason: 'NOT_LICENSED' });
    });

    it('looks a track up by numeric id', async () => {
      // /tracks/{id} is not recorded; the recorded /resolve answer is the same track object.
      const { provider, server, ctx } = await start();
      const raw = recording('resolve-track-garrett-cameron-1-technicality.json');
      server.route('GET', `https://api-v2.soundcloud.com/tracks/${raw.id}`, { body: readRecording(SC, 'resolve-track-garrett-cameron-1-technicality.json') });
      const track = await provider.track!({ kind: 'track', id: String(raw.id) }, ctx);
      expect(track.title).toBe(raw.title);
    });

    it('an unknown permalink is NOT_FOUND', async () => {
      const { provider, server, ctx } = await start();
      server.route('GET', 'https://api-v2.soundcloud.com/resolve?url=https%3A%2F%2Fsoundcloud.com%2Fithinkthatthisuserdontexist', {
        status: 404,
        body: readRecording(SC, 'resolve-widget-user-not-found-404.json'),
      });
      const error = await caught(provider.artist!({ kind: 'user-permalink', id: 'ithinkthatthisuserdontexist' }, ctx));
      expect(error.kind).toBe('NOT_FOUND');
      expect(server.count('api-v2.soundcloud.com/resolve')).toBe(1);
    });

    it('looks users up by id', async () => {
      const { provider, ctx } = await start();
      for (const file of ['user-542134-dubmatix.json', 'user-10494998-liluzivert.json']) {
        const raw = recording(file);
        const artist = await provider.artist!({ kind: 'user', id: String(raw.id) }, ctx);
        expect(artist).toMatchObject({
          id: `soundcloud:user:${raw.id}`,
          name: raw.username,
          url: raw.permalink_url,
          country: raw.country_code ?? null,
          photo: { medium: sized(raw.avatar_url, 't500x500'), large: sized(raw.avatar_url, 'original') },
        });
        expect(artist.biography?.content ?? null).toBe(raw.description || null);
      }
    });

    it("pages a user's albums with linked partitioning", async () => {
      const { provider, ctx } = await start();
      const first = recording('user-4803918-albums-page1.json');
      const second = recording('user-4803918-albums-page2.json');
      const page1 = await provider.artistAlbums!({ kind: 'user', id: '4803918' }, { limit: 20, cursor: null }, ctx);
      expect(page1.items.map((album) => album.title)).toEqual(first.collection.map((set: Raw) => set.title));
      expect(page1.items.map((album) => album.releaseDate)).toEqual(first.collection.map((set: Raw) => set.release_date?.slice(0, 10) ?? expect.anything()));
      expect(page1.nextCursor).toBe(offsetOf(first.next_href));
      const page2 = await provider.artistAlbums!({ kind: 'user', id: '4803918' }, { limit: 20, cursor: page1.nextCursor }, ctx);
      expect(page2.items.map((album) => album.id)).toEqual(second.collection.map((set: Raw) => `soundcloud:playlist:${set.id}`));
      expect(page2.nextCursor).toBeNull();
    });

    it('looks a set up and fills its track stubs 15 at a time', async () => {
      const { provider, server, ctx } = await start();
      const raw = recording('playlist-136000376-compact.json');
      const batches = [...recordingList('tracks-by-ids-playlist-136000376-batch1.json'), ...recordingList('tracks-by-ids-playlist-136000376-batch2.json')];
      const album = await provider.album!({ kind: 'playlist', id: '136000376' }, ctx);
      const full = raw.tracks.filter((entry: Raw) => 'title' in entry);
      const stubIds = raw.tracks.filter((entry: Raw) => !('title' in entry)).map((entry: Raw) => entry.id);
      const byId = new Map(batches.map((track) => [track.id, track]));
      const expectedTitles = [...full.map((track: Raw) => track.title), ...stubIds.slice(0, 30).map((id: number) => byId.get(id)!.title)];
      expect(album.title).toBe(raw.title);
      expect(album.trackCount).toBe(raw.track_count);
      expect(album.tracks?.map((track) => track.title)).toEqual(expectedTitles);
      expect(album.tracks?.[5]?.durationSec).toBe(seconds(byId.get(stubIds[0])!.full_duration));
      expect(album.type).toBe('OTHER');
      expect(server.count('api-v2.soundcloud.com/tracks?')).toBe(2);
    });

    it('cuts the track list where filling stubs fails, and says so', async () => {
      const { provider, server, ctx } = await start();
      const raw = recording('playlist-123062856-compact.json');
      const batch = recordingList('tracks-by-ids-playlist-123062856.json');
      const album = await provider.album!({ kind: 'playlist', id: '123062856' }, ctx);
      const fullCount = raw.tracks.filter((entry: Raw) => 'title' in entry).length;
      // Only the first batch of 15 is recorded; the second is answered 501 by the replay server.
      expect(server.acknowledgeUnmatched()).toHaveLength(1);
      expect(album.tracks).toHaveLength(fullCount + batch.length);
      expect(album.trackCount).toBe(raw.track_count);
      expect(logger.warnings().some((line) => /stubs/.test(line.message))).toBe(true);
    });

    it('batch lookup keeps the order asked', async () => {
      const { provider, ctx } = await start();
      const batch = recordingList('tracks-by-ids-playlist-136000376-batch1.json');
      const ids = '173623087,142602532,140026175,135535734,219235470,216724849,172041220,157456515,216729136,209716439,199837914,194009852,212852189,218220278,217049292'.split(',');
      const tracks = await provider.tracksByIds!(ids.map((id) => ({ kind: 'track', id })), ctx);
      const byId = new Map(batch.map((track) => [String(track.id), track.title]));
      expect(tracks.map((track) => track?.title ?? null)).toEqual(ids.map((id) => byId.get(id) ?? null));
    });

    it('related tracks, and an empty related list', async () => {
      const { provider, ctx } = await start();
      const raw = recording('track-135535700-related.json');
      const page = await provider.relatedTracks({ kind: 'track', id: '135535700' }, { limit: 10, cursor: null }, ctx);
      expect(page.items.map((track) => track.id)).toEqual(raw.collection.map((track: Raw) => `soundcloud:track:${track.id}`));
      expect(page.nextCursor).toBe(offsetOf(raw.next_href));
      const empty = await provider.relatedTracks({ kind: 'track', id: '1356023209' }, { limit: 10, cursor: null }, ctx);
      expect(empty).toEqual({ items: [], total: null, nextCursor: null });
    });
  });

  describe('permalinks (links read by parseUrl, resolved by api-v2 /resolve)', () => {
    /** The widget API's recorded answers are the objects api-v2 /resolve returns; served at api-v2. */
    function serveResolve(server: ReplayHarness['server'], permalink: string, file: string) {
      server.route('GET', `https://api-v2.soundcloud.com/resolve?url=${encodeURIComponent(`https://soundcloud.com/${permalink}`)}`, { body: readRecording(SC, file) });
    }

    it('a user link is the artist with its numeric id', async () => {
      const { provider, server, ctx } = await start();
      const raw = recording('resolve-widget-user-dubmatix.json');
      serveResolve(server, 'dubmatix', 'resolve-widget-user-dubmatix.json');
      const parsed = provider.parseUrl!(new URL('https://soundcloud.com/dubmatix/tracks'));
      expect(parsed).toEqual({ entity: 'artist', ref: { kind: 'user-permalink', id: 'dubmatix' } });
      const artist = await provider.artist!(parsed!.ref, ctx);
      expect(artist).toMatchObject({ id: `soundcloud:user:${raw.id}`, name: raw.username, url: raw.permalink_url });
    });

    it('a set link is the album, its track stubs filled like a lookup by number', async () => {
      const { provider, server, ctx } = await start();
      const raw = recording('resolve-widget-playlist-edm-xxx.json');
      serveResolve(server, 'user350509423/sets/edm-xxx', 'resolve-widget-playlist-edm-xxx.json');
      const parsed = provider.parseUrl!(new URL(raw.permalink_url));
      expect(parsed).toEqual({ entity: 'album', ref: { kind: 'set-permalink', id: 'user350509423/sets/edm-xxx' } });
      const album = await provider.album!(parsed!.ref, ctx);
      const byNumber = await provider.album!({ kind: 'playlist', id: String(raw.id) }, ctx);
      expect(album.id).toBe(`soundcloud:playlist:${raw.id}`);
      expect(album.title).toBe(raw.title);
      expect(album.tracks?.map((track) => track.id)).toEqual(byNumber.tracks?.map((track) => track.id));
      expect(album.tracks?.length).toBe(raw.tracks.filter((entry: Raw) => 'title' in entry).length + 30);
    });

    it('related tracks of a permalink ask /resolve once, then the numeric endpoint', async () => {
      const { provider, server, ctx } = await start();
      const raw = recording('resolve-track-garrett-cameron-1-technicality.json');
      const related = recording('track-135535700-related.json');
      server.route('GET', `https://api-v2.soundcloud.com/tracks/${raw.id}/related`, { body: readRecording(SC, 'track-135535700-related.json') });
      const page = await provider.relatedTracks({ kind: 'track-permalink', id: 'garrett-cameron-1/technicality' }, { limit: 10, cursor: null }, ctx);
      expect(page.items.map((track) => track.id)).toEqual(related.collection.map((track: Raw) => `soundcloud:track:${track.id}`));
      expect(server.requests.filter((request) => request.host === 'api-v2.soundcloud.com').map((request) => request.path)).toEqual(['/resolve', `/tracks/${raw.id}/related`]);
    });

    it('a permalink of another entity, or a permalink under a numeric kind, is NOT_FOUND without a request', async () => {
      const { provider, server, ctx } = await start();
      const refused: [() => Promise<unknown>, string][] = [
        [() => provider.track!({ kind: 'track-permalink', id: 'dubmatix' }, ctx), 'a user is not a track'],
        [() => provider.artist!({ kind: 'user-permalink', id: 'martinsolveig/places' }, ctx), 'a track is not a user'],
        [() => provider.album!({ kind: 'set-permalink', id: 'martinsolveig/places' }, ctx), 'a track is not a set'],
        [() => provider.track!({ kind: 'track-permalink', id: 'liluzivert/sets' }, ctx), "a user's page is not a track"],
        [() => provider.artist!({ kind: 'user-permalink', id: 'discover' }, ctx), 'a site page is not a user'],
        [() => provider.track!({ kind: 'user-permalink', id: 'martinsolveig/places' }, ctx), 'a user permalink is no track id'],
        [() => provider.track!({ kind: 'track', id: 'martinsolveig/places' }, ctx), 'track ids are numbers'],
        [() => provider.artist!({ kind: 'user', id: 'dubmatix' }, ctx), 'user ids are numbers'],
        [() => provider.track!({ kind: 'track-permalink', id: '../../me' }, ctx), 'not a path of permalink segments'],
      ];
      for (const [call, why] of refused) expect((await caught(call())).kind, why).toBe('NOT_FOUND');
      expect(server.requests).toHaveLength(0);
      expect(await provider.tracksByIds!([{ kind: 'track-permalink', id: 'dubmatix' }, { kind: 'track', id: 'x' }], ctx)).toEqual([null, null]);
      expect(server.requests).toHaveLength(0);
    });

    it('batch lookups resolve permalinks one by one among numeric ids', async () => {
      const { provider, ctx } = await start();
      const raw = recording('resolve-track-martinsolveig-places-go-plus.json');
      const batch = recordingList('tracks-by-ids-playlist-123062856.json');
      const ids = '237533914,235577241,239585527,241958647,254981262,265396491,293827933,302519365,306527046,236124017,328588772,332230513,332704093,335531338,339298506'.split(',');
      const tracks = await provider.tracksByIds!([{ kind: 'track-permalink', id: 'martinsolveig/places' }, ...ids.map((id) => ({ kind: 'track', id }))], ctx);
      expect(tracks[0]?.id).toBe(`soundcloud:track:${raw.id}`);
      const byId = new Map(batch.map((track) => [String(track.id), track.title]));
      expect(tracks.slice(1).map((track) => track?.title ?? null)).toEqual(ids.map((id) => byId.get(id) ?? null));
    });
  });

  describe('chart', () => {
    it('trending across all music, following next_href for a second page', async () => {
      const { provider, ctx } = await start();
      const first = recording('charts-trending-all-music.json');
      const second = recording('charts-trending-all-music-offset10.json');
      const chart = await provider.chart!({ country: null, genre: null, limit: 20 }, ctx);
      const expected = [...first.collection, ...second.collection] as Raw[];
      expect(chart.scope).toBe('GLOBAL');
      expect(chart.entries.map((entry) => entry.position)).toEqual(expected.map((_, index) => index + 1));
      expect(chart.entries.map((entry) => entry.track.title)).toEqual(expected.map((item) => item.track.title));
      expect(chart.entries.map((entry) => entry.popularity)).toEqual(expected.map((item) => item.score));
    });

    it('a country chart is NOT_FOUND (SoundCloud answers 404 for regions)', async () => {
      const { provider, ctx } = await start();
      const error = await caught(provider.chart!({ country: 'GB', genre: null, limit: 10 }, ctx));
      expect(error.kind).toBe('NOT_FOUND');
    });
  });

  describe('downloads', () => {
    it('only when the uploader enabled them and has downloads left', async () => {
      const { provider, server, ctx } = await start();
      for (const [file, permalink] of [
        ['resolve-widget-track-kechuspider-last-days.json', 'kechuspider-sets-1/last-days'],
        ['resolve-widget-track-dontgender-terrorcore.json', 'dontgender/terrorcore'],
      ] as const) {
        // Recorded on api-widget.soundcloud.com; the object is the one api-v2 /resolve returns.
        server.route('GET', `https://api-v2.soundcloud.com/resolve?url=${encodeURIComponent(`https://soundcloud.com/${permalink}`)}`, { body: readRecording(SC, file) });
        const raw = recording(file);
        const track = await provider.track!({ kind: 'track-permalink', id: permalink }, ctx);
        if (raw.downloadable && raw.has_downloads_left) {
          expect(track.download).toEqual({ allowed: true, license: { name: 'All rights reserved', url: null }, originUrl: `https://api-v2.soundcloud.com/tracks/${raw.id}/download` });
        } else {
          expect(track.download).toMatchObject({ allowed: false, reason: 'NOT_LICENSED' });
        }
      }
      const related = recording('track-135535700-related.json');
      const page = await provider.relatedTracks({ kind: 'track', id: '135535700' }, { limit: 10, cursor: null }, ctx);
      const noneLeft = related.collection.findIndex((track: Raw) => track.downloadable && !track.has_downloads_left);
      expect(page.items[noneLeft]?.download).toMatchObject({
        allowed: false,
        reason: 'NOT_LICENSED',
        detail: { en: expect.stringContaining('none left'), es: expect.stringContaining('ya no le quedan descargas') },
      });
    });
  });

  describe('download endpoint', () => {
    it('an answer without a redirectUri is BAD_RESPONSE, and the call carries the client_id', async () => {
      const { provider, server, ctx } = await start();
      server.intercept((request, response) => {
        if (!request.path.endsWith('/download')) return false;
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end('{}');
        return true;
      });
      const error = await caught(provider.resolveDownload({ kind: 'track', id: '44556776' }, ctx));
      expect(error.kind).toBe('BAD_RESPONSE');
      const call = server.requests.find((request) => request.path === '/tracks/44556776/download');
      expect(call?.query.get('client_id')).toBeTruthy();
    });
  });

  describe('site changes', () => {
    it('a renamed key nulls that field, logs a warning and keeps everything else', async () => {
      const { provider, server, ctx } = await start();
      const raw = recording('search-tracks-lill-uzi-vert-offset0.json');
      const drifted = structuredClone(raw);
      for (const track of drifted.collection) {
        track.permalinkUrl = track.permalink_url;
        delete track.permalink_url;
      }
      server.intercept((request, response) => {
        if (!request.path.startsWith('/search/tracks')) return false;
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify(drifted));
        return true;
      });
      const page = await provider.searchTracks!({ query: 'lill uzi vert', limit: 10, cursor: null }, ctx);
      expect(page.items.map((track) => track.title)).toEqual(raw.collection.map((track: Raw) => track.title));
      expect(page.items.map((track) => track.durationSec)).toEqual(raw.collection.map((track: Raw) => seconds(track.full_duration)));
      expect(page.items.every((track) => track.playbackUrl === null && track.links.length === 0)).toBe(true);
      expect(page.nextCursor).toBe('10');
      const warnings = logger.warnings().filter((line) => line.fields.field === 'track.permalink_url');
      expect(warnings).toHaveLength(1);
    });

    it('an unrecognised body is BAD_RESPONSE', async () => {
      const { provider, server, ctx } = await start();
      server.intercept((request, response) => {
        if (request.host !== 'api-v2.soundcloud.com') return false;
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ results: [] }));
        return true;
      });
      expect((await caught(provider.searchTracks!({ query: 'lill uzi vert', limit: 10, cursor: null }, ctx))).kind).toBe('BAD_RESPONSE');
      expect((await caught(provider.artist!({ kind: 'user', id: '542134' }, ctx))).kind).toBe('BAD_RESPONSE');
    });
  });
});

describe('SoundCloud links (parseUrl)', () => {
  const parse = (url: string) => parseSoundcloudUrl(new URL(url));

  it('names users, tracks and sets by permalink, with the user for its own sub-pages', () => {
    expect(parse('https://soundcloud.com/liluzivert')).toEqual({ entity: 'artist', ref: { kind: 'user-permalink', id: 'liluzivert' } });
    expect(parse('http://soundcloud.com/liluzivert/sets')).toEqual({ entity: 'artist', ref: { kind: 'user-permalink', id: 'liluzivert' } });
    expect(parse('https://m.soundcloud.com/liluzivert/15-ysl#t=34')).toEqual({ entity: 'track', ref: { kind: 'track-permalink', id: 'liluzivert/15-ysl' } });
    expect(parse('https://www.soundcloud.com/micky96/sets/house/')).toEqual({ entity: 'album', ref: { kind: 'set-permalink', id: 'micky96/sets/house' } });
  });

  it('names API and embedded-player links by number', () => {
    expect(parse('https://api.soundcloud.com/tracks/173623087')).toEqual({ entity: 'track', ref: { kind: 'track', id: '173623087' } });
    expect(parse('https://api-v2.soundcloud.com/playlists/136000376')).toEqual({ entity: 'album', ref: { kind: 'playlist', id: '136000376' } });
    expect(parse(`https://w.soundcloud.com/player/?url=${encodeURIComponent('https://api.soundcloud.com/users/542134')}&auto_play=false`)).toEqual({
      entity: 'artist',
      ref: { kind: 'user', id: '542134' },
    });
  });

  it('names nothing for site pages, short links and other hosts', () => {
    for (const url of [
      'https://soundcloud.com/',
      'https://soundcloud.com/discover',
      'https://soundcloud.com/charts/top',
      'https://soundcloud.com/a/b/c/d',
      'https://soundcloud.com/user/sets/a/b',
      'https://on.soundcloud.com/AbCdEf',
      'https://api.soundcloud.com/tracks/abc',
      'https://w.soundcloud.com/player/?url=https%3A%2F%2Fw.soundcloud.com%2Fplayer%2F%3Furl%3Dx',
      'https://soundcloud.com.example.org/liluzivert',
    ]) {
      expect(parse(url), url).toBeNull();
    }
  });
});
