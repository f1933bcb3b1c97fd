/**
 * Contract rules each provider is known to break today, as `<rule>` or `<rule>/<call>` → why.
 * They run as expected failures (`it.fails`): when a fix lands, the test fails until its entry
 * is removed here, so this list always says exactly what is still broken.
 */

/**
 * The upstream client stores a 200 answer before decoding it: an HTML page or truncated JSON is
 * refused (BAD_RESPONSE) but stays cached, and the same call is then refused from cache without
 * asking again. Fixed in the client (parse before store), not in each provider.
 */
const CACHED_BEFORE_DECODING = 'the upstream client caches an HTML page or truncated JSON before decoding it';

const FOREIGN_CURSOR_SENT = 'a cursor it never handed out is read as the first page and sent upstream';

export const KNOWN_FAILURES: Record<string, Record<string, string>> = {
  musicbrainz: { 'nothing-cached': CACHED_BEFORE_DECODING },
  coverartarchive: {
    'nothing-cached': `${CACHED_BEFORE_DECODING}; and a listing that is not a cover list is refused after it was stored (every hostile body)`,
  },
  lastfm: { 'nothing-cached': CACHED_BEFORE_DECODING },
  jamendo: {
    'nothing-cached': CACHED_BEFORE_DECODING,
    'malformed-ids': 'an empty id is sent upstream (`id=`) instead of being NOT_FOUND',
    'foreign-cursor': FOREIGN_CURSOR_SENT,
  },
  musixmatch: { 'nothing-cached': CACHED_BEFORE_DECODING },
  lrclib: { 'nothing-cached': CACHED_BEFORE_DECODING },
  vagalume: { 'nothing-cached': CACHED_BEFORE_DECODING },
  deezer: {
    'nothing-cached': CACHED_BEFORE_DECODING,
    'foreign-cursor': FOREIGN_CURSOR_SENT,
  },
  apple: { 'nothing-cached': CACHED_BEFORE_DECODING },
  wikipedia: { 'nothing-cached': CACHED_BEFORE_DECODING },
  listenbrainz: { 'nothing-cached': CACHED_BEFORE_DECODING },
  youtubemusic: {
    'nothing-cached': CACHED_BEFORE_DECODING,
    'foreign-cursor': 'an unknown cursor is NOT_FOUND instead of BAD_INPUT (nothing is sent)',
  },
  soundcloud: { 'foreign-cursor': FOREIGN_CURSOR_SENT },
  bandcamp: {
    'nothing-cached/searchTracks': CACHED_BEFORE_DECODING,
    'foreign-cursor': FOREIGN_CURSOR_SENT,
  },
  audiomack: {
    'nothing-cached': `${CACHED_BEFORE_DECODING}; and song/album/artist answers without an id or title are refused after they were stored`,
    'foreign-cursor': FOREIGN_CURSOR_SENT,
  },
  internetarchive: {
    'nothing-cached': CACHED_BEFORE_DECODING,
    'foreign-cursor': FOREIGN_CURSOR_SENT,
  },
};
