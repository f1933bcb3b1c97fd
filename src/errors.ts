import { GraphQLError } from 'graphql';

/**
 * Why a source failed. Every provider failure is one of these, so the catalog can decide whether
 * to move on (all of them) and whether the failure counts against the source's breaker.
 */
export type SourceErrorKind =
  | 'TIMEOUT'
  | 'RATE_LIMITED'
  | 'UNAVAILABLE'
  | 'BAD_RESPONSE'
  | 'NOT_FOUND'
  | 'UNCONFIGURED'
  | 'UNAUTHORIZED'
  | 'ABORTED';

/** Failures that say something about the source's health (and so feed its circuit breaker). */
const BREAKER_FAULTS: ReadonlySet<SourceErrorKind> = new Set(['TIMEOUT', 'UNAVAILABLE', 'BAD_RESPONSE', 'RATE_LIMITED']);

export class SourceError extends Error {
  override readonly name = 'SourceError';
  constructor(
    readonly source: string,
    readonly kind: SourceErrorKind,
    message: string,
    readonly details: { status?: number; url?: string; retryAfterMs?: number; body?: string; cause?: unknown } = {},
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

/** Public error codes the API returns in `extensions.code`. */
export type ApiErrorCode =
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'SOURCES_UNAVAILABLE'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'SOURCE_INACTIVE'
  | 'DOWNLOAD_UNAVAILABLE'
  | 'QUERY_TOO_COMPLEX'
  | 'INTERNAL_SERVER_ERROR';

export class ApiError extends GraphQLError {
  constructor(code: ApiErrorCode, message: string, extra: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...extra } });
  }
}

export function badInput(message: string, field?: string): ApiError {
  return new ApiError('BAD_USER_INPUT', message, field ? { field } : {});
}
