/**
 * Raw shapes of the MusicBrainz web service (`/ws/2/`, `fmt=json`) as far as the parsers read
 * them. Every field is optional: which ones appear depends on the `inc=` of the request and on
 * whether the entity came from a lookup, a browse or a search.
 */

export interface MbArtistRef {
  id?: string;
  name?: string;
  'sort-name'?: string;
  disambiguation?: string;
  type?: string | null;
}

export interface MbArtistCredit {
  /** The name as credited on this release or recording. */
  name?: string;
  joinphrase?: string;
  artist?: MbArtistRef;
}

export interface MbTag {
  name?: string;
  count?: number;
}

export interface MbUrlRelation {
  type?: string;
  'target-type'?: string;
  ended?: boolean;
  url?: { id?: string; resource?: string };
}

export interface MbReleaseGroup {
  id?: string;
  title?: string;
  'primary-type'?: string | null;
  'secondary-types'?: string[];
  'first-release-date'?: string;
  disambiguation?: string;
  'artist-credit'?: MbArtistCredit[];
  releases?: MbRelease[];
  tags?: MbTag[];
  genres?: MbTag[];
}

export interface MbCoverArtArchiveFlags {
  artwork?: boolean;
  front?: boolean;
  back?: boolean;
  count?: number;
  darkened?: boolean;
}

export interface MbTrack {
  id?: string;
  /** Printed track number: `"1"`, `"A1"`. */
  number?: string;
  position?: number;
  title?: string;
  length?: number | null;
  'artist-credit'?: MbArtistCredit[];
  recording?: MbRecording;
}

export interface MbMedium {
  position?: number;
  title?: string;
  format?: string | null;
  'track-count'?: number;
  'track-offset'?: number;
  tracks?: MbTrack[];
}

export interface MbLabelInfo {
  'catalog-number'?: string | null;
  label?: { id?: string; name?: string } | null;
}

export interface MbRelease {
  id?: string;
  title?: string;
  status?: string | null;
  date?: string;
  country?: string | null;
  disambiguation?: string;
  'artist-credit'?: MbArtistCredit[];
  'release-group'?: MbReleaseGroup;
  'label-info'?: MbLabelInfo[];
  'track-count'?: number;
  media?: MbMedium[];
  'cover-art-archive'?: MbCoverArtArchiveFlags;
  tags?: MbTag[];
  genres?: MbTag[];
  relations?: MbUrlRelation[];
}

export interface MbRecording {
  id?: string;
  title?: string;
  length?: number | null;
  video?: boolean;
  disambiguation?: string;
  'first-release-date'?: string;
  'artist-credit'?: MbArtistCredit[];
  releases?: MbRelease[];
  isrcs?: string[];
  tags?: MbTag[];
  genres?: MbTag[];
  relations?: MbUrlRelation[];
}

export interface MbArtist {
  id?: string;
  name?: string;
  'sort-name'?: string;
  disambiguation?: string;
  type?: string | null;
  country?: string | null;
  area?: { name?: string; 'iso-3166-1-codes'?: string[] } | null;
  tags?: MbTag[];
  genres?: MbTag[];
  relations?: MbUrlRelation[];
}

/** Search answers: `count` is the total number of hits, `offset` where this page starts. */
export interface MbSearchResponse {
  created?: string;
  count?: number;
  offset?: number;
  recordings?: MbRecording[];
  releases?: MbRelease[];
  artists?: MbArtist[];
}

/** Browse answers name their counters after the entity: `release-group-count`, `release-group-offset`. */
export interface MbReleaseGroupBrowse {
  'release-group-count'?: number;
  'release-group-offset'?: number;
  'release-groups'?: MbReleaseGroup[];
}

/** Error body MusicBrainz sends with 4xx statuses. */
export interface MbError {
  error?: string;
  help?: string;
}
