import { formatGlobalId } from '../../domain/ids.js';
import type { Album, ArtistCredit, DownloadPermission, ImageSet, License, Page, Track } from '../../domain/types.js';
import { bilingual } from '../../domain/text.js';
import { SourceError } from '../../errors/source.js';
import { isRecord } from '../shared/drift.js';
import { clockToSeconds, list, num, partialDate, text } from '../shared/parse.js';
import { freeLicense } from './license.js';
import type { IaFile, IaItemMetadata, IaMetadataResponse, IaSearchDoc, IaSearchResponse, IaValue } from './types.js';

export const SOURCE = 'internetarchive';
const SITE = 'https://archive.org';

/** IA identifiers: ASCII letters, digits, `_`, `-`, `.`, starting alphanumeric, at most 100. */
export function isIdentifier(value: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(value);
}

/**
 * Tracks are files inside an item, so their native id is `<identifier>/<file name>` with the
 * name percent-encoded: file names contain spaces and slashes, which global ids cannot.
 */
export function trackNativeId(identifier: string, fileName: string): string {
  return `${identifier}/${encodeURIComponent(fileName)}`;
}

export function parseTrackNativeId(nativeId: string): { identifier: string; fileName: string } | null {
  const slash = nativeId.indexOf('/');
  if (slash <= 0) return null;
  const identifier = nativeId.slice(0, slash);
  let fileName: string;
  try {
    fileName = decodeURIComponent(nativeId.slice(slash + 1));
  } catch {
    return null;
  }
  return isIdentifier(identifier) && fileName !== '' ? { identifier, fileName } : null;
}

const SOLR_SPECIAL = /[+\-!(){}[\]^"~*?:\\/&|]/g;

/** User text as a Solr query: special characters escaped, boolean words lower-cased so they stay words. */
export function escapeQuery(input: string): string {
  return input
    .trim()
    .replace(/\s+/g, ' ')
    .replace(SOLR_SPECIAL, (char) => `\\${char}`)
    .replace(/\b(AND|OR|NOT|TO)\b/g, (word) => word.toLowerCase());
}

function detailsUrl(identifier: string, fileName?: string): string {
  return `${SITE}/details/${identifier}${fileName ? `/${encodeFilePath(fileName)}` : ''}`;
}

function downloadUrl(identifier: string, fileName: string): string {
  return `${SITE}/download/${identifier}/${encodeFilePath(fileName)}`;
}

function encodeFilePath(name: string): string {
  return name.split('/').map(encodeURIComponent).join('/');
}

type AudioKind = 'lossless' | 'mp3' | 'vorbis' | 'other';

/**
 * How IA names audio formats in `files[].format`. "Flac FingerPrint" is a checksum list, and
 * "64Kbps MP3 ZIP" or "VBR M3U" are archives and playlists of the audio, not audio.
 */
function audioKind(format: string | undefined): AudioKind | null {
  const value = (typeof format === 'string' ? format : '').trim().toLowerCase();
  if (value === '' || /fingerprint|peaks|spectrogram|\bzip\b|\bm3u\b|torrent/.test(value)) return null;
  if (/\bflac\b/.test(value) || value === 'wave' || value === 'aiff' || value === 'wav') return 'lossless';
  if (/\bmp3\b/.test(value)) return 'mp3';
  if (value.includes('ogg vorbis') || value === 'opus') return 'vorbis';
  if (['shorten', 'apple lossless audio', 'windows media audio', 'aac', 'advanced audio coding', 'm4a'].includes(value)) return 'other';
  return null;
}

/**
 * The file the download pipeline should fetch for one recording: lossless originals first, then
 * lossless derivatives IA made (from Shorten, say), then MP3 (original before derivative), then
 * Ogg Vorbis. Formats the pipeline cannot verify (Shorten, WMA, ALAC) are never chosen.
 */
export function bestDownload(original: IaFile, derivatives: readonly IaFile[]): IaFile | null {
  const rank = (file: IaFile): number => {
    const kind = audioKind(file.format);
    const isOriginal = file === original;
    if (kind === 'lossless') return isOriginal ? 0 : 1;
    if (kind === 'mp3') return isOriginal ? 2 : 3;
    if (kind === 'vorbis') return 4;
    return Number.POSITIVE_INFINITY;
  };
  const candidates = [original, ...derivatives].filter((file) => Number.isFinite(rank(file)) && text(file.name));
  candidates.sort((a, b) => rank(a) - rank(b));
  return candidates[0] ?? null;
}

/** Every string in a free-form metadata value (`"a"`, `["a","b"]`). */
function strings(value: IaValue): string[] {
  return list(value as string | string[] | undefined)
    .map((entry) => text(entry))
    .filter((entry): entry is string => entry !== null);
}

function first(value: IaValue): string | null {
  return strings(value)[0] ?? null;
}

function credits(value: IaValue): ArtistCredit[] {
  // File tags join several artists with ";" ("Vicki Dale;The Peter Pan Orchestra").
  return strings(value)
    .flatMap((entry) => entry.split(';'))
    .map((name) => name.trim())
    .filter(Boolean)
    .map((name) => ({ id: null, name }));
}

function lengthSeconds(value: string | undefined): number | null {
  const clock = clockToSeconds(value);
  if (clock !== null) return clock > 0 ? clock : null;
  const seconds = num(value);
  return seconds !== null && seconds > 0 ? Math.round(seconds) : null;
}

function trackNumber(value: string | undefined): number | null {
  const match = /^\s*(\d{1,4})/.exec(value ?? '');
  const number = match ? Number(match[1]) : null;
  return number !== null && number > 0 ? number : null;
}

/** Uploaders leave `0000-00-00 00:00:00` for "no date"; year 0000 is no date. */
function releaseDate(metadata: IaItemMetadata | IaSearchDoc): string | null {
  const date = (value: IaValue) => {
    const parsed = partialDate(first(value));
    return parsed && !parsed.startsWith('0000') ? parsed : null;
  };
  return date(metadata.date) ?? date(metadata.year as IaValue);
}

function restricted(metadata: IaItemMetadata): boolean {
  const value = metadata['access-restricted-item'];
  return value === true || first(value) === 'true';
}

/**
 * Cover art from the item's own image files: the uploaded "Item Image" (or another original
 * JPEG/PNG) as the large size, IA's "JPEG Thumb" of it as the small one. Waveform and
 * spectrogram PNGs are derivatives and never used; no image means null, never a placeholder.
 */
function coverFromFiles(identifier: string, files: readonly IaFile[]): ImageSet | null {
  const originals = files.filter((file) => file.source === 'original' && text(file.name));
  const image =
    originals.find((file) => file.format === 'Item Image') ??
    originals.find((file) => /^(jpeg|png)$/i.test(file.format ?? '') && /cover|front|folder/i.test(file.name ?? '')) ??
    originals.find((file) => /^(jpeg|png)$/i.test(file.format ?? ''));
  const thumbs = files.filter((file) => file.format === 'JPEG Thumb' && file.source === 'derivative' && text(file.name));
  const thumb = thumbs.find((file) => image && file.original === image.name) ?? thumbs[0];
  if (!image && !thumb) return null;
  return {
    small: thumb?.name ? downloadUrl(identifier, thumb.name) : null,
    medium: null,
    large: image?.name ? downloadUrl(identifier, image.name) : null,
    source: SOURCE,
  };
}

function permission(metadata: IaItemMetadata, license: License | null, best: IaFile | null, identifier: string): DownloadPermission {
  if (restricted(metadata)) {
    return {
      allowed: false,
      reason: 'NOT_LICENSED',
      detail: bilingual('The Internet Archive restricts access to this item.', 'El Internet Archive restringe el acceso a este ítem.'),
    };
  }
  if (!license) {
    const declared = first(metadata.licenseurl);
    return {
      allowed: false,
      reason: 'NOT_LICENSED',
      detail: declared
        ? bilingual(`The item's licence (${declared}) is not Creative Commons or public domain.`, `La licencia del ítem (${declared}) no es Creative Commons ni de dominio público.`)
        : bilingual('The item declares no Creative Commons or public domain licence.', 'El ítem no declara ninguna licencia Creative Commons ni de dominio público.'),
    };
  }
  if (!best?.name) {
    return {
      allowed: false,
      reason: 'SOURCE_UNAVAILABLE',
      detail: bilingual('The item has no audio file in a format the gateway can check.', 'El ítem no tiene ningún archivo de audio en un formato que la pasarela pueda comprobar.'),
    };
  }
  return { allowed: true, license, originUrl: downloadUrl(identifier, best.name) };
}

/** The recordings of an item: its audio originals, each with the derivatives IA made from it. */
function recordings(files: readonly IaFile[]): { original: IaFile; derivatives: IaFile[] }[] {
  const originals = files.filter((file) => file.source === 'original' && text(file.name) && audioKind(file.format) !== null);
  // 78rpm transfers keep alternate stylus takes under names starting with "_" next to the
  // preferred copy; list them only when an item has nothing else.
  const preferred = originals.filter((file) => !file.name!.startsWith('_'));
  const chosen = preferred.length > 0 ? preferred : originals;
  // Grouped once, so an item with thousands of files costs one pass, not one per recording.
  const derivativesOf = new Map<string, IaFile[]>();
  for (const file of files) {
    if (file.source !== 'derivative' || !file.original || audioKind(file.format) === null) continue;
    const group = derivativesOf.get(file.original);
    if (group) group.push(file);
    else derivativesOf.set(file.original, [file]);
  }
  return chosen.map((original) => ({ original, derivatives: derivativesOf.get(original.name!) ?? [] }));
}

export function assertMetadata(body: unknown): void {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new SourceError(SOURCE, 'BAD_RESPONSE', 'the metadata API answered with something other than an object');
  }
  const response = body as IaMetadataResponse;
  if (response.metadata !== undefined && (typeof response.metadata !== 'object' || response.metadata === null)) {
    throw new SourceError(SOURCE, 'BAD_RESPONSE', 'item metadata is not an object');
  }
  if (response.files !== undefined && !Array.isArray(response.files)) {
    throw new SourceError(SOURCE, 'BAD_RESPONSE', 'item files is not a list');
  }
}

export function assertSearch(body: unknown): void {
  const response = body as IaSearchResponse;
  if (!response || typeof response !== 'object' || !response.response || !Array.isArray(response.response.docs)) {
    throw new SourceError(SOURCE, 'BAD_RESPONSE', 'advanced search answered without response.docs');
  }
}

/** Null for an identifier IA does not know (`{}`), a dark item or a non-audio item. */
export function audioItem(body: IaMetadataResponse): { identifier: string; metadata: IaItemMetadata; files: IaFile[] } | null {
  if (!isRecord(body) || !isRecord(body.metadata)) return null;
  const metadata = body.metadata as IaItemMetadata;
  const identifier = first(metadata.identifier);
  if (!identifier || !isIdentifier(identifier) || body.is_dark) return null;
  if (!isAudioMediatype(first(metadata.mediatype))) return null;
  return { identifier, metadata, files: filesOf(body.files) };
}

const FILE_FIELDS = ['name', 'source', 'format', 'original', 'size', 'length', 'title', 'artist', 'creator', 'album', 'track', 'genre', 'md5', 'sha1'] as const;

/**
 * The file list with every entry an object of string fields: entries of another type are
 * dropped, numbers become strings and anything else is left out, so the readers below never
 * meet a value of the wrong type. Entries without a name name no file.
 */
function filesOf(value: unknown): IaFile[] {
  if (!Array.isArray(value)) return [];
  const files: IaFile[] = [];
  for (const entry of value) {
    if (!isRecord(entry)) continue;
    const file: IaFile = {};
    for (const field of FILE_FIELDS) {
      const raw = entry[field];
      if (typeof raw === 'string') file[field] = raw;
      else if (typeof raw === 'number' && Number.isFinite(raw)) file[field] = String(raw);
    }
    if (text(file.name)) files.push(file);
  }
  return files;
}

/**
 * The original an item file was made from: a link may name a derivative (`…_64kb.mp3`), but the
 * track is the original recording. Null when the item holds no such file.
 */
export function originalFileName(body: IaMetadataResponse, fileName: string): string | null {
  const item = audioItem(body);
  const file = item?.files.find((candidate) => candidate.name === fileName);
  if (!file) return null;
  return file.source === 'derivative' && text(file.original) ? file.original! : fileName;
}

function isAudioMediatype(mediatype: string | null): boolean {
  return mediatype === 'audio' || mediatype === 'etree';
}

export function tracksFromItem(body: IaMetadataResponse): Track[] {
  const item = audioItem(body);
  if (!item) return [];
  const { identifier, metadata, files } = item;
  const license = freeLicense(first(metadata.licenseurl));
  const cover = coverFromFiles(identifier, files);
  const albumTitle = first(metadata.title) ?? identifier;
  const albumRef = { id: formatGlobalId(SOURCE, 'item', identifier), title: albumTitle };
  const date = releaseDate(metadata);
  const genres = strings(metadata.genre);

  return recordings(files).map(({ original, derivatives }) => {
    const name = original.name!;
    const described = [original, ...derivatives];
    const pick = (read: (file: IaFile) => string | undefined) => described.map(read).map((value) => text(value)).find((value) => value !== null) ?? null;
    const artists = credits(pick((file) => file.artist) ?? pick((file) => file.creator) ?? (metadata.creator as IaValue));
    const best = bestDownload(original, derivatives);
    const mp3 = described.find((file) => audioKind(file.format) === 'mp3');
    return {
      id: formatGlobalId(SOURCE, 'track', trackNativeId(identifier, name)),
      source: SOURCE,
      title: pick((file) => file.title) ?? name.replace(/^.*\//, '').replace(/\.[^.]+$/, ''),
      artists: artists.length > 0 ? artists : credits(metadata.creator),
      album: { ...albumRef, title: pick((file) => file.album) ?? albumTitle },
      durationSec: described.map((file) => lengthSeconds(file.length)).find((value) => value !== null) ?? null,
      releaseDate: date,
      isrc: null,
      trackNumber: trackNumber(pick((file) => file.track) ?? undefined),
      cover,
      playbackUrl: detailsUrl(identifier, name),
      previewUrl: mp3?.name ? downloadUrl(identifier, mp3.name) : null,
      license,
      download: permission(metadata, license, best, identifier),
      // Item genres first; uploads without them often tag the file (ID3 "genre").
      genres: genres.length > 0 ? genres : [pick((file) => file.genre)].filter((genre): genre is string => genre !== null),
      links: [{ platform: 'internetarchive', url: detailsUrl(identifier) }],
    } satisfies Track;
  });
}

export function albumFromItem(body: IaMetadataResponse): Album | null {
  const item = audioItem(body);
  if (!item) return null;
  const { identifier, metadata, files } = item;
  const tracks = tracksFromItem(body);
  return {
    id: formatGlobalId(SOURCE, 'item', identifier),
    source: SOURCE,
    title: first(metadata.title) ?? identifier,
    artists: credits(metadata.creator),
    releaseDate: releaseDate(metadata),
    cover: coverFromFiles(identifier, files),
    trackCount: tracks.length,
    tracks,
    genres: strings(metadata.genre),
    label: first(metadata.publisher),
    type: null,
    url: detailsUrl(identifier),
    license: freeLicense(first(metadata.licenseurl)),
  };
}

/** Search results are items; without their file lists they become albums with no tracks loaded. */
export function albumsFromSearch(body: IaSearchResponse, page: number, rows: number): Page<Album> {
  const docs = body.response?.docs ?? [];
  const items = docs.flatMap((doc): Album[] => {
    if (!isRecord(doc)) return [];
    const identifier = first(doc.identifier);
    if (!identifier || !isIdentifier(identifier) || !isAudioMediatype(first(doc.mediatype))) return [];
    return [
      {
        id: formatGlobalId(SOURCE, 'item', identifier),
        source: SOURCE,
        title: first(doc.title) ?? identifier,
        artists: credits(doc.creator),
        releaseDate: releaseDate(doc),
        cover: null,
        trackCount: null,
        tracks: null,
        genres: [],
        label: null,
        type: null,
        url: detailsUrl(identifier),
        license: freeLicense(first(doc.licenseurl)),
      },
    ];
  });
  const total = num(body.response?.numFound);
  const more = total !== null ? page * rows < total : docs.length === rows;
  return { items, total, nextCursor: more && docs.length > 0 ? `page:${page + 1}` : null };
}

/** Our cursor is `page:<n>` (1-based); anything else was not handed out by us. */
export function pageFromCursor(cursor: string | null): number {
  if (cursor === null) return 1;
  const match = /^page:([1-9]\d{0,3})$/.exec(cursor);
  if (!match) throw new SourceError(SOURCE, 'BAD_INPUT', `not an Internet Archive page cursor: ${cursor.slice(0, 40)}`);
  return Number(match[1]);
}
