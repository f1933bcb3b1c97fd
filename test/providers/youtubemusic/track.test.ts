import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createYouTubeMusicProvider } from '../../../src/providers/youtubemusic/index.js';
import { trackFromPlayer, trackFromWatchNext } from '../../../src/providers/youtubemusic/watch.js';
import { replayProvider, sourceErrorOf, type ReplayHarness } from '../../support/providerHarness.js';
import { readRecording, readRecordingJson, skipWithoutRecordings } from '../../support/recordings.js';
import { atSize, bodyOf, clockSeconds, recording, SOURCE, type Raw } from './recorded.js';

/**
 * `track` for song and video ids, replayed from the genuine `next` (watch queue) and `player`
 * answers. Expected values are read out of the recordings with plain property access.
 */

const NEXT = 'next-watch-playlist-lYBUbBu4W08.json';
const PLAYER = 'player-FZ8BxMU3BYc.json';
const ignore = () => undefined;

/** The queue's entries as panel renderers, unwrapped by hand. */
function queue(raw: Raw): Raw[] {
  const panel = raw.contents.singleColumnMusicWatchNextResultsRenderer.tabbedRenderer.watchNextTabbedResultsRenderer.tabs[0].tabRenderer.content
    .musicQueueRenderer.content.playlistPanelRenderer;
  return panel.contents.map((entry: Raw) => entry.playlistPanelVideoWrapperRenderer ?? { primaryRenderer: entry });
}

const widest = (thumbnails: Raw[]) => thumbnails.reduce((a, b) => (b.width > a.width ? b : a));

describe.skipIf(skipWithoutRecordings(SOURCE))('YouTube Music track lookup', () => {
  let h: ReplayHarness;
  beforeEach(async () => {
    h = await replayProvider(createYouTubeMusicProvider, { sources: [SOURCE] });
  });
  afterEach(() => h.close());

  it('reads a song from its watch queue: title, credits, album, year, length and cover, in one request', async () => {
    const raw = recording(NEXT);
    const entry = queue(raw)[0].primaryRenderer.playlistPanelVideoRenderer;
    const byline: Raw[] = entry.longBylineText.runs;
    const artistRun = byline.find((run) => run.navigationEndpoint?.browseEndpoint?.browseId?.startsWith('UC'))!;
    const albumRun = byline.find((run) => run.navigationEndpoint?.browseEndpoint?.browseId?.startsWith('MPREb_'))!;

    const track = await h.provider.track!({ kind: 'song', id: 'lYBUbBu4W08' }, h.ctx);

    expect(entry.selected).toBe(true);
    expect(track).toMatchObject({
      id: 'youtubemusic:song:lYBUbBu4W08',
      source: 'youtubemusic',
      title: entry.title.runs[0].text,
      artists: [{ id: `youtubemusic:artist:${artistRun.navigationEndpoint.browseEndpoint.browseId}`, name: artistRun.text }],
      album: { id: `youtubemusic:album:${albumRun.navigationEndpoint.browseEndpoint.browseId}`, title: albumRun.text },
      releaseDate: byline[byline.length - 1].text,
      durationSec: clockSeconds(entry.lengthText.runs[0].text),
      playbackUrl: 'https://music.youtube.com/watch?v=lYBUbBu4W08',
      download: { allowed: false, reason: 'NOT_LICENSED', detail: { en: 'streams are never ripped', es: 'nunca se graban las emisiones' } },
    });
    expect(track.cover?.large).toBe(atSize(widest(entry.thumbnail.thumbnails).url, 1200));

    // The request is the recorded one (the song's radio queue), and `player` is not needed.
    expect(h.server.requests).toHaveLength(1);
    const sent = bodyOf(h.server.requests[0]!);
    expect(h.server.requests[0]!.path).toBe('/youtubei/v1/next');
    const { context: _context, ...recordedRequest } = readRecordingJson(SOURCE, 'next-watch-playlist-lYBUbBu4W08.request.json');
    expect(sent).toEqual({ ...recordedRequest, context: sent.context });
    expect(sent.context.client.clientName).toBe('WEB_REMIX');
  });

  it('keeps the kind it was asked by, so the same video reached through a youtube.com link keeps its id', async () => {
    const track = await h.provider.track!({ kind: 'video', id: 'lYBUbBu4W08' }, h.ctx);
    expect(track.id).toBe('youtubemusic:video:lYBUbBu4W08');
  });

  it('asks the player when the queue does not hold the asked video, and reads videoDetails', async () => {
    // The recorded queue (of another video) stands for a queue without this one.
    h.server.intercept((request, response) => {
      if (request.path !== '/youtubei/v1/next' || bodyOf(request).videoId !== 'FZ8BxMU3BYc') return false;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(readRecording(SOURCE, NEXT));
      return true;
    });
    const details = recording(PLAYER).videoDetails;
    const track = await h.provider.track!({ kind: 'video', id: 'FZ8BxMU3BYc' }, h.ctx);
    expect(track).toMatchObject({
      id: 'youtubemusic:video:FZ8BxMU3BYc',
      title: details.title,
      artists: [{ id: `youtubemusic:artist:${details.channelId}`, name: details.author }],
      album: null,
      releaseDate: null,
      durationSec: Number(details.lengthSeconds),
      playbackUrl: 'https://music.youtube.com/watch?v=FZ8BxMU3BYc',
    });
    expect(details.musicVideoType).toBe('MUSIC_VIDEO_TYPE_OMV');
    // A wide video still: picked by width from the listed sizes (no square resizing).
    expect(track.cover?.large).toBe(recording(PLAYER).microformat.microformatDataRenderer.thumbnail.thumbnails[0].url);
    expect(h.server.requests.map((request) => request.path)).toEqual(['/youtubei/v1/next', '/youtubei/v1/player']);
    expect(bodyOf(h.server.requests[1]!).videoId).toBe('FZ8BxMU3BYc');
  });

  it('refuses ids that cannot be video ids without asking the site', async () => {
    for (const ref of [
      { kind: 'song', id: 'lYBUbBu4W0' },
      { kind: 'song', id: 'MPREb_dcYZhAh5urI' },
      { kind: 'album', id: 'lYBUbBu4W08' },
    ]) {
      expect((await sourceErrorOf(h.provider.track!(ref, h.ctx))).kind).toBe('NOT_FOUND');
    }
    expect(h.server.requests).toHaveLength(0);
  });

  it('a next answer of another layout is BAD_RESPONSE and is not cached', async () => {
    let served = 0;
    h.server.intercept((request, response) => {
      if (request.path !== '/youtubei/v1/next') return false;
      served += 1;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(readRecording(SOURCE, 'get-search-suggestions-empty-input.json'));
      return true;
    });
    for (let i = 0; i < 2; i += 1) expect((await sourceErrorOf(h.provider.track!({ kind: 'song', id: 'lYBUbBu4W08' }, h.ctx))).kind).toBe('BAD_RESPONSE');
    expect(served).toBe(2);
  });
});

describe.skipIf(skipWithoutRecordings(SOURCE))('watch answers, parsed', () => {
  it('reads the asked music video from the counterpart of its audio-only twin', () => {
    const raw = recording(NEXT);
    const counterpart = queue(raw)[0].counterpart[0].counterpartRenderer.playlistPanelVideoRenderer;
    const track = trackFromWatchNext(raw, counterpart.videoId, `youtubemusic:video:${counterpart.videoId}`, ignore)!;
    expect(counterpart.videoId).toBe('dQw4w9WgXcQ');
    expect(track.title).toBe(counterpart.title.runs[0].text);
    // The video's byline is "Rick Astley • 1.6B views • 18M likes": an unlinked credit, no album.
    expect(track.artists).toEqual([{ id: null, name: counterpart.longBylineText.runs[0].text }]);
    expect(track.album).toBeNull();
    expect(track.durationSec).toBe(clockSeconds(counterpart.lengthText.runs[0].text));
  });

  it('credits a fan upload to its channel by name only (the channel is not an artist page)', () => {
    const raw = recording(NEXT);
    const upload = queue(raw)
      .map((entry) => entry.primaryRenderer.playlistPanelVideoRenderer)
      .find((video) => video.navigationEndpoint.watchEndpoint.watchEndpointMusicSupportedConfigs.watchEndpointMusicConfig.musicVideoType === 'MUSIC_VIDEO_TYPE_UGC');
    const track = trackFromWatchNext(raw, upload.videoId, `youtubemusic:song:${upload.videoId}`, ignore)!;
    expect(upload.longBylineText.runs[0].navigationEndpoint.browseEndpoint.browseEndpointContextSupportedConfigs.browseEndpointContextMusicConfig.pageType).toBe(
      'MUSIC_PAGE_TYPE_USER_CHANNEL',
    );
    expect(track.artists).toEqual([{ id: null, name: upload.longBylineText.runs[0].text }]);
  });

  it('a video the player says does not exist is NOT_FOUND', () => {
    // The player's answer for a removed video: a status and no videoDetails.
    const raw = readRecordingJson(SOURCE, PLAYER);
    const removed = { responseContext: raw.responseContext, playabilityStatus: { status: 'ERROR', reason: 'Video unavailable' } };
    expect(() => trackFromPlayer(removed, 'FZ8BxMU3BYc', 'youtubemusic:video:FZ8BxMU3BYc', ignore)).toThrow(expect.objectContaining({ kind: 'NOT_FOUND' }));
  });
});
