import type { EntityRef } from '../types.js';
import { VIDEO_ID, type TrackKind } from './items.js';

/**
 * Links to YouTube Music and YouTube pages → the entity they name, read from the URL alone.
 *
 *   music.youtube.com/watch?v=<id>              track, kind `song`
 *   (www.|m.)youtube.com/watch?v=<id>, youtu.be/<id>   track, kind `video`
 *   music.youtube.com/browse/MPREb_…            album
 *   (music.|www.|m.)youtube.com/channel/UC…     artist
 *
 * Playlist links (`/playlist?list=OLAK5uy_…`) name an album's audio playlist, but also charts
 * and mixes: the album lookup takes only `MPREb_` browse ids, so they are not read.
 */

export const ALBUM_BROWSE_ID = /^MPREb_[A-Za-z0-9_-]{5,40}$/;
export const CHANNEL_ID = /^UC[A-Za-z0-9_-]{22}$/;

const MUSIC_HOST = 'music.youtube.com';
const VIDEO_HOSTS = new Set(['youtube.com', 'www.youtube.com', 'm.youtube.com']);

function watchRef(videoId: string | null | undefined, kind: TrackKind): EntityRef | null {
  return videoId && VIDEO_ID.test(videoId) ? { entity: 'track', ref: { kind, id: videoId } } : null;
}

export function parseYouTubeUrl(url: URL): EntityRef | null {
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  const host = url.hostname.toLowerCase();
  const isMusic = host === MUSIC_HOST;
  if (!isMusic && !VIDEO_HOSTS.has(host) && host !== 'youtu.be') return null;
  const segments = url.pathname.split('/').filter(Boolean);
  if (host === 'youtu.be') return segments.length === 1 ? watchRef(segments[0], 'video') : null;
  const [first, second] = segments;
  if (first === 'watch' && segments.length === 1) return watchRef(url.searchParams.get('v'), isMusic ? 'song' : 'video');
  if (first === 'channel' && segments.length === 2 && CHANNEL_ID.test(second!)) return { entity: 'artist', ref: { kind: 'artist', id: second! } };
  if (isMusic && first === 'browse' && segments.length === 2 && ALBUM_BROWSE_ID.test(second!)) return { entity: 'album', ref: { kind: 'album', id: second! } };
  return null;
}
