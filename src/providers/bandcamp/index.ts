import type { Album, Artist, Page, Track } from '../../domain/types.js';
import { isSourceError, isSourceErrorOf } from '../../errors/source.js';
import type { CallContext, NativeRef, SearchInput } from '../types.js';
import { defineProvider } from '../define.js';
import { failuresOf } from '../shared/failures.js';
import { num, pageLimit, text } from '../shared/parse.js';
import { FieldReader, isRecord } from '../shared/drift.js';
import { customDomainsIn } from './domains.js';
import type { SearchItem } from './html.js';
import { SOURCE, artistPageUrl, isBandcampHost, isCustomDomain, parseReleaseId, releasePageUrl, type NumericRef } from './ids.js';
import { parseBandcampUrl } from './links.js';
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

/** The page readers load cheerio and its HTML parsers (a second of start, ~25 MiB): only once a page is read. */
const pageReaders = () => import('./html.js');

const SEARCH_URL = 'https://bandcamp.com/search';
const AUTOCOMPLETE_URL = 'https://bandcamp.com/api/bcsearch_public_api/1/autocomplete_elastic';
const BAND_DETAILS_URL = 'https://bandcamp.com/api/mobile/22/band_details';
const TRALBUM_DETAILS_URL = 'https://bandcamp.com/api/mobile/22/tralbum_details';
/** Bandcamp publishes no limit; this keeps a scraper well below what a person browsing sends. */
const RATE_LIMIT = { requests: 3, intervalMs: 1000 };
const MAX_PAGE_SIZE = 50;
/** A subdomain redirects to its custom domain, which may add `www.`: a few hops, never a loop. */
const MAX_REDIRECTS = 3;
/** The search page's `?page=` number, and the discography's offset: all this provider hands out. */
const PAGE_NUMBER = /^\d{1,4}$/;
const OFFSET = /^\d{1,6}$/;

const fail = failuresOf(SOURCE);
const notFound = fail.notFound;

function expectPage(what: string, marker: RegExp) {
  return (body: unknown): void => {
    if (typeof body !== 'string' || !marker.test(body)) throw fail.badResponse(`${what}: not the page expected`);
  };
}

/** The mobile API answers errors with HTTP 200 and `{error: true, error_message}`. */
function expectMobileAnswer(what: string) {
  return (body: unknown): void => {
    if (!isRecord(body)) throw fail.badResponse(`${what}: not a JSON object`);
    if (body.error === true) {
      const message = text(body.error_message) ?? 'error';
      throw /not found/i.test(message) ? notFound(`${what}: ${message}`) : fail.badResponse(`${what}: ${message}`);
    }
  };
}

function expectAutocomplete(body: unknown): void {
  if (!isRecord(body) || !isRecord(body.auto) || !Array.isArray(body.auto.results)) {
    throw fail.badResponse('autocomplete: answer has no auto.results list');
  }
}

/** A cursor this provider handed out, or BAD_INPUT before anything is sent. */
function cursorNumber(cursor: string | null, shape: RegExp): number | null {
  if (cursor === null) return null;
  if (!shape.test(cursor)) throw fail.badInput('not a cursor Bandcamp handed out');
  return Number(cursor);
}

function locationOf(headers: Record<string, string | string[] | undefined>): string | null {
  const location = headers.location;
  return text(Array.isArray(location) ? location[0] : location);
}

export const createBandcampProvider = defineProvider(
  {
    id: SOURCE,
    name: 'Scraping Bandcamp',
    description: 'Discos, canciones y artistas de Bandcamp; descarga solo lo que el artista regala y enlaza lo demás a su página para comprarlo. Sin clave. Lee su web: si Bandcamp la cambia puede dejar de funcionar (compruébalo con npm run sources:check).',
    hosts: ['bandcamp.com', '*.bandcamp.com'],
    idKinds: { track: ['track'], album: ['album'], artist: ['artist'] },
    parseUrl: parseBandcampUrl,
    downloadHosts: ['bandcamp.com'],
    client: { rateLimit: RATE_LIMIT },
  },
  ({ client, logger }) => {
    /** Trusts the custom domains of the ids in `result`, which was built from Bandcamp's own answers (see domains.ts). */
    async function handingOut<T>(result: T): Promise<T> {
      await Promise.all([...customDomainsIn(result)].map((host) => client.trustHost(host)));
      return result;
    }

    async function searchPage(input: SearchInput, type: 'a' | 'b', ctx: CallContext): Promise<{ items: SearchItem[]; nextCursor: string | null }> {
      const page = cursorNumber(input.cursor, PAGE_NUMBER) ?? 1;
      const html = await client.text(SEARCH_URL, {
        ctx,
        cache: 'search',
        searchParams: { q: input.query, page },
        validate: expectPage('search', /class="(result-items|results)"/),
      });
      const { readSearchPage } = await pageReaders();
      const parsed = readSearchPage(html);
      if (!parsed.recognised) throw fail.badResponse('search: page has no results area');
      // The search page mixes kinds (18 a page); each capability keeps its own kind.
      return { items: parsed.items.filter((item) => item.type === type).slice(0, pageLimit(input.limit, MAX_PAGE_SIZE)), nextCursor: parsed.nextPage ? String(parsed.nextPage) : null };
    }

    /**
     * A page of an artist's site, with its redirects followed here rather than by the client: a
     * subdomain that redirects to the artist's own domain is Bandcamp naming that domain, so it
     * is trusted before it is asked. A custom domain no Bandcamp answer has named is refused by
     * the client before any connection, and is NOT_FOUND here (HOST_NOT_ALLOWED would count
     * against Bandcamp's health, and would tell a caller what the gateway has learnt).
     */
    async function sitePage(url: string, ctx: CallContext, validate: (body: unknown) => void): Promise<{ html: string; url: string }> {
      let current = new URL(url);
      for (let hop = 0; hop <= MAX_REDIRECTS; hop += 1) {
        let response;
        try {
          response = await client.request<string>(current.toString(), { ctx, cache: 'entity', responseType: 'text', followRedirect: false, validate });
        } catch (error) {
          if (isSourceErrorOf(error, 'HOST_NOT_ALLOWED') && isCustomDomain(current.hostname)) {
            throw notFound(`${current.hostname} is no Bandcamp site the gateway has seen Bandcamp name`);
          }
          throw error;
        }
        if (response.status < 300 || response.status >= 400) return { html: response.body, url: current.toString() };
        const location = locationOf(response.headers);
        if (!location) throw fail.badResponse(`${current.hostname}: HTTP ${response.status} without a Location`);
        const next = new URL(location, current);
        // Bandcamp serves every site over https; a plain-http Location is upgraded, never followed down.
        next.protocol = 'https:';
        if (isCustomDomain(next.hostname) && isBandcampHost(current.hostname)) await client.trustHost(next.hostname);
        current = next;
      }
      throw fail.badResponse(`${url}: more than ${MAX_REDIRECTS} redirects`);
    }

    async function releasePage(url: string, ctx: CallContext) {
      const page = await sitePage(url, ctx, expectPage(url, /data-tralbum|application\/ld\+json/));
      const { readReleasePage } = await pageReaders();
      return { url: page.url, page: readReleasePage(page.html), bandcampServed: isBandcampHost(new URL(page.url).hostname) };
    }

    async function artistPage(ref: NativeRef, ctx: CallContext) {
      if (ref.kind !== 'artist') throw notFound(`Bandcamp has no ${ref.kind} ids (use artist)`);
      const url = artistPageUrl(ref.id);
      if (!url) throw notFound(`not a Bandcamp artist id: ${ref.id}`);
      const page = await sitePage(url, ctx, expectPage(url, /data-band|id="bio-container"/));
      const { readArtistPage } = await pageReaders();
      return { url: page.url, page: readArtistPage(page.html), bandcampServed: isBandcampHost(new URL(page.url).hostname) };
    }

    /** What a result made from a site page hands out: taught only when Bandcamp served the page. */
    const fromSite = <T>(bandcampServed: boolean, result: T): Promise<T> => (bandcampServed ? handingOut(result) : Promise.resolve(result));

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
        // The autocomplete answers one list, so this provider never hands out a cursor here.
        if (input.cursor !== null) throw fail.badInput('Bandcamp track search has a single page');
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
        return handingOut({ items: tracks.slice(0, pageLimit(input.limit, MAX_PAGE_SIZE)), total: null, nextCursor: null });
      },

      async searchAlbums(input, ctx): Promise<Page<Album>> {
        const { items, nextCursor } = await searchPage(input, 'a', ctx);
        const reader = new FieldReader(logger, 'search');
        return handingOut({ items: items.map((item) => albumFromSearch(item, reader)).filter((album): album is Album => album !== null), total: null, nextCursor });
      },

      async searchArtists(input, ctx): Promise<Page<Artist>> {
        const { items, nextCursor } = await searchPage(input, 'b', ctx);
        const reader = new FieldReader(logger, 'search');
        return handingOut({ items: items.map((item) => artistFromSearch(item, reader)).filter((artist): artist is Artist => artist !== null), total: null, nextCursor });
      },

      async album(ref, ctx): Promise<Album> {
        const release = releaseRef(ref, 'album');
        if (release.form === 'numeric') return handingOut(albumFromMobile(await tralbumDetails(release, ctx), ref.id));
        const { url, page, bandcampServed } = await releasePage(releasePageUrl(release), ctx);
        return fromSite(bandcampServed, albumFromPage(page, url, new FieldReader(logger, url)));
      },

      async track(ref, ctx): Promise<Track> {
        const release = releaseRef(ref, 'track');
        if (release.kind !== 'track') throw notFound(`${ref.id} is an album`);
        if (release.form === 'numeric') {
          const track = tracksFromMobile(await tralbumDetails(release, ctx), ref.id, null)[0];
          if (!track) throw fail.badResponse(`tralbum_details ${ref.id}: no track`);
          return handingOut(track);
        }
        const { url, page, bandcampServed } = await releasePage(releasePageUrl(release), ctx);
        return fromSite(bandcampServed, trackFromPage(page, url, new FieldReader(logger, url)));
      },

      async artist(ref, ctx): Promise<Artist> {
        const { url, page, bandcampServed } = await artistPage(ref, ctx);
        const reader = new FieldReader(logger, url);
        if (page.hasProfile) return fromSite(bandcampServed, artistFromPage(page, url, reader));
        // Artists with no releases get a bare page; the mobile API still has their profile.
        const bandId = num(page.band?.id);
        if (bandId === null) throw fail.badResponse(`${url}: neither a profile nor a band id on the page`);
        let details: BcBandDetails;
        try {
          details = await bandDetails(bandId, ctx);
        } catch (error) {
          if (isSourceError(error) && error.kind === 'ABORTED') throw error;
          logger.warn('band_details failed; answering with the page alone', { url, error });
          return fromSite(bandcampServed, artistFromPage(page, url, reader));
        }
        // bandcamp.com's own answer: the artist's address it names is learnt whoever served the page.
        return handingOut(artistFromDetails(details, url));
      },

      async artistAlbums(ref, input, ctx): Promise<Page<Album>> {
        const offset = cursorNumber(input.cursor, OFFSET) ?? 0;
        const { url, page, bandcampServed } = await artistPage(ref, ctx);
        const reader = new FieldReader(logger, url);
        let albums: Album[];
        if (page.grid) {
          albums = albumsFromGrid(page.grid, url, page.name ?? text(page.band?.name), reader);
        } else {
          // The home page shows one release (or nothing); the discography is in the mobile API.
          const bandId = num(page.band?.id);
          if (bandId === null) throw fail.badResponse(`${url}: no discography and no band id on the page`);
          const details = await bandDetails(bandId, ctx);
          albums = albumsFromDiscography(Array.isArray(details.discography) ? details.discography : [], url);
        }
        const end = offset + pageLimit(input.limit, MAX_PAGE_SIZE);
        return fromSite(bandcampServed, { items: albums.slice(offset, end), total: albums.length, nextCursor: end < albums.length ? String(end) : null });
      },
    };
  },
);

