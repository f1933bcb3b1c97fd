import { formatGlobalId } from '../../domain/ids.js';
import { bilingual } from '../../domain/text.js';
import type { Album, AlbumRef, Artist, ArtistCredit, DownloadPermission, ImageSet, Track } from '../../domain/types.js';
import { clockToSeconds, num } from '../shared/parse.js';
import { dig, digArray, digString, unwrap } from './dig.js';
import { imageSetOf, thumbnailsOf } from './images.js';
import { PAGE_TYPE } from './types.js';
import { albumTypeOfLabel, isAlbumLink, isArtistLink, linkOf, readSubtitle, runsOf, runsText, SOURCE } from './runs.js';

/**
 * Item renderers shared by search results, album pages, artist pages and chart playlists,
 * turned into domain objects. A missing optional field becomes null and is reported through
 * `report` (the provider logs each field name once); an item without its identity (title and
 * id) is left out, because nothing useful can be shown for it.
 */

/** Called with a field name (`track.duration`) when a field the parser expects is missing. */
export type DriftReporter = (field: string) => void;

export const WATCH_URL = 'https://music.youtube.com/watch?v=';
export const BROWSE_URL = 'https://music.youtube.com/browse/';
export const CHANNEL_URL = 'https://music.youtube.com/channel/';

/** Streams are never ripped: YouTube Music offers no download its terms would license. */
export const NO_DOWNLOAD: DownloadPermission = {
  allowed: false,
  reason: 'NOT_LICENSED',
  detail: bilingual('streams are never ripped', 'nunca se graban las emisiones'),
};

/** A YouTube video id: 11 characters of the URL-safe base64 alphabet. */
export const VIDEO_ID = /^[A-Za-z0-9_-]{11}$/;

/**
 * Track id kinds: `song` is what every list (search, album, chart, watch queue) hands out;
 * `video` names the same video id reached through a youtube.com link. Both play at
 * music.youtube.com/watch?v=… and are looked up the same way.
 */
export const TRACK_KINDS = ['song', 'video'] as const;
export type TrackKind = (typeof TRACK_KINDS)[number];

export const songId = (videoId: string, kind: TrackKind = 'song') => formatGlobalId(SOURCE, kind, videoId);
export const albumId = (browseId: string) => formatGlobalId(SOURCE, 'album', browseId);
export const artistId = (channelId: string) => formatGlobalId(SOURCE, 'artist', channelId);

const LIST_ITEM = 'musicResponsiveListItemRenderer';
const TWO_ROW_ITEM = 'musicTwoRowItemRenderer';

function flexColumns(item: Record<string, unknown>): unknown[] {
  return digArray(item, 'flexColumns').map((column) => dig(column, 'musicResponsiveListItemFlexColumnRenderer', 'text'));
}

function fixedColumns(item: Record<string, unknown>): unknown[] {
  return digArray(item, 'fixedColumns').map((column) => dig(column, 'musicResponsiveListItemFixedColumnRenderer', 'text'));
}

function thumbnailOf(item: Record<string, unknown>): ImageSet | null {
  const holder = dig(item, 'thumbnail', 'musicThumbnailRenderer', 'thumbnail') ?? dig(item, 'thumbnailRenderer', 'musicThumbnailRenderer', 'thumbnail');
  return imageSetOf(thumbnailsOf(holder));
}

function videoIdOf(item: Record<string, unknown>, columns: unknown[]): string | null {
  return (
    digString(item, 'playlistItemData', 'videoId') ??
    runsOf(columns[0]).map((run) => linkOf(run).videoId).find((id) => id !== null) ??
    digString(item, 'overlay', 'musicItemThumbnailOverlayRenderer', 'content', 'musicPlayButtonRenderer', 'playNavigationEndpoint', 'watchEndpoint', 'videoId') ??
    null
  );
}

/** The item's own browse link (album, artist, playlist), else the link on its title. */
function browseLinkOf(item: Record<string, unknown>, titleObject: unknown) {
  const own = linkOf({ navigationEndpoint: dig(item, 'navigationEndpoint') });
  if (own.browseId) return own;
  return runsOf(titleObject).map(linkOf).find((link) => link.browseId !== null) ?? own;
}

export interface TrackDefaults {
  /** Album the track belongs to (album pages), used when the row does not name one. */
  album?: AlbumRef | null;
  artists?: ArtistCredit[];
  cover?: ImageSet | null;
  releaseDate?: string | null;
  /** Rows of album pages carry no picture of their own: do not report its absence. */
  coverExpected?: boolean;
}

export interface ParsedTrackRow {
  track: Track;
  /** Rank in a chart (`customIndexColumn`), when the row has one. */
  rank: number | null;
}

/** A `musicResponsiveListItemRenderer` row that plays a song or video. */
export function trackFromRow(wrapper: unknown, report: DriftReporter, defaults: TrackDefaults = {}): ParsedTrackRow | null {
  const item = unwrap(wrapper, LIST_ITEM);
  if (!item) return null;
  const columns = flexColumns(item);
  const title = runsText(columns[0]);
  const videoId = videoIdOf(item, columns);
  if (!title) report('track.title');
  if (!videoId) report('track.videoId');
  if (!title || !videoId) return null;

  // Column 1 names the artists (and, in search results, album and duration); later columns hold
  // the album (playlists) or a play counter (album pages).
  const credits = readSubtitle(runsOf(columns[1]));
  let album: AlbumRef | null = credits.album;
  let durationSec = credits.durationSec;
  for (const column of columns.slice(2)) {
    const later = readSubtitle(runsOf(column));
    album ??= later.album;
    durationSec ??= later.durationSec;
  }
  for (const column of fixedColumns(item)) durationSec ??= clockToSeconds(runsText(column));
  if (durationSec === null) report('track.duration');

  const artists = credits.artists.length > 0 ? credits.artists : (defaults.artists ?? []);
  if (artists.length === 0) report('track.artists');

  let cover = thumbnailOf(item);
  if (!cover && defaults.coverExpected !== false) report('track.cover');
  cover ??= defaults.cover ?? null;

  const track = videoTrack({
    id: songId(videoId),
    videoId,
    title,
    artists,
    album: album ?? defaults.album ?? null,
    durationSec,
    releaseDate: credits.year ?? defaults.releaseDate ?? null,
    trackNumber: num(runsText(dig(item, 'index'))),
    cover,
  });
  return { track, rank: num(runsText(dig(item, 'customIndexColumn', 'musicCustomIndexColumnRenderer', 'text'))) };
}

/** What a list row or a watch answer says about a video; the rest of a Track is the same for all. */
export interface VideoFacts {
  id: string;
  videoId: string;
  title: string;
  artists: ArtistCredit[];
  album: AlbumRef | null;
  durationSec: number | null;
  releaseDate: string | null;
  trackNumber: number | null;
  cover: ImageSet | null;
}

export function videoTrack(facts: VideoFacts): Track {
  return {
    id: facts.id,
    source: SOURCE,
    title: facts.title,
    artists: facts.artists,
    album: facts.album,
    durationSec: facts.durationSec,
    releaseDate: facts.releaseDate,
    isrc: null,
    trackNumber: facts.trackNumber,
    discNumber: null,
    cover: facts.cover,
    playbackUrl: `${WATCH_URL}${facts.videoId}`,
    previewUrl: null,
    license: null,
    download: NO_DOWNLOAD,
    genres: [],
    links: [],
  };
}

/**
 * A search row that opens an album or artist page: its title (first column) and browse id, each
 * reported as drift when missing (`album.title`, `artist.name`, `<entity>.browseId`); null
 * without both.
 */
function browseRow(wrapper: unknown, entity: 'album' | 'artist', titleField: string, report: DriftReporter) {
  const item = unwrap(wrapper, LIST_ITEM);
  if (!item) return null;
  const columns = flexColumns(item);
  const title = runsText(columns[0]);
  const link = browseLinkOf(item, columns[0]);
  const isEntityLink = entity === 'album' ? isAlbumLink : isArtistLink;
  const browseId = link.browseId && isEntityLink(link) ? link.browseId : null;
  if (!title) report(`${entity}.${titleField}`);
  if (!browseId) report(`${entity}.browseId`);
  return title && browseId ? { item, columns, title, browseId } : null;
}

/** An album row of a search result (`Album • Axwell & Max'C • 2007`). */
export function albumFromRow(wrapper: unknown, report: DriftReporter): Album | null {
  const row = browseRow(wrapper, 'album', 'title', report);
  if (!row) return null;
  const subtitle = readSubtitle(runsOf(row.columns[1]));
  return albumFromParts({ browseId: row.browseId, title: row.title, subtitle, cover: thumbnailOf(row.item), report });
}

/** An album card of an artist page's carousel (`Single • 2026`, or only the year). */
export function albumFromCard(
  wrapper: unknown,
  report: DriftReporter,
  defaults: { artists: ArtistCredit[]; typeLabel: string | null },
): Album | null {
  const item = unwrap(wrapper, TWO_ROW_ITEM);
  if (!item) return null;
  const title = runsText(dig(item, 'title'));
  const link = browseLinkOf(item, dig(item, 'title'));
  if (!title || !link.browseId || !isAlbumLink(link)) return null;
  const subtitle = readSubtitle(runsOf(dig(item, 'subtitle')));
  if (subtitle.artists.length === 0) subtitle.artists = defaults.artists;
  subtitle.typeLabel ??= defaults.typeLabel;
  return albumFromParts({ browseId: link.browseId, title, subtitle, cover: thumbnailOf(item), report });
}

function albumFromParts(parts: {
  browseId: string;
  title: string;
  subtitle: ReturnType<typeof readSubtitle>;
  cover: ImageSet | null;
  report: DriftReporter;
}): Album {
  const { browseId, title, subtitle, cover, report } = parts;
  if (subtitle.artists.length === 0) report('album.artists');
  if (!cover) report('album.cover');
  return {
    id: albumId(browseId),
    source: SOURCE,
    title,
    artists: subtitle.artists,
    releaseDate: subtitle.year,
    cover,
    trackCount: null,
    tracks: null,
    genres: [],
    label: null,
    type: albumTypeOfLabel(subtitle.typeLabel),
    url: `${BROWSE_URL}${browseId}`,
  };
}

/** An artist row of a search result, or of a chart's "Top artists". */
export function artistFromRow(wrapper: unknown, report: DriftReporter): Artist | null {
  const row = browseRow(wrapper, 'artist', 'name', report);
  if (!row) return null;
  const photo = thumbnailOf(row.item);
  if (!photo) report('artist.photo');
  return artistShell(row.browseId, row.title, photo);
}

/** An artist card of a carousel ("Fans might also like"), as a credit. */
export function creditFromCard(wrapper: unknown): ArtistCredit | null {
  const item = unwrap(wrapper, TWO_ROW_ITEM);
  if (!item) return null;
  const name = runsText(dig(item, 'title'));
  const link = browseLinkOf(item, dig(item, 'title'));
  if (!name || !link.browseId || !isArtistLink(link)) return null;
  return { id: artistId(link.browseId), name };
}

export function artistShell(channelId: string, name: string, photo: ImageSet | null): Artist {
  return {
    id: artistId(channelId),
    source: SOURCE,
    name,
    disambiguation: null,
    type: null,
    country: null,
    photo,
    biography: null,
    links: [],
    genres: [],
    similar: [],
    url: `${CHANNEL_URL}${channelId}`,
  };
}

/** A playlist card (`musicTwoRowItemRenderer` linking a `VL…` browse id). */
export function playlistFromCard(wrapper: unknown): { browseId: string; title: string } | null {
  const item = unwrap(wrapper, TWO_ROW_ITEM);
  if (!item) return null;
  const title = runsText(dig(item, 'title'));
  const link = browseLinkOf(item, dig(item, 'title'));
  if (!title || !link.browseId) return null;
  const isPlaylist = link.pageType ? link.pageType === PAGE_TYPE.playlist : link.browseId.startsWith('VL');
  return isPlaylist ? { browseId: link.browseId, title } : null;
}
