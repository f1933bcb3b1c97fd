import type Keyv from 'keyv';
import type { ResultCache } from '../cache/results.js';
import { ApiError, type ApiErrorCode, type Text } from '../errors/api.js';
import { DeadlineReached, SourceError, abortedCall, isSourceError, type SourceErrorKind } from '../errors/source.js';
import type { CallTrace, UpstreamBudget } from '../http/types.js';
import { traced } from './traced.js';
import type { Logger } from '../logger.js';
import type { CallContext, Provider } from '../providers/types.js';
import type { HealthTracker } from './health.js';
import type { Attempt, AttemptOutcome, ChainReport } from './provenance.js';

/** One capability asked of an ordered list of sources. */
export interface ChainRequest<T> {
  /** Reported as the field in provenance: `searchTracks`, `Artist.biography`, … */
  field: string;
  /** Sources in order, already filtered for scope, status and support. */
  candidates: readonly Provider[];
  /** Sources left out before running (inactive, unconfigured), reported first. */
  skipped?: readonly Attempt[];
  call: (provider: Provider, ctx: CallContext) => Promise<T>;
  /**
   * What was asked, as a key: with it, a source's answer is kept in the in-process result cache
   * for as long as the upstream answers it was made from stay fresh. Without it, nothing is kept.
   */
  memo?: string;
  /** An empty answer moves on to the next source (searches, charts, lyrics, biographies). */
  isEmpty?: (value: T) => boolean;
  /** A post-check on a non-empty answer (lyrics matching): a reason rejects it like an empty one. */
  reject?: (value: T) => string | null;
  /** Try cached answers, however old, when every source failed (default true). */
  staleFallback?: boolean;
}

/** What a chain needs from the request it runs in. */
export interface ChainEnv {
  hedgeDelayMs: number;
  health: HealthTracker;
  signal: AbortSignal;
  languages: readonly string[];
  results: ResultCache;
  /** The shared upstream cache, to drop entries a source's own parser rejected. */
  cache: Keyv;
  logger: Logger;
  budget?: UpstreamBudget;
  requestId?: string;
}

export type ChainResult<T> =
  | { ok: true; value: T; source: string; report: ChainReport }
  | { ok: false; error: ApiError; report: ChainReport };

type Settled<T> =
  | { index: number; kind: 'value'; value: T; ms: number; cached: boolean }
  | { index: number; kind: 'empty'; value: T; ms: number; reason?: string }
  | { index: number; kind: 'error'; error: SourceError; ms: number };

/** Failures that are the request's own doing; the chain reports them under their own code. */
const REQUEST_LIMITS: Partial<Record<SourceErrorKind, ApiErrorCode>> = {
  BUDGET_EXCEEDED: 'BUDGET_EXCEEDED',
  DEADLINE_EXCEEDED: 'DEADLINE_EXCEEDED',
  BAD_INPUT: 'BAD_USER_INPUT',
};

/**
 * Runs one capability across an ordered list of sources and always returns its report.
 *
 * The first source starts at once; the next starts when the current fails or answers empty, or —
 * hedging — when it has not answered within `hedgeDelayMs`. The first good answer wins and the
 * others are cancelled. A source whose circuit is open is asked only for a fresh cached answer.
 * When every source failed, cached answers (however old) are tried in the same order, and only
 * then does the chain give up. An empty answer is a real answer: when nothing better comes, the
 * first empty one is returned.
 */
export async function runChain<T>(request: ChainRequest<T>, env: ChainEnv): Promise<ChainResult<T>> {
  const attempts: Attempt[] = [...(request.skipped ?? [])];
  const finish = (error: ApiError): ChainResult<T> => ({ ok: false, error, report: report(request.field, null, false, attempts) });
  if (request.candidates.length === 0) {
    return finish(
      new ApiError(
        'SOURCES_UNAVAILABLE',
        { en: `No source can answer ${request.field} right now.`, es: `Ahora mismo ninguna fuente puede responder a ${request.field}.` },
        { attempts: attempts.map(publicAttempt) },
      ),
    );
  }

  const runner = new AttemptRunner(request, env);
  const { winner, settled } = await raceWithHedging(request.candidates.length, env.hedgeDelayMs, env.signal, (index) => runner.start(index), runner.isFinal);
  runner.cancelAllBut(winner?.index);

  for (let index = 0; index < request.candidates.length; index += 1) {
    const attempt = runner.describe(index, settled[index], winner);
    if (attempt) attempts.push(attempt);
  }

  const chosen = winner ?? runner.firstEmpty(settled);
  if (chosen && chosen.kind !== 'error') {
    const source = request.candidates[chosen.index]!.id;
    return { ok: true, value: chosen.value, source, report: report(request.field, source, false, attempts) };
  }
  // The deadline ends the race at once, before the attempts it cut short have settled.
  if (env.signal.reason instanceof DeadlineReached) {
    return finish(new ApiError('DEADLINE_EXCEEDED', deadlineMessage(request.field), { attempts: attempts.map(publicAttempt) }));
  }

  const errors = settled.filter((s): s is Extract<Settled<T>, { kind: 'error' }> => s?.kind === 'error');
  // The request's own limits and the caller's mistakes speak for themselves.
  for (const error of errors) {
    const code = REQUEST_LIMITS[error.error.kind];
    if (code) {
      const stale = code === 'BUDGET_EXCEEDED' && request.staleFallback !== false ? await staleAnswer(request, env, attempts) : null;
      if (stale) return stale;
      return finish(new ApiError(code, limitMessage(code, request, error.error), { attempts: attempts.map(publicAttempt) }));
    }
  }

  // Every source answered, and none had it (not found, or only the wrong song): that is an
  // answer, not an outage — no stale fallback, which would bring back what was just rejected.
  const answered = settled.every((s) => s === undefined || s.kind === 'empty' || (s.kind === 'error' && s.error.kind === 'NOT_FOUND'));
  if (answered && settled.some((s) => s !== undefined)) {
    return finish(new ApiError('NOT_FOUND', notFoundMessage(request.field, request.candidates), { attempts: attempts.map(publicAttempt) }));
  }

  if (request.staleFallback !== false && !env.signal.aborted) {
    const stale = await staleAnswer(request, env, attempts);
    if (stale) return stale;
  }
  return finish(
    new ApiError(
      'SOURCES_UNAVAILABLE',
      {
        en: `No source could answer ${request.field}: ${summarise(attempts, 'no source is available')}.`,
        es: `Ninguna fuente ha podido responder a ${request.field}: ${summarise(attempts, 'no hay ninguna fuente disponible')}.`,
      },
      { attempts: attempts.map(publicAttempt) },
    ),
  );
}

/**
 * Starts attempt 0, then the next whenever the running ones failed or — after `hedgeDelayMs`
 * without an answer — alongside them, until one is final (a value) or all have ended.
 * `start` returns null for an attempt that was decided without running (an open circuit).
 */
async function raceWithHedging<S extends { index: number }>(
  count: number,
  hedgeDelayMs: number,
  signal: AbortSignal,
  start: (index: number) => Promise<S> | null,
  isFinal: (settled: S) => boolean,
): Promise<{ winner: S | undefined; settled: (S | undefined)[] }> {
  const settled: (S | undefined)[] = new Array(count);
  let next = 0;
  let running = 0;
  let hedgeTimer: NodeJS.Timeout | undefined;
  let resolveRace!: (winner: S | undefined) => void;
  const race = new Promise<S | undefined>((resolve) => (resolveRace = resolve));
  let done = false;

  const end = (winner: S | undefined) => {
    if (done) return;
    done = true;
    clearTimeout(hedgeTimer);
    signal.removeEventListener('abort', onAbort);
    resolveRace(winner);
  };
  const onAbort = () => end(undefined);

  const startNext = () => {
    if (done) return;
    clearTimeout(hedgeTimer);
    while (next < count) {
      const index = next++;
      const attempt = start(index);
      if (!attempt) continue;
      running += 1;
      void attempt.then(onSettled);
      if (next < count && hedgeDelayMs > 0) hedgeTimer = setTimeout(startNext, hedgeDelayMs);
      return;
    }
    if (running === 0) end(undefined);
  };

  const onSettled = (result: S) => {
    running -= 1;
    settled[result.index] = result;
    if (done) return;
    if (isFinal(result)) end(result);
    else startNext();
  };

  signal.addEventListener('abort', onAbort, { once: true });
  if (signal.aborted) end(undefined);
  else startNext();
  const winner = await race;
  return { winner, settled };
}

/** Runs and accounts for the attempts of one chain: cache layers, breaker, cancellation. */
class AttemptRunner<T> {
  private readonly controllers: (AbortController | undefined)[] = [];
  private readonly startedAt: (number | undefined)[] = [];
  private readonly decided: (Attempt | undefined)[] = [];
  /** Set once a winner is chosen: the attempts still running were cancelled for being slower. */
  private cancelledAsLoser = false;

  constructor(
    private readonly request: ChainRequest<T>,
    private readonly env: ChainEnv,
  ) {}

  readonly isFinal = (settled: Settled<T>): boolean => settled.kind === 'value';

  start(index: number): Promise<Settled<T>> | null {
    const provider = this.request.candidates[index]!;
    const memoKey = this.memoKey(provider);
    const remembered = memoKey ? this.env.results.get<T>(memoKey) : undefined;
    if (remembered !== undefined) {
      this.startedAt[index] = performance.now();
      return Promise.resolve(this.judge(index, remembered, 0, true));
    }
    // An open circuit still lets a fresh cached answer through; it never lets a call out.
    const open = !this.env.health.tryAcquire(provider.id);
    if (open) {
      return this.run(index, 'fresh-only').then((settled) => {
        if (settled.kind === 'error' && settled.error.kind === 'CACHE_MISS') {
          this.decided[index] = { source: provider.id, outcome: 'skipped-circuit-open', ms: 0 };
        }
        return settled;
      });
    }
    return this.run(index, 'normal');
  }

  private async run(index: number, cacheMode: CallContext['cacheMode']): Promise<Settled<T>> {
    const provider = this.request.candidates[index]!;
    const controller = new AbortController();
    this.controllers[index] = controller;
    const parent = this.env.signal;
    const onParentAbort = () => controller.abort(parent.reason);
    parent.addEventListener('abort', onParentAbort, { once: true });
    const started = performance.now();
    this.startedAt[index] = started;
    const ctx = { signal: controller.signal, languages: this.env.languages, cacheMode, budget: this.env.budget, requestId: this.env.requestId };
    try {
      const outcome = await traced(ctx, this.env.cache, (traceable) => this.request.call(provider, traceable));
      const ms = elapsed(started);
      const { trace } = outcome;
      if (outcome.ok) {
        this.remember(provider, trace, outcome.value);
        if (trace.networkCalls > 0) this.env.health.recordSuccess(provider.id, ms, { requestId: this.env.requestId });
        else if (cacheMode === 'normal') this.env.health.recordNeutral(provider.id);
        // Cached only when read from a cache: an answer shared with another request's call was live.
        return this.judge(index, outcome.value, ms, trace.networkCalls === 0 && trace.cacheHits > 0);
      }
      const sourceError = asSourceError(provider.id, outcome.error, controller.signal);
      if (cacheMode === 'normal') this.account(provider, sourceError, trace, ms);
      return { index, kind: 'error', error: sourceError, ms };
    } finally {
      parent.removeEventListener('abort', onParentAbort);
    }
  }

  private judge(index: number, value: T, ms: number, cached: boolean): Settled<T> {
    if (this.request.isEmpty?.(value)) return { index, kind: 'empty', value, ms };
    const rejection = this.request.reject?.(value);
    if (rejection) return { index, kind: 'empty', value, ms, reason: rejection };
    return { index, kind: 'value', value, ms, cached };
  }

  /** Only real upstream calls move the breaker; a loser slower than the hedge delay was slow. */
  private account(provider: Provider, error: SourceError, trace: CallTrace, ms: number): void {
    const { health, hedgeDelayMs, logger, requestId } = this.env;
    if (trace.networkCalls === 0) {
      health.recordNeutral(provider.id);
      return;
    }
    const cancelledForSlowness = error.kind === 'ABORTED' && this.cancelledAsLoser && hedgeDelayMs > 0 && ms >= hedgeDelayMs;
    if (error.isFault || cancelledForSlowness) {
      const kind = cancelledForSlowness ? 'TIMEOUT' : error.kind;
      const message = cancelledForSlowness ? `no answer within the hedge delay (${hedgeDelayMs} ms); another source answered` : error.message;
      // A refused host was logged where it was refused, with the URL and the reason. The fault
      // is logged before the circuit change it may cause.
      if (kind !== 'HOST_NOT_ALLOWED') logger.warn('upstream fault', { source: provider.id, kind, field: this.request.field, ms, requestId, message });
      health.recordFault(provider.id, kind, message, { requestId });
    } else {
      health.recordNeutral(provider.id);
    }
  }

  /** Cancels every attempt still running but the winner's. */
  cancelAllBut(winner: number | undefined): void {
    this.cancelledAsLoser = winner !== undefined;
    this.controllers.forEach((controller, index) => {
      if (index !== winner) controller?.abort();
    });
  }

  /** An accepted answer made only of fresh upstream answers is kept in the in-process cache. */
  private remember(provider: Provider, trace: CallTrace, value: T): void {
    const memoKey = this.memoKey(provider);
    if (memoKey && trace.staleHits === 0) this.env.results.set(memoKey, value, trace.freshUntil, trace.bytes);
  }

  private memoKey(provider: Provider): string | null {
    return this.request.memo ? `${provider.id}|${this.env.languages.join(',')}|${this.request.memo}` : null;
  }

  firstEmpty(settled: readonly (Settled<T> | undefined)[]): Settled<T> | undefined {
    // A rejected answer (wrong song) is never served, not even as the empty fallback.
    return settled.find((s) => s?.kind === 'empty' && !s.reason);
  }

  describe(index: number, settled: Settled<T> | undefined, winner: Settled<T> | undefined): Attempt | null {
    const source = this.request.candidates[index]!.id;
    if (this.decided[index]) return this.decided[index]!;
    if (!settled) {
      const started = this.startedAt[index];
      if (started === undefined) return null;
      // Still running when the race ended: beaten by the winner, or cut short by the request itself.
      const outcome: AttemptOutcome = winner || !this.env.signal.aborted ? 'lost-hedge' : (abortedCall(source, this.env.signal).kind.toLowerCase() as AttemptOutcome);
      return { source, outcome, ms: elapsed(started) };
    }
    if (settled.kind === 'value') {
      const outcome: AttemptOutcome = settled === winner ? 'ok' : 'lost-hedge';
      return { source, outcome, ms: settled.ms, ...(settled.cached && settled === winner ? { cached: true } : {}) };
    }
    if (settled.kind === 'empty') {
      return settled.reason ? { source, outcome: 'rejected-mismatch', ms: settled.ms, message: settled.reason } : { source, outcome: 'empty', ms: settled.ms };
    }
    const outcome = settled.error.kind === 'ABORTED' && winner ? 'lost-hedge' : (settled.error.kind.toLowerCase() as AttemptOutcome);
    return { source, outcome, ms: settled.ms, message: settled.error.message };
  }
}

async function staleAnswer<T>(request: ChainRequest<T>, env: ChainEnv, attempts: Attempt[]): Promise<ChainResult<T> | null> {
  for (const provider of request.candidates) {
    const started = performance.now();
    const outcome = await traced({ signal: env.signal, languages: env.languages, cacheMode: 'stale-only', requestId: env.requestId }, env.cache, (ctx) =>
      request.call(provider, ctx),
    );
    if (outcome.ok) {
      const { value, trace } = outcome;
      if (request.isEmpty?.(value) || request.reject?.(value)) continue;
      // An entry can still be fresh when its source failed for another reason (an open circuit).
      const stale = trace.staleHits > 0;
      attempts.push({ source: provider.id, outcome: stale ? 'stale' : 'ok', ms: elapsed(started), ...(stale ? {} : { cached: true }) });
      if (stale) env.logger.warn('stale answer served', { source: provider.id, kind: 'STALE', field: request.field, requestId: env.requestId });
      return { ok: true, value, source: provider.id, report: report(request.field, provider.id, stale, attempts) };
    }
    // Nothing cached for this source; try the next.
  }
  return null;
}

function report(field: string, answeredBy: string | null, stale: boolean, attempts: Attempt[]): ChainReport {
  return { field, answeredBy, stale, attempts };
}

function asSourceError(source: string, error: unknown, signal: AbortSignal): SourceError {
  if (isSourceError(error)) return error;
  if (signal.aborted) return abortedCall(source, signal);
  // A provider bug is still only this source's failure: the chain moves on.
  return new SourceError(source, 'BAD_RESPONSE', (error as Error)?.message ?? String(error), { cause: error });
}

/** DEADLINE_EXCEEDED's message, also used by the catalog when the deadline passed before a chain started. */
export function deadlineMessage(field: string): Text {
  return {
    en: `This request ran out of time before ${field} could be answered.`,
    es: `La petición se ha quedado sin tiempo antes de poder responder a ${field}.`,
  };
}

function limitMessage(code: ApiErrorCode, request: Pick<ChainRequest<unknown>, 'field' | 'candidates'>, error: SourceError): Text {
  const { field } = request;
  if (code === 'BUDGET_EXCEEDED') {
    return {
      en: `This request has used up its upstream-call budget; ${field} was not asked.`,
      es: `La petición ha agotado su cupo de llamadas a las fuentes; no se ha consultado ${field}.`,
    };
  }
  if (code === 'DEADLINE_EXCEEDED') return deadlineMessage(field);
  // The source's own words say what was wrong with the input; they stay as the source wrote them.
  const detail = error.message.replace(/^[a-z0-9-]+: /, '');
  const name = request.candidates.find((provider) => provider.id === error.source)?.name ?? error.source;
  return { en: detail, es: `${name} no acepta los datos de la petición (${detail}).` };
}

function notFoundMessage(field: string, candidates: readonly Provider[]): Text {
  if (candidates.length === 1) {
    const name = candidates[0]!.name;
    return { en: `${name} has no such item (${field}).`, es: `${name} no tiene ese elemento (${field}).` };
  }
  const names = candidates.map((p) => p.name).join(', ');
  return { en: `No source has a match for ${field} (asked: ${names}).`, es: `Ninguna fuente tiene resultados para ${field} (consultadas: ${names}).` };
}

/** The attempts as `source outcome` pairs (outcome codes are the same in both languages). */
function summarise(attempts: readonly Attempt[], none: string): string {
  if (attempts.length === 0) return none;
  return attempts.map((a) => `${a.source} ${a.outcome}`).join(', ');
}

function publicAttempt(attempt: Attempt): Attempt {
  return {
    source: attempt.source,
    outcome: attempt.outcome,
    ms: attempt.ms,
    ...(attempt.cached ? { cached: true } : {}),
    ...(attempt.message ? { message: attempt.message } : {}),
  };
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}
