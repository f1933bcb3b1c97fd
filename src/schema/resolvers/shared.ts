import type { ConnectionPage } from '../../catalog/catalog.js';
import type * as domain from '../../domain/types.js';
export { creditLine } from '../../domain/credits.js';
import type { ArtistQuery, CoverArtQuery } from '../../providers/types.js';

export function coverQuery(refs: domain.CrossRefs | undefined): CoverArtQuery | null {
  if (!refs?.musicbrainzReleaseId && !refs?.musicbrainzReleaseGroupId) return null;
  return {
    musicbrainzReleaseId: refs.musicbrainzReleaseId ?? null,
    musicbrainzReleaseGroupId: refs.musicbrainzReleaseGroupId ?? null,
  };
}

export function artistQuery(artist: domain.Artist): ArtistQuery {
  return {
    name: artist.name,
    musicbrainzId: artist.refs?.musicbrainzArtistId ?? (artist.source === 'musicbrainz' ? artist.id.split(':')[2] ?? null : null),
    links: artist.links,
  };
}

export function yearOf(date: string | null): number | null {
  const year = date ? Number(date.slice(0, 4)) : NaN;
  return Number.isInteger(year) && year > 0 ? year : null;
}

/** A catalog page as a Relay connection object. */
export function connectionOf<T>(page: ConnectionPage<T>) {
  return {
    edges: page.items.map((node, index) => ({ node, cursor: page.cursors[index]! })),
    nodes: page.items,
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: false,
      startCursor: page.cursors[0] ?? null,
      endCursor: page.endCursor,
    },
    totalCount: page.total,
    source: page.source,
  };
}
