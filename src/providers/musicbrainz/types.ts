/**
 * Raw shapes of the MusicBrainz web service (`/ws/2/`, `fmt=json`) as far as the parsers read
 * them. Every field is optional: which ones appear depends on the `inc=` of the request and on
 * whether the entity came from a lookup, a browse or a search.
 */

export interface MbArtistCredit {
  /** The name as credited on this release or recording. */
  name?: string;
  joinphrase?: string;
  artist?: { id?: string; name?: string };
}

export interface MbTag {
  name?: string;
  count?: number;
}

export interface MbUrlRelation {
  type?: string;
  ended?: boolean;
  url?: { resource?: string };
}

export interface MbReleaseGroup {
  id?: string;
  title?: string;
  'primary-type'?: string | null;
  'secondary-types'?: string[];
  'first-release-date'?: string;
  'artist-credit'?: MbArtistCredit[];
  releases?: MbRelease[];
  tags?: MbTag[];
  genres?: MbTag[];
}

export interface MbTrack {
  position?: number;
  title?: string;
  length?: number | null;
  'artist-credit'?: MbArtistCredit[];
  recording?: MbRecording;
}

export interface MbMedium {
  position?: number;
  /** `CD`, `Digital Media`, `12" Vinyl`…; null when unknown. */
  format?: string | null;
  'track-count'?: number;
  /** Lookups with `inc=recordings`; search hits list a matching track under `track` instead. */
  tracks?: MbTrack[];
}

export interface MbLabelInfo {
  label?: { name?: string } | null;
}

export interface MbReleaseEvent {
  area?: { 'iso-3166-1-codes'?: string[] } | null;
}

export interface MbRelease {
  id?: string;
  title?: string;
  status?: string | null;
  date?: string;
  /** The first release event's country: ISO 3166-1, or MusicBrainz's own `XW` (worldwide), `XE` (Europe)… */
  country?: string | null;
  'release-events'?: MbReleaseEvent[];
  /** UPC/EAN as printed; `""` when the release is known to have none, null when unknown. */
  barcode?: string | null;
  'artist-credit'?: MbArtistCredit[];
  'release-group'?: MbReleaseGroup;
  'label-info'?: MbLabelInfo[];
  'track-count'?: number;
  media?: MbMedium[];
  /** Whether the Cover Art Archive holds a front image of this release. */
  'cover-art-archive'?: { front?: boolean };
  tags?: MbTag[];
  genres?: MbTag[];
  relations?: MbUrlRelation[];
}

export interface MbRecording {
  id?: string;
  title?: string;
  length?: number | null;
  'first-release-date'?: string;
  /** Tells recordings of one song apart: `live, 1996-04-10: Majestic Theatre`, `acoustic`. */
  disambiguation?: string;
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
  disambiguation?: string;
  type?: string | null;
  country?: string | null;
  area?: { 'iso-3166-1-codes'?: string[] } | null;
  tags?: MbTag[];
  genres?: MbTag[];
  relations?: MbUrlRelation[];
}

/** Search answers: `count` is the total number of hits, `offset` where this page starts. */
export interface MbSearchResponse {
  count?: number;
  offset?: number;
  recordings?: MbRecording[];
  releases?: MbRelease[];
  artists?: MbArtist[];
}

/** `GET /ws/2/isrc/<isrc>`: every recording carrying the code. */
export interface MbIsrcLookup {
  isrc?: string;
  recordings?: MbRecording[];
}

/** Browse answers name their counters after the entity: `release-group-count`, `release-group-offset`. */
export interface MbReleaseGroupBrowse {
  'release-group-count'?: number;
  'release-group-offset'?: number;
  'release-groups'?: MbReleaseGroup[];
}
