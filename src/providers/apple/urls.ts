import type { EntityRef } from '../types.js';

const HOSTS = new Set(['music.apple.com', 'geo.music.apple.com', 'itunes.apple.com']);
/**
 * `/us/album/<slug>/<id>`, `/us/song/<slug>/<id>` (the slug may be missing), and the older iTunes
 * form with `id` before the number (`/us/album/<slug>/id<id>`).
 */
const PAGE = /^\/(?:[a-z]{2}\/)?(album|song)\/(?:[^/]+\/)?(?:id)?(\d{1,15})\/?$/i;

/**
 * An Apple Music page → the song or album it shows. An album page with `?i=<song id>` is that
 * song's page. Artist, playlist and other pages give null: this source looks up songs and albums only.
 */
export function parseAppleMusicUrl(url: URL): EntityRef | null {
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (!HOSTS.has(url.hostname.toLowerCase())) return null;
  const match = PAGE.exec(url.pathname);
  if (!match) return null;
  const [, section, id] = match;
  if (section!.toLowerCase() === 'song') return song(id!);
  const songId = url.searchParams.get('i');
  if (songId !== null) return /^\d{1,15}$/.test(songId) ? song(songId) : null;
  return { entity: 'album', ref: { kind: 'album', id: id! } };
}

function song(id: string): EntityRef {
  return { entity: 'track', ref: { kind: 'song', id } };
}
