import type { EntityRef } from '../types.js';
import { isIdentifier, trackNativeId } from './parse.js';

const SITE_HOSTS = new Set(['archive.org', 'www.archive.org']);
/** File names the provider lists as tracks end in one of these (its audio formats, see `audioKind`). */
const AUDIO_FILE = /\.(?:flac|wav|aiff?|mp3|ogg|oga|opus|shn|m4a|aac|wma)$/i;

/**
 * An archive.org page → what it shows: `/details/<identifier>` is an item (an album here);
 * `/details/<identifier>/<file>` and `/download/<identifier>/<file>` name one of its files, a
 * track when it is an audio file. Anything else (collections, searches, images) gives null.
 */
export function parseInternetArchiveUrl(url: URL): EntityRef | null {
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (!SITE_HOSTS.has(url.hostname.toLowerCase())) return null;
  const segments = url.pathname.split('/').slice(1);
  if (segments.at(-1) === '') segments.pop();
  const [section, rawIdentifier, ...fileParts] = segments;
  if ((section !== 'details' && section !== 'download') || !rawIdentifier) return null;
  const identifier = decoded(rawIdentifier);
  if (!identifier || !isIdentifier(identifier)) return null;
  if (fileParts.length === 0) return section === 'details' ? { entity: 'album', ref: { kind: 'item', id: identifier } } : null;
  const parts = fileParts.map(decoded);
  if (parts.some((part) => !part || part === '.' || part === '..')) return null;
  const fileName = parts.join('/');
  if (!AUDIO_FILE.test(fileName)) return null;
  return { entity: 'track', ref: { kind: 'track', id: trackNativeId(identifier, fileName) } };
}

function decoded(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}
