import type { SourceErrorKind } from '../errors/source.js';
import { silentLogger, type Logger } from '../logger.js';

export type CircuitState = 'closed' | 'open' | 'half-open';

export interface HealthSnapshot {
  circuit: CircuitState;
  lastError: { kind: SourceErrorKind; message: string; at: string } | null;
  /** Median of the most recent successful calls, in milliseconds. */
  recentLatencyMs: number | null;
  successes: number;
  failures: number;
}

export interface HealthOptions {
  /** Consecutive faults that open a source's circuit. */
  threshold: number;
  /** How long an open circuit refuses calls before it lets a probe through. */
  cooldownMs: number;
  /** Successful probes in a row that close a half-open circuit (DESIGN: more than one). */
  closeAfter?: number;
  now?: () => number;
  logger?: Logger;
}

interface SourceHealth {
  consecutiveFaults: number;
  openedAt: number | null;
  /** A probe is out: nobody else may call until it reports. */
  probing: boolean;
  /** Successful probes since the circuit half-opened. */
  probeSuccesses: number;
  lastError: HealthSnapshot['lastError'];
  latencies: number[];
  successes: number;
  failures: number;
}

const LATENCY_WINDOW = 50;

/** The request whose call is being recorded, so a circuit's log line names what moved it. */
export interface HealthEventContext {
  requestId?: string;
}

/**
 * Per-source circuit breaker and statistics, with Navidrome's semantics: a source whose real
 * upstream calls fault `threshold` times in a row is skipped for `cooldownMs`; then one call at a
 * time probes it, and `closeAfter` successful probes in a row close the circuit while any failed
 * probe re-opens it. Only real upstream calls are recorded here (the catalog decides that):
 * cache hits, not-found answers, cancellations and the caller's own mistakes say nothing about a
 * source's health.
 *
 * Written by hand on purpose, not with a policy library such as cockatiel (removed): the chain
 * (chain.ts) decides what a call says about a source — a hedge loser cancelled after the hedge
 * delay is a fault but one cancelled sooner is neutral, a not-found or the caller's own bad
 * input is neutral, an open circuit still serves a fresh cached answer — and a half-open
 * circuit lets one probe at a time and closes only after `closeAfter` probes in a row. A policy
 * wrapper around the call sees only "threw or not" and owns the call itself, so none of that
 * fits it. The retries live in the upstream client for the same reason (Retry-After, budget).
 */
export class HealthTracker {
  private readonly sources = new Map<string, SourceHealth>();
  private readonly threshold: number;
  private readonly cooldownMs: number;
  private readonly closeAfter: number;
  private readonly now: () => number;
  private readonly logger: Logger;

  constructor(options: HealthOptions) {
    this.threshold = options.threshold;
    this.cooldownMs = options.cooldownMs;
    this.closeAfter = Math.max(1, options.closeAfter ?? 2);
    this.now = options.now ?? Date.now;
    this.logger = options.logger ?? silentLogger;
  }

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

  recordSuccess(source: string, latencyMs: number, context: HealthEventContext = {}): void {
    const health = this.get(source);
    health.consecutiveFaults = 0;
    health.successes += 1;
    health.latencies.push(latencyMs);
    if (health.latencies.length > LATENCY_WINDOW) health.latencies.shift();
    if (health.openedAt === null) return;
    health.probing = false;
    health.probeSuccesses += 1;
    if (health.probeSuccesses >= this.closeAfter) {
      health.openedAt = null;
      health.probeSuccesses = 0;
      this.logger.warn('circuit closed', { source, kind: 'CIRCUIT_CLOSED', requestId: context.requestId });
    } else {
      // The next probe may go at once: the source answered, it just has to do it again.
      health.openedAt = this.now() - this.cooldownMs;
    }
  }

  recordFault(source: string, kind: SourceErrorKind, message: string, context: HealthEventContext = {}): void {
    const health = this.get(source);
    health.failures += 1;
    health.lastError = { kind, message, at: new Date(this.now()).toISOString() };
    health.consecutiveFaults += 1;
    const wasOpen = health.openedAt !== null;
    if (wasOpen || health.consecutiveFaults >= this.threshold) {
      health.openedAt = this.now();
      health.probeSuccesses = 0;
      if (!wasOpen) {
        this.logger.warn('circuit opened', { source, kind: 'CIRCUIT_OPENED', after: health.consecutiveFaults, lastFault: kind, requestId: context.requestId });
      }
    }
    health.probing = false;
  }

  /** A call that ended without saying anything about the source's health: frees a claimed probe. */
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
      health = { consecutiveFaults: 0, openedAt: null, probing: false, probeSuccesses: 0, lastError: null, latencies: [], successes: 0, failures: 0 };
      this.sources.set(source, health);
    }
    return health;
  }
}
