import type { Lyrics } from '../../domain/types.js';
import { SourceError } from '../../errors/source.js';
import { isRecord } from '../shared/drift.js';
import { seconds, text } from '../shared/parse.js';
import { parseLrc } from './lrc.js';
import type { LrclibRecord } from './types.js';

export const SOURCE = 'lrclib';

export function assertRecord(body: unknown): asserts body is LrclibRecord {
  if (!isRecord(body) || !('trackName' in body || 'id' in body)) {
    throw new SourceError(SOURCE, 'BAD_RESPONSE', 'answer is not an LRCLIB lyrics record');
  }
}

/** A search answer is a list of records; entries that are not objects are left out. */
export function assertRecordList(body: unknown): asserts body is LrclibRecord[] {
  if (!Array.isArray(body)) throw new SourceError(SOURCE, 'BAD_RESPONSE', 'search answer is not a list of lyrics records');
}

/** A name as text: user-submitted records carry stray control characters (a NUL inside a title). */
function name(value: unknown): string | null {
  return typeof value === 'string' ? text(value.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s{2,}/g, ' ')) : null;
}

/**
 * One LRCLIB record as lyrics: synced lines parsed from its LRC, plain text as given (or, when
 * only synced lyrics exist, the text of their lines). Null when it names no track or has no
 * lyrics at all; an instrumental record is lyrics with `instrumental: true` and no text.
 */
export function parseRecord(raw: LrclibRecord): Lyrics | null {
  if (!isRecord(raw)) return null;
  const trackTitle = name(raw.trackName) ?? name(raw.name);
  const artistName = name(raw.artistName);
  if (!trackTitle || !artistName) return null;
  const base = {
    source: SOURCE,
    trackTitle,
    artistName,
    durationSec: seconds(raw.duration),
    partial: false,
    copyright: null,
    language: text(raw.lang),
    // LRCLIB has no web page per record.
    url: null,
    match: null,
  };
  if (raw.instrumental === true) return { ...base, text: null, synced: null, instrumental: true };
  const syncedSource = text(raw.syncedLyrics);
  const parsed = syncedSource ? parseLrc(syncedSource) : [];
  const synced = parsed.length > 0 ? parsed : null;
  const plain = text(raw.plainLyrics)?.replace(/\r\n?/g, '\n') ?? null;
  const fromSynced = synced ? synced.map((line) => line.text).filter(Boolean).join('\n') : '';
  const body = plain ?? (fromSynced || null);
  if (!body && !synced) return null;
  return { ...base, text: body, synced, instrumental: false };
}
