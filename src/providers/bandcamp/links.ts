import type { EntityRef } from '../types.js';
import { artistNativeIdOf, releaseIdFromUrl } from './ids.js';

/**
 * Links to Bandcamp pages → the entity they name, from the URL alone:
 *
 *   <sub>.bandcamp.com/album/<slug>              album
 *   <sub>.bandcamp.com/track/<slug>              track
 *   <sub>.bandcamp.com[/music|/releases]         artist
 *
 * A link on an artist's own domain could be any site, and telling needs a request; `parseUrl`
 * never sends one, so such links are not read (the same pages on `<sub>.bandcamp.com` are).
 */

/** Subdomains of Bandcamp's own services, not artists. */
const SERVICE_SUBDOMAINS = new Set(['www', 'daily', 'blog', 'get', 'help', 'm', 'f4', 'api', 'bandcamp']);
const ARTIST_PATHS = new Set(['', '/', '/music', '/music/', '/releases', '/releases/']);

export function parseBandcampUrl(url: URL): EntityRef | null {
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  const host = url.hostname.toLowerCase();
  if (!host.endsWith('.bandcamp.com')) return null;
  const subdomain = artistNativeIdOf(host);
  if (subdomain.includes('.') || SERVICE_SUBDOMAINS.has(subdomain)) return null;
  if (ARTIST_PATHS.has(url.pathname)) return { entity: 'artist', ref: { kind: 'artist', id: subdomain } };
  const release = releaseIdFromUrl(url.toString());
  if (!release) return null;
  return { entity: release.includes('/track/') ? 'track' : 'album', ref: { kind: release.includes('/track/') ? 'track' : 'album', id: release } };
}
