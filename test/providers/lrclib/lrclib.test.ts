import { afterEach, describe, expect, it } from 'vitest';
import { createLrclibProvider } from '../../../src/providers/lrclib/index.js';
import { parseRecord } from '../../../src/providers/lrclib/parse.js';
import type { LrclibRecord } from '../../../src/providers/lrclib/types.js';
import type { LyricsQuery, Provider } from '../../../src/providers/types.js';
import { replayProvider, type ReplayHarness, sourceErrorOf as rejection } from '../../support/providerHarness.js';
import { missingRecordings, readRecording, readRecordingJson, skipWithoutRecordings } from '../../support/recordings.js';

/**
 * LRCLIB through the real client against its shared recordings (2023 and 2025 answers recorded
 * by lrclib Python clients, see ../shared/recordings/lrclib/index.json): the documentation's
 * example record by signature, its 404, and two genuine searches. Where a test asks something
 * nobody recorded, it routes a recorded body to it and says so.
 */
const recorded = (file: string) => readRecording('lrclib', file);
const GET_2023 = 'get-i-want-to-live-borislav-slavov-2023.json';
const GET_2025 = 'get-i-want-to-live-borislav-slavov-2025.json';
const NOT_FOUND_2023 = 'get-not-found-2023.json';
/** /api/search?track_name=I Want to Live&artist_name=Borislav Slavov: 20 records of the same song, most user-submitted. */
const SEARCH_2025 = 'search-track-artist-i-want-to-live-borislav-slavov-2025.json';
/** /api/search?q=I Want to Live: 20 records of different songs with the words in their title. */
const SEARCH_Q_2023 = 'search-q-i-want-to-live-2023.json';
/** Read while collecting, so only when the recordings are there (the suites skip otherwise). */
const record = missingRecordings('lrclib') ? (undefined as never) : readRecordingJson<LrclibRecord>('lrclib', GET_2025);

function lrclibUrl(path: string, params: Record<string, string | number>): string {
  const url = new URL(`https://lrclib.net/api/${path}`);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, String(value));
  return url.toString();
}


const ALBUM = "Baldur's Gate 3 (Original Game Soundtrack)";
const iWantToLive: LyricsQuery = { artist: 'Borislav Slavov', title: 'I Want to Live', album: ALBUM, durationSec: 233, isrc: null };
const exactGet = lrclibUrl('get', { track_name: 'I Want to Live', artist_name: 'Borislav Slavov', album_name: ALBUM, duration: 233 });
const searchFor = (title: string, artist: string) => lrclibUrl('search', { track_name: title, artist_name: artist });
const notFound = { status: 404, get body() { return recorded(NOT_FOUND_2023); } };

let harness: ReplayHarness<Provider> | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function lrclib() {
  harness = await replayProvider(createLrclibProvider, { sources: ['lrclib'] });
  return harness;
}

describe.skipIf(skipWithoutRecordings('lrclib'))('LRCLIB lyrics', () => {
  it('is keyless and always configured', async () => {
    const { provider } = await lrclib();
    expect(provider.configured).toBe(true);
    expect(provider.credentials).toEqual([]);
  });

  it('gets the record of the exact signature with plain and synced lyrics and its language, naming the client', async () => {
    const { provider, ctx, server } = await lrclib();
    // The recorded 2023 answer to exactly this request (it still carried `lang` and `isrc`).
    const raw = readRecordingJson<LrclibRecord>('lrclib', GET_2023);
    const lyrics = (await provider.lyrics!(iWantToLive, ctx))!;

    expect(server.count()).toBe(1);
    expect(server.requests[0]!.headers['user-agent']).toMatch(/^MusicaAPI\//);
    expect(server.requests[0]!.headers['lrclib-client']).toBe(server.requests[0]!.headers['user-agent']);
    expect(lyrics).toMatchObject({
      source: 'lrclib',
      trackTitle: 'I Want to Live',
      artistName: 'Borislav Slavov',
      durationSec: 233,
      language: 'en',
      partial: false,
      instrumental: false,
      copyright: null,
    });
    expect(lyrics.text).toBe(raw.plainLyrics!.trim());
    const lrcLines = raw.syncedLyrics!.trim().split('\n');
    expect(lyrics.synced).toHaveLength(lrcLines.length);
    expect(lyrics.synced![0]).toEqual({ timeMs: 17_120, text: 'I feel your breath upon my neck' });
    // Pause lines are kept, with empty text.
    expect(lyrics.synced!.filter((line) => line.text === '').length).toBe(lrcLines.filter((line) => /^\[[\d:.]+\]\s*$/.test(line)).length);
  });

  it('reads the 2025 shape of the same record: a fractional duration and no language', async () => {
    const { provider, ctx, server } = await lrclib();
    server.route('GET', exactGet, { body: recorded(GET_2025) });
    const lyrics = (await provider.lyrics!(iWantToLive, ctx))!;
    expect(record.duration).toBe(233);
    expect(recorded(GET_2025)).toContain('"duration":233.0');
    expect(lyrics).toMatchObject({ durationSec: 233, language: null, trackTitle: 'I Want to Live' });
    expect(lyrics.synced!.length).toBeGreaterThan(40);
  });

  it('falls back to the search when the signature is unknown, and picks the record of the asked album', async () => {
    const { provider, ctx, server } = await lrclib();
    server.route('GET', exactGet, notFound);
    const candidates = readRecordingJson<LrclibRecord[]>('lrclib', SEARCH_2025);
    const lyrics = (await provider.lyrics!(iWantToLive, ctx))!;
    // /api/get (404), then the recorded search for exactly this title and artist.
    expect(server.requests.map((request) => request.path)).toEqual(['/api/get', '/api/search']);
    // Fourteen records tie on title, artist and length; the one from the asked album is 3396226.
    const canonical = candidates.find((candidate) => candidate.albumName === ALBUM)!;
    expect(canonical.id).toBe(3396226);
    expect(lyrics.text).toBe(canonical.plainLyrics!.replace(/\r\n?/g, '\n').trim());
    expect(lyrics.synced?.[0]?.timeMs).toBe(17_120);
  });

  it('without an album to go by, takes the first of the equally good records that has synced lines', async () => {
    const { provider, ctx, server } = await lrclib();
    server.route('GET', lrclibUrl('get', { track_name: 'I Want to Live', artist_name: 'Borislav Slavov', duration: 233 }), notFound);
    const lyrics = (await provider.lyrics!({ ...iWantToLive, album: null }, ctx))!;
    const first = readRecordingJson<LrclibRecord[]>('lrclib', SEARCH_2025)[0]!;
    expect(first.albumName).toBe('.');
    expect(lyrics.text).toBe(first.plainLyrics!.replace(/\r\n?/g, '\n').trim());
    expect(lyrics.synced).not.toBeNull();
  });

  it('answers null when every candidate is rejected (the song asked is 60 s longer than all of them)', async () => {
    const { provider, ctx, server } = await lrclib();
    const longer = { ...iWantToLive, album: null, durationSec: 293 };
    server.route('GET', lrclibUrl('get', { track_name: 'I Want to Live', artist_name: 'Borislav Slavov', duration: 293 }), notFound);
    expect(await provider.lyrics!(longer, ctx)).toBeNull();
    expect(server.count('/api/search')).toBe(1);
  });

  it('leaves out album and duration when the asked track does not know them', async () => {
    const { provider, ctx, server } = await lrclib();
    server.route('GET', lrclibUrl('get', { track_name: 'I Want to Live', artist_name: 'Borislav Slavov' }), { body: recorded(GET_2025) });
    const lyrics = await provider.lyrics!({ ...iWantToLive, album: null, durationSec: null }, ctx);
    expect(lyrics?.trackTitle).toBe('I Want to Live');
    expect([...server.requests[0]!.query.keys()].sort()).toEqual(['artist_name', 'track_name']);
  });

  it('does not trust an exact answer for another song: it searches, and the rules pick the asked one', async () => {
    const { provider, ctx, server } = await lrclib();
    const asked: LyricsQuery = { artist: 'Rhett Miller', title: 'I Want to Live', album: null, durationSec: 221, isrc: null };
    // LRCLIB answering Borislav Slavov's record for Rhett Miller's song; the search answers with
    // the recorded `q=I Want to Live` list, where Rhett Miller's record is the 20th.
    server.route('GET', lrclibUrl('get', { track_name: 'I Want to Live', artist_name: 'Rhett Miller', duration: 221 }), { body: recorded(GET_2025) });
    server.route('GET', searchFor('I Want to Live', 'Rhett Miller'), { body: recorded(SEARCH_Q_2023) });
    const lyrics = await provider.lyrics!(asked, ctx);
    expect(lyrics).toMatchObject({ trackTitle: 'I Want to Live', artistName: 'Rhett Miller', durationSec: 221, synced: null });
  });

  it('a non-list search answer or a non-record get answer is BAD_RESPONSE, and neither is cached', async () => {
    const { provider, ctx, server } = await lrclib();
    server.route('GET', exactGet, notFound);
    server.route('GET', searchFor('I Want to Live', 'Borislav Slavov'), { body: recorded(GET_2025) });
    expect((await rejection(provider.lyrics!(iWantToLive, ctx))).kind).toBe('BAD_RESPONSE');
    expect((await rejection(provider.lyrics!(iWantToLive, ctx))).kind).toBe('BAD_RESPONSE');
    expect(server.count('/api/search')).toBe(2);

    const other = { ...iWantToLive, durationSec: 234 };
    server.route('GET', lrclibUrl('get', { track_name: 'I Want to Live', artist_name: 'Borislav Slavov', album_name: ALBUM, duration: 234 }), {
      body: '[]',
    });
    expect((await rejection(provider.lyrics!(other, ctx))).kind).toBe('BAD_RESPONSE');
    // Rejected at /api/get: the search is not reached.
    expect(server.count('/api/search')).toBe(2);
  });

  it('a server error is UNAVAILABLE, for the chain to move on', async () => {
    const { provider, ctx, server } = await lrclib();
    server.route('GET', exactGet, { status: 503, body: 'busy', contentType: 'text/plain' });
    expect((await rejection(provider.lyrics!(iWantToLive, ctx))).kind).toBe('UNAVAILABLE');
  });
});

describe.skipIf(skipWithoutRecordings('lrclib'))('LRCLIB records', () => {
  it('reads every record of a recorded search: instrumentals, records without lyrics, a NUL inside a title', () => {
    const raw = readRecordingJson<LrclibRecord[]>('lrclib', SEARCH_Q_2023);
    const parsed = raw.map((entry) => parseRecord(entry));
    const byId = (id: number) => parsed[raw.findIndex((entry) => entry.id === id)];
    expect(byId(157917)).toMatchObject({ instrumental: true, text: null, synced: null, trackTitle: 'ground—i want to live.', artistName: 'Alanis Morissette' });
    expect(byId(124402)?.trackTitle).toBe('All I Want To Do Is Rock (Live At Glastonbury Festival 1999)');
    // Neither plain nor synced lyrics, and not instrumental: nothing to show.
    expect(byId(124404)).toBeNull();
    expect(byId(354199)).toMatchObject({ trackTitle: 'I Want to Live', synced: null, durationSec: 221 });
    expect(parsed.filter((lyrics) => lyrics !== null)).toHaveLength(raw.filter((entry) => entry.instrumental || entry.plainLyrics || entry.syncedLyrics).length);
  });

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
