import type { Album, AlbumType, Artist, ChartEntry, DownloadPermission, ImageSet, License, Track } from '../../domain/types.js';
import { formatGlobalId } from '../../domain/ids.js';
import { bilingual } from '../../domain/text.js';
import { SourceError } from '../../errors/source.js';
import { msToSeconds, num, partialDate, text } from '../shared/parse.js';
import { FieldReader, isRecord } from '../shared/drift.js';
import type { ScCollection } from './types.js';

export const SOURCE = 'soundcloud';
export const API_BASE = 'https://api-v2.soundcloud.com';

export const trackId = (id: number | string) => formatGlobalId(SOURCE, 'track', id);
export const userId = (id: number | string) => formatGlobalId(SOURCE, 'user', id);
export const playlistId = (id: number | string) => formatGlobalId(SOURCE, 'playlist', id);

/**
 * SoundCloud serves every artwork and avatar in fixed sizes chosen by the file-name suffix; the
 * API hands out `-large` (100×100). `t300x300` and `t500x500` are square crops, `original` is the
 * uploaded file (usually ≥1000 px). Same suffix list as yt-dlp's and NewPipe's extractors.
 */
const SIZE_SUFFIX = /-(large|t\d+x\d+|crop|original|small|badge|tiny|mini)\.(jpg|jpeg|png)$/i;

export function artworkSet(url: unknown): ImageSet | null {
  const raw = text(url);
  if (!raw || !/^https?:\/\//.test(raw)) return null;
  const match = SIZE_SUFFIX.exec(raw);
  if (!match) return { small: null, medium: raw, large: null, source: SOURCE };
  const sized = (suffix: string) => `${raw.slice(0, match.index)}-${suffix}.${match[2]}`;
  return { small: sized('t300x300'), medium: sized('t500x500'), large: sized('original'), source: SOURCE };
}

const CREATIVE_COMMONS: Record<string, { name: string; path: string }> = {
  'cc-by': { name: 'Creative Commons Attribution (CC BY)', path: 'by' },
  'cc-by-sa': { name: 'Creative Commons Attribution-ShareAlike (CC BY-SA)', path: 'by-sa' },
  'cc-by-nd': { name: 'Creative Commons Attribution-NoDerivs (CC BY-ND)', path: 'by-nd' },
  'cc-by-nc': { name: 'Creative Commons Attribution-NonCommercial (CC BY-NC)', path: 'by-nc' },
  'cc-by-nc-sa': { name: 'Creative Commons Attribution-NonCommercial-ShareAlike (CC BY-NC-SA)', path: 'by-nc-sa' },
  'cc-by-nc-nd': { name: 'Creative Commons Attribution-NonCommercial-NoDerivs (CC BY-NC-ND)', path: 'by-nc-nd' },
};

/**
 * SoundCloud's `license` codes. The API names no licence version, so the link points at the
 * licence family's page on creativecommons.org rather than claiming a version.
 */
export function licenseOf(code: unknown): License | null {
  const value = text(code)?.toLowerCase();
  if (!value) return null;
  const cc = CREATIVE_COMMONS[value];
  if (cc) return { name: cc.name, url: `https://creativecommons.org/licenses/${cc.path}/` };
  if (value === 'no-rights-reserved') return { name: 'No rights reserved (CC0)', url: 'https://creativecommons.org/publicdomain/zero/1.0/' };
  if (value === 'all-rights-reserved') return { name: 'All rights reserved', url: null };
  return { name: value, url: null };
}

/** The API endpoint that answers `{redirectUri}` for a track whose uploader allows downloads. */
export const downloadEndpoint = (id: number | string) => `${API_BASE}/tracks/${id}/download`;

/**
 * Only the uploader's explicit permission counts: `downloadable` (the uploader switched
 * downloads on) and `has_downloads_left` (the uploader's quota is not spent). Streams are
 * never offered as downloads.
 */
export function downloadOf(id: number, downloadable: unknown, hasDownloadsLeft: unknown, license: License | null): DownloadPermission {
  if (downloadable === true && hasDownloadsLeft === true) {
    return { allowed: true, license, originUrl: downloadEndpoint(id) };
  }
  const detail =
    downloadable === true
      ? bilingual('the uploader allows downloads but has none left', 'quien la subió permite descargarla, pero ya no le quedan descargas')
      : bilingual(
          'the uploader has not enabled downloads; SoundCloud only streams this track',
          'quien la subió no ha activado las descargas; SoundCloud solo la ofrece en streaming',
        );
  return { allowed: false, reason: 'NOT_LICENSED', detail };
}

function numericId(value: unknown): number | null {
  const id = num(value);
  return id !== null && Number.isInteger(id) && id > 0 ? id : null;
}

/**
 * The numeric id and the name (`username`, `title`) every SoundCloud user, track and playlist
 * needs; null without either. A missing id is reported as drift (the reader reports the name).
 */
function identityOf(raw: Record<string, unknown>, reader: FieldReader, entity: string, nameKey: string): { id: number; name: string } | null {
  const id = numericId(raw.id);
  const name = text(reader.get(raw, nameKey, `${entity}.${nameKey}`));
  if (id === null) reader.missing(`${entity}.id`);
  return id !== null && name ? { id, name } : null;
}

function dateOf(record: Record<string, unknown>, reader: FieldReader, keys: readonly string[]): string | null {
  for (const key of keys) {
    const date = partialDate(reader.get(record, key));
    if (date) return date;
  }
  return null;
}

export function parseUser(raw: unknown, reader: FieldReader): Artist | null {
  if (!isRecord(raw)) return null;
  const identity = identityOf(raw, reader, 'user', 'username');
  if (!identity) return null;
  const { id, name } = identity;
  const url = text(reader.get(raw, 'permalink_url', 'user.permalink_url'));
  const description = text(reader.get(raw, 'description', 'user.description'));
  const country = text(raw.country_code);
  return {
    id: userId(id),
    source: SOURCE,
    name,
    disambiguation: null,
    type: null,
    country: country && /^[A-Za-z]{2}$/.test(country) ? country.toUpperCase() : null,
    photo: artworkSet(reader.get(raw, 'avatar_url', 'user.avatar_url')),
    biography: description
      ? { summary: description.split(/\n\s*\n/)[0]!.trim(), content: description, source: SOURCE, language: null, url }
      : null,
    links: url ? [{ platform: 'soundcloud', url }] : [],
    genres: [],
    similar: [],
    url,
  };
}

/**
 * Label-delivered tracks name the performing artist in `publisher_metadata.artist`, while
 * `user` is the account that uploaded it (often the label). The uploader's id is kept only
 * when the names match, ignoring case, spaces and punctuation.
 */
function creditsOf(raw: Record<string, unknown>, reader: FieldReader) {
  const user = reader.get(raw, 'user', 'track.user');
  const uploader = isRecord(user) ? { id: numericId(user.id), name: text(user.username) } : null;
  const publisher = isRecord(raw.publisher_metadata) ? text(raw.publisher_metadata.artist) : null;
  if (publisher) {
    const sameArtist = uploader?.name && uploader.id !== null && looseName(publisher) === looseName(uploader.name);
    return [{ id: sameArtist ? userId(uploader.id!) : null, name: publisher }];
  }
  if (uploader?.name) return [{ id: uploader.id !== null ? userId(uploader.id) : null, name: uploader.name }];
  return [];
}

/** `Martin Solveig` and `martinsolveig` are the same name for matching an uploader to an artist. */
const looseName = (name: string) => name.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');

export function parseTrack(raw: unknown, reader: FieldReader): Track | null {
  if (!isRecord(raw)) return null;
  const identity = identityOf(raw, reader, 'track', 'title');
  if (!identity) return null;
  const { id, name: title } = identity;
  const publisher = isRecord(raw.publisher_metadata) ? raw.publisher_metadata : null;
  // Go+ tracks report the 30 s preview as `duration`; `full_duration` is the real length.
  const hasDuration = Object.hasOwn(raw, 'full_duration') || Object.hasOwn(raw, 'duration');
  if (!hasDuration) reader.missing('track.duration');
  const durationSec = msToSeconds(raw.full_duration) ?? msToSeconds(raw.duration);
  const playbackUrl = text(reader.get(raw, 'permalink_url', 'track.permalink_url'));
  const license = licenseOf(reader.get(raw, 'license', 'track.license'));
  const user = isRecord(raw.user) ? raw.user : null;
  const genre = text(reader.get(raw, 'genre', 'track.genre'));
  const albumTitle = publisher ? text(publisher.album_title) : null;
  return {
    id: trackId(id),
    source: SOURCE,
    title,
    artists: creditsOf(raw, reader),
    album: albumTitle ? { id: null, title: albumTitle } : null,
    durationSec,
    releaseDate: dateOf(raw, reader, ['release_date', 'display_date', 'created_at']),
    isrc: publisher ? text(publisher.isrc) : null,
    // SoundCloud shows the uploader's avatar where a track has no artwork of its own.
    cover: artworkSet(reader.get(raw, 'artwork_url', 'track.artwork_url')) ?? artworkSet(user?.avatar_url),
    playbackUrl,
    previewUrl: null,
    license,
    download: downloadOf(id, reader.get(raw, 'downloadable', 'track.downloadable'), reader.get(raw, 'has_downloads_left', 'track.has_downloads_left'), license),
    genres: genre ? [genre] : [],
    links: playbackUrl ? [{ platform: 'soundcloud', url: playbackUrl }] : [],
  };
}

const SET_TYPES: Record<string, AlbumType> = {
  album: 'ALBUM',
  ep: 'EP',
  single: 'SINGLE',
  compilation: 'COMPILATION',
};

/** A playlist entry that is only `{id, kind, policy}`; the full track must be fetched by id. */
export function isTrackStub(raw: unknown): raw is { id: number } {
  return isRecord(raw) && numericId(raw.id) !== null && !Object.hasOwn(raw, 'title');
}

/**
 * A set (album, EP, or an ordinary playlist, whose `set_type` is empty). `tracks` is the track
 * list when the caller has it complete enough to show; search results pass null.
 */
export function parsePlaylist(raw: unknown, reader: FieldReader, tracks: Track[] | null): Album | null {
  if (!isRecord(raw)) return null;
  const identity = identityOf(raw, reader, 'playlist', 'title');
  if (!identity) return null;
  const { id, name: title } = identity;
  const user = reader.get(raw, 'user', 'playlist.user');
  const owner = isRecord(user) ? { id: numericId(user.id), name: text(user.username) } : null;
  // An empty `set_type` is an ordinary playlist; only a missing key leaves the type unknown.
  const rawSetType = reader.get(raw, 'set_type', 'playlist.set_type');
  const setType = typeof rawSetType === 'string' ? rawSetType.trim().toLowerCase() : null;
  const genre = text(raw.genre);
  const firstFullTrack = Array.isArray(raw.tracks) ? raw.tracks.find((entry) => isRecord(entry) && Object.hasOwn(entry, 'title')) : undefined;
  return {
    id: playlistId(id),
    source: SOURCE,
    title,
    artists: owner?.name ? [{ id: owner.id !== null ? userId(owner.id) : null, name: owner.name }] : [],
    releaseDate: dateOf(raw, reader, ['release_date', 'published_at', 'display_date', 'created_at']),
    // Like the web player: a set without artwork of its own shows its first track's.
    cover:
      artworkSet(reader.get(raw, 'artwork_url', 'playlist.artwork_url')) ??
      (isRecord(firstFullTrack) ? artworkSet(firstFullTrack.artwork_url) : null),
    trackCount: num(reader.get(raw, 'track_count', 'playlist.track_count')),
    tracks,
    genres: genre ? [genre] : [],
    label: text(raw.label_name),
    type: setType === null ? null : (SET_TYPES[setType] ?? 'OTHER'),
    url: text(reader.get(raw, 'permalink_url', 'playlist.permalink_url')),
    license: licenseOf(raw.license),
  };
}

export function parseChartEntries(items: readonly unknown[], reader: FieldReader, firstPosition: number): ChartEntry[] {
  const entries: ChartEntry[] = [];
  for (const item of items) {
    if (!isRecord(item)) continue;
    const track = parseTrack(reader.get(item, 'track', 'chart.track'), reader);
    if (!track) continue;
    entries.push({ position: firstPosition + entries.length, track, popularity: num(item.score) });
  }
  return entries;
}

/** The `offset` a `next_href` asks for: a number on searches, an opaque date cursor on user lists. */
export function offsetFromNextHref(nextHref: unknown): string | null {
  const href = text(nextHref);
  if (!href) return null;
  try {
    return text(new URL(href).searchParams.get('offset'));
  } catch {
    return null;
  }
}

/** Rejects a 200 answer that is not a `{collection: [...]}` list before it is cached. */
export function expectCollection(what: string) {
  return (body: unknown): void => {
    if (!isRecord(body) || !Array.isArray((body as ScCollection<unknown>).collection)) {
      throw new SourceError(SOURCE, 'BAD_RESPONSE', `${what}: answer has no collection list`);
    }
  };
}

/** Rejects a 200 answer that is not one object with a numeric id (an entity lookup). */
export function expectEntity(what: string) {
  return (body: unknown): void => {
    if (!isRecord(body) || numericId(body.id) === null) {
      throw new SourceError(SOURCE, 'BAD_RESPONSE', `${what}: answer is not a SoundCloud object`);
    }
  };
}

export function expectArray(what: string) {
  return (body: unknown): void => {
    if (!Array.isArray(body)) throw new SourceError(SOURCE, 'BAD_RESPONSE', `${what}: answer is not a list`);
  };
}
