import { createHash } from 'node:crypto';
import got, { RequestError, type Response } from 'got';
import type Keyv from 'keyv';
import type { AppConfig } from '../config.js';
import { SourceError, isSourceError, type SourceErrorKind } from '../errors/source.js';
import type { Logger } from '../logger.js';
import { FRESH_FOR, NOT_FOUND_FRESH_FOR, STALE_KEPT_FOR } from '../cache/policy.js';
import { createLocalRateLimiter, unlimited, type RateLimiter, type RateLimiterFactory } from './rateLimiter.js';
import type { ClientOptions, RequestOptions, UpstreamClient, UpstreamResponse, RateLimit } from './types.js';

/**
 * The one way providers reach the network. Every request goes through, in order:
 * cache lookup → in-flight de-duplication → per-source rate limit → got (timeouts, no automatic
 * retry) → classification into `SourceError` → our own retry loop (so retries are rate limited
 * and `Retry-After` is honoured) → validation → cache write. Hosts are rewritten through
 * `UPSTREAM_OVERRIDES` at the last moment, so cache keys and logs keep the real upstream URL.
 */

export interface ClientFactoryDeps {
  config: AppConfig;
  cache: Keyv;
  logger: Logger;
  rateLimiterFactory?: RateLimiterFactory;
  /** Clock for freshness decisions (tests). */
  now?: () => number;
}

interface CachedAnswer {
  status: number;
  body: string;
  headers: Record<string, string>;
  url: string;
  storedAt: number;
  freshUntil: number;
}

const RETRY_BASE_DELAY_MS = 300;
/** A `Retry-After` longer than this is not waited for: the chain moves to the next source instead. */
const MAX_RETRY_WAIT_MS = 5_000;
const KEPT_HEADERS = ['content-type', 'location', 'etag', 'last-modified'];

export type ClientFactory = (options: ClientOptions) => UpstreamClient;

export function createClientFactory(deps: ClientFactoryDeps): ClientFactory {
  const limiters = new Map<string, RateLimiter>();
  const inflight = new Map<string, Promise<UpstreamResponse<string>>>();
  const makeLimiter = deps.rateLimiterFactory ?? createLocalRateLimiter;
  const now = deps.now ?? Date.now;

  const limiterFor = (source: string, limit: RateLimit | undefined): RateLimiter => {
    if (!limit) return unlimited;
    let limiter = limiters.get(source);
    if (!limiter) {
      limiter = makeLimiter(source, normaliseRate(limit));
      limiters.set(source, limiter);
    }
    return limiter;
  };

  return (options) => {
    const limiter = limiterFor(options.source, options.rateLimit);
    const logger = deps.logger.child({ source: options.source });
    const timeoutMs = options.timeoutMs ?? deps.config.upstreamTimeoutMs;
    const retries = options.retries ?? deps.config.upstreamRetries;

    const fail = (kind: SourceErrorKind, message: string, details: SourceError['details'] = {}) =>
      new SourceError(options.source, kind, message, details);

    async function fetchText(url: string, request: RequestOptions): Promise<UpstreamResponse<string>> {
      const method = request.method ?? 'GET';
      const target = withParams(url, request.searchParams);
      const key = cacheKey(options.source, method, target, request);
      const cacheable = request.cache !== 'none';

      if (cacheable) {
        const cached = (await deps.cache.get(key)) as CachedAnswer | undefined;
        if (cached && (request.ctx.cacheMode === 'stale-only' || cached.freshUntil > now())) {
          return answerFromCache(cached, request.ctx.cacheMode === 'stale-only' && cached.freshUntil <= now());
        }
      }
      if (request.ctx.cacheMode === 'stale-only') {
        throw fail('UNAVAILABLE', 'no cached answer to fall back on');
      }

      // Identical concurrent requests (25 tracks by one artist) share one upstream call.
      const pending = inflight.get(key);
      if (pending) return pending;
      const call = fetchWithRetries(target, request).finally(() => inflight.delete(key));
      inflight.set(key, call);
      const response = await call;

      if (cacheable) {
        if (response.status === 404) {
          await store(key, response, NOT_FOUND_FRESH_FOR);
        } else if (response.status < 400) {
          await store(key, response, FRESH_FOR[request.cache]);
        }
      }
      return response;
    }

    async function store(key: string, response: UpstreamResponse<string>, freshFor: number): Promise<void> {
      const entry: CachedAnswer = {
        status: response.status,
        body: response.body,
        headers: pickHeaders(response.headers),
        url: response.url,
        storedAt: now(),
        freshUntil: now() + freshFor,
      };
      try {
        await deps.cache.set(key, entry, freshFor + STALE_KEPT_FOR);
      } catch (error) {
        // A cache that cannot be written costs speed, not correctness.
        logger.warn('cache write failed', { error });
      }
    }

    function answerFromCache(cached: CachedAnswer, stale: boolean): UpstreamResponse<string> {
      if (cached.status === 404) throw fail('NOT_FOUND', `not found: ${redact(cached.url, [])}`, { status: 404 });
      return { status: cached.status, url: cached.url, body: cached.body, headers: cached.headers, fromCache: true, stale };
    }

    async function fetchWithRetries(url: string, request: RequestOptions): Promise<UpstreamResponse<string>> {
      let attempt = 0;
      for (;;) {
        try {
          return await limiter.schedule(() => fetchOnce(url, request));
        } catch (error) {
          const sourceError = toSourceError(error, url, request);
          const retryable = ['UNAVAILABLE', 'RATE_LIMITED'].includes(sourceError.kind);
          if (!retryable || attempt >= retries || request.ctx.signal.aborted) throw sourceError;
          const wait = sourceError.details.retryAfterMs ?? RETRY_BASE_DELAY_MS * 2 ** attempt;
          if (wait > MAX_RETRY_WAIT_MS) throw sourceError;
          attempt += 1;
          logger.debug('retrying upstream request', { url: redact(url, request.secretParams), attempt, wait, kind: sourceError.kind });
          await sleep(wait, request.ctx.signal);
        }
      }
    }

    async function fetchOnce(url: string, request: RequestOptions): Promise<UpstreamResponse<string>> {
      if (request.ctx.signal.aborted) throw fail('ABORTED', 'request cancelled');
      const started = now();
      const response: Response<string> = await got(rewriteHost(url, deps.config.upstreamOverrides), {
        method: request.method ?? 'GET',
        headers: { 'user-agent': deps.config.userAgent, ...options.headers, ...request.headers },
        json: request.json,
        body: request.body,
        responseType: 'text',
        throwHttpErrors: false,
        followRedirect: request.followRedirect ?? true,
        retry: { limit: 0 },
        timeout: { lookup: 2_000, connect: 3_000, request: timeoutMs },
        signal: request.ctx.signal,
      });
      const status = response.statusCode;
      logger.debug('upstream', { url: redact(url, request.secretParams), status, ms: now() - started });
      if (status === 404) {
        return { status, url, body: '', headers: response.headers, fromCache: false, stale: false };
      }
      if (status === 401 || status === 403) throw fail('UNAUTHORIZED', `HTTP ${status} from ${redact(url, request.secretParams)}`, { status, url });
      if (status === 429) {
        throw fail('RATE_LIMITED', `HTTP 429 from ${redact(url, request.secretParams)}`, {
          status,
          url,
          retryAfterMs: parseRetryAfter(response.headers['retry-after'], now()),
        });
      }
      if (status >= 500) {
        throw fail('UNAVAILABLE', `HTTP ${status} from ${redact(url, request.secretParams)}`, {
          status,
          url,
          retryAfterMs: parseRetryAfter(response.headers['retry-after'], now()),
        });
      }
      if (status >= 400) {
        // The start of the body says why (a rejected client version, a bad parameter).
        throw fail('BAD_RESPONSE', `HTTP ${status} from ${redact(url, request.secretParams)}`, { status, url, body: response.body.slice(0, 500) });
      }
      return { status, url, body: response.body, headers: response.headers, fromCache: false, stale: false };
    }

    function toSourceError(error: unknown, url: string, request: RequestOptions): SourceError {
      if (isSourceError(error)) return error;
      const where = redact(url, request.secretParams);
      if (request.ctx.signal.aborted) return fail('ABORTED', 'request cancelled', { url: where });
      if (error instanceof RequestError) {
        if (error.name === 'TimeoutError') return fail('TIMEOUT', `no answer within ${timeoutMs} ms from ${where}`, { url: where, cause: error });
        return fail('UNAVAILABLE', `${error.code ?? error.name} from ${where}`, { url: where, cause: error });
      }
      return fail('UNAVAILABLE', `${(error as Error)?.message ?? 'request failed'} (${where})`, { url: where, cause: error });
    }

    async function request<T>(url: string, request: RequestOptions & { responseType: 'json' | 'text' }): Promise<UpstreamResponse<T>> {
      const response = await fetchText(url, request);
      if (response.status === 404) throw fail('NOT_FOUND', `not found: ${redact(url, request.secretParams)}`, { status: 404, url });
      if (response.status >= 300 && response.status < 400) {
        return response as unknown as UpstreamResponse<T>;
      }
      const body = request.responseType === 'json' ? parseJson(response, request) : response.body;
      if (request.validate && !response.fromCache) {
        try {
          request.validate(body);
        } catch (error) {
          // The answer is an error in disguise: make sure it is not served from cache next time.
          await deps.cache.delete(cacheKey(options.source, request.method ?? 'GET', withParams(url, request.searchParams), request));
          throw isSourceError(error) ? error : fail('BAD_RESPONSE', (error as Error).message, { cause: error });
        }
      }
      return { ...response, body: body as T };
    }

    function parseJson(response: UpstreamResponse<string>, request: RequestOptions): unknown {
      const type = String(response.headers['content-type'] ?? '');
      const where = redact(response.url, request.secretParams);
      if (type.includes('html') && /^\s*</.test(response.body)) {
        throw fail('BAD_RESPONSE', `expected JSON, got an HTML page from ${where}`, { url: where });
      }
      try {
        return JSON.parse(response.body);
      } catch {
        throw fail('BAD_RESPONSE', `unparseable JSON from ${where} (${response.body.length} bytes)`, { url: where });
      }
    }

    return {
      source: options.source,
      request,
      json: async <T>(url: string, req: RequestOptions) => (await request<T>(url, { ...req, responseType: 'json' })).body,
      text: async (url: string, req: RequestOptions) => (await request<string>(url, { ...req, responseType: 'text' })).body,
    };
  };
}

/**
 * Requests leave spaced by the limit, but arrive with network jitter; a 5 % margin keeps two
 * arrivals from landing closer than the source allows. Fractional rates (0.5/s) become one
 * request per longer interval.
 */
const RATE_MARGIN = 1.05;

function normaliseRate(limit: RateLimit): RateLimit {
  const whole = Number.isInteger(limit.requests) && limit.requests >= 1;
  const requests = whole ? limit.requests : 1;
  const intervalMs = whole ? limit.intervalMs : limit.intervalMs / limit.requests;
  return { requests, intervalMs: Math.ceil(intervalMs * RATE_MARGIN) };
}

export function withParams(url: string, params: RequestOptions['searchParams']): string {
  if (!params) return url;
  const parsed = new URL(url);
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null) parsed.searchParams.set(name, String(value));
  }
  return parsed.toString();
}

/** Replaces scheme, host and port by the configured base URL, keeping path and query. */
export function rewriteHost(url: string, overrides: Readonly<Record<string, string>>): string {
  const parsed = new URL(url);
  const base = overrides[parsed.host.toLowerCase()] ?? overrides[parsed.hostname.toLowerCase()];
  if (!base) return url;
  return `${base}${parsed.pathname}${parsed.search}`;
}

function cacheKey(source: string, method: string, url: string, request: RequestOptions): string {
  const parsed = new URL(url);
  for (const name of request.secretParams ?? []) parsed.searchParams.delete(name);
  parsed.searchParams.sort();
  const body = request.json !== undefined ? JSON.stringify(request.json) : (request.body ?? '');
  const bodyHash = body ? `:${createHash('sha1').update(body).digest('hex')}` : '';
  return `${source}:${method}:${parsed.toString()}${bodyHash}`;
}

function redact(url: string, secretParams: readonly string[] | undefined): string {
  if (!secretParams?.length) return url;
  try {
    const parsed = new URL(url);
    for (const name of secretParams) if (parsed.searchParams.has(name)) parsed.searchParams.set(name, 'REDACTED');
    return parsed.toString();
  } catch {
    return url;
  }
}

function pickHeaders(headers: UpstreamResponse<string>['headers']): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of KEPT_HEADERS) {
    const value = headers[name];
    if (typeof value === 'string') kept[name] = value;
  }
  return kept;
}

export function parseRetryAfter(value: string | string[] | undefined, now: number): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
