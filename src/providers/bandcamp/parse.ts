import { platformOfHost } from '../shared/links.js';
import type { Album, AlbumRef, AlbumType, Artist, ArtistCredit, DownloadPermission, ExternalLink, ImageSet, License, Track } from '../../domain/types.js';
import { formatGlobalId } from '../../domain/ids.js';
import { bilingual } from '../../domain/text.js';
import { SourceError } from '../../errors/source.js';
import { num, partialDate, seconds, text } from '../shared/parse.js';
import { FieldReader, isRecord } from '../shared/drift.js';
import type { ArtistPage, GridItem, ReleasePage, SearchItem } from './html.js';
import { SOURCE, artistIdFromUrl, artistNativeIdOf, numericReleaseId, releaseGlobalId, releaseIdFromUrl } from './ids.js';
import type {
  BcAutocompleteResult,
  BcBandDetails,
  BcDiscographyItem,
  BcLdJson,
  BcMobileTrack,
  BcTrackInfo,
  BcTralbum,
  BcTralbumDetails,
} from './types.js';

// ---------------------------------------------------------------------------------------------
// Images

/**
 * Every Bandcamp image is `https://f4.bcbits.com/img/<name>_<size>.jpg`, where `<name>` is
 * `a<art_id>` (10 digits, zero-padded) for cover art and `<image_id>` for artist photos, and
 * `<size>` picks a fixed rendition. The codes used here are squares no smaller than asked:
 * 4 = 300 px, 16 = 700 px, 10 = 1200 px (size table: ghuntley/bandcamp-api-docs, Images.md;
 * `_10` is what Bandcamp's own ld+json links as the release image).
 */
const SIZE_CODES = { small: 4, medium: 16, large: 10 } as const;

function imageSet(name: string): ImageSet {
  const url = (code: number) => `https://f4.bcbits.com/img/${name}_${code}.jpg`;
  return { small: url(SIZE_CODES.small), medium: url(SIZE_CODES.medium), large: url(SIZE_CODES.large), source: SOURCE };
}

const positiveId = (value: unknown): number | null => {
  const id = num(value);
  return id !== null && Number.isInteger(id) && id > 0 ? id : null;
};

export function coverArt(artId: unknown): ImageSet | null {
  const id = positiveId(artId);
  return id === null ? null : imageSet(`a${String(id).padStart(10, '0')}`);
}

export function bandImage(imageId: unknown): ImageSet | null {
  const id = positiveId(imageId);
  return id === null ? null : imageSet(String(id).padStart(10, '0'));
}

/** Any bcbits image address (search thumbnails, grid art) → the same image in the three sizes. */
export function imagesFromUrl(url: unknown): ImageSet | null {
  const match = /^https?:\/\/f\d+\.bcbits\.com\/img\/(a?)(\d+)_\d+\.(?:jpg|png)$/.exec(text(url) ?? '');
  if (!match) return null;
  return match[1] ? coverArt(match[2]) : bandImage(match[2]);
}

// ---------------------------------------------------------------------------------------------
// Dates

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * Bandcamp writes dates as `01 Nov 2019 00:00:00 GMT` (page JSON), `released December 23, 2012`
 * (search), or Unix seconds (mobile API). All become `YYYY-MM-DD`, read in UTC.
 */
export function bandcampDate(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) {
    return new Date(value * 1000).toISOString().slice(0, 10);
  }
  const raw = text(value)?.replace(/^released\s+/i, '');
  if (!raw) return null;
  const dayFirst = /^(\d{1,2}) ([A-Za-z]{3})[a-z]* (\d{4})/.exec(raw);
  const monthFirst = /^([A-Za-z]{3})[a-z]* (\d{1,2}), (\d{4})/.exec(raw);
  const [day, month, year] = dayFirst
    ? [dayFirst[1], dayFirst[2], dayFirst[3]]
    : monthFirst
      ? [monthFirst[2], monthFirst[1], monthFirst[3]]
      : [null, null, null];
  const monthIndex = month ? MONTHS.indexOf(month.toLowerCase()) : -1;
  if (monthIndex < 0 || !day || !year) return partialDate(raw);
  return `${year}-${String(monthIndex + 1).padStart(2, '0')}-${day.padStart(2, '0')}`;
}

/** ISO 8601 durations from ld+json: `P00H01M04S` → 64. */
export function isoDurationSeconds(value: unknown): number | null {
  const match = /^P(?:T)?(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?$/.exec(text(value) ?? '');
  if (!match || match[0] === 'P') return null;
  return seconds(Number(match[1] ?? 0) * 3600 + Number(match[2] ?? 0) * 60 + Number(match[3] ?? 0));
}

// ---------------------------------------------------------------------------------------------
// Links and downloads


export function linkOf(url: unknown): ExternalLink | null {
  const raw = text(url);
  if (!raw) return null;
  try {
    const parsed = new URL(raw);
    if (!/^https?:$/.test(parsed.protocol)) return null;
    const host = parsed.hostname.toLowerCase();
    return { platform: platformOfHost(host) ?? 'official', url: raw };
  } catch {
    return null;
  }
}

/**
 * The artist decides per release. The one field that proves a free download is on offer is
 * `freeDownloadPage` (a `bandcamp.com/download?fsig=…` page); `download_pref` and "name your
 * price" alone are not enough. The streaming `mp3-128` files are never offered as downloads.
 */
export function downloadOf(freeDownloadPage: unknown, license: License | null): DownloadPermission {
  const page = text(freeDownloadPage);
  if (page && /^https:\/\/([a-z0-9-]+\.)*bandcamp\.com\/download\?/.test(page)) {
    return { allowed: true, license, originUrl: page };
  }
  return SOLD;
}

const SOLD: DownloadPermission = {
  allowed: false,
  reason: 'NOT_LICENSED',
  detail: bilingual('the artist sells this release; buy it on Bandcamp', 'el artista vende este lanzamiento; cómpralo en Bandcamp'),
};

const NOT_STATED: DownloadPermission = {
  allowed: false,
  reason: 'NOT_LICENSED',
  detail: bilingual('Bandcamp search results do not say; the release page does', 'los resultados de búsqueda de Bandcamp no lo dicen; la página del lanzamiento sí'),
};

// ---------------------------------------------------------------------------------------------
// Release pages

function sameName(a: string | null, b: string | null): boolean {
  return a !== null && b !== null && a.trim().toLowerCase() === b.trim().toLowerCase();
}

/**
 * The page belongs to a band or a label. Its artist link is given only when the release's
 * artist is that band, so a label's release is not credited to the label's page.
 */
function credit(name: string | null, pageUrl: string, band: ReleasePage['band']): ArtistCredit[] {
  if (!name) return [];
  const bandName = band ? text(band.name) : null;
  return [{ id: bandName === null || sameName(name, bandName) ? artistIdFromUrl(pageUrl) : null, name }];
}

export interface ParsedRelease {
  kind: 'album' | 'track';
  url: string;
  title: string;
  artist: string | null;
  releaseDate: string | null;
  cover: ImageSet | null;
  tags: string[];
  license: License | null;
  download: DownloadPermission;
  tralbum: BcTralbum | null;
}

/**
 * The facts every release page states, from `data-tralbum` first and the ld+json block second
 * (they carry the same data; either alone is enough). A page with neither is not a release page.
 */
export function readRelease(page: ReleasePage, requestedUrl: string, reader: FieldReader): ParsedRelease {
  const tralbum = page.tralbum;
  const ld = page.ld;
  if (!tralbum && !ld) throw new SourceError(SOURCE, 'BAD_RESPONSE', `${requestedUrl}: no release data on the page`);
  if (!tralbum) reader.missing('data-tralbum');
  const current = tralbum && isRecord(tralbum.current) ? tralbum.current : null;
  const kindValue = text(tralbum?.item_type) ?? (ld?.['@type'] === 'MusicRecording' ? 'track' : ld?.['@type'] === 'MusicAlbum' ? 'album' : null);
  const title = text(current?.title) ?? text(ld?.name);
  if (!title || (kindValue !== 'album' && kindValue !== 'track')) {
    throw new SourceError(SOURCE, 'BAD_RESPONSE', `${requestedUrl}: release page without a title or type`);
  }
  const url = text(tralbum?.url) ?? requestedUrl;
  const artist = text(tralbum ? reader.get(tralbum as Record<string, unknown>, 'artist', 'tralbum.artist') : undefined) ?? text(ld?.byArtist?.name);
  const date =
    bandcampDate(current?.release_date) ??
    bandcampDate(tralbum?.album_release_date) ??
    bandcampDate(ld?.datePublished) ??
    bandcampDate(current?.publish_date);
  if (tralbum && !Object.hasOwn(tralbum, 'art_id')) reader.missing('tralbum.art_id');
  const cover = coverArt(tralbum?.art_id) ?? imagesFromUrl(Array.isArray(ld?.image) ? ld?.image[0] : ld?.image);
  const keywords = Array.isArray(ld?.keywords) ? ld.keywords : [];
  if (tralbum && !Object.hasOwn(tralbum, 'freeDownloadPage')) reader.missing('tralbum.freeDownloadPage');
  return {
    kind: kindValue,
    url,
    title,
    artist,
    releaseDate: date,
    cover,
    tags: page.tags.length > 0 ? page.tags : keywords.filter((keyword): keyword is string => typeof keyword === 'string'),
    license: page.license,
    download: downloadOf(tralbum?.freeDownloadPage, page.license),
    tralbum,
  };
}

function trackFromInfo(
  info: BcTrackInfo,
  release: ParsedRelease,
  album: { id: string; title: string } | null,
  band: ReleasePage['band'],
  reader: FieldReader,
): Track | null {
  const title = text(reader.get(info as Record<string, unknown>, 'title', 'trackinfo.title'));
  if (!title) return null;
  const link = text(info.title_link);
  const nativeId = link ? releaseIdFromUrl(link, release.url) : null;
  if (!nativeId && release.kind !== 'track') return null;
  const id = nativeId ?? releaseIdFromUrl(release.url);
  if (!id) return null;
  if (!Object.hasOwn(info, 'duration')) reader.missing('trackinfo.duration');
  const artistName = text(info.artist) ?? release.artist;
  const playbackUrl = link ? new URL(link, release.url).toString() : release.url;
  return {
    id: releaseGlobalId('track', id),
    source: SOURCE,
    title,
    artists: credit(artistName, release.url, band),
    album,
    durationSec: seconds(info.duration),
    releaseDate: release.releaseDate,
    isrc: release.kind === 'track' ? text(release.tralbum?.current?.isrc) : null,
    trackNumber: num(info.track_num),
    cover: release.cover,
    playbackUrl,
    previewUrl: null,
    license: release.license,
    download: release.download,
    genres: release.tags,
    links: [{ platform: 'bandcamp', url: playbackUrl }],
  };
}

/** Tracks from ld+json, for pages whose `data-tralbum` is missing. */
function tracksFromLd(ld: BcLdJson | null, release: ParsedRelease, album: { id: string; title: string }, band: ReleasePage['band']): Track[] {
  const items = ld?.track?.itemListElement ?? [];
  return items.flatMap((entry) => {
    const item = entry?.item;
    const url = text(item?.['@id']);
    const id = url ? releaseIdFromUrl(url) : null;
    const title = text(item?.name);
    if (!id || !title || !url) return [];
    return [
      {
        id: releaseGlobalId('track', id),
        source: SOURCE,
        title,
        artists: credit(release.artist, release.url, band),
        album,
        durationSec: isoDurationSeconds(item?.duration),
        releaseDate: release.releaseDate,
        isrc: null,
        trackNumber: num(entry.position),
        cover: release.cover,
        playbackUrl: url,
        previewUrl: null,
        license: release.license,
        download: release.download,
        genres: release.tags,
        links: [{ platform: 'bandcamp', url }],
      } satisfies Track,
    ];
  });
}

/** An album page, or a track page read as a one-track release (a single). */
export function albumFromPage(page: ReleasePage, requestedUrl: string, reader: FieldReader): Album {
  const release = readRelease(page, requestedUrl, reader);
  const nativeId = releaseIdFromUrl(release.url) ?? releaseIdFromUrl(requestedUrl);
  if (!nativeId) throw new SourceError(SOURCE, 'BAD_RESPONSE', `${requestedUrl}: release page without a usable address`);
  const id = releaseGlobalId('album', nativeId);
  const ref = { id, title: release.title };
  const infos = release.tralbum ? (reader.get(release.tralbum as Record<string, unknown>, 'trackinfo', 'tralbum.trackinfo') as unknown) : undefined;
  const rows = Array.isArray(infos) ? infos.filter(isRecord) : [];
  let tracks: Track[] | null = rows.map((info) => trackFromInfo(info as BcTrackInfo, release, ref, page.band, reader)).filter((track): track is Track => track !== null);
  if (!release.tralbum) tracks = tracksFromLd(page.ld, release, ref, page.band);
  // Nothing streamable (locked or unreleased tracks): the page lists no tracks, so the list is unknown.
  if (tracks.length === 0) tracks = null;
  const type: AlbumType = release.kind === 'track' ? 'SINGLE' : 'ALBUM';
  const publisher = text(page.ld?.publisher?.name);
  return {
    id,
    source: SOURCE,
    title: release.title,
    artists: credit(release.artist, release.url, page.band),
    releaseDate: release.releaseDate,
    cover: release.cover,
    trackCount: tracks?.length ?? (num(page.ld?.numTracks) || null),
    tracks,
    genres: release.tags,
    label: publisher && !sameName(publisher, release.artist) ? publisher : null,
    type,
    url: release.url,
    license: release.license,
  };
}

/** A track page. Its album, when it has one, is linked through `album_url`. */
export function trackFromPage(page: ReleasePage, requestedUrl: string, reader: FieldReader): Track {
  const release = readRelease(page, requestedUrl, reader);
  if (release.kind !== 'track') throw new SourceError(SOURCE, 'NOT_FOUND', `${requestedUrl} is an album page, not a track`);
  const albumPath = text(release.tralbum?.album_url);
  const albumNative = albumPath ? releaseIdFromUrl(albumPath, release.url) : null;
  const albumTitle = text(page.ld?.inAlbum?.name);
  if (albumNative && !albumTitle) reader.missing('ld+json inAlbum.name');
  const album = albumNative && albumTitle ? { id: releaseGlobalId('album', albumNative), title: albumTitle } : null;
  const rows = Array.isArray(release.tralbum?.trackinfo) ? release.tralbum!.trackinfo! : [];
  const info: BcTrackInfo = rows[0] ?? { title: release.title, duration: null, title_link: null };
  if (rows.length === 0) reader.missing('tralbum.trackinfo');
  const track = trackFromInfo(info, release, album, page.band, reader);
  if (!track) throw new SourceError(SOURCE, 'BAD_RESPONSE', `${requestedUrl}: track page without a title`);
  if (rows.length === 0) track.durationSec = isoDurationSeconds(page.ld?.duration);
  track.trackNumber = num(release.tralbum?.current?.track_number) ?? track.trackNumber ?? null;
  return track;
}

// ---------------------------------------------------------------------------------------------
// Artist pages

export function artistFromPage(page: ArtistPage, pageUrl: string, reader: FieldReader): Artist {
  const band = page.band;
  if (!band && !page.hasProfile) throw new SourceError(SOURCE, 'BAD_RESPONSE', `${pageUrl}: not an artist page`);
  if (!band) reader.missing('data-band');
  const name = page.name ?? text(band?.name);
  if (!name) throw new SourceError(SOURCE, 'BAD_RESPONSE', `${pageUrl}: artist page without a name`);
  const url = text(band?.url) ?? pageUrl;
  const host = new URL(url).hostname;
  const links = page.links.map((link) => linkOf(link.url)).filter((link): link is ExternalLink => link !== null);
  return {
    id: formatGlobalId(SOURCE, 'artist', artistNativeIdOf(host)),
    source: SOURCE,
    name,
    disambiguation: page.location,
    type: null,
    country: null,
    photo: imagesFromUrl(page.photoUrl) ?? bandImage(band?.image_id),
    biography: page.bio ? { summary: page.bio, content: page.bio, source: SOURCE, language: null, url } : null,
    links: [{ platform: 'bandcamp', url }, ...links],
    genres: [],
    similar: [],
    url,
  };
}

/** The mobile API's artist details, for pages that show no profile (artists without releases). */
export function artistFromDetails(details: BcBandDetails, pageUrl: string): Artist {
  const name = text(details.name);
  if (!name) throw new SourceError(SOURCE, 'BAD_RESPONSE', 'band_details without a name');
  const url = text(details.bandcamp_url) ?? pageUrl;
  const bio = text(details.bio);
  const links = (details.sites ?? []).map((site) => linkOf(site?.url)).filter((link): link is ExternalLink => link !== null);
  return {
    id: formatGlobalId(SOURCE, 'artist', artistNativeIdOf(new URL(url).hostname)),
    source: SOURCE,
    name,
    disambiguation: text(details.location),
    type: null,
    country: null,
    photo: bandImage(details.bio_image_id),
    biography: bio ? { summary: bio, content: bio, source: SOURCE, language: null, url } : null,
    links: [{ platform: 'bandcamp', url }, ...links],
    genres: [],
    similar: [],
    url,
  };
}

export function albumsFromGrid(items: readonly GridItem[], pageUrl: string, bandName: string | null, reader: FieldReader): Album[] {
  return items.flatMap((item) => {
    const nativeId = item.href ? releaseIdFromUrl(item.href, pageUrl) : null;
    if (!nativeId || !item.title) {
      if (!item.href) reader.missing('music-grid-item a[href]');
      return [];
    }
    const url = new URL(item.href!, pageUrl).toString();
    const artistName = item.artistOverride?.replace(/^by\s+/i, '') ?? bandName;
    const type: AlbumType = nativeId.includes('/track/') ? 'SINGLE' : 'ALBUM';
    return [
      {
        id: releaseGlobalId('album', nativeId),
        source: SOURCE,
        title: item.title,
        artists: artistName ? [{ id: item.artistOverride ? null : artistIdFromUrl(pageUrl), name: artistName }] : [],
        releaseDate: null,
        cover: imagesFromUrl(item.imageUrl),
        trackCount: null,
        tracks: null,
        genres: [],
        label: null,
        type,
        url,
      } satisfies Album,
    ];
  });
}

export function albumsFromDiscography(items: readonly BcDiscographyItem[], pageUrl: string): Album[] {
  return items.flatMap((item) => {
    const itemId = positiveId(item?.item_id);
    const bandId = positiveId(item?.band_id);
    const title = text(item?.title);
    const kind = item?.item_type === 'album' ? 'album' : item?.item_type === 'track' ? 'track' : null;
    if (itemId === null || bandId === null || !title || !kind) return [];
    const artistName = text(item.artist_name) ?? text(item.band_name);
    return [
      {
        id: releaseGlobalId('album', numericReleaseId(bandId, kind, itemId)),
        source: SOURCE,
        title,
        artists: artistName ? [{ id: text(item.artist_name) ? null : artistIdFromUrl(pageUrl), name: artistName }] : [],
        releaseDate: bandcampDate(item.release_date),
        cover: coverArt(item.art_id),
        trackCount: null,
        tracks: null,
        genres: [],
        label: null,
        type: kind === 'track' ? 'SINGLE' : 'ALBUM',
        url: null,
      } satisfies Album,
    ];
  });
}

// ---------------------------------------------------------------------------------------------
// Mobile API (lookups by number)

function mobileRelease(details: BcTralbumDetails) {
  const url = text(details.bandcamp_url);
  const license = null;
  return {
    url,
    nativeId: url ? releaseIdFromUrl(url) : null,
    artist: text(details.tralbum_artist) ?? text(details.band?.name),
    releaseDate: bandcampDate(details.release_date),
    cover: coverArt(details.art_id),
    genres: (details.tags ?? []).filter((tag) => tag && !tag.isloc).map((tag) => text(tag.name)).filter((tag): tag is string => tag !== null),
    // The mobile API says whether a release is free but not where its download page is.
    download: details.free_download === true ? ({ allowed: true, license, originUrl: null } as const) : downloadOf(null, null),
  };
}

/**
 * The album a track of the mobile API belongs to, when the caller does not know it: the answer
 * says so per track (`tracks[].album_title`, `album_id`) or, for a track asked on its own, once
 * at the top level (`album_title`, `album_id`).
 */
function mobileAlbumOf(details: BcTralbumDetails, entry: BcMobileTrack, bandId: number | null): AlbumRef | null {
  const title = text(entry.album_title) ?? text(details.album_title);
  if (!title) return null;
  const albumId = positiveId(entry.album_id) ?? positiveId(details.album_id);
  return { id: albumId !== null && bandId !== null ? releaseGlobalId('album', numericReleaseId(bandId, 'album', albumId)) : null, title };
}

export function tracksFromMobile(details: BcTralbumDetails, fallbackNativeId: string, album: { id: string; title: string } | null): Track[] {
  const release = mobileRelease(details);
  const isTrack = details.type === 't';
  const bandId = positiveId(details.band?.band_id);
  return (details.tracks ?? []).flatMap((entry, index) => {
    const title = text(entry?.title);
    const trackId = positiveId(entry?.track_id);
    if (!title || trackId === null) return [];
    if (!isTrack && bandId === null) return [];
    const nativeId = isTrack ? (release.nativeId ?? fallbackNativeId) : numericReleaseId(bandId!, 'track', trackId);
    const playbackUrl = isTrack ? release.url : null;
    return [
      {
        id: releaseGlobalId('track', nativeId),
        source: SOURCE,
        title,
        artists: release.artist ? [{ id: release.url ? artistIdFromUrl(release.url) : null, name: release.artist }] : [],
        album: album ?? mobileAlbumOf(details, entry, bandId),
        durationSec: seconds(entry.duration),
        releaseDate: release.releaseDate,
        isrc: null,
        trackNumber: num(entry.track_num) ?? (isTrack ? null : index + 1),
        cover: release.cover,
        playbackUrl,
        previewUrl: null,
        license: null,
        download: release.download,
        genres: release.genres,
        links: playbackUrl ? [{ platform: 'bandcamp', url: playbackUrl }] : [],
      } satisfies Track,
    ];
  });
}

export function albumFromMobile(details: BcTralbumDetails, nativeId: string): Album {
  const release = mobileRelease(details);
  const title = text(details.title);
  if (!title) throw new SourceError(SOURCE, 'BAD_RESPONSE', 'tralbum_details without a title');
  const id = releaseGlobalId('album', release.nativeId ?? nativeId);
  const tracks = tracksFromMobile(details, nativeId, { id, title });
  return {
    id,
    source: SOURCE,
    title,
    artists: release.artist ? [{ id: release.url ? artistIdFromUrl(release.url) : null, name: release.artist }] : [],
    releaseDate: release.releaseDate,
    cover: release.cover,
    trackCount: tracks.length || null,
    tracks: tracks.length > 0 ? tracks : null,
    genres: release.genres,
    label: text(details.label),
    type: details.type === 't' ? 'SINGLE' : 'ALBUM',
    url: release.url,
  };
}

// ---------------------------------------------------------------------------------------------
// Search

function releaseCountOf(length: string | null): number | null {
  const match = /(\d+)\s+tracks?/i.exec(length ?? '');
  return match ? Number(match[1]) : null;
}

export function albumFromSearch(item: SearchItem, reader: FieldReader): Album | null {
  const nativeId = item.url ? releaseIdFromUrl(item.url) : null;
  if (!nativeId || !item.title) {
    reader.missing(!item.title ? 'searchresult .heading' : 'searchresult .itemurl');
    return null;
  }
  const artist = item.subhead?.replace(/^by\s+/i, '').trim() || null;
  return {
    id: releaseGlobalId('album', nativeId),
    source: SOURCE,
    title: item.title,
    artists: artist ? [{ id: artistIdFromUrl(item.url!), name: artist }] : [],
    releaseDate: bandcampDate(item.released),
    cover: imagesFromUrl(item.imageUrl),
    trackCount: releaseCountOf(item.length),
    tracks: null,
    genres: item.tags,
    label: null,
    type: nativeId.includes('/track/') ? 'SINGLE' : 'ALBUM',
    url: `https://${new URL(item.url!).host}/${nativeId.split('/').slice(1).join('/')}`,
  };
}

export function artistFromSearch(item: SearchItem, reader: FieldReader): Artist | null {
  const id = item.url ? artistIdFromUrl(item.url) : null;
  if (!id || !item.title) {
    reader.missing(!item.title ? 'searchresult .heading' : 'searchresult .itemurl');
    return null;
  }
  const url = `https://${new URL(item.url!).host}/`;
  return {
    id,
    source: SOURCE,
    name: item.title,
    disambiguation: item.subhead,
    type: item.itemType === 'LABEL' ? 'label' : item.itemType === 'ARTIST' ? 'artist' : null,
    country: null,
    photo: imagesFromUrl(item.imageUrl),
    biography: null,
    links: [{ platform: 'bandcamp', url }],
    genres: item.genre ? [item.genre] : [],
    similar: [],
    url,
  };
}

export function trackFromAutocomplete(result: BcAutocompleteResult, reader: FieldReader): Track | null {
  const url = text(reader.get(result as Record<string, unknown>, 'item_url_path', 'auto.item_url_path'));
  const nativeId = url ? releaseIdFromUrl(url) : null;
  const title = text(reader.get(result as Record<string, unknown>, 'name', 'auto.name'));
  if (!nativeId || !title || !url) return null;
  const artist = text(reader.get(result as Record<string, unknown>, 'band_name', 'auto.band_name'));
  const albumTitle = text(result.album_name);
  const albumId = positiveId(result.album_id);
  const bandId = positiveId(result.band_id);
  return {
    id: releaseGlobalId('track', nativeId),
    source: SOURCE,
    title,
    artists: artist ? [{ id: artistIdFromUrl(url), name: artist }] : [],
    album:
      albumTitle !== null
        ? { id: albumId !== null && bandId !== null ? releaseGlobalId('album', numericReleaseId(bandId, 'album', albumId)) : null, title: albumTitle }
        : null,
    durationSec: null,
    releaseDate: null,
    isrc: null,
    cover: coverArt(result.art_id) ?? imagesFromUrl(result.img),
    playbackUrl: url,
    previewUrl: null,
    license: null,
    download: NOT_STATED,
    genres: [],
    links: [{ platform: 'bandcamp', url }],
  };
}
