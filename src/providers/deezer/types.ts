/**
 * Raw Deezer public API shapes (https://api.deezer.com), limited to the fields this provider
 * reads. Fields are optional: list entries carry fewer than lookups. Errors arrive with status
 * 200 as `{"error": {"type", "message", "code"}}` and are read in `errorFromBody`.
 */

export interface DzArtist {
  id?: number;
  name?: string;
  link?: string;
  picture_medium?: string;
  picture_big?: string;
  picture_xl?: string;
}

export interface DzAlbumRef {
  id?: number;
  title?: string;
  link?: string;
  cover_medium?: string;
  cover_big?: string;
  cover_xl?: string;
  release_date?: string;
}

export interface DzTrack {
  id?: number;
  title?: string;
  /** The version the title leaves out (`Live`, `Remix`); empty for the plain one. */
  title_version?: string;
  isrc?: string;
  link?: string;
  duration?: number | string;
  track_position?: number;
  disk_number?: number;
  /** Popularity score in charts. */
  rank?: number | string;
  /** Chart position. */
  position?: number;
  release_date?: string;
  preview?: string;
  contributors?: DzArtist[];
  artist?: DzArtist;
  album?: DzAlbumRef;
}

export interface DzAlbum extends DzAlbumRef {
  /** UPC-A or EAN-13, as the distributor delivered it. */
  upc?: string;
  genres?: { data?: { id?: number; name?: string }[] };
  label?: string;
  nb_tracks?: number;
  record_type?: string;
  contributors?: DzArtist[];
  artist?: DzArtist;
  /** At most the first 25 tracks, without ISRCs; `/album/<id>/tracks` has them all. */
  tracks?: { data?: DzTrack[] };
}

export interface DzList<T> {
  data?: T[];
  total?: number;
  /** Present while there is another page. */
  next?: string;
}
