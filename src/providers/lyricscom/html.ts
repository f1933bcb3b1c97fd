import * as cheerio from 'cheerio';
import { text } from '../shared/parse.js';

/**
 * Reading Lyrics.com's HTML. The selectors are the ones public scrapers of the site rely on
 * (see test/fixtures/lyricscom/README.md); they live here together so a redesign is fixed in one
 * place. Readers report what a page states and null for what it lacks; deciding whether a gap is
 * a layout change is left to the caller.
 */
const SELECTORS = {
  /** One search result. */
  resultRow: 'div.sec-lyric',
  /** Link to the song page: `/lyric/<id>/<Artist>/<Title>` (or `/lyric-lf/…` on newer pages). */
  resultTitle: 'p.lyric-meta-title a',
  /** Rows of an album credit the artist under `lyric-meta-album-artist`, others under `lyric-meta-artists`. */
  resultArtist: 'p.lyric-meta-album-artist, p.lyric-meta-artists',
  /** The site's search form, on every page: tells an empty result list from a page that is not Lyrics.com. */
  searchForm: 'form[action*="serp.php"]',
  songTitle: '#lyric-title-text',
  songArtist: '.lyric-artist',
  songBody: '#lyric-body-text',
  /** What a song page shows instead of the text when the site has none on file. */
  songNoLyrics: '.lyric-no-data',
} as const;

const ORIGIN = 'https://www.lyrics.com/';
const SONG_PATH = /^\/lyric(?:-lf)?\/\d+\//;
const HOSTS: ReadonlySet<string> = new Set(['www.lyrics.com', 'lyrics.com']);

type Root = cheerio.CheerioAPI;
type Selection = ReturnType<Root>;

/** Element text on one line: tags (and any script inside) dropped, entities decoded, whitespace collapsed. */
function inline(selection: Selection): string | null {
  const copy = selection.clone();
  copy.find('script, style').remove();
  return text(copy.text().replace(/\s+/g, ' '));
}

/** The absolute song page address of a result link, or null for anything that is not a Lyrics.com song page. */
export function songPageUrl(href: string | undefined): string | null {
  if (!href) return null;
  try {
    const url = new URL(href, ORIGIN);
    if (!HOSTS.has(url.hostname) || !SONG_PATH.test(url.pathname)) return null;
    url.protocol = 'https:';
    url.hostname = 'www.lyrics.com';
    url.hash = '';
    return url.toString();
  } catch {
    return null;
  }
}

export interface SearchRow {
  title: string | null;
  artist: string | null;
  url: string | null;
}

export interface SearchPage {
  /** False when the page has neither result rows nor the site's search form. */
  recognised: boolean;
  rows: SearchRow[];
}

function artistCredit(root: Root, row: Selection): string | null {
  const credit = row.find(SELECTORS.resultArtist).first();
  if (credit.length === 0) return null;
  const names = credit
    .find('a')
    .toArray()
    .map((link) => inline(root(link)))
    .filter((name): name is string => name !== null);
  return names.length > 0 ? names.join(', ') : inline(credit);
}

export function readSearchPage(html: string): SearchPage {
  const root = cheerio.load(html);
  const rows = root(SELECTORS.resultRow)
    .toArray()
    .map((element) => {
      const row = root(element);
      const link = row.find(SELECTORS.resultTitle).first();
      return {
        title: link.length > 0 ? inline(link) : null,
        artist: artistCredit(root, row),
        url: songPageUrl(link.attr('href')),
      };
    });
  return { recognised: rows.length > 0 || root(SELECTORS.searchForm).length > 0, rows };
}

export interface SongPage {
  /** False when the page has neither the lyrics element nor the site's "no lyrics" notice. */
  recognised: boolean;
  title: string | null;
  artist: string | null;
  /** The lyrics as plain text with their line breaks; null when the element is absent or empty. */
  body: string | null;
  /** The site says it has no lyrics for this song. */
  noLyrics: boolean;
}

/**
 * The lyrics element is a `<pre>` whose words are partly wrapped in links to the site's
 * dictionary; its text, with `<br>` read as a line break, is the lyrics as laid out.
 */
function lyricsText(root: Root, body: Selection): string | null {
  const copy = body.clone();
  copy.find('br').replaceWith('\n');
  copy.find('script, style').remove();
  const raw = root(copy).text();
  return text(
    raw
      .replace(/\r\n?/g, '\n')
      .replace(/[ \t\u00a0]+\n/g, '\n')
      .replace(/\n{3,}/g, '\n\n'),
  );
}

export function readSongPage(html: string): SongPage {
  const root = cheerio.load(html);
  const body = root(SELECTORS.songBody).first();
  const noLyrics = root(SELECTORS.songNoLyrics).length > 0;
  const artist = root(SELECTORS.songArtist).first();
  const artistLink = artist.find('a').first();
  return {
    recognised: body.length > 0 || noLyrics,
    title: inline(root(SELECTORS.songTitle).first()),
    artist: artistLink.length > 0 ? inline(artistLink) : inline(artist),
    body: body.length > 0 ? lyricsText(root, body) : null,
    noLyrics,
  };
}
