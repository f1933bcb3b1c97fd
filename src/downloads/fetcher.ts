import { createHash } from 'node:crypto';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { guardedLookup, hostMatches, refuseUrl, PrivateAddressError } from '../http/hosts.js';
import { rewriteHost } from '../http/upstream.js';
import { DownloadError } from './errors.js';

/**
 * Fetches one file from a source's allowlisted hosts into a writable sink, hashing as it goes.
 * Redirects are followed by hand so every hop is checked against the allowlist (and refused when
 * it would go from https to http) before any byte is requested from it; names must resolve to
 * public addresses. `UPSTREAM_OVERRIDES` is applied only when connecting, so the allowlist
 * always judges the real upstream host. Size limits are enforced on the declared length (before
 * reading) and on the bytes actually received.
 */

export type FetchKind = 'audio' | 'image';

export interface SafeFetchOptions {
  url: string;
  allowedHosts: readonly string[];
  overrides: Readonly<Record<string, string>>;
  maxBytes: number;
  idleTimeoutMs: number;
  userAgent: string;
  kind: FetchKind;
  signal: AbortSignal;
  sink: Writable;
  onProgress?: (received: number, total: number | null) => void;
  maxRedirects?: number;
}

export interface FetchResult {
  bytes: number;
  sha256: string;
  contentType: string | null;
  /** The upstream URL that finally answered (after redirects, before overrides). */
  finalUrl: string;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const ACCEPT: Record<FetchKind, string> = {
  audio: 'audio/*, application/octet-stream;q=0.9, */*;q=0.1',
  image: 'image/jpeg, image/png;q=0.9',
};

/** Throws HOST_NOT_ALLOWED unless `url` may be fetched after `previous` redirected to it. */
export function assertAllowedUrl(url: URL, allowed: readonly string[], previous?: URL): void {
  const refusal = refuseUrl(url, (hostname) => hostMatches(hostname, allowed), previous);
  if (!refusal) return;
  const message = refusal.reason === 'undeclared-host' ? `${url.hostname} is not one of the source's download hosts` : refusal.message;
  throw new DownloadError('HOST_NOT_ALLOWED', message);
}

export async function safeFetch(options: SafeFetchOptions): Promise<FetchResult> {
  const maxRedirects = options.maxRedirects ?? 5;
  let current: URL;
  try {
    current = new URL(options.url);
  } catch {
    throw new DownloadError('SOURCE_UNAVAILABLE', 'the source gave an invalid download URL');
  }
  let previous: URL | undefined;
  for (let hop = 0; ; hop += 1) {
    assertAllowedUrl(current, options.allowedHosts, previous);
    const target = rewriteHost(current.href, options.overrides);
    const response = await open(target, target !== current.href, options);
    const status = response.statusCode ?? 0;
    if (REDIRECTS.has(status)) {
      response.resume();
      const location = response.headers.location;
      if (!location) throw new DownloadError('UPSTREAM_FAILED', `HTTP ${status} without a Location from ${current.hostname}`);
      if (hop >= maxRedirects) throw new DownloadError('UPSTREAM_FAILED', `more than ${maxRedirects} redirects`);
      // Relative locations resolve against the upstream URL, never against the override.
      previous = current;
      current = new URL(location, current);
      continue;
    }
    return receive(response, current, options);
  }
}

function open(target: string, overridden: boolean, options: SafeFetchOptions): Promise<IncomingMessage> {
  const client = target.startsWith('https:') ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.get(
      target,
      {
        headers: { 'user-agent': options.userAgent, accept: ACCEPT[options.kind], 'accept-encoding': 'identity' },
        signal: options.signal,
        timeout: options.idleTimeoutMs,
        // The operator's own override targets may be local; a source's hosts must be public.
        ...(overridden ? {} : { lookup: guardedLookup as typeof import('node:dns').lookup }),
      },
      resolve,
    );
    request.on('timeout', () =>
      request.destroy(new DownloadError('UPSTREAM_FAILED', `no data from the source for ${options.idleTimeoutMs} ms`)),
    );
    request.on('error', (error) => reject(asUpstreamError(error, options.signal)));
  });
}

async function receive(response: IncomingMessage, url: URL, options: SafeFetchOptions): Promise<FetchResult> {
  const status = response.statusCode ?? 0;
  const where = url.hostname;
  if (status !== 200) {
    response.resume();
    if ([401, 403, 404, 410, 451].includes(status)) {
      throw new DownloadError('SOURCE_UNAVAILABLE', `HTTP ${status} from ${where}: the source no longer offers this file`);
    }
    throw new DownloadError('UPSTREAM_FAILED', `HTTP ${status} from ${where}`);
  }
  const contentType = headerValue(response.headers['content-type']);
  if (!acceptableType(contentType, options.kind)) {
    response.destroy();
    throw new DownloadError('NOT_AUDIO', `${where} sent ${contentType} instead of ${options.kind === 'audio' ? 'audio' : 'an image'}`);
  }
  const declared = parseLength(response.headers['content-length']);
  if (declared !== null && declared > options.maxBytes) {
    response.destroy();
    throw new DownloadError('TOO_LARGE', `the file is ${declared} bytes, over the ${options.maxBytes}-byte limit`);
  }

  const hash = createHash('sha256');
  let received = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      received += chunk.length;
      if (received > options.maxBytes) {
        done(new DownloadError('TOO_LARGE', `the file exceeded the ${options.maxBytes}-byte limit while downloading`));
        return;
      }
      hash.update(chunk);
      options.onProgress?.(received, declared);
      done(null, chunk);
    },
  });

  let sinkError: unknown = null;
  options.sink.once('error', (error) => {
    sinkError = error;
  });
  try {
    await pipeline(response, meter, options.sink, { signal: options.signal });
  } catch (error) {
    if (sinkError !== null && (error === sinkError || !(error instanceof DownloadError))) {
      throw new DownloadError('STORAGE_FAILED', `could not write the download: ${(sinkError as NodeJS.ErrnoException).code ?? 'write error'}`, { cause: sinkError });
    }
    throw asUpstreamError(error, options.signal);
  }
  if (declared !== null && received !== declared) {
    throw new DownloadError('UPSTREAM_FAILED', `${where} closed the connection after ${received} of ${declared} bytes`);
  }
  return { bytes: received, sha256: hash.digest('hex'), contentType, finalUrl: url.href };
}

function asUpstreamError(error: unknown, signal: AbortSignal): DownloadError {
  if (error instanceof DownloadError) return error;
  if (error instanceof PrivateAddressError) return new DownloadError('HOST_NOT_ALLOWED', error.message, { cause: error });
  if (signal.aborted) return new DownloadError('UPSTREAM_FAILED', 'the download was cancelled', { cause: error });
  const code = (error as NodeJS.ErrnoException)?.code;
  const reason = code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'ECONNRESET' || (error as Error)?.message === 'aborted'
    ? 'the source closed the connection mid-file'
    : `network error (${code ?? (error as Error)?.message ?? 'unknown'})`;
  return new DownloadError('UPSTREAM_FAILED', reason, { cause: error });
}

function acceptableType(contentType: string | null, kind: FetchKind): boolean {
  if (contentType === null) return kind === 'audio';
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (kind === 'image') return type === 'image/jpeg' || type === 'image/png';
  if (type.startsWith('audio/')) return true;
  return ['application/octet-stream', 'binary/octet-stream', 'application/ogg', 'application/x-flac', 'application/flac', 'video/ogg'].includes(type);
}

function headerValue(value: string | string[] | undefined): string | null {
  const first = Array.isArray(value) ? value[0] : value;
  return first?.trim() || null;
}

function parseLength(value: string | string[] | undefined): number | null {
  const raw = headerValue(value);
  if (raw === null || !/^\d+$/.test(raw)) return null;
  const length = Number(raw);
  return Number.isSafeInteger(length) ? length : Number.MAX_SAFE_INTEGER;
}
