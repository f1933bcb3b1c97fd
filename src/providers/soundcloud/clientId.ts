import { SourceError, isSourceError } from '../../errors/source.js';
import type { UpstreamClient } from '../../http/types.js';
import type { Logger } from '../../logger.js';
import type { CallContext } from '../types.js';
import { SOURCE } from './parse.js';

/**
 * api-v2.soundcloud.com wants the `client_id` of SoundCloud's own web player. It is not
 * secret: the home page lists the player's script bundles and one of them carries it as
 * `client_id:"…"`. The id changes when SoundCloud ships a new player, so it is discovered at
 * first use, kept in memory, and discovered again when the API rejects it (401/403).
 */

export const HOME_PAGE = 'https://soundcloud.com/';

/** The bundles are `<script crossorigin src="https://a-v2.sndcdn.com/assets/<n>-<hash>.js">`. */
const SCRIPT_SRC = /<script\b[^>]*\bsrc="(https:\/\/[^"]+\/assets\/[^"]+\.js)"/g;
/** The leading `,` or `{` keeps `google_client_id:"…"` and similar keys out. */
const CLIENT_ID = /[,{]\s*client_id\s*:\s*"([0-9A-Za-z_-]{16,64})"/;
/** The id sits near the start of its bundle; NewPipe reads the first 50 kB of each. */
const SCRIPT_RANGE = 'bytes=0-50000';
/** The id has always been in one of the last bundles; trying more only adds requests. */
const MAX_SCRIPTS_TRIED = 6;

export function scriptUrlsIn(html: string): string[] {
  return [...html.matchAll(SCRIPT_SRC)].map((match) => match[1]!);
}

export function clientIdIn(script: string): string | null {
  return CLIENT_ID.exec(script)?.[1] ?? null;
}

export class ClientIdKeeper {
  private id: string | null = null;
  private discovery: Promise<string> | null = null;

  constructor(
    private readonly client: UpstreamClient,
    private readonly logger: Logger,
  ) {}

  /** The id to use now, discovering it on first use. */
  async current(ctx: CallContext): Promise<string> {
    if (this.id) return this.id;
    // Answers from cache do not need an id (it is left out of cache keys), and in stale-only
    // mode there is no network to discover one from.
    if (ctx.cacheMode === 'stale-only') return '';
    return this.discover(ctx);
  }

  /**
   * Called once after the API rejected `rejected`. When another request has already replaced
   * it, that id is used; otherwise the site is asked again. Callers retry once with the
   * answer and give up if it is rejected too, so a dead id never turns into a loop.
   */
  async refresh(ctx: CallContext, rejected: string): Promise<string> {
    if (this.id && this.id !== rejected) return this.id;
    if (this.id === rejected) this.id = null;
    return this.discover(ctx);
  }

  private discover(ctx: CallContext): Promise<string> {
    this.discovery ??= this.scrape(ctx)
      .then((id) => {
        this.id = id;
        return id;
      })
      .finally(() => {
        this.discovery = null;
      });
    return this.discovery;
  }

  private async scrape(ctx: CallContext): Promise<string> {
    // The home page is never cached: after a rejection it must name the current bundles.
    const html = await this.client.text(HOME_PAGE, { ctx, cache: 'none' });
    const scripts = scriptUrlsIn(html);
    if (scripts.length === 0) {
      throw new SourceError(SOURCE, 'BAD_RESPONSE', 'home page lists no script bundles to find the client_id in');
    }
    for (const script of scripts.reverse().slice(0, MAX_SCRIPTS_TRIED)) {
      let body: string;
      try {
        // Bundle names carry a content hash, so a cached copy can never be out of date.
        body = await this.client.text(script, { ctx, cache: 'token', headers: { range: SCRIPT_RANGE } });
      } catch (error) {
        if (isSourceError(error) && error.kind === 'ABORTED') throw error;
        this.logger.debug('script bundle unavailable while looking for client_id', { script, error });
        continue;
      }
      const id = clientIdIn(body);
      if (id) {
        this.logger.info('discovered SoundCloud web client_id', { script });
        return id;
      }
    }
    throw new SourceError(SOURCE, 'BAD_RESPONSE', 'no client_id found in the web player scripts');
  }
}
