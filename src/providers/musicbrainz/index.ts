import type { Album, Artist, Page, Track } from '../../domain/types.js';
import { defineProvider } from '../define.js';
import { failuresOf, orNull } from '../shared/failures.js';
import { normaliseMbid } from '../shared/mbid.js';
import type { BrowseInput, CallContext, NativeRef, SearchInput } from '../types.js';
import {
  SOURCE,
  albumFromRelease,
  albumFromReleaseGroup,
  artistFromMb,
  assertEntity,
  assertList,
  parseArtistSearch,
  parseRecordingSearch,
  parseReleaseGroupBrowse,
  parseReleaseSearch,
  representativeRelease,
  trackFromRecording,
} from './parse.js';
import { MAX_LIMIT, clampLimit, escapeLucene, offsetFromCursor, pagingParams } from './query.js';
import type { MbArtist, MbRecording, MbRelease, MbReleaseGroup, MbReleaseGroupBrowse, MbSearchResponse } from './types.js';

const API = 'https://musicbrainz.org/ws/2';

/**
 * What each lookup asks MusicBrainz to include. Chosen so one request answers everything the
 * domain object needs: credits, the releases behind a recording (album, date, cover refs),
 * ISRCs, genres and the url relationships that become links and playback pages.
 */
export const LOOKUP_INCLUDES = {
  recording: ['artist-credits', 'releases', 'release-groups', 'isrcs', 'genres', 'tags', 'url-rels'],
  release: ['artist-credits', 'labels', 'recordings', 'release-groups', 'isrcs', 'genres', 'tags'],
  'release-group': ['artist-credits', 'releases', 'genres', 'tags'],
  artist: ['url-rels', 'genres', 'tags'],
} as const;

/** A discography lists albums, singles and EPs; broadcasts and "other" are noise there. */
const DISCOGRAPHY_TYPES = 'album|single|ep';

const { notFound } = failuresOf(SOURCE);

/** The MBID of a lookup ref of an expected kind; malformed ids fail here, before any request. */
function mbidOf(ref: NativeRef, kinds: readonly string[]): string {
  if (!kinds.includes(ref.kind)) throw notFound(`MusicBrainz has no ${ref.kind} lookups`);
  const mbid = normaliseMbid(ref.id);
  if (!mbid) throw notFound(`"${ref.id}" is not a MusicBrainz identifier`);
  return mbid;
}

export const createMusicBrainzProvider = defineProvider(
  {
    id: SOURCE,
    name: 'MusicBrainz',
    description: 'La base de datos musical abierta de referencia: canciones, discos y artistas con fechas, sellos, códigos ISRC y enlaces a otras plataformas. Gratuita y sin clave; admite una consulta por segundo.',
    homepage: 'https://musicbrainz.org',
    hosts: ['musicbrainz.org'],
    idKinds: { track: ['recording'], album: ['release', 'release-group'], artist: ['artist'] },
    // The client turns fractional rates (0.5/s) into one request per longer window. A burst of
    // five (graphbrainz's 5 per 5.5 s) lets an artist and its discography go together; the
    // limiter pays it back, so the average stays at the documented rate.
    client: (config) => ({
      rateLimit: { requests: config.musicbrainzRequestsPerSecond, intervalMs: 1000, burst: config.musicbrainzBurst },
      headers: { accept: 'application/json' },
    }),
  },
  ({ client }) => {
    function lookup<T>(entity: keyof typeof LOOKUP_INCLUDES, mbid: string, ctx: CallContext): Promise<T> {
      return client.json<T>(`${API}/${entity}/${mbid}`, {
        ctx,
        cache: 'entity',
        searchParams: { inc: LOOKUP_INCLUDES[entity].join('+'), fmt: 'json' },
        validate: (body) => assertEntity(body, entity),
      });
    }

    async function search<T>(
      entity: 'recording' | 'release' | 'artist',
      input: SearchInput,
      ctx: CallContext,
      parse: (body: MbSearchResponse, offset: number) => Page<T>,
    ): Promise<Page<T>> {
      const query = escapeLucene(input.query);
      const offset = offsetFromCursor(input.cursor);
      if (query === '') return { items: [], total: 0, nextCursor: null };
      const body = await client.json<MbSearchResponse>(`${API}/${entity}`, {
        ctx,
        cache: 'search',
        searchParams: { query, ...pagingParams(clampLimit(input.limit), offset), fmt: 'json' },
        validate: (raw) => assertList(raw, `${entity}s`),
      });
      return parse(body, offset);
    }

    /**
     * An album asked for by release group: the group gives title, type and first date; its most
     * representative edition gives the track list (a second request, so only on lookups).
     */
    async function albumOfReleaseGroup(mbid: string, ctx: CallContext): Promise<Album> {
      const group = await lookup<MbReleaseGroup>('release-group', mbid, ctx);
      const editionId = normaliseMbid(representativeRelease(group.releases)?.id);
      if (!editionId) return albumFromReleaseGroup(group);
      const edition = await orNull(lookup<MbRelease>('release', editionId, ctx));
      return albumFromReleaseGroup(group, edition);
    }

    return {

      searchTracks: (input, ctx) => search('recording', input, ctx, parseRecordingSearch),
      searchAlbums: (input, ctx) => search('release', input, ctx, parseReleaseSearch),
      searchArtists: (input, ctx) => search('artist', input, ctx, parseArtistSearch),

      async track(ref, ctx): Promise<Track> {
        const mbid = mbidOf(ref, ['recording']);
        return trackFromRecording(await lookup<MbRecording>('recording', mbid, ctx));
      },

      async album(ref, ctx): Promise<Album> {
        const mbid = mbidOf(ref, ['release', 'release-group']);
        if (ref.kind === 'release-group') return albumOfReleaseGroup(mbid, ctx);
        return albumFromRelease(await lookup<MbRelease>('release', mbid, ctx));
      },

      async artist(ref, ctx): Promise<Artist> {
        const mbid = mbidOf(ref, ['artist']);
        return artistFromMb(await lookup<MbArtist>('artist', mbid, ctx));
      },

      async artistAlbums(ref, input: BrowseInput, ctx): Promise<Page<Album>> {
        const mbid = mbidOf(ref, ['artist']);
        const offset = offsetFromCursor(input.cursor);
        const body = await client.json<MbReleaseGroupBrowse>(`${API}/release-group`, {
          ctx,
          cache: 'entity',
          searchParams: {
            artist: mbid,
            type: DISCOGRAPHY_TYPES,
            inc: 'artist-credits',
            ...pagingParams(clampLimit(input.limit), offset),
            fmt: 'json',
          },
          validate: (raw) => assertList(raw, 'release-groups'),
        });
        return parseReleaseGroupBrowse(body, offset);
      },

      /**
       * Many artists in one search (`arid:(… OR …)`). Search hits carry name, type, country,
       * disambiguation and tags but no url relationships, so these artists suit lists (the
       * artists behind a page of tracks); a full `artist` lookup is still the way to get links.
       */
      async artistsByIds(refs, ctx): Promise<(Artist | null)[]> {
        const wanted = refs.map((ref) => (ref.kind === 'artist' ? normaliseMbid(ref.id) : null));
        // Sorted, so the same set of artists is the same query (and cache entry) whatever the order.
        const distinct = [...new Set(wanted.filter((id): id is string => id !== null))].sort();
        const found = new Map<string, Artist>();
        for (let start = 0; start < distinct.length; start += MAX_LIMIT) {
          const chunk = distinct.slice(start, start + MAX_LIMIT);
          const body = await client.json<MbSearchResponse>(`${API}/artist`, {
            ctx,
            cache: 'search',
            searchParams: { query: `arid:(${chunk.join(' OR ')})`, limit: MAX_LIMIT, fmt: 'json' },
            validate: (raw) => assertList(raw, 'artists'),
          });
          for (const artist of parseArtistSearch(body, 0).items) {
            found.set(artist.refs?.musicbrainzArtistId ?? '', artist);
          }
        }
        return wanted.map((id) => (id ? (found.get(id) ?? null) : null));
      },
    };
  },
);
