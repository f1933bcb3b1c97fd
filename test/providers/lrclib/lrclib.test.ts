import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createLrclibProvider } from '../../../src/providers/lrclib/index.js';
import { parseRecord } from '../../../src/providers/lrclib/parse.js';
import type { LrclibRecord } from '../../../src/providers/lrclib/types.js';
import type { LyricsQuery, Provider } from '../../../src/providers/types.js';
import { replayProvider, type ReplayHarness, sourceErrorOf as rejection } from '../../support/providerHarness.js';

/**
 * LRCLIB has no recordings here: the fixtures are a real `/api/get` answer for the record used
 * as the example of https://lrclib.net/docs (recorded in the lrclibapi project), LRCLIB's real
 * 404 body, and a search list assembled from published records — origins in
 * test/fixtures/lrclib/README.md. They are served through the replay server so the real client runs.
 */
const fixture = (name: string) => readFileSync(new URL(`../../fixtures/lrclib/${name}`, import.meta.url), 'utf8');
const record = JSON.parse(fixture('get.json')) as LrclibRecord;

function lrclibUrl(path: string, params: Record<string, string | number>): string {
  const url = new URL(`https://lrclib.net/api/${path}`);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, String(value));
  return url.toString();
}


const ALBUM = "Baldur's Gate 3 (Original Game Soundtrack)";
const iWantToLive: LyricsQuery = { artist: 'Borislav Slavov', title: 'I Want to Live', album: ALBUM, durationSec: 233, isrc: null };
const exactGet = lrclibUrl('get', { track_name: 'I Want to Live', artist_name: 'Borislav Slavov', album_name: ALBUM, duration: 233 });
const searchFor = (title: string, artist: string) => lrclibUrl('search', { track_name: title, artist_name: artist });
const notFound = { status: 404, body: fixture('not-found.json') };

let harness: ReplayHarness<Provider> | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function lrclib() {
  harness = await replayProvider(createLrclibProvider, { extraHosts: ['lrclib.net'] });
  return harness;
}

describe('LRCLIB lyrics', () => {
  it('is keyless and always configured', async () => {
    const { provider } = await lrclib();
    expect(provider.configured).toBe(true);
    expect(provider.credentials).toEqual([]);
  });

  it('gets the record of the exact signature with plain and synced lyrics, naming the client', async () => {
    const { provider, ctx, server } = await lrclib();
    server.route('GET', exactGet, { body: fixture('get.json') });
    const lyrics = (await provider.lyrics!(iWantToLive, ctx))!;

    expect(server.count()).toBe(1);
    expect(server.requests[0]!.headers['user-agent']).toMatch(/^MusicaAPI\//);
    expect(server.requests[0]!.headers['lrclib-client']).toBe(server.requests[0]!.headers['user-agent']);
    expect(lyrics).toMatchObject({
      source: 'lrclib',
      trackTitle: 'I Want to Live',
      artistName: 'Borislav Slavov',
      // Sent as 233.0.
      durationSec: 233,
      partial: false,
      instrumental: false,
      copyright: null,
    });
    expect(lyrics.text).toBe(record.plainLyrics!.trim());
    expect(lyrics.synced).toHaveLength(9);
    expect(lyrics.synced![0]).toEqual({ timeMs: 17_120, text: 'I feel your breath upon my neck' });
    // The empty pause line and the empty closing line are kept, with empty text.
    expect(lyrics.synced![6]).toEqual({ timeMs: 49_720, text: '' });
    expect(lyrics.synced!.at(-1)).toEqual({ timeMs: 205_720, text: '' });
  });

  it('falls back to the search when the signature is unknown and picks the candidate the rules accept', async () => {
    const { provider, ctx, server } = await lrclib();
    server.route('GET', exactGet, notFound);
    server.route('GET', searchFor('I Want to Live', 'Borislav Slavov'), { body: fixture('search.json') });
    const lyrics = await provider.lyrics!(iWantToLive, ctx);
    expect(server.count()).toBe(2);
    // "The Chain" comes first in the list; it is not the asked song.
    expect(lyrics?.trackTitle).toBe('I Want to Live');
    expect(lyrics?.synced?.[0]?.timeMs).toBe(17_120);
  });

  it('answers null when every candidate is rejected (a version 90 s longer than the asked track)', async () => {
    const { provider, ctx, server } = await lrclib();
    const theChain: LyricsQuery = { artist: 'Fleetwood Mac', title: 'The Chain', album: null, durationSec: 181, isrc: null };
    server.route('GET', lrclibUrl('get', { track_name: 'The Chain', artist_name: 'Fleetwood Mac', duration: 181 }), notFound);
    server.route('GET', searchFor('The Chain', 'Fleetwood Mac'), { body: fixture('search.json') });
    expect(await provider.lyrics!(theChain, ctx)).toBeNull();
  });

  it('leaves out album and duration when the asked track does not know them', async () => {
    const { provider, ctx, server } = await lrclib();
    server.route('GET', lrclibUrl('get', { track_name: 'I Want to Live', artist_name: 'Borislav Slavov' }), { body: fixture('get.json') });
    const lyrics = await provider.lyrics!({ ...iWantToLive, album: null, durationSec: null }, ctx);
    expect(lyrics?.trackTitle).toBe('I Want to Live');
  });

  it('does not trust an exact answer for another song: it searches instead', async () => {
    const { provider, ctx, server } = await lrclib();
    const asked: LyricsQuery = { artist: 'Fleetwood Mac', title: 'The Chain', album: null, durationSec: 271, isrc: null };
    server.route('GET', lrclibUrl('get', { track_name: 'The Chain', artist_name: 'Fleetwood Mac', duration: 271 }), { body: fixture('get.json') });
    server.route('GET', searchFor('The Chain', 'Fleetwood Mac'), { body: fixture('search.json') });
    const lyrics = await provider.lyrics!(asked, ctx);
    expect(lyrics?.trackTitle).toBe('The Chain');
    expect(lyrics?.synced).toEqual([
      { timeMs: 27_930, text: 'Listen to the wind blow' },
      { timeMs: 30_880, text: 'Watch the sun rise...' },
    ]);
  });

  it('a non-list search answer or a non-record get answer is BAD_RESPONSE', async () => {
    const { provider, ctx, server } = await lrclib();
    server.route('GET', exactGet, notFound);
    server.route('GET', searchFor('I Want to Live', 'Borislav Slavov'), { body: fixture('get.json') });
    expect((await rejection(provider.lyrics!(iWantToLive, ctx))).kind).toBe('BAD_RESPONSE');
    expect(server.count('/api/search')).toBe(1);

    const other = { ...iWantToLive, durationSec: 234 };
    server.route('GET', lrclibUrl('get', { track_name: 'I Want to Live', artist_name: 'Borislav Slavov', album_name: ALBUM, duration: 234 }), {
      body: '[]',
    });
    expect((await rejection(provider.lyrics!(other, ctx))).kind).toBe('BAD_RESPONSE');
    // Rejected at /api/get: the search is not reached.
    expect(server.count('/api/search')).toBe(1);
  });

  it('a server error is UNAVAILABLE, for the chain to move on', async () => {
    const { provider, ctx, server } = await lrclib();
    server.route('GET', exactGet, { status: 503, body: 'busy', contentType: 'text/plain' });
    expect((await rejection(provider.lyrics!(iWantToLive, ctx))).kind).toBe('UNAVAILABLE');
  });
});

describe('LRCLIB records', () => {
  it('an instrumental record is lyrics without text', () => {
    // LRCLIB's documented shape for instrumentals: `instrumental: true`, no lyrics.
    const lyrics = parseRecord({ ...record, instrumental: true, plainLyrics: null, syncedLyrics: null });
    expect(lyrics).toMatchObject({ instrumental: true, text: null, synced: null, trackTitle: 'I Want to Live' });
  });

  it('takes the text from the synced lines when there is no plain text', () => {
    const lyrics = parseRecord({ ...record, plainLyrics: '' })!;
    expect(lyrics.text!.split('\n')[0]).toBe('I feel your breath upon my neck');
    expect(lyrics.text).not.toMatch(/\n\n/);
  });

  it('a record without any lyrics is no lyrics', () => {
    expect(parseRecord({ ...record, plainLyrics: null, syncedLyrics: '' })).toBeNull();
  });
});
