import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBandcampProvider } from '../../../src/providers/bandcamp/index.js';
import { createSoundcloudProvider } from '../../../src/providers/soundcloud/index.js';
import { createYouTubeMusicProvider } from '../../../src/providers/youtubemusic/index.js';
import { startGateway, type TestGateway } from '../../support/gateway.js';
import { readRecording, skipWithoutRecordings } from '../../support/recordings.js';
import { startReplayServer, type ReplayServer } from '../../support/replayServer.js';

/**
 * (Track.album is not asked: the API opens the album itself, and that album's page is not recorded.)
 *
 * Issue 13 §5 through the API: the scraped sources' ids and links open as the web client opens
 * them (`node`, `track`, `resolveUrl`), and issue 9: a typed Bandcamp custom domain is simply
 * not there, with nothing sent.
 */

const NODE = `query($id: ID!) { node(id: $id) { id ... on Track { title source artists { id name } } ... on Artist { name } } }`;
const RESOLVE = `query($url: String!) { resolveUrl(url: $url) { id ... on Track { title } ... on Artist { name } } }`;

describe.skipIf(skipWithoutRecordings('youtubemusic', 'soundcloud', 'bandcamp'))('scraped sources through the API', () => {
  let replay: ReplayServer;
  let gateway: TestGateway;

  beforeAll(async () => {
    replay = await startReplayServer({ sources: ['youtubemusic', 'soundcloud', 'bandcamp'], extraHosts: ['lorangeproductions.com'] });
    gateway = await startGateway({ factories: [createYouTubeMusicProvider, createSoundcloudProvider, createBandcampProvider], replay });
  });
  afterAll(async () => {
    await gateway.close();
    await replay.close();
  });

  it('a YouTube Music song id from a search opens as a track (node and track)', async () => {
    const { body } = await gateway.query(NODE, { id: 'youtubemusic:song:lYBUbBu4W08' });
    expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
    expect(body.data.node).toMatchObject({ id: 'youtubemusic:song:lYBUbBu4W08', title: 'Never Gonna Give You Up', source: 'youtubemusic' });
    expect(body.data.node.artists[0].id).toMatch(/^youtubemusic:artist:UC/);
    const track = await gateway.query(`{ track(id: "youtubemusic:song:lYBUbBu4W08") { id title duration } }`);
    expect(track.body.errors, JSON.stringify(track.body.errors)).toBeUndefined();
    expect(track.body.data.track).toMatchObject({ id: 'youtubemusic:song:lYBUbBu4W08', duration: 214 });
  });

  it('a YouTube Music link resolves without being fetched', async () => {
    const before = replay.requests.length;
    const { body } = await gateway.query(RESOLVE, { url: 'https://music.youtube.com/watch?v=lYBUbBu4W08&list=RDAMVMlYBUbBu4W08' });
    expect(body.errors).toBeUndefined();
    expect(body.data.resolveUrl).toMatchObject({ id: 'youtubemusic:song:lYBUbBu4W08', title: 'Never Gonna Give You Up' });
    // Served from the cache of the first test: the link itself is never asked for.
    expect(replay.requests.slice(before).filter((request) => request.path === '/watch')).toHaveLength(0);
  });

  it('a SoundCloud track link resolves through /resolve to the numeric id', async () => {
    const { body } = await gateway.query(RESOLVE, { url: 'https://soundcloud.com/martinsolveig/places' });
    expect(body.errors).toBeUndefined();
    const recorded = JSON.parse(readRecording('soundcloud', 'resolve-track-martinsolveig-places-go-plus.json'));
    expect(body.data.resolveUrl).toMatchObject({ id: `soundcloud:track:${recorded.id}`, title: recorded.title });
  });

  it('a SoundCloud user link resolves to the artist (each permalink kind names one entity)', async () => {
    // Recorded on api-widget.soundcloud.com; the object is the one api-v2 /resolve returns.
    replay.route('GET', `https://api-v2.soundcloud.com/resolve?url=${encodeURIComponent('https://soundcloud.com/dubmatix')}`, {
      body: readRecording('soundcloud', 'resolve-widget-user-dubmatix.json'),
    });
    const { body } = await gateway.query(RESOLVE, { url: 'https://soundcloud.com/dubmatix/tracks' });
    expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
    const recorded = JSON.parse(readRecording('soundcloud', 'resolve-widget-user-dubmatix.json'));
    expect(body.data.resolveUrl).toEqual({ id: `soundcloud:user:${recorded.id}`, name: recorded.username });
  });

  it('a typed Bandcamp custom domain is no node, and nothing is sent', async () => {
    const before = replay.requests.length;
    const { body } = await gateway.query(NODE, { id: 'bandcamp:artist:lorangeproductions.com' });
    expect(body.errors).toBeUndefined();
    expect(body.data.node).toBeNull();
    const artist = await gateway.query(`{ artist(id: "bandcamp:artist:metadata.google.internal") { name } }`);
    expect(artist.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(replay.requests.slice(before)).toHaveLength(0);
  });
});
