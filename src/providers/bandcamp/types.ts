/**
 * Raw Bandcamp shapes as far as the parsers read them: the JSON embedded in release pages
 * (`data-tralbum`, `data-band`, ld+json) and the JSON endpoints the web and mobile apps call.
 * All loose on purpose: none of it is a documented API. Field notes: shared/providers/bandcamp.md.
 */

export interface BcTrackInfo {
  id?: number;
  track_id?: number;
  title?: string;
  artist?: string | null;
  track_num?: number | null;
  /** Seconds, with decimals. */
  duration?: number | null;
  title_link?: string | null;
  has_free_download?: boolean | null;
}

export interface BcTralbum {
  item_type?: 'album' | 'track' | string;
  id?: number;
  artist?: string;
  url?: string;
  art_id?: number | null;
  album_release_date?: string | null;
  /** `https://bandcamp.com/download?fsig=…` when the artist offers this release for free. */
  freeDownloadPage?: string | null;
  album_url?: string | null;
  current?: {
    title?: string;
    type?: string;
    id?: number;
    release_date?: string | null;
    publish_date?: string | null;
    band_id?: number;
    /** 1 = FREE, 2 = PAID. */
    download_pref?: number | null;
    isrc?: string | null;
    track_number?: number | null;
    about?: string | null;
  };
  trackinfo?: BcTrackInfo[];
}

export interface BcBand {
  id?: number;
  name?: string;
  subdomain?: string;
  url?: string;
  image_id?: number | null;
}

/** schema.org `MusicAlbum` / `MusicRecording` from the page's ld+json. */
export interface BcLdJson {
  '@type'?: string;
  name?: string;
  byArtist?: { name?: string };
  publisher?: { name?: string };
  inAlbum?: { name?: string; '@id'?: string };
  datePublished?: string;
  duration?: string;
  image?: string | string[];
  keywords?: string[] | string;
  numTracks?: number;
  track?: { itemListElement?: { position?: number; item?: { name?: string; duration?: string; '@id'?: string } }[] };
}

export interface BcAutocompleteResult {
  type?: 'a' | 't' | 'b' | string;
  id?: number;
  name?: string;
  band_id?: number;
  band_name?: string;
  album_name?: string | null;
  album_id?: number | null;
  item_url_root?: string;
  item_url_path?: string;
  art_id?: number | null;
  img_id?: number | null;
  img?: string;
}

export interface BcAutocomplete {
  auto?: { results?: BcAutocompleteResult[] };
}

export interface BcDiscographyItem {
  item_id?: number;
  item_type?: 'album' | 'track' | string;
  title?: string;
  band_name?: string;
  artist_name?: string | null;
  art_id?: number | null;
  release_date?: string | null;
  band_id?: number;
}

export interface BcBandDetails {
  error?: boolean;
  error_message?: string;
  id?: number;
  name?: string;
  bio?: string | null;
  bio_image_id?: number | null;
  bandcamp_url?: string;
  location?: string | null;
  sites?: { url?: string; title?: string }[];
  discography?: BcDiscographyItem[];
}

export interface BcMobileTrack {
  track_id?: number;
  title?: string;
  track_num?: number | null;
  duration?: number | null;
  band_name?: string;
  album_title?: string | null;
  album_id?: number | null;
}

export interface BcTralbumDetails {
  error?: boolean;
  error_message?: string;
  id?: number;
  type?: 'a' | 't' | string;
  title?: string;
  bandcamp_url?: string;
  art_id?: number | null;
  band?: { band_id?: number; name?: string };
  tralbum_artist?: string;
  /** For a track asked on its own: the album it is part of (null for a single). */
  album_id?: number | null;
  album_title?: string | null;
  /** Unix seconds. */
  release_date?: number | null;
  free_download?: boolean;
  tags?: { name?: string; isloc?: boolean }[];
  tracks?: BcMobileTrack[];
  label?: string | null;
}
