import type { Album, Artist, Page, Track } from '../../domain/types.js';
import { SourceError, isSourceError } from '../../errors/source.js';
import type {CallContext, NativeRef, SearchInput } from '../types.js';
import { defineProvider } from '../define.js';
import { num, pageLimit, text } from '../shared/parse.js';
import { FieldReader, isRecord } from '../shared/drift.js';
import { readArtistPage, readReleasePage, readSearchPage, type SearchItem } from './html.js';
import { SOURCE, artistPageUrl, parseReleaseId, releasePageUrl, type NumericRef } from './ids.js';
import {
  albumFromMobile,
  albumFromPage,
  albumFromSearch,
  albumsFromDiscography,
  albumsFromGrid,
  artistFromDetails,
  artistFromPage,
  artistFromSearch,
  trackFromAutocomplete,
  trackFromPage,
  tracksFromMobile,
} from './parse.js';
import type { BcAutocomplete, BcBandDetails, BcTralbumDetails } from './types.js';

const SEARCH_URL = 'https://bandcamp.com/search';
const AUTOCOMPLETE_URL = 'https://bandcamp.com/api/bcsearch_public_api/1/autocomplete_elastic';
const BAND_DETAILS_URL = 'https://bandcamp.com/api/mobile/22/band_details';
const TRALBUM_DETAILS_URL = 'https://bandcamp.com/api/mobile/22/tralbum_details';
/** Bandcamp publishes no limit; this keeps a scraper well below what a person browsing sends. */
const RATE_LIMIT = { requests: 3, intervalMs: 1000 };
const MAX_PAGE_SIZE = 50;

function notFound(message: string): SourceError {
  return new SourceError(SOURCE, 'NOT_FOUND', message);
}

function expectPage(what: string, marker: RegExp) {
  return (body: unknown): void => {
    if (typeof body !== 'string' || !marker.test(body)) throw new SourceError(SOURCE, 'BAD_RESPONSE', `${what}: not the page expected`);
  };
}

/** The mobile API answers errors with HTTP 200 and `{error: true, error_message}`. */
function expectMobileAnswer(what: string) {
  return (body: unknown): void => {
    if (!isRecord(body)) throw new SourceError(SOURCE, 'BAD_RESPONSE', `${what}: not a JSON object`);
    if (body.error === true) {
      const message = text(body.error_message) ?? 'error';
      throw new SourceError(SOURCE, /not found/i.test(message) ? 'NOT_FOUND' : 'BAD_RESPONSE', `${what}: ${message}`);
    }
  };
}

function expectAutocomplete(body: unknown): void {
  if (!isRecord(body) || !isRecord(body.auto) || !Array.isArray(body.auto.results)) {
    throw new SourceError(SOURCE, 'BAD_RESPONSE', 'autocomplete: answer has no auto.results list');
  }
}

export const createBandcampProvider = defineProvider(
  {
    id: SOURCE,
    name: 'Scraping Bandcamp',
    description: 'Discos, canciones y artistas de Bandcamp; descarga solo lo que el artista regala y enlaza lo demás a su página para comprarlo. Sin clave. Lee su web: si Bandcamp la cambia puede dejar de funcionar (compruébalo con npm run sources:check).',
    homepage: 'https://bandcamp.com',
    hosts: ['bandcamp.com', '*.bandcamp.com'],
    idKinds: { track: ['track'], album: ['album'], artist: ['artist'] },
    downloadHosts: ['bandcamp.com'],
    client: { rateLimit: RATE_LIMIT },
  },
  ({ client, logger }) => {
    async function searchPage(input: SearchInput, type: 'a' | 'b', ctx: CallContext): Promise<{ items: SearchItem[]; nextCursor: string | null }> {
      const page = input.cursor && /^\d+$/.test(input.cursor) ? Number(input.cursor) : 1;
      const html = await client.text(SEARCH_URL, {
        ctx,
        cache: 'search',
        searchParams: { q: input.query, page },
        validate: expectPage('search', /class="(result-items|results)"/),
      });
      const parsed = readSearchPage(html);
      if (!parsed.recognised) throw new SourceError(SOURCE, 'BAD_RESPONSE', 'search: page has no results area');
      // The search page mixes kinds (18 a page); each capability keeps its own kind.
      return { items: parsed.items.filter((item) => item.type === type).slice(0, pageLimit(input.limit, MAX_PAGE_SIZE)), nextCursor: parsed.nextPage ? String(parsed.nextPage) : null };
    }

    async function releasePage(url: string, ctx: CallContext) {
      const html = await client.text(url, { ctx, cache: 'entity', validate: expectPage(url, /data-tralbum|application\/ld\+json/) });
      return readReleasePage(html);
    }

    async function artistPage(ref: NativeRef, ctx: CallContext) {
      if (ref.kind !== 'artist') throw notFound(`Bandcamp has no ${ref.kind} ids (use artist)`);
      const url = artistPageUrl(ref.id);
      if (!url) throw notFound(`not a Bandcamp artist id: ${ref.id}`);
      const html = await client.text(url, { ctx, cache: 'entity', validate: expectPage(url, /data-band|id="bio-container"/) });
      return { url, page: readArtistPage(html) };
    }

    async function bandDetails(bandId: number, ctx: CallContext): Promise<BcBandDetails> {
      return client.json<BcBandDetails>(BAND_DETAILS_URL, {
        ctx,
        cache: 'entity',
        method: 'POST',
        json: { band_id: String(bandId) },
        validate: expectMobileAnswer('band_details'),
      });
    }

    async function tralbumDetails(ref: NumericRef, ctx: CallContext): Promise<BcTralbumDetails> {
      return client.json<BcTralbumDetails>(TRALBUM_DETAILS_URL, {
        ctx,
        cache: 'entity',
        searchParams: { band_id: ref.bandId, tralbum_id: ref.itemId, tralbum_type: ref.kind === 'album' ? 'a' : 't' },
        validate: expectMobileAnswer('tralbum_details'),
      });
    }

    function releaseRef(ref: NativeRef, kind: 'album' | 'track') {
      if (ref.kind !== kind) throw notFound(`Bandcamp has no ${ref.kind} ids (use ${kind})`);
      const parsed = parseReleaseId(ref.id);
      if (!parsed) throw notFound(`not a Bandcamp ${kind} id: ${ref.id}`);
      return parsed;
    }

    return {

      async searchTracks(input, ctx): Promise<Page<Track>> {
        // Track hits rarely reach the first pages of the HTML search, so tracks come from the
        // search box's own autocomplete call, asked exactly as bandcamp.com asks it.
        const body = await client.json<BcAutocomplete>(AUTOCOMPLETE_URL, {
          ctx,
          cache: 'search',
          method: 'POST',
          json: { fan_id: null, full_page: false, search_filter: '', search_text: input.query },
          validate: expectAutocomplete,
        });
        const reader = new FieldReader(logger, 'autocomplete');
        const tracks = (body.auto?.results ?? [])
          .filter((result) => result?.type === 't')
          .map((result) => trackFromAutocomplete(result, reader))
          .filter((track): track is Track => track !== null);
        return { items: tracks.slice(0, pageLimit(input.limit, MAX_PAGE_SIZE)), total: null, nextCursor: null };
      },

      async searchAlbums(input, ctx): Promise<Page<Album>> {
        const { items, nextCursor } = await searchPage(input, 'a', ctx);
        const reader = new FieldReader(logger, 'search');
        return { items: items.map((item) => albumFromSearch(item, reader)).filter((album): album is Album => album !== null), total: null, nextCursor };
      },

      async searchArtists(input, ctx): Promise<Page<Artist>> {
        const { items, nextCursor } = await searchPage(input, 'b', ctx);
        const reader = new FieldReader(logger, 'search');
        return { items: items.map((item) => artistFromSearch(item, reader)).filter((artist): artist is Artist => artist !== null), total: null, nextCursor };
      },

      async album(ref, ctx): Promise<Album> {
        const release = releaseRef(ref, 'album');
        if (release.form === 'numeric') return albumFromMobile(await tralbumDetails(release, ctx), ref.id);
        const url = releasePageUrl(release);
        return albumFromPage(await releasePage(url, ctx), url, new FieldReader(logger, url));
      },

      async track(ref, ctx): Promise<Track> {
        const release = releaseRef(ref, 'track');
        if (release.kind !== 'track') throw notFound(`${ref.id} is an album`);
        if (release.form === 'numeric') {
          const track = tracksFromMobile(await tralbumDetails(release, ctx), ref.id, null)[0];
          if (!track) throw new SourceError(SOURCE, 'BAD_RESPONSE', `tralbum_details ${ref.id}: no track`);
          return track;
        }
        const url = releasePageUrl(release);
        return trackFromPage(await releasePage(url, ctx), url, new FieldReader(logger, url));
      },

      async artist(ref, ctx): Promise<Artist> {
        const { url, page } = await artistPage(ref, ctx);
        const reader = new FieldReader(logger, url);
        if (page.hasProfile) return artistFromPage(page, url, reader);
        // Artists with no releases get a bare page; the mobile API still has their profile.
        const bandId = num(page.band?.id);
        if (bandId === null) throw new SourceError(SOURCE, 'BAD_RESPONSE', `${url}: neither a profile nor a band id on the page`);
        try {
          return artistFromDetails(await bandDetails(bandId, ctx), url);
        } catch (error) {
          if (isSourceError(error) && error.kind === 'ABORTED') throw error;
          logger.warn('band_details failed; answering with the page alone', { url, error });
          return artistFromPage(page, url, reader);
        }
      },

      async artistAlbums(ref, input, ctx): Promise<Page<Album>> {
        const { url, page } = await artistPage(ref, ctx);
        const reader = new FieldReader(logger, url);
        let albums: Album[];
        if (page.grid) {
          albums = albumsFromGrid(page.grid, url, page.name ?? text(page.band?.name), reader);
        } else {
          // The home page shows one release (or nothing); the discography is in the mobile API.
          const bandId = num(page.band?.id);
          if (bandId === null) throw new SourceError(SOURCE, 'BAD_RESPONSE', `${url}: no discography and no band id on the page`);
          const details = await bandDetails(bandId, ctx);
          albums = albumsFromDiscography(Array.isArray(details.discography) ? details.discography : [], url);
        }
        const offset = input.cursor && /^\d+$/.test(input.cursor) ? Number(input.cursor) : 0;
        const end = offset + pageLimit(input.limit, MAX_PAGE_SIZE);
        return { items: albums.slice(offset, end), total: albums.length, nextCursor: end < albums.length ? String(end) : null };
      },
    };
  },
);

