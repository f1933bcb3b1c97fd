import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCoverArtArchiveProvider } from '../../../src/providers/coverartarchive/index.js';
import { frontImageSet, listingHasFront } from '../../../src/providers/coverartarchive/parse.js';
import type { CoverArtQuery } from '../../../src/providers/types.js';
import type { SourceError } from '../../../src/errors/source.js';
import { callContext, replayProvider, type ReplayHarness } from '../../support/providerHarness.js';
import { loadIndex, skipWithoutRecordings } from '../../support/recordings.js';
import { fixtureText } from '../musicbrainz/fixtures.js';

const CAA = 'https://coverartarchive.org';

/** Release (group) entries recorded as `GET /<owner>/<mbid>`, with what the archive answered. */
function recordedProbes(owner: 'release' | 'release-group') {
  const pattern = new RegExp(`^${CAA}/${owner}/([0-9a-f-]{36})$`);
  return loadIndex('coverartarchive')
    .filter((entry) => entry.request.method === 'GET')
    .map((entry) => ({ mbid: pattern.exec(entry.request.url)?.[1], status: entry.response.status }))
    .filter((probe): probe is { mbid: string; status: number } => probe.mbid !== undefined);
}

describe('Cover Art Archive image URLs', () => {
  it('uses the documented front thumbnail sizes', () => {
    expect(frontImageSet('release', '76df3287-6cda-33eb-8e9a-044b5e15ffdd')).toEqual({
      small: `${CAA}/release/76df3287-6cda-33eb-8e9a-044b5e15ffdd/front-250`,
      medium: `${CAA}/release/76df3287-6cda-33eb-8e9a-044b5e15ffdd/front-500`,
      large: `${CAA}/release/76df3287-6cda-33eb-8e9a-044b5e15ffdd/front-1200`,
      source: 'coverartarchive',
    });
  });

  it('finds the front image in a documented JSON listing (test/fixtures/coverartarchive)', () => {
    const listing = fixtureText('coverartarchive', 'release-76df3287-listing.json');
    expect(listingHasFront(listing)).toBe(true);
    expect(listingHasFront('{"images":[{"front":false,"types":["Back"]}]}')).toBe(false);
    expect(() => listingHasFront('<html></html>')).toThrow(/not JSON/);
    expect(() => listingHasFront('{"release":"x"}')).toThrow(/no images/);
  });
});

describe.skipIf(skipWithoutRecordings('coverartarchive'))('Cover Art Archive provider replaying recorded answers', () => {
  let harness: ReplayHarness;
  const coverArt = (query: Partial<CoverArtQuery>) =>
    harness.provider.coverArt!(
      { musicbrainzReleaseId: null, musicbrainzReleaseGroupId: null, ...query },
      callContext(),
    );
  const requests = () => harness.server.requests;

  // A fresh client (and so an empty cache) per test: request counts must not depend on test order.
  beforeEach(async () => {
    harness = await replayProvider(createCoverArtArchiveProvider, { sources: ['coverartarchive'] });
  });
  afterEach(() => harness.close());

  it('is keyless and offers cover art only', () => {
    expect(harness.provider.configured).toBe(true);
    expect(harness.provider.credentials).toEqual([]);
    expect(typeof harness.provider.coverArt).toBe('function');
    expect(harness.provider.searchTracks).toBeUndefined();
  });

  it('answers every recorded release: front thumbnails after a redirect, nothing after a 404', async () => {
    const probes = recordedProbes('release');
    expect(probes.filter((probe) => probe.status === 307).length).toBeGreaterThan(5);
    expect(probes.filter((probe) => probe.status === 404).length).toBeGreaterThan(3);
    for (const probe of probes) {
      harness.server.reset();
      const cover = await coverArt({ musicbrainzReleaseId: probe.mbid });
      expect(cover).toEqual(probe.status === 307 ? frontImageSet('release', probe.mbid) : null);
      expect(requests()).toHaveLength(1);
      expect(requests()[0]!.path).toBe(`/release/${probe.mbid}`);
      // Only the redirect's status is needed: it is never followed to archive.org.
      expect(harness.server.count('archive.org/download')).toBe(0);
    }
  });

  it('falls back to the release group when the release has no art', async () => {
    const missing = recordedProbes('release').find((probe) => probe.status === 404)!.mbid;
    const [group] = recordedProbes('release-group');
    expect(group!.status).toBe(307);
    const cover = await coverArt({ musicbrainzReleaseId: missing, musicbrainzReleaseGroupId: group!.mbid });
    expect(cover).toEqual(frontImageSet('release-group', group!.mbid));
    expect(requests().map((request) => request.path)).toEqual([`/release/${missing}`, `/release-group/${group!.mbid}`]);
  });

  it('does not ask for the group when the release already has a cover', async () => {
    const present = recordedProbes('release').find((probe) => probe.status === 307)!.mbid;
    const [group] = recordedProbes('release-group');
    expect(await coverArt({ musicbrainzReleaseId: present, musicbrainzReleaseGroupId: group!.mbid })).toEqual(
      frontImageSet('release', present),
    );
    expect(requests()).toHaveLength(1);
  });

  it('asks nothing without a usable MBID', async () => {
    expect(await coverArt({})).toBeNull();
    // The archive itself answers 400 to this one (recorded); it is never sent.
    expect(await coverArt({ musicbrainzReleaseId: 'xyz', musicbrainzReleaseGroupId: 'not-a-uuid' })).toBeNull();
    expect(requests()).toHaveLength(0);
  });

  it('remembers answers: the same release twice is one request', async () => {
    const present = recordedProbes('release').find((probe) => probe.status === 307)!.mbid;
    const missing = recordedProbes('release').filter((probe) => probe.status === 404)[1]!.mbid;
    await coverArt({ musicbrainzReleaseId: present });
    await coverArt({ musicbrainzReleaseId: missing });
    const before = requests().length;
    expect(await coverArt({ musicbrainzReleaseId: present })).toEqual(frontImageSet('release', present));
    expect(await coverArt({ musicbrainzReleaseId: missing })).toBeNull();
    expect(requests().length).toBe(before);
  });

  it('reads a JSON listing answered directly (a caching proxy) and finds its front', async () => {
    const mbid = '76df3287-6cda-33eb-8e9a-044b5e15ffdd';
    harness.server.route('GET', `${CAA}/release/${mbid}`, { body: fixtureText('coverartarchive', 'release-76df3287-listing.json') });
    expect(await coverArt({ musicbrainzReleaseId: mbid })).toEqual(frontImageSet('release', mbid));
  });

  it('lets an unavailable archive fail, so the catalog can use a stale answer or move on', async () => {
    const mbid = '22222222-2222-4222-8222-222222222222';
    harness.server.route('GET', `${CAA}/release/${mbid}`, { status: 503, body: 'down', contentType: 'text/plain' });
    const error = await harness.provider.coverArt!({ musicbrainzReleaseId: mbid, musicbrainzReleaseGroupId: null }, callContext()).then(
      () => null,
      (failure: SourceError) => failure,
    );
    expect(error?.kind).toBe('UNAVAILABLE');
  });
});
