import type { Album, Artist, DownloadPermission, ImageSet, Track } from '../../domain/types.js';
import { formatGlobalId } from '../../domain/ids.js';
import { bilingual } from '../../domain/text.js';
import { num, seconds, text } from '../shared/parse.js';
import { FieldReader, isRecord } from '../shared/drift.js';
import type { AmArtist, AmMusic } from './types.js';

export const SOURCE = 'audiomack';
const SITE = 'https://audiomack.com';

/**
 * Nothing documented says which uploads may be downloaded, so Audiomack stays a metadata and
 * link-out source until a real, signed response shows such a field.
 */
const NO_DOWNLOAD: DownloadPermission = {
  allowed: false,
  reason: 'NOT_LICENSED',
  detail: bilingual('Audiomack documents no download permission; listen on Audiomack.', 'Audiomack no documenta ningún permiso de descarga; escúchala en Audiomack.'),
};

/** An ISRC as the API stores it: 12 characters, upper case, no dashes; null for anything else. */
function isrcOf(value: unknown): string | null {
  const raw = text(value)?.toUpperCase().replace(/[-\s]/g, '');
  return raw && /^[A-Z]{2}[A-Z0-9]{3}\d{7}$/.test(raw) ? raw : null;
}

/** Images come as one URL of unstated size; it is offered as the medium rendition only. */
function imageOf(value: unknown): ImageSet | null {
  const url = text(value);
  return url && /^https:\/\//.test(url) ? { small: null, medium: url, large: null, source: SOURCE } : null;
}

/** `released`/`uploaded` are Unix seconds (as numbers or strings). */
function dateOf(value: unknown): string | null {
  const unix = num(value);
  if (unix === null || unix <= 0) return null;
  const date = new Date(unix * 1000);
  // Beyond the range a Date can hold (a garbled number) there is no date to give.
  return Number.isNaN(date.getTime()) || date.getUTCFullYear() > 9999 ? null : date.toISOString().slice(0, 10);
}

function idOf(value: unknown): string | null {
  const id = text(value);
  return id && /^[\w-]+$/.test(id) ? id : null;
}

function uploaderSlug(raw: AmMusic): string | null {
  return text(isRecord(raw.uploader) ? raw.uploader.url_slug : undefined) ?? text(raw.uploader_url_slug);
}

function pageUrl(raw: AmMusic, kind: 'song' | 'album'): string | null {
  const uploader = uploaderSlug(raw);
  const slug = text(raw.url_slug);
  return uploader && slug ? `${SITE}/${encodeURIComponent(uploader)}/${kind}/${encodeURIComponent(slug)}` : null;
}

function creditsOf(raw: AmMusic) {
  const uploader = isRecord(raw.uploader) ? raw.uploader : null;
  const slug = uploaderSlug(raw);
  const name = text(raw.artist) ?? text(uploader?.name);
  if (!name) return [];
  // The uploader's page is the artist's only when the names agree (labels upload for others).
  const sameAsUploader = uploader && text(uploader.name)?.toLowerCase() === name.toLowerCase();
  return [{ id: slug && (sameAsUploader || !uploader) ? formatGlobalId(SOURCE, 'artist', slug) : null, name }];
}

export function parseSong(raw: unknown, reader: FieldReader, album: { id: string; title: string } | null = null): Track | null {
  if (!isRecord(raw)) return null;
  const music = raw as AmMusic;
  const id = idOf(music.id);
  const title = text(reader.get(raw, 'title', 'song.title'));
  if (!id || !title) return null;
  const url = pageUrl(music, 'song');
  const albumTitle = text(music.album);
  const genre = text(music.genre);
  const isrc = isrcOf(music.isrc);
  return {
    id: formatGlobalId(SOURCE, 'song', id),
    source: SOURCE,
    title,
    artists: creditsOf(music),
    album: album ?? (albumTitle ? { id: null, title: albumTitle } : null),
    durationSec: seconds(reader.get(raw, 'duration', 'song.duration')),
    releaseDate: dateOf(music.released) ?? dateOf(music.uploaded),
    isrc,
    isrcs: isrc ? [isrc] : [],
    cover: imageOf(reader.get(raw, 'image', 'song.image')),
    playbackUrl: url,
    previewUrl: null,
    license: null,
    download: NO_DOWNLOAD,
    genres: genre ? [genre] : [],
    links: url ? [{ platform: 'audiomack', url }] : [],
  };
}

export function parseAlbum(raw: unknown, reader: FieldReader, withTracks: boolean): Album | null {
  if (!isRecord(raw)) return null;
  const music = raw as AmMusic;
  const id = idOf(music.id);
  const title = text(reader.get(raw, 'title', 'album.title'));
  if (!id || !title) return null;
  const globalId = formatGlobalId(SOURCE, 'album', id);
  const rows = Array.isArray(music.tracks) ? music.tracks : null;
  const tracks = withTracks && rows ? rows.map((row) => parseSong(row, reader, { id: globalId, title })).filter((track): track is Track => track !== null) : null;
  const genre = text(music.genre);
  return {
    id: globalId,
    source: SOURCE,
    title,
    artists: creditsOf(music),
    releaseDate: dateOf(music.released) ?? dateOf(music.uploaded),
    cover: imageOf(reader.get(raw, 'image', 'album.image')),
    trackCount: rows ? rows.length : null,
    tracks,
    genres: genre ? [genre] : [],
    label: null,
    type: 'ALBUM',
    url: pageUrl(music, 'album'),
  };
}

export function parseArtist(raw: unknown, reader: FieldReader): Artist | null {
  if (!isRecord(raw)) return null;
  const artist = raw as AmArtist;
  const slug = text(reader.get(raw, 'url_slug', 'artist.url_slug'));
  const name = text(reader.get(raw, 'name', 'artist.name'));
  if (!slug || !name) return null;
  const url = `${SITE}/${encodeURIComponent(slug)}`;
  const bio = text(artist.bio);
  const genre = text(artist.genre);
  return {
    id: formatGlobalId(SOURCE, 'artist', slug),
    source: SOURCE,
    name,
    disambiguation: text(artist.hometown),
    type: null,
    country: null,
    photo: imageOf(reader.get(raw, 'image', 'artist.image')),
    biography: bio ? { summary: bio, content: bio, source: SOURCE, language: null, url } : null,
    links: [{ platform: 'audiomack', url }],
    genres: genre ? [genre] : [],
    similar: [],
    url,
  };
}
