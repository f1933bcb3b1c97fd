/**
 * Raw Jamendo API v3.0 shapes (https://developer.jamendo.com/v3.0). Every answer is
 * `{ headers, results }` with HTTP 200, errors included. Ids, durations and positions come as
 * strings in some methods and numbers in others; empty strings stand for missing values.
 */

export interface JamendoHeaders {
  /** `success` (the docs also say `succeed`) or `failed`. */
  status?: string;
  /** 0 on success; see https://developer.jamendo.com/v3.0/response-codes. */
  code?: number | string;
  error_message?: string;
  warnings?: string;
  results_count?: number | string;
  /** Only with `fullcount=true`. */
  results_fullcount?: number | string;
}

export interface JamendoResponse<T> {
  headers?: JamendoHeaders;
  results?: T[];
}

export interface JamendoMusicInfo {
  vocalinstrumental?: string;
  lang?: string;
  speed?: string;
  tags?: { genres?: string[]; instruments?: string[]; vartags?: string[] };
}

export interface JamendoTrack {
  id?: string | number;
  name?: string;
  duration?: string | number;
  artist_id?: string | number;
  artist_name?: string;
  album_id?: string | number;
  album_name?: string;
  album_image?: string;
  position?: string | number;
  releasedate?: string;
  license_ccurl?: string;
  audio?: string;
  audiodownload?: string;
  audiodownload_allowed?: boolean;
  shorturl?: string;
  shareurl?: string;
  prourl?: string;
  image?: string;
  musicinfo?: JamendoMusicInfo;
}

export interface JamendoAlbum {
  id?: string | number;
  name?: string;
  releasedate?: string;
  artist_id?: string | number;
  artist_name?: string;
  image?: string;
  zip?: string;
  zip_allowed?: boolean;
  shorturl?: string;
  shareurl?: string;
  /** `/albums/tracks` only: the album's tracks without the album and artist fields. */
  tracks?: JamendoTrack[];
}

export interface JamendoArtist {
  id?: string | number;
  name?: string;
  website?: string;
  joindate?: string;
  image?: string;
  shorturl?: string;
  shareurl?: string;
  /** `/artists/musicinfo` only. Tags is a flat list here, unlike a track's. */
  musicinfo?: { tags?: string[]; description?: Record<string, string> };
  /** `/artists/albums` only. */
  albums?: JamendoAlbum[];
}
