import { ApiError } from '../errors/api.js';
import { SourceError, isSourceError } from '../errors/source.js';
import type { CallContext, Provider } from '../providers/types.js';
import type { HealthTracker } from './health.js';
import type { Attempt, AttemptOutcome, ChainReport } from './provenance.js';

export interface ChainRequest<T> {
  /** Reported as the field in provenance: `searchTracks`, `Artist.biography`, … */
  field: string;
  /** Sources in order, already filtered for scope, status and support. */
  candidates: readonly Provider[];
  /** Attempts already decided before running (skipped sources), reported in order. */
  skipped?: readonly Attempt[];
  call: (provider: Provider, ctx: CallContext) => Promise<T>;
  /** An empty answer moves on to the next source (searches, charts, lyrics, biographies). */
  isEmpty?: (value: T) => boolean;
  /**
   * A post-check on a non-empty answer (lyrics matching): returning a reason rejects the answer
   * as if the source had been empty.
   */
  reject?: (value: T) => string | null;
  /** Start the next source in parallel when the current one has not answered after this long. */
  hedgeDelayMs: number;
  health: HealthTracker;
  signal: AbortSignal;
  languages: readonly string[];
  /** Try cache-only answers, however old, when every source failed (default true). */
  staleFallback?: boolean;
}

export interface ChainResult<T> {
  value: T;
  source: string;
  report: ChainReport;
}

type Settled<T> =
  | { index: number; kind: 'value'; value: T; ms: number }
  | { index: number; kind: 'empty'; value: T; ms: number; reason?: string }
  | { index: number; kind: 'error'; error: SourceError; ms: number };

/**
 * Runs one capability across an ordered list of sources.
 *
 * The first source starts at once. The next one starts when the current fails or answers
 * empty, or — hedging — when it has not answered within `hedgeDelayMs`; the first good answer
 * wins and the others are aborted. A slow source therefore costs at most the hedge delay, not
 * its timeout. When every source fails, cached answers (however old) are tried in the same
 * order, and only then does the chain give up with `SOURCES_UNAVAILABLE`.
 * An empty answer is a real answer: when nothing better comes, the first empty one is returned.
 */
export async function runChain<T>(request: ChainRequest<T>): Promise<ChainResult<T>> {
  const attempts: Attempt[] = [...(request.skipped ?? [])];
  const { candidates } = request;
  if (candidates.length === 0) {
    throw new ApiError('SOURCES_UNAVAILABLE', `No source can answer ${request.field} right now.`, {
      attempts: attempts.map(publicAttempt),
    });
  }

  const controllers = candidates.map(() => new AbortController());
  const onParentAbort = () => controllers.forEach((controller) => controller.abort());
  request.signal.addEventListener('abort', onParentAbort, { once: true });

  const results: (Settled<T> | undefined)[] = [];
  const attemptSlots: (Attempt | undefined)[] = [];
  const startedAt: (number | undefined)[] = [];
  let firstEmpty: Settled<T> | undefined;

  try {
    const winner = await new Promise<Settled<T> | undefined>((resolve) => {
      let next = 0;
      let running = 0;
      let done = false;
      let hedgeTimer: NodeJS.Timeout | undefined;

      const startNext = () => {
        if (done) return;
        clearTimeout(hedgeTimer);
        while (next < candidates.length) {
          const index = next++;
          const provider = candidates[index]!;
          if (!request.health.tryAcquire(provider.id)) {
            attemptSlots[index] = { source: provider.id, outcome: 'skipped-circuit-open', ms: 0 };
            continue;
          }
          running += 1;
          startedAt[index] = performance.now();
          void attempt(index).then(onSettled);
          if (next < candidates.length && request.hedgeDelayMs > 0) {
            hedgeTimer = setTimeout(startNext, request.hedgeDelayMs);
          }
          return;
        }
        if (running === 0) finish(undefined);
      };

      const finish = (value: Settled<T> | undefined) => {
        if (done) return;
        done = true;
        clearTimeout(hedgeTimer);
        resolve(value);
      };

      const onSettled = (settled: Settled<T>) => {
        running -= 1;
        results[settled.index] = settled;
        if (done) return;
        if (settled.kind === 'value') {
          finish(settled);
          return;
        }
        // A rejected answer (wrong song) is never served, not even as the empty fallback.
        if (settled.kind === 'empty' && !settled.reason && (!firstEmpty || settled.index < firstEmpty.index)) firstEmpty = settled;
        startNext();
      };

      const attempt = async (index: number): Promise<Settled<T>> => {
        const provider = candidates[index]!;
        const started = performance.now();
        const ctx: CallContext = { signal: controllers[index]!.signal, languages: request.languages, cacheMode: 'normal' };
        try {
          const value = await request.call(provider, ctx);
          const ms = elapsed(started);
          request.health.recordSuccess(provider.id, ms);
          if (request.isEmpty?.(value)) return { index, kind: 'empty', value, ms };
          const rejection = request.reject?.(value);
          if (rejection) return { index, kind: 'empty', value, ms, reason: rejection };
          return { index, kind: 'value', value, ms };
        } catch (error) {
          const ms = elapsed(started);
          const sourceError = asSourceError(provider.id, error, controllers[index]!.signal);
          if (sourceError.isFault) request.health.recordFault(provider.id, sourceError.kind, sourceError.message);
          else request.health.recordNeutral(provider.id);
          return { index, kind: 'error', error: sourceError, ms };
        }
      };

      startNext();
    });

    // Losers of a hedge are cancelled; their attempts are still reported.
    controllers.forEach((controller, index) => {
      if (index !== winner?.index) controller.abort();
    });

    for (let index = 0; index < candidates.length; index += 1) {
      const settled = results[index];
      const provider = candidates[index]!;
      if (attemptSlots[index]) attempts.push(attemptSlots[index]!);
      else if (settled) attempts.push(describe(provider.id, settled, winner));
      else if (startedAt[index] !== undefined) {
        attempts.push({ source: provider.id, outcome: 'lost-hedge', ms: elapsed(startedAt[index]!) });
      }
    }

    const chosen = winner ?? firstEmpty;
    if (chosen && chosen.kind !== 'error') {
      return {
        value: chosen.value,
        source: candidates[chosen.index]!.id,
        report: { field: request.field, answeredBy: candidates[chosen.index]!.id, stale: false, attempts },
      };
    }

    // Every source answered, and none had it (not found, or only the wrong song): that is an
    // answer, not an outage — no stale fallback, which would bring back what was just rejected.
    const answered = results.every((r) => r === undefined || r.kind === 'empty' || (r.kind === 'error' && r.error.kind === 'NOT_FOUND'));
    if (answered && results.some((r) => r !== undefined)) {
      throw new ApiError('NOT_FOUND', notFoundMessage(request.field, candidates), { attempts: attempts.map(publicAttempt) });
    }

    if (request.staleFallback !== false) {
      const stale = await staleAnswer(request, attempts);
      if (stale) return stale;
    }
    throw new ApiError('SOURCES_UNAVAILABLE', `No source could answer ${request.field}: ${summarise(attempts)}.`, {
      attempts: attempts.map(publicAttempt),
    });
  } finally {
    request.signal.removeEventListener('abort', onParentAbort);
  }
}

async function staleAnswer<T>(request: ChainRequest<T>, attempts: Attempt[]): Promise<ChainResult<T> | null> {
  for (const provider of request.candidates) {
    const started = performance.now();
    try {
      const value = await request.call(provider, { signal: request.signal, languages: request.languages, cacheMode: 'stale-only' });
      if (request.isEmpty?.(value) || request.reject?.(value)) continue;
      attempts.push({ source: provider.id, outcome: 'stale', ms: elapsed(started) });
      return { value, source: provider.id, report: { field: request.field, answeredBy: provider.id, stale: true, attempts } };
    } catch {
      // Nothing cached for this source; try the next.
    }
  }
  return null;
}

function describe<T>(source: string, settled: Settled<T>, winner: Settled<T> | undefined): Attempt {
  if (settled.kind === 'value') {
    return { source, outcome: settled === winner ? 'ok' : 'lost-hedge', ms: settled.ms };
  }
  if (settled.kind === 'empty') {
    return settled.reason
      ? { source, outcome: 'rejected-mismatch', ms: settled.ms, message: settled.reason }
      : { source, outcome: 'empty', ms: settled.ms };
  }
  const outcome = settled.error.kind === 'ABORTED' && winner ? 'lost-hedge' : (settled.error.kind.toLowerCase() as AttemptOutcome);
  return { source, outcome, ms: settled.ms, message: settled.error.message };
}

function asSourceError(source: string, error: unknown, signal: AbortSignal): SourceError {
  if (isSourceError(error)) return error;
  if (signal.aborted) return new SourceError(source, 'ABORTED', 'cancelled');
  // A provider bug is still only this source's failure: the chain moves on.
  return new SourceError(source, 'BAD_RESPONSE', (error as Error)?.message ?? String(error), { cause: error });
}

function notFoundMessage(field: string, candidates: readonly Provider[]): string {
  if (candidates.length === 1) return `${candidates[0]!.name} has no such item (${field}).`;
  return `No source has a match for ${field} (asked: ${candidates.map((p) => p.name).join(', ')}).`;
}

function summarise(attempts: readonly Attempt[]): string {
  if (attempts.length === 0) return 'no source is available';
  return attempts.map((a) => `${a.source} ${a.outcome}`).join(', ');
}

export function publicAttempt(attempt: Attempt): Attempt {
  return { source: attempt.source, outcome: attempt.outcome, ms: attempt.ms, ...(attempt.message ? { message: attempt.message } : {}) };
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}
