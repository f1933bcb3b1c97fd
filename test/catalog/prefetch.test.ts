import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatGlobalId } from '../../src/domain/ids.js';
import type { Album, Artist } from '../../src/domain/types.js';
import type { ProviderFactory } from '../../src/providers/types.js';
import { startGateway, type TestGateway } from '../support/gateway.js';

/**
 * A source whose artist lookup and discography each take 50 ms, recording when each call
 * starts and ends: two calls in one round trip overlap, two round trips do not.
 */
function slowArtistSource(log: { call: string; at: 'start' | 'end' }[]): ProviderFactory {
  const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  return () => ({
    id: 'slow',
    name: 'Test slow',
    description: 'test source slow',
    hosts: ['slow.test'],
    credentials: [],
    configured: true,
    idKinds: { artist: ['artist'] },
    async artist(ref): Promise<Artist> {
      log.push({ call: 'artist', at: 'start' });
      await wait(50);
      log.push({ call: 'artist', at: 'end' });
      return {
        id: formatGlobalId('slow', 'artist', ref.id),
        source: 'slow',
        name: `Artist ${ref.id}`,
        disambiguation: null,
        type: null,
        country: null,
        photo: null,
        biography: null,
        links: [],
        genres: [],
        similar: [],
        url: null,
      };
    },
    async artistAlbums(ref, input) {
      log.push({ call: `albums first=${input.limit}`, at: 'start' });
      await wait(50);
      log.push({ call: `albums first=${input.limit}`, at: 'end' });
      const album = { id: formatGlobalId('slow', 'album', `${ref.id}-1`), source: 'slow', title: 'Primero' } as Album;
      return { items: [album], total: 1, nextCursor: null };
    },
  });
}

describe('an artist and its discography asked together', () => {
  const log: { call: string; at: 'start' | 'end' }[] = [];
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startGateway({ factories: [slowArtistSource(log)] });
  });
  afterAll(async () => {
    await gateway.close();
  });

  it('starts the discography with the lookup (one round trip), asks it once, and answers both', async () => {
    log.length = 0;
    const { body } = await gateway.query('query A($n: Int) { artist(id: "slow:artist:a1") { name discography(first: $n) { nodes { title } } } }', { n: 7 });
    expect(body.errors).toBeUndefined();
    expect(body.data.artist).toEqual({ name: 'Artist a1', discography: { nodes: [{ title: 'Primero' }] } });
    const starts = log.filter((entry) => entry.at === 'start').map((entry) => entry.call);
    expect(starts.sort()).toEqual(['albums first=7', 'artist']);
    // Both started before either ended.
    expect(log.slice(0, 2).every((entry) => entry.at === 'start')).toBe(true);
  });

  it('asks nothing more when the discography is not selected', async () => {
    log.length = 0;
    const { body } = await gateway.query('{ artist(id: "slow:artist:a2") { name } }');
    expect(body.errors).toBeUndefined();
    expect(log.map((entry) => entry.call)).toEqual(['artist', 'artist']);
  });
});
