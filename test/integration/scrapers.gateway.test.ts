import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSoundcloudProvider } from '../../src/providers/soundcloud/index.js';
import { startReplayServer, type ReplayServer } from '../support/replayServer.js';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { readRecordingJson, skipWithoutRecordings } from '../support/recordings.js';

/** A scraped source end to end: GraphQL paging over its real recorded pages. */
describe.skipIf(skipWithoutRecordings('soundcloud'))('gateway on recorded SoundCloud answers', () => {
  let replay: ReplayServer;
  let gateway: TestGateway;

  beforeAll(async () => {
    replay = await startReplayServer({ sources: ['soundcloud'] });
    gateway = await startGateway({ factories: [createSoundcloudProvider], replay });
  });
  afterAll(async () => {
    await gateway.close();
    await replay.close();
  });

  it('pages a search with Relay cursors that stay on the source', async () => {
    const first = readRecordingJson('soundcloud', 'search-tracks-lill-uzi-vert-offset0.json');
    const second = readRecordingJson('soundcloud', 'search-tracks-lill-uzi-vert-offset10.json');
    const QUERY = `query($after: String) {
      searchTracks(query: "lill uzi vert", first: 10, after: $after, source: "soundcloud") {
        source totalCount pageInfo { hasNextPage endCursor } nodes { id title duration playbackUrl downloads { format available reason } }
      }
    }`;
    const page1 = (await gateway.query(QUERY)).body.data.searchTracks;
    expect(page1.source).toBe('soundcloud');
    expect(page1.totalCount).toBe(first.total_results);
    expect(page1.nodes.map((n: any) => n.title)).toEqual(first.collection.map((t: any) => t.title));
    expect(page1.nodes.map((n: any) => n.duration)).toEqual(first.collection.map((t: any) => Math.round(t.full_duration / 1000)));
    expect(page1.pageInfo.hasNextPage).toBe(true);

    const page2 = (await gateway.query(QUERY, { after: page1.pageInfo.endCursor })).body.data.searchTracks;
    expect(page2.nodes.map((n: any) => n.id)).toEqual(second.collection.map((t: any) => `soundcloud:track:${t.id}`));
    // Nothing on the second page repeats the first.
    const seen = new Set(page1.nodes.map((n: any) => n.id));
    expect(page2.nodes.some((n: any) => seen.has(n.id))).toBe(false);
    // A stream is never offered as a download.
    for (const node of [...page1.nodes, ...page2.nodes]) {
      for (const option of node.downloads) if (!option.available) expect(option.reason).toMatch(/NOT_LICENSED|SOURCE_UNAVAILABLE/);
    }
  });
});
