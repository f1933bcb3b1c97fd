import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAppleProvider } from '../../src/providers/apple/index.js';
import { createLastfmProvider } from '../../src/providers/lastfm/index.js';
import { createLrclibProvider } from '../../src/providers/lrclib/index.js';
import { createMusixmatchProvider } from '../../src/providers/musixmatch/index.js';
import { createVagalumeProvider } from '../../src/providers/vagalume/index.js';
import { startReplayServer, type ReplayServer } from '../support/replayServer.js';
import { startGateway, type TestGateway } from '../support/gateway.js';

/**
 * Default chains of issue 4 through the whole gateway, on documented sample answers
 * (origins in each `test/fixtures/<source>/README.md`).
 */
const fixture = (source: string, name: string) => readFileSync(new URL(`../fixtures/${source}/${name}`, import.meta.url), 'utf8');
const lastfm = (params: Record<string, string | number>) => {
  const url = new URL('https://ws.audioscrobbler.com/2.0/');
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, String(value));
  return url.toString();
};

describe('chart chain: chart(country: "ES")', () => {
  let replay: ReplayServer;
  let gateway: TestGateway;

  beforeAll(async () => {
    replay = await startReplayServer({ extraHosts: ['rss.applemarketingtools.com', 'ws.audioscrobbler.com'] });
    gateway = await startGateway({
      factories: [createAppleProvider, createLastfmProvider],
      replay,
      env: { LASTFM_API_KEY: 'test-key' },
    });
  });
  afterAll(async () => {
    await gateway.close();
    await replay.close();
  });
  afterEach(() => replay.reset());

  it('falls to Last.fm geo.getTopTracks when Apple fails', async () => {
    replay.route('GET', 'https://rss.applemarketingtools.com/api/v2/es/music/most-played/2/songs.json', { status: 503, body: 'unavailable', contentType: 'text/plain' });
    replay.route('GET', lastfm({ method: 'geo.gettoptracks', country: 'Spain', limit: 2, page: 1 }), { body: fixture('lastfm', 'geo.gettoptracks.constructed.json') });
    const { body } = await gateway.query(`{ chart(country: "es", first: 2) { scope source entries { position popularity track { title artist } } } }`);
    expect(body.errors).toBeUndefined();
    expect(body.data.chart).toEqual({
      scope: 'ES',
      source: 'lastfm',
      entries: [
        { position: 1, popularity: 51531, track: { title: 'Happy', artist: 'Pharrell Williams' } },
        { position: 2, popularity: 39056, track: { title: 'Do I Wanna Know?', artist: 'Arctic Monkeys' } },
      ],
    });
    const report = body.extensions!.sources!.find((r) => r.field === 'chart(ES)')!;
    expect(report.attempts.map((a) => `${a.source}:${a.outcome}`)).toEqual(['apple:unavailable', 'lastfm:ok']);
  });

  it('answers from Apple when it is up', async () => {
    replay.route('GET', 'https://rss.applemarketingtools.com/api/v2/es/music/most-played/3/songs.json', { body: fixture('apple', 'most-played.us.songs.json') });
    const sample = JSON.parse(fixture('apple', 'most-played.us.songs.json'));
    const { body } = await gateway.query(`{ chart(country: "ES", first: 3) { source entries { position track { title artist playbackUrl } } } }`);
    expect(body.data.chart.source).toBe('apple');
    expect(body.data.chart.entries.map((e: any) => e.track.title)).toEqual(sample.feed.results.slice(0, 3).map((r: any) => r.name));
    const report = body.extensions!.sources!.find((r) => r.field === 'chart(ES)')!;
    expect(report.attempts.map((a) => `${a.source}:${a.outcome}`)).toEqual(['apple:ok']);
    expect(replay.count('ws.audioscrobbler.com')).toBe(0);
  });
});

describe('lyrics chain', () => {
  let replay: ReplayServer;
  let gateway: TestGateway;
  const record = JSON.parse(fixture('lrclib', 'get.json'));

  beforeAll(async () => {
    replay = await startReplayServer({ extraHosts: ['lrclib.net', 'api.musixmatch.com'] });
    // No MUSIXMATCH_API_KEY: Musixmatch is unconfigured and must be skipped, never asked.
    gateway = await startGateway({ factories: [createMusixmatchProvider, createLrclibProvider], replay });
  });
  afterAll(async () => {
    await gateway.close();
    await replay.close();
  });
  afterEach(() => replay.reset());

  const LYRICS = `query($artist: String!, $title: String!, $duration: Int) {
    lyrics(artist: $artist, title: $title, duration: $duration) { source trackTitle artistName text synced { timeMs text } match { confidence durationDeltaSec } }
  }`;

  it('comes from LRCLIB when Musixmatch is unconfigured', async () => {
    replay.route('GET', 'https://lrclib.net/api/get?track_name=I+Want+to+Live&artist_name=Borislav+Slavov&duration=233', { body: JSON.stringify(record) });
    const { body } = await gateway.query(LYRICS, { artist: 'Borislav Slavov', title: 'I Want to Live', duration: 233 });
    expect(body.errors).toBeUndefined();
    const lyrics = body.data.lyrics;
    expect(lyrics.source).toBe('lrclib');
    expect(lyrics.text).toBe(record.plainLyrics.trim());
    expect(lyrics.synced[0]).toEqual({ timeMs: 17_120, text: 'I feel your breath upon my neck' });
    expect(lyrics.match).toEqual({ confidence: 1, durationDeltaSec: 0 });
    expect(replay.count('api.musixmatch.com')).toBe(0);
    const report = body.extensions!.sources!.find((r) => r.field === 'lyrics')!;
    expect(report.attempts.map((a) => `${a.source}:${a.outcome}`)).toEqual(['musixmatch:skipped-unconfigured', 'lrclib:ok']);
  });

  it('rejects a candidate 90 s longer than the track asked for', async () => {
    // The source answers with its 233 s record although a 323 s track was asked for.
    replay.route('GET', 'https://lrclib.net/api/get?track_name=I+Want+to+Live&artist_name=Borislav+Slavov&duration=323', { body: JSON.stringify(record) });
    replay.route('GET', 'https://lrclib.net/api/search?track_name=I+Want+to+Live&artist_name=Borislav+Slavov', { body: JSON.stringify([record]) });
    const { body } = await gateway.query(LYRICS, { artist: 'Borislav Slavov', title: 'I Want to Live', duration: 323 });
    expect(body.data).toBeNull();
    expect(body.errors![0]!.extensions!.code).toBe('NOT_FOUND');
    expect(body.errors![0]!.message).toContain('No lyrics found for "I Want to Live"');
  });

  it('rejects a candidate by another artist', async () => {
    replay.route('GET', 'https://lrclib.net/api/get?track_name=I+Want+to+Live&artist_name=Rosal%C3%ADa', { body: JSON.stringify(record) });
    replay.route('GET', 'https://lrclib.net/api/search?track_name=I+Want+to+Live&artist_name=Rosal%C3%ADa', { body: JSON.stringify([record]) });
    const { body } = await gateway.query(LYRICS, { artist: 'Rosalía', title: 'I Want to Live' });
    expect(body.data).toBeNull();
    expect(body.errors![0]!.extensions!.code).toBe('NOT_FOUND');
    const attempts = body.errors![0]!.extensions!.attempts as { source: string; outcome: string; message?: string }[];
    // LRCLIB applies the matching rules to its own candidates (by signature, then every search
    // result), so it offers nothing rather than Borislav Slavov's record.
    expect(attempts.map((a) => `${a.source}:${a.outcome}`)).toEqual(['musixmatch:skipped-unconfigured', 'lrclib:empty']);
    expect(replay.count('lrclib.net/api/get')).toBe(1);
    expect(replay.count('lrclib.net/api/search')).toBe(1);
  });
});

describe('lyrics chain: a source that offers its closest song', () => {
  let replay: ReplayServer;
  let gateway: TestGateway;
  const vagalumeFixture = (name: string) => readFileSync(new URL(`../fixtures/vagalume/${name}`, import.meta.url), 'utf8');
  const vagalume = (artist: string, title: string) => {
    const url = new URL('https://api.vagalume.com.br/search.php');
    url.searchParams.set('art', artist);
    url.searchParams.set('mus', title);
    return url.toString();
  };

  beforeAll(async () => {
    replay = await startReplayServer({ extraHosts: ['api.vagalume.com.br'] });
    gateway = await startGateway({ factories: [createVagalumeProvider], replay, env: { VAGALUME_API_KEY: 'test-key' } });
  });
  afterAll(async () => {
    await gateway.close();
    await replay.close();
  });

  it('rejects the offered song of another artist in the chain, saying why', async () => {
    // Vagalume answers `aprox` with the closest song it has: Metallica's, for Rosalía.
    replay.route('GET', vagalume('Rosalía', 'The Unforgiven'), { body: vagalumeFixture('search-aprox.json') });
    const { body } = await gateway.query(`query($artist: String!, $title: String!) { lyrics(artist: $artist, title: $title) { source text } }`, {
      artist: 'Rosalía',
      title: 'The Unforgiven',
    });
    expect(body.data).toBeNull();
    expect(body.errors![0]!.extensions!.code).toBe('NOT_FOUND');
    const attempts = body.errors![0]!.extensions!.attempts as { source: string; outcome: string; message?: string }[];
    expect(attempts).toEqual([expect.objectContaining({ source: 'vagalume', outcome: 'rejected-mismatch' })]);
    expect(attempts[0]!.message).toMatch(/^artist similarity .* \("Metallica" for "Rosalía"\)$/);
  });
});
