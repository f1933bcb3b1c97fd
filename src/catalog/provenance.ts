/**
 * What the response's `extensions.sources` reports: for each top-level field and enrichment,
 * which source answered and every attempt made (source, outcome, milliseconds).
 */
export type AttemptOutcome =
  | 'ok'
  | 'empty'
  | 'stale'
  | 'lost-hedge'
  | 'skipped-inactive'
  | 'skipped-unconfigured'
  | 'skipped-circuit-open'
  | 'rejected-mismatch'
  | Lowercase<import('../errors/source.js').SourceErrorKind>;

export interface Attempt {
  source: string;
  outcome: AttemptOutcome;
  ms: number;
  /** The answer came from a cache (in-process or shared) without calling the source. */
  cached?: boolean;
  message?: string;
}

export interface ChainReport {
  /** What was asked: `searchTracks`, `Track.cover`, … */
  field: string;
  answeredBy: string | null;
  stale: boolean;
  attempts: Attempt[];
  /** A field filled from the same recording at another source (a borrowed play link or download). */
  borrowed?: { for: string; from: string; matchedBy: string; confidence: number };
}

/** Collects reports for one request. Identical enrichments (the same cover twice) are reported once. */
export class ProvenanceLog {
  private readonly reports: ChainReport[] = [];
  private readonly borrowings = new Set<string>();

  /** True the first time `key` is seen: a borrowing is reported once however many fields use it. */
  borrowOnce(key: string): boolean {
    if (this.borrowings.has(key)) return false;
    this.borrowings.add(key);
    return true;
  }

  add(report: ChainReport): void {
    this.reports.push(report);
  }

  toJSON(): ChainReport[] {
    return this.reports;
  }
}
