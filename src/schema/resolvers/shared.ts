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
