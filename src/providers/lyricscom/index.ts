import type { Lyrics } from '../../domain/types.js';
import { SourceError } from '../../errors/source.js';
import { FieldReader } from '../shared/drift.js';
import { readText } from '../shared/read.js';
import { defineProvider } from '../define.js';
import type { SearchPage, SongPage } from './html.js';
import { bestCandidate, lyricsFromPage, SOURCE } from './parse.js';

/** The page readers load cheerio and its HTML parsers (a second of start, ~25 MiB): only once lyrics are asked for. */
const pageReaders = () => import('./html.js');

const SEARCH_URL = 'https://www.lyrics.com/serp.php';
/** `qtype=1` searches songs (their titles and words); `qtype=2` would search artists. */
const LYRICS_SEARCH = 1;
/** The site publishes no limit and refuses bursts; a lookup is two pages. */
const RATE_LIMIT = { requests: 2, intervalMs: 1000 };

/**
 * Lyrics.com answers a request it throttles with HTTP 202 and an empty body rather than 429; a
 * page with no markup at all is not a page either. Rejected before caching.
 */
function expectPage(what: string) {
  return (body: unknown): void => {
    if (typeof body !== 'string' || body.trim() === '') {
      throw new SourceError(SOURCE, 'RATE_LIMITED', `${what}: empty page (Lyrics.com's answer to too many requests)`);
    }
    if (!body.includes('<')) throw new SourceError(SOURCE, 'BAD_RESPONSE', `${what}: not an HTML page`);
  };
}

function recognisedSearch(search: SearchPage): SearchPage {
  if (!search.recognised) throw new SourceError(SOURCE, 'BAD_RESPONSE', 'search: no result rows and no search form; the layout changed');
  if (search.rows.length > 0 && !search.rows.some((row) => row.title && row.artist && row.url)) {
    throw new SourceError(SOURCE, 'BAD_RESPONSE', `search: none of ${search.rows.length} result rows could be read; the layout changed`);
  }
  return search;
}

function recognisedSong(page: SongPage, url: string): SongPage {
  if (!page.recognised) throw new SourceError(SOURCE, 'BAD_RESPONSE', `${url}: no lyrics element and no "no lyrics" notice; the layout changed`);
  return page;
}

export const createLyricscomProvider = defineProvider(
  {
    id: SOURCE,
    name: 'Scraping Lyrics.com',
    description: 'Letras leídas de las páginas públicas de Lyrics.com, sin clave. Aún sin probar contra la web real, y si Lyrics.com la cambia puede dejar de funcionar: compruébalo con npm run sources:check.',
    hosts: ['www.lyrics.com'],
    client: { rateLimit: RATE_LIMIT },
  },
  ({ client, logger }) => {
    return {
      async lyrics(query, ctx): Promise<Lyrics | null> {
        const { readSearchPage, readSongPage } = await pageReaders();
        // Pages are read before they may be cached: one the readers do not recognise is never stored.
        const search = await readText(
          client,
          SEARCH_URL,
          { ctx, cache: 'lyrics', searchParams: { st: query.title, qtype: LYRICS_SEARCH }, validate: expectPage('search') },
          (html) => recognisedSearch(readSearchPage(html)),
        );
        const candidate = bestCandidate(query, search.rows, new FieldReader(logger, 'search'));
        if (!candidate) return null;

        const page = await readText(client, candidate.url, { ctx, cache: 'lyrics', validate: expectPage(candidate.url) }, (html) => recognisedSong(readSongPage(html), candidate.url));
        return lyricsFromPage(page, candidate, new FieldReader(logger, candidate.url));
      },
    };
  },
);
