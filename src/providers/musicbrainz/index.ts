import type { Album, Artist, Page, Track } from '../../domain/types.js';
import { defineProvider } from '../define.js';
import { failuresOf, orNull } from '../shared/failures.js';
import { MBID_PATTERN, normaliseMbid } from '../shared/mbid.js';
import { parsing, readJson } from '../shared/read.js';
import type { BrowseInput, CallContext, EntityRef, NativeRef, SearchInput } from '../types.js';
import {
  SOURCE,
  albumFromRelease,
  albumFromReleaseGroup,
  artistFromMb,
  assertEntity,
  parseArtistSearch,
  parseIsrcLookup,
  parseRecordingSearch,
  parseReleaseGroupBrowse,
  parseReleaseSearch,
  representativeRelease,
  trackFromRecording,
} from './parse.js';
import { MAX_LIMIT, clampLimit, escapeLucene, offsetFromCursor, pagingParams } from './query.js';
import type { MbArtist, MbIsrcLookup, MbRecording, MbRelease, MbReleaseGroup, MbReleaseGroupBrowse, MbSearchResponse } from './types.js';

const API = 'https://musicbrainz.org/ws/2';

/**
 * What each lookup asks MusicBrainz to include. Chosen so one request answers everything the
 * domain object needs: credits, the releases behind a recording (album, date, cover refs),
 * ISRCs, genres and the url relationships that become links and playback pages — on a release,
 * those of each recording in its track list too (`recording-level-rels`).
 */
export const LOOKUP_INCLUDES = {
  recording: ['artist-credits', 'releases', 'release-groups', 'isrcs', 'genres', 'tags', 'url-rels'],
  release: ['artist-credits', 'labels', 'recordings', 'release-groups', 'isrcs', 'genres', 'tags', 'url-rels', 'recording-level-rels'],
  'release-group': ['artist-credits', 'releases', 'genres', 'tags'],
  artist: ['url-rels', 'genres', 'tags'],
} as const;

/**
 * An ISRC lookup answers with the recordings themselves; these are the recording includes the
 * `/isrc` resource accepts (MusicBrainz web service: "Non-MBID lookups").
 */
export const ISRC_INCLUDES = ['artist-credits', 'releases', 'isrcs', 'url-rels', 'genres', 'tags'] as const;

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

const WEB_HOSTS: ReadonlySet<string> = new Set(['musicbrainz.org', 'www.musicbrainz.org', 'beta.musicbrainz.org']);
const ENTITY_OF_PAGE: Readonly<Record<string, EntityRef['entity']>> = {
  recording: 'track',
  release: 'album',
  'release-group': 'album',
  artist: 'artist',
};

/**
 * `https://musicbrainz.org/<recording|release|release-group|artist>/<mbid>` (and its sub-pages,
 * `/artist/<mbid>/releases`) → the entity; anything else on or off the site → null.
 */
function parseMusicBrainzUrl(url: URL): EntityRef | null {
  if (!WEB_HOSTS.has(url.hostname.toLowerCase())) return null;
  const [kind = '', id = ''] = url.pathname.split('/').filter(Boolean);
  const entity = ENTITY_OF_PAGE[kind.toLowerCase()];
  if (!entity || !MBID_PATTERN.test(id)) return null;
  return { entity, ref: { kind: kind.toLowerCase(), id: id.toLowerCase() } };
}

/** The barcode in the forms a release may carry it: a UPC-A is also written as a 13-digit EAN with a leading 0. */
function barcodeForms(barcode: string): string[] {
  if (barcode.length === 12) return [barcode, `0${barcode}`];
  if (barcode.length === 13 && barcode.startsWith('0')) return [barcode, barcode.slice(1)];
  return [barcode];
}

const sameBarcode = (a: string, b: string) => a.replace(/^0+/, '') === b.replace(/^0+/, '');

export const createMusicBrainzProvider = defineProvider(
  {
    id: SOURCE,
    name: 'MusicBrainz',
    description: 'La base de datos musical abierta de referencia: canciones, discos y artistas con fechas, sellos, códigos ISRC y enlaces a otras plataformas. Gratuita y sin clave; admite una consulta por segundo.',
    hosts: ['musicbrainz.org'],
    idKinds: { track: ['recording'], album: ['release', 'release-group'], artist: ['artist'] },
    parseUrl: parseMusicBrainzUrl,
    // The client turns fractional rates (0.5/s) into one request per longer window. A burst of
    // five (graphbrainz's 5 per 5.5 s) lets an artist and its discography go together; the
    // limiter pays it back, so the average stays at the documented rate.
    client: (config) => ({
      rateLimit: { requests: config.musicbrainzRequestsPerSecond, intervalMs: 1000, burst: config.musicbrainzBurst },
      headers: { accept: 'application/json' },
    }),
  },
  ({ client }) => {
    /** A lookup parsed as it arrives: a body `parse` cannot read is refused before it is cached. */
    function lookup<R>(entity: keyof typeof LOOKUP_INCLUDES, mbid: string, ctx: CallContext, parse: (body: unknown) => R): Promise<R> {
      return readJson(
        client,
        `${API}/${entity}/${mbid}`,
        { ctx, cache: 'entity', searchParams: { inc: LOOKUP_INCLUDES[entity].join('+'), fmt: 'json' } },
        (body) => {
          assertEntity(body, entity);
          return parse(body);
        },
      );
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
      return readJson(
        client,
        `${API}/${entity}`,
        { ctx, cache: 'search', searchParams: { query, ...pagingParams(clampLimit(input.limit), offset), fmt: 'json' } },
        (body) => parse(body as MbSearchResponse, offset),
      );
    }

    /**
     * An album asked for by release group: the group gives title, type and first date; its most
     * representative edition gives the track list (a second request, so only on lookups).
     */
    async function albumOfReleaseGroup(mbid: string, ctx: CallContext): Promise<Album> {
      const group = await lookup('release-group', mbid, ctx, (body) => {
        albumFromReleaseGroup(body as MbReleaseGroup);
        return body as MbReleaseGroup;
      });
      const editionId = normaliseMbid(parsing(SOURCE, () => representativeRelease(group.releases))?.id);
      if (!editionId) return albumFromReleaseGroup(group);
      const edition = await orNull(
        lookup('release', editionId, ctx, (body) => {
          albumFromRelease(body as MbRelease);
          return body as MbRelease;
        }),
      );
      return parsing(SOURCE, () => albumFromReleaseGroup(group, edition));
    }

    return {
      searchTracks: (input, ctx) => search('recording', input, ctx, parseRecordingSearch),
      searchAlbums: (input, ctx) => search('release', input, ctx, parseReleaseSearch),
      searchArtists: (input, ctx) => search('artist', input, ctx, parseArtistSearch),

      async track(ref, ctx): Promise<Track> {
        const mbid = mbidOf(ref, ['recording']);
        return lookup('recording', mbid, ctx, (body) => trackFromRecording(body as MbRecording));
      },

      async album(ref, ctx): Promise<Album> {
        const mbid = mbidOf(ref, ['release', 'release-group']);
        if (ref.kind === 'release-group') return albumOfReleaseGroup(mbid, ctx);
        return lookup('release', mbid, ctx, (body) => albumFromRelease(body as MbRelease));
      },

      async artist(ref, ctx): Promise<Artist> {
        const mbid = mbidOf(ref, ['artist']);
        return lookup('artist', mbid, ctx, (body) => artistFromMb(body as MbArtist));
      },

      async artistAlbums(ref, input: BrowseInput, ctx): Promise<Page<Album>> {
        const mbid = mbidOf(ref, ['artist']);
        const offset = offsetFromCursor(input.cursor);
        return readJson(
          client,
          `${API}/release-group`,
          {
            ctx,
            cache: 'entity',
            searchParams: { artist: mbid, type: DISCOGRAPHY_TYPES, inc: 'artist-credits', ...pagingParams(clampLimit(input.limit), offset), fmt: 'json' },
          },
          (body) => parseReleaseGroupBrowse(body as MbReleaseGroupBrowse, offset),
        );
      },

      /**
       * Every recording MusicBrainz knows with this ISRC (`/isrc/<code>`): usually one, sometimes
       * a remaster or a video sharing it. An ISRC MusicBrainz has never seen is a 404: no tracks.
       */
      async tracksByIsrc(isrc, ctx): Promise<Track[]> {
        const code = isrc.trim().toUpperCase();
        if (!/^[A-Z]{2}[A-Z0-9]{3}\d{7}$/.test(code)) return [];
        const tracks = await orNull(
          readJson(client, `${API}/isrc/${code}`, { ctx, cache: 'entity', searchParams: { inc: ISRC_INCLUDES.join('+'), fmt: 'json' } }, (body) =>
            parseIsrcLookup(body as MbIsrcLookup, code),
          ),
        );
        return tracks ?? [];
      },

      /**
       * Releases printed with this barcode, by a release search on the `barcode` field. A 12-digit
       * UPC is asked in its 13-digit EAN form too (MusicBrainz stores what the sleeve shows), and
       * only hits that really carry the code are kept.
       */
      async albumsByBarcode(barcode, ctx): Promise<Album[]> {
        const digits = barcode.replace(/\s/g, '');
        if (!/^\d{8,14}$/.test(digits)) return [];
        const forms = barcodeForms(digits);
        const query = forms.length > 1 ? `barcode:(${forms.join(' OR ')})` : `barcode:${digits}`;
        return readJson(client, `${API}/release`, { ctx, cache: 'search', searchParams: { query, limit: MAX_LIMIT, fmt: 'json' } }, (body) => {
          const page = parseReleaseSearch(body as MbSearchResponse, 0);
          return page.items.filter((album) => album.barcode && sameBarcode(album.barcode, digits));
        });
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
          const page = await readJson(
            client,
            `${API}/artist`,
            { ctx, cache: 'search', searchParams: { query: `arid:(${chunk.join(' OR ')})`, limit: MAX_LIMIT, fmt: 'json' } },
            (body) => parseArtistSearch(body as MbSearchResponse, 0),
          );
          for (const artist of page.items) found.set(artist.refs?.musicbrainzArtistId ?? '', artist);
        }
        return wanted.map((id) => (id ? (found.get(id) ?? null) : null));
      },
    };
  },
);
