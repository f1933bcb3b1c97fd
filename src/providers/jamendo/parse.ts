import { platformOfUrl } from '../shared/links.js';
import { formatGlobalId } from '../../domain/ids.js';
import type {
  Album,
  Artist,
  ArtistCredit,
  Biography,
  DownloadPermission,
  ExternalLink,
  ImageSet,
  License,
  Track,
} from '../../domain/types.js';
import { SourceError } from '../../errors/source.js';
import { bilingual } from '../../domain/text.js';
import { isRecord } from '../shared/drift.js';
import { list, num, partialDate, seconds, stripHtml, text } from '../shared/parse.js';
import { licenseFromCcUrl } from './license.js';
import type { JamendoAlbum, JamendoArtist, JamendoHeaders, JamendoResponse, JamendoTrack } from './types.js';

export const SOURCE = 'jamendo';

/**
 * Jamendo reports failures in `headers` of an HTTP 200 document
 * (https://developer.jamendo.com/v3.0/response-codes). This turns them into typed errors before
 * the answer can be cached; a document without `headers` and `results` is not Jamendo's.
 */
export function assertJamendoOk(body: unknown): asserts body is JamendoResponse<unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new SourceError(SOURCE, 'BAD_RESPONSE', 'answer is not a Jamendo document');
  }
  const { headers, results } = body as JamendoResponse<unknown>;
  if (!headers || typeof headers !== 'object') throw new SourceError(SOURCE, 'BAD_RESPONSE', 'answer has no "headers"');
  const code = num(headers.code) ?? 0;
  if (code !== 0 || text(headers.status) === 'failed') throw errorFromHeaders(headers, code);
  if (!Array.isArray(results)) throw new SourceError(SOURCE, 'BAD_RESPONSE', 'answer has no "results" list');
}

function errorFromHeaders(headers: JamendoHeaders, code: number): SourceError {
  const message = `code ${code}: ${text(headers.error_message) ?? 'no message'}`;
  switch (code) {
    // Invalid client id, suspended application, invalid access token, insufficient scope.
    case 5:
    case 11:
    case 12:
    case 13:
      return new SourceError(SOURCE, 'UNAUTHORIZED', message);
    case 6:
      return new SourceError(SOURCE, 'RATE_LIMITED', message);
    // "A generic not well identified error": Jamendo's side.
    case 1:
      return new SourceError(SOURCE, 'UNAVAILABLE', message);
    // Wrong method, type, missing or needed parameter, format: our request was wrong.
    default:
      return new SourceError(SOURCE, 'BAD_RESPONSE', message);
  }
}

/** `headers.results_fullcount`, present when `fullcount=true` was asked. */
export function fullCount(body: JamendoResponse<unknown>): number | null {
  return num(body.headers?.results_fullcount);
}

/**
 * Jamendo images carry their size in the URL: `usercontent.jamendo.com?…&width=300` or the older
 * `…/covers/1.200.jpg`. The sizes asked for are the ones its `imagesize` parameter documents
 * (25…600); 600 is the largest it offers, so it stands in for "large". An URL in neither form is
 * kept as the medium size only.
 */
function jamendoImages(value: unknown): ImageSet | null {
  const url = text(value);
  if (!url || !/^https?:\/\//i.test(url)) return null;
  if (/[?&]width=\d+/.test(url)) {
    const sized = (width: number) => url.replace(/([?&]width=)\d+/, `$1${width}`);
    return { small: sized(300), medium: sized(500), large: sized(600), source: SOURCE };
  }
  const fileSize = /\/(\d+)\.(\d+)\.(jpe?g|png)$/i.exec(url);
  if (fileSize) {
    const sized = (width: number) => url.replace(/\/(\d+)\.\d+\.(jpe?g|png)$/i, `/$1.${width}.$2`);
    return { small: sized(300), medium: sized(500), large: sized(600), source: SOURCE };
  }
  return { small: null, medium: url, large: null, source: SOURCE };
}

/** A track as `/tracks` gives it, or a track of `/albums/tracks` completed from its album. */
export function parseTrack(raw: JamendoTrack, album?: JamendoAlbum): Track | null {
  if (!isRecord(raw)) return null;
  const id = text(raw.id);
  const title = text(raw.name);
  if (!id || !title) return null;
  const artistId = text(raw.artist_id) ?? text(album?.artist_id);
  const artistName = text(raw.artist_name) ?? text(album?.artist_name);
  const albumId = nonZeroId(raw.album_id) ?? nonZeroId(album?.id);
  const albumTitle = text(raw.album_name) ?? text(album?.name);
  const license = licenseFromCcUrl(raw.license_ccurl);
  const page = text(raw.shareurl) ?? text(raw.shorturl);
  return {
    id: formatGlobalId(SOURCE, 'track', id),
    source: SOURCE,
    title,
    artists: artistName ? [credit(artistId, artistName)] : [],
    // Singles have every album field empty.
    album: albumId && albumTitle ? { id: formatGlobalId(SOURCE, 'album', albumId), title: albumTitle } : null,
    durationSec: seconds(raw.duration),
    releaseDate: partialDate(raw.releasedate) ?? partialDate(album?.releasedate),
    isrc: null,
    trackNumber: num(raw.position),
    discNumber: null,
    // For album tracks `image` is the album cover; for singles it is the track's own.
    cover: jamendoImages(raw.image) ?? jamendoImages(raw.album_image) ?? jamendoImages(album?.image),
    playbackUrl: page,
    previewUrl: text(raw.audio),
    license,
    download: downloadPermission(raw, license),
    genres: strings(isRecord(raw.musicinfo) && isRecord(raw.musicinfo.tags) ? raw.musicinfo.tags.genres : undefined),
    links: page ? [{ platform: 'jamendo', url: page }] : [],
  };
}

/**
 * The artist decides, per track, whether apps may offer the download
 * (`audiodownload_allowed`, since 2021); when they may not, Jamendo empties `audiodownload`.
 * The URL is only for the download pipeline, which fetches it from Jamendo's own hosts.
 */
function downloadPermission(raw: JamendoTrack, license: License | null): DownloadPermission {
  if (raw.audiodownload_allowed !== true) {
    return {
      allowed: false,
      reason: 'NOT_LICENSED',
      detail:
        raw.audiodownload_allowed === false
          ? bilingual('The artist has not enabled downloads of this track on Jamendo.', 'El artista no ha habilitado la descarga de esta canción en Jamendo.')
          : bilingual('Jamendo did not say whether this track may be downloaded.', 'Jamendo no indica si esta canción se puede descargar.'),
    };
  }
  const originUrl = text(raw.audiodownload);
  if (!originUrl || !/^https:\/\//i.test(originUrl)) {
    return {
      allowed: false,
      reason: 'SOURCE_UNAVAILABLE',
      detail: bilingual('Jamendo allows the download but sent no file address.', 'Jamendo permite la descarga, pero no envió la dirección del archivo.'),
    };
  }
  // Downloads live at …/download/track/<id>/<format>/; MP3 is the fallback when FLAC is missing.
  const mp3 = originUrl.includes('/flac/') ? originUrl.replace('/flac/', '/mp32/') : null;
  return { allowed: true, license, originUrl, ...(mp3 ? { alternateUrls: [mp3] } : {}) };
}

export function parseAlbum(raw: JamendoAlbum, artist?: JamendoArtist): Album | null {
  if (!isRecord(raw)) return null;
  const id = nonZeroId(raw.id);
  const title = text(raw.name);
  if (!id || !title) return null;
  const artistId = text(raw.artist_id) ?? text(artist?.id);
  const artistName = text(raw.artist_name) ?? text(artist?.name);
  // Only `/albums/tracks` lists tracks; anything but a list there is no track list.
  const tracks = Array.isArray(raw.tracks) ? sortByPosition(raw.tracks.map((track) => parseTrack(track, raw))) : null;
  return {
    id: formatGlobalId(SOURCE, 'album', id),
    source: SOURCE,
    title,
    artists: artistName ? [credit(artistId, artistName)] : [],
    releaseDate: partialDate(raw.releasedate),
    cover: jamendoImages(raw.image),
    trackCount: tracks ? tracks.length : null,
    tracks,
    genres: [],
    label: null,
    type: null,
    url: text(raw.shareurl) ?? text(raw.shorturl),
    license: tracks ? sharedLicense(tracks) : null,
  };
}

/** `/albums/tracks` lists tracks in no particular order and positions as strings. */
function sortByPosition(tracks: (Track | null)[]): Track[] {
  return tracks
    .filter((track): track is Track => track !== null)
    .sort((a, b) => (a.trackNumber ?? Number.MAX_SAFE_INTEGER) - (b.trackNumber ?? Number.MAX_SAFE_INTEGER));
}

/** An album has one licence only when all its tracks share it. */
function sharedLicense(tracks: Track[]): License | null {
  const first = tracks[0]?.license;
  if (!first) return null;
  return tracks.every((track) => track.license?.url === first.url) ? first : null;
}

export function parseArtist(raw: JamendoArtist, languages: readonly string[]): Artist | null {
  if (!isRecord(raw)) return null;
  const id = text(raw.id);
  const name = text(raw.name);
  if (!id || !name) return null;
  const page = text(raw.shareurl) ?? text(raw.shorturl);
  const links: ExternalLink[] = [];
  const website = text(raw.website);
  if (website && /^https?:\/\//i.test(website)) links.push({ platform: platformOfUrl(website) ?? 'official', url: website });
  if (page) links.push({ platform: 'jamendo', url: page });
  return {
    id: formatGlobalId(SOURCE, 'artist', id),
    source: SOURCE,
    name,
    disambiguation: null,
    type: null,
    country: null,
    photo: jamendoImages(raw.image),
    biography: biography(raw, languages, page),
    links,
    genres: strings(isRecord(raw.musicinfo) ? raw.musicinfo.tags : undefined),
    similar: [],
    url: page,
  };
}

/** The description in the first wanted language that has one (Jamendo sends every language, most empty). */
function biography(raw: JamendoArtist, languages: readonly string[], url: string | null): Biography | null {
  const descriptions = isRecord(raw.musicinfo) ? raw.musicinfo.description : undefined;
  if (!isRecord(descriptions)) return null;
  const order = [...languages, 'en', ...Object.keys(descriptions)];
  for (const language of order) {
    const content = stripHtml(descriptions[language]);
    if (content) {
      return { summary: content.split(/\n{2,}/)[0] ?? content, content, source: SOURCE, language, url };
    }
  }
  return null;
}


/** The strings of a tag list (a single tag or non-strings tolerated). */
function strings(value: unknown): string[] {
  return list(value as unknown[] | undefined)
    .map((entry) => (typeof entry === 'string' ? text(entry) : null))
    .filter((entry): entry is string => entry !== null);
}

function credit(artistId: string | null, name: string): ArtistCredit {
  return { id: artistId ? formatGlobalId(SOURCE, 'artist', artistId) : null, name };
}

function nonZeroId(value: unknown): string | null {
  const id = text(value);
  return id && id !== '0' ? id : null;
}
