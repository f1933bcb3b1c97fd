import type { Album, Artist, Page, Track } from '../../domain/types.js';
import { SourceError } from '../../errors/source.js';
import type { CacheKind } from '../../http/types.js';
import type {CallContext, NativeRef, SearchInput } from '../types.js';
import { defineProvider } from '../define.js';
import { compact, num, text } from '../shared/parse.js';
import { FieldReader, isRecord } from '../shared/drift.js';
import { authorizationHeader, type OAuthCredentials } from './oauth.js';
import { SOURCE, parseAlbum, parseArtist, parseSong } from './parse.js';
import { isSlug, parseAudiomackUrl } from './urls.js';
import type { AmList, AmOne } from './types.js';

const API_BASE = 'https://api.audiomack.com/v1';
/** Audiomack publishes no rate limit; a modest pace keeps a granted key in good standing. */
const RATE_LIMIT = { requests: 5, intervalMs: 1000 };
/** The API's own default page size. */
const MAX_PAGE_SIZE = 20;

/** Audiomack answers errors as `{errorcode, message}`; a valid answer has `results`. */
function expectResults(what: string) {
  return (body: unknown): void => {
    if (isRecord(body) && Object.hasOwn(body, 'results')) return;
    const message = isRecord(body) ? text(body.message) : null;
    if (message && /not found|does not exist/i.test(message)) throw new SourceError(SOURCE, 'NOT_FOUND', `${what}: ${message}`);
    throw new SourceError(SOURCE, 'BAD_RESPONSE', `${what}: answer has no results${message ? ` (${message})` : ''}`);
  };
}

function firstResult(body: AmOne<unknown>): unknown {
  return Array.isArray(body.results) ? body.results[0] : body.results;
}

export const createAudiomackProvider = defineProvider(
  {
    id: SOURCE,
    name: 'Scraping Audiomack',
    description: 'Canciones, discos y artistas de Audiomack, sin descargas. Necesita clave y secreto de Audiomack (AUDIOMACK_CONSUMER_KEY y AUDIOMACK_CONSUMER_SECRET). Aún sin probar contra el servicio real: compruébala con npm run sources:check antes de contar con ella.',
    hosts: ['api.audiomack.com'],
    credentials: ['AUDIOMACK_CONSUMER_KEY', 'AUDIOMACK_CONSUMER_SECRET'],
    // Songs and albums by numeric id or by `<artist slug>/<slug>` (their page's path); artists by slug.
    idKinds: { track: ['song'], album: ['album'], artist: ['artist'] },
    parseUrl: parseAudiomackUrl,
    client: { rateLimit: RATE_LIMIT },
  },
  ({ client, credential, logger }) => {
    const consumerKey = credential('AUDIOMACK_CONSUMER_KEY');
    const consumerSecret = credential('AUDIOMACK_CONSUMER_SECRET');
    const credentials: OAuthCredentials | null = consumerKey && consumerSecret ? { consumerKey, consumerSecret } : null;

    /** Every call is signed (OAuth 1.0a, consumer key only); without credentials nothing is sent. */
    async function signed<T>(path: string, params: Record<string, string>, cache: CacheKind, ctx: CallContext): Promise<T> {
      if (!credentials) throw new SourceError(SOURCE, 'UNCONFIGURED', 'AUDIOMACK_CONSUMER_KEY and AUDIOMACK_CONSUMER_SECRET are not set');
      const url = `${API_BASE}${path}`;
      return client.json<T>(url, {
        ctx,
        cache,
        searchParams: params,
        headers: { authorization: authorizationHeader({ method: 'GET', url, params }, credentials) },
        validate: expectResults(path),
      });
    }

    async function search<T>(input: SearchInput, show: 'songs' | 'albums' | 'artists', ctx: CallContext, parse: (raw: unknown, reader: FieldReader) => T | null): Promise<Page<T>> {
      const page = pageFromCursor(input.cursor);
      const limit = Math.min(Math.max(1, Math.floor(input.limit) || 1), MAX_PAGE_SIZE);
      const body = await signed<AmList<unknown>>('/search', { q: input.query, show, sort: 'relevance', limit: String(limit), page: String(page) }, 'search', ctx);
      const rows = Array.isArray(body.results) ? body.results : [];
      const reader = new FieldReader(logger, `search ${show}`);
      const total = num(body.count);
      const more = total !== null ? page * limit < total : rows.length === limit;
      return {
        items: compact(rows.map((row) => parse(row, reader))),
        total,
        nextCursor: rows.length > 0 && more ? String(page + 1) : null,
      };
    }

    async function music(ref: NativeRef, kind: 'song' | 'album', ctx: CallContext): Promise<unknown> {
      if (ref.kind !== kind) throw new SourceError(SOURCE, 'NOT_FOUND', `Audiomack has no ${ref.kind} ids (use ${kind})`);
      const path = musicPath(ref.id, kind);
      if (!path) throw new SourceError(SOURCE, 'NOT_FOUND', `not an Audiomack ${kind} id: ${ref.id}`);
      const raw = firstResult(await signed<AmOne<unknown>>(path, {}, 'entity', ctx));
      const type = isRecord(raw) ? text(raw.type) : null;
      if (type && type !== kind) throw new SourceError(SOURCE, 'NOT_FOUND', `Audiomack ${ref.id} is a ${type}, not a ${kind}`);
      return raw;
    }

    return {

      searchTracks: (input, ctx) => search(input, 'songs', ctx, (raw, reader) => parseSong(raw, reader)),
      searchAlbums: (input, ctx) => search(input, 'albums', ctx, (raw, reader) => parseAlbum(raw, reader, false)),
      searchArtists: (input, ctx) => search(input, 'artists', ctx, parseArtist),

      async track(ref, ctx): Promise<Track> {
        const track = parseSong(await music(ref, 'song', ctx), new FieldReader(logger, `song ${ref.id}`));
        if (!track) throw new SourceError(SOURCE, 'BAD_RESPONSE', `song ${ref.id}: no id or title in the answer`);
        return track;
      },

      async album(ref, ctx): Promise<Album> {
        const album = parseAlbum(await music(ref, 'album', ctx), new FieldReader(logger, `album ${ref.id}`), true);
        if (!album) throw new SourceError(SOURCE, 'BAD_RESPONSE', `album ${ref.id}: no id or title in the answer`);
        return album;
      },

      async artist(ref, ctx): Promise<Artist> {
        if (ref.kind !== 'artist') throw new SourceError(SOURCE, 'NOT_FOUND', `Audiomack has no ${ref.kind} ids (use artist)`);
        if (!isSlug(ref.id)) throw new SourceError(SOURCE, 'NOT_FOUND', `not an Audiomack artist slug: ${ref.id}`);
        const raw = firstResult(await signed<AmOne<unknown>>(`/artist/${ref.id}`, {}, 'entity', ctx));
        const artist = parseArtist(raw, new FieldReader(logger, `artist ${ref.id}`));
        if (!artist) throw new SourceError(SOURCE, 'BAD_RESPONSE', `artist ${ref.id}: no slug or name in the answer`);
        return artist;
      },
    };
  },
);

/**
 * Where a song or album is read: `/music/<id>` for a numeric id, and the documented
 * `/music/<song|album>/<artist slug>/<slug>` for an id taken from a page link. Null for anything else.
 */
function musicPath(id: string, kind: 'song' | 'album'): string | null {
  if (/^[1-9]\d{0,15}$/.test(id)) return `/music/${id}`;
  const [artist, slug, ...rest] = id.split('/');
  return rest.length === 0 && artist && slug && isSlug(artist) && isSlug(slug) ? `/music/${kind}/${artist}/${slug}` : null;
}

/** Our cursor is Audiomack's page number; anything else was not handed out by us. */
function pageFromCursor(cursor: string | null): number {
  if (cursor === null) return 1;
  if (!/^[1-9]\d{0,3}$/.test(cursor)) throw new SourceError(SOURCE, 'BAD_INPUT', `not an Audiomack page cursor: ${cursor.slice(0, 40)}`);
  return Number(cursor);
}
