import type { EntityRef } from '../types.js';

const HOSTS = new Set(['audiomack.com', 'www.audiomack.com']);
/** Audiomack's slugs: lower-case letters, digits, `-` and `_`. */
const SLUG = /^[a-z0-9][a-z0-9_-]{0,199}$/i;
/**
 * First path segments that are the site's own pages rather than an artist's (best effort: a
 * segment missing here resolves to an artist slug whose lookup then finds nothing).
 */
const SITE_PAGES = new Set([
  'about', 'albums', 'amp', 'artist', 'artists', 'browse', 'charts', 'contact-us', 'copyright', 'creators', 'dashboard',
  'edit', 'embed', 'feed', 'genres', 'join', 'legal', 'library', 'login', 'messages', 'notifications', 'oauth', 'playlist',
  'playlists', 'podcast', 'podcasts', 'premium', 'privacy-policy', 'recent', 'search', 'settings', 'songs', 'stats',
  'terms-of-service', 'top-albums', 'top-songs', 'trending-now', 'upload', 'world',
]);

export function isSlug(value: string): boolean {
  return SLUG.test(value);
}

/**
 * An audiomack.com page → what it shows: `/<artist>/song/<slug>` and `/<artist>/album/<slug>`
 * (also the older `/song/<artist>/<slug>`) name a song or album by its path, which the provider
 * looks up through `/music/<type>/<artist>/<slug>`; `/<artist>` is the artist, whose id is that
 * slug. Playlists and the site's own pages give null.
 */
export function parseAudiomackUrl(url: URL): EntityRef | null {
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (!HOSTS.has(url.hostname.toLowerCase())) return null;
  const segments = url.pathname.split('/').slice(1);
  if (segments.at(-1) === '') segments.pop();
  if (!segments.every(isSlug)) return null;
  const [first, second, third] = segments.map((segment) => segment.toLowerCase());
  if (segments.length === 1 && !SITE_PAGES.has(first!)) return { entity: 'artist', ref: { kind: 'artist', id: first! } };
  if (segments.length !== 3) return null;
  if ((second === 'song' || second === 'album') && !SITE_PAGES.has(first!)) return music(second, first!, third!);
  if (first === 'song' || first === 'album') return music(first, second!, third!);
  return null;
}

function music(kind: 'song' | 'album', artist: string, slug: string): EntityRef {
  return { entity: kind === 'song' ? 'track' : 'album', ref: { kind, id: `${artist}/${slug}` } };
}
