import type { Album, Page, Track } from '../../domain/types.js';
import { SourceError, isSourceError } from '../../errors/source.js';
import type {CallContext, NativeRef, SearchInput } from '../types.js';
import { defineProvider } from '../define.js';
import {
  SOURCE,
  albumFromItem,
  albumsFromSearch,
  assertMetadata,
  assertSearch,
  audioItem,
  escapeQuery,
  isIdentifier,
  originalFileName,
  pageFromCursor,
  parseTrackNativeId,
  trackNativeId,
  tracksFromItem,
} from './parse.js';
import type { IaMetadataResponse, IaSearchResponse } from './types.js';
import { parseInternetArchiveUrl } from './urls.js';

const METADATA_API = 'https://archive.org/metadata';
const SEARCH_API = 'https://archive.org/advancedsearch.php';
const SEARCH_FIELDS = ['identifier', 'title', 'creator', 'date', 'year', 'mediatype', 'collection', 'licenseurl', 'downloads'];
/** `searchTracks` reads each matching item's file list; this bounds the fan-out per search. */
const MAX_ITEMS_PER_TRACK_SEARCH = 8;
const METADATA_CONCURRENCY = 4;

/**
 * `/download/<id>/<file>` answers on archive.org and redirects to the data node holding the
 * item (`ia801200.us.archive.org`, …), so both are allowed and nothing else.
 */
const INTERNET_ARCHIVE_DOWNLOAD_HOSTS = ['archive.org', '*.archive.org'] as const;

function notFound(what: string): SourceError {
  return new SourceError(SOURCE, 'NOT_FOUND', what);
}

/**
 * Audio items of the Internet Archive (`mediatype` audio and etree). An item is an album and its
 * audio originals are its tracks. Downloads are offered only for items whose `licenseurl` is a
 * Creative Commons licence or a public-domain dedication, from the best original the item holds.
 */
export const createInternetArchiveProvider = defineProvider(
  {
    id: SOURCE,
    name: 'Internet Archive',
    description: 'Grabaciones del Internet Archive (conciertos, discos antiguos y música libre); descarga solo las que tienen licencia Creative Commons o son de dominio público. Gratuita y sin clave.',
    hosts: ['archive.org'],
    idKinds: { track: ['track'], album: ['item'] },
    parseUrl: parseInternetArchiveUrl,
    downloadHosts: INTERNET_ARCHIVE_DOWNLOAD_HOSTS,
    client: { rateLimit: { requests: 4, intervalMs: 1000 }, headers: { accept: 'application/json' } },
  },
  ({ client }) => {
    // IA publishes no hard limit for these APIs; stay gentle.

    async function item(identifier: string, ctx: CallContext): Promise<IaMetadataResponse> {
      if (!isIdentifier(identifier)) throw notFound(`"${identifier}" is not an Internet Archive identifier`);
      const body = await client.json<IaMetadataResponse>(`${METADATA_API}/${identifier}`, { ctx, cache: 'entity', validate: assertMetadata });
      if (!audioItem(body)) throw notFound(`no audio item "${identifier}" on the Internet Archive`);
      return body;
    }

    async function search(query: string, rows: number, page: number, ctx: CallContext): Promise<IaSearchResponse> {
      return client.json<IaSearchResponse>(SEARCH_API, {
        ctx,
        cache: 'search',
        searchParams: {
          q: `(${query}) AND mediatype:(audio OR etree)`,
          'fl[]': SEARCH_FIELDS.join(','),
          rows,
          page,
          output: 'json',
        },
        validate: assertSearch,
      });
    }

    return {

      async searchAlbums(input: SearchInput, ctx: CallContext): Promise<Page<Album>> {
        const query = escapeQuery(input.query);
        if (query === '') return { items: [], total: 0, nextCursor: null };
        const rows = Math.min(Math.max(input.limit, 1), 50);
        const page = pageFromCursor(input.cursor);
        return albumsFromSearch(await search(query, rows, page, ctx), page, rows);
      },

      async searchTracks(input: SearchInput, ctx: CallContext): Promise<Page<Track>> {
        const query = escapeQuery(input.query);
        if (query === '') return { items: [], total: 0, nextCursor: null };
        const rows = Math.min(Math.max(input.limit, 1), MAX_ITEMS_PER_TRACK_SEARCH);
        const page = pageFromCursor(input.cursor);
        const albums = albumsFromSearch(await search(query, rows, page, ctx), page, rows);
        const identifiers = albums.items.map((album) => album.id.split(':')[2]!);
        const items = await mapLimited(identifiers, METADATA_CONCURRENCY, async (identifier) => {
          try {
            return tracksMatching(tracksFromItem(await item(identifier, ctx)), input.query);
          } catch (error) {
            // One unreadable item should not sink the page; a failing source still does.
            if (isSourceError(error) && (error.kind === 'NOT_FOUND' || error.kind === 'BAD_RESPONSE')) return [];
            throw error;
          }
        });
        return { items: items.flat().slice(0, input.limit), total: null, nextCursor: albums.nextCursor };
      },

      async track(ref: NativeRef, ctx: CallContext): Promise<Track> {
        if (ref.kind !== 'track') throw notFound(`the Internet Archive has no ${ref.kind} lookups`);
        const parsed = parseTrackNativeId(ref.id);
        if (!parsed) throw notFound(`"${ref.id}" is not an Internet Archive track id`);
        const body = await item(parsed.identifier, ctx);
        // A derivative's name (from a download link) stands for the recording it was made from.
        const original = originalFileName(body, parsed.fileName);
        const wanted = original === null ? null : `:${trackNativeId(parsed.identifier, original)}`;
        const track = wanted === null ? undefined : tracksFromItem(body).find((candidate) => candidate.id.endsWith(wanted));
        if (!track) throw notFound(`no audio file "${parsed.fileName}" in ${parsed.identifier}`);
        return track;
      },

      async album(ref: NativeRef, ctx: CallContext): Promise<Album> {
        if (ref.kind !== 'item') throw notFound(`the Internet Archive has no ${ref.kind} lookups`);
        const album = albumFromItem(await item(ref.id, ctx));
        if (!album) throw notFound(`no audio item "${ref.id}"`);
        return album;
      },
    };
  },
);

/**
 * A concert item matched by its description lists every song; when some titles contain the
 * words searched for, those are the answer. Otherwise the item matched as a whole.
 */
export function tracksMatching(tracks: Track[], query: string): Track[] {
  const words = normalise(query).split(' ').filter((word) => word.length > 1);
  if (words.length === 0) return tracks;
  const matching = tracks.filter((track) => {
    const title = normalise(track.title);
    return words.every((word) => title.includes(word));
  });
  return matching.length > 0 ? matching : tracks;
}

function normalise(value: string): string {
  return value.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

async function mapLimited<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  });
  await Promise.all(workers);
  return results;
}
