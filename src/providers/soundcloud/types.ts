/**
 * Raw api-v2.soundcloud.com shapes, as far as the parsers read them. Everything is optional and
 * loosely typed on purpose: the web client's API is undocumented and the parsers check each
 * value before trusting it. Field notes: shared/providers/soundcloud.md.
 */

export interface ScUser {
  kind?: 'user' | string;
  id?: number;
  username?: string;
  full_name?: string | null;
  permalink?: string;
  permalink_url?: string;
  avatar_url?: string | null;
  description?: string | null;
  city?: string | null;
  country_code?: string | null;
  followers_count?: number | null;
  track_count?: number | null;
  verified?: boolean;
}

export interface ScPublisherMetadata {
  artist?: string | null;
  album_title?: string | null;
  release_title?: string | null;
  isrc?: string | null;
  upc_or_ean?: string | null;
  explicit?: boolean | null;
  p_line?: string | null;
}

export interface ScTrack {
  kind?: 'track' | string;
  id?: number;
  title?: string;
  permalink_url?: string;
  user?: ScUser;
  user_id?: number;
  /** Playable length in ms; for Go+ tracks only the 30 s preview. */
  duration?: number | null;
  /** Real length in ms. */
  full_duration?: number | null;
  artwork_url?: string | null;
  genre?: string | null;
  release_date?: string | null;
  display_date?: string | null;
  created_at?: string | null;
  license?: string | null;
  downloadable?: boolean | null;
  has_downloads_left?: boolean | null;
  playback_count?: number | null;
  publisher_metadata?: ScPublisherMetadata | null;
  policy?: string | null;
}

/** In big sets only the first tracks are full objects; the rest are `{id, kind, policy}` stubs. */
export interface ScPlaylist {
  kind?: 'playlist' | string;
  id?: number;
  title?: string;
  permalink_url?: string;
  user?: ScUser;
  artwork_url?: string | null;
  duration?: number | null;
  genre?: string | null;
  label_name?: string | null;
  license?: string | null;
  set_type?: string | null;
  is_album?: boolean | null;
  release_date?: string | null;
  published_at?: string | null;
  display_date?: string | null;
  created_at?: string | null;
  track_count?: number | null;
  tracks?: ScTrack[];
}

export interface ScCollection<T> {
  collection?: T[];
  next_href?: string | null;
  total_results?: number | null;
  query_urn?: string | null;
}

export interface ScChartItem {
  score?: number | null;
  track?: ScTrack;
}

export interface ScChart extends ScCollection<ScChartItem> {
  genre?: string;
  kind?: string;
  last_updated?: string;
}
