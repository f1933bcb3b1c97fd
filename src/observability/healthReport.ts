import { saveHealth, type ReportedHealth } from '../auth/repository.js';
import type { HealthTracker } from '../catalog/health.js';
import type { Db } from '../db/types.js';
import type { Logger } from '../logger.js';

const WRITE_EVERY_MS = 10_000;
/** Unchanged snapshots are still rewritten this often, so `reported_at` shows the instance is alive. */
const REFRESH_UNCHANGED_MS = 60_000;

/**
 * Writes this instance's view of each source's health to `source_health`, so processes with no
 * live state of their own (`npm run keys -- list`, the owner's panel through the CLI) can show
 * it. Only what changed is written, plus everything once a minute; a failed write is retried
 * at the next tick and never reaches a request.
 */
export class HealthReporter {
  private timer: NodeJS.Timeout | null = null;
  private readonly written = new Map<string, { fingerprint: string; at: number }>();
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly health: HealthTracker,
    private readonly sourceIds: () => readonly string[],
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  start(intervalMs = WRITE_EVERY_MS): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.flush(), intervalMs);
    this.timer.unref();
  }

  /** Stops the timer and writes a last report. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }

  /** Writes the snapshots that changed (or are a minute old). Never rejects. */
  flush(): Promise<void> {
    this.writing = this.writing.then(() => this.write());
    return this.writing;
  }

  private async write(): Promise<void> {
    const at = this.now();
    const due: ReportedHealth[] = [];
    const fingerprints = new Map<string, string>();
    for (const sourceId of this.sourceIds()) {
      const snapshot = this.health.snapshot(sourceId);
      const report: ReportedHealth = {
        sourceId,
        circuit: snapshot.circuit,
        lastError: snapshot.lastError,
        recentLatencyMs: snapshot.recentLatencyMs === null ? null : Math.round(snapshot.recentLatencyMs),
        successes: snapshot.successes,
        failures: snapshot.failures,
        reportedAt: at.toISOString(),
      };
      const fingerprint = JSON.stringify({ ...report, reportedAt: undefined });
      const previous = this.written.get(sourceId);
      if (previous && previous.fingerprint === fingerprint && at.getTime() - previous.at < REFRESH_UNCHANGED_MS) continue;
      due.push(report);
      fingerprints.set(sourceId, fingerprint);
    }
    if (due.length === 0) return;
    try {
      await this.db.transaction((tx) => saveHealth(tx, due));
      for (const [sourceId, fingerprint] of fingerprints) this.written.set(sourceId, { fingerprint, at: at.getTime() });
    } catch (error) {
      this.logger.warn('source health not reported yet; will retry', { error });
    }
  }
}
