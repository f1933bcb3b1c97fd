import type { CallContext } from '../providers/types.js';

/** How long an answer stays fresh; see `cache/policy.ts` for the TTL of each kind. */
export type CacheKind = 'search' | 'chart' | 'entity' | 'lyrics' | 'token' | 'none';

export type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  ctx: CallContext;
  cache: CacheKind;
  method?: 'GET' | 'POST';
  searchParams?: Record<string, QueryValue>;
  headers?: Record<string, string>;
  /** JSON request body (POST). Part of the cache key. */
  json?: unknown;
  /** Form or raw request body (POST). Part of the cache key. */
  body?: string;
  /** Query parameters that carry credentials: left out of cache keys and logs. */
  secretParams?: readonly string[];
  /**
   * Runs on a successful body before it is cached; throw a `SourceError` to reject it
   * (error payloads sent with status 200, pages the parser cannot recognise).
   */
  validate?: (body: unknown) => void;
  /**
   * Follow redirects (default true). With false, a 3xx is returned by `request()` as it came
   * (its `location` header included) instead of being followed.
   */
  followRedirect?: boolean;
}

export interface UpstreamResponse<T> {
  status: number;
  url: string;
  body: T;
  headers: Record<string, string | string[] | undefined>;
  fromCache: boolean;
  /** Served from an expired cache entry because the source could not answer. */
  stale: boolean;
}

export interface RateLimit {
  /** Requests allowed per `intervalMs`: the long-run average. */
  requests: number;
  intervalMs: number;
  /**
   * How many may start at once after an idle spell (default `requests`). The limiter pays a
   * burst back, so the average over any window of `burst` intervals or more stays within
   * `requests / intervalMs` (see `BurstPacer`).
   */
  burst?: number;
}

export interface ClientOptions {
  /** Source id: names the cache namespace, the rate limiter and log lines. */
  source: string;
  /** Hosts the client may connect to (`*.example.org` allows subdomains); see `http/hosts.ts`. */
  hosts: readonly string[];
  rateLimit?: RateLimit;
  /** Overrides the configured upstream timeout. */
  timeoutMs?: number;
  /** Sent with every request, after the User-Agent. */
  headers?: Record<string, string>;
  /** Retries on 5xx / 429 / network errors (default 2). */
  retries?: number;
}

export interface UpstreamClient {
  readonly source: string;
  json<T>(url: string, options: RequestOptions): Promise<T>;
  text(url: string, options: RequestOptions): Promise<string>;
  request<T>(url: string, options: RequestOptions & { responseType: 'json' | 'text' }): Promise<UpstreamResponse<T>>;
  /**
   * Lets the client reach `host` from now on (and on every instance sharing the cache): for hosts
   * the source's own answers name, such as a Bandcamp artist's custom domain. Never for a host a
   * caller typed.
   */
  trustHost(host: string): Promise<void>;
}

/** A request's allowance of real upstream calls (cache hits are free). */
export interface UpstreamBudget {
  /** Counts one upstream call for `source`; throws `SourceError('BUDGET_EXCEEDED')` once spent. */
  spend(source: string): void;
}

/**
 * What one provider call did, filled in by the upstream client. The catalog uses it to move the
 * breaker only on real upstream calls, to label stale answers, to keep the parsed result in its
 * in-process cache for as long as every answer it was made from stays fresh, and to keep a body
 * out of the shared cache until the provider has accepted it.
 */
export interface CallTrace {
  networkCalls: number;
  cacheHits: number;
  /** Answers served from expired cache entries (stale-only mode). */
  staleHits: number;
  /** Earliest moment one of the answers used stops being fresh (epoch ms); Infinity when none. */
  freshUntil: number;
  /** Bytes of upstream bodies used (sizes the in-process cache entry). */
  bytes: number;
  /** Cache writes held back until the provider call succeeds. */
  pendingWrites: (() => Promise<void>)[];
  /** Cache keys whose entries this call read; deleted when the provider rejects them. */
  keysRead: string[];
}
