import type { SourceErrorKind } from '../errors/source.js';

export type CircuitState = 'closed' | 'open' | 'half-open';

export interface HealthSnapshot {
  circuit: CircuitState;
  lastError: { kind: SourceErrorKind; message: string; at: string } | null;
  /** Median of the most recent successful calls, in milliseconds. */
  recentLatencyMs: number | null;
  successes: number;
  failures: number;
}

interface SourceHealth {
  consecutiveFaults: number;
  openedAt: number | null;
  probing: boolean;
  lastError: HealthSnapshot['lastError'];
  latencies: number[];
  successes: number;
  failures: number;
}

const LATENCY_WINDOW = 50;

/**
 * Per-source circuit breaker and statistics. A source whose calls fault `threshold` times in a
 * row is skipped for `cooldownMs`; then exactly one call probes it (half-open) and its outcome
 * closes or re-opens the circuit. Not-found answers and cancellations are not faults.
 */
export class HealthTracker {
  private readonly sources = new Map<string, SourceHealth>();

  constructor(
    private readonly threshold: number,
    private readonly cooldownMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether a call may go to the source now; claims the half-open probe when it grants one. */
  tryAcquire(source: string): boolean {
    const health = this.get(source);
    if (health.openedAt === null) return true;
    if (this.now() - health.openedAt < this.cooldownMs || health.probing) return false;
    health.probing = true;
    return true;
  }

  state(source: string): CircuitState {
    const health = this.get(source);
    if (health.openedAt === null) return 'closed';
    return this.now() - health.openedAt < this.cooldownMs ? 'open' : 'half-open';
  }

  recordSuccess(source: string, latencyMs: number): void {
    const health = this.get(source);
    health.consecutiveFaults = 0;
    health.openedAt = null;
    health.probing = false;
    health.successes += 1;
    health.latencies.push(latencyMs);
    if (health.latencies.length > LATENCY_WINDOW) health.latencies.shift();
  }

  recordFault(source: string, kind: SourceErrorKind, message: string): void {
    const health = this.get(source);
    health.failures += 1;
    health.lastError = { kind, message, at: new Date(this.now()).toISOString() };
    health.consecutiveFaults += 1;
    if (health.probing || health.consecutiveFaults >= this.threshold) health.openedAt = this.now();
    health.probing = false;
  }

  /** A call that ended without saying anything about the source's health (not found, aborted). */
  recordNeutral(source: string): void {
    this.get(source).probing = false;
  }

  snapshot(source: string): HealthSnapshot {
    const health = this.get(source);
    const sorted = [...health.latencies].sort((a, b) => a - b);
    return {
      circuit: this.state(source),
      lastError: health.lastError,
      recentLatencyMs: sorted.length ? sorted[Math.floor(sorted.length / 2)]! : null,
      successes: health.successes,
      failures: health.failures,
    };
  }

  private get(source: string): SourceHealth {
    let health = this.sources.get(source);
    if (!health) {
      health = { consecutiveFaults: 0, openedAt: null, probing: false, lastError: null, latencies: [], successes: 0, failures: 0 };
      this.sources.set(source, health);
    }
    return health;
  }
}
