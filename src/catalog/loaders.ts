import DataLoader from 'dataloader';
import type { Album, Artist, Biography, ImageSet, Track } from '../domain/types.js';
import type { DownloadService } from '../downloads/service.js';
import type { DownloadOption } from '../downloads/types.js';
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
  /** Download options of many tracks in one index query (an album, a search page); null without downloads. */
  downloadOptions: DataLoader<Track, DownloadOption[], string> | null;
}

export function createLoaders(catalog: RequestCatalog, downloads?: DownloadService): Loaders {
  return {
    downloadOptions: downloads ? new DataLoader((tracks) => downloads.optionsForTracks(tracks), { cacheKeyFn: (track) => track.id }) : null,
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
