import type { Album, Artist, Chart, ImageSet, Page, Track } from '../../domain/types.js';
import { defineProvider } from '../define.js';
import { failuresOf, orNull } from '../shared/failures.js';
import type { CacheKind, QueryValue } from '../../http/types.js';
import type { ArtistQuery, BrowseInput, CallContext, ChartInput, NativeRef, SearchInput } from '../types.js';
import { num, pageLimit, text } from '../shared/parse.js';
import {
  SOURCE,
  artistPicture,
  expectEntity,
  expectList,
  normaliseBarcode,
  normaliseIsrc,
  normaliseName,
  parseAlbum,
  parseAlbumTracks,
  parseArtist,
  parseChartEntries,
  parseTrack,
} from './parse.js';
import { DEEZER_CHART_GENRES, deezerGenreId } from './genres.js';
import { deezerArtistIdFromUrl, parseDeezerUrl } from './urls.js';
import type { DzAlbum, DzArtist, DzList, DzTrack } from './types.js';

const API = 'https://api.deezer.com';
/** Deezer allows 50 requests per 5 seconds per client. */
const RATE_LIMIT = { requests: 10, intervalMs: 1000 };
const MAX_PAGE_SIZE = 100;
/** `/album/<id>/tracks` comes in pages of 25: albums are read up to 500 tracks, whatever a page holds. */
const MAX_TRACKLIST_PAGES = 20;
const MAX_TRACKLIST = 500;
/** Offsets past this are no page anyone reached by paging. */
const MAX_OFFSET = 100_000;

const fail = failuresOf(SOURCE);

export const createDeezerProvider = defineProvider(
  {
    id: SOURCE,
    name: 'Deezer',
    description:
      'Catálogo de Deezer sin clave: búsqueda, fotos de artistas, listas de éxitos mundial y por género, fragmentos de 30 segundos para escuchar, artistas parecidos y búsqueda por ISRC o código de barras.',
    hosts: ['api.deezer.com'],
    idKinds: { track: ['track'], album: ['album'], artist: ['artist'] },
    parseUrl: parseDeezerUrl,
    chartGenres: DEEZER_CHART_GENRES,
    client: { rateLimit: RATE_LIMIT },
  },
  ({ client }) => {
    function list<T>(path: string, searchParams: Record<string, QueryValue>, cache: CacheKind, ctx: CallContext): Promise<DzList<T>> {
      return client.json<DzList<T>>(`${API}${path}`, { ctx, cache, searchParams, validate: expectList });
    }

    function entity<T>(path: string, ctx: CallContext): Promise<T> {
      return client.json<T>(`${API}${path}`, { ctx, cache: 'entity', validate: expectEntity });
    }

    /** One page of a Deezer list that pages with `index`/`limit` and says `next` while there is more. */
    async function paged<T, R>(path: string, params: Record<string, QueryValue>, input: BrowseInput, cache: CacheKind, ctx: CallContext, parse: (raw: T) => R | null): Promise<Page<R>> {
      const index = offsetFromCursor(input.cursor);
      const limit = pageLimit(input.limit, MAX_PAGE_SIZE);
      const body = await list<T>(path, { ...params, index, limit }, cache, ctx);
      // Never more than was asked for, whatever the answer holds.
      const rows = (body.data ?? []).slice(0, limit);
      const items = rows.map(parse).filter((item): item is R => item !== null);
      return { items, total: num(body.total), nextCursor: body.next && rows.length > 0 ? String(index + rows.length) : null };
    }

    function search<T, R>(kind: 'track' | 'album' | 'artist', input: SearchInput, ctx: CallContext, parse: (raw: T) => R | null): Promise<Page<R>> {
      return paged<T, R>(`/search/${kind}`, { q: input.query }, input, 'search', ctx, parse);
    }

    async function pictureById(id: string, ctx: CallContext): Promise<ImageSet | null> {
      const artist = await orNull(entity<DzArtist>(`/artist/${id}`, ctx));
      return artist ? artistPicture(artist) : null;
    }

    /**
     * The album's whole track list from `/album/<id>/tracks`: unlike the tracks embedded in the
     * album lookup (at most 25, without ISRCs), it pages through every track and gives each ISRC.
     */
    async function tracklist(raw: DzAlbum, id: string, ctx: CallContext): Promise<Track[]> {
      let collected: unknown[] = [];
      for (let page = 0; page < MAX_TRACKLIST_PAGES && collected.length < MAX_TRACKLIST; page++) {
        const params: Record<string, QueryValue> = collected.length === 0 ? {} : { index: collected.length };
        const body = await list<DzTrack>(`/album/${id}/tracks`, params, 'entity', ctx);
        const rows = (body.data ?? []).slice(0, MAX_TRACKLIST - collected.length);
        collected = collected.concat(rows);
        if (typeof body.next !== 'string' || rows.length === 0) break;
      }
      return parseAlbumTracks(raw, collected);
    }

    return {
      searchTracks: (input, ctx): Promise<Page<Track>> => search<DzTrack, Track>('track', input, ctx, (raw) => parseTrack(raw)),
      searchAlbums: (input, ctx): Promise<Page<Album>> => search<DzAlbum, Album>('album', input, ctx, parseAlbum),
      searchArtists: (input, ctx): Promise<Page<Artist>> => search<DzArtist, Artist>('artist', input, ctx, parseArtist),

      async track(ref, ctx): Promise<Track> {
        const track = parseTrack(await entity<DzTrack>(`/track/${numericId(ref, 'track')}`, ctx));
        if (!track) throw fail.badResponse('Deezer track without id or title');
        return track;
      },

      async album(ref, ctx): Promise<Album> {
        const id = numericId(ref, 'album');
        const raw = await entity<DzAlbum>(`/album/${id}`, ctx);
        const album = parseAlbum(raw);
        if (!album) throw fail.badResponse('Deezer album without id or title');
        return { ...album, tracks: await tracklist(raw, id, ctx) };
      },

      async artist(ref, ctx): Promise<Artist> {
        const artist = parseArtist(await entity<DzArtist>(`/artist/${numericId(ref, 'artist')}`, ctx));
        if (!artist) throw fail.badResponse('Deezer artist without id or name');
        return artist;
      },

      /** Deezer's own "related artists" for this one (`/artist/<id>/related`), most related first. */
      async similarArtists(ref, input, ctx): Promise<Page<Artist>> {
        const id = numericId(ref, 'artist');
        return paged<DzArtist, Artist>(`/artist/${id}/related`, {}, input, 'entity', ctx, parseArtist);
      },

      /** `/track/isrc:<ISRC>` names one track; "no data" means Deezer has none with that code. */
      async tracksByIsrc(isrc, ctx): Promise<Track[]> {
        const wanted = normaliseIsrc(isrc);
        if (!wanted) throw fail.badInput(`not an ISRC: ${isrc}`);
        const raw = await orNull(entity<DzTrack>(`/track/isrc:${wanted}`, ctx));
        if (!raw) return [];
        const track = parseTrack(raw);
        if (!track) throw fail.badResponse('Deezer track without id or title');
        return track.isrcs?.includes(wanted) ? [track] : [];
      },

      /** `/album/upc:<code>`, under the code as given and then its other spelling (see `barcodeSpellings`). */
      async albumsByBarcode(barcode, ctx): Promise<Album[]> {
        const digits = normaliseBarcode(barcode);
        if (!digits) throw fail.badInput(`not a barcode: ${barcode}`);
        for (const spelling of barcodeSpellings(digits)) {
          const raw = await orNull(entity<DzAlbum>(`/album/upc:${spelling}`, ctx));
          if (!raw) continue;
          const album = parseAlbum(raw);
          if (!album) throw fail.badResponse('Deezer album without id or title');
          return [album];
        }
        return [];
      },

      /**
       * A Deezer link among the artist's MusicBrainz relationships names the artist exactly; without
       * one, the first search hit whose normalised name equals the asked name is taken. A near miss
       * ("… Tribute Band") is no match, and an artist without a picture gives null, not Deezer's
       * grey silhouette.
       */
      async artistImage(query: ArtistQuery, ctx): Promise<ImageSet | null> {
        for (const link of query.links) {
          const id = deezerArtistIdFromUrl(link.url);
          if (id) {
            const photo = await pictureById(id, ctx);
            if (photo) return photo;
          }
        }
        const name = text(query.name);
        if (!name) return null;
        const wanted = normaliseName(name);
        if (!wanted) return null;
        const body = await list<DzArtist>('/search/artist', { q: name }, 'search', ctx);
        const match = (body.data ?? []).find((artist) => {
          const candidate = text(artist?.name);
          return candidate !== null && normaliseName(candidate) === wanted;
        });
        return match ? artistPicture(match) : null;
      },

      /**
       * `/chart/0/tracks` is the overall chart and `/chart/<genre id>/tracks` a genre's (ids in
       * genres.ts); Deezer has no chart by country code.
       */
      async chart(input: ChartInput, ctx): Promise<Chart> {
        if (input.country) throw fail.notFound(`Deezer has no chart by country code (${input.country})`);
        const genreId = input.genre ? deezerGenreId(input.genre) : 0;
        if (genreId === null) throw fail.notFound(`Deezer has no chart for the genre "${input.genre}"`);
        const limit = pageLimit(input.limit, MAX_PAGE_SIZE);
        const body = await list<DzTrack>(`/chart/${genreId}/tracks`, { limit }, 'chart', ctx);
        return {
          scope: 'GLOBAL',
          source: SOURCE,
          fetchedAt: new Date().toISOString(),
          title: input.genre ? `Deezer: top tracks (${input.genre})` : 'Deezer: top tracks',
          entries: parseChartEntries((body.data ?? []).slice(0, limit)),
        };
      },
    };
  },
);

function numericId(ref: NativeRef, kind: 'track' | 'album' | 'artist'): string {
  if (ref.kind !== kind || !/^[1-9]\d{0,19}$/.test(ref.id)) throw fail.notFound(`not a Deezer ${kind} id: ${ref.kind}:${ref.id}`);
  return ref.id;
}

/** Our cursor is the offset Deezer's `index` continues from; anything else was not handed out by us. */
function offsetFromCursor(cursor: string | null): number {
  if (cursor === null) return 0;
  const offset = /^\d{1,6}$/.test(cursor) ? Number(cursor) : NaN;
  if (!(offset <= MAX_OFFSET)) throw fail.badInput(`not a Deezer page cursor: ${cursor.slice(0, 40)}`);
  return offset;
}

/**
 * Deezer files a release under the code its distributor delivered, a 12-digit UPC-A or a 13-digit
 * EAN-13, and its `upc:` lookup matches that spelling only. A UPC-A is the EAN-13 with a leading
 * zero dropped, so when one spelling finds nothing the other is asked.
 */
function barcodeSpellings(digits: string): string[] {
  if (digits.length === 13 && digits.startsWith('0')) return [digits, digits.slice(1)];
  if (digits.length === 12) return [digits, `0${digits}`];
  return [digits];
}
