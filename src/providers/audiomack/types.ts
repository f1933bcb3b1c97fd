/**
 * Audiomack API shapes as its documentation and public client libraries describe them
 * (https://www.audiomack.com/data-api/docs). No genuine response has been recorded yet, so
 * every field is optional and checked before use; numbers may arrive as strings.
 */

export interface AmUploader {
  id?: string | number;
  name?: string;
  url_slug?: string;
  image?: string | null;
}

export interface AmMusic {
  id?: string | number;
  /** `song` or `album`. */
  type?: string;
  title?: string;
  /** Display artist name. */
  artist?: string;
  featuring?: string | null;
  album?: string | null;
  url_slug?: string;
  uploader?: AmUploader;
  uploader_url_slug?: string;
  image?: string | null;
  genre?: string | null;
  /** Seconds, often as a string. */
  duration?: string | number | null;
  /** Unix seconds, often as a string. */
  released?: string | number | null;
  uploaded?: string | number | null;
  isrc?: string | null;
  tracks?: AmMusic[];
}

export interface AmArtist {
  id?: string | number;
  name?: string;
  url_slug?: string;
  image?: string | null;
  bio?: string | null;
  genre?: string | null;
  hometown?: string | null;
}

export interface AmList<T> {
  results?: T[];
  count?: number | string;
}

export interface AmOne<T> {
  results?: T | T[];
}
