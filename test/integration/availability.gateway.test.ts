import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDeezerProvider } from '../../src/providers/deezer/index.js';
import { createMusicBrainzProvider } from '../../src/providers/musicbrainz/index.js';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { loadIndex, readRecording, readRecordingJson, skipWithoutRecordings } from '../support/recordings.js';
import { startReplayServer, type ReplayServer } from '../support/replayServer.js';
import { searchProvider } from '../support/testProviders.js';

/**
 * One song, every source, through the whole gateway: a catalogue-only source (`alpha`, no play
 * link, like MusicBrainz search hits) lists a song; its availability at Deezer is found by ISRC
 * against Deezer's genuine answer, its play link is borrowed from that match, and a sped-up copy
 * carrying the same ISRC is never matched to it. Deezer answers `track/isrc:<ISRC>` with the
 * same track object as `track/<id>`; the recorded `track/2947516331` body (whose `isrc` is the
 * one asked) is served for it.
 */
const DIE_WITH_A_SMILE = 'track-2947516331-die-with-a-smile-2025.json';

describe.skipIf(skipWithoutRecordings('deezer', 'musicbrainz'))('availability through the gateway', () => {
  let replay: ReplayServer;
  let gateway: TestGateway;
  const recorded = readRecordingJson('deezer', DIE_WITH_A_SMILE) as { id: number; title: string; isrc: string; duration: number; link: string };

  beforeAll(async () => {
    // MusicBrainz adds fields per include: a recording made with fewer includes is a true part of the answer.
    replay = await startReplayServer({ sources: ['deezer', 'musicbrainz'], extraHosts: ['alpha.test'], includeSubsetParams: ['inc'] });
    gateway = await startGateway({
      factories: [searchProvider('alpha', { withoutPlayback: true }), createDeezerProvider, createMusicBrainzProvider],
      replay,
      env: { CHAIN_SEARCH_TRACKS: 'alpha', CHAIN_AVAILABILITY: 'deezer', CHAIN_TRACKS_BY_ISRC: 'musicbrainz,deezer' },
    });
  });
  afterAll(async () => {
    await gateway.close();
    await replay.close();
  });
  afterEach(() => replay.reset());

  function serveAlphaSearch(q: string) {
    replay.route('GET', `https://alpha.test/search?q=${encodeURIComponent(q)}&limit=5`, {
      body: JSON.stringify({
        results: [
          { id: '1', title: recorded.title, artist: 'Lady Gaga', seconds: recorded.duration + 1, isrc: recorded.isrc },
          { id: '2', title: `${recorded.title} (Sped Up)`, artist: 'Lady Gaga', seconds: 201, isrc: recorded.isrc },
        ],
      }),
    });
    replay.route('GET', `https://api.deezer.com/track/isrc:${recorded.isrc}`, { body: readRecording('deezer', DIE_WITH_A_SMILE) });
    // The sped-up copy's ISRC answer is the studio take (refused), so Deezer is then searched.
    replay.route('GET', 'https://api.deezer.com/search/track?q=Lady+Gaga+die+with+a+smile+sped+up&index=0&limit=5', { body: '{"data":[],"total":0}' });
  }

  const QUERY = `query Song($q: String!) {
    searchTracks(query: $q, first: 5) {
      nodes {
        id title playbackUrl playbackSource
        availability { source sourceName matchedBy confidence durationDeltaSec reasons track { id title playbackUrl } }
      }
    }
  }`;

  it('finds the song at Deezer by ISRC, lends its play link and says so; the sped-up copy gets nothing', async () => {
    serveAlphaSearch('die with a smile');
    const { body } = await gateway.query(QUERY, { q: 'die with a smile' });
    expect(body.errors).toBeUndefined();
    const [song, spedUp] = body.data.searchTracks.nodes;
    expect(song.availability).toHaveLength(1);
    expect(song.availability[0]).toMatchObject({
      source: 'deezer',
      sourceName: 'Deezer',
      matchedBy: 'ISRC',
      durationDeltaSec: 1,
      track: { id: `deezer:track:${recorded.id}`, title: recorded.title, playbackUrl: recorded.link },
    });
    expect(song.availability[0].confidence).toBeGreaterThanOrEqual(0.95);
    expect(song.availability[0].reasons).toContain('isrc-shared');
    expect(song).toMatchObject({ playbackUrl: recorded.link, playbackSource: 'deezer' });
    expect(spedUp).toMatchObject({ availability: [], playbackUrl: null, playbackSource: null });
    const borrowed = body.extensions!.sources!.find((report) => report.field === 'Track.playbackUrl') as unknown as { borrowed: Record<string, unknown> };
    expect(borrowed.borrowed).toEqual({ for: 'alpha:track:1', from: `deezer:track:${recorded.id}`, matchedBy: 'ISRC', confidence: song.availability[0].confidence });
    // Both tracks carry the ISRC: one upstream call answers both.
    expect(replay.count(`api.deezer.com/track/isrc:${recorded.isrc}`)).toBe(1);
  });

  it('answers the same page again without asking any source', async () => {
    serveAlphaSearch('die with a smile');
    await gateway.query(QUERY, { q: 'die with a smile' });
    const before = replay.requests.length;
    const { body } = await gateway.query(QUERY, { q: 'die with a smile' });
    expect(body.data.searchTracks.nodes[0].playbackSource).toBe('deezer');
    expect(replay.requests.length).toBe(before);
  });

  it('looks recordings up by ISRC, whatever the spelling, and refuses what is not an ISRC before asking anyone', async () => {
    const isrc = 'USGF19942501';
    const entry = loadIndex('musicbrainz').find((e) => e.request.url.includes(`/isrc/${isrc}`))!;
    const { body } = await gateway.query(`query Isrc($isrc: String!) { tracksByIsrc(isrc: $isrc, source: "musicbrainz") { id title isrcs } }`, { isrc: 'us-gf1-99-42501' });
    expect(body.errors).toBeUndefined();
    const tracks = body.data.tracksByIsrc as { title: string; isrcs: string[] }[];
    const expected = (readRecordingJson('musicbrainz', entry.file) as { recordings: unknown[] }).recordings.length;
    expect(tracks).toHaveLength(expected);
    for (const track of tracks) {
      expect(track.title).toMatch(/Smells Like Teen Spirit/);
      expect(track.isrcs).toContain(isrc);
    }
    const before = replay.requests.length;
    const bad = await gateway.query(`query Isrc($isrc: String!) { tracksByIsrc(isrc: $isrc) { id } }`, { isrc: 'US-123' });
    expect(bad.body.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(replay.requests.length).toBe(before);
  });

  it('looks releases up by barcode and refuses a barcode whose check digit is wrong', async () => {
    const { body } = await gateway.query(`{ albumsByBarcode(barcode: "196589221285", source: "deezer") { id title barcode } }`);
    expect(body.errors).toBeUndefined();
    const recordedAlbum = readRecordingJson('deezer', 'album-upc-196589221285-elvis-soundtrack-2025.json') as { id: number; title: string };
    expect(body.data.albumsByBarcode).toEqual([{ id: `deezer:album:${recordedAlbum.id}`, title: recordedAlbum.title, barcode: '196589221285' }]);
    const bad = await gateway.query(`{ albumsByBarcode(barcode: "196589221286") { id } }`);
    expect(bad.body.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
  });

  it('resolves a link of a known source into its entity, never fetching the link, and refuses other hosts', async () => {
    const { body } = await gateway.query(`{ resolveUrl(url: "https://www.deezer.com/es/track/3135556?utm_source=x") { __typename id ... on Track { title artist } } }`);
    expect(body.errors).toBeUndefined();
    const hbfs = readRecordingJson('deezer', 'track-3135556-harder-better-faster-stronger-2019.json') as { title: string };
    expect(body.data.resolveUrl).toEqual({ __typename: 'Track', id: 'deezer:track:3135556', title: hbfs.title, artist: 'Daft Punk' });
    expect(replay.count('www.deezer.com')).toBe(0);
    for (const url of ['https://example.org/track/1', 'ftp://www.deezer.com/track/3135556', 'not a url']) {
      const refused = await gateway.query(`query R($url: String!) { resolveUrl(url: $url) { id } }`, { url });
      expect(refused.body.errors![0]!.extensions!.code, url).toBe('BAD_USER_INPUT');
    }
    expect(replay.count('example.org')).toBe(0);
  });

  it('answers null for an id its source does not have, in node and in nodes', async () => {
    replay.route('GET', 'https://api.deezer.com/track/1', { body: JSON.stringify({ error: { type: 'DataException', message: 'no data', code: 800 } }) });
    const { body } = await gateway.query(`{ node(id: "deezer:track:1") { id } nodes(ids: ["deezer:track:3135556", "deezer:track:1"]) { id } }`);
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ node: null, nodes: [{ id: 'deezer:track:3135556' }, null] });
  });
});
