/** Raw Deezer public API shapes (https://api.deezer.com). Fields are optional: list entries carry fewer than lookups. */

export interface DzArtist {
  id?: number;
  name?: string;
  link?: string;
  picture?: string;
  picture_small?: string;
  picture_medium?: string;
  picture_big?: string;
  picture_xl?: string;
  nb_album?: number;
  nb_fan?: number;
  role?: string;
  type?: string;
}

export interface DzAlbumRef {
  id?: number;
  title?: string;
  link?: string;
  cover?: string;
  cover_small?: string;
  cover_medium?: string;
  cover_big?: string;
  cover_xl?: string;
  release_date?: string;
}

export interface DzTrack {
  id?: number;
  readable?: boolean;
  title?: string;
  title_short?: string;
  title_version?: string;
  isrc?: string;
  link?: string;
  duration?: number | string;
  track_position?: number;
  disk_number?: number;
  rank?: number | string;
  position?: number;
  release_date?: string;
  preview?: string;
  contributors?: DzArtist[];
  artist?: DzArtist;
  album?: DzAlbumRef;
  type?: string;
}

export interface DzAlbum extends DzAlbumRef {
  upc?: string;
  genres?: { data?: { id?: number; name?: string }[] };
  label?: string;
  nb_tracks?: number;
  record_type?: string;
  contributors?: DzArtist[];
  artist?: DzArtist;
  tracks?: { data?: DzTrack[] };
}

export interface DzList<T> {
  data?: T[];
  total?: number;
  next?: string;
  prev?: string;
}

/** Errors arrive with status 200: `{"error": {"type": "DataException", "message": "no data", "code": 800}}`. */
export interface DzErrorBody {
  error: { type?: string; message?: string; code?: number };
}
