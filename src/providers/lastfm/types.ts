/**
 * Raw Last.fm API 2.0 JSON shapes (`format=json`). The JSON is a mechanical translation of the
 * XML API, so every field is optional here: lists may arrive as a single object, numbers as
 * strings, missing values as `""`, and text nodes under `#text`.
 */

export type OneOrMany<T> = T | T[];

export interface LfmImage {
  '#text'?: string;
  size?: string;
}

export interface LfmTag {
  name?: string;
  url?: string;
}

/** `tags` is `{ tag: [...] }`, or `""` when there are none. */
export type LfmTags = { tag?: OneOrMany<LfmTag> } | string;

export interface LfmArtistRef {
  name?: string;
  mbid?: string;
  url?: string;
  '#text'?: string;
}

export interface LfmTrack {
  name?: string;
  mbid?: string;
  url?: string;
  duration?: number | string | null;
  playcount?: number | string;
  listeners?: number | string;
  /** An object in charts and album track lists, a bare name in `track.search`. */
  artist?: LfmArtistRef | string;
  album?: { title?: string; artist?: string; mbid?: string; url?: string; image?: LfmImage[] };
  image?: LfmImage[];
  toptags?: LfmTags;
  '@attr'?: { rank?: number | string };
}

export interface LfmAlbum {
  name?: string;
  title?: string;
  /** A bare name in `album.getInfo` and `album.search`, an object in `artist.getTopAlbums`. */
  artist?: LfmArtistRef | string;
  mbid?: string;
  url?: string;
  image?: LfmImage[];
  playcount?: number | string;
  listeners?: number | string;
  tags?: LfmTags;
  tracks?: { track?: OneOrMany<LfmTrack> } | string;
}

export interface LfmBio {
  links?: { link?: OneOrMany<{ '#text'?: string; rel?: string; href?: string }> };
  published?: string;
  summary?: string;
  content?: string;
}

export interface LfmArtist {
  name?: string;
  mbid?: string;
  url?: string;
  image?: LfmImage[];
  listeners?: number | string;
  stats?: { listeners?: number | string; playcount?: number | string };
  similar?: { artist?: OneOrMany<LfmArtistRef> } | string;
  tags?: LfmTags;
  bio?: LfmBio;
}

/** The `@attr` block of paged lists (charts, top albums). */
export interface LfmPageAttr {
  page?: number | string;
  perPage?: number | string;
  totalPages?: number | string;
  total?: number | string;
  country?: string;
  artist?: string;
}
