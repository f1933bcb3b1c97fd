/**
 * Raw Musixmatch API 1.1 shapes (https://developer.musixmatch.com/documentation,
 * https://docs.musixmatch.com). Every answer is `{ message: { header, body } }` with HTTP 200;
 * the real outcome is `header.status_code`, and on errors `body` is an empty list or string.
 * Flags (`has_lyrics`, `instrumental`, `restricted`) are 0/1 numbers.
 */

export interface MusixmatchEnvelope<B> {
  message?: {
    header?: { status_code?: number | string; execute_time?: number; available?: number; hint?: string };
    body?: B | [] | '';
  };
}

export interface MusixmatchGenre {
  music_genre?: { music_genre_id?: number; music_genre_name?: string; music_genre_name_extended?: string };
}

export interface MusixmatchTrack {
  track_id?: number | string;
  commontrack_id?: number | string;
  track_name?: string;
  track_length?: number | string;
  track_isrc?: string;
  commontrack_isrcs?: string[][];
  track_rating?: number;
  track_spotify_id?: string;
  track_share_url?: string;
  instrumental?: number;
  explicit?: number;
  has_lyrics?: number;
  has_subtitles?: number;
  restricted?: number;
  album_id?: number | string;
  album_name?: string;
  artist_id?: number | string;
  artist_name?: string;
  first_release_date?: string;
  album_coverart_100x100?: string;
  album_coverart_350x350?: string;
  album_coverart_500x500?: string;
  album_coverart_800x800?: string;
  primary_genres?: { music_genre_list?: MusixmatchGenre[] };
}

export interface MusixmatchLyrics {
  lyrics_id?: number;
  restricted?: number;
  instrumental?: number;
  explicit?: number;
  lyrics_body?: string;
  lyrics_language?: string;
  lyrics_copyright?: string;
  backlink_url?: string;
  script_tracking_url?: string;
  pixel_tracking_url?: string;
  html_tracking_url?: string;
  updated_time?: string;
}

export interface TrackBody {
  track?: MusixmatchTrack;
}

export interface TrackListBody {
  track_list?: { track?: MusixmatchTrack }[];
}

export interface LyricsBody {
  lyrics?: MusixmatchLyrics;
}
