import type { Album, Artist, Chart, Page, Track } from '../../domain/types.js';
import { SourceError, isSourceError } from '../../errors/source.js';
import type { CacheKind, QueryValue } from '../../http/types.js';
import type { CallContext, ChartInput, NativeRef, SearchInput } from '../types.js';
import { defineProvider } from '../define.js';
import { failuresOf, orNull } from '../shared/failures.js';
import { compact, pageLimit, text } from '../shared/parse.js';
import { ClientIdKeeper } from './clientId.js';
import { FieldReader, isRecord } from '../shared/drift.js';
import { PERMALINK_KIND, parseSoundcloudUrl, permalinkEntity, type PermalinkEntity } from './links.js';
import {
  API_BASE,
  SOURCE,
  expectArray,
  expectCollection,
  expectEntity,
  isTrackStub,
  offsetFromNextHref,
  parseChartEntries,
  parsePlaylist,
  parseTrack,
  parseUser,
} from './parse.js';
import type { ScChart, ScCollection, ScPlaylist, ScTrack, ScUser } from './types.js';

/** The web player's own pace; api-v2 has no published limit. */
const RATE_LIMIT = { requests: 5, intervalMs: 1000 };
const MAX_PAGE_SIZE = 50;
/** `/tracks?ids=` accepts up to 50 ids per call. */
const IDS_PER_BATCH = 50;
/** Big sets list most tracks as stubs; the web player fills them 15 at a time, and so do we. */
const STUBS_PER_CALL = 15;
/**
 * Sets reach hundreds of tracks. An album lookup fills the first 30 stubs (two calls); the rest
 * of a long playlist is left out and `trackCount` still says how many there are.
 */
const MAX_FILLED_STUBS = 30;
const MAX_CHART_PAGES = 5;

type ResolvedObject = { kind: 'track'; track: Track } | { kind: 'playlist'; raw: ScPlaylist } | { kind: 'user'; artist: Artist };

const fail = failuresOf(SOURCE);
const NUMERIC_ID = /^\d{1,20}$/;
/** Search offsets are numbers; user lists page with `<date>,<kind>,<n>` cursors from `next_href`. */
const SEARCH_OFFSET = /^\d{1,7}$/;
const LIST_OFFSET = /^[A-Za-z0-9_.:,%+-]{1,200}$/;

/** A cursor as handed out in `nextCursor`; anything else is the caller's mistake, and nothing is sent. */
function cursorOf(cursor: string | null, shape: RegExp): string | null {
  if (cursor === null) return null;
  if (!shape.test(cursor)) throw fail.badInput('not a cursor SoundCloud handed out');
  return cursor;
}

/**
 * How a ref names its entity: by SoundCloud's number (`numericKind`), or by a permalink of the
 * expected shape, which must be asked to `/resolve` first. Anything else is NOT_FOUND, unsent.
 */
function refForm(ref: NativeRef, numericKind: string, expected: PermalinkEntity): 'numeric' | 'permalink' {
  if (ref.kind === numericKind) {
    if (!NUMERIC_ID.test(ref.id)) throw fail.notFound(`not a SoundCloud ${numericKind} id: ${ref.id}`);
    return 'numeric';
  }
  if (ref.kind === PERMALINK_KIND[expected]) {
    if (permalinkEntity(ref.id) !== expected) throw fail.notFound(`not the permalink of a SoundCloud ${expected}: ${ref.id}`);
    return 'permalink';
  }
  throw fail.notFound(`SoundCloud has no ${ref.kind} ids here (use ${numericKind} or ${PERMALINK_KIND[expected]})`);
}

export const createSoundcloudProvider = defineProvider(
  {
    id: SOURCE,
    name: 'Scraping SoundCloud',
    description: 'Canciones, artistas, listas y discos de SoundCloud y tendencias por género; descargas solo cuando quien subió la canción las permite. Sin clave. Lee su web: si SoundCloud la cambia puede dejar de funcionar (compruébalo con npm run sources:check).',
    hosts: ['api-v2.soundcloud.com', 'soundcloud.com', 'a-v2.sndcdn.com'],
    idKinds: {
      track: ['track', PERMALINK_KIND.track],
      album: ['playlist', PERMALINK_KIND.playlist],
      artist: ['user', PERMALINK_KIND.user],
    },
    parseUrl: parseSoundcloudUrl,
    downloadHosts: ['api-v2.soundcloud.com'],
    client: { rateLimit: RATE_LIMIT },
  },
  ({ client, logger }) => {
    const clientIds = new ClientIdKeeper(client, logger);

    /**
     * One api-v2 call with the web client_id. A 401/403 means the id was rotated: it is
     * discovered again once and the call retried once; a second rejection is the caller's error.
     */
    async function api<T>(path: string, params: Record<string, QueryValue>, cache: CacheKind, validate: (body: unknown) => void, ctx: CallContext): Promise<T> {
      const url = `${API_BASE}${path}`;
      const call = (clientId: string) =>
        client.json<T>(url, { ctx, cache, searchParams: { ...params, client_id: clientId }, secretParams: ['client_id'], validate });
      const clientId = await clientIds.current(ctx);
      try {
        return await call(clientId);
      } catch (error) {
        if (!isSourceError(error) || error.kind !== 'UNAUTHORIZED') throw error;
        logger.info('client_id rejected; discovering it again', { status: error.details.status });
        return call(await clientIds.refresh(ctx, clientId));
      }
    }

    async function searchPage<T>(path: string, input: SearchInput, ctx: CallContext, parse: (raw: unknown, reader: FieldReader) => T | null): Promise<Page<T>> {
      const offset = Number(cursorOf(input.cursor, SEARCH_OFFSET) ?? 0);
      const body = await api<ScCollection<unknown>>(path, { q: input.query, limit: pageLimit(input.limit, MAX_PAGE_SIZE), offset }, 'search', expectCollection(path), ctx);
      const reader = new FieldReader(logger, path);
      return {
        items: compact((body.collection ?? []).map((raw) => parse(raw, reader))),
        total: typeof body.total_results === 'number' ? body.total_results : null,
        nextCursor: offsetFromNextHref(body.next_href),
      };
    }

    /** What a permalink (already checked by `refForm`) is: SoundCloud's `/resolve` answers with the object itself. */
    async function resolvePermalink(permalink: string, ctx: CallContext): Promise<ResolvedObject> {
      const url = `https://soundcloud.com/${permalink}`;
      const raw = await api<Record<string, unknown>>('/resolve', { url }, 'entity', expectEntity('resolve'), ctx);
      const reader = new FieldReader(logger, `resolve ${url}`);
      if (raw.kind === 'track') {
        const track = parseTrack(raw, reader);
        if (track) return { kind: 'track', track };
      } else if (raw.kind === 'playlist') {
        return { kind: 'playlist', raw: raw as ScPlaylist };
      } else if (raw.kind === 'user') {
        const artist = parseUser(raw, reader);
        if (artist) return { kind: 'user', artist };
      }
      throw fail.badResponse(`resolve ${url}: unrecognised object kind ${String(raw.kind)}`);
    }

    /** The object a permalink names, when it is of the expected kind; NOT_FOUND when it is of another. */
    async function resolve<K extends ResolvedObject['kind']>(ref: NativeRef, expected: K, ctx: CallContext): Promise<Extract<ResolvedObject, { kind: K }>> {
      const resolved = await resolvePermalink(ref.id, ctx);
      if (resolved.kind !== expected) throw fail.notFound(`${ref.id} is a SoundCloud ${resolved.kind}, not a ${expected}`);
      return resolved as Extract<ResolvedObject, { kind: K }>;
    }

    /** Full track objects for ids, in the order asked; null where SoundCloud returned nothing. */
    async function tracksById(ids: readonly number[], perCall: number, ctx: CallContext): Promise<(Track | null)[]> {
      const found = new Map<number, Track>();
      for (let start = 0; start < ids.length; start += perCall) {
        const chunk = ids.slice(start, start + perCall);
        const body = await api<ScTrack[]>('/tracks', { ids: chunk.join(',') }, 'entity', expectArray('/tracks'), ctx);
        const reader = new FieldReader(logger, '/tracks?ids');
        for (const raw of body) {
          const track = parseTrack(raw, reader);
          if (track && typeof raw.id === 'number') found.set(raw.id, track);
        }
      }
      return ids.map((id) => found.get(id) ?? null);
    }

    /**
     * Fills the first stubs of a set with full tracks, one call per `STUBS_PER_CALL`. A failed call
     * ends the filling: the set is still known, its track list just stops earlier.
     */
    async function fillStubs(stubIds: readonly number[], ctx: CallContext, playlist: unknown): Promise<Map<number, Track>> {
      const filled = new Map<number, Track>();
      for (let start = 0; start < stubIds.length; start += STUBS_PER_CALL) {
        const chunk = stubIds.slice(start, start + STUBS_PER_CALL);
        try {
          const tracks = await tracksById(chunk, STUBS_PER_CALL, ctx);
          chunk.forEach((id, index) => tracks[index] && filled.set(id, tracks[index]!));
        } catch (error) {
          if (isSourceError(error) && error.kind === 'ABORTED') throw error;
          logger.warn('could not fill playlist track stubs; track list cut short', { playlist, filled: filled.size, error });
          break;
        }
      }
      return filled;
    }

    async function playlistToAlbum(raw: ScPlaylist, ctx: CallContext): Promise<Album> {
      const reader = new FieldReader(logger, `playlist ${String(raw.id)}`);
      const entries = Array.isArray(raw.tracks) ? raw.tracks : [];
      const stubIds = entries.filter(isTrackStub).map((stub) => stub.id).slice(0, MAX_FILLED_STUBS);
      const filled = stubIds.length > 0 ? await fillStubs(stubIds, ctx, raw.id) : new Map<number, Track>();
      // The list is kept contiguous: it stops at the first entry that could not be turned into a track.
      const tracks: Track[] = [];
      for (const entry of entries) {
        const track = isTrackStub(entry) ? (filled.get(entry.id) ?? null) : parseTrack(entry, reader);
        if (!track) break;
        tracks.push(track);
      }
      const album = parsePlaylist(raw, reader, tracks);
      if (!album) throw new SourceError(SOURCE, 'BAD_RESPONSE', `playlist ${String(raw.id)}: no id or title`);
      return album;
    }

    async function userNumericId(ref: NativeRef, ctx: CallContext): Promise<string> {
      if (refForm(ref, 'user', 'user') === 'numeric') return ref.id;
      return (await resolve(ref, 'user', ctx)).artist.id.split(':').pop()!;
    }

    async function trackNumericId(ref: NativeRef, ctx: CallContext): Promise<string> {
      if (refForm(ref, 'track', 'track') === 'numeric') return ref.id;
      return (await resolve(ref, 'track', ctx)).track.id.split(':').pop()!;
    }

    async function track(ref: NativeRef, ctx: CallContext): Promise<Track> {
      if (refForm(ref, 'track', 'track') === 'permalink') return (await resolve(ref, 'track', ctx)).track;
      const raw = await api<ScTrack>(`/tracks/${ref.id}`, {}, 'entity', expectEntity('track'), ctx);
      const parsed = parseTrack(raw, new FieldReader(logger, `track ${ref.id}`));
      if (!parsed) throw fail.badResponse(`track ${ref.id}: no title`);
      return parsed;
    }

    return {

      searchTracks: (input, ctx) => searchPage('/search/tracks', input, ctx, parseTrack),
      searchArtists: (input, ctx) => searchPage('/search/users', input, ctx, parseUser),
      searchAlbums: (input, ctx) => searchPage('/search/playlists', input, ctx, (raw, reader) => parsePlaylist(raw, reader, null)),

      track,

      async album(ref, ctx): Promise<Album> {
        if (refForm(ref, 'playlist', 'playlist') === 'permalink') {
          const resolved = await resolve(ref, 'playlist', ctx);
          return playlistToAlbum(resolved.raw, ctx);
        }
        const raw = await api<ScPlaylist>(`/playlists/${ref.id}`, { representation: 'compact' }, 'entity', expectEntity('playlist'), ctx);
        return playlistToAlbum(raw, ctx);
      },

      async artist(ref, ctx): Promise<Artist> {
        if (refForm(ref, 'user', 'user') === 'permalink') return (await resolve(ref, 'user', ctx)).artist;
        const raw = await api<ScUser>(`/users/${ref.id}`, {}, 'entity', expectEntity('user'), ctx);
        const artist = parseUser(raw, new FieldReader(logger, `user ${ref.id}`));
        if (!artist) throw fail.badResponse(`user ${ref.id}: no username`);
        return artist;
      },

      async artistAlbums(ref, input, ctx): Promise<Page<Album>> {
        const cursor = cursorOf(input.cursor, LIST_OFFSET);
        const id = await userNumericId(ref, ctx);
        const limit = pageLimit(input.limit, MAX_PAGE_SIZE);
        // The first page asks for linked partitioning; later pages repeat `next_href`'s cursor.
        const params: Record<string, QueryValue> = cursor ? { offset: cursor, limit } : { limit, linked_partitioning: 1 };
        const path = `/users/${id}/albums`;
        const body = await api<ScCollection<ScPlaylist>>(path, params, 'entity', expectCollection(path), ctx);
        const reader = new FieldReader(logger, path);
        return {
          items: compact((body.collection ?? []).map((raw) => parsePlaylist(raw, reader, null))),
          total: null,
          nextCursor: offsetFromNextHref(body.next_href),
        };
      },

      async chart(input: ChartInput, ctx): Promise<Chart> {
        const genreSlug = genreOf(input.genre);
        const params: Record<string, QueryValue> = { genre: `soundcloud:genres:${genreSlug}`, kind: 'trending' };
        // SoundCloud dropped regional charts (404 since 2026); the chain moves on to a source that has them.
        if (input.country) params.region = `soundcloud:regions:${input.country.toUpperCase()}`;
        const limit = Math.max(1, Math.floor(input.limit) || 1);
        const reader = new FieldReader(logger, '/charts');
        let body = await api<ScChart>('/charts', params, 'chart', expectCollection('/charts'), ctx);
        const entries = parseChartEntries(body.collection ?? [], reader, 1);
        for (let page = 1; page < MAX_CHART_PAGES && entries.length < limit; page += 1) {
          const next = nextHrefParams(body.next_href);
          if (!next) break;
          try {
            body = await api<ScChart>('/charts', next, 'chart', expectCollection('/charts'), ctx);
          } catch (error) {
            if (isSourceError(error) && error.kind === 'ABORTED') throw error;
            logger.warn('chart page failed; answering with the entries so far', { entries: entries.length, error });
            break;
          }
          entries.push(...parseChartEntries(body.collection ?? [], reader, entries.length + 1));
        }
        return {
          scope: input.country ? input.country.toUpperCase() : 'GLOBAL',
          source: SOURCE,
          fetchedAt: new Date().toISOString(),
          title: `SoundCloud: trending (${genreSlug})`,
          entries: entries.slice(0, limit),
        };
      },

      /** Numeric ids in batches of 50; permalinks one by one through `/resolve`. */
      async tracksByIds(refs, ctx): Promise<(Track | null)[]> {
        const ids = refs.map((ref) => (ref.kind === 'track' && NUMERIC_ID.test(ref.id) ? Number(ref.id) : null));
        const known = ids.filter((id): id is number => id !== null);
        const tracks = known.length > 0 ? await tracksById(known, IDS_PER_BATCH, ctx) : [];
        const byId = new Map(known.map((id, index) => [id, tracks[index] ?? null]));
        const permalinks = await Promise.all(
          refs.map((ref) => (ref.kind === PERMALINK_KIND.track && permalinkEntity(ref.id) === 'track' ? orNull(track(ref, ctx)) : Promise.resolve(null))),
        );
        return ids.map((id, index) => (id === null ? permalinks[index]! : (byId.get(id) ?? null)));
      },

      async relatedTracks(ref, input, ctx): Promise<Page<Track>> {
        const cursor = cursorOf(input.cursor, LIST_OFFSET);
        const id = await trackNumericId(ref, ctx);
        const path = `/tracks/${id}/related`;
        const params: Record<string, QueryValue> = cursor ? { offset: cursor, limit: pageLimit(input.limit, MAX_PAGE_SIZE) } : {};
        const body = await api<ScCollection<ScTrack>>(path, params, 'entity', expectCollection(path), ctx);
        const reader = new FieldReader(logger, path);
        return {
          items: compact((body.collection ?? []).map((raw) => parseTrack(raw, reader))),
          total: null,
          nextCursor: offsetFromNextHref(body.next_href),
        };
      },

      async resolveDownload(ref, ctx): Promise<string> {
        const id = await trackNumericId(ref, ctx);
        const body = await api<unknown>(`/tracks/${id}/download`, {}, 'none', expectRedirectUri, ctx);
        return text((body as { redirectUri: string }).redirectUri)!;
      },
    };
  },
);

function expectRedirectUri(body: unknown): void {
  if (!isRecord(body) || !text(body.redirectUri)?.startsWith('https://')) {
    throw new SourceError(SOURCE, 'BAD_RESPONSE', 'download endpoint answered without a redirectUri');
  }
}

/** `next_href`'s own query (minus the client_id, which is added again), to follow it as-is. */
function nextHrefParams(nextHref: unknown): Record<string, QueryValue> | null {
  const href = text(nextHref);
  if (!href) return null;
  try {
    const parsed = new URL(href);
    if (parsed.pathname !== '/charts') return null;
    const params: Record<string, QueryValue> = {};
    for (const [name, value] of parsed.searchParams) if (name !== 'client_id') params[name] = value;
    return params;
  } catch {
    return null;
  }
}

/** SoundCloud genre ids are lower-case words run together (`hiphoprap`, `danceedm`), except `all-music`. */
function genreOf(genre: string | null): string {
  const slug = (genre ?? '').toLowerCase().replace(/[^a-z0-9]/g, '');
  return slug === '' || slug === 'all' || slug === 'allmusic' ? 'all-music' : slug;
}



export type SoundcloudProvider = ReturnType<typeof createSoundcloudProvider>;
