import type { Track } from '../../domain/types.js';
import { SourceError } from '../../errors/source.js';
import { clockToSeconds, seconds, text } from '../shared/parse.js';
import { dig, digArray, digString, isRecord, unwrap } from './dig.js';
import { imageSetOf, thumbnailsOf } from './images.js';
import { artistId, videoTrack, type DriftReporter } from './items.js';
import { readSubtitle, runsOf, runsText, SOURCE } from './runs.js';

/**
 * One video as a track, read from the two answers the web player gets when it opens
 * `music.youtube.com/watch?v=…`:
 *
 * - `next` (the watch queue): the asked video is the queue's first, `selected` entry, with its
 *   byline `Artist • Album • Year`, its length and its square cover: everything a track needs.
 *   When the asked id is a music video whose audio-only twin YouTube Music prefers, the twin is
 *   the entry and the asked video its `counterpart`.
 * - `player` (`videoDetails`): title, channel, length and stills of any playable video, but no
 *   album. Read only when the queue does not hold the asked video.
 */

const WATCH_LAYOUT = ['contents', 'singleColumnMusicWatchNextResultsRenderer'] as const;
const PANEL_VIDEO = 'playlistPanelVideoRenderer';

/** Which music video types are the artist's own channel (audio track or official video), not a fan upload. */
const OFFICIAL_VIDEO_TYPES = new Set(['MUSIC_VIDEO_TYPE_ATV', 'MUSIC_VIDEO_TYPE_OMV']);

/** Refuses (before caching) a `next` answer without the watch layout. */
export function expectWatchNext(body: unknown): void {
  if (!isRecord(dig(body, ...WATCH_LAYOUT))) {
    throw new SourceError(SOURCE, 'BAD_RESPONSE', 'unrecognised next response: no watch-next layout');
  }
}

/** Refuses (before caching) a `player` answer that does not say whether the video plays. */
export function expectPlayer(body: unknown): void {
  if (!isRecord(dig(body, 'playabilityStatus'))) {
    throw new SourceError(SOURCE, 'BAD_RESPONSE', 'unrecognised player response: no playabilityStatus');
  }
}

function queueEntries(body: unknown): unknown[] {
  const tabs = digArray(body, ...WATCH_LAYOUT, 'tabbedRenderer', 'watchNextTabbedResultsRenderer', 'tabs');
  for (const tab of tabs) {
    const entries = digArray(tab, 'tabRenderer', 'content', 'musicQueueRenderer', 'content', 'playlistPanelRenderer', 'contents');
    if (entries.length > 0) return entries;
  }
  return [];
}

/** The panel renderers of one queue entry: the entry itself, then its counterparts (the other version). */
function panelVideos(entry: unknown): Record<string, unknown>[] {
  const plain = unwrap(entry, PANEL_VIDEO);
  if (plain) return [plain];
  const wrapper = unwrap(entry, 'playlistPanelVideoWrapperRenderer');
  const primary = unwrap(dig(wrapper, 'primaryRenderer'), PANEL_VIDEO);
  const counterparts = digArray(wrapper, 'counterpart')
    .map((counterpart) => unwrap(dig(counterpart, 'counterpartRenderer'), PANEL_VIDEO))
    .filter(isRecord);
  return primary ? [primary, ...counterparts] : counterparts;
}

/**
 * The asked video from a `next` answer, with `id` as its global id; null when the queue does
 * not hold it (the caller then asks `player`).
 */
export function trackFromWatchNext(body: unknown, videoId: string, id: string, report: DriftReporter): Track | null {
  const video = queueEntries(body)
    .flatMap(panelVideos)
    .find((candidate) => digString(candidate, 'videoId') === videoId);
  if (!video) return null;
  const title = runsText(dig(video, 'title'));
  if (!title) {
    report('watch.title');
    return null;
  }
  const byline = readSubtitle(runsOf(dig(video, 'longBylineText')));
  if (byline.artists.length === 0) report('watch.artists');
  const durationSec = clockToSeconds(runsText(dig(video, 'lengthText')));
  if (durationSec === null) report('watch.duration');
  const cover = imageSetOf(thumbnailsOf(dig(video, 'thumbnail')));
  if (!cover) report('watch.cover');
  return videoTrack({ id, videoId, title, artists: byline.artists, album: byline.album, durationSec, releaseDate: byline.year, trackNumber: null, cover });
}

/**
 * The asked video from a `player` answer. A video YouTube says does not exist (or was removed)
 * is NOT_FOUND; one that exists but will not play here (region, age) is still a known track.
 */
export function trackFromPlayer(body: unknown, videoId: string, id: string, report: DriftReporter): Track {
  const status = digString(body, 'playabilityStatus', 'status');
  const details = dig(body, 'videoDetails');
  if (!isRecord(details) || digString(details, 'videoId') !== videoId) {
    throw new SourceError(SOURCE, 'NOT_FOUND', `no YouTube video ${videoId} (${status ?? 'no status'})`);
  }
  const title = text(details.title);
  if (!title) {
    report('player.title');
    throw new SourceError(SOURCE, 'BAD_RESPONSE', `player ${videoId}: video without a title`);
  }
  // Topic channels are named "<Artist> - Topic"; the credit is the artist.
  const author = text(digString(details, 'author')?.replace(/\s+-\s+Topic$/, ''));
  const channelId = digString(details, 'channelId');
  // The channel is the artist's own only for audio tracks and official videos; a fan upload's channel is just the uploader.
  const official = OFFICIAL_VIDEO_TYPES.has(digString(details, 'musicVideoType') ?? '');
  const artists = author ? [{ id: official && channelId ? artistId(channelId) : null, name: author }] : [];
  if (!author) report('player.author');
  const stills = [...thumbnailsOf(dig(details, 'thumbnail')), ...thumbnailsOf(dig(body, 'microformat', 'microformatDataRenderer', 'thumbnail'))];
  return videoTrack({
    id,
    videoId,
    title,
    artists,
    album: null,
    durationSec: seconds(details.lengthSeconds),
    // The video's publishing date is not the recording's release date, so none is given.
    releaseDate: null,
    trackNumber: null,
    cover: imageSetOf(stills),
  });
}
