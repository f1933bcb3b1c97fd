import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { checkLyrics } from '../../../src/catalog/matching.js';
import { createMusixmatchProvider } from '../../../src/providers/musixmatch/index.js';
import { cleanLyricsBody } from '../../../src/providers/musixmatch/parse.js';
import type { LyricsQuery, Provider } from '../../../src/providers/types.js';
import { replayProvider, type ReplayHarness, sourceErrorOf as rejection } from '../../support/providerHarness.js';

/**
 * Musixmatch has no recordings: the fixtures are the examples of Musixmatch's documentation
 * (developer.musixmatch.com and docs.musixmatch.com) plus one real free-plan answer published in
 * public code; test/fixtures/musixmatch/README.md names each origin. They are served through the
 * replay server so the real client runs.
 */
const fixture = (name: string) => readFileSync(new URL(`../../fixtures/musixmatch/${name}`, import.meta.url), 'utf8');
const API_KEY = 'test-api-key';

function mxmUrl(method: string, params: Record<string, string | number>): string {
  const url = new URL(`https://api.musixmatch.com/ws/1.1/${method}`);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, String(value));
  return url.toString();
}

/** Musixmatch's error answers: HTTP 200, the status in the header, an empty list as body. */
const errorBody = (status: number) => JSON.stringify({ message: { header: { status_code: status, execute_time: 0.002 }, body: [] } });


const taxman: LyricsQuery = { artist: 'The Beatles', title: 'Taxman', album: null, durationSec: 159, isrc: null };
const matcherByText = mxmUrl('matcher.track.get', { q_track: 'Taxman', q_artist: 'The Beatles' });
const lyricsOfTaxman = mxmUrl('track.lyrics.get', { track_id: 170615520 });

let harness: ReplayHarness<Provider> | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function configured() {
  harness = await replayProvider(createMusixmatchProvider, {
    extraHosts: ['api.musixmatch.com'],
    env: { MUSIXMATCH_API_KEY: API_KEY },
  });
  return harness;
}

describe('Musixmatch without MUSIXMATCH_API_KEY', () => {
  it('reports configured: false and refuses every call without touching the network', async () => {
    harness = await replayProvider(createMusixmatchProvider, { extraHosts: ['api.musixmatch.com'] });
    const { provider, ctx, server } = harness;
    expect(provider.configured).toBe(false);
    expect(provider.credentials).toEqual(['MUSIXMATCH_API_KEY']);
    for (const call of [
      provider.lyrics!(taxman, ctx),
      provider.chart!({ country: 'ES', genre: null, limit: 10 }, ctx),
      provider.track!({ kind: 'track', id: '170615520' }, ctx),
    ]) {
      expect((await rejection(call)).kind).toBe('UNCONFIGURED');
    }
    expect(server.count()).toBe(0);
  });
});

describe('Musixmatch lyrics', () => {
  it('matches the track by artist and title, then fetches its lyrics', async () => {
    const { provider, ctx, server } = await configured();
    server.route('GET', matcherByText, { body: fixture('matcher-track-get.json') });
    server.route('GET', lyricsOfTaxman, { body: fixture('track-lyrics-get.json') });
    const lyrics = await provider.lyrics!(taxman, ctx);

    expect(server.count()).toBe(2);
    expect(server.requests.every((request) => request.query.get('apikey') === API_KEY)).toBe(true);
    expect(lyrics).toEqual({
      source: 'musixmatch',
      // Title, artist and length come from the matched track; the lyrics object has none of them.
      trackTitle: 'Taxman - Remastered 2009',
      artistName: 'The Beatles',
      durationSec: 159,
      // The documentation's sample uses CRLF line ends.
      text: 'Now and then I think of when we were together\n...',
      synced: null,
      partial: false,
      copyright: 'Lyrics powered by www.musiXmatch.com',
      language: 'en',
      url: 'https://www.musixmatch.com/lyrics/Gotye-feat-Kimbra/Somebody-That-I-Used-to-Know',
      instrumental: false,
      match: null,
    });
    // The chain's rules accept the remastered title for "Taxman".
    expect(checkLyrics(taxman, lyrics!).accepted).toBe(true);
  });

  it('marks the free plan text partial, strips the marker and tracking number, keeps the copyright line', async () => {
    const { provider, ctx, server } = await configured();
    server.route('GET', matcherByText, { body: fixture('matcher-track-get.json') });
    server.route('GET', lyricsOfTaxman, { body: fixture('track-lyrics-get-free-plan.json') });
    const lyrics = (await provider.lyrics!(taxman, ctx))!;
    expect(lyrics.partial).toBe(true);
    expect(lyrics.text).toBe("I love You, Lord\nOh, your mercy never failed me\nAll my days, I've been held in your hands\n...");
    expect(lyrics.text).not.toContain('Commercial');
    expect(lyrics.text).not.toContain('1409624502044');
    expect(lyrics.copyright).toBe(
      'Lyrics powered by www.musixmatch.com. This Lyrics is NOT for Commercial use and only 30% of the lyrics are returned.',
    );
    // No backlink in this answer: the track's page, without the application's utm_* parameters.
    expect(lyrics.url).toBe('https://www.musixmatch.com/lyrics/The-Beatles/taxman-remastered-2009');
  });

  it('matches by ISRC first and falls back to artist and title when the ISRC is unknown', async () => {
    const { provider, ctx, server } = await configured();
    server.route('GET', mxmUrl('matcher.track.get', { track_isrc: 'GBAYE0601493' }), { body: fixture('matcher-track-get.json') });
    server.route('GET', lyricsOfTaxman, { body: fixture('track-lyrics-get.json') });
    expect((await provider.lyrics!({ ...taxman, isrc: 'GBAYE0601493' }, ctx))?.trackTitle).toBe('Taxman - Remastered 2009');
    expect(server.count('matcher.track.get')).toBe(1);

    server.route('GET', mxmUrl('matcher.track.get', { track_isrc: 'XXX000000000' }), { body: fixture('not-found.json') });
    server.route('GET', matcherByText, { body: fixture('matcher-track-get.json') });
    expect((await provider.lyrics!({ ...taxman, isrc: 'XXX000000000' }, ctx))?.trackTitle).toBe('Taxman - Remastered 2009');
    expect(server.count('track_isrc=XXX000000000')).toBe(1);
    expect(server.count('q_track=Taxman')).toBe(1);
  });

  it('answers null, not an error, when Musixmatch has no match (status 404 in an HTTP 200)', async () => {
    const { provider, ctx, server } = await configured();
    server.route('GET', matcherByText, { body: fixture('not-found.json') });
    expect(await provider.lyrics!(taxman, ctx)).toBeNull();
    expect(server.count()).toBe(1);
  });

  it('reports an instrumental track without asking for lyrics', async () => {
    const { provider, ctx, server } = await configured();
    const sample = JSON.parse(fixture('matcher-track-get.json'));
    sample.message.body.track.instrumental = 1;
    server.route('GET', matcherByText, { body: JSON.stringify(sample) });
    const lyrics = await provider.lyrics!(taxman, ctx);
    expect(lyrics).toMatchObject({ instrumental: true, text: null, trackTitle: 'Taxman - Remastered 2009' });
    expect(server.count('track.lyrics.get')).toBe(0);
  });

  it.each([
    [401, 'UNAUTHORIZED'],
    [402, 'UNAUTHORIZED'],
    [403, 'UNAUTHORIZED'],
    [429, 'RATE_LIMITED'],
    [500, 'UNAVAILABLE'],
    [503, 'UNAVAILABLE'],
    [400, 'BAD_RESPONSE'],
    [405, 'BAD_RESPONSE'],
  ])('status_code %i inside an HTTP 200 becomes %s', async (status, kind) => {
    const { provider, ctx, server } = await configured();
    server.route('GET', matcherByText, { body: errorBody(status) });
    const error = await rejection(provider.lyrics!(taxman, ctx));
    expect(error.kind).toBe(kind);
    expect(error.details.status).toBe(status);
  });

  it('an answer without message.header is BAD_RESPONSE', async () => {
    const { provider, ctx, server } = await configured();
    server.route('GET', matcherByText, { body: '{"error":"nope"}' });
    expect((await rejection(provider.lyrics!(taxman, ctx))).kind).toBe('BAD_RESPONSE');
  });
});

describe('Musixmatch chart and tracks', () => {
  it('gives the top chart of a country with Musixmatch popularity and no placeholder cover', async () => {
    const { provider, ctx, server } = await configured();
    server.route('GET', mxmUrl('chart.tracks.get', { chart_name: 'top', country: 'es', page: 1, page_size: 10 }), {
      body: fixture('chart-tracks-get.json'),
    });
    const chart = await provider.chart!({ country: 'ES', genre: null, limit: 10 }, ctx);
    expect(chart.scope).toBe('ES');
    expect(chart.entries).toHaveLength(1);
    const [entry] = chart.entries;
    expect(entry!.position).toBe(1);
    expect(entry!.popularity).toBe(64);
    expect(entry!.track).toMatchObject({
      id: 'musixmatch:track:170615520',
      title: 'Taxman - Remastered 2009',
      artists: [{ id: null, name: 'The Beatles' }],
      album: { id: null, title: 'Revolver (Remastered)' },
      durationSec: 159,
      isrc: 'GBAYE0601493',
      // The sample's only cover is ".../nocover.png" and the rest are empty strings.
      cover: null,
      genres: ['Pop/Rock', 'Rock'],
      links: [{ platform: 'musixmatch', url: 'https://www.musixmatch.com/lyrics/The-Beatles/taxman-remastered-2009' }],
    });
  });

  it('asks for the worldwide chart (XW) when no country is given', async () => {
    const { provider, ctx, server } = await configured();
    server.route('GET', mxmUrl('chart.tracks.get', { chart_name: 'top', country: 'xw', page: 1, page_size: 100 }), {
      body: fixture('chart-tracks-get.json'),
    });
    const chart = await provider.chart!({ country: null, genre: null, limit: 500 }, ctx);
    expect(chart.scope).toBe('GLOBAL');
  });

  it('looks a track up by id, and says in both languages why it offers no download', async () => {
    const { provider, ctx, server } = await configured();
    server.route('GET', mxmUrl('track.get', { track_id: '170615520' }), { body: fixture('matcher-track-get.json') });
    const track = await provider.track!({ kind: 'track', id: '170615520' }, ctx);
    expect(track.title).toBe('Taxman - Remastered 2009');
    const raw = JSON.parse(fixture('matcher-track-get.json')).message.body.track;
    expect(track.isrc).toBe('GBAYE0601493');
    expect(track.isrcs).toEqual([...new Set([raw.track_isrc, ...raw.commontrack_isrcs.flat()])]);
    expect(track.download).toEqual({
      allowed: false,
      reason: 'NOT_LICENSED',
      detail: { en: 'Musixmatch offers lyrics, not audio.', es: 'Musixmatch ofrece letras, no audio.' },
    });
    server.route('GET', mxmUrl('track.get', { track_id: '1' }), { body: fixture('not-found.json') });
    expect((await rejection(provider.track!({ kind: 'track', id: '1' }, ctx))).kind).toBe('NOT_FOUND');
  });

  it('answers ids that cannot be Musixmatch track ids with NOT_FOUND, without asking', async () => {
    const { provider, ctx, server } = await configured();
    for (const ref of [
      { kind: 'track', id: 'Taxman' },
      { kind: 'track', id: '170615520/lyrics' },
      { kind: 'track', id: '' },
      { kind: 'album', id: '170615520' },
    ]) {
      expect((await rejection(provider.track!(ref, ctx))).kind).toBe('NOT_FOUND');
    }
    expect(server.count()).toBe(0);
  });
});

describe('cleanLyricsBody', () => {
  it('removes tracking scripts and pixels wherever they appear', () => {
    const cleaned = cleanLyricsBody(
      'Line one\nLine two\n<script type="text/javascript" src="http://tracking.musixmatch.com/t1.0/AMa6hJCIEzn1v8RuOP"></script><img src="http://tracking.musixmatch.com/t1.0/x">',
      'Lyrics powered by www.musiXmatch.com',
    );
    expect(cleaned).toEqual({ text: 'Line one\nLine two', partial: false });
  });

  it('treats the "only 30%" copyright line as partial even without the marker', () => {
    expect(cleanLyricsBody('Line', 'This Lyrics is NOT for Commercial use and only 30% of the lyrics are returned.').partial).toBe(true);
  });
});
