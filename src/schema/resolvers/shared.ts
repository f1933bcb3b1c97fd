import { parseGlobalId } from '../../domain/ids.js';
import type * as domain from '../../domain/types.js';
export { creditLine } from '../../domain/credits.js';
import type { ArtistQuery, CoverArtQuery } from '../../providers/types.js';

/**
 * Which Cover Art Archive entry to ask for an album's cover. The release group's front is "the
 * cover of this album" and costs one request (the archive resolves the group to its chosen
 * release server-side), so it is asked whenever the group is known — one call per distinct
 * album on a page, however many editions its tracks came from. The release's own front is
 * asked only when the object *is* that release (see `trackCoverQuery` for tracks on it): an
 * edition may have its own sleeve (a reissue, a regional cover), and the group's would
 * mislabel it; the group's then stands in only when the release has no front.
 */
export function albumCoverQuery(album: domain.Album): CoverArtQuery | null {
  return coverQuery(album.refs, isThatRelease(album.id, album.refs));
}

/**
 * A track on a release's track list (it carries its position there) is tied to that edition and
 * shows the edition's cover, as its album does — the same query, so one request for both. A
 * recording from a search or lookup names a release MusicBrainz listed among many
 * (`representativeRelease`), which says nothing about the cover wanted: it gets the album's.
 */
export function trackCoverQuery(track: domain.Track): CoverArtQuery | null {
  const onRelease = track.trackNumber != null && track.album?.id != null && isThatRelease(track.album.id, track.refs);
  return coverQuery(track.refs, onRelease);
}

function isThatRelease(globalId: string, refs: domain.CrossRefs | undefined): boolean {
  const parsed = parseGlobalId(globalId);
  return parsed?.kind === 'release' && refs?.musicbrainzReleaseId != null && parsed.nativeId === refs.musicbrainzReleaseId;
}

function coverQuery(refs: domain.CrossRefs | undefined, ownRelease: boolean): CoverArtQuery | null {
  const releaseId = refs?.musicbrainzReleaseId ?? null;
  const groupId = refs?.musicbrainzReleaseGroupId ?? null;
  if (!releaseId && !groupId) return null;
  // Without a group the release is all there is (Last.fm names only the release).
  const askRelease = ownRelease || !groupId;
  return { musicbrainzReleaseId: askRelease ? releaseId : null, musicbrainzReleaseGroupId: groupId };
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
