import type { Db } from '../db/types.js';
import type { Logger } from '../logger.js';
import { addUsage, type UsageFigures } from './repository.js';
import type { Principal } from './types.js';

interface PendingUsage {
  keyId: string;
  scope: string;
  day: string;
  count: number;
  lastUsedAt: string;
}

/** UTC calendar day, the unit usage is counted in. */
export function usageDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/**
 * Counts requests in memory and writes them in one transaction every few seconds, so counting
 * never adds a database write to a request. A failed write keeps the counts for the next try.
 */
export class UsageRecorder {
  private pending = new Map<string, PendingUsage>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  record(principal: Principal): void {
    const at = this.now();
    const day = usageDay(at);
    const slot = `${principal.keyId}\u0000${day}`;
    const entry = this.pending.get(slot);
    if (entry) {
      entry.count += 1;
      entry.lastUsedAt = at.toISOString();
    } else {
      this.pending.set(slot, { keyId: principal.keyId, scope: principal.scope, day, count: 1, lastUsedAt: at.toISOString() });
    }
  }

  start(intervalMs: number): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.flush(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Writes what has been counted so far. Never rejects. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.writePending());
    return this.flushing;
  }

  /** Counts not yet written, added to the stored figures so the panel is never behind. */
  unwritten(by: 'scope' | 'key', day: string): Map<string, UsageFigures> {
    const figures = new Map<string, UsageFigures>();
    for (const entry of this.pending.values()) {
      const id = by === 'scope' ? entry.scope : entry.keyId;
      const sum = figures.get(id) ?? { requestsToday: 0, requestsTotal: 0 };
      sum.requestsTotal += entry.count;
      if (entry.day === day) sum.requestsToday += entry.count;
      figures.set(id, sum);
    }
    return figures;
  }

  private async writePending(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = [...this.pending.values()];
    this.pending = new Map();
    try {
      await this.db.transaction((tx) => addUsage(tx, batch));
    } catch (error) {
      this.logger.warn('usage counts not written yet; will retry', { error, entries: batch.length });
      for (const entry of batch) this.putBack(entry);
    }
  }

  private putBack(entry: PendingUsage): void {
    const slot = `${entry.keyId}\u0000${entry.day}`;
    const current = this.pending.get(slot);
    if (!current) {
      this.pending.set(slot, entry);
      return;
    }
    current.count += entry.count;
    if (entry.lastUsedAt > current.lastUsedAt) current.lastUsedAt = entry.lastUsedAt;
  }
}

export function addFigures(stored: Map<string, UsageFigures>, unwritten: Map<string, UsageFigures>): Map<string, UsageFigures> {
  const merged = new Map<string, UsageFigures>();
  for (const [id, figures] of stored) merged.set(id, { ...figures });
  for (const [id, figures] of unwritten) {
    const sum = merged.get(id) ?? { requestsToday: 0, requestsTotal: 0 };
    sum.requestsToday += figures.requestsToday;
    sum.requestsTotal += figures.requestsTotal;
    merged.set(id, sum);
  }
  return merged;
}
