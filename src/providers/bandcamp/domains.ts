import { parseGlobalId } from '../../domain/ids.js';
import { isRecord } from '../shared/drift.js';
import { SOURCE, isCustomDomain } from './ids.js';

/**
 * Bandcamp Pro artists serve their pages from their own domain (`lorangeproductions.com`), and
 * Bandcamp's answers name it: the mobile API's `bandcamp_url`, search and autocomplete item URLs,
 * a subdomain's redirect. An id is a string a caller can type, though, so a custom domain in an
 * id proves nothing: the provider fetches one only after a Bandcamp answer named it, by telling
 * the upstream client to trust it then (`client.trustHost`, remembered in the shared cache for
 * 30 days). Until then the client refuses the host before connecting, and the lookup is
 * NOT_FOUND: to the caller it is an id Bandcamp never gave, and nothing was sent anywhere.
 *
 * Learning happens where the gateway hands ids out: every custom domain in the ids of a result
 * built from Bandcamp's own answers is trusted before the result is returned, so each id it
 * gives resolves. Answers served by a custom domain never teach: its owner controls them.
 */

const MAX_DEPTH = 8;

/** The custom domains the Bandcamp ids (`id` fields, at any depth) of `value` are on. */
export function customDomainsIn(value: unknown): Set<string> {
  const found = new Set<string>();
  const visit = (node: unknown, depth: number): void => {
    if (depth > MAX_DEPTH) return;
    if (Array.isArray(node)) {
      for (const item of node) visit(item, depth + 1);
      return;
    }
    if (!isRecord(node)) return;
    for (const [key, child] of Object.entries(node)) {
      if (key === 'id' && typeof child === 'string') {
        const host = customDomainOfId(child);
        if (host) found.add(host);
      } else if (typeof child === 'object' && child !== null) {
        visit(child, depth + 1);
      }
    }
  };
  visit(value, 0);
  return found;
}

/** `bandcamp:album:music.example.org/album/x` → `music.example.org`; null for subdomain or numeric ids. */
function customDomainOfId(globalId: string): string | null {
  const parsed = parseGlobalId(globalId);
  if (parsed?.source !== SOURCE) return null;
  const first = parsed.nativeId.split('/')[0]!.toLowerCase();
  return isCustomDomain(first) ? first : null;
}
