import { formatGlobalId } from '../../src/domain/ids.js';
import type { Track } from '../../src/domain/types.js';
import type { ProviderFactory } from '../../src/providers/types.js';

/**
 * Minimal providers for testing the catalog's mechanics (fallback, hedging, cache, scopes)
 * through the real upstream client. Each answers `GET https://<id>.test/search?q=…` with
 * `{"results":[{"id":…,"title":…,"artist":…,"seconds":…}]}` served by the replay server.
 */
/** A test source's track as its JSON carries it; `isrc` is optional. */
export interface RawTestTrack {
  id: string;
  title: string;
  artist: string;
  seconds: number;
  isrc?: string;
}

/** A test source's track as the catalog sees it. */
export function testTrack(source: string, raw: RawTestTrack, playbackUrl: string | null): Track {
  return {
    id: formatGlobalId(source, 'track', raw.id),
    source,
    title: raw.title,
    artists: [{ id: null, name: raw.artist }],
    album: null,
    durationSec: raw.seconds,
    releaseDate: null,
    isrc: raw.isrc ?? null,
    isrcs: raw.isrc ? [raw.isrc] : [],
    cover: null,
    playbackUrl,
    previewUrl: null,
    license: null,
    download: { allowed: false, reason: 'NOT_LICENSED' },
    genres: [],
    links: [],
  };
}

/**
 * A test source searched at `https://<id>.test/search`. With `credential` it sends a key the two
 * ways real sources do, as a bearer header and as an `api_key` query parameter (declared secret),
 * so tests can check that neither reaches a log line or a cache key.
 */
export function searchProvider(
  id: string,
  options: {
    rateLimit?: { requests: number; intervalMs: number };
    withoutPlayback?: boolean;
    credential?: { bearer: string; apiKey: string };
  } = {},
): ProviderFactory {
  return (deps) => {
    const { credential } = options;
    const client = deps.createClient({
      source: id,
      hosts: [`${id}.test`],
      rateLimit: options.rateLimit,
      ...(credential ? { headers: { authorization: `Bearer ${credential.bearer}` } } : {}),
    });
    const keyParams = credential ? { api_key: credential.apiKey } : {};
    const secretParams = credential ? { secretParams: ['api_key'] } : {};
    // A catalogue-only source (MusicBrainz, Last.fm) has no page to listen on.
    const toTrack = (raw: RawTestTrack): Track => testTrack(id, raw, options.withoutPlayback ? null : `https://${id}.test/track/${raw.id}`);
    return {
      id,
      name: `Test ${id}`,
      description: `test source ${id}`,
      hosts: [`${id}.test`],
      credentials: credential ? ['TEST_API_KEY'] : [],
      configured: true,
      idKinds: { track: ['track'] },
      async searchTracks(input, ctx) {
        const body = await client.json<{ results: RawTestTrack[] }>(`https://${id}.test/search`, {
          ctx,
          cache: 'search',
          searchParams: { q: input.query, limit: input.limit, ...keyParams },
          ...secretParams,
        });
        if (!Array.isArray(body.results)) throw new Error('unexpected body');
        return { items: body.results.map(toTrack), total: body.results.length, nextCursor: null };
      },
      async track(ref, ctx) {
        const body = await client.json<RawTestTrack>(`https://${id}.test/track/${ref.id}`, {
          ctx,
          cache: 'entity',
          ...(credential ? { searchParams: keyParams, ...secretParams } : {}),
        });
        return toTrack(body);
      },
    };
  };
}

export function results(...titles: string[]): string {
  return JSON.stringify({ results: titles.map((title, i) => ({ id: String(i + 1), title, artist: 'Rosalía', seconds: 180 + i })) });
}
