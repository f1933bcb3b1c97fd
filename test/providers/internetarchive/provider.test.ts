import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createInternetArchiveProvider, INTERNET_ARCHIVE_DOWNLOAD_HOSTS } from '../../../src/providers/internetarchive/index.js';
import { replayProvider, type ReplayHarness } from '../../support/providerHarness.js';
import type { Provider } from '../../../src/providers/types.js';

/** Genuine Internet Archive answers (test/fixtures/internetarchive/README.md) served through the real upstream client. */
const raw = (name: string) => readFileSync(path.join(import.meta.dirname, '../../fixtures/internetarchive', name), 'utf8');
const HIPPO = '78_i-want-a-hippopotamus-for-christmas_vicki-dale-the-peter-pan-orchestra_gbia0000281a';
const DEAD = 'gd70-10-23.aud.wolfson.15080.sbefail.shnf';

let h: ReplayHarness<Provider>;

afterEach(async () => {
  await h?.close();
});

async function start() {
  h = await replayProvider(createInternetArchiveProvider, { extraHosts: ['archive.org'] });
  h.server.route('GET', `https://archive.org/metadata/${HIPPO}`, { body: raw('metadata-78-hippopotamus.json') });
  h.server.route('GET', `https://archive.org/metadata/${DEAD}`, { body: raw('metadata-gd70-10-23.json') });
  return h;
}

describe('Internet Archive provider', () => {
  it('declares itself keyless, with its lookups and download hosts', async () => {
    await start();
    expect(h.provider).toMatchObject({ id: 'internetarchive', configured: true, credentials: [], idKinds: { track: ['track'], album: ['item'] } });
    expect(h.provider.downloadHosts).toEqual(INTERNET_ARCHIVE_DOWNLOAD_HOSTS);
  });

  it('looks up a track by item and file name with one metadata request', async () => {
    await start();
    const fileName = 'I Want A Hippopotamus For Christmas - Vicki Dale.flac';
    const track = await h.provider.track!({ kind: 'track', id: `${HIPPO}/${encodeURIComponent(fileName)}` }, h.ctx);
    expect(track.title).toBe('I Want A Hippopotamus For Christmas');
    expect(track.download).toMatchObject({ allowed: false, reason: 'NOT_LICENSED' });
    expect(h.server.requests.map((r) => r.url)).toEqual([`https://archive.org/metadata/${HIPPO}`]);
    // Cached as an entity: the album lookup that follows costs nothing.
    const album = await h.provider.album!({ kind: 'item', id: HIPPO }, h.ctx);
    expect(album.tracks).toHaveLength(1);
    expect(h.server.requests).toHaveLength(1);
  });

  it('answers NOT_FOUND for a file the item does not hold, an unknown item and a malformed id', async () => {
    await start();
    await expect(h.provider.track!({ kind: 'track', id: `${DEAD}/nope.flac` }, h.ctx)).rejects.toMatchObject({ kind: 'NOT_FOUND' });
    // The metadata API answers an identifier it does not hold with an empty object.
    h.server.route('GET', 'https://archive.org/metadata/no-such-item-here', { body: '{}' });
    await expect(h.provider.album!({ kind: 'item', id: 'no-such-item-here' }, h.ctx)).rejects.toMatchObject({ kind: 'NOT_FOUND' });
    const before = h.server.requests.length;
    await expect(h.provider.album!({ kind: 'item', id: '../etc' }, h.ctx)).rejects.toMatchObject({ kind: 'NOT_FOUND' });
    await expect(h.provider.track!({ kind: 'track', id: 'no-slash' }, h.ctx)).rejects.toMatchObject({ kind: 'NOT_FOUND' });
    expect(h.server.requests.length).toBe(before);
  });

  it('rejects a metadata answer that is not an object as BAD_RESPONSE', async () => {
    await start();
    h.server.route('GET', 'https://archive.org/metadata/broken_item', { body: '["not", "an", "item"]' });
    await expect(h.provider.album!({ kind: 'item', id: 'broken_item' }, h.ctx)).rejects.toMatchObject({ kind: 'BAD_RESPONSE' });
  });

  it('searches audio items with the advanced search API', async () => {
    await start();
    h.server.intercept((request, response) => {
      if (request.path !== '/advancedsearch.php') return false;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(raw('advancedsearch-gratefuldead.json'));
      return true;
    });
    const page = await h.provider.searchAlbums!({ query: 'grateful dead: live', limit: 5, cursor: null }, h.ctx);
    expect(page.items).toHaveLength(5);
    expect(page.nextCursor).toBe('page:2');
    const [request] = h.server.requests;
    expect(request!.query.get('q')).toBe('(grateful dead\\: live) AND mediatype:(audio OR etree)');
    expect(request!.query.get('fl[]')).toBe('identifier,title,creator,date,year,mediatype,collection,licenseurl,downloads');
    expect(request!.query.get('rows')).toBe('5');
    expect(request!.query.get('page')).toBe('1');
    expect(request!.query.get('output')).toBe('json');
  });

  it('searches tracks by reading each matching item, skipping items that are gone', async () => {
    await start();
    h.server.intercept((request, response) => {
      if (request.path === '/advancedsearch.php') {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(raw('advancedsearch-gratefuldead.json'));
        return true;
      }
      if (request.path.startsWith('/metadata/gd7') || request.path.startsWith('/metadata/gd8')) {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end('{}');
        return true;
      }
      return false;
    });
    const page = await h.provider.searchTracks!({ query: 'grateful dead', limit: 5, cursor: null }, h.ctx);
    expect(page.items).toEqual([]);
    expect(h.server.count('advancedsearch.php')).toBe(1);
    expect(h.server.count('/metadata/')).toBe(5);
  });

  it('narrows a concert to the songs whose titles match', async () => {
    const { tracksMatching } = await import('../../../src/providers/internetarchive/index.js');
    const { tracksFromItem } = await import('../../../src/providers/internetarchive/parse.js');
    const tracks = tracksFromItem(JSON.parse(raw('metadata-gd70-10-23.json')));
    expect(tracksMatching(tracks, 'mama tried').map((t) => t.title)).toEqual(['Mama Tried']);
    expect(tracksMatching(tracks, 'grateful dead georgetown')).toHaveLength(2);
  });
});
