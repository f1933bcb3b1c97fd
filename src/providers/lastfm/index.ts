import type { Album, Artist, Biography, Chart, Page, Track } from '../../domain/types.js';
import { SourceError, isSourceError } from '../../errors/source.js';
import type { CacheKind, QueryValue } from '../../http/types.js';
import type {ArtistQuery, BrowseInput, CallContext, ChartInput, NativeRef, SearchInput } from '../types.js';
import { defineProvider } from '../define.js';
import { countryName } from '../shared/countries.js';
import { compact, list, num, pageLimit, text } from '../shared/parse.js';
import {
  SOURCE,
  expectRoot,
  isJunkAlbumName,
  parseAlbum,
  parseArtist,
  parseArtistNativeId,
  parseBiography,
  parseChartEntries,
  parsePairNativeId,
  parseTrack,
} from './parse.js';
import type { LfmAlbum, LfmArtist, LfmPageAttr, LfmTrack } from './types.js';

const API_URL = 'https://ws.audioscrobbler.com/2.0/';
/** Last.fm asks for no more than 5 requests per second per client, averaged over 5 minutes. */
const RATE_LIMIT = { requests: 5, intervalMs: 1000 };
const MAX_PAGE_SIZE = 100;

type SearchRoot = 'trackmatches' | 'albummatches' | 'artistmatches';

interface SearchBody {
  results?: Record<string, unknown>;
}

export const createLastfmProvider = defineProvider(
  {
    id: SOURCE,
    name: 'Last.fm',
    description: 'Biografías de artistas, géneros, artistas parecidos, discografías y listas de éxitos mundiales y por país. Necesita una clave gratuita de Last.fm (LASTFM_API_KEY).',
    homepage: 'https://www.last.fm/api',
    hosts: ['ws.audioscrobbler.com'],
    credentials: ['LASTFM_API_KEY'],
    idKinds: { track: ['track'], album: ['album'], artist: ['artist'] },
    client: { rateLimit: RATE_LIMIT },
  },
  ({ client, credential }) => {
    const apiKey = credential('LASTFM_API_KEY');

    async function call<T>(method: string, params: Record<string, QueryValue>, root: string, cache: CacheKind, ctx: CallContext): Promise<T> {
      if (!apiKey) throw new SourceError(SOURCE, 'UNCONFIGURED', 'LASTFM_API_KEY is not set');
      return client.json<T>(API_URL, {
        ctx,
        cache,
        searchParams: { method, ...params, api_key: apiKey, format: 'json' },
        secretParams: ['api_key'],
        validate: expectRoot(root),
      });
    }

    async function search<T>(method: string, param: string, root: SearchRoot, input: SearchInput, ctx: CallContext) {
      const page = pageFromCursor(input.cursor);
      const limit = pageLimit(input.limit, MAX_PAGE_SIZE);
      const body = await call<SearchBody>(method, { [param]: input.query, limit, page }, 'results', 'search', ctx);
      const results = body.results ?? {};
      const matches = results[root];
      const key = root.replace('matches', '');
      const rows = matches && typeof matches === 'object' ? list((matches as Record<string, T | T[]>)[key]) : [];
      const total = num(results['opensearch:totalResults']);
      return { rows, total, nextCursor: rows.length > 0 && total !== null && page * limit < total ? String(page + 1) : null };
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
      const body = await call<{ artist?: LfmArtist }>('artist.getinfo', params, 'artist', 'entity', ctx);
      if (!body.artist || !text(body.artist.name)) throw new SourceError(SOURCE, 'BAD_RESPONSE', 'artist.getInfo answer without an artist name');
      return body.artist;
    }

    return {

      async searchTracks(input, ctx): Promise<Page<Track>> {
        const { rows, total, nextCursor } = await search<LfmTrack>('track.search', 'track', 'trackmatches', input, ctx);
        return { items: compact(rows.map((row) => parseTrack(row))), total, nextCursor };
      },

      async searchAlbums(input, ctx): Promise<Page<Album>> {
        const { rows, total, nextCursor } = await search<LfmAlbum>('album.search', 'album', 'albummatches', input, ctx);
        return { items: compact(rows.map((row) => parseAlbum(row, false))), total, nextCursor };
      },

      async searchArtists(input, ctx): Promise<Page<Artist>> {
        const { rows, total, nextCursor } = await search<LfmArtist>('artist.search', 'artist', 'artistmatches', input, ctx);
        return { items: compact(rows.map((row) => parseArtist(row, null))), total, nextCursor };
      },

      async track(ref, ctx): Promise<Track> {
        const pair = pairRef(ref, 'track');
        const body = await call<{ track?: LfmTrack }>('track.getinfo', { artist: pair.artist, track: pair.title }, 'track', 'entity', ctx);
        const track = body.track ? parseTrack(body.track, { durationUnit: 'ms', artist: pair.artist }) : null;
        if (!track) throw new SourceError(SOURCE, 'BAD_RESPONSE', 'track.getInfo answer without a track');
        return track;
      },

      async album(ref, ctx): Promise<Album> {
        const pair = pairRef(ref, 'album');
        const body = await call<{ album?: LfmAlbum }>('album.getinfo', { artist: pair.artist, album: pair.title }, 'album', 'entity', ctx);
        const album = body.album ? parseAlbum(body.album, true) : null;
        if (!album) throw new SourceError(SOURCE, 'BAD_RESPONSE', 'album.getInfo answer without an album');
        return album;
      },

      async artist(ref, ctx): Promise<Artist> {
        const name = artistRef(ref);
        const info = await artistInfoByLanguage({ name, mbid: null }, ctx);
        const artist = info ? parseArtist(info.raw, info.language) : null;
        if (!artist) throw new SourceError(SOURCE, 'NOT_FOUND', `no Last.fm artist ${name}`);
        return { ...artist, biography: info?.biography ?? null };
      },

      async artistAlbums(ref, input: BrowseInput, ctx): Promise<Page<Album>> {
        const name = artistRef(ref);
        const page = pageFromCursor(input.cursor);
        const limit = pageLimit(input.limit, MAX_PAGE_SIZE);
        const body = await call<{ topalbums?: { album?: LfmAlbum | LfmAlbum[]; '@attr'?: LfmPageAttr } }>(
          'artist.gettopalbums',
          { artist: name, limit, page },
          'topalbums',
          'entity',
          ctx,
        );
        const rows = list(body.topalbums?.album).filter((row) => !isJunkAlbumName(text(row?.name)));
        const attr = body.topalbums?.['@attr'];
        const totalPages = num(attr?.totalPages);
        return {
          items: compact(rows.map((row) => parseAlbum(row, false))),
          total: num(attr?.total),
          nextCursor: totalPages !== null && page < totalPages ? String(page + 1) : null,
        };
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
        let scope = 'GLOBAL';
        let title = 'Last.fm: top tracks';
        let body: { tracks?: { track?: LfmTrack | LfmTrack[] } };
        if (input.country) {
          const country = countryName(input.country);
          if (!country) throw new SourceError(SOURCE, 'NOT_FOUND', `no Last.fm chart for country code ${input.country}`);
          if (input.genre) throw new SourceError(SOURCE, 'NOT_FOUND', 'Last.fm has no per-country chart by genre');
          scope = input.country.toUpperCase();
          title = `Last.fm: top tracks in ${country}`;
          body = await call('geo.gettoptracks', { country, limit, page: 1 }, 'tracks', 'chart', ctx);
        } else if (input.genre) {
          title = `Last.fm: top ${input.genre} tracks`;
          body = await call('tag.gettoptracks', { tag: input.genre, limit, page: 1 }, 'tracks', 'chart', ctx);
        } else {
          body = await call('chart.gettoptracks', { limit, page: 1 }, 'tracks', 'chart', ctx);
        }
        const entries = parseChartEntries(list(body.tracks?.track)).slice(0, limit);
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
  if (!pair) throw new SourceError(SOURCE, 'NOT_FOUND', `not a Last.fm ${kind} id: ${ref.kind}:${ref.id}`);
  return pair;
}

function artistRef(ref: NativeRef): string {
  const name = ref.kind === 'artist' ? parseArtistNativeId(ref.id) : null;
  if (!name) throw new SourceError(SOURCE, 'NOT_FOUND', `not a Last.fm artist id: ${ref.kind}:${ref.id}`);
  return name;
}

function pageFromCursor(cursor: string | null): number {
  const page = num(cursor);
  return page !== null && Number.isInteger(page) && page >= 1 ? page : 1;
}


