import { createHash } from 'node:crypto';
import type { Response } from 'got';
import type Keyv from 'keyv';
import type { AppConfig } from '../config.js';
import { SourceError, abortedCall, isSourceError, type SourceErrorKind } from '../errors/source.js';
import type { Logger } from '../logger.js';
import { FRESH_FOR, NOT_FOUND_FRESH_FOR, STALE_KEPT_FOR, TRUSTED_HOST_KEPT_FOR } from '../cache/policy.js';
import { Flights } from './flights.js';
import { isGotRequestError, loadGot } from './gotModule.js';
import { PrivateAddressError, guardedLookup, hostMatches, refuseUrl } from './hosts.js';
import { createLocalRateLimiter, unlimited, type RateLimiter, type RateLimiterFactory } from './rateLimiter.js';
import type { CallTrace, ClientOptions, RequestOptions, UpstreamClient, UpstreamResponse, RateLimit } from './types.js';

/**
 * The one way providers reach the network. A call goes through, in order:
 * cache lookup → in-flight sharing → per-source rate limit → the request budget → got (timeouts,
 * no automatic retry, no automatic redirect) with every hop checked against the source's hosts
 * and every resolved address checked to be public → classification into `SourceError` → our own
 * retry loop (rate limited, honouring `Retry-After`) → decoding and the provider's validation →
 * cache write. A body is stored only once it decoded and validated; inside a catalog call
 * (`ctx.trace`) the write waits further, until the provider has turned it into an answer.
 * Hosts are rewritten through `UPSTREAM_OVERRIDES` at the last moment, so cache keys, host checks
 * and logs all see the real upstream URL.
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
const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const KEPT_HEADERS = ['content-type', 'location', 'etag', 'last-modified'];

export type ClientFactory = (options: ClientOptions) => UpstreamClient;

export function createClientFactory(deps: ClientFactoryDeps): ClientFactory {
  const limiters = new Map<string, RateLimiter>();
  const flights = new Flights<UpstreamResponse<string>>();
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
    /** Hosts this source's own answers named (a Bandcamp artist's custom domain). */
    const trusted = new Set<string>();

    const fail = (kind: SourceErrorKind, message: string, details: SourceError['details'] = {}) =>
      new SourceError(options.source, kind, message, details);

    async function hostAllowed(hostname: string): Promise<boolean> {
      const host = hostname.toLowerCase();
      if (hostMatches(host, options.hosts) || trusted.has(host)) return true;
      // Another instance (or an earlier run) may have learnt it from the source.
      if ((await deps.cache.get(trustKey(options.source, host)).catch(() => undefined)) === true) {
        trusted.add(host);
        return true;
      }
      return false;
    }

    async function checkHop(url: URL, previous: URL | undefined, request: RequestOptions): Promise<void> {
      const allowed = await hostAllowed(url.hostname);
      const refusal = refuseUrl(url, () => allowed, previous);
      if (!refusal) return;
      logger.warn('upstream host refused', {
        kind: 'HOST_NOT_ALLOWED',
        reason: refusal.reason,
        url: redact(url.href, request.secretParams),
        redirectedFrom: previous ? redact(previous.href, request.secretParams) : undefined,
        requestId: request.ctx.requestId,
      });
      throw fail('HOST_NOT_ALLOWED', refusal.message, { url: redact(url.href, request.secretParams) });
    }

    async function request<T>(url: string, request: RequestOptions & { responseType: 'json' | 'text' }): Promise<UpstreamResponse<T>> {
      const method = request.method ?? 'GET';
      const target = withParams(url, request.searchParams);
      const key = cacheKey(options.source, method, target, request);
      const cacheable = request.cache !== 'none';
      const { ctx } = request;
      const trace = ctx.trace;

      if (cacheable) {
        const cached = (await deps.cache.get(key).catch(() => undefined)) as CachedAnswer | undefined;
        const fresh = cached !== undefined && cached.freshUntil > now();
        if (cached && (fresh || ctx.cacheMode === 'stale-only')) {
          if (trace) {
            trace.cacheHits += 1;
            if (!fresh) trace.staleHits += 1;
            trace.keysRead.push(key);
            trace.freshUntil = Math.min(trace.freshUntil, fresh ? cached.freshUntil : now());
            trace.bytes += cached.body.length;
          }
          try {
            return decode<T>(answerFromCache(cached, !fresh), request);
          } catch (error) {
            // What was stored is no answer after all (stored before validation existed, or the
            // parser changed): it must not be served again.
            void deps.cache.delete(key).catch(() => undefined);
            throw error;
          }
        }
      }
      if (ctx.cacheMode === 'stale-only') throw fail('UNAVAILABLE', 'no cached answer to fall back on');
      if (ctx.cacheMode === 'fresh-only') throw fail('CACHE_MISS', 'no fresh cached answer');
      // Checked before the limiter and the budget: a refused URL costs neither a turn nor a call.
      await checkHop(new URL(target), undefined, request);

      const { result, started } = flights.join(
        key,
        ctx.signal,
        (signal) => fetchWithRetries(target, request, signal),
        () => abortedCall(options.source, ctx.signal),
      );
      const response = await result;
      if (trace) trace.bytes += response.body.length;

      if (response.status === 404) {
        if (cacheable && started) schedule(trace, key, response, NOT_FOUND_FRESH_FOR);
        throw fail('NOT_FOUND', `not found: ${redact(target, request.secretParams)}`, { status: 404, url: redact(target, request.secretParams) });
      }
      const decoded = decode<T>(response, request);
      if (cacheable && started) schedule(trace, key, response, FRESH_FOR[request.cache]);
      if (trace && cacheable) trace.freshUntil = Math.min(trace.freshUntil, now() + FRESH_FOR[request.cache]);
      return decoded;
    }

    /** Holds the write until the catalog call succeeds, or writes now outside one. Never awaited. */
    function schedule(trace: CallTrace | undefined, key: string, response: UpstreamResponse<string>, freshFor: number): void {
      const write = () => store(key, response, freshFor);
      if (trace) trace.pendingWrites.push(write);
      else void write();
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
      if (cached.status === 404) throw fail('NOT_FOUND', `not found: ${cached.url}`, { status: 404 });
      return { status: cached.status, url: cached.url, body: cached.body, headers: cached.headers, fromCache: true, stale };
    }

    /** JSON decoding and the provider's validation; a redirect asked not to be followed passes as it is. */
    function decode<T>(response: UpstreamResponse<string>, request: RequestOptions & { responseType: 'json' | 'text' }): UpstreamResponse<T> {
      if (response.status >= 300 && response.status < 400) return response as unknown as UpstreamResponse<T>;
      const body = request.responseType === 'json' ? parseJson(response, request) : response.body;
      if (request.validate) {
        try {
          request.validate(body);
        } catch (error) {
          throw isSourceError(error) ? error : fail('BAD_RESPONSE', (error as Error).message, { cause: error });
        }
      }
      return { ...response, body: body as T };
    }

    async function fetchWithRetries(url: string, request: RequestOptions, signal: AbortSignal): Promise<UpstreamResponse<string>> {
      let attempt = 0;
      for (;;) {
        try {
          return await limiter.schedule(() => fetchOnce(url, request, signal), signal);
        } catch (error) {
          const sourceError = toSourceError(error, url, request, signal);
          const retryable = ['UNAVAILABLE', 'RATE_LIMITED'].includes(sourceError.kind);
          if (!retryable || attempt >= retries || signal.aborted) throw sourceError;
          const wait = sourceError.details.retryAfterMs ?? RETRY_BASE_DELAY_MS * 2 ** attempt;
          if (wait > MAX_RETRY_WAIT_MS) throw sourceError;
          attempt += 1;
          logger.debug('retrying upstream request', { url: redact(url, request.secretParams), attempt, wait, kind: sourceError.kind });
          await sleep(wait, signal);
        }
      }
    }

    /** One upstream exchange, redirects followed by hand so each hop is checked before it is asked. */
    async function fetchOnce(url: string, request: RequestOptions, signal: AbortSignal): Promise<UpstreamResponse<string>> {
      if (signal.aborted) throw abortedCall(options.source, signal);
      request.ctx.budget?.spend(options.source);
      if (request.ctx.trace) request.ctx.trace.networkCalls += 1;
      const started = now();
      let current = new URL(url);
      let previous: URL | undefined;
      let method = request.method ?? 'GET';
      let sendBody = true;
      for (let hop = 0; ; hop += 1) {
        // The first hop was checked before the call was queued; each redirect is checked here.
        if (hop > 0) await checkHop(current, previous, request);
        const connectTo = rewriteHost(current.href, deps.config.upstreamOverrides);
        const overridden = connectTo !== current.href;
        const { default: got } = await loadGot();
        const response: Response<string> = await got(connectTo, {
          method,
          headers: { 'user-agent': deps.config.userAgent, ...options.headers, ...request.headers },
          json: sendBody ? request.json : undefined,
          body: sendBody ? request.body : undefined,
          responseType: 'text',
          throwHttpErrors: false,
          followRedirect: false,
          retry: { limit: 0 },
          // The operator's own override targets (tests, a proxy) may be local; nothing else may.
          dnsLookup: overridden ? undefined : guardedLookup,
          timeout: { lookup: 2_000, connect: 3_000, request: timeoutMs },
          signal,
        });
        const status = response.statusCode;
        if (REDIRECT_STATUSES.has(status) && request.followRedirect !== false) {
          const location = response.headers.location;
          if (!location) throw fail('BAD_RESPONSE', `HTTP ${status} without a Location from ${current.hostname}`, { status });
          if (hop >= MAX_REDIRECTS) throw fail('BAD_RESPONSE', `more than ${MAX_REDIRECTS} redirects from ${redact(url, request.secretParams)}`, { status });
          previous = current;
          // Relative locations resolve against the upstream URL, never against an override.
          current = new URL(location, current);
          if (status === 303 || ((status === 301 || status === 302) && method === 'POST')) {
            method = 'GET';
            sendBody = false;
          }
          continue;
        }
        logger.debug('upstream', { url: redact(current.href, request.secretParams), status, ms: now() - started, requestId: request.ctx.requestId });
        return classify(response, current.href, request);
      }
    }

    function classify(response: Response<string>, url: string, request: RequestOptions): UpstreamResponse<string> {
      const status = response.statusCode;
      const where = redact(url, request.secretParams);
      if (status === 404) return { status, url, body: '', headers: response.headers, fromCache: false, stale: false };
      if (status === 401 || status === 403) throw fail('UNAUTHORIZED', `HTTP ${status} from ${where}`, { status, url: where });
      if (status === 429) {
        throw fail('RATE_LIMITED', `HTTP 429 from ${where}`, { status, url: where, retryAfterMs: parseRetryAfter(response.headers['retry-after'], now()) });
      }
      if (status >= 500) {
        throw fail('UNAVAILABLE', `HTTP ${status} from ${where}`, { status, url: where, retryAfterMs: parseRetryAfter(response.headers['retry-after'], now()) });
      }
      // The start of the body says why (a rejected client version, a bad parameter).
      if (status >= 400) throw fail('BAD_RESPONSE', `HTTP ${status} from ${where}`, { status, url: where, body: response.body.slice(0, 500) });
      return { status, url, body: response.body, headers: response.headers, fromCache: false, stale: false };
    }

    function toSourceError(error: unknown, url: string, request: RequestOptions, signal: AbortSignal): SourceError {
      if (isSourceError(error)) return error;
      const where = redact(url, request.secretParams);
      if (signal.aborted) return abortedCall(options.source, signal, where);
      const cause = isGotRequestError(error) ? (error.cause ?? error) : error;
      if (cause instanceof PrivateAddressError || (error as { code?: string })?.code === 'ERR_PRIVATE_ADDRESS') {
        logger.warn('upstream host refused', { kind: 'HOST_NOT_ALLOWED', reason: 'private-address', url: where, requestId: request.ctx.requestId });
        return fail('HOST_NOT_ALLOWED', (cause as Error).message, { url: where });
      }
      if (isGotRequestError(error)) {
        if (error.name === 'TimeoutError') return fail('TIMEOUT', `no answer within ${timeoutMs} ms from ${where}`, { url: where, cause: error });
        return fail('UNAVAILABLE', `${error.code ?? error.name} from ${where}`, { url: where, cause: error });
      }
      if ((error as Error)?.name === 'AbortError') return abortedCall(options.source, signal, where);
      return fail('UNAVAILABLE', `${(error as Error)?.message ?? 'request failed'} (${where})`, { url: where, cause: error });
    }

    function parseJson(response: UpstreamResponse<string>, request: RequestOptions): unknown {
      const type = String(response.headers['content-type'] ?? '');
      const where = redact(response.url, request.secretParams);
      if (/^\s*</.test(response.body)) {
        throw fail('BAD_RESPONSE', `expected JSON, got ${type.includes('xml') || /^\s*<\?xml/.test(response.body) ? 'XML' : 'an HTML page'} from ${where}`, { url: where });
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
      async trustHost(host: string): Promise<void> {
        const lower = host.toLowerCase();
        if (trusted.has(lower) || hostMatches(lower, options.hosts)) return;
        trusted.add(lower);
        await deps.cache.set(trustKey(options.source, lower), true, TRUSTED_HOST_KEPT_FOR).catch(() => undefined);
      },
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
  return { ...limit, requests, intervalMs: Math.ceil(intervalMs * RATE_MARGIN) };
}

function withParams(url: string, params: RequestOptions['searchParams']): string {
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

function trustKey(source: string, host: string): string {
  return `trusted-host:${source}:${host}`;
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
