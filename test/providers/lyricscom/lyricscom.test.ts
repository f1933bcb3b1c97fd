import { readFileSync } from 'node:fs';
import * as cheerio from 'cheerio';
import { afterEach, describe, expect, it } from 'vitest';
import { checkLyrics } from '../../../src/catalog/matching.js';
import { readSearchPage, readSongPage, songPageUrl } from '../../../src/providers/lyricscom/html.js';
import { createLyricscomProvider } from '../../../src/providers/lyricscom/index.js';
import type { LyricsQuery, Provider } from '../../../src/providers/types.js';
import { replayProvider, type ReplayHarness, sourceErrorOf as rejection } from '../../support/providerHarness.js';
import { spyLogger } from '../soundcloud/spyLogger.js';

/**
 * Lyrics.com has no recordings: the fixtures are minimal pages built by hand with the structure
 * public scrapers of the site document (test/fixtures/lyricscom/README.md says which and how).
 * Expected values are read from the fixtures with cheerio, independently of the provider's readers,
 * and the pages are served through the replay server so the real client runs.
 */
const fixture = (name: string) => readFileSync(new URL(`../../fixtures/lyricscom/${name}`, import.meta.url), 'utf8');
const HTML = 'text/html; charset=UTF-8';

const SONG_URL = 'https://www.lyrics.com/lyric/1000003/Judy+Collins/Amazing+Grace';
const songFixture = cheerio.load(fixture('song-amazing-grace.html'));
/** The lyrics as the fixture states them: the `<pre>` text with its dictionary links read as words. */
const expectedText = songFixture('#lyric-body-text').text().trim();

function searchUrl(term: string): string {
  const url = new URL('https://www.lyrics.com/serp.php');
  url.searchParams.set('st', term);
  url.searchParams.set('qtype', '1');
  return url.toString();
}

const amazingGrace: LyricsQuery = { artist: 'Judy Collins', title: 'Amazing Grace', album: null, durationSec: 244, isrc: null };

let harness: ReplayHarness<Provider> | undefined;
const logger = spyLogger();
afterEach(async () => {
  await harness?.close();
  harness = undefined;
  logger.lines.length = 0;
});

async function lyricscom() {
  harness = await replayProvider(createLyricscomProvider, { extraHosts: ['www.lyrics.com'], logger });
  return harness;
}

/** The search and song pages, either as in the fixtures or changed in memory. */
function serve(server: ReplayHarness['server'], pages: { search?: string; song?: string } = {}) {
  server.route('GET', searchUrl('Amazing Grace'), { body: pages.search ?? fixture('serp-amazing-grace.html'), contentType: HTML });
  server.route('GET', SONG_URL, { body: pages.song ?? fixture('song-amazing-grace.html'), contentType: HTML });
}

function changed(file: string, change: ($: cheerio.CheerioAPI) => void): string {
  const $ = cheerio.load(fixture(file));
  change($);
  return $.html();
}

describe('Lyrics.com lyrics', () => {
  it('is keyless, always configured, and says its tests use constructed pages', async () => {
    const { provider } = await lyricscom();
    expect(provider.configured).toBe(true);
    expect(provider.credentials).toEqual([]);
    expect(provider.name).toBe('Scraping Lyrics.com');
    expect(provider.description).toMatch(/sin probar contra la web real/);
  });

  it('searches the title, picks the row the matching rules accept and reads its song page', async () => {
    const { provider, ctx, server } = await lyricscom();
    serve(server);
    const lyrics = await provider.lyrics!(amazingGrace, ctx);

    expect(server.count()).toBe(2);
    expect(server.requests[0]!.query.get('st')).toBe('Amazing Grace');
    expect(server.requests[0]!.query.get('qtype')).toBe('1');
    // Chris Tomlin and Elvis Presley come first; the rules pass over them by artist.
    expect(server.requests[1]!.path).toBe('/lyric/1000003/Judy+Collins/Amazing+Grace');
    expect(lyrics).toEqual({
      source: 'lyricscom',
      trackTitle: songFixture('#lyric-title-text').text(),
      artistName: songFixture('.lyric-artist a').text(),
      durationSec: null,
      text: expectedText,
      synced: null,
      partial: false,
      copyright: null,
      language: null,
      url: SONG_URL,
      instrumental: false,
      match: null,
    });
    // Dictionary links are unwrapped into their words, line breaks and the blank line between verses kept.
    expect(lyrics!.text!.split('\n')).toEqual([
      'Amazing grace! How sweet the sound',
      'That saved a wretch like me!',
      'I once was lost, but now am found;',
      'Was blind, but now I see.',
      '',
      "'Twas grace that taught my heart to fear,",
      'And grace my fears relieved;',
      'How precious did that grace appear',
      'The hour I first believed.',
    ]);
    expect(lyrics!.text).not.toMatch(/<|&#39;/);
    expect(checkLyrics(amazingGrace, lyrics!).accepted).toBe(true);
    // One unreadable row on the page is reported, not fatal.
    expect(logger.warnings().map((line) => line.fields.field)).toEqual(['result title', 'result song link', 'result artist']);
  });

  it('takes the first of equally good rows, following /lyric-lf/ links too', async () => {
    const { provider, ctx, server } = await lyricscom();
    const elvisUrl = 'https://www.lyrics.com/lyric-lf/1000002/Elvis+Presley/Amazing+Grace';
    server.route('GET', searchUrl('Amazing Grace'), { body: fixture('serp-amazing-grace.html'), contentType: HTML });
    const elvisPage = changed('song-amazing-grace.html', ($) => {
      $('.lyric-artist a').text('Elvis Presley');
    });
    server.route('GET', elvisUrl, { body: elvisPage, contentType: HTML });
    const lyrics = await provider.lyrics!({ ...amazingGrace, artist: 'Elvis Presley' }, ctx);
    expect(lyrics?.artistName).toBe('Elvis Presley');
    expect(lyrics?.url).toBe(elvisUrl);
  });

  it('answers null without opening a page when no row is the asked song', async () => {
    const { provider, ctx, server } = await lyricscom();
    serve(server);
    expect(await provider.lyrics!({ ...amazingGrace, artist: 'Aretha Franklin' }, ctx)).toBeNull();
    expect(server.count()).toBe(1);
  });

  it('answers null for a search without results', async () => {
    const { provider, ctx, server } = await lyricscom();
    serve(server, { search: fixture('serp-empty.html') });
    expect(await provider.lyrics!(amazingGrace, ctx)).toBeNull();
    expect(server.count()).toBe(1);
  });

  it('answers null when the song page says the site has no lyrics for it', async () => {
    const { provider, ctx, server } = await lyricscom();
    serve(server, { song: fixture('song-no-lyrics.html') });
    expect(await provider.lyrics!(amazingGrace, ctx)).toBeNull();
    expect(server.count()).toBe(2);
  });

  it('strips HTML from titles and decodes entities', async () => {
    const { provider, ctx, server } = await lyricscom();
    const song = changed('song-amazing-grace.html', ($) => {
      $('#lyric-title-text').html('Amazing <em>Grace</em> &amp; <script>alert(1)</script>Glory');
    });
    serve(server, { song });
    const lyrics = (await provider.lyrics!(amazingGrace, ctx))!;
    expect(lyrics.trackTitle).toBe('Amazing Grace & Glory');
  });

  describe('layout changes', () => {
    it('a renamed lyrics element is BAD_RESPONSE', async () => {
      const { provider, ctx, server } = await lyricscom();
      const song = changed('song-amazing-grace.html', ($) => {
        $('#lyric-body-text').attr('id', 'lyric-text-v2');
      });
      serve(server, { song });
      expect((await rejection(provider.lyrics!(amazingGrace, ctx))).kind).toBe('BAD_RESPONSE');
    });

    it('a renamed title or artist element nulls that field, warns, and the search row names the song', async () => {
      const { provider, ctx, server } = await lyricscom();
      const song = changed('song-amazing-grace.html', ($) => {
        $('#lyric-title-text').attr('id', 'song-title-v2');
        $('.lyric-artist').attr('class', 'song-artist-v2');
      });
      expect(readSongPage(song)).toMatchObject({ recognised: true, title: null, artist: null, body: expectedText });
      serve(server, { song });
      const lyrics = (await provider.lyrics!(amazingGrace, ctx))!;
      // From the search row, whose title link holds "Amazing <b>Grace</b>".
      expect(lyrics.trackTitle).toBe('Amazing Grace');
      expect(lyrics.artistName).toBe('Judy Collins');
      expect(lyrics.text).toBe(expectedText);
      const fields = logger.warnings().map((line) => line.fields.field);
      expect(fields).toContain('song title');
      expect(fields).toContain('song artist');
    });

    it('a search page whose rows can no longer be read is BAD_RESPONSE, not "no lyrics"', async () => {
      const { provider, ctx, server } = await lyricscom();
      const search = changed('serp-amazing-grace.html', ($) => {
        $('p.lyric-meta-title').attr('class', 'lyric-meta-name');
      });
      serve(server, { search });
      expect((await rejection(provider.lyrics!(amazingGrace, ctx))).kind).toBe('BAD_RESPONSE');
      expect(server.count()).toBe(1);
    });

    it('a page that is not a Lyrics.com search is BAD_RESPONSE', async () => {
      const { provider, ctx, server } = await lyricscom();
      serve(server, { search: '<!DOCTYPE html><html><body><h1>We will be right back</h1></body></html>' });
      expect((await rejection(provider.lyrics!(amazingGrace, ctx))).kind).toBe('BAD_RESPONSE');
    });
  });

  describe('upstream failures', () => {
    it("an empty HTTP 202 page (Lyrics.com's throttling) is RATE_LIMITED and is not cached", async () => {
      const { provider, ctx, server } = await lyricscom();
      server.route('GET', searchUrl('Amazing Grace'), { status: 202, body: '', contentType: HTML });
      expect((await rejection(provider.lyrics!(amazingGrace, ctx))).kind).toBe('RATE_LIMITED');
      serve(server);
      expect((await provider.lyrics!(amazingGrace, ctx))?.artistName).toBe('Judy Collins');
      expect(server.count('/serp.php')).toBe(2);
    });

    it.each([
      [403, 'UNAUTHORIZED'],
      [503, 'UNAVAILABLE'],
    ])('HTTP %i on the song page becomes %s', async (status, kind) => {
      const { provider, ctx, server } = await lyricscom();
      serve(server);
      server.route('GET', SONG_URL, { status, body: 'no', contentType: 'text/plain' });
      expect((await rejection(provider.lyrics!(amazingGrace, ctx))).kind).toBe(kind);
    });

    it('a cached lookup does not touch the network again', async () => {
      const { provider, ctx, server } = await lyricscom();
      serve(server);
      const first = await provider.lyrics!(amazingGrace, ctx);
      const second = await provider.lyrics!(amazingGrace, ctx);
      expect(second).toEqual(first);
      expect(server.count()).toBe(2);
    });
  });
});

describe('Lyrics.com readers', () => {
  it('reads every row of a search page, both artist forms, titles as plain text', () => {
    const page = readSearchPage(fixture('serp-amazing-grace.html'));
    expect(page.recognised).toBe(true);
    expect(page.rows).toEqual([
      {
        title: 'Amazing Grace (My Chains Are Gone)',
        artist: 'Chris Tomlin',
        url: 'https://www.lyrics.com/lyric/1000001/Chris+Tomlin/Amazing+Grace+%28My+Chains+Are+Gone%29',
      },
      { title: 'Amazing Grace', artist: 'Elvis Presley', url: 'https://www.lyrics.com/lyric-lf/1000002/Elvis+Presley/Amazing+Grace' },
      { title: null, artist: null, url: null },
      { title: 'Amazing Grace', artist: 'Judy Collins', url: SONG_URL },
    ]);
  });

  it('an empty result list is still a recognised search page', () => {
    expect(readSearchPage(fixture('serp-empty.html'))).toEqual({ recognised: true, rows: [] });
  });

  it('follows only Lyrics.com song links', () => {
    expect(songPageUrl('/lyric/42/A/B')).toBe('https://www.lyrics.com/lyric/42/A/B');
    expect(songPageUrl('http://lyrics.com/lyric-lf/42/A/B#top')).toBe('https://www.lyrics.com/lyric-lf/42/A/B');
    expect(songPageUrl('https://evil.example/lyric/42/A/B')).toBeNull();
    expect(songPageUrl('/artist/Judy-Collins/100003')).toBeNull();
    expect(songPageUrl(undefined)).toBeNull();
  });

  it('reads <br> inside the lyrics element as a line break', () => {
    const page = readSongPage('<h1 id="lyric-title-text">T</h1><pre id="lyric-body-text">one<br>two<br/>\r\nthree</pre>');
    expect(page.body).toBe('one\ntwo\n\nthree');
  });
});
