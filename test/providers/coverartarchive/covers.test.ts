import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Album, ImageSet, Track } from '../../../src/domain/types.js';
import { createCoverArtArchiveProvider } from '../../../src/providers/coverartarchive/index.js';
import { frontImageSet } from '../../../src/providers/coverartarchive/parse.js';
import { createMusicBrainzProvider } from '../../../src/providers/musicbrainz/index.js';
import { albumFromRelease, parseRecordingSearch, parseReleaseSearch } from '../../../src/providers/musicbrainz/parse.js';
import type { CoverArtQuery } from '../../../src/providers/types.js';
import { albumCoverQuery, trackCoverQuery } from '../../../src/schema/resolvers/shared.js';
import { startGateway } from '../../support/gateway.js';
import { callContext, replayProvider, type ReplayHarness } from '../../support/providerHarness.js';
import { startReplayServer } from '../../support/replayServer.js';
import { loadIndex, readRecording, skipWithoutRecordings, type RecordingEntry } from '../../support/recordings.js';
import { recordedJson } from '../musicbrainz/fixtures.js';

/**
 * How many Cover Art Archive requests a page of covers costs, on genuine MusicBrainz answers
 * ("You Want It Darker": 25 releases of 17 release groups; a 13-track release lookup) and the
 * recorded archive answers.
 */
const WS = 'https://musicbrainz.org/ws/2';
const searchPage = () => parseReleaseSearch(recordedJson('musicbrainz', `${WS}/release?query=You+Want+It+Darker&fmt=json`), 0).items;
const releaseWithTracks = () =>
  albumFromRelease(
    recordedJson(
      'musicbrainz',
      loadIndex('musicbrainz').find((entry) => entry.request.url.startsWith(`${WS}/release/c9d52105-5c20-3216-bc1b-e54918f8f688?`))!.request.url,
    ),
  );

/**
 * What the archive was recorded answering for `GET /release/<mbid>` (307 = front, 404 = none).
 * Read on first use, not while collecting, so the suites skip when the recordings are absent.
 */
let archive: { status: Map<string, { status: number; file: string }>; with307: RecordingEntry; with404: { status: number; file: string } } | undefined;
function recordedArchive() {
  if (archive) return archive;
  const status = new Map(
    loadIndex('coverartarchive')
      .filter((entry) => entry.request.method === 'GET' && /coverartarchive\.org\/release\/[0-9a-f-]{36}$/.test(entry.request.url))
      .map((entry) => [entry.request.url.split('/').at(-1)!, { status: entry.response.status, file: entry.file }]),
  );
  const with307 = loadIndex('coverartarchive').find((entry) => entry.request.url.includes('/release-group/'))!;
  const with404 = [...status.values()].find((probe) => probe.status === 404)!;
  return (archive = { status, with307, with404 });
}

/** Release groups of the page with at least one release recorded with art. */
const groupsWithArt = () =>
  new Set(
    searchPage()
      .filter((album) => recordedArchive().status.get(album.refs!.musicbrainzReleaseId!)?.status === 307)
      .map((album) => album.refs!.musicbrainzReleaseGroupId!),
  );

/** A recording found by a search, listed on `album` (as MusicBrainz search hits carry it: no position). */
function searchHitOn(album: Album): Track {
  return {
    id: `musicbrainz:recording:hit-on-${album.id}`,
    source: 'musicbrainz',
    title: album.title,
    artists: album.artists,
    album: { id: album.id, title: album.title },
    durationSec: null,
    releaseDate: album.releaseDate,
    isrc: null,
    cover: null,
    playbackUrl: null,
    previewUrl: null,
    license: null,
    download: { allowed: false, reason: 'NOT_LICENSED' },
    genres: [],
    links: [],
    refs: album.refs,
  };
}

describe.skipIf(skipWithoutRecordings('musicbrainz'))('which Cover Art Archive entry a cover asks for', () => {
  it('asks the release group for a search hit: the album cover, whichever edition MusicBrainz listed', () => {
    const album = searchPage()[0]!;
    expect(trackCoverQuery(searchHitOn(album))).toEqual({
      musicbrainzReleaseId: null,
      musicbrainzReleaseGroupId: album.refs!.musicbrainzReleaseGroupId,
    });
  });

  it("asks the release itself for an album that is that release, and for the tracks on its track list", () => {
    const album = releaseWithTracks();
    const own: CoverArtQuery = {
      musicbrainzReleaseId: 'c9d52105-5c20-3216-bc1b-e54918f8f688',
      musicbrainzReleaseGroupId: album.refs!.musicbrainzReleaseGroupId!,
    };
    expect(own.musicbrainzReleaseGroupId).toMatch(/^[0-9a-f-]{36}$/);
    expect(albumCoverQuery(album)).toEqual(own);
    expect(album.tracks).toHaveLength(13);
    for (const track of album.tracks!) expect(trackCoverQuery(track)).toEqual(own);
  });

  it('asks the group for an album that is a release group, even when an edition is at hand', () => {
    const edition = releaseWithTracks();
    const groupId = edition.refs!.musicbrainzReleaseGroupId!;
    const group: Album = { ...edition, id: `musicbrainz:release-group:${groupId}` };
    expect(albumCoverQuery(group)).toEqual({ musicbrainzReleaseId: null, musicbrainzReleaseGroupId: groupId });
  });

  it('asks the release when it is all there is (Last.fm names only the release), and nothing without ids', () => {
    const album = searchPage()[0]!;
    const lastfmLike: Album = { ...album, id: 'lastfm:album:x', source: 'lastfm', refs: { musicbrainzReleaseId: album.refs!.musicbrainzReleaseId } };
    expect(albumCoverQuery(lastfmLike)).toEqual({ musicbrainzReleaseId: album.refs!.musicbrainzReleaseId, musicbrainzReleaseGroupId: null });
    expect(albumCoverQuery({ ...album, refs: {} })).toBeNull();
    expect(trackCoverQuery({ ...searchHitOn(album), refs: undefined })).toBeNull();
  });
});

describe.skipIf(skipWithoutRecordings('musicbrainz', 'coverartarchive'))('Cover Art Archive requests per page', () => {
  let harness: ReplayHarness;
  const coverRequests = () => harness.server.requests.filter((request) => request.host === 'coverartarchive.org').map((request) => request.path);
  const coversOf = (queries: CoverArtQuery[]) => Promise.all(queries.map((query) => harness.provider.coverArt!(query, callContext())));

  beforeEach(async () => {
    harness = await replayProvider(createCoverArtArchiveProvider, { sources: ['coverartarchive'] });
    /**
     * Release groups beyond the one recorded answer as the archive would: it resolves a group to
     * a release of it that has a front, so a group answers 307 (the recorded group redirect) when
     * one of its releases on the page was recorded with art, and 404 (a recorded "no art" page)
     * otherwise. The page below decides which groups these are from the recordings alone.
     */
    harness.server.intercept((request, response) => {
      const group = /^\/release-group\/([0-9a-f-]{36})$/.exec(request.path)?.[1];
      if (!group || group === 'f5093c06-23e3-404f-aeaa-40f72885ee3a') return false;
      if (groupsWithArt().has(group)) {
        const body = readRecording('coverartarchive', recordedArchive().with307.file);
        response.writeHead(307, { 'content-type': recordedArchive().with307.response.contentType!, location: /See:\s*(\S+)/.exec(body)![1]! }).end(body);
      } else {
        response.writeHead(404, { 'content-type': 'text/html' }).end(readRecording('coverartarchive', recordedArchive().with404.file));
      }
      return true;
    });
  });
  afterEach(() => harness.close());

  it('a page of 25 tracks on 17 albums costs one request per album, none per release', async () => {
    const albums = searchPage();
    expect(albums).toHaveLength(25);
    const groups = new Set(albums.map((album) => album.refs!.musicbrainzReleaseGroupId));
    expect(groups.size).toBe(17);

    const covers = await coversOf(albums.map((album) => trackCoverQuery(searchHitOn(album))!));
    expect(coverRequests().sort()).toEqual([...groups].map((group) => `/release-group/${group}`).sort());
    // Each track shows its album's cover: the group's front, or none when no edition has one.
    covers.forEach((cover: ImageSet | null, index) => {
      const group = albums[index]!.refs!.musicbrainzReleaseGroupId!;
      expect(cover).toEqual(groupsWithArt().has(group) ? frontImageSet('release-group', group) : null);
    });
    expect(covers.filter(Boolean).length).toBeGreaterThan(5);

    // The page again: all answers (the 404s too) come from the cache.
    const before = harness.server.requests.length;
    await coversOf(albums.map((album) => trackCoverQuery(searchHitOn(album))!));
    expect(harness.server.requests.length).toBe(before);
  });

  it('an album that is a release and its 13 tracks cost one request together', async () => {
    const album = releaseWithTracks();
    const releaseId = album.refs!.musicbrainzReleaseId!;
    // MusicBrainz says this release has a front (`cover-art-archive.front`); the archive was not recorded for it.
    harness.server.route('GET', `https://coverartarchive.org/release/${releaseId}`, {
      status: 307,
      body: `See: http://archive.org/download/mbid-${releaseId}/index.json`,
      contentType: 'text/plain; charset=utf-8',
    });
    const covers = await coversOf([albumCoverQuery(album)!, ...album.tracks!.map((track) => trackCoverQuery(track)!)]);
    expect(coverRequests()).toEqual([`/release/${releaseId}`]);
    for (const cover of covers) expect(cover).toEqual(frontImageSet('release', releaseId));
  });

  it('editions shown as themselves cost one request each, and their group only after a 404, once per group', async () => {
    const editions = searchPage().filter((album) => recordedArchive().status.has(album.refs!.musicbrainzReleaseId!));
    const withArt = editions.filter((album) => recordedArchive().status.get(album.refs!.musicbrainzReleaseId!)!.status === 307);
    const without = editions.filter((album) => recordedArchive().status.get(album.refs!.musicbrainzReleaseId!)!.status === 404);
    expect(withArt.length).toBeGreaterThanOrEqual(8);
    expect(without.length).toBeGreaterThanOrEqual(5);

    const covers = await coversOf(editions.map((album) => albumCoverQuery(album)!));
    const fallbackGroups = new Set(without.map((album) => album.refs!.musicbrainzReleaseGroupId!));
    expect(coverRequests().sort()).toEqual(
      [...editions.map((album) => `/release/${album.refs!.musicbrainzReleaseId}`), ...[...fallbackGroups].map((group) => `/release-group/${group}`)].sort(),
    );
    editions.forEach((album, index) => {
      const own = recordedArchive().status.get(album.refs!.musicbrainzReleaseId!)!.status === 307;
      const group = album.refs!.musicbrainzReleaseGroupId!;
      const groupCover = groupsWithArt().has(group) ? frontImageSet('release-group', group) : null;
      expect(covers[index]).toEqual(own ? frontImageSet('release', album.refs!.musicbrainzReleaseId!) : groupCover);
    });
  });
});

describe.skipIf(skipWithoutRecordings('musicbrainz', 'coverartarchive'))('covers of a searched page through the gateway', () => {
  it('asks the archive once per album of a 25-track search page, never per release', async () => {
    const raw = readRecording('musicbrainz', 'recording-search-we-will-rock-you-arid-queen.json');
    const tracks = parseRecordingSearch(JSON.parse(raw), 0).items;
    const groups = new Set(tracks.map((track) => track.refs?.musicbrainzReleaseGroupId).filter(Boolean));
    expect(tracks).toHaveLength(25);

    const replay = await startReplayServer({ sources: ['musicbrainz', 'coverartarchive'] });
    // The genuine 25-result recording search answers whatever recording search the gateway sends.
    replay.intercept((request, response) => {
      if (request.host !== 'musicbrainz.org' || request.path !== '/ws/2/recording') return false;
      response.writeHead(200, { 'content-type': 'application/json' }).end(raw);
      return true;
    });
    // None of these albums was recorded at the archive: each answers the recorded "no art" page.
    replay.intercept((request, response) => {
      if (request.host !== 'coverartarchive.org') return false;
      response.writeHead(404, { 'content-type': 'text/html' }).end(readRecording('coverartarchive', recordedArchive().with404.file));
      return true;
    });
    const gateway = await startGateway({
      factories: [createMusicBrainzProvider, createCoverArtArchiveProvider],
      replay,
      env: { CHAIN_SEARCH_TRACKS: 'musicbrainz', MUSICBRAINZ_RPS: '50' },
    });
    try {
      const { body } = await gateway.query('{ searchTracks(query: "we will rock you", first: 25) { nodes { title cover { small } } } }');
      expect(body.errors).toBeUndefined();
      expect(body.data.searchTracks.nodes).toHaveLength(25);
      const asked = replay.requests.filter((request) => request.host === 'coverartarchive.org').map((request) => request.path);
      expect(asked.sort()).toEqual([...groups].map((group) => `/release-group/${group}`).sort());
    } finally {
      await gateway.close();
      await replay.close();
    }
  });
});
