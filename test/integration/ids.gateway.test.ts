import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppleProvider } from '../../src/providers/apple/index.js';
import { createCoverArtArchiveProvider } from '../../src/providers/coverartarchive/index.js';
import { createDeezerProvider } from '../../src/providers/deezer/index.js';
import { createMusicBrainzProvider } from '../../src/providers/musicbrainz/index.js';
import { createYouTubeMusicProvider } from '../../src/providers/youtubemusic/index.js';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { readRecording, skipWithoutRecordings } from '../support/recordings.js';
import { sourceDown, startReplayServer, type ReplayServer } from '../support/replayServer.js';

/**
 * Every id the gateway hands out resolves through `node` (issue 13 §5). Real answers (a
 * MusicBrainz release with its tracks and credits, Deezer tracks, albums and the chart, Apple's
 * chart, a YouTube Music search) are asked through GraphQL; every id in them is then asked back
 * through `nodes` with the sources down. An id the gateway handed out may find its source down
 * (SOURCES_UNAVAILABLE) or gone (null), but is never refused as not an id of its kind.
 */
const QUERIES = [
  `{ album(id: "musicbrainz:release:c9d52105-5c20-3216-bc1b-e54918f8f688") { id artists { id } tracks { id artists { id } album { id } } } }`,
  `{ track(id: "deezer:track:3135556") { id artists { id } album { id } } album(id: "deezer:album:302127") { id artists { id } tracks { id artists { id } } } }`,
  `{ chart(source: "deezer", first: 10) { entries { track { id artists { id } } } } }`,
  `{ chart(country: "US", source: "apple", first: 20) { entries { track { id artists { id } } } } }`,
  `{ searchTracks(query: "mocromaniac", source: "youtubemusic", first: 10) { nodes { id artists { id } } } }`,
];

function idsIn(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((item) => idsIn(item, found));
  else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key === 'id' && typeof child === 'string') found.add(child);
      else idsIn(child, found);
    }
  }
  return found;
}

describe.skipIf(skipWithoutRecordings('musicbrainz', 'deezer', 'apple', 'youtubemusic'))('every id the gateway hands out resolves', () => {
  let replay: ReplayServer;
  let gateway: TestGateway;

  beforeAll(async () => {
    replay = await startReplayServer({ sources: ['musicbrainz', 'deezer', 'apple', 'youtubemusic', 'coverartarchive'], includeSubsetParams: ['inc'] });
    gateway = await startGateway({
      factories: [createMusicBrainzProvider, createDeezerProvider, createAppleProvider, createYouTubeMusicProvider, createCoverArtArchiveProvider],
      replay,
      env: { BREAKER_THRESHOLD: '1000', HEDGE_DELAY_MS: '0', UPSTREAM_RETRIES: '0', MUSICBRAINZ_RPS: '50' },
    });
  });
  afterAll(async () => {
    await gateway.close();
    await replay.close();
  });

  it('asks each id back through nodes: never refused as a malformed or unknown kind', async () => {
    // Meteora was recorded with every include: a superset of what the release lookup asks.
    replay.intercept((request, response) => {
      if (request.path !== '/ws/2/release/c9d52105-5c20-3216-bc1b-e54918f8f688') return false;
      response.writeHead(200, { 'content-type': 'application/json' }).end(readRecording('musicbrainz', 'release-lookup-c9d52105-inc-everything.json'));
      return true;
    });
    // Deezer's chart was recorded without a limit; the gateway always sends one.
    replay.intercept((request, response) => {
      if (request.host !== 'api.deezer.com' || request.path !== '/chart/0/tracks') return false;
      response.writeHead(200, { 'content-type': 'application/json' }).end(readRecording('deezer', 'chart-0-tracks-2019.json'));
      return true;
    });
    const ids = new Set<string>();
    for (const query of QUERIES) {
      const { body } = await gateway.query(query);
      expect(body.errors, query).toBeUndefined();
      idsIn(body.data, ids);
    }
    expect(ids.size).toBeGreaterThan(40);
    // What was not recorded is a source that is down: lookups reach upstream and fail there.
    replay.fallback(sourceDown);
    // The rule is about kinds of ids: three of each `source:kind` (sources' own paces stay real).
    const byKind = new Map<string, string[]>();
    for (const id of ids) {
      const kind = id.split(':').slice(0, 2).join(':');
      byKind.set(kind, [...(byKind.get(kind) ?? []), id]);
    }
    expect([...byKind.keys()].sort()).toEqual(
      expect.arrayContaining(['apple:song', 'deezer:album', 'deezer:artist', 'deezer:track', 'musicbrainz:artist', 'musicbrainz:recording', 'musicbrainz:release', 'youtubemusic:song']),
    );
    const all = [...byKind.values()].flatMap((list) => list.slice(0, 3));
    for (let start = 0; start < all.length; start += 50) {
      const batch = all.slice(start, start + 50);
      const { body } = await gateway.query(`query Back($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: batch });
      const refused = (body.errors ?? []).filter((error) => error.extensions?.code === 'BAD_USER_INPUT');
      expect(refused.map((error) => error.message)).toEqual([]);
      body.data.nodes.forEach((node: { id: string } | null, i: number) => {
        if (node) expect(node.id).toBe(batch[i]);
      });
    }
  });
});
