import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadIndex, recordingsDir, type RecordingEntry } from './recordings.js';

/**
 * A local HTTP server that answers with the genuine recorded responses. The gateway reaches it
 * through `UPSTREAM_OVERRIDES`: `https://musicbrainz.org/ws/2/…` becomes
 * `http://127.0.0.1:<port>/musicbrainz.org/ws/2/…`, so the real upstream client (cache, rate
 * limit, retries, parsing) runs unchanged. Every request is counted, which lets tests prove
 * caching and batching, and tests can inject faults or extra routes ahead of the recordings.
 */

/** Query parameters that hold credentials or formats; recordings redact them, so they never decide a match. */
const IGNORED_PARAMS = new Set(['api_key', 'apikey', 'client_id', 'format', 'fmt', 'key', 'prettyprint', 'app_version', 'app_locale']);

export interface ReceivedRequest {
  method: string;
  host: string;
  path: string;
  query: URLSearchParams;
  /** The original upstream URL the client asked for. */
  url: string;
  body: string;
  headers: IncomingMessage['headers'];
  at: number;
}

export type Interceptor = (
  request: ReceivedRequest,
  response: ServerResponse,
) => boolean | void | Promise<boolean | void>;

/** A `fallback` for tests where whatever the recordings do not hold stands for a source that is down. */
export const sourceDown: Interceptor = (_request, response) => {
  response.writeHead(503, { 'content-type': 'text/plain' });
  response.end('replay: no recording; this source is down for the test');
  return true;
};

export interface ReplayServer {
  readonly baseUrl: string;
  /** host → base URL, ready for `UPSTREAM_OVERRIDES`. Includes every host in the loaded recordings plus `extraHosts`. */
  readonly overrides: Record<string, string>;
  readonly requests: ReceivedRequest[];
  /** Requests that matched no recording and no interceptor (answered 501). */
  readonly unmatched: ReceivedRequest[];
  /**
   * Marks the unmatched requests so far as intended (a test of what happens on a 501) and returns
   * those not acknowledged before. Any other unmatched request fails the test it happened in
   * (see `takeStrayRequests` and test/support/setup.ts).
   */
  acknowledgeUnmatched(): ReceivedRequest[];
  /** Number of requests whose upstream URL contains `fragment` (all requests when omitted). */
  count(fragment?: string): number;
  /** Runs before the recordings; return true once it has answered the request. */
  intercept(interceptor: Interceptor): () => void;
  /**
   * Runs after the recordings and routes, for requests they do not answer: how a test says on
   * purpose what everything else gets (a source that is down), instead of a stray 501.
   */
  fallback(interceptor: Interceptor): () => void;
  /** Adds a fixed answer for an upstream URL (matched on host, path and query like a recording). */
  route(method: string, url: string, answer: { status?: number; body: string | Buffer; contentType?: string; headers?: Record<string, string> }): void;
  reset(): void;
  close(): Promise<void>;
}

interface Candidate {
  method: string;
  host: string;
  pathPattern: RegExp;
  params: string[];
  bodyMatcher: ((body: string) => boolean) | null;
  respond: (response: ServerResponse) => void;
}

export interface ReplayOptions {
  /** Recording folders to load (`musicbrainz`, `coverartarchive`, …). */
  sources?: string[];
  /** Hosts to route here even without recordings (for `route` and interceptors). */
  extraHosts?: string[];
  /**
   * Opt-in: query parameters that hold `+`-separated include lists (MusicBrainz `inc`). When no
   * recording matches exactly, one made with a subset of the requested includes answers (the
   * largest subset wins). MusicBrainz only adds fields per include, so the recorded body is a
   * true part of what the fuller request returns; every other parameter must still match.
   */
  includeSubsetParams?: string[];
  /**
   * The test asserts on every request itself (the provider contract counts them), so requests
   * nothing answers are not reported as stray.
   */
  unmatchedExpected?: boolean;
}

/** Unmatched requests of every server that no test has acknowledged or been failed for yet. */
const strayRequests: { server: object; request: ReceivedRequest }[] = [];

/**
 * Takes the unmatched requests not acknowledged since the last call, from every replay server
 * (closed ones included). The global afterEach fails the test when this is not empty, so no test
 * passes on an answer it was never meant to get.
 */
export function takeStrayRequests(): ReceivedRequest[] {
  return strayRequests.splice(0).map((entry) => entry.request);
}

export async function startReplayServer(options: ReplayOptions = {}): Promise<ReplayServer> {
  const candidates: Candidate[] = [];
  const hosts = new Set<string>(options.extraHosts ?? []);
  for (const source of options.sources ?? []) {
    for (const entry of loadIndex(source)) {
      const candidate = candidateFromRecording(source, entry);
      candidates.push(candidate);
      hosts.add(candidate.host);
    }
  }

  const requests: ReceivedRequest[] = [];
  const unmatched: ReceivedRequest[] = [];
  let interceptors: Interceptor[] = [];
  let fallbacks: Interceptor[] = [];
  const routes: Candidate[] = [];
  const identity = {};

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const received = describeRequest(req, Buffer.concat(chunks).toString('utf8'));
      requests.push(received);
      try {
        for (const interceptor of interceptors) {
          if (await interceptor(received, res)) return;
        }
        const match =
          findMatch(routes, received) ??
          findMatch(candidates, received) ??
          findSubsetMatch(candidates, received, options.includeSubsetParams ?? []);
        if (match) {
          match.respond(res);
          return;
        }
        for (const fallback of fallbacks) {
          if (await fallback(received, res)) return;
        }
        unmatched.push(received);
        if (!options.unmatchedExpected) strayRequests.push({ server: identity, request: received });
        res.writeHead(501, { 'content-type': 'text/plain' });
        res.end(`replay: no recording for ${received.method} ${received.url}`);
      } catch (error) {
        res.destroy(error as Error);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const overrides = (): Record<string, string> =>
    Object.fromEntries([...hosts].map((host) => [host, `${baseUrl}/${host}`]));

  return {
    baseUrl,
    get overrides() {
      return overrides();
    },
    requests,
    unmatched,
    acknowledgeUnmatched() {
      const mine = strayRequests.filter((entry) => entry.server === identity);
      for (const entry of mine) strayRequests.splice(strayRequests.indexOf(entry), 1);
      return mine.map((entry) => entry.request);
    },
    count: (fragment) => (fragment ? requests.filter((r) => r.url.includes(fragment)).length : requests.length),
    intercept(interceptor) {
      interceptors.push(interceptor);
      return () => {
        interceptors = interceptors.filter((i) => i !== interceptor);
      };
    },
    fallback(interceptor) {
      fallbacks.push(interceptor);
      return () => {
        fallbacks = fallbacks.filter((f) => f !== interceptor);
      };
    },
    route(method, url, answer) {
      const parsed = new URL(url);
      hosts.add(parsed.host);
      routes.unshift({
        method: method.toUpperCase(),
        host: parsed.host,
        pathPattern: pathPattern(parsed.pathname),
        params: significantParams(parsed.searchParams),
        bodyMatcher: null,
        respond: (res) => {
          res.writeHead(answer.status ?? 200, {
            'content-type': answer.contentType ?? 'application/json; charset=utf-8',
            ...answer.headers,
          });
          res.end(answer.body);
        },
      });
    },
    reset() {
      requests.length = 0;
      unmatched.length = 0;
      interceptors = [];
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function describeRequest(req: IncomingMessage, body: string): ReceivedRequest {
  const local = new URL(req.url ?? '/', 'http://replay.local');
  const [, host = '', ...rest] = local.pathname.split('/');
  const upstreamPath = `/${rest.join('/')}`;
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    host,
    path: upstreamPath,
    query: local.searchParams,
    url: `https://${host}${upstreamPath}${local.search}`,
    body,
    headers: req.headers,
    at: Date.now(),
  };
}

function findMatch(candidates: Candidate[], request: ReceivedRequest): Candidate | undefined {
  const params = significantParams(request.query);
  return candidates.find(
    (candidate) =>
      candidate.method === request.method &&
      candidate.host === request.host &&
      candidate.pathPattern.test(request.path) &&
      sameParams(candidate.params, params) &&
      (candidate.bodyMatcher === null || candidate.bodyMatcher(request.body)),
  );
}

/** See `ReplayOptions.includeSubsetParams`: the recording with the most includes that are all requested. */
function findSubsetMatch(candidates: Candidate[], request: ReceivedRequest, subsetParams: string[]): Candidate | undefined {
  if (subsetParams.length === 0) return undefined;
  const isSubsetParam = (name: string) => subsetParams.includes(name);
  const split = (params: string[]) => {
    const fixed: string[] = [];
    const includes = new Map<string, Set<string>>();
    for (const param of params) {
      const at = param.indexOf('=');
      const name = param.slice(0, at);
      if (!isSubsetParam(name)) {
        fixed.push(param);
        continue;
      }
      const tokens = includes.get(name) ?? new Set<string>();
      for (const token of param.slice(at + 1).split(/[+\s]+/)) if (token) tokens.add(token);
      includes.set(name, tokens);
    }
    return { fixed, includes };
  };
  const asked = split(significantParams(request.query));
  let best: { candidate: Candidate; size: number } | undefined;
  for (const candidate of candidates) {
    if (candidate.method !== request.method || candidate.host !== request.host || !candidate.pathPattern.test(request.path)) continue;
    if (candidate.bodyMatcher !== null && !candidate.bodyMatcher(request.body)) continue;
    const recorded = split(candidate.params);
    if (!sameParams(recorded.fixed, asked.fixed)) continue;
    let size = 0;
    let subset = true;
    for (const [name, tokens] of recorded.includes) {
      const available = asked.includes.get(name) ?? new Set<string>();
      for (const token of tokens) subset &&= available.has(token);
      size += tokens.size;
    }
    if (subset && (!best || size > best.size)) best = { candidate, size };
  }
  return best?.candidate;
}

function candidateFromRecording(source: string, entry: RecordingEntry): Candidate {
  const url = new URL(entry.request.url.replace(/\?\.\.\.$/, ''));
  const file = path.join(recordingsDir(source), entry.file);
  const requestBodyFile = entry.request.bodyFile ? path.join(recordingsDir(source), entry.request.bodyFile) : null;
  return {
    method: entry.request.method.toUpperCase(),
    host: url.host,
    pathPattern: pathPattern(decodeURIComponent(url.pathname)),
    params: significantParams(url.searchParams),
    bodyMatcher: requestBodyFile ? jsonBodyMatcher(readFileSync(requestBodyFile, 'utf8')) : null,
    respond: (res) => {
      const body = readFileSync(file);
      const headers: Record<string, string> = {
        'content-type': entry.response.contentType ?? 'application/octet-stream',
      };
      const location = entry.response.location ?? redirectTarget(entry.response.status, body.toString('utf8'));
      if (location) headers.location = location;
      res.writeHead(entry.response.status, headers);
      res.end(entry.request.method.toUpperCase() === 'HEAD' ? undefined : body);
    },
  };
}

/** Recorded redirects keep no headers, but their bodies say where they point ("See: <url>"). */
function redirectTarget(status: number, body: string): string | undefined {
  if (status < 300 || status >= 400) return undefined;
  return /See:\s*(\S+)/.exec(body)?.[1];
}

/** Recorded URLs with a reconstructed `<id>` segment or a trailing `...` match any value there. */
function pathPattern(pathname: string): RegExp {
  const escaped = pathname
    .split(/(<[^>]+>|\.\.\.)/)
    .map((part) => (part.startsWith('<') || part === '...' ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${escaped}/?$`);
}

function significantParams(params: URLSearchParams): string[] {
  return [...params.entries()]
    .filter(([name]) => !IGNORED_PARAMS.has(name.toLowerCase()))
    .map(([name, value]) => `${name}=${value}`)
    .sort();
}

function sameParams(expected: string[], actual: string[]): boolean {
  return expected.length === actual.length && expected.every((value, index) => value === actual[index]);
}

/**
 * POST recordings (InnerTube) share one URL and differ by body: match on the fields that choose
 * the answer, ignoring the client context, which varies by version and locale.
 */
function jsonBodyMatcher(recordedBody: string): (body: string) => boolean {
  const keys = ['query', 'params', 'browseId', 'continuation', 'videoId', 'input', 'playlistId', 'band_id', 'search_text', 'search_filter', 'tralbum_id'];
  let recorded: Record<string, unknown>;
  try {
    recorded = JSON.parse(recordedBody) as Record<string, unknown>;
  } catch {
    return (body) => body === recordedBody;
  }
  return (body) => {
    let actual: Record<string, unknown>;
    try {
      actual = JSON.parse(body) as Record<string, unknown>;
    } catch {
      return false;
    }
    return keys.every((key) => JSON.stringify(recorded[key]) === JSON.stringify(actual[key]));
  };
}
