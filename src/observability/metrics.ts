import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { HealthTracker } from '../catalog/health.js';
import type { ChainReport } from '../catalog/provenance.js';

const CIRCUIT_VALUE = { closed: 0, 'half-open': 1, open: 2 } as const;

/**
 * Prometheus metrics for operators: how each source answers (outcome and time of every chain
 * attempt), whether its circuit is open, and how GraphQL requests end. One registry per app,
 * so tests and several apps in one process never collide.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly attempts: Counter<'source' | 'outcome'>;
  private readonly attemptSeconds: Histogram<'source'>;
  private readonly staleAnswers: Counter<'source'>;
  private readonly requests: Counter<'result'>;

  constructor(health: HealthTracker, sources: () => readonly string[]) {
    collectDefaultMetrics({ register: this.registry, prefix: 'musica_' });
    this.attempts = new Counter({
      name: 'musica_source_attempts_total',
      help: 'Chain attempts per source and outcome (ok, empty, unavailable, timeout, skipped-…).',
      labelNames: ['source', 'outcome'],
      registers: [this.registry],
    });
    this.attemptSeconds = new Histogram({
      name: 'musica_source_attempt_seconds',
      help: 'Time a source took to answer a chain attempt (answered attempts only).',
      labelNames: ['source'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
    this.staleAnswers = new Counter({
      name: 'musica_stale_answers_total',
      help: 'Answers served from expired cache entries because every source failed.',
      labelNames: ['source'],
      registers: [this.registry],
    });
    this.requests = new Counter({
      name: 'musica_graphql_requests_total',
      help: 'GraphQL requests by result (ok, partial: data with errors, error).',
      labelNames: ['result'],
      registers: [this.registry],
    });
    new Gauge({
      name: 'musica_source_circuit_state',
      help: 'Circuit breaker per source: 0 closed, 1 half-open, 2 open.',
      labelNames: ['source'],
      registers: [this.registry],
      collect() {
        for (const source of sources()) this.set({ source }, CIRCUIT_VALUE[health.state(source)]);
      },
    });
  }

  observeChain(report: ChainReport): void {
    for (const attempt of report.attempts) {
      this.attempts.inc({ source: attempt.source, outcome: attempt.outcome });
      if (!attempt.outcome.startsWith('skipped') && attempt.outcome !== 'stale') {
        this.attemptSeconds.observe({ source: attempt.source }, attempt.ms / 1000);
      }
      if (attempt.outcome === 'stale') this.staleAnswers.inc({ source: attempt.source });
    }
  }

  observeRequest(result: 'ok' | 'partial' | 'error'): void {
    this.requests.inc({ result });
  }
}
