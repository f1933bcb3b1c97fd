import type { Album, Artist, Chart, ImageSet, Page, Track } from '../../domain/types.js';
import { SourceError } from '../../errors/source.js';
import { defineProvider } from '../define.js';
import { orNull } from '../shared/failures.js';
import type { CacheKind, QueryValue } from '../../http/types.js';
import type { ArtistQuery, CallContext, ChartInput, NativeRef, SearchInput } from '../types.js';
import { num, pageLimit, text } from '../shared/parse.js';
import {
  SOURCE,
  artistPicture,
  deezerArtistIdFromUrl,
  expectEntity,
  expectList,
  normaliseName,
  parseAlbum,
  parseArtist,
  parseChartEntries,
  parseTrack,
} from './parse.js';
import type { DzAlbum, DzArtist, DzList, DzTrack } from './types.js';

const API = 'https://api.deezer.com';
/** Deezer allows 50 requests per 5 seconds per client. */
const RATE_LIMIT = { requests: 10, intervalMs: 1000 };
const MAX_PAGE_SIZE = 100;

export const createDeezerProvider = defineProvider(
  {
    id: SOURCE,
    name: 'Deezer',
    description: 'Catálogo de Deezer sin clave: búsqueda, fotos de artistas, lista de éxitos mundial y fragmentos de 30 segundos para escuchar.',
    homepage: 'https://developers.deezer.com/api',
    hosts: ['api.deezer.com'],
    idKinds: { track: ['track'], album: ['album'], artist: ['artist'] },
    client: { rateLimit: RATE_LIMIT },
  },
  ({ client }) => {
    function list<T>(path: string, searchParams: Record<string, QueryValue>, cache: CacheKind, ctx: CallContext): Promise<DzList<T>> {
      return client.json<DzList<T>>(`${API}${path}`, { ctx, cache, searchParams, validate: expectList });
    }

    function entity<T>(path: string, ctx: CallContext): Promise<T> {
      return client.json<T>(`${API}${path}`, { ctx, cache: 'entity', validate: expectEntity });
    }

    async function search<T, R>(kind: 'track' | 'album' | 'artist', input: SearchInput, ctx: CallContext, parse: (raw: T) => R | null): Promise<Page<R>> {
      const index = offsetFromCursor(input.cursor);
      const limit = pageLimit(input.limit, MAX_PAGE_SIZE);
      const body = await list<T>(`/search/${kind}`, { q: input.query, index, limit }, 'search', ctx);
      const rows = body.data ?? [];
      const items = rows.map(parse).filter((item): item is R => item !== null);
      // Deezer sends `next` only while there is more; its offset is ours to continue from.
      return { items, total: num(body.total), nextCursor: body.next && rows.length > 0 ? String(index + rows.length) : null };
    }

    async function pictureById(id: string, ctx: CallContext): Promise<ImageSet | null> {
      const artist = await orNull(entity<DzArtist>(`/artist/${id}`, ctx));
      return artist ? artistPicture(artist) : null;
    }

    return {

      searchTracks: (input, ctx): Promise<Page<Track>> => search<DzTrack, Track>('track', input, ctx, (raw) => parseTrack(raw)),
      searchAlbums: (input, ctx): Promise<Page<Album>> => search<DzAlbum, Album>('album', input, ctx, parseAlbum),
      searchArtists: (input, ctx): Promise<Page<Artist>> => search<DzArtist, Artist>('artist', input, ctx, parseArtist),

      async track(ref, ctx): Promise<Track> {
        const track = parseTrack(await entity<DzTrack>(`/track/${numericId(ref, 'track')}`, ctx));
        if (!track) throw new SourceError(SOURCE, 'BAD_RESPONSE', 'Deezer track without id or title');
        return track;
      },

      async album(ref, ctx): Promise<Album> {
        const album = parseAlbum(await entity<DzAlbum>(`/album/${numericId(ref, 'album')}`, ctx));
        if (!album) throw new SourceError(SOURCE, 'BAD_RESPONSE', 'Deezer album without id or title');
        return album;
      },

      async artist(ref, ctx): Promise<Artist> {
        const artist = parseArtist(await entity<DzArtist>(`/artist/${numericId(ref, 'artist')}`, ctx));
        if (!artist) throw new SourceError(SOURCE, 'BAD_RESPONSE', 'Deezer artist without id or name');
        return artist;
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

      async chart(input: ChartInput, ctx): Promise<Chart> {
        // Deezer's public API has one overall chart (`/chart/0`); it takes no country or genre code.
        if (input.country) throw new SourceError(SOURCE, 'NOT_FOUND', `Deezer has no chart by country code (${input.country})`);
        if (input.genre) throw new SourceError(SOURCE, 'NOT_FOUND', 'Deezer charts by genre need Deezer genre ids');
        const limit = pageLimit(input.limit, MAX_PAGE_SIZE);
        const body = await list<DzTrack>('/chart/0/tracks', { limit }, 'chart', ctx);
        return {
          scope: 'GLOBAL',
          source: SOURCE,
          fetchedAt: new Date().toISOString(),
          title: 'Deezer: top tracks',
          entries: parseChartEntries(body.data ?? []).slice(0, limit),
        };
      },
    };
  },
);

function numericId(ref: NativeRef, kind: 'track' | 'album' | 'artist'): string {
  if (ref.kind !== kind || !/^\d{1,20}$/.test(ref.id)) {
    throw new SourceError(SOURCE, 'NOT_FOUND', `not a Deezer ${kind} id: ${ref.kind}:${ref.id}`);
  }
  return ref.id;
}

function offsetFromCursor(cursor: string | null): number {
  const offset = num(cursor);
  return offset !== null && Number.isInteger(offset) && offset >= 0 ? offset : 0;
}

