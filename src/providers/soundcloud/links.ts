import type { EntityRef } from '../types.js';

/**
 * SoundCloud's own ids are numbers (`soundcloud:track:173623087`). A link to a page names it by
 * its permalink instead, and only SoundCloud can turn that into the number (api-v2 `/resolve`,
 * a question to its API, never a fetch of the page). Such refs have kinds of their own, one per
 * entity (the API tells an id's entity by its kind), and the path must have that entity's shape:
 *
 *   user-permalink    <user>              a user (artist)          soundcloud.com/<user>
 *   track-permalink   <user>/<track>      a track                  soundcloud.com/<user>/<track>
 *   set-permalink     <user>/sets/<set>   a set (album/playlist)   soundcloud.com/<user>/sets/<set>
 *
 * A permalink opens as the entity's numeric id: that is the id SoundCloud's answers carry.
 */

export type PermalinkEntity = 'user' | 'track' | 'playlist';

export const PERMALINK_KIND: Record<PermalinkEntity, string> = { user: 'user-permalink', track: 'track-permalink', playlist: 'set-permalink' };

const SEGMENT = /^[A-Za-z0-9_-]{1,255}$/;

/** Top-level pages of the site that are not users. */
const SITE_PAGES = new Set([
  'charts', 'discover', 'search', 'stream', 'upload', 'you', 'settings', 'messages', 'notifications', 'pages',
  'terms-of-use', 'imprint', 'pro', 'mobile', 'jobs', 'popular', 'tags', 'people', 'signin', 'logout', 'connect',
  'feed', 'artists', 'for-artists', 'creators', 'premium', 'go', 'next', 'library',
]);

/** A user's own sub-pages: `<user>/<one of these>` is the user, not a track. */
const USER_PAGES = new Set([
  'tracks', 'sets', 'albums', 'likes', 'reposts', 'popular-tracks', 'followers', 'following', 'comments', 'spotlight', 'toptracks',
]);

/** Which entity a permalink id names, or null when it is not a canonical permalink. */
export function permalinkEntity(permalink: string): PermalinkEntity | null {
  const segments = permalink.split('/');
  if (!segments.every((segment) => SEGMENT.test(segment)) || SITE_PAGES.has(segments[0]!.toLowerCase())) return null;
  if (segments.length === 1) return 'user';
  if (segments.length === 2) return USER_PAGES.has(segments[1]!.toLowerCase()) ? null : 'track';
  if (segments.length === 3 && segments[1] === 'sets') return 'playlist';
  return null;
}

const ENTITY_OF: Record<PermalinkEntity, EntityRef['entity']> = { user: 'artist', track: 'track', playlist: 'album' };
const NUMERIC_KIND: Record<string, { entity: EntityRef['entity']; kind: string }> = {
  tracks: { entity: 'track', kind: 'track' },
  playlists: { entity: 'album', kind: 'playlist' },
  users: { entity: 'artist', kind: 'user' },
};

const SITE_HOSTS = new Set(['soundcloud.com', 'www.soundcloud.com', 'm.soundcloud.com']);
const API_HOSTS = new Set(['api.soundcloud.com', 'api-v2.soundcloud.com']);

/**
 * A SoundCloud link → the entity it names. Page links give `permalink` refs; API links
 * (`api.soundcloud.com/tracks/<n>`, also inside the embedded player's `url=`) give numeric ones.
 * Short links (`on.soundcloud.com/…`) say nothing until followed, so they are not read.
 */
export function parseSoundcloudUrl(url: URL, depth = 0): EntityRef | null {
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  const host = url.hostname.toLowerCase();
  const segments = url.pathname.split('/').filter(Boolean);
  if (API_HOSTS.has(host)) {
    const numeric = segments.length === 2 ? NUMERIC_KIND[segments[0]!] : undefined;
    return numeric && /^\d{1,20}$/.test(segments[1]!) ? { entity: numeric.entity, ref: { kind: numeric.kind, id: segments[1]! } } : null;
  }
  if (host === 'w.soundcloud.com' && depth === 0 && segments[0] === 'player') {
    const inner = url.searchParams.get('url');
    try {
      return inner ? parseSoundcloudUrl(new URL(inner), depth + 1) : null;
    } catch {
      return null;
    }
  }
  if (!SITE_HOSTS.has(host)) return null;
  // `<user>/tracks`, `<user>/sets` and the like are the user's own pages.
  const path = segments.length === 2 && USER_PAGES.has(segments[1]!.toLowerCase()) ? segments.slice(0, 1) : segments;
  const permalink = path.join('/');
  const entity = permalinkEntity(permalink);
  return entity ? { entity: ENTITY_OF[entity], ref: { kind: PERMALINK_KIND[entity], id: permalink } } : null;
}
