import { LRUCache } from 'lru-cache';

/**
 * The in-process first cache layer: a source's parsed, mapped answer to one call (a search page,
 * an album with its tracks), kept for as long as every upstream answer it was made from stays
 * fresh, bounded by an approximate byte size. A hit costs a map lookup instead of a shared-cache
 * read, a JSON decode and the provider's mapping (for a Bandcamp album, a 450 kB HTML parse).
 * Entries are frozen: every request shares them, so nobody may change one.
 */
export class ResultCache {
  private readonly entries: LRUCache<string, { value: unknown }>;

  constructor(
    maxBytes: number,
    private readonly now: () => number = Date.now,
  ) {
    this.entries = new LRUCache<string, { value: unknown }>({
      maxSize: Math.max(1, maxBytes),
      sizeCalculation: () => 1,
      ttlAutopurge: false,
      perf: { now: () => this.now() },
    });
  }

  get<T>(key: string): T | undefined {
    return this.entries.get(key)?.value as T | undefined;
  }

  /** Keeps `value` until `freshUntil` (epoch ms); `bytes` approximates its weight. */
  set(key: string, value: unknown, freshUntil: number, bytes: number): void {
    const ttl = Math.floor(freshUntil - this.now());
    if (!Number.isFinite(ttl) || ttl <= 0) return;
    const size = Math.max(256, Math.ceil(bytes));
    if (size > this.entries.maxSize) return;
    this.entries.set(key, { value: deepFreeze(value) }, { ttl, size });
  }
}

function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  return value;
}
