import type { Album, Chart, Page, Track } from '../../domain/types.js';
import { SourceError } from '../../errors/source.js';
import type { CacheKind, QueryValue } from '../../http/types.js';
import type { CallContext, NativeRef } from '../types.js';
import { defineProvider } from '../define.js';
import { failuresOf } from '../shared/failures.js';
import { compact, pageLimit } from '../shared/parse.js';
import { assertJamendoOk, fullCount, parseAlbum, parseArtist, parseTrack, SOURCE } from './parse.js';
import { parseJamendoUrl } from './urls.js';
import type { JamendoAlbum, JamendoArtist, JamendoResponse, JamendoTrack } from './types.js';

const BASE = 'https://api.jamendo.com/v3.0/';
const JAMENDO_CREDENTIAL = 'JAMENDO_CLIENT_ID';
/** Jamendo caps `limit` at 200. */
const MAX_LIMIT = 200;
/** Ids per `/tracks?id=a+b+c` call; Jamendo accepts several but documents no maximum. */
const IDS_PER_CALL = 50;
/** Jamendo's ids are positive integers. */
const JAMENDO_ID = /^[1-9]\d{0,11}$/;
/** Offsets past this are no page anyone reached by paging. */
const MAX_OFFSET = 100_000;

const fail = failuresOf(SOURCE);

/**
 * Every track request asks for the MP3 VBR stream as preview (`audioformat=mp32`) and a FLAC
 * original in `audiodownload` (`audiodlformat=flac`), so the download pipeline gets lossless
 * audio when the artist allows downloads. `include=musicinfo` adds the genre tags.
 */
const TRACK_PARAMS = { audioformat: 'mp32', audiodlformat: 'flac', include: 'musicinfo' } as const;

/** Hosts Jamendo serves downloadable files from (`audiodownload` and its redirects). */
const JAMENDO_DOWNLOAD_HOSTS = ['prod-1.storage.jamendo.com', 'storage.jamendo.com', 'mp3d.jamendo.com', 'usercontent.jamendo.com'] as const;

export const createJamendoProvider = defineProvider(
  {
    id: SOURCE,
    name: 'Jamendo',
    description: 'Música independiente con licencia Creative Commons: canciones, discos y artistas, lo más escuchado de la semana y descargas cuando el artista las permite. Necesita una clave gratuita de Jamendo (JAMENDO_CLIENT_ID).',
    hosts: ['api.jamendo.com'],
    credentials: [JAMENDO_CREDENTIAL],
    idKinds: { track: ['track'], album: ['album'], artist: ['artist'] },
    parseUrl: parseJamendoUrl,
    downloadHosts: JAMENDO_DOWNLOAD_HOSTS,
    client: { rateLimit: { requests: 5, intervalMs: 1000 } },
  },
  ({ client, credential }) => {
    const clientId = credential(JAMENDO_CREDENTIAL);

    async function call<T>(
      path: string,
      params: Record<string, QueryValue>,
      cache: CacheKind,
      ctx: CallContext,
    ): Promise<JamendoResponse<T>> {
      if (!clientId) throw new SourceError(SOURCE, 'UNCONFIGURED', `${JAMENDO_CREDENTIAL} is not set`);
      return client.json<JamendoResponse<T>>(`${BASE}${path}`, {
        ctx,
        cache,
        searchParams: { client_id: clientId, format: 'json', ...params },
        secretParams: ['client_id'],
        validate: assertJamendoOk,
      });
    }

    async function tracksWhere(params: Record<string, QueryValue>, cache: CacheKind, ctx: CallContext) {
      const body = await call<JamendoTrack>('tracks/', { ...TRACK_PARAMS, ...params }, cache, ctx);
      return { body, tracks: (body.results ?? []).map((raw) => parseTrack(raw)) };
    }

    async function tracksByIds(refs: readonly NativeRef[], ctx: CallContext): Promise<(Track | null)[]> {
      // Ids that cannot be Jamendo's are answered null without being sent.
      const ids = [...new Set(refs.filter((ref) => ref.kind === 'track' && JAMENDO_ID.test(ref.id)).map((ref) => ref.id))];
      const found = new Map<string, Track>();
      for (let start = 0; start < ids.length; start += IDS_PER_CALL) {
        const chunk = ids.slice(start, start + IDS_PER_CALL);
        // Jamendo takes several values of one parameter separated by spaces ("+" once encoded).
        const { tracks } = await tracksWhere({ id: chunk.join(' '), limit: chunk.length }, 'entity', ctx);
        for (const track of tracks) if (track) found.set(track.id, track);
      }
      return refs.map((ref) => (ref.kind === 'track' ? (found.get(`${SOURCE}:track:${ref.id}`) ?? null) : null));
    }

    return {

      async searchTracks(input, ctx) {
        const offset = offsetOf(input.cursor);
        const limit = pageLimit(input.limit, MAX_LIMIT);
        const { body, tracks } = await tracksWhere({ search: input.query, limit, offset, fullcount: 'true' }, 'search', ctx);
        return pageOf(tracks, body, offset, limit);
      },

      async searchAlbums(input, ctx) {
        const offset = offsetOf(input.cursor);
        const limit = pageLimit(input.limit, MAX_LIMIT);
        const body = await call<JamendoAlbum>('albums/', { namesearch: input.query, limit, offset, fullcount: 'true' }, 'search', ctx);
        return pageOf((body.results ?? []).map((raw) => parseAlbum(raw)), body, offset, limit);
      },

      async searchArtists(input, ctx) {
        const offset = offsetOf(input.cursor);
        const limit = pageLimit(input.limit, MAX_LIMIT);
        const body = await call<JamendoArtist>('artists/', { namesearch: input.query, limit, offset, fullcount: 'true' }, 'search', ctx);
        return pageOf((body.results ?? []).map((raw) => parseArtist(raw, ctx.languages)), body, offset, limit);
      },

      async track(ref, ctx) {
        checkId(ref, 'track');
        const [track] = await tracksByIds([ref], ctx);
        if (!track) throw notFound(ref);
        return track;
      },

      tracksByIds,

      async album(ref, ctx) {
        checkId(ref, 'album');
        const body = await call<JamendoAlbum>('albums/tracks/', { id: ref.id, ...TRACK_PARAMS }, 'entity', ctx);
        const album = body.results?.[0] ? parseAlbum(body.results[0]) : null;
        if (!album) throw notFound(ref);
        return album;
      },

      async artist(ref, ctx) {
        checkId(ref, 'artist');
        // `/artists/musicinfo` is `/artists` (website, image, page) plus tags and description.
        const body = await call<JamendoArtist>('artists/musicinfo/', { id: ref.id }, 'entity', ctx);
        const artist = body.results?.[0] ? parseArtist(body.results[0], ctx.languages) : null;
        if (!artist) throw notFound(ref);
        return artist;
      },

      async artistAlbums(ref, input, ctx) {
        checkId(ref, 'artist');
        const offset = offsetOf(input.cursor);
        // `limit`/`offset` here page artists, not their albums: fetch the artist's list once, page it here.
        const body = await call<JamendoArtist>('artists/albums/', { id: ref.id }, 'entity', ctx);
        const rawArtist = body.results?.[0];
        if (!rawArtist || typeof rawArtist !== 'object') throw notFound(ref);
        const albums = (Array.isArray(rawArtist.albums) ? rawArtist.albums : [])
          .map((raw) => parseAlbum(raw, rawArtist))
          .filter((album): album is Album => album !== null)
          .sort((a, b) => (b.releaseDate ?? '').localeCompare(a.releaseDate ?? ''));
        const limit = Math.max(1, input.limit);
        const items = albums.slice(offset, offset + limit);
        const next = offset + items.length;
        return { items, total: albums.length, nextCursor: next < albums.length ? String(next) : null };
      },

      async chart(input, ctx): Promise<Chart> {
        if (input.country !== null) {
          throw new SourceError(SOURCE, 'NOT_FOUND', `Jamendo has no chart for country ${input.country}`);
        }
        const limit = pageLimit(input.limit, MAX_LIMIT);
        const params: Record<string, QueryValue> = { order: 'popularity_week', limit };
        if (input.genre) params.tags = input.genre;
        const { tracks } = await tracksWhere(params, 'chart', ctx);
        const entries = tracks
          .filter((track): track is Track => track !== null)
          .map((track, index) => ({ position: index + 1, track, popularity: null }));
        return {
          scope: 'GLOBAL',
          source: SOURCE,
          fetchedAt: new Date().toISOString(),
          title: input.genre ? `Jamendo: lo más escuchado de la semana (${input.genre})` : 'Jamendo: lo más escuchado de la semana',
          entries,
        };
      },
    };
  },
);

function notFound(ref: NativeRef): SourceError {
  return fail.notFound(`no ${ref.kind} ${ref.id} on Jamendo`);
}

/** A ref of another kind, or an id Jamendo could not have given, names nothing there: nothing is sent. */
function checkId(ref: NativeRef, kind: 'track' | 'album' | 'artist'): void {
  if (ref.kind !== kind || !JAMENDO_ID.test(ref.id)) throw fail.notFound(`not a Jamendo ${kind} id: ${ref.kind}:${ref.id}`);
}

/** Our cursor for Jamendo is the offset of the next page; anything else was not handed out by us. */
function offsetOf(cursor: string | null): number {
  if (cursor === null) return 0;
  const offset = /^\d{1,6}$/.test(cursor) ? Number(cursor) : NaN;
  if (!(offset <= MAX_OFFSET)) throw fail.badInput(`not a Jamendo page cursor: ${cursor.slice(0, 40)}`);
  return offset;
}

function pageOf<T>(parsed: (T | null)[], body: JamendoResponse<unknown>, offset: number, limit: number): Page<T> {
  const total = fullCount(body);
  const next = offset + parsed.length;
  const more = total !== null ? next < total : parsed.length >= limit;
  return {
    items: compact(parsed),
    total,
    nextCursor: more && parsed.length > 0 ? String(next) : null,
  };
}

