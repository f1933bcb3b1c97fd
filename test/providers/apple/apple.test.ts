import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppleProvider } from '../../../src/providers/apple/index.js';
import { artworkSizes } from '../../../src/providers/apple/parse.js';
import type { Provider } from '../../../src/providers/types.js';
import { callContext, replayProvider, type ReplayHarness, sourceErrorOf as rejection } from '../../support/providerHarness.js';

/**
 * Apple Music RSS through the real upstream client. No recordings exist in the shared set; the
 * body is a genuine 2022 answer of the US most-played songs feed kept in
 * giacomozama/itunes-most-played's test suite (details in test/fixtures/apple/README.md).
 */
const SAMPLE = readFileSync(new URL('../../fixtures/apple/most-played.us.songs.json', import.meta.url), 'utf8');
const FEEDS = 'https://rss.applemarketingtools.com/api/v2';

let harness: ReplayHarness<Provider> | null = null;
afterEach(async () => {
  await harness?.close();
  harness = null;
});

async function start(): Promise<ReplayHarness<Provider>> {
  harness = await replayProvider(createAppleProvider, { extraHosts: ['rss.applemarketingtools.com'] });
  return harness;
}


describe('Apple Music RSS provider', () => {
  it('reads the country chart: positions, songs, release dates, genres without the "Music" umbrella', async () => {
    const { provider, server } = await start();
    server.route('GET', `${FEEDS}/us/music/most-played/5/songs.json`, { body: SAMPLE });
    const results = JSON.parse(SAMPLE).feed.results;

    const chart = await provider.chart!({ country: 'US', genre: null, limit: 5 }, callContext());

    expect(chart.scope).toBe('US');
    expect(chart.source).toBe('apple');
    expect(chart.title).toBe('Apple Music: Top Songs (United States)');
    expect(chart.entries.map((e) => e.position)).toEqual([1, 2, 3, 4, 5]);
    expect(chart.entries.map((e) => e.track.title)).toEqual(results.map((r: { name: string }) => r.name));
    expect(chart.entries.map((e) => e.track.artists[0]!.name)).toEqual(results.map((r: { artistName: string }) => r.artistName));
    const first = chart.entries[0]!.track;
    expect(first).toMatchObject({
      id: 'apple:song:1621119447',
      releaseDate: '2022-04-29',
      genres: ['Hip-Hop/Rap'],
      playbackUrl: 'https://music.apple.com/us/album/wait-for-u-feat-drake-tems/1621119097?i=1621119447',
      durationSec: null,
    });
    expect(first.download).toEqual({ allowed: false, reason: 'NOT_LICENSED' });
    expect(chart.entries[1]!.track.title).toBe('Tití Me Preguntó');
  });

  it('rewrites the 100 px artwork to 250/500/1000 px', async () => {
    const { provider, server } = await start();
    server.route('GET', `${FEEDS}/us/music/most-played/1/songs.json`, { body: SAMPLE });
    const chart = await provider.chart!({ country: 'us', genre: null, limit: 1 }, callContext());
    const base = 'https://is4-ssl.mzstatic.com/image/thumb/Music122/v4/65/f2/06/65f2067b-a8ea-239c-c219-8e0f0282dcea/196589073693.jpg';
    expect(chart.entries).toHaveLength(1);
    expect(chart.entries[0]!.track.cover).toEqual({
      small: `${base}/250x250bb.jpg`,
      medium: `${base}/500x500bb.jpg`,
      large: `${base}/1000x1000bb.jpg`,
      source: 'apple',
    });
    expect(artworkSizes('https://example.org/cover.jpg')).toEqual({ small: 'https://example.org/cover.jpg', medium: null, large: null, source: 'apple' });
  });

  it('asks the lower-case storefront of the wanted country', async () => {
    const { provider, server } = await start();
    server.route('GET', `${FEEDS}/es/music/most-played/5/songs.json`, { body: SAMPLE });
    const chart = await provider.chart!({ country: 'ES', genre: null, limit: 5 }, callContext());
    expect(chart.scope).toBe('ES');
    expect(chart.title).toContain('Spain');
    expect(server.count('/api/v2/es/music/most-played/5/songs.json')).toBe(1);
  });

  it('has no worldwide chart: without a country it gives the US chart and labels it US', async () => {
    const { provider, server } = await start();
    server.route('GET', `${FEEDS}/us/music/most-played/5/songs.json`, { body: SAMPLE });
    const chart = await provider.chart!({ country: null, genre: null, limit: 5 }, callContext());
    expect(chart.scope).toBe('US');
    expect(chart.title).toContain('United States');
  });

  it('fails typed: unknown country (no request), missing storefront (404), body without results', async () => {
    const { provider, server } = await start();
    expect((await rejection(provider.chart!({ country: 'XX', genre: null, limit: 5 }, callContext()))).kind).toBe('NOT_FOUND');
    expect(server.count()).toBe(0);

    server.route('GET', `${FEEDS}/kp/music/most-played/5/songs.json`, { status: 404, body: '' });
    expect((await rejection(provider.chart!({ country: 'KP', genre: null, limit: 5 }, callContext()))).kind).toBe('NOT_FOUND');

    server.route('GET', `${FEEDS}/fr/music/most-played/5/songs.json`, { body: '{"feed":{"title":"Top Songs"}}' });
    expect((await rejection(provider.chart!({ country: 'FR', genre: null, limit: 5 }, callContext()))).kind).toBe('BAD_RESPONSE');

    server.route('GET', `${FEEDS}/de/music/most-played/5/songs.json`, { status: 503, body: 'busy' });
    expect((await rejection(provider.chart!({ country: 'DE', genre: null, limit: 5 }, callContext()))).kind).toBe('UNAVAILABLE');
  });
});
