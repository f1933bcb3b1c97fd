import type { Album, AlbumType, Artist, ArtistCredit, ChartEntry, ImageSet, Track } from '../../domain/types.js';
import { formatGlobalId } from '../../domain/ids.js';
import { SourceError, type SourceErrorKind } from '../../errors/source.js';
import { num, partialDate, seconds, text } from '../shared/parse.js';
import type { DzAlbum, DzAlbumRef, DzArtist, DzTrack } from './types.js';

export const SOURCE = 'deezer';

/**
 * Deezer's documented error codes. 800 ("no data") is how a missing id is answered; the quota
 * error (4) comes with status 200 like all the others, so only the body tells.
 */
const ERROR_KINDS: Record<number, SourceErrorKind> = {
  4: 'RATE_LIMITED',
  100: 'RATE_LIMITED',
  200: 'UNAUTHORIZED',
  300: 'UNAUTHORIZED',
  500: 'BAD_RESPONSE',
  501: 'BAD_RESPONSE',
  600: 'BAD_RESPONSE',
  700: 'UNAVAILABLE',
  800: 'NOT_FOUND',
};

export function errorFromBody(body: unknown): SourceError | null {
  if (!body || typeof body !== 'object' || !('error' in body)) return null;
  const error = (body as { error: unknown }).error;
  if (!error || typeof error !== 'object') return null;
  const code = num((error as { code?: unknown }).code);
  const message = text((error as { message?: unknown }).message) ?? 'error';
  const type = text((error as { type?: unknown }).type) ?? 'Exception';
  const kind = (code !== null && ERROR_KINDS[code]) || 'BAD_RESPONSE';
  return new SourceError(SOURCE, kind, `${type}: ${message} (code ${code ?? '?'})`);
}

/** `validate` hooks: a list answer must have `data`, an entity answer an `id`. */
export function expectList(body: unknown): void {
  const error = errorFromBody(body);
  if (error) throw error;
  if (!body || typeof body !== 'object' || !Array.isArray((body as { data?: unknown }).data)) {
    throw new SourceError(SOURCE, 'BAD_RESPONSE', 'Deezer list answer without "data"');
  }
}

export function expectEntity(body: unknown): void {
  const error = errorFromBody(body);
  if (error) throw error;
  if (!body || typeof body !== 'object' || num((body as { id?: unknown }).id) === null) {
    throw new SourceError(SOURCE, 'BAD_RESPONSE', 'Deezer answer without an "id"');
  }
}

/**
 * Deezer builds picture URLs from an image hash; an artist or album without a picture gets the
 * same URL pattern with an empty hash (`/images/artist//250x250-…`), which serves a grey
 * silhouette. That is not a picture of anyone.
 */
export function isDefaultPicture(url: string): boolean {
  return /\/images\/(?:artist|cover)\/\//.test(url);
}

function picture(value: unknown): string | null {
  const url = text(value);
  return url && !isDefaultPicture(url) ? url : null;
}

/** Deezer's 250/500/1000 px variants map one-to-one onto small/medium/large. */
export function artistPicture(artist: DzArtist | undefined): ImageSet | null {
  const set = { small: picture(artist?.picture_medium), medium: picture(artist?.picture_big), large: picture(artist?.picture_xl) };
  return set.small || set.medium || set.large ? { ...set, source: SOURCE } : null;
}

function albumCover(album: DzAlbumRef | undefined): ImageSet | null {
  const set = { small: picture(album?.cover_medium), medium: picture(album?.cover_big), large: picture(album?.cover_xl) };
  return set.small || set.medium || set.large ? { ...set, source: SOURCE } : null;
}

function credit(artist: DzArtist | undefined): ArtistCredit | null {
  const name = text(artist?.name);
  if (!name) return null;
  const id = num(artist?.id);
  return { id: id === null ? null : formatGlobalId(SOURCE, 'artist', id), name };
}

/** Contributors (lookups) name every credited artist; lists only carry the main one. */
function credits(contributors: unknown, artist: DzArtist | undefined): ArtistCredit[] {
  const fromContributors = rows<DzArtist>(contributors).map(credit).filter((c): c is ArtistCredit => c !== null);
  if (fromContributors.length > 0) return fromContributors;
  const main = credit(artist);
  return main ? [main] : [];
}

/** The entries of a list field, or none when the field is not a list (a drifted or hostile answer). */
function rows<T>(value: unknown): T[] {
  return Array.isArray(value) ? (value as T[]) : [];
}

function record<T>(value: unknown): T | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as T) : undefined;
}

/** An ISRC as the API stores it: 12 characters, upper case, no dashes; null for anything else. */
export function normaliseIsrc(value: unknown): string | null {
  const raw = text(value)?.toUpperCase().replace(/[-\s]/g, '');
  return raw && /^[A-Z]{2}[A-Z0-9]{3}\d{7}$/.test(raw) ? raw : null;
}

/** Deezer's `upc`: the digits of a UPC-A or EAN-13 (it stores both); null for anything else. */
export function normaliseBarcode(value: unknown): string | null {
  const raw = text(value);
  return raw && /^\d{8,14}$/.test(raw) ? raw : null;
}

export function parseTrack(raw: DzTrack, album?: { ref: DzAlbumRef; id: string; title: string } | null): Track | null {
  if (!record<DzTrack>(raw)) return null;
  const id = num(raw.id);
  const title = text(raw.title);
  if (id === null || !title) return null;
  const albumRef = album?.ref ?? record<DzAlbumRef>(raw.album);
  const rawAlbumId = num(albumRef?.id);
  const albumId = album?.id ?? (rawAlbumId !== null ? formatGlobalId(SOURCE, 'album', rawAlbumId) : null);
  const albumTitle = album?.title ?? text(albumRef?.title);
  const link = text(raw.link);
  const isrc = normaliseIsrc(raw.isrc);
  return {
    id: formatGlobalId(SOURCE, 'track', id),
    source: SOURCE,
    title,
    artists: credits(raw.contributors, record<DzArtist>(raw.artist)),
    album: albumTitle ? { id: albumId, title: albumTitle } : null,
    durationSec: seconds(raw.duration),
    releaseDate: partialDate(raw.release_date) ?? partialDate(albumRef?.release_date),
    isrc,
    isrcs: isrc ? [isrc] : [],
    versionNote: text(raw.title_version),
    trackNumber: num(raw.track_position),
    discNumber: num(raw.disk_number),
    cover: albumCover(albumRef),
    playbackUrl: link,
    previewUrl: text(raw.preview),
    license: null,
    // Deezer streams are licensed for listening in its players only.
    download: { allowed: false, reason: 'NOT_LICENSED' },
    genres: [],
    links: link ? [{ platform: 'deezer', url: link }] : [],
  };
}

const RECORD_TYPES: Record<string, AlbumType> = {
  album: 'ALBUM',
  single: 'SINGLE',
  ep: 'EP',
  compile: 'COMPILATION',
  compilation: 'COMPILATION',
};

/** The album's tracks parsed with the album as their album (the rows themselves carry none). */
export function parseAlbumTracks(raw: DzAlbum, listed: readonly unknown[]): Track[] {
  const id = num(raw.id);
  const title = text(raw.title);
  if (id === null || !title) return [];
  const context = { ref: raw, id: formatGlobalId(SOURCE, 'album', id), title };
  return listed.map((track) => parseTrack(track as DzTrack, context)).filter((t): t is Track => t !== null);
}

/**
 * An album lookup embeds at most 25 tracks (`nb_tracks` counts them all), so an embedded list
 * shorter than `nb_tracks` is left out (`tracks: null`) rather than shown as the whole album.
 */
export function parseAlbum(raw: DzAlbum): Album | null {
  if (!record<DzAlbum>(raw)) return null;
  const id = num(raw.id);
  const title = text(raw.title);
  if (id === null || !title) return null;
  const listed = record<{ data?: unknown }>(raw.tracks)?.data;
  const trackCount = num(raw.nb_tracks);
  const complete = Array.isArray(listed) && (trackCount === null || listed.length >= trackCount);
  const tracks = complete ? parseAlbumTracks(raw, listed) : null;
  const recordType = text(raw.record_type)?.toLowerCase();
  return {
    id: formatGlobalId(SOURCE, 'album', id),
    source: SOURCE,
    title,
    artists: credits(raw.contributors, record<DzArtist>(raw.artist)),
    releaseDate: partialDate(raw.release_date),
    cover: albumCover(raw),
    trackCount: trackCount ?? tracks?.length ?? null,
    tracks,
    genres: rows<{ name?: unknown }>(record<{ data?: unknown }>(raw.genres)?.data)
      .map((genre) => text(record<{ name?: unknown }>(genre)?.name))
      .filter((name): name is string => name !== null),
    label: text(raw.label),
    barcode: normaliseBarcode(raw.upc),
    type: recordType ? (RECORD_TYPES[recordType] ?? 'OTHER') : null,
    url: text(raw.link),
  };
}

export function parseArtist(raw: DzArtist): Artist | null {
  if (!record<DzArtist>(raw)) return null;
  const id = num(raw.id);
  const name = text(raw.name);
  if (id === null || !name) return null;
  const link = text(raw.link);
  return {
    id: formatGlobalId(SOURCE, 'artist', id),
    source: SOURCE,
    name,
    disambiguation: null,
    type: null,
    country: null,
    photo: artistPicture(raw),
    biography: null,
    links: link ? [{ platform: 'deezer', url: link }] : [],
    genres: [],
    similar: [],
    url: link,
  };
}

/** Deezer gives each chart row its `position`; `rank` is its popularity score. */
export function parseChartEntries(chartRows: readonly DzTrack[]): ChartEntry[] {
  const entries: ChartEntry[] = [];
  for (const row of chartRows) {
    const track = parseTrack(row);
    if (!track) continue;
    entries.push({ position: num(row.position) ?? entries.length + 1, track, popularity: num(row.rank) });
  }
  return entries;
}

/**
 * Names compared for the artist-photo match: case, accents, punctuation and spacing do not
 * count ("Beyoncé" = "beyonce", "AC/DC" = "AC DC"), everything else does, so "Michael Jackson
 * Tribute" never stands in for "Michael Jackson".
 */
export function normaliseName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
