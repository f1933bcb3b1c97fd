import type { Album, AlbumType, ChartEntry, ImageSet, Track } from '../../domain/types.js';
import { formatGlobalId } from '../../domain/ids.js';
import { SourceError } from '../../errors/source.js';
import { isRecord } from '../shared/drift.js';
import { msToSeconds, num, partialDate, text } from '../shared/parse.js';
import type { AppleFeed, AppleFeedResult, ItunesLookup, ItunesResult } from './types.js';

export const SOURCE = 'apple';

/** A feed without `feed.results` is not a chart, whatever its status. */
export function expectFeed(body: unknown): void {
  const results = (body as AppleFeed | null)?.feed?.results;
  if (!Array.isArray(results)) throw new SourceError(SOURCE, 'BAD_RESPONSE', 'Apple RSS answer without feed.results');
}

/**
 * Apple's artwork URLs end in `<w>x<h>bb.<ext>`, and the image server renders whatever size that
 * segment asks for (up to the original), so the 100 px thumbnail in the feed is rewritten to the
 * three sizes clients use. A URL without that segment is returned as it came, as the small image.
 */
const SIZE_SEGMENT = /\/(\d{2,4})x(\d{2,4})(bb)?(\.[a-z]{3,4})$/i;

export function artworkSizes(url: string | null): ImageSet | null {
  if (!url) return null;
  if (!SIZE_SEGMENT.test(url)) return { small: url, medium: null, large: null, source: SOURCE };
  const sized = (px: number) => url.replace(SIZE_SEGMENT, (_all, _w, _h, bb: string | undefined, ext: string) => `/${px}x${px}${bb ?? ''}${ext}`);
  return { small: sized(250), medium: sized(500), large: sized(1000), source: SOURCE };
}

/** "Music" is Apple's umbrella genre on every song; it says nothing. */
const UMBRELLA_GENRE = 'Music';

export function parseSong(raw: AppleFeedResult): Track | null {
  if (!isRecord(raw)) return null;
  const id = text(raw?.id);
  const title = text(raw?.name);
  const artist = text(raw?.artistName);
  if (!id || !title || !artist) return null;
  const url = text(raw.url);
  return {
    id: formatGlobalId(SOURCE, 'song', id),
    source: SOURCE,
    title,
    // The feed names the credit as one string ("Bad Bunny & Chencho Corleone"); it is kept whole.
    artists: [{ id: null, name: artist }],
    album: null,
    durationSec: null,
    releaseDate: partialDate(raw.releaseDate),
    isrc: null,
    cover: artworkSizes(text(raw.artworkUrl100)),
    playbackUrl: url,
    previewUrl: null,
    license: null,
    download: { allowed: false, reason: 'NOT_LICENSED' },
    genres: (Array.isArray(raw.genres) ? raw.genres : [])
      .map((genre) => text(isRecord(genre) ? genre.name : undefined))
      .filter((name): name is string => name !== null && name !== UMBRELLA_GENRE),
    links: url ? [{ platform: 'applemusic', url }] : [],
  };
}

export function parseFeedEntries(feed: AppleFeed): ChartEntry[] {
  const entries: ChartEntry[] = [];
  for (const result of feed.feed?.results ?? []) {
    const track = parseSong(result);
    if (track) entries.push({ position: entries.length + 1, track, popularity: null });
  }
  return entries;
}

/** A lookup answer must have `results`; a lookup that found nothing has an empty list. */
export function expectLookup(body: unknown): void {
  if (!isRecord(body) || !Array.isArray(body.results)) throw new SourceError(SOURCE, 'BAD_RESPONSE', 'iTunes lookup answer without results');
}

/** Apple adds `uo=4` (its affiliate tracking marker) to every lookup URL; the page is the same without it. */
function pageUrl(value: unknown): string | null {
  const raw = text(value);
  if (!raw) return null;
  try {
    const url = new URL(raw);
    if (url.protocol !== 'https:') return null;
    url.searchParams.delete('uo');
    return url.toString();
  } catch {
    return null;
  }
}

function lookupResults(body: ItunesLookup): ItunesResult[] {
  return (Array.isArray(body.results) ? body.results : []).filter((result): result is ItunesResult => isRecord(result));
}

function genresOf(raw: ItunesResult): string[] {
  const genre = text(raw.primaryGenreName);
  return genre && genre !== UMBRELLA_GENRE ? [genre] : [];
}

/** A song of a lookup answer (`wrapperType: "track"`, `kind: "song"`); null for anything else. */
export function parseLookupSong(raw: ItunesResult): Track | null {
  if (!isRecord(raw) || raw.wrapperType !== 'track' || raw.kind !== 'song') return null;
  const id = text(raw.trackId);
  const title = text(raw.trackName);
  const artist = text(raw.artistName);
  if (!id || !/^\d+$/.test(id) || !title || !artist) return null;
  const albumId = text(raw.collectionId);
  const albumTitle = text(raw.collectionName);
  const url = pageUrl(raw.trackViewUrl);
  return {
    id: formatGlobalId(SOURCE, 'song', id),
    source: SOURCE,
    title,
    // Apple credits a song with one display string ("A & B"); it is kept whole.
    artists: [{ id: null, name: artist }],
    album: albumId && albumTitle ? { id: formatGlobalId(SOURCE, 'album', albumId), title: albumTitle } : null,
    durationSec: msToSeconds(raw.trackTimeMillis),
    releaseDate: partialDate(raw.releaseDate),
    isrc: null,
    trackNumber: num(raw.trackNumber),
    discNumber: num(raw.discNumber),
    cover: artworkSizes(text(raw.artworkUrl100)),
    playbackUrl: url,
    previewUrl: pageUrl(raw.previewUrl),
    license: null,
    download: { allowed: false, reason: 'NOT_LICENSED' },
    genres: genresOf(raw),
    links: url ? [{ platform: 'applemusic', url }] : [],
  };
}

/** The one song a lookup by song id names. */
export function songFromLookup(body: ItunesLookup, id: string): Track | null {
  const raw = lookupResults(body).find((result) => text(result.trackId) === id);
  return raw ? parseLookupSong(raw) : null;
}

/** Apple marks EPs and singles in the album name only ("… - EP", "… - Single"). */
function albumType(name: string): AlbumType {
  if (/ - EP$/.test(name)) return 'EP';
  if (/ - Single$/.test(name)) return 'SINGLE';
  return 'ALBUM';
}

/** The album of a lookup by album id with `entity=song`: the collection and its songs in disc and track order. */
export function albumFromLookup(body: ItunesLookup, id: string): Album | null {
  const results = lookupResults(body);
  const raw = results.find((result) => result.wrapperType === 'collection' && text(result.collectionId) === id);
  const title = text(raw?.collectionName);
  if (!raw || !title) return null;
  const tracks = results
    .filter((result) => text(result.collectionId) === id)
    .map(parseLookupSong)
    .filter((track): track is Track => track !== null)
    .sort((a, b) => (a.discNumber ?? 1) - (b.discNumber ?? 1) || (a.trackNumber ?? 0) - (b.trackNumber ?? 0));
  const artist = text(raw.artistName);
  return {
    id: formatGlobalId(SOURCE, 'album', id),
    source: SOURCE,
    title,
    artists: artist ? [{ id: null, name: artist }] : [],
    releaseDate: partialDate(raw.releaseDate),
    cover: artworkSizes(text(raw.artworkUrl100)),
    trackCount: num(raw.trackCount) ?? tracks.length,
    tracks,
    genres: genresOf(raw),
    label: null,
    type: raw.collectionType === 'Album' ? albumType(title) : 'OTHER',
    url: pageUrl(raw.collectionViewUrl),
  };
}
