/**
 * Small tolerant readers for upstream payloads. Sources send numbers as strings, empty strings
 * for missing values and a single object where a list is expected; these helpers absorb that
 * once so parsers can stay declarative.
 */

/** `undefined`, `null`, `''` and whitespace become null; everything else a trimmed string. */
export function text(value: unknown): string | null {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    return trimmed === '' ? null : trimmed;
  }
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

/** A percent-encoded part decoded and trimmed; null when empty or not valid percent-encoding. */
export function decodedText(part: string): string | null {
  try {
    return text(decodeURIComponent(part));
  } catch {
    return null;
  }
}

/** Numbers and numeric strings become numbers; anything else null. */
export function num(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : null;
  }
  return null;
}

/** A single item or an array (or nothing) as an array. */
export function list<T>(value: T | T[] | null | undefined): T[] {
  if (value === null || value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** `"3:45"`, `"1:02:03"` → seconds; null when it is not a clock time. */
export function clockToSeconds(value: unknown): number | null {
  const raw = text(value);
  if (!raw || !/^\d{1,3}(:\d{1,2}){1,2}$/.test(raw)) return null;
  return raw.split(':').reduce((total, part) => total * 60 + Number(part), 0);
}

/** Milliseconds → whole seconds (rounded), keeping null for unknown or non-positive values. */
export function msToSeconds(value: unknown): number | null {
  const ms = num(value);
  return ms === null || ms <= 0 ? null : Math.round(ms / 1000);
}

/** Positive seconds as an integer, null otherwise. */
export function seconds(value: unknown): number | null {
  const s = num(value);
  return s === null || s <= 0 ? null : Math.round(s);
}

/** Keeps `YYYY`, `YYYY-MM` or `YYYY-MM-DD` from the start of a date string. */
export function partialDate(value: unknown): string | null {
  const raw = text(value);
  if (!raw) return null;
  const match = /^(\d{4})(-\d{2})?(-\d{2})?/.exec(raw);
  return match ? match[0] : null;
}

/** Strips HTML tags and decodes the common entities, for biographies sent as HTML. */
export function stripHtml(value: unknown): string | null {
  const raw = text(value);
  if (!raw) return null;
  const stripped = raw
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/p>/gi, '\n\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&quot;/g, '"')
    .replace(/&#0?39;|&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return stripped === '' ? null : stripped;
}

/** A requested page size as a whole number between 1 and the source's own maximum. */
export function pageLimit(limit: number, max: number): number {
  return Math.min(Math.max(1, Math.floor(limit) || 1), max);
}

/** The items that parsed, dropping the nulls of those that did not. */
export function compact<T>(items: readonly (T | null)[]): T[] {
  return items.filter((item): item is T => item !== null);
}
