import type { Album, Artist, Biography, Chart, Page, Track } from '../../domain/types.js';
import { SourceError, isSourceError } from '../../errors/source.js';
import type { CacheKind, QueryValue } from '../../http/types.js';
import type { ArtistQuery, BrowseInput, CallContext, ChartInput, NativeRef, SearchInput } from '../types.js';
import { defineProvider } from '../define.js';
import { countryName } from '../shared/countries.js';
import { failuresOf } from '../shared/failures.js';
import { compact, list, num, pageLimit, text } from '../shared/parse.js';
import { readJson } from '../shared/read.js';
import {
  SOURCE,
  expectRoot,
  isJunkAlbumName,
  parseAlbum,
  parseArtist,
  parseArtistNativeId,
  parseBiography,
  parseChartEntries,
  parseLastfmUrl,
  parsePairNativeId,
  parseTrack,
} from './parse.js';
import type { LfmAlbum, LfmArtist, LfmArtistRef, LfmPageAttr, LfmTrack } from './types.js';

const API_URL = 'https://ws.audioscrobbler.com/2.0/';
/** Last.fm asks for no more than 5 requests per second per client, averaged over 5 minutes. */
const RATE_LIMIT = { requests: 5, intervalMs: 1000 };
const MAX_PAGE_SIZE = 100;

/**
 * Genres `chart(genre:)` accepts: broad tags Last.fm's own top-tag list carries, as Last.fm spells
 * them (`hip-hop`, `rnb`), so `tag.getTopTracks` answers with the genre's tracks and not with a
 * tag a handful of listeners typed. Decades, moods and "seen live" are tags but not genres.
 */
const CHART_GENRES = [
  'rock',
  'pop',
  'electronic',
  'hip-hop',
  'rap',
  'jazz',
  'blues',
  'soul',
  'rnb',
  'funk',
  'disco',
  'reggae',
  'latin',
  'reggaeton',
  'salsa',
  'flamenco',
  'country',
  'folk',
  'indie',
  'alternative',
  'punk',
  'metal',
  'hard rock',
  'classic rock',
  'classical',
  'ambient',
  'dance',
  'house',
  'techno',
  'trance',
  'experimental',
  'soundtrack',
  'singer-songwriter',
  'k-pop',
  'j-pop',
] as const;

type SearchRoot = 'trackmatches' | 'albummatches' | 'artistmatches';

const { notFound, badInput } = failuresOf(SOURCE);

export const createLastfmProvider = defineProvider(
  {
    id: SOURCE,
    name: 'Last.fm',
    description: 'Biografías de artistas, géneros, artistas parecidos, discografías y listas de éxitos mundiales, por país y por género. Necesita una clave gratuita de Last.fm (LASTFM_API_KEY).',
    hosts: ['ws.audioscrobbler.com'],
    credentials: ['LASTFM_API_KEY'],
    idKinds: { track: ['track'], album: ['album'], artist: ['artist'] },
    parseUrl: parseLastfmUrl,
    chartGenres: CHART_GENRES,
    client: { rateLimit: RATE_LIMIT },
  },
  ({ client, credential }) => {
    const apiKey = credential('LASTFM_API_KEY');

    /**
     * One API method. Error bodies (sent with 200 as often as not) become typed errors, and
     * `parse` reads the answer before it may be cached: a body it cannot read is never stored.
     */
    async function call<R>(method: string, params: Record<string, QueryValue>, root: string, cache: CacheKind, ctx: CallContext, parse: (body: Record<string, unknown>) => R): Promise<R> {
      if (!apiKey) throw new SourceError(SOURCE, 'UNCONFIGURED', 'LASTFM_API_KEY is not set');
      const checkRoot = expectRoot(root);
      return readJson(
        client,
        API_URL,
        { ctx, cache, searchParams: { method, ...params, api_key: apiKey, format: 'json' }, secretParams: ['api_key'] },
        (body) => {
          checkRoot(body);
          return parse(body as Record<string, unknown>);
        },
      );
    }

    async function search<T, R>(method: string, param: string, root: SearchRoot, input: SearchInput, ctx: CallContext, parseRow: (row: T) => R | null): Promise<Page<R>> {
      const page = pageFromCursor(input.cursor);
      const limit = pageLimit(input.limit, MAX_PAGE_SIZE);
      return call(method, { [param]: input.query, limit, page }, 'results', 'search', ctx, (body) => {
        const results = body.results as Record<string, unknown>;
        // No match is `"albummatches": "\n"`, not an empty list.
        const matches = results[root];
        const key = root.replace('matches', '');
        const rows = matches && typeof matches === 'object' ? list((matches as Record<string, T | T[]>)[key]) : [];
        const total = num(results['opensearch:totalResults']);
        return {
          items: compact(rows.map((row) => parseRow(row))),
          total,
          nextCursor: rows.length > 0 && total !== null && page * limit < total ? String(page + 1) : null,
        };
      });
    }

    /**
     * `artist.getInfo` in each wanted language until one has a biography: Last.fm answers a language
     * it has no text in with an empty bio (not an English one), so the language we asked for is the
     * language we got. With no language wanted, Last.fm's default (English) is asked once.
     */
    async function artistInfoByLanguage(
      lookup: { name: string | null; mbid: string | null },
      ctx: CallContext,
    ): Promise<{ raw: LfmArtist; language: string | null; biography: Biography | null } | null> {
      let first: { raw: LfmArtist; language: string | null } | null = null;
      let byMbid = lookup.mbid !== null;
      for (const language of wantedLanguages(ctx.languages)) {
        let raw: LfmArtist;
        try {
          raw = await getArtistInfo(byMbid ? { mbid: lookup.mbid } : { artist: lookup.name }, language, ctx);
        } catch (error) {
          // Last.fm's MBID index lags behind MusicBrainz; the name usually still finds the artist.
          if (byMbid && lookup.name && isSourceError(error) && error.kind === 'NOT_FOUND') {
            byMbid = false;
            raw = await getArtistInfo({ artist: lookup.name }, language, ctx);
          } else {
            throw error;
          }
        }
        first ??= { raw, language };
        const biography = parseBiography(raw.bio, text(raw.url), language ?? 'en');
        if (biography) return { raw, language: language ?? 'en', biography };
      }
      return first ? { ...first, biography: null } : null;
    }

    async function getArtistInfo(who: Record<string, QueryValue>, language: string | null, ctx: CallContext): Promise<LfmArtist> {
      const params: Record<string, QueryValue> = { ...who };
      if (language) params.lang = language;
      return call('artist.getinfo', params, 'artist', 'entity', ctx, (body) => {
        const artist = body.artist as LfmArtist;
        // Parsed here so an answer that cannot become an artist is refused before it is cached.
        if (!parseArtist(artist, language)) throw new SourceError(SOURCE, 'BAD_RESPONSE', 'artist.getInfo answer without an artist name');
        parseBiography(artist.bio, text(artist.url), language);
        return artist;
      });
    }

    return {
      searchTracks: (input, ctx) => search<LfmTrack, Track>('track.search', 'track', 'trackmatches', input, ctx, (row) => parseTrack(row)),
      searchAlbums: (input, ctx) => search<LfmAlbum, Album>('album.search', 'album', 'albummatches', input, ctx, (row) => parseAlbum(row, false)),
      searchArtists: (input, ctx) => search<LfmArtist, Artist>('artist.search', 'artist', 'artistmatches', input, ctx, (row) => parseArtist(row, null)),

      async track(ref, ctx): Promise<Track> {
        const pair = pairRef(ref, 'track');
        return call('track.getinfo', { artist: pair.artist, track: pair.title }, 'track', 'entity', ctx, (body) => {
          const track = parseTrack(body.track as LfmTrack, { durationUnit: 'ms', artist: pair.artist });
          if (!track) throw new SourceError(SOURCE, 'BAD_RESPONSE', 'track.getInfo answer without a track');
          return track;
        });
      },

      async album(ref, ctx): Promise<Album> {
        const pair = pairRef(ref, 'album');
        return call('album.getinfo', { artist: pair.artist, album: pair.title }, 'album', 'entity', ctx, (body) => {
          const album = parseAlbum(body.album as LfmAlbum, true);
          if (!album) throw new SourceError(SOURCE, 'BAD_RESPONSE', 'album.getInfo answer without an album');
          return album;
        });
      },

      async artist(ref, ctx): Promise<Artist> {
        const name = artistRef(ref);
        const info = await artistInfoByLanguage({ name, mbid: null }, ctx);
        const artist = info ? parseArtist(info.raw, info.language) : null;
        if (!artist) throw notFound(`no Last.fm artist ${name}`);
        return { ...artist, biography: info?.biography ?? null };
      },

      async artistAlbums(ref, input: BrowseInput, ctx): Promise<Page<Album>> {
        const name = artistRef(ref);
        const page = pageFromCursor(input.cursor);
        const limit = pageLimit(input.limit, MAX_PAGE_SIZE);
        return call('artist.gettopalbums', { artist: name, limit, page }, 'topalbums', 'entity', ctx, (body) => {
          const top = body.topalbums as { album?: LfmAlbum | LfmAlbum[]; '@attr'?: LfmPageAttr };
          const rows = list(top.album).filter((row) => !isJunkAlbumName(text(row?.name)));
          const attr = top['@attr'];
          const totalPages = num(attr?.totalPages);
          return {
            items: compact(rows.map((row) => parseAlbum(row, false))),
            total: num(attr?.total),
            nextCursor: totalPages !== null && page < totalPages ? String(page + 1) : null,
          };
        });
      },

      /**
       * `artist.getSimilar`: the artists Last.fm's listeners play alongside this one, most similar
       * first. Last.fm pages this list by `limit` alone, so there is one page and no cursor.
       */
      async similarArtists(ref, input: BrowseInput, ctx): Promise<Page<Artist>> {
        const name = artistRef(ref);
        if (input.cursor !== null && input.cursor !== '') throw badInput(`"${input.cursor}" is not a Last.fm cursor: similar artists come in one page`);
        const limit = pageLimit(input.limit, MAX_PAGE_SIZE);
        return call('artist.getsimilar', { artist: name, limit }, 'similarartists', 'entity', ctx, (body) => {
          const similar = body.similarartists as { artist?: LfmArtistRef | LfmArtistRef[] };
          const items = compact(list(similar.artist).map((row) => parseArtist(row as LfmArtist, null))).slice(0, limit);
          return { items, total: items.length, nextCursor: null };
        });
      },

      async artistBiography(query: ArtistQuery, ctx): Promise<Biography | null> {
        const name = text(query.name);
        const mbid = text(query.musicbrainzId);
        if (!name && !mbid) return null;
        try {
          const info = await artistInfoByLanguage({ name, mbid }, ctx);
          return info?.biography ?? null;
        } catch (error) {
          // An artist Last.fm does not know simply has no biography there.
          if (isSourceError(error) && error.kind === 'NOT_FOUND') return null;
          throw error;
        }
      },

      async chart(input: ChartInput, ctx): Promise<Chart> {
        const limit = pageLimit(input.limit, MAX_PAGE_SIZE);
        const genre = input.genre?.trim().toLowerCase() || null;
        const parseChart = (body: Record<string, unknown>) => parseChartEntries(list((body.tracks as { track?: LfmTrack | LfmTrack[] }).track)).slice(0, limit);
        let scope = 'GLOBAL';
        let title = 'Last.fm: top tracks';
        let entries;
        if (input.country) {
          const country = countryName(input.country);
          if (!country) throw notFound(`no Last.fm chart for country code ${input.country}`);
          if (genre) throw notFound('Last.fm has no per-country chart by genre');
          scope = input.country.toUpperCase();
          title = `Last.fm: top tracks in ${country}`;
          entries = await call('geo.gettoptracks', { country, limit, page: 1 }, 'tracks', 'chart', ctx, parseChart);
        } else if (genre) {
          if (!(CHART_GENRES as readonly string[]).includes(genre)) throw notFound(`Last.fm has no genre chart "${genre}" (genres: ${CHART_GENRES.join(', ')})`);
          title = `Last.fm: top ${genre} tracks`;
          entries = await call('tag.gettoptracks', { tag: genre, limit, page: 1 }, 'tracks', 'chart', ctx, parseChart);
        } else {
          entries = await call('chart.gettoptracks', { limit, page: 1 }, 'tracks', 'chart', ctx, parseChart);
        }
        return { scope, source: SOURCE, fetchedAt: new Date().toISOString(), title, entries };
      },
    };
  },
);

/** Last.fm takes ISO 639-1 codes (`es`), not regional tags (`es-MX`). Null means "Last.fm's default". */
function wantedLanguages(languages: readonly string[]): (string | null)[] {
  const codes = languages.map((tag) => tag.split(/[-_]/)[0]!.toLowerCase()).filter((code) => /^[a-z]{2}$/.test(code));
  const unique = [...new Set(codes)];
  return unique.length > 0 ? unique : [null];
}

function pairRef(ref: NativeRef, kind: 'track' | 'album'): { artist: string; title: string } {
  const pair = ref.kind === kind ? parsePairNativeId(ref.id) : null;
  if (!pair) throw notFound(`not a Last.fm ${kind} id: ${ref.kind}:${ref.id}`);
  return pair;
}

function artistRef(ref: NativeRef): string {
  const name = ref.kind === 'artist' ? parseArtistNativeId(ref.id) : null;
  if (!name) throw notFound(`not a Last.fm artist id: ${ref.kind}:${ref.id}`);
  return name;
}

/** Cursors are Last.fm page numbers, exactly as `nextCursor` hands them out; anything else was never ours. */
function pageFromCursor(cursor: string | null): number {
  if (cursor === null || cursor === '') return 1;
  if (!/^[1-9]\d{0,5}$/.test(cursor)) throw badInput(`"${cursor}" is not a Last.fm page cursor`);
  return Number(cursor);
}


