import { isSourceError, SourceError } from '../../errors/source.js';
import type { CacheKind, UpstreamClient } from '../../http/types.js';
import type { Logger } from '../../logger.js';
import type { CallContext } from '../types.js';
import { isClientVersion, WEB_REMIX, type YouTubeMusicSettings } from './config.js';
import { SOURCE } from './runs.js';
import type { InnerTubeBody, InnerTubeContext } from './types.js';

/**
 * The InnerTube transport: builds the `context` every request carries, posts to
 * `https://music.youtube.com/youtubei/v1/<endpoint>?prettyPrint=false`, and keeps the client
 * version current. InnerTube answers an outdated client version with HTTP 400 ("Precondition
 * check failed.", status FAILED_PRECONDITION); on such an answer the version is read again from
 * the music.youtube.com home page (its `ytcfg` holds `INNERTUBE_CLIENT_VERSION`) and the request
 * is retried once. A second rejection is returned to the caller: never a loop.
 */

export const ORIGIN = 'https://music.youtube.com';
const API_BASE = `${ORIGIN}/youtubei/v1/`;
const HOME_PAGE = `${ORIGIN}/`;

export type Endpoint = 'search' | 'browse' | 'next' | 'player';

/** The request fields besides `context` (query, params, browseId, formData). */
export type Payload = Omit<InnerTubeBody, 'context'>;

export interface CallOptions {
  ctx: CallContext;
  cache: CacheKind;
  /** Rejects a 200 answer the parsers would not understand, before it is cached. */
  validate?: (body: unknown) => void;
}

/** Headers the web player sends (recorded by NewPipe's mocks); the version header is added per call. */
export function staticHeaders(settings: YouTubeMusicSettings): Record<string, string> {
  const headers: Record<string, string> = {
    origin: ORIGIN,
    referer: `${ORIGIN}/`,
    'accept-language': settings.hl,
  };
  if (settings.clientName === WEB_REMIX.name) headers['x-youtube-client-name'] = WEB_REMIX.headerId;
  return headers;
}

const VERSION_IN_PAGE = [
  /"INNERTUBE_CLIENT_VERSION"\s*:\s*"([\d.]+)"/,
  /"INNERTUBE_CONTEXT_CLIENT_VERSION"\s*:\s*"([\d.]+)"/,
  /"clientName"\s*:\s*"WEB_REMIX"\s*,\s*"clientVersion"\s*:\s*"([\d.]+)"/,
];

/** The client version a music.youtube.com page declares in its `ytcfg`, if any. */
export function versionFromPage(html: string): string | null {
  for (const pattern of VERSION_IN_PAGE) {
    const version = pattern.exec(html)?.[1];
    if (version && isClientVersion(version)) return version;
  }
  return null;
}

/**
 * The version shape the web player uses, dated today: the last resort when the home page
 * cannot be read (the same scheme sigma67/ytmusicapi sends, `1.YYYYMMDD.01.00`).
 */
export function datedVersion(now: Date): string {
  const day = now.toISOString().slice(0, 10).replace(/-/g, '');
  return `1.${day}.01.00`;
}

/**
 * A 400 from InnerTube is how it rejects a client version. The upstream client reports every
 * 4xx other than 401/403/404/429 as BAD_RESPONSE with the status and without the body, so the
 * status is what can be checked; a body, when the client passes one on, must also say so.
 */
export function isVersionRejection(error: unknown): error is SourceError {
  if (!isSourceError(error) || error.kind !== 'BAD_RESPONSE' || error.details.status !== 400) return false;
  const body = (error.details as { body?: unknown }).body;
  return typeof body !== 'string' || /precondition|client ?version/i.test(body);
}

/**
 * Continuation tokens are put in the URL as they come (InnerTube sends them already
 * percent-encoded, e.g. ending in `%3D`, and the web player does not encode them again);
 * only characters that would break the query string are escaped.
 */
export function tokenForUrl(token: string): string {
  return token.replace(/%(?![0-9A-Fa-f]{2})/g, '%25').replace(/[^A-Za-z0-9_.~%-]/g, (char) => encodeURIComponent(char));
}

export class InnerTube {
  private version: string;
  private refreshing: Promise<string> | null = null;

  constructor(
    private readonly client: UpstreamClient,
    private readonly settings: YouTubeMusicSettings,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.version = settings.clientVersion;
  }

  get clientVersion(): string {
    return this.version;
  }

  /** POST `endpoint` with `payload`. */
  call(endpoint: Endpoint, payload: Payload, options: CallOptions): Promise<unknown> {
    return this.withCurrentVersion(options.ctx, (version) =>
      this.post(`${API_BASE}${endpoint}?prettyPrint=false`, { context: this.context(version), ...payload }, version, options),
    );
  }

  /** The next page of an earlier answer: the token goes in the URL, the body holds only `context`. */
  continue(endpoint: Endpoint, token: string, options: CallOptions): Promise<unknown> {
    const encoded = tokenForUrl(token);
    const url = `${API_BASE}${endpoint}?ctoken=${encoded}&continuation=${encoded}&prettyPrint=false`;
    return this.withCurrentVersion(options.ctx, (version) => this.post(url, { context: this.context(version) }, version, options));
  }

  private async withCurrentVersion(ctx: CallContext, send: (version: string) => Promise<unknown>): Promise<unknown> {
    const used = this.version;
    try {
      return await send(used);
    } catch (error) {
      if (!isVersionRejection(error)) throw error;
      const fresh = await this.refreshAfterRejection(used, ctx);
      if (fresh === used) throw error;
      return send(fresh);
    }
  }

  /** One refresh per rejected version, shared by every request that saw the rejection. */
  private async refreshAfterRejection(rejected: string, ctx: CallContext): Promise<string> {
    if (this.version !== rejected) return this.version;
    this.refreshing ??= this.readCurrentVersion(ctx).finally(() => {
      this.refreshing = null;
    });
    const fresh = await this.refreshing;
    if (fresh !== rejected) {
      this.logger.info('InnerTube client version refreshed', { rejected, version: fresh });
      this.version = fresh;
    }
    return this.version;
  }

  private async readCurrentVersion(ctx: CallContext): Promise<string> {
    try {
      const html = await this.client.text(HOME_PAGE, {
        ctx,
        cache: 'token',
        headers: { 'accept-language': this.settings.hl },
        validate: (body) => {
          if (typeof body !== 'string' || !versionFromPage(body)) {
            throw new SourceError(SOURCE, 'BAD_RESPONSE', 'home page without INNERTUBE_CLIENT_VERSION');
          }
        },
      });
      return versionFromPage(html) ?? datedVersion(this.now());
    } catch (error) {
      if (ctx.signal.aborted) throw error;
      const fallback = datedVersion(this.now());
      this.logger.warn('could not read the client version from music.youtube.com; using a dated one', { error, version: fallback });
      return fallback;
    }
  }

  private context(version: string): InnerTubeContext {
    return {
      client: {
        clientName: this.settings.clientName,
        clientVersion: version,
        hl: this.settings.hl,
        gl: this.settings.gl,
        platform: 'DESKTOP',
        utcOffsetMinutes: 0,
      },
      request: { internalExperimentFlags: [], useSsl: true },
      user: { lockedSafetyMode: false },
    };
  }

  private post(url: string, body: InnerTubeBody, version: string, options: CallOptions): Promise<unknown> {
    return this.client.json<unknown>(url, {
      ctx: options.ctx,
      cache: options.cache,
      method: 'POST',
      json: body,
      headers: { ...staticHeaders(this.settings), 'x-youtube-client-version': version },
      validate: options.validate,
    });
  }
}
