import { describe, expect, it } from 'vitest';
import { AvailabilityResolver, mayLendDownload, searchQuery, type AvailabilitySources, type TrackMatch } from '../../src/catalog/availability.js';
import { createMemoryCache } from '../../src/cache/store.js';
import type { Page, Track } from '../../src/domain/types.js';
import { ApiError } from '../../src/errors/api.js';
import { parseAlbumTracks, parseTrack } from '../../src/providers/deezer/parse.js';
import type { DzAlbum, DzTrack } from '../../src/providers/deezer/types.js';
import { trackFromRecording } from '../../src/providers/musicbrainz/parse.js';
import type { MbRecording } from '../../src/providers/musicbrainz/types.js';
import type { CallContext, EntityRef, Provider } from '../../src/providers/types.js';
import { callContext } from '../support/providerHarness.js';
import { readRecordingJson, skipWithoutRecordings } from '../support/recordings.js';

/**
 * The resolver behind `Track.availability`, on tracks parsed from genuine recordings. The
 * sources are stand-ins that answer with those parsed tracks, so each stage (ISRC, link,
 * metadata search), the version rules and the caching are exercised without HTTP; the gateway
 * test (test/integration/availability.gateway.test.ts) runs the same through the real client.
 */

interface Stand {
  id: string;
  byIsrc?: Record<string, Track[]>;
  search?: Track[];
  tracks?: Record<string, Track>;
  links?: (url: URL) => EntityRef | null;
  downloads?: boolean;
}

function sources(stands: Stand[]): { deps: AvailabilitySources; calls: string[] } {
  const calls: string[] = [];
  const providers = stands.map(
    (stand): Provider => ({
      id: stand.id,
      name: `Source ${stand.id}`,
      description: '',
      credentials: [],
      hosts: [],
      configured: true,
      ...(stand.downloads ? { downloadHosts: [`files.${stand.id}.test`] } : {}),
      ...(stand.byIsrc ? { tracksByIsrc: async (isrc: string) => (calls.push(`${stand.id} isrc ${isrc}`), stand.byIsrc![isrc] ?? []) } : {}),
      ...(stand.search
        ? {
            searchTracks: async (input: { query: string }): Promise<Page<Track>> => {
              calls.push(`${stand.id} search ${input.query}`);
              return { items: stand.search!, total: stand.search!.length, nextCursor: null };
            },
          }
        : {}),
      ...(stand.tracks
        ? {
            track: async (ref: { id: string }) => {
              calls.push(`${stand.id} track ${ref.id}`);
              const found = stand.tracks![ref.id];
              if (!found) throw new ApiError('NOT_FOUND', 'no such track');
              return found;
            },
          }
        : {}),
      ...(stand.links ? { parseUrl: stand.links } : {}),
    }),
  );
  const deps: AvailabilitySources = {
    sources: () => providers,
    ask: <T>(provider: Provider, _field: string, _memo: string, call: (p: Provider, ctx: CallContext) => Promise<T>) => call(provider, callContext()),
    cache: createMemoryCache(),
  };
  return { deps, calls };
}

/** A track as another source would carry it: same data, that source's id. */
function at(source: string, track: Track, nativeId = track.id.split(':').at(-1)!): Track {
  return { ...track, id: `${source}:track:${nativeId}`, source };
}

describe.skipIf(skipWithoutRecordings('deezer', 'musicbrainz'))('availability on recorded tracks', () => {
  const deezerTrack = parseTrack(readRecordingJson('deezer', 'track-3135556-harder-better-faster-stronger-2019.json') as DzTrack)!;
  const album = readRecordingJson('deezer', 'album-302127-discovery-2025.json') as DzAlbum;
  const albumTracks = parseAlbumTracks(album, (readRecordingJson('deezer', 'album-302127-tracks-2025.json') as { data: unknown[] }).data);
  const discoveryHbfs = albumTracks.find((track) => /harder/i.test(track.title))!;
  const studio = trackFromRecording(readRecordingJson('musicbrainz', 'recording-b5502d6e-25af-4655-966d-faceab6fa0df-down-in-a-hole-studio-2026.json') as MbRecording);
  const live = trackFromRecording(readRecordingJson('musicbrainz', 'recording-cab031ca-fb14-470b-9336-528524007ed1-down-in-a-hole-live-2026.json') as MbRecording);

  it('finds the same recording by ISRC first, without searching', async () => {
    const isrc = discoveryHbfs.isrc!;
    expect(deezerTrack.isrcs).toContain(isrc);
    const { deps, calls } = sources([{ id: 'catalogue', byIsrc: { [isrc]: [at('catalogue', deezerTrack)] }, search: [at('catalogue', deezerTrack)] }]);
    const [match] = await new AvailabilityResolver(deps).all(discoveryHbfs);
    expect(match).toMatchObject({ source: 'catalogue', matchedBy: 'ISRC', track: { title: deezerTrack.title } });
    expect(match!.confidence).toBeGreaterThanOrEqual(0.95);
    expect(calls).toEqual([`catalogue isrc ${isrc}`]);
  });

  it('never matches the live recording to the studio one, and takes the studio take from the same search', async () => {
    expect(live.title).toBe(studio.title);
    const { deps } = sources([{ id: 'catalogue', search: [at('catalogue', live), at('catalogue', studio)] }]);
    const [match] = await new AvailabilityResolver(deps).all(studio);
    expect(match?.track.id).toBe(at('catalogue', studio).id);
    expect(match?.matchedBy).toBe('METADATA');
    const onlyLive = sources([{ id: 'catalogue', search: [at('catalogue', live)] }]);
    expect(await new AvailabilityResolver(onlyLive.deps).all(studio)).toEqual([]);
  });

  it('follows a link the source publishes, parsing it without fetching it, and still checks the version', async () => {
    const linked: Track = { ...studio, links: [{ platform: 'youtube', url: 'https://www.youtube.com/watch?v=qWrYF7wCtvY' }] };
    const parse = (url: URL): EntityRef | null => (url.hostname.endsWith('youtube.com') ? { entity: 'track', ref: { kind: 'video', id: url.searchParams.get('v')! } } : null);
    const good = sources([{ id: 'tube', links: parse, tracks: { qWrYF7wCtvY: at('tube', studio, 'qWrYF7wCtvY') } }]);
    const [match] = await new AvailabilityResolver(good.deps).all(linked);
    expect(match).toMatchObject({ source: 'tube', matchedBy: 'LINK', track: { id: 'tube:track:qWrYF7wCtvY' } });
    expect(good.calls).toEqual(['tube track qWrYF7wCtvY']);
    // The same link pointing at the live take is refused: a link is evidence, not proof.
    const wrong = sources([{ id: 'tube', links: parse, tracks: { qWrYF7wCtvY: at('tube', live, 'qWrYF7wCtvY') } }]);
    expect(await new AvailabilityResolver(wrong.deps).all(linked)).toEqual([]);
  });

  it('asks each (track, source) pair once per request, and once per few days across requests', async () => {
    const { deps, calls } = sources([{ id: 'catalogue', search: [at('catalogue', studio)] }]);
    const resolver = new AvailabilityResolver(deps);
    await Promise.all([resolver.all(studio), resolver.playback(studio), resolver.all(studio)]);
    expect(calls).toHaveLength(1);
    await new AvailabilityResolver(deps).all(studio);
    expect(calls).toHaveLength(1);
  });

  it('does not remember a pair whose source failed', async () => {
    const { deps, calls } = sources([{ id: 'catalogue', search: [at('catalogue', studio)] }]);
    let failing = true;
    const flaky: AvailabilitySources = {
      ...deps,
      ask: (provider, field, memo, call) => (failing ? Promise.reject(new ApiError('SOURCES_UNAVAILABLE', 'down')) : deps.ask(provider, field, memo, call)),
    };
    expect(await new AvailabilityResolver(flaky).all(studio)).toEqual([]);
    failing = false;
    expect(await new AvailabilityResolver(flaky).all(studio)).toHaveLength(1);
    expect(calls).toHaveLength(1);
  });

  it('lends a play link only from a confident match with one, in chain order', async () => {
    const withLink = { ...at('catalogue', studio), playbackUrl: 'https://catalogue.test/play/1' };
    const { deps } = sources([{ id: 'silent', search: [at('silent', studio)] }, { id: 'catalogue', search: [withLink] }]);
    const match = await new AvailabilityResolver(deps).playback({ ...studio, playbackUrl: null });
    expect(match?.source).toBe('catalogue');
    expect(match?.track.playbackUrl).toBe('https://catalogue.test/play/1');
  });

  it('lends a download only from a licensing source, by ISRC or within 2 s at confidence ≥ 0.9', async () => {
    const free: Track = { ...at('freebies', studio), download: { allowed: true, license: { name: 'CC BY 4.0', url: 'https://creativecommons.org/licenses/by/4.0/' }, originUrl: 'https://files.freebies.test/a.flac' } };
    const { deps } = sources([{ id: 'freebies', search: [free], downloads: true }]);
    const match = await new AvailabilityResolver(deps).download(studio);
    expect(match?.track.id).toBe(free.id);
    const lent = (overrides: Partial<TrackMatch>) => mayLendDownload({ ...match!, ...overrides });
    expect(lent({ matchedBy: 'METADATA', confidence: 0.95, durationDeltaSec: 2 })).toBe(true);
    expect(lent({ matchedBy: 'METADATA', confidence: 0.95, durationDeltaSec: 3 })).toBe(false);
    expect(lent({ matchedBy: 'METADATA', confidence: 0.88, durationDeltaSec: null })).toBe(false);
    expect(lent({ matchedBy: 'ISRC', confidence: 0.95, durationDeltaSec: 8 })).toBe(true);
    // A source that does not license downloads never lends one, however good the match.
    const notLicensing = sources([{ id: 'freebies', search: [free] }]);
    expect(await new AvailabilityResolver(notLicensing.deps).download(studio)).toBeNull();
  });

  it('searches "artist title" without the qualifiers that do not identify the song', () => {
    expect(searchQuery({ ...deezerTrack, title: 'Harder, Better, Faster, Stronger (Remastered 2011)' })).toBe('Daft Punk harder better faster stronger');
    expect(searchQuery(live)).toMatch(/^Alice in Chains down in a hole/);
  });
});
