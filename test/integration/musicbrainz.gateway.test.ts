import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCoverArtArchiveProvider } from '../../src/providers/coverartarchive/index.js';
import { createMusicBrainzProvider } from '../../src/providers/musicbrainz/index.js';
import { LOOKUP_INCLUDES } from '../../src/providers/musicbrainz/index.js';
import { sourceDown, startReplayServer, type Interceptor, type ReplayServer } from '../support/replayServer.js';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { loadIndex, readRecording, readRecordingJson, skipWithoutRecordings } from '../support/recordings.js';

/**
 * The whole gateway (HTTP → GraphQL → catalog → providers → upstream client) against the
 * genuine MusicBrainz and Cover Art Archive recordings, served locally through UPSTREAM_OVERRIDES.
 * Expected values are read from the recordings themselves.
 */
const WS = 'https://musicbrainz.org/ws/2';
const recorded = (url: string) => {
  const entry = loadIndex('musicbrainz').find((e) => e.request.url === url);
  if (!entry) throw new Error(`no recording of ${url}`);
  return readRecordingJson('musicbrainz', entry.file);
};
/** Release ids whose Cover Art Archive entry was recorded answering 307 (art exists) or 404. */
const coverStatus = (): Map<string, number> =>
  new Map(
    loadIndex('coverartarchive')
      .filter((e) => e.request.method === 'GET' && /coverartarchive\.org\/release\/[0-9a-f-]{36}$/.test(e.request.url))
      .map((e) => [e.request.url.split('/').at(-1)!, e.response.status]),
  );
const credit = (credits: { name: string; joinphrase?: string }[]) => credits.map((c) => c.name + (c.joinphrase ?? '')).join('');
/** Linkin Park, Meteora: a release lookup recorded with its track list (and nearly every other include). */
const METEORA = 'c9d52105-5c20-3216-bc1b-e54918f8f688';
const METEORA_RECORDED = `${WS}/release/${METEORA}?inc=aliases+annotation+artist-credits+genres+tags+collections+labels+media+discids+recordings+release-groups+ratings+isrcs+artist-rels+release-rels+recording-rels+recording-level-rels+work-rels+work-level-rels+label-rels+place-rels+url-rels+release-group-rels+release-group-level-rels&fmt=json`;
/** The Cover Art Archive entries nobody recorded: the archive is down for them. */
const coverArchiveDown: Interceptor = (request, response) => request.host === 'coverartarchive.org' && sourceDown(request, response);

describe.skipIf(skipWithoutRecordings('musicbrainz', 'coverartarchive'))('gateway on recorded MusicBrainz + Cover Art Archive answers', () => {
  let replay: ReplayServer;
  let gateway: TestGateway;

  beforeAll(async () => {
    replay = await startReplayServer({ sources: ['musicbrainz', 'coverartarchive'], includeSubsetParams: ['inc'] });
    replay.fallback(coverArchiveDown);
    gateway = await startGateway({
      factories: [createMusicBrainzProvider, createCoverArtArchiveProvider],
      replay,
      env: { CHAIN_SEARCH_ALBUMS: 'musicbrainz', MUSICBRAINZ_RPS: '50' },
    });
  });
  afterAll(async () => {
    await gateway.close();
    await replay.close();
  });
  beforeEach(() => replay.reset());

  it('searches albums with titles, artists, dates and Cover Art Archive covers from the recordings', async () => {
    const raw = recorded(`${WS}/release?query=You+Want+It+Darker&fmt=json`);
    const { body } = await gateway.query(`{
      searchAlbums(query: "You Want It Darker", first: 25) {
        source totalCount pageInfo { hasNextPage endCursor }
        nodes { id title artist releaseDate year cover { small medium large source } }
      }
    }`);
    const result = body.data.searchAlbums;
    expect(result.source).toBe('musicbrainz');
    expect(result.totalCount).toBe(raw.count);
    expect(result.pageInfo.hasNextPage).toBe(true);
    expect(result.nodes).toHaveLength(25);
    const statuses = coverStatus();
    raw.releases.forEach((release: any, index: number) => {
      const node = result.nodes[index];
      expect(node.id).toBe(`musicbrainz:release:${release.id}`);
      expect(node.title).toBe(release.title);
      expect(node.artist).toBe(credit(release['artist-credit']));
      expect(node.releaseDate).toBe(release.date ?? null);
      if (statuses.get(release.id) === 307) {
        expect(node.cover).toEqual({
          small: `https://coverartarchive.org/release/${release.id}/front-250`,
          medium: `https://coverartarchive.org/release/${release.id}/front-500`,
          large: `https://coverartarchive.org/release/${release.id}/front-1200`,
          source: 'coverartarchive',
        });
      }
    });
    expect(result.nodes.filter((n: any) => n.cover).length).toBeGreaterThan(5);
    const report = body.extensions!.sources!;
    expect(report.find((r) => r.field === 'searchAlbums')!.answeredBy).toBe('musicbrainz');
    expect(report.some((r) => r.field === 'cover' && r.answeredBy === 'coverartarchive')).toBe(true);
  });

  it('fetches each distinct entity behind a 25-item list at most once, artists in one batch', async () => {
    const raw = recorded(`${WS}/release?query=You+Want+It+Darker&fmt=json`);
    // A gateway of its own: an empty cache, so every upstream request is counted.
    const fresh = await startGateway({ factories: [createMusicBrainzProvider, createCoverArtArchiveProvider], replay, env: { MUSICBRAINZ_RPS: '50' } });
    // No search for these 16 artists by id was recorded: MusicBrainz is down for it.
    const stop = replay.fallback((request, response) => request.path === '/ws/2/artist' && sourceDown(request, response));
    await fresh.query(`{
      searchAlbums(query: "You Want It Darker", first: 25) {
        nodes { title cover { small } artists { name artist { name } } }
      }
    }`);
    await fresh.close();
    stop();
    const urls = replay.requests.map((r) => `${r.method} ${r.url}`);
    // Nothing asked twice: search, covers and artists are de-duplicated per request.
    expect(new Set(urls).size).toBe(urls.length);
    expect(replay.count('/ws/2/release?')).toBe(1);
    const releases = new Set(raw.releases.map((r: any) => r.id));
    const groups = new Set(raw.releases.map((r: any) => r['release-group']?.id));
    const coverRequests = replay.requests.filter((r) => r.host === 'coverartarchive.org');
    expect(coverRequests.length).toBeLessThanOrEqual(releases.size + groups.size);
    // 16 distinct artists, one MusicBrainz search by MBID for all of them.
    const artistRequests = replay.requests.filter((r) => r.path.startsWith('/ws/2/artist'));
    expect(artistRequests).toHaveLength(1);
    const distinctArtists = new Set(raw.releases.flatMap((r: any) => r['artist-credit'].map((c: any) => c.artist.id)));
    for (const id of distinctArtists) expect(artistRequests[0]!.query.get('query')).toContain(String(id));
  });

  it('looks up an album with its track list, durations, ISRCs and the streaming links of each track', async () => {
    const raw = recorded(METEORA_RECORDED);
    // Recorded with more includes than the gateway asks for: the same release, the same track list.
    replay.route('GET', `${WS}/release/${METEORA}?inc=${LOOKUP_INCLUDES.release.join('%2B')}`, { body: JSON.stringify(raw) });
    const { body } = await gateway.query(`{
      album(id: "musicbrainz:release:${METEORA}") {
        title artist year trackCount label
        tracks { title duration trackNumber isrc playbackUrl links { platform url } }
      }
    }`);
    expect(body.errors).toBeUndefined();
    const album = body.data.album;
    const recordedTracks = raw.media.flatMap((medium: any) => medium.tracks);
    expect(recordedTracks).toHaveLength(13);
    expect(album).toMatchObject({ title: 'Meteora', artist: 'Linkin Park', year: 2003, trackCount: 13, label: 'Warner Bros. Records' });
    expect(album.tracks.map((t: any) => t.title)).toEqual(recordedTracks.map((t: any) => t.title));
    expect(album.tracks.map((t: any) => t.duration)).toEqual(recordedTracks.map((t: any) => Math.round(t.length / 1000)));
    expect(album.tracks.map((t: any) => t.trackNumber)).toEqual(recordedTracks.map((t: any) => t.position));
    expect(album.tracks.map((t: any) => t.isrc)).toEqual(recordedTracks.map((t: any) => t.recording.isrcs[0]));
    const numb = album.tracks[12];
    expect(numb.playbackUrl).toBe('https://open.spotify.com/track/2nLtzopw4rPReszdYBJU6h');
    expect(numb.links).toEqual(expect.arrayContaining([
      { platform: 'spotify', url: 'https://open.spotify.com/track/2nLtzopw4rPReszdYBJU6h' },
      { platform: 'deezer', url: 'https://www.deezer.com/track/14629005' },
      { platform: 'tidal', url: 'https://tidal.com/track/68639004' },
    ]));
  });

  it('looks up an artist with social links from url relationships', async () => {
    const raw = recorded(`${WS}/artist/5b11f4ce-a62d-471e-81fc-a69a8278c7da?inc=url-rels&fmt=json`);
    const { body } = await gateway.query(`{
      artist(id: "musicbrainz:artist:5b11f4ce-a62d-471e-81fc-a69a8278c7da") { name country links { platform url } socialLinks { platform url } }
    }`);
    expect(body.errors).toBeUndefined();
    const artist = body.data.artist;
    expect(artist.name).toBe(raw.name);
    expect(artist.country).toBe(raw.country);
    const recordedUrls = raw.relations.filter((r: any) => r.url?.resource).map((r: any) => r.url.resource);
    for (const link of artist.links) {
      if (link.platform !== 'musicbrainz') expect(recordedUrls).toContain(link.url);
    }
    expect(artist.socialLinks.length).toBeGreaterThan(0);
    expect(artist.socialLinks.every((l: any) => artist.links.some((k: any) => k.url === l.url))).toBe(true);
  });

  it('looks up a track with its duration and artist', async () => {
    const raw = recorded(`${WS}/recording/07649758-09c8-4d70-bc6f-5c37ab36334d?inc=artist-credits&fmt=json`);
    const { body } = await gateway.query(`{
      track(id: "musicbrainz:recording:07649758-09c8-4d70-bc6f-5c37ab36334d") { title artist duration downloads { format available reason } }
    }`);
    expect(body.errors).toBeUndefined();
    expect(body.data.track.title).toBe(raw.title);
    expect(body.data.track.artist).toBe(credit(raw['artist-credit']));
    expect(body.data.track.duration).toBe(213); // recorded length: 213 000 ms
    expect(body.data.track.downloads).toEqual([
      { format: 'WAV', available: false, reason: 'NOT_LICENSED' },
      { format: 'MP3', available: false, reason: 'NOT_LICENSED' },
    ]);
  });

  it('answers an unknown recording with NOT_FOUND', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    // MusicBrainz's answer for an MBID it does not have.
    replay.route('GET', `${WS}/recording/${missing}?inc=${LOOKUP_INCLUDES.recording.join('%2B')}`, { status: 404, body: '{"error":"Not Found"}' });
    const { body } = await gateway.query(`{ track(id: "musicbrainz:recording:${missing}") { title } }`);
    expect(body.errors![0]!.extensions!.code).toBe('NOT_FOUND');
    expect(replay.count(`/ws/2/recording/${missing}`)).toBe(1);
  });
});

describe.skipIf(skipWithoutRecordings('musicbrainz'))('MusicBrainz rate limit across concurrent requests', () => {
  it('lets a burst of concurrent MusicBrainz-bound queries go together, then keeps the pace', async () => {
    const replay = await startReplayServer({ sources: ['musicbrainz'] });
    // Only the spacing is measured: every search gets the recorded Leonard Cohen answer.
    const answer = readRecording('musicbrainz', loadIndex('musicbrainz').find((e) => e.request.url === `${WS}/artist?limit=1&query=Leonard+Cohen&fmt=json`)!.file);
    replay.intercept((request, response) => {
      if (request.path !== '/ws/2/artist') return false;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(answer);
      return true;
    });
    // Four a second, bursts of three: the default's shape (1/s, 5), faster.
    const gateway = await startGateway({ factories: [createMusicBrainzProvider], replay, env: { MUSICBRAINZ_RPS: '4', MUSICBRAINZ_BURST: '3' } });
    try {
      await Promise.all(
        ['Leonard Cohen', 'Nirvana', 'Björk', 'Rosalía', 'Bad Bunny'].map((q) =>
          gateway.query(`query($q: String!) { searchArtists(query: $q, source: "musicbrainz") { source } }`, { q }),
        ),
      );
      const times = replay.requests.filter((r) => r.host === 'musicbrainz.org').map((r) => r.at).sort((a, b) => a - b);
      expect(times).toHaveLength(5);
      // The burst starts together; what follows waits until the burst is paid back.
      // Arrival times carry the machine's jitter, so the bounds are loose: the pace after the
      // burst is 3 × 262 ms; the exact slots are proven with a fake clock in test/http/rateLimiter.test.ts.
      expect(times[2]! - times[0]!).toBeLessThan(400);
      expect(times[3]! - times[0]!).toBeGreaterThanOrEqual(450);
      expect(times[4]! - times[3]!).toBeGreaterThanOrEqual(200);
    } finally {
      await gateway.close();
      await replay.close();
    }
  }, 20_000);
});
