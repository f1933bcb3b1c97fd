import { formatGlobalId } from '../../domain/ids.js';

/**
 * Bandcamp has no public id for a page, so the native id is the page's address:
 *
 *   artist  `<subdomain>`                      https://<subdomain>.bandcamp.com/
 *   release `<subdomain>/album/<slug>`         https://<subdomain>.bandcamp.com/album/<slug>
 *           `<subdomain>/track/<slug>`         https://<subdomain>.bandcamp.com/track/<slug>
 *
 * e.g. `bandcamp:album:macbenson/album/coming-of-age`, `bandcamp:track:macbenson/track/divine-2`.
 * Artists on their own domain keep the whole host (`music.example.org/album/x`); a dot in the
 * first segment tells the two apart, since Bandcamp subdomains have none. A single sold as a
 * track is an album whose path is `/track/…`.
 *
 * A custom domain is a host anyone could type, so such an id is only fetched once a Bandcamp
 * answer has named that domain (see `domains.ts`); a `*.bandcamp.com` host is always written in
 * the subdomain form.
 *
 * Items known only by number (the mobile API's discography) use `<band_id>:<a|t><item_id>`,
 * `a` for an album and `t` for a track, e.g. `bandcamp:album:2464198920:a2572654767`.
 */

export const SOURCE = 'bandcamp';

export type ReleaseKind = 'album' | 'track';

export interface PageRef {
  form: 'page';
  host: string;
  kind: ReleaseKind;
  slug: string;
}

export interface NumericRef {
  form: 'numeric';
  bandId: string;
  kind: ReleaseKind;
  itemId: string;
}

const SUBDOMAIN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;
const HOST = /^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const SLUG = /^[a-z0-9][a-z0-9_-]{0,200}$/i;

/** bandcamp.com itself and its subdomains: Bandcamp's own servers, declared in the provider's hosts. */
export function isBandcampHost(host: string): boolean {
  const lower = host.toLowerCase();
  return lower === 'bandcamp.com' || lower.endsWith('.bandcamp.com');
}

/** A host that could be an artist's own domain on Bandcamp (a public name, not Bandcamp's). */
export function isCustomDomain(host: string): boolean {
  return HOST.test(host) && !isBandcampHost(host);
}

/** `macbenson` → `macbenson.bandcamp.com`; a custom domain stays as it is. */
export function hostOf(artistNativeId: string): string | null {
  const value = artistNativeId.trim().toLowerCase();
  if (SUBDOMAIN.test(value)) return `${value}.bandcamp.com`;
  if (isCustomDomain(value)) return value;
  return null;
}

/** The inverse of `hostOf`. */
export function artistNativeIdOf(host: string): string {
  const lower = host.toLowerCase();
  return lower.endsWith('.bandcamp.com') ? lower.slice(0, -'.bandcamp.com'.length) : lower;
}

export function artistPageUrl(artistNativeId: string): string | null {
  const host = hostOf(artistNativeId);
  return host ? `https://${host}/` : null;
}

export function parseReleaseId(nativeId: string): PageRef | NumericRef | null {
  const numeric = /^(\d+):([at])(\d+)$/.exec(nativeId);
  if (numeric) return { form: 'numeric', bandId: numeric[1]!, kind: numeric[2] === 'a' ? 'album' : 'track', itemId: numeric[3]! };
  const parts = nativeId.split('/');
  if (parts.length !== 3) return null;
  const [artist, kind, slug] = parts as [string, string, string];
  const host = hostOf(artist);
  if (!host || (kind !== 'album' && kind !== 'track') || !SLUG.test(slug)) return null;
  return { form: 'page', host, kind, slug };
}

export function releasePageUrl(ref: PageRef): string {
  return `https://${ref.host}/${ref.kind}/${ref.slug}`;
}

/**
 * A release page URL (absolute, or relative to `base`) → its native id; null for anything that
 * is not `/<album|track>/<slug>` on some host. Tracking parameters are dropped.
 */
export function releaseIdFromUrl(url: string, base?: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url, base);
  } catch {
    return null;
  }
  const match = /^\/+(album|track)\/([^/?#]+)\/?$/.exec(parsed.pathname);
  if (!match || !/^https?:$/.test(parsed.protocol)) return null;
  const slug = decodeURIComponent(match[2]!);
  if (!SLUG.test(slug) || !hostOf(artistNativeIdOf(parsed.hostname))) return null;
  return `${artistNativeIdOf(parsed.hostname)}/${match[1]}/${slug}`;
}

export function artistIdFromUrl(url: string): string | null {
  try {
    const parsed = new URL(url);
    const id = artistNativeIdOf(parsed.hostname);
    return hostOf(id) ? formatGlobalId(SOURCE, 'artist', id) : null;
  } catch {
    return null;
  }
}

export const releaseGlobalId = (kind: 'album' | 'track', nativeId: string) => formatGlobalId(SOURCE, kind, nativeId);
export const numericReleaseId = (bandId: number | string, kind: ReleaseKind, itemId: number | string) =>
  `${bandId}:${kind === 'album' ? 'a' : 't'}${itemId}`;
