import type { Logger } from '../../logger.js';

/**
 * Scraped payloads change without notice. A key that is present but null is ordinary data
 * ("no artwork"); a key that is absent altogether means the site renamed or dropped it. The
 * reader returns `undefined` for such a key, so the field becomes null, and logs one warning
 * per key and payload, so a layout change shows up in the logs instead of as a failed request.
 */
export class FieldReader {
  private readonly reported = new Set<string>();

  constructor(
    private readonly logger: Logger,
    /** What is being read, for the log line (`search/tracks`, `playlist 136000376`). */
    private readonly payload: string,
  ) {}

  /** `record[key]`, warning once when the key is missing from a record that should have it. */
  get(record: Record<string, unknown>, key: string, path: string = key): unknown {
    if (Object.hasOwn(record, key)) return record[key];
    this.missing(path);
    return undefined;
  }

  /** Reports a field the parser expected and could not find by any of its known names. */
  missing(path: string): void {
    if (this.reported.has(path)) return;
    this.reported.add(path);
    this.logger.warn('expected field missing from upstream payload', { payload: this.payload, field: path });
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
