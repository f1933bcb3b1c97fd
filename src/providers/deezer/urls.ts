import type { EntityRef } from '../types.js';

const SITE_HOSTS = new Set(['deezer.com', 'www.deezer.com']);
/** `/track/3135556`, `/es/album/302127`, `/en-gb/artist/27/` (the locale segment is optional). */
const ENTITY_PATH = /^\/(?:[a-z]{2}(?:-[a-z]{2})?\/)?(track|album|artist)\/([1-9]\d{0,19})\/?$/i;

/**
 * A deezer.com page → the entity it shows, without a request. Short links (`deezer.page.link/…`,
 * `link.deezer.com/s/…`) only say where they lead once fetched, so they give null.
 */
export function parseDeezerUrl(url: URL): EntityRef | null {
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (!SITE_HOSTS.has(url.hostname.toLowerCase())) return null;
  const match = ENTITY_PATH.exec(url.pathname);
  if (!match) return null;
  const entity = match[1]!.toLowerCase() as EntityRef['entity'];
  return { entity, ref: { kind: entity, id: match[2]! } };
}

/** The Deezer artist id in a link such as `https://www.deezer.com/fr/artist/27`; null for anything else. */
export function deezerArtistIdFromUrl(link: string): string | null {
  let url: URL;
  try {
    url = new URL(link.trim());
  } catch {
    return null;
  }
  const parsed = parseDeezerUrl(url);
  return parsed?.entity === 'artist' ? parsed.ref.id : null;
}
