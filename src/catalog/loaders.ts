import DataLoader from 'dataloader';
import type { Album, Artist, Biography, ImageSet, Track } from '../domain/types.js';
import type { ArtistQuery, CoverArtQuery } from '../providers/types.js';
import type { RequestCatalog } from './catalog.js';

/**
 * One set per request (never shared between requests: they carry the caller's scope).
 * Everything that fans out from a list — the artists of 25 tracks, the covers of 25 releases —
 * goes through here, so each distinct entity is fetched once and batched where the source can.
 */
export interface Loaders {
  track: DataLoader<string, Track>;
  album: DataLoader<string, Album>;
  artist: DataLoader<string, Artist>;
  cover: DataLoader<CoverArtQuery, ImageSet | null, string>;
  biography: DataLoader<ArtistQuery, Biography | null, string>;
  artistImage: DataLoader<ArtistQuery, ImageSet | null, string>;
}

export function createLoaders(catalog: RequestCatalog): Loaders {
  return {
    track: new DataLoader((ids) => catalog.lookupMany('track', ids)),
    album: new DataLoader((ids) => catalog.lookupMany('album', ids)),
    artist: new DataLoader((ids) => catalog.lookupMany('artist', ids)),
    cover: new DataLoader((queries) => Promise.all(queries.map((q) => catalog.coverArt(q))), {
      cacheKeyFn: (q) => `${q.musicbrainzReleaseId ?? ''}|${q.musicbrainzReleaseGroupId ?? ''}`,
    }),
    biography: new DataLoader((queries) => Promise.all(queries.map((q) => catalog.artistBiography(q))), {
      cacheKeyFn: artistKey,
    }),
    artistImage: new DataLoader((queries) => Promise.all(queries.map((q) => catalog.artistImage(q))), {
      cacheKeyFn: artistKey,
    }),
  };
}

function artistKey(query: ArtistQuery): string {
  return `${query.musicbrainzId ?? ''}|${query.name.toLowerCase()}`;
}
