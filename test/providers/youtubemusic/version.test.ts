import type { ServerResponse } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createYouTubeMusicProvider } from '../../../src/providers/youtubemusic/index.js';
import { replayProvider, type ReplayHarness } from '../../support/providerHarness.js';
import { skipWithoutRecordings } from '../../support/recordings.js';
import type { ReceivedRequest } from '../../support/replayServer.js';
import { bodyOf, firstPageShelf, isInnerTube, recording } from './recorded.js';

/**
 * InnerTube retires client versions every few weeks and then answers 400. The provider must
 * read the current version from the home page once and retry once — never loop.
 *
 * The rejection body is the one Google's InnerTube sends ("Precondition check failed.",
 * FAILED_PRECONDITION), as quoted in kkdai/youtube pull request #322. The home page below is a
 * stand-in holding only the `ytcfg.set({...})` call the real page carries; it is test input
 * for the refresh, not data the gateway serves.
 */

const OLD = '1.20250122.01.00';
const CURRENT = '1.20260121.03.00';
const REJECTION = JSON.stringify({
  error: {
    code: 400,
    message: 'Precondition check failed.',
    errors: [{ message: 'Precondition check failed.', domain: 'global', reason: 'failedPrecondition' }],
    status: 'FAILED_PRECONDITION',
  },
});
const homePage = (version: string) =>
  `<!DOCTYPE html><html><head><script>ytcfg.set({"INNERTUBE_API_VERSION":"v1","INNERTUBE_CLIENT_NAME":"WEB_REMIX","INNERTUBE_CLIENT_VERSION":"${version}"});</script></head><body></body></html>`;

const versionOf = (request: ReceivedRequest) => bodyOf(request).context.client.clientVersion as string;
const searches = (h: ReplayHarness) => h.server.requests.filter((r) => isInnerTube(r, 'search'));
const homeVisits = (h: ReplayHarness) => h.server.requests.filter((r) => r.method === 'GET' && r.host === 'music.youtube.com' && r.path === '/');

function reject(response: ServerResponse): true {
  response.writeHead(400, { 'content-type': 'application/json; charset=UTF-8' });
  response.end(REJECTION);
  return true;
}

describe.skipIf(skipWithoutRecordings('youtubemusic'))('YouTube Music client version refresh', () => {
  let h: ReplayHarness;
  beforeEach(async () => {
    h = await replayProvider(createYouTubeMusicProvider, { sources: ['youtubemusic'], env: { YTMUSIC_CLIENT_VERSION: OLD } });
  });
  afterEach(() => h.close());

  const search = (query: string) => ({ query, cursor: null, limit: 20 });

  it('a rejected version triggers exactly one home page read and one retry, then sticks', async () => {
    h.server.intercept((request, response) => (isInnerTube(request, 'search') && versionOf(request) === OLD ? reject(response) : false));
    h.server.route('GET', 'https://music.youtube.com/', { body: homePage(CURRENT), contentType: 'text/html; charset=utf-8' });

    const page = await h.provider.searchTracks!(search('mocromaniac'), h.ctx);

    expect(page.items).toHaveLength(firstPageShelf(recording('search-songs-filter-mocromaniac.json')).contents.length);
    expect(searches(h).map(versionOf)).toEqual([OLD, CURRENT]);
    expect(searches(h)[1]!.headers['x-youtube-client-version']).toBe(CURRENT);
    expect(homeVisits(h)).toHaveLength(1);

    // Later requests start with the refreshed version: no rejection, no further refresh.
    await h.provider.searchAlbums!(search('axwell'), h.ctx);
    expect(searches(h).map(versionOf)).toEqual([OLD, CURRENT, CURRENT]);
    expect(homeVisits(h)).toHaveLength(1);
  });

  it('a version rejected again after the refresh is returned as a typed error, not retried in a loop', async () => {
    h.server.intercept((request, response) => (isInnerTube(request, 'search') ? reject(response) : false));
    h.server.route('GET', 'https://music.youtube.com/', { body: homePage(CURRENT), contentType: 'text/html; charset=utf-8' });

    await expect(h.provider.searchTracks!(search('mocromaniac'), h.ctx)).rejects.toMatchObject({ kind: 'BAD_RESPONSE', details: { status: 400 } });
    expect(searches(h).map(versionOf)).toEqual([OLD, CURRENT]);
    expect(homeVisits(h)).toHaveLength(1);

    // The next call tries once with the current version; the home page comes from the token cache.
    await expect(h.provider.searchTracks!(search('mocromaniac'), h.ctx)).rejects.toMatchObject({ kind: 'BAD_RESPONSE' });
    expect(searches(h)).toHaveLength(3);
    expect(homeVisits(h)).toHaveLength(1);
  });

  it('concurrent rejections share one refresh', async () => {
    h.server.intercept((request, response) => (isInnerTube(request, 'search') && versionOf(request) === OLD ? reject(response) : false));
    h.server.route('GET', 'https://music.youtube.com/', { body: homePage(CURRENT), contentType: 'text/html; charset=utf-8' });

    await Promise.all([
      h.provider.searchTracks!(search('mocromaniac'), h.ctx),
      h.provider.searchAlbums!(search('axwell'), h.ctx),
      h.provider.searchArtists!(search('kevin'), h.ctx),
    ]);
    expect(homeVisits(h)).toHaveLength(1);
    expect(searches(h).filter((r) => versionOf(r) === CURRENT)).toHaveLength(3);
  });

  it('when the home page names no version, the retry uses a version dated today', async () => {
    h.server.intercept((request, response) => (isInnerTube(request, 'search') && versionOf(request) === OLD ? reject(response) : false));
    h.server.route('GET', 'https://music.youtube.com/', { body: '<html><body>consent</body></html>', contentType: 'text/html' });

    await h.provider.searchTracks!(search('mocromaniac'), h.ctx);
    const today = new Date().toISOString().slice(0, 10).replace(/-/g, '');
    expect(versionOf(searches(h)[1]!)).toBe(`1.${today}.01.00`);
    expect(homeVisits(h)).toHaveLength(1);
  });

  it('other failures do not touch the version', async () => {
    h.server.intercept((request, response) => {
      if (!isInnerTube(request, 'search')) return false;
      response.writeHead(503, { 'content-type': 'text/plain' });
      response.end('unavailable');
      return true;
    });
    await expect(h.provider.searchTracks!(search('mocromaniac'), h.ctx)).rejects.toMatchObject({ kind: 'UNAVAILABLE' });
    expect(homeVisits(h)).toHaveLength(0);
    expect(searches(h)).toHaveLength(1);
  });
});
