import path from 'node:path';

/**
 * Storage layout `<MUSIC_DIR>/<Artist>/<Album>/<NN> - <Title>.<ext>` and the rules that keep
 * every name inside MUSIC_DIR and portable: names come from upstream metadata, which anyone can
 * write, so they are treated as hostile.
 */

/** Most filesystems cap a name at 255 bytes; directory names keep room for readability. */
const MAX_DIR_NAME_BYTES = 120;
const MAX_FILE_NAME_BYTES = 200;

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$/i;
/** Path separators and the characters Windows refuses in names. */
const RESERVED_CHARS = /[<>:"/\\|?*]/g;
/** C0/C1 controls, bidirectional overrides and marks, zero-width and other invisible format characters. */
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u061c\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]/g;

/** Made on the first name cut, not at start (ICU's break rules load with it). */
let graphemes: Intl.Segmenter | undefined;
function graphemeSegmenter(): Intl.Segmenter {
  return (graphemes ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' }));
}

/**
 * One safe path segment: NFC, no separators, controls or bidi marks, no leading dots (so never
 * `.`/`..` nor hidden), no trailing dots or spaces, not a Windows device name, at most
 * `maxBytes` of UTF-8 cut on a grapheme boundary. Never empty.
 */
export function sanitizeSegment(raw: string, maxBytes: number, fallback = '_'): string {
  let name = raw
    .normalize('NFC')
    .replace(/[\t\n\v\f\r\u0085\u2028\u2029]/g, ' ')
    .replace(INVISIBLE, '')
    .replace(RESERVED_CHARS, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[.\s]+/, '')
    .replace(/[.\s]+$/, '');
  if (name === '') name = fallback;
  const stem = name.split('.')[0] ?? name;
  if (WINDOWS_RESERVED.test(stem.trim())) name = `_${name}`;
  name = truncateBytes(name, maxBytes).replace(/[.\s]+$/, '');
  return name === '' ? fallback : name;
}

/** Cuts `text` to at most `maxBytes` of UTF-8 without splitting a character or an emoji sequence. */
export function truncateBytes(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  let out = '';
  let used = 0;
  for (const { segment } of graphemeSegmenter().segment(text)) {
    const size = Buffer.byteLength(segment);
    if (used + size > maxBytes) break;
    out += segment;
    used += size;
  }
  return out;
}

export interface LayoutInput {
  artist: string;
  album: string | null;
  title: string;
  trackNumber: number | null;
}

/** Directory (relative, `/`-separated) and file stem for a track; the caller adds extension and collision suffix. */
export function layoutFor(input: LayoutInput): { dir: string; stem: string } {
  const artist = sanitizeSegment(input.artist, MAX_DIR_NAME_BYTES, 'Artista desconocido');
  const album = sanitizeSegment(input.album ?? '', MAX_DIR_NAME_BYTES, 'Sin álbum');
  const title = sanitizeSegment(input.title, MAX_FILE_NAME_BYTES, 'Sin título');
  const number = input.trackNumber !== null && Number.isInteger(input.trackNumber) && input.trackNumber > 0
    ? `${String(input.trackNumber).padStart(2, '0')} - `
    : '';
  return { dir: `${artist}/${album}`, stem: `${number}${title}` };
}

/**
 * File name for `stem` + `ext`, with ` (n)` when `attempt` > 1, still within the byte cap: the
 * stem is shortened, never the suffix or the extension.
 */
export function fileName(stem: string, ext: string, attempt = 1): string {
  const suffix = attempt > 1 ? ` (${attempt})` : '';
  const room = MAX_FILE_NAME_BYTES - Buffer.byteLength(`${suffix}.${ext}`);
  const base = truncateBytes(stem, room).replace(/[.\s]+$/, '') || '_';
  return `${base}${suffix}.${ext}`;
}

/**
 * Resolves a stored relative path against MUSIC_DIR and proves it stays inside. Every path that
 * reaches the filesystem goes through here, whatever produced it.
 */
export function resolveInside(root: string, relative: string): string {
  const segments = relative.split('/');
  if (segments.some((segment) => segment === '' || segment === '.' || segment === '..' || segment.startsWith('.') || segment.includes('\\') || segment.includes('\0'))) {
    throw new Error('unsafe relative path');
  }
  const base = path.resolve(root);
  const full = path.resolve(base, ...segments);
  if (!full.startsWith(base + path.sep)) throw new Error('path escapes the music directory');
  return full;
}
