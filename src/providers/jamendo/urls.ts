import type { EntityRef } from '../types.js';

const SITE_HOSTS = new Set(['jamendo.com', 'www.jamendo.com']);
const SHORT_HOSTS = new Set(['jamen.do']);
/** `/track/1848357/manana-sera-tarde`, `/album/104336/season-one`, `/artist/376782/we-are-fm`, an optional `/en/` first. */
const ENTITY_PATH = /^\/(?:[a-z]{2}\/)?(track|album|artist)\/([1-9]\d{0,11})(?:\/[^/]*)?\/?$/i;
/** The `shareurl` of an album: `/list/a104336` (`p…` lists are playlists). */
const ALBUM_LIST_PATH = /^\/(?:[a-z]{2}\/)?list\/a([1-9]\d{0,11})\/?(?:[^/]*\/?)?$/i;
/** The `shorturl`s the API gives: `jamen.do/t/<id>`, `jamen.do/l/a<id>`, `jamen.do/a/<id>`. */
const SHORT_PATH = /^\/(t\/|a\/|l\/a)([1-9]\d{0,11})\/?$/;

const SHORT_KINDS: Record<string, EntityRef['entity']> = { 't/': 'track', 'a/': 'artist', 'l/a': 'album' };

/**
 * A Jamendo page → the entity it shows. Jamendo's own short links carry the id in their path
 * (the API hands them out as `shorturl`), so they are read too, without following them.
 */
export function parseJamendoUrl(url: URL): EntityRef | null {
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  const host = url.hostname.toLowerCase();
  if (SHORT_HOSTS.has(host)) {
    const short = SHORT_PATH.exec(url.pathname);
    return short ? ref(SHORT_KINDS[short[1]!]!, short[2]!) : null;
  }
  if (!SITE_HOSTS.has(host)) return null;
  const page = ENTITY_PATH.exec(url.pathname);
  if (page) return ref(page[1]!.toLowerCase() as EntityRef['entity'], page[2]!);
  const list = ALBUM_LIST_PATH.exec(url.pathname);
  return list ? ref('album', list[1]!) : null;
}

function ref(entity: EntityRef['entity'], id: string): EntityRef {
  return { entity, ref: { kind: entity, id } };
}
