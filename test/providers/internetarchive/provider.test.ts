import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hostMatches } from '../../../src/http/hosts.js';
import { createInternetArchiveProvider } from '../../../src/providers/internetarchive/index.js';
import fc from 'fast-check';
import { albumFromItem, albumsFromSearch, trackNativeId, tracksFromItem } from '../../../src/providers/internetarchive/parse.js';
import type { IaMetadataResponse, IaSearchResponse } from '../../../src/providers/internetarchive/types.js';
import { parseInternetArchiveUrl } from '../../../src/providers/internetarchive/urls.js';
import { replayProvider, type ReplayHarness } from '../../support/providerHarness.js';
import { readRecording, skipWithoutRecordings } from '../../support/recordings.js';
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
    // `/download/…` on archive.org redirects to the data servers each item names (`workable_servers`).
    const servers = ['metadata-78-hippopotamus.json', 'metadata-gd70-10-23.json'].flatMap((file) => (JSON.parse(raw(file)) as { workable_servers: string[] }).workable_servers);
    expect(servers).toEqual(['ia801200.us.archive.org', 'ia601200.us.archive.org', 'ia802304.us.archive.org', 'ia902304.us.archive.org']);
    for (const host of ['archive.org', ...servers]) expect(hostMatches(host, h.provider.downloadHosts!), host).toBe(true);
    for (const host of ['archive.org.example.net', 'example.org']) expect(hostMatches(host, h.provider.downloadHosts!), host).toBe(false);
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

describe.skipIf(skipWithoutRecordings('internetarchive'))('Internet Archive on the recorded licensed item (test2, CC BY 2.0, 2020)', () => {
  async function recorded() {
    h = await replayProvider(createInternetArchiveProvider, { sources: ['internetarchive'] });
    return h;
  }

  it('offers the original MP3 for download under the item licence, and reads what its files say', async () => {
    await recorded();
    const album = await h.provider.album!({ kind: 'item', id: 'test2' }, h.ctx);
    expect(h.server.unmatched).toEqual([]);
    expect(album).toMatchObject({
      id: 'internetarchive:item:test2',
      title: 'Norbtek test 002',
      artists: [{ id: null, name: 'Norbert Davis' }],
      // The item's date is "0000-00-00 00:00:00": no date.
      releaseDate: null,
      license: { name: 'CC BY 2.0', url: 'http://creativecommons.org/licenses/by/2.0/' },
      label: 'Norbert Davis',
      cover: null,
    });
    // One recording: the M3U playlists and ZIP archives of it are not tracks.
    expect(album.tracks).toHaveLength(1);
    const [track] = album.tracks!;
    expect(track).toMatchObject({
      id: 'internetarchive:track:test2/AudacityTest003.mp3',
      title: 'Audacity Test #3',
      artists: [{ id: null, name: 'Norbert Davis' }],
      album: { id: 'internetarchive:item:test2', title: 'norbtek.info Podcast Test' },
      durationSec: 149,
      trackNumber: null,
      genres: ['Blues'],
      previewUrl: 'https://archive.org/download/test2/AudacityTest003.mp3',
      download: { allowed: true, license: { name: 'CC BY 2.0' }, originUrl: 'https://archive.org/download/test2/AudacityTest003.mp3' },
    });
  });

  it('looks a track up by a derivative file name as the original it was made from', async () => {
    await recorded();
    for (const name of ['AudacityTest003_64kb.mp3', 'AudacityTest003.ogg', 'AudacityTest003.mp3']) {
      const track = await h.provider.track!({ kind: 'track', id: trackNativeId('test2', name) }, h.ctx);
      expect(track.id).toBe('internetarchive:track:test2/AudacityTest003.mp3');
    }
    await expect(h.provider.track!({ kind: 'track', id: trackNativeId('test2', 'test2_64kb_mp3.zip') }, h.ctx)).rejects.toMatchObject({ kind: 'NOT_FOUND' });
    // One metadata request, cached for the rest.
    expect(h.server.count('/metadata/test2')).toBe(1);
  });

  it('resolves the archive.org links of the item and its files', async () => {
    await recorded();
    const parse = (link: string) => h.provider.parseUrl!(new URL(link));
    expect(parse('https://archive.org/details/test2')).toEqual({ entity: 'album', ref: { kind: 'item', id: 'test2' } });
    expect(parse('https://archive.org/details/test2/')).toEqual({ entity: 'album', ref: { kind: 'item', id: 'test2' } });
    const download = parse('https://archive.org/download/test2/AudacityTest003_64kb.mp3')!;
    expect(download).toEqual({ entity: 'track', ref: { kind: 'track', id: 'test2/AudacityTest003_64kb.mp3' } });
    expect((await h.provider.track!(download.ref, h.ctx)).id).toBe('internetarchive:track:test2/AudacityTest003.mp3');
  });

  it('answers the recorded search of a collection without audio with no albums', async () => {
    await recorded();
    h.server.intercept((request, response) => {
      if (request.path !== '/advancedsearch.php') return false;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(readRecording('internetarchive', 'advancedsearch-collection-nasa-rows-50-2015.json'));
      return true;
    });
    const page = await h.provider.searchAlbums!({ query: 'nasa', limit: 50, cursor: null }, h.ctx);
    // Its 50 docs are movies and images.
    expect(page.items).toEqual([]);
    expect(page.total).toBe(50);
  });
});

describe('Internet Archive parseUrl', () => {
  it("reads back every track's own page (file names with spaces included)", async () => {
    await start();
    const { tracksFromItem } = await import('../../../src/providers/internetarchive/parse.js');
    const tracks = [...tracksFromItem(JSON.parse(raw('metadata-78-hippopotamus.json'))), ...tracksFromItem(JSON.parse(raw('metadata-gd70-10-23.json')))];
    expect(tracks.length).toBeGreaterThan(2);
    for (const track of tracks) {
      const parsed = parseInternetArchiveUrl(new URL(track.playbackUrl!))!;
      expect(`internetarchive:${parsed.ref.kind}:${parsed.ref.id}`).toBe(track.id);
    }
    expect(parseInternetArchiveUrl(new URL(`https://archive.org/details/${HIPPO}`))).toEqual({ entity: 'album', ref: { kind: 'item', id: HIPPO } });
  });

  it('gives null for files that are not audio, searches, other sections and hosts', () => {
    for (const link of [
      'https://archive.org/details/test2/test2_meta.xml',
      'https://archive.org/download/test2/test2_64kb_mp3.zip',
      'https://archive.org/download/test2',
      'https://archive.org/details/',
      'https://archive.org/search?query=nasa',
      'https://archive.org/metadata/test2',
      'https://archive.org/details/..%2Fetc/x.mp3',
      'https://ia800300.us.archive.org/10/items/test2/AudacityTest003.mp3',
      'https://archive.org.example/details/test2',
    ]) {
      expect(parseInternetArchiveUrl(new URL(link))).toBeNull();
    }
  });
});

describe('Internet Archive facing hostile answers and foreign input', () => {
  it.each([
    ['an HTML page with status 200', '<!DOCTYPE html><html><body>Item not available</body></html>', 'text/html'],
    ['truncated JSON', '{"metadata":{"identifier":"broken_item","mediatype":"au', 'application/json'],
    ['metadata that is a string', '{"metadata":"audio","files":[]}', 'application/json'],
    ['files that are an object', '{"metadata":{"identifier":"broken_item","mediatype":"audio"},"files":{"name":"a.mp3"}}', 'application/json'],
  ])('%s is BAD_RESPONSE', async (_what, body, contentType) => {
    await start();
    h.server.route('GET', 'https://archive.org/metadata/broken_item', { body, contentType });
    await expect(h.provider.album!({ kind: 'item', id: 'broken_item' }, h.ctx)).rejects.toMatchObject({ kind: 'BAD_RESPONSE' });
  });

  it('file entries and fields of the wrong type are skipped or read as missing', async () => {
    await start();
    const body = {
      metadata: { identifier: 'odd_item', mediatype: 'audio', title: ['Odd'], creator: { name: 'x' }, licenseurl: 42, date: 1999 },
      files: [null, 5, 'a.mp3', { name: 7, format: 'VBR MP3', source: 'original' }, { name: 'song.mp3', format: 12, source: 'original' }, { name: 'real.mp3', format: 'VBR MP3', source: 'original', length: 61.2, title: ['x'] }],
    };
    h.server.route('GET', 'https://archive.org/metadata/odd_item', { body: JSON.stringify(body) });
    const album = await h.provider.album!({ kind: 'item', id: 'odd_item' }, h.ctx);
    expect(album.tracks!.map((t) => [t.title, t.durationSec])).toEqual([
      ['7', null],
      ['real', 61],
    ]);
    expect(album).toMatchObject({ title: 'Odd', artists: [], license: null, releaseDate: '1999' });
  });

  it('parsers return a value for any JSON, never throw', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), (value) => {
        tracksFromItem(value as IaMetadataResponse);
        albumFromItem(value as IaMetadataResponse);
        tracksFromItem({ metadata: { identifier: 'x', mediatype: 'audio' }, files: [value] } as IaMetadataResponse);
        tracksFromItem({ metadata: { identifier: 'x', mediatype: 'audio', date: value, creator: value, licenseurl: value } as IaMetadataResponse['metadata'], files: [] });
        albumsFromSearch({ response: { docs: [value] } } as IaSearchResponse, 1, 10);
      }),
      { numRuns: 400 },
    );
  });

  it('a cursor it never handed out is BAD_INPUT without a request', async () => {
    await start();
    await expect(h.provider.searchAlbums!({ query: 'x', limit: 5, cursor: '5' }, h.ctx)).rejects.toMatchObject({ kind: 'BAD_INPUT' });
    await expect(h.provider.searchTracks!({ query: 'x', limit: 5, cursor: 'page:abc' }, h.ctx)).rejects.toMatchObject({ kind: 'BAD_INPUT' });
    expect(h.server.requests).toHaveLength(0);
  });
});
