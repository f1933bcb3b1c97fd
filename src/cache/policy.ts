import type { CacheKind } from '../http/types.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** How long an answer of each kind is fresh. Charts move daily, entities rarely, lyrics almost never. */
export const FRESH_FOR: Readonly<Record<CacheKind, number>> = {
  search: 6 * HOUR,
  chart: 3 * HOUR,
  entity: DAY,
  lyrics: 7 * DAY,
  token: 12 * HOUR,
  none: 0,
};

/** "Not found" is remembered briefly so a typo is not re-asked every request, yet new entries appear soon. */
export const NOT_FOUND_FRESH_FOR = 10 * MINUTE;

/**
 * Expired entries are kept this much longer, to answer (marked stale) when every source fails.
 * Stale data beats no data for a catalogue; the provenance says it is stale.
 */
export const STALE_KEPT_FOR = 14 * DAY;

/** A host a source named in its own answer (a Bandcamp custom domain) stays reachable this long after it was last seen. */
export const TRUSTED_HOST_KEPT_FOR = 30 * DAY;
