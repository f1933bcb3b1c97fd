/**
 * What a source's failure was. Every provider failure is one of these, so the catalog can decide
 * whether to move on (always) and whether the failure says anything about the source's health.
 * Providers and the upstream client throw these; they know nothing of GraphQL.
 */
export type SourceErrorKind =
  | 'TIMEOUT'
  | 'RATE_LIMITED'
  | 'UNAVAILABLE'
  | 'BAD_RESPONSE'
  | 'NOT_FOUND'
  | 'UNCONFIGURED'
  | 'UNAUTHORIZED'
  | 'ABORTED'
  /** The caller's input is wrong for this source (a cursor it cannot continue); nothing was sent upstream. */
  | 'BAD_INPUT'
  /** The call (or a redirect) pointed at a host the source did not declare, or at a private address. */
  | 'HOST_NOT_ALLOWED'
  /** The request's upstream-call budget is spent. */
  | 'BUDGET_EXCEEDED'
  /** The request's deadline passed before this call could finish. */
  | 'DEADLINE_EXCEEDED'
  /** A cache-only call found nothing usable in the cache. */
  | 'CACHE_MISS';

/**
 * Failures that say something about the source's health and feed its circuit breaker. A refused
 * host is the upstream's doing (a redirect we will not follow), so it counts; the caller's own
 * mistakes, cancellations and the request's own limits never do.
 */
const BREAKER_FAULTS: ReadonlySet<SourceErrorKind> = new Set(['TIMEOUT', 'UNAVAILABLE', 'BAD_RESPONSE', 'RATE_LIMITED', 'HOST_NOT_ALLOWED']);

export interface SourceErrorDetails {
  status?: number;
  url?: string;
  retryAfterMs?: number;
  body?: string;
  cause?: unknown;
}

export class SourceError extends Error {
  override readonly name = 'SourceError';
  constructor(
    readonly source: string,
    readonly kind: SourceErrorKind,
    message: string,
    readonly details: SourceErrorDetails = {},
  ) {
    super(`${source}: ${message}`, { cause: details.cause });
  }

  get isFault(): boolean {
    return BREAKER_FAULTS.has(this.kind);
  }
}

export function isSourceError(error: unknown): error is SourceError {
  return error instanceof SourceError;
}

/** True for a `SourceError` of one of the given kinds. */
export function isSourceErrorOf(error: unknown, ...kinds: SourceErrorKind[]): error is SourceError {
  return error instanceof SourceError && kinds.includes(error.kind);
}

/**
 * The abort reason of a request whose deadline passed (`REQUEST_DEADLINE_MS`), so a cancelled
 * upstream call can say DEADLINE_EXCEEDED rather than ABORTED.
 */
export class DeadlineReached extends Error {
  override readonly name = 'DeadlineReached';
  constructor(readonly deadlineMs: number) {
    super(`the request's deadline of ${deadlineMs} ms passed`);
  }
}

/** The source error for a call stopped by `signal`: the deadline, or the caller going away. */
export function abortedCall(source: string, signal: AbortSignal, where = ''): SourceError {
  const suffix = where ? ` (${where})` : '';
  if (signal.reason instanceof DeadlineReached) return new SourceError(source, 'DEADLINE_EXCEEDED', `${signal.reason.message}${suffix}`);
  return new SourceError(source, 'ABORTED', `request cancelled${suffix}`);
}
