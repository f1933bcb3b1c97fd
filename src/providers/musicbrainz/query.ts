import { failuresOf } from '../shared/failures.js';

export const SOURCE = 'musicbrainz';

/** Characters with a meaning in Lucene's classic query syntax, which MusicBrainz search uses. */
const LUCENE_SPECIAL = /[+\-&|!(){}[\]^"~*?:\\/]/g;

/**
 * User text as a literal Lucene query: operators escaped, and the upper-case keywords AND / OR /
 * NOT lowered so "Sex AND Violence" searches words instead of combining clauses (matching is
 * case-insensitive, so nothing is lost).
 */
export function escapeLucene(text: string): string {
  return text
    .trim()
    .replace(/\s+/g, ' ')
    .replace(LUCENE_SPECIAL, (char) => `\\${char}`)
    .replace(/\b(AND|OR|NOT)\b/g, (word) => word.toLowerCase());
}

/** MusicBrainz accepts 1..100 results per page and uses 25 when `limit` is absent. */
export const MAX_LIMIT = 100;
const DEFAULT_LIMIT = 25;

export function clampLimit(limit: number): number {
  if (!Number.isFinite(limit)) return DEFAULT_LIMIT;
  return Math.min(MAX_LIMIT, Math.max(1, Math.floor(limit)));
}

/** Cursors are the next offset as a decimal string, exactly what `nextCursor` hands out. */
export function offsetFromCursor(cursor: string | null): number {
  if (cursor === null || cursor === '') return 0;
  // A cursor we never handed out is the caller's mistake, not a reason to ask MusicBrainz.
  if (!/^\d{1,7}$/.test(cursor)) throw failuresOf(SOURCE).badInput(`"${cursor}" is not a MusicBrainz page cursor`);
  return Number(cursor);
}

/**
 * `limit` and `offset` are left out when they equal MusicBrainz's defaults: the answer is the
 * same, and the URL (and so the cache key) is the one other clients and recordings use.
 */
export function pagingParams(limit: number, offset: number): { limit?: number; offset?: number } {
  return {
    ...(limit === DEFAULT_LIMIT ? {} : { limit }),
    ...(offset === 0 ? {} : { offset }),
  };
}

/** Next page's cursor: the offset after this page, null once the total is reached or a page comes back empty. */
export function nextCursor(offset: number, received: number, total: number | null): string | null {
  if (received === 0) return null;
  const next = offset + received;
  if (total !== null && next >= total) return null;
  return String(next);
}
