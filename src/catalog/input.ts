import { badInput } from '../errors/api.js';
import { parseGlobalId, type GlobalId } from '../domain/ids.js';

export const DEFAULT_PAGE_SIZE = 10;
export const MAX_PAGE_SIZE = 50;

/** Trims, folds whitespace and refuses empty or oversized search text before anything goes upstream. */
export function searchText(value: string, maxLength: number, field = 'query'): string {
  // eslint-disable-next-line no-control-regex
  const cleaned = value.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
  if (cleaned.length === 0) throw badInput(`"${field}" must not be empty.`, field);
  if (cleaned.length > maxLength) {
    throw badInput(`"${field}" is ${cleaned.length} characters long; the limit is ${maxLength}.`, field);
  }
  return cleaned;
}

export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw badInput(`"first" must be between 1 and ${MAX_PAGE_SIZE} (got ${first}).`, 'first');
  }
  return first;
}

export function globalId(value: string, field = 'id'): GlobalId {
  const parsed = parseGlobalId(value);
  if (!parsed) {
    throw badInput(`"${field}" is not a valid id: expected <source>:<kind>:<id>, like musicbrainz:recording:<mbid>.`, field);
  }
  return parsed;
}

/** ISO 3166-1 alpha-2, any case; `GLOBAL`/empty/null for the worldwide chart. */
export function countryCode(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const upper = value.trim().toUpperCase();
  if (upper === '' || upper === 'GLOBAL') return null;
  if (!/^[A-Z]{2}$/.test(upper)) throw badInput(`"country" must be an ISO 3166-1 alpha-2 code like ES or MX (got "${value}").`, 'country');
  return upper;
}

/** Language tags from a `lang` argument: `es`, `pt-BR`; falls back to the configured defaults. */
export function languages(lang: string | null | undefined, defaults: readonly string[]): string[] {
  if (!lang) return [...defaults];
  const tag = lang.trim();
  if (!/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})?$/.test(tag)) throw badInput(`"lang" must be a language code like es or en (got "${lang}").`, 'lang');
  const primary = tag.slice(0, 2).toLowerCase();
  return [primary, ...defaults.filter((l) => l !== primary)];
}

export function durationSeconds(value: number | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  if (!Number.isInteger(value) || value < 1 || value > 24 * 3600) throw badInput('"duration" must be a number of seconds between 1 and 86400.', 'duration');
  return value;
}
