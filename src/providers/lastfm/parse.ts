import type { Album, Artist, ArtistCredit, Biography, ChartEntry, ImageSet, Track } from '../../domain/types.js';
import { formatGlobalId } from '../../domain/ids.js';
import { SourceError } from '../../errors/source.js';
import type { EntityRef } from '../types.js';
import { isRecord } from '../shared/drift.js';
import { decodedText, list, num, seconds, stripHtml, text } from '../shared/parse.js';
import type { LfmAlbum, LfmArtist, LfmArtistRef, LfmBio, LfmImage, LfmTags, LfmTrack } from './types.js';

export const SOURCE = 'lastfm';

/**
 * Last.fm serves this grey star for every artist (and many tracks) it has no photo of, and older
 * answers point at `…/noimage/…/default_album_medium.png`. Neither shows anyone, so neither may
 * reach a client as a photo or a cover.
 */
const PLACEHOLDER_IMAGE_HASH = '2a96cbd8b46e442fc41c2b86b821562f';
const PLACEHOLDER_PATH = /\/noimage\//i;

const MBID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Last.fm has no numeric ids; its own URLs name things by artist and title, and so do ours:
 * `lastfm:artist:<artist>`, `lastfm:album:<artist>/<album>`, `lastfm:track:<artist>/<title>`,
 * each part percent-encoded (so `/` inside a name cannot split it and spaces are never bare).
 */
function artistNativeId(name: string): string {
  return encodeURIComponent(name);
}

function pairNativeId(artist: string, title: string): string {
  return `${encodeURIComponent(artist)}/${encodeURIComponent(title)}`;
}

export function parseArtistNativeId(nativeId: string): string | null {
  return decodedText(nativeId);
}

export function parsePairNativeId(nativeId: string): { artist: string; title: string } | null {
  const parts = nativeId.split('/');
  if (parts.length !== 2) return null;
  const artist = decodedText(parts[0]!);
  const title = decodedText(parts[1]!);
  return artist && title ? { artist, title } : null;
}


/** Maps a `{"error": N, "message": …}` body to the typed error the catalog understands. */
function errorFromBody(body: unknown): SourceError | null {
  if (!body || typeof body !== 'object' || !('error' in body)) return null;
  const code = num((body as { error: unknown }).error);
  if (code === null) return null;
  const message = text((body as { message?: unknown }).message) ?? `Last.fm error ${code}`;
  const detail = `${message} (error ${code})`;
  switch (code) {
    case 6:
      return new SourceError(SOURCE, 'NOT_FOUND', detail);
    case 10:
    case 26:
      return new SourceError(SOURCE, 'UNAUTHORIZED', detail);
    case 29:
      return new SourceError(SOURCE, 'RATE_LIMITED', detail);
    case 11:
    case 16:
      return new SourceError(SOURCE, 'UNAVAILABLE', detail);
    default:
      return new SourceError(SOURCE, 'BAD_RESPONSE', detail);
  }
}

/** Error bodies become typed errors, and a body without a `root` object is not data. */
export function expectRoot(root: string): (body: unknown) => void {
  return (body) => {
    const error = errorFromBody(body);
    if (error) throw error;
    if (!isRecord(body) || !isRecord(body[root])) {
      throw new SourceError(SOURCE, 'BAD_RESPONSE', `Last.fm answer has no "${root}" object`);
    }
  };
}

const WEB_HOST = /^(www\.)?(last\.fm|lastfm\.[a-z]{2,3}(\.[a-z]{2})?)$/i;
/** Names in Last.fm page paths: `+` for a space, percent-encoding for the rest (`%2B` is a plus). */
function pathName(part: string | undefined): string | null {
  if (!part || part.startsWith('+')) return null;
  return decodedText(part.replace(/\+/g, ' '));
}

/**
 * Last.fm's own pages → the entity they show: `/music/<artist>`, `/music/<artist>/_/<track>`,
 * `/music/<artist>/<album>`, on last.fm or a localised site (`lastfm.es`, `/es/music/…`), with
 * sub-pages (`/+wiki`, `/+albums`) naming their entity. Anything else is null.
 */
export function parseLastfmUrl(url: URL): EntityRef | null {
  if (!WEB_HOST.test(url.hostname)) return null;
  let parts = url.pathname.split('/').filter(Boolean);
  if (/^[a-z]{2}(-[a-z]{2})?$/i.test(parts[0] ?? '')) parts = parts.slice(1);
  if (parts[0] !== 'music') return null;
  parts = parts.slice(1);
  if (parts[0] === '+noredirect') parts = parts.slice(1);
  const artist = pathName(parts[0]);
  if (!artist) return null;
  const [second, third] = parts.slice(1);
  if (second === '_') {
    const title = pathName(third);
    return title ? { entity: 'track', ref: { kind: 'track', id: pairNativeId(artist, title) } } : { entity: 'artist', ref: { kind: 'artist', id: artistNativeId(artist) } };
  }
  const album = pathName(second);
  if (album) return { entity: 'album', ref: { kind: 'album', id: pairNativeId(artist, album) } };
  return { entity: 'artist', ref: { kind: 'artist', id: artistNativeId(artist) } };
}

export function isPlaceholderImage(url: string): boolean {
  return url.includes(PLACEHOLDER_IMAGE_HASH) || PLACEHOLDER_PATH.test(url);
}

/**
 * Last.fm's sizes stop at 300×300 (`extralarge`/`mega`): that is the best we have, so it fills the
 * small and medium slots; `large` (≥1000 px) stays empty rather than pretending.
 */
function imageSet(images: LfmImage[] | undefined): ImageSet | null {
  const bySize = new Map<string, string>();
  for (const image of list(images)) {
    const url = text(image?.['#text']);
    if (!url || isPlaceholderImage(url)) continue;
    bySize.set(text(image.size) ?? '', url);
  }
  const best = bySize.get('mega') ?? bySize.get('extralarge') ?? bySize.get('') ?? bySize.get('large') ?? bySize.get('medium');
  if (!best) return null;
  return { small: best, medium: best, large: null, source: SOURCE };
}

function tagNames(tags: LfmTags | undefined): string[] {
  if (!tags || typeof tags === 'string') return [];
  const names = list(tags.tag)
    .map((tag) => text(tag?.name))
    .filter((name): name is string => name !== null);
  return [...new Set(names)];
}

function artistRefName(artist: LfmArtistRef | string | undefined): string | null {
  if (typeof artist === 'string') return text(artist);
  return text(artist?.name) ?? text(artist?.['#text']);
}

function artistCredit(name: string): ArtistCredit {
  return { id: formatGlobalId(SOURCE, 'artist', artistNativeId(name)), name };
}

function mbid(value: unknown): string | null {
  const raw = text(value);
  return raw && MBID.test(raw) ? raw.toLowerCase() : null;
}

export interface TrackParseOptions {
  /** `track.getInfo` gives milliseconds; album track lists and charts give seconds. */
  durationUnit?: 'seconds' | 'ms';
  /** Artist to assume when the entry does not name one (album track lists). */
  artist?: string | null;
  album?: { id: string | null; title: string } | null;
  trackNumber?: number | null;
}

/** Null when the entry lacks a title or an artist: without both it cannot be identified. */
export function parseTrack(raw: LfmTrack, options: TrackParseOptions = {}): Track | null {
  const title = text(raw?.name);
  const artist = artistRefName(raw?.artist) ?? options.artist ?? null;
  if (!title || !artist) return null;
  const rawDuration = num(raw.duration);
  const durationSec = options.durationUnit === 'ms' ? seconds(rawDuration === null ? null : rawDuration / 1000) : seconds(rawDuration);
  const albumTitle = text(raw.album?.title);
  const album =
    options.album ??
    (albumTitle ? { id: formatGlobalId(SOURCE, 'album', pairNativeId(text(raw.album?.artist) ?? artist, albumTitle)), title: albumTitle } : null);
  const url = text(raw.url);
  const artistMbid = typeof raw.artist === 'object' ? mbid(raw.artist?.mbid) : null;
  return {
    id: formatGlobalId(SOURCE, 'track', pairNativeId(artist, title)),
    source: SOURCE,
    title,
    artists: [artistCredit(artist)],
    album,
    durationSec,
    releaseDate: null,
    isrc: null,
    trackNumber: options.trackNumber ?? null,
    cover: imageSet(raw.album?.image) ?? imageSet(raw.image),
    // A Last.fm page is a catalogue entry, not a player, so it is a link rather than playback.
    playbackUrl: null,
    previewUrl: null,
    license: null,
    download: { allowed: false, reason: 'NOT_LICENSED' },
    genres: tagNames(raw.toptags),
    links: url ? [{ platform: 'lastfm', url }] : [],
    refs: {
      musicbrainzReleaseId: mbid(raw.album?.mbid),
      musicbrainzArtistId: artistMbid,
    },
  };
}

export function parseAlbum(raw: LfmAlbum, withTracks: boolean): Album | null {
  const title = text(raw?.name) ?? text(raw?.title);
  const artist = artistRefName(raw?.artist);
  if (!title || !artist) return null;
  const id = formatGlobalId(SOURCE, 'album', pairNativeId(artist, title));
  // No `tracks` key means Last.fm does not know the track list, which is not an empty album.
  const rawTracks = raw.tracks && typeof raw.tracks === 'object' ? list(raw.tracks.track) : null;
  const tracks = withTracks && rawTracks
    ? rawTracks
        .map((track, index) =>
          parseTrack(track, {
            artist,
            album: { id, title },
            trackNumber: num(track?.['@attr']?.rank) ?? index + 1,
          }),
        )
        .filter((track): track is Track => track !== null)
    : null;
  const artistMbid = typeof raw.artist === 'object' ? mbid(raw.artist?.mbid) : null;
  return {
    id,
    source: SOURCE,
    title,
    artists: [artistCredit(artist)],
    releaseDate: null,
    cover: imageSet(raw.image),
    trackCount: tracks ? tracks.length : null,
    tracks,
    genres: tagNames(raw.tags),
    label: null,
    type: null,
    url: text(raw.url),
    refs: { musicbrainzReleaseId: mbid(raw.mbid), musicbrainzArtistId: artistMbid },
  };
}

/**
 * Bios end with `<a href="…">Read more on Last.fm</a>` (a link we already return as `url`), and
 * full texts add a licence line after it. An artist without a bio in the asked language still
 * gets that anchor alone, which must read as "no bio", not as an empty text.
 */
const READ_MORE = /<a\b[^>]*>\s*Read more on Last\.fm\s*<\/a>\.?/gi;

function cleanBioText(value: unknown): string | null {
  const raw = text(value);
  if (!raw) return null;
  return stripHtml(raw.replace(READ_MORE, ''));
}

export function parseBiography(bio: LfmBio | undefined, artistUrl: string | null, language: string | null): Biography | null {
  const summary = cleanBioText(bio?.summary);
  const content = cleanBioText(bio?.content);
  if (!summary && !content) return null;
  const link = list(bio?.links?.link).find((entry) => text(entry?.href));
  return {
    summary: summary ?? content,
    content: content ?? summary,
    source: SOURCE,
    language,
    url: text(link?.href) ?? (artistUrl ? `${artistUrl}/+wiki` : null),
  };
}

export function parseArtist(raw: LfmArtist, language: string | null): Artist | null {
  const name = text(raw?.name);
  if (!name) return null;
  const url = text(raw.url);
  const similar = raw.similar && typeof raw.similar === 'object' ? list(raw.similar.artist) : [];
  return {
    id: formatGlobalId(SOURCE, 'artist', artistNativeId(name)),
    source: SOURCE,
    name,
    disambiguation: null,
    type: null,
    country: null,
    photo: imageSet(raw.image),
    biography: parseBiography(raw.bio, url, language),
    links: url ? [{ platform: 'lastfm', url }] : [],
    genres: tagNames(raw.tags),
    similar: similar
      .map((entry) => artistRefName(entry))
      .filter((entryName): entryName is string => entryName !== null)
      .map(artistCredit),
    url,
    refs: { musicbrainzArtistId: mbid(raw.mbid) },
  };
}

/**
 * Chart rows. `geo.getTopTracks` numbers its rows from 0 and `chart.getTopTracks` gives no rank at
 * all, so the position is the row's place in the list; the popularity figure is plays where the
 * method gives them, else listeners.
 */
export function parseChartEntries(rows: LfmTrack[]): ChartEntry[] {
  const entries: ChartEntry[] = [];
  for (const row of rows) {
    const track = parseTrack(row);
    if (!track) continue;
    entries.push({ position: entries.length + 1, track, popularity: num(row.playcount) ?? num(row.listeners) });
  }
  return entries;
}

/** Last.fm's top-album lists carry junk rows named "(null)" for scrobbles without an album. */
export function isJunkAlbumName(name: string | null): boolean {
  return !name || name === '(null)' || name.toLowerCase() === 'null';
}
