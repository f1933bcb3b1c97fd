/**
 * A lyrics record of LRCLIB (https://lrclib.net/docs), as `/api/get` returns it and as each item
 * of `/api/search` is. `duration` is in seconds and may be fractional (`233.0`); `plainLyrics` and
 * `syncedLyrics` are null or empty when missing; `instrumental` records carry no lyrics.
 */
export interface LrclibRecord {
  id?: number;
  name?: string;
  trackName?: string;
  artistName?: string;
  albumName?: string | null;
  duration?: number | null;
  instrumental?: boolean;
  plainLyrics?: string | null;
  syncedLyrics?: string | null;
  /** Newer records only. */
  lang?: string | null;
  isrc?: string | null;
}
