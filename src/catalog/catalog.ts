import type { Principal } from '../auth/types.js';
import { isAdmin } from '../auth/types.js';
import type { ChainName } from '../config.js';
import type { Album, Artist, Biography, Chart, ImageSet, Lyrics, Page, Track } from '../domain/types.js';
import { ApiError, badInput } from '../errors/api.js';
import type {
  ArtistQuery,
  Capability,
  CallContext,
  CoverArtQuery,
  LyricsQuery,
  NativeRef,
  Provider,
} from '../providers/types.js';
import type { Services } from '../services.js';
import { runChain, type ChainRequest, type ChainResult } from './chain.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { globalId, pageSize, searchText } from './input.js';
import { checkLyrics } from './matching.js';
import type { Attempt, ChainReport } from './provenance.js';
import { ProvenanceLog } from './provenance.js';

export type EntityKind = 'track' | 'album' | 'artist';
type SearchCapability = 'searchTracks' | 'searchAlbums' | 'searchArtists';
type SearchResult<C extends SearchCapability> = C extends 'searchTracks' ? Track : C extends 'searchAlbums' ? Album : Artist;
type Entity<K extends EntityKind> = K extends 'track' ? Track : K extends 'album' ? Album : Artist;

/** One page of a connection, with the cursor state each edge needs. */
export interface ConnectionPage<T> {
  items: T[];
  total: number | null;
  source: string;
  /** Cursor of each item (resume right after it). */
  cursors: string[];
  endCursor: string | null;
  hasNextPage: boolean;
}

interface SourcePlan {
  candidates: Provider[];
  skipped: Attempt[];
}

/**
 * The catalog as one request sees it: chains filtered by the caller's key, input checked before
 * anything goes upstream, every chain run reported to the request's provenance log.
 */
export class RequestCatalog {
  constructor(
    private readonly services: Services,
    readonly principal: Principal,
    readonly provenance: ProvenanceLog,
    private readonly signal: AbortSignal,
    readonly languages: readonly string[],
  ) {}

  /** The same catalog for this request, preferring other languages (a `lang` argument). */
  withLanguages(languages: readonly string[]): RequestCatalog {
    return new RequestCatalog(this.services, this.principal, this.provenance, this.signal, languages);
  }

  // ---- searches -------------------------------------------------------------------------

  async search<C extends SearchCapability>(
    capability: C,
    args: { query: string; first?: number | null; after?: string | null; source?: string | null },
  ): Promise<ConnectionPage<SearchResult<C>>> {
    const query = searchText(args.query, this.services.config.maxQueryLength);
    const limit = pageSize(args.first);
    const cursor = args.after ? decodeCursor(args.after) : null;
    // A continuation stays with the source that produced the first page.
    const plan = this.plan(capability, capability, cursor?.source ?? args.source ?? null);
    const skip = cursor?.skip ?? 0;
    const result = await this.run<Page<SearchResult<C>>>({
      field: capability,
      plan,
      call: (provider, ctx) =>
        (provider[capability] as (input: unknown, ctx: CallContext) => Promise<Page<SearchResult<C>>>).call(
          provider,
          { query, limit: limit + skip, cursor: cursor?.start ?? null },
          ctx,
        ),
      isEmpty: (page) => page.items.length === 0,
      staleFallback: true,
    });
    return toConnection(result.value, result.source, cursor?.start ?? null, skip, limit);
  }

  // ---- lookups by id --------------------------------------------------------------------

  /** Looks up one entity by global id at its own source. */
  lookup<K extends EntityKind>(kind: K, id: string): Promise<Entity<K>> {
    const { provider, ref } = this.resolveId(kind, id);
    return this.lookupAt(kind, provider, ref);
  }

  private async lookupAt<K extends EntityKind>(kind: K, provider: Provider, ref: NativeRef): Promise<Entity<K>> {
    const result = await this.run<Entity<K>>({
      field: kind,
      plan: { candidates: [provider], skipped: [] },
      call: (p, ctx) => (p[kind] as (ref: NativeRef, ctx: CallContext) => Promise<Entity<K>>).call(p, ref, ctx),
    });
    return result.value;
  }

  /**
   * Several ids at once, for DataLoader: one batch call per source where the source offers one,
   * else one call per id. A failed id becomes an Error in its slot; the others still resolve.
   */
  async lookupMany<K extends EntityKind>(kind: K, ids: readonly string[]): Promise<(Entity<K> | Error)[]> {
    const results: (Entity<K> | Error)[] = new Array(ids.length);
    const groups = new Map<string, { provider: Provider; refs: NativeRef[]; slots: number[] }>();
    ids.forEach((id, slot) => {
      try {
        const { provider, ref } = this.resolveId(kind, id);
        const group = groups.get(provider.id) ?? { provider, refs: [], slots: [] };
        group.refs.push(ref);
        group.slots.push(slot);
        groups.set(provider.id, group);
      } catch (error) {
        results[slot] = error as Error;
      }
    });
    const batchMethod = `${kind}sByIds` as 'tracksByIds' | 'albumsByIds' | 'artistsByIds';
    await Promise.all(
      [...groups.values()].map(async ({ provider, refs, slots }) => {
        const batch = provider[batchMethod] as ((refs: readonly NativeRef[], ctx: CallContext) => Promise<(Entity<K> | null)[]>) | undefined;
        if (batch && refs.length > 1) {
          try {
            const result = await this.run<(Entity<K> | null)[]>({
              field: `${kind} (batch of ${refs.length})`,
              plan: { candidates: [provider], skipped: [] },
              call: (p, ctx) => batch.call(p, refs, ctx),
            });
            slots.forEach((slot, i) => {
              results[slot] = result.value[i] ?? new ApiError('NOT_FOUND', `${provider.name} has no ${kind} ${refs[i]!.id}.`);
            });
          } catch (error) {
            slots.forEach((slot) => (results[slot] = error as Error));
          }
          return;
        }
        await Promise.all(
          slots.map(async (slot, i) => {
            try {
              results[slot] = await this.lookupAt(kind, provider, refs[i]!);
            } catch (error) {
              results[slot] = error as Error;
            }
          }),
        );
      }),
    );
    return results;
  }

  /** The artist's albums, singles and EPs, at the artist's own source. */
  artistAlbums(artistId: string, args: { first?: number | null; after?: string | null }): Promise<ConnectionPage<Album>> {
    return this.browse('artist', 'artistAlbums', 'Artist.discography', artistId, args);
  }

  /** Tracks the track's own source recommends with it. */
  relatedTracks(trackId: string, args: { first?: number | null; after?: string | null }): Promise<ConnectionPage<Track>> {
    return this.browse('track', 'relatedTracks', 'Track.related', trackId, args);
  }

  /** A list hanging off one entity, at the entity's source; empty when the source has no such list. */
  private async browse<T>(
    kind: EntityKind,
    capability: 'artistAlbums' | 'relatedTracks',
    field: string,
    id: string,
    args: { first?: number | null; after?: string | null },
  ): Promise<ConnectionPage<T>> {
    const limit = pageSize(args.first);
    const cursor = args.after ? decodeCursor(args.after) : null;
    const source = globalId(id).source;
    const method = this.services.providers.get(source)?.[capability] as
      | ((ref: NativeRef, input: { limit: number; cursor: string | null }, ctx: CallContext) => Promise<Page<T>>)
      | undefined;
    if (!method) return { items: [], total: 0, source, cursors: [], endCursor: null, hasNextPage: false };
    const { provider, ref } = this.resolveId(kind, id);
    if (cursor && cursor.source !== provider.id) throw badInput('"after" belongs to another list.', 'after');
    const skip = cursor?.skip ?? 0;
    const result = await this.run<Page<T>>({
      field,
      plan: { candidates: [provider], skipped: [] },
      call: (p, ctx) => method.call(p, ref, { limit: limit + skip, cursor: cursor?.start ?? null }, ctx),
    });
    return toConnection(result.value, result.source, cursor?.start ?? null, skip, limit);
  }

  // ---- charts and lyrics ----------------------------------------------------------------

  async chart(args: { country: string | null; genre: string | null; first: number; source: string | null }): Promise<Chart> {
    const chain: ChainName = args.country ? 'chart' : 'chartGlobal';
    const plan = this.plan(chain, 'chart', args.source);
    const result = await this.run<Chart>({
      field: args.country ? `chart(${args.country})` : 'chart(GLOBAL)',
      plan,
      call: (p, ctx) => p.chart!({ country: args.country, genre: args.genre, limit: args.first }, ctx),
      isEmpty: (chart) => chart.entries.length === 0,
      staleFallback: true,
    });
    return { ...result.value, entries: result.value.entries.slice(0, args.first) };
  }

  /**
   * Lyrics for a song of any source, found by artist, title and duration. A candidate whose
   * artist or title is not similar enough, or whose length differs too much, is rejected and the
   * next source is asked (thresholds in `matching.ts`).
   */
  async lyrics(query: LyricsQuery, options: { source?: string | null; required: boolean }): Promise<Lyrics | null> {
    const plan = this.plan('lyrics', 'lyrics', options.source ?? null, !options.required);
    const run = this.run<Lyrics | null>({
      field: 'lyrics',
      plan,
      call: (p, ctx) => p.lyrics!(query, ctx),
      isEmpty: (lyrics) => lyrics === null || (!lyrics.text && !lyrics.synced?.length && !lyrics.instrumental),
      reject: (lyrics) => {
        const verdict = checkLyrics(query, lyrics!);
        lyrics!.match = verdict.match;
        return verdict.accepted ? null : (verdict.reason ?? 'not the same song');
      },
    });
    if (options.required) {
      const notFound = (attempts: unknown = []) =>
        new ApiError('NOT_FOUND', `No lyrics found for "${query.title}" by ${query.artist}.`, { attempts });
      const result = await run.catch((error: unknown) => {
        throw error instanceof ApiError && error.extensions.code === 'NOT_FOUND' ? notFound(error.extensions.attempts) : error;
      });
      if (!result.value) throw notFound(result.report.attempts);
      return result.value;
    }
    return this.optional(run);
  }

  // ---- enrichments: never fail the parent, null when nothing fits --------------------------

  coverArt(query: CoverArtQuery): Promise<ImageSet | null> {
    return this.enrich('coverArt', 'coverArt', 'cover', (p, ctx) => p.coverArt!(query, ctx));
  }

  artistBiography(query: ArtistQuery): Promise<Biography | null> {
    return this.enrich('artistBiography', 'artistBiography', 'Artist.biography', (p, ctx) => p.artistBiography!(query, ctx));
  }

  artistImage(query: ArtistQuery): Promise<ImageSet | null> {
    return this.enrich('artistImage', 'artistImage', 'Artist.photo', (p, ctx) => p.artistImage!(query, ctx));
  }

  /** Whether this caller may see results of `source` (used to hide out-of-scope enrichments). */
  mayUse(source: string): boolean {
    return isAdmin(this.principal) || this.principal.scope === source;
  }

  // ---- internals ------------------------------------------------------------------------

  private async enrich<T>(
    chain: ChainName,
    capability: Capability,
    field: string,
    call: (provider: Provider, ctx: CallContext) => Promise<T | null>,
  ): Promise<T | null> {
    const plan = this.plan(chain, capability, null, true);
    if (plan.candidates.length === 0) return null;
    return this.optional(this.run<T | null>({ field, plan, call, isEmpty: (value) => value === null, staleFallback: true }));
  }

  private async optional<T>(run: Promise<ChainResult<T | null>>): Promise<T | null> {
    try {
      return (await run).value;
    } catch (error) {
      if (error instanceof ApiError) return null;
      throw error;
    }
  }

  private run<T>(request: { field: string; plan: SourcePlan } & Pick<ChainRequest<T>, 'call' | 'isEmpty' | 'reject' | 'staleFallback'>): Promise<ChainResult<T>> {
    const { services } = this;
    return runChain<T>({
      field: request.field,
      candidates: request.plan.candidates,
      skipped: request.plan.skipped,
      call: request.call,
      isEmpty: request.isEmpty,
      reject: request.reject,
      staleFallback: request.staleFallback ?? true,
      hedgeDelayMs: services.config.hedgeDelayMs,
      health: services.health,
      signal: this.signal,
      languages: this.languages,
    }).then(
      (result) => {
        this.report(result.report);
        return result;
      },
      (error: unknown) => {
        if (error instanceof ApiError) {
          const attempts = (error.extensions.attempts as Attempt[] | undefined) ?? [];
          this.report({ field: request.field, answeredBy: null, stale: false, attempts });
        }
        throw error;
      },
    );
  }

  private report(report: ChainReport): void {
    this.provenance.add(report);
    this.services.metrics.observeChain(report);
  }

  /**
   * Which sources a chain may use for this caller. An explicit source (argument or cursor) is
   * checked strictly; a source key is pinned to its own source; the admin key walks the
   * configured chain, skipping inactive, unconfigured and non-supporting sources.
   * `lenient` (enrichments) turns scope problems into an empty plan instead of an error.
   */
  private plan(chain: ChainName, capability: Capability, explicit: string | null, lenient = false): SourcePlan {
    const registry = this.services.providers;
    if (explicit || !isAdmin(this.principal)) {
      const sourceId = explicit ?? this.principal.scope;
      const provider = registry.get(sourceId);
      if (!provider) throw badInput(`Unknown source "${sourceId}". Known sources: ${registry.all().map((p) => p.id).join(', ')}.`, 'source');
      try {
        this.checkUsable(provider);
      } catch (error) {
        if (lenient) return { candidates: [], skipped: [] };
        throw error;
      }
      if (typeof provider[capability] !== 'function') {
        if (lenient) return { candidates: [], skipped: [] };
        throw badInput(`${provider.name} does not offer ${capability}.`, 'source');
      }
      return { candidates: [provider], skipped: [] };
    }
    const candidates: Provider[] = [];
    const skipped: Attempt[] = [];
    for (const id of this.services.config.chains[chain]) {
      const provider = registry.get(id);
      if (!provider || typeof provider[capability] !== 'function') continue;
      if (this.services.access.sourceStatus(id) === 'inactive') skipped.push({ source: id, outcome: 'skipped-inactive', ms: 0 });
      else if (!provider.configured) skipped.push({ source: id, outcome: 'skipped-unconfigured', ms: 0 });
      else candidates.push(provider);
    }
    return { candidates, skipped };
  }

  private checkUsable(provider: Provider): void {
    if (!this.mayUse(provider.id)) {
      throw new ApiError('FORBIDDEN', `This key may only use the source "${this.principal.scope}"; it cannot use ${provider.name} (${provider.id}).`, {
        source: provider.id,
      });
    }
    if (this.services.access.sourceStatus(provider.id) === 'inactive') {
      throw new ApiError('SOURCE_INACTIVE', `The source ${provider.name} (${provider.id}) is inactive.`, { source: provider.id });
    }
    if (!provider.configured) {
      throw new ApiError('SOURCES_UNAVAILABLE', `${provider.name} is not configured on this server (needs ${provider.credentials.join(', ')}).`, {
        source: provider.id,
      });
    }
  }

  private resolveId(kind: EntityKind, id: string): { provider: Provider; ref: NativeRef } {
    const parsed = globalId(id);
    const provider = this.services.providers.get(parsed.source);
    if (!provider) throw badInput(`Unknown source "${parsed.source}" in id "${id}".`, 'id');
    const kinds = provider.idKinds?.[kind] ?? [];
    if (!kinds.includes(parsed.kind) || typeof provider[kind] !== 'function') {
      throw badInput(`"${id}" is not a ${kind} id of ${provider.name}${kinds.length ? ` (expected kind ${kinds.join(' or ')})` : ''}.`, 'id');
    }
    this.checkUsable(provider);
    return { provider, ref: { kind: parsed.kind, id: parsed.nativeId } };
  }
}

function toConnection<T>(page: Page<T>, source: string, start: string | null, skip: number, limit: number): ConnectionPage<T> {
  const items = page.items.slice(skip, skip + limit);
  const hasMoreInPage = page.items.length > skip + limit;
  const cursors = items.map((_, index) => encodeCursor({ source, start, skip: skip + index + 1 }));
  const hasNextPage = hasMoreInPage || page.nextCursor !== null;
  const endCursor = hasMoreInPage
    ? (cursors.at(-1) ?? null)
    : page.nextCursor !== null
      ? encodeCursor({ source, start: page.nextCursor, skip: 0 })
      : (cursors.at(-1) ?? null);
  if (!hasMoreInPage && cursors.length > 0 && page.nextCursor !== null) cursors[cursors.length - 1] = endCursor!;
  return { items, total: page.total, source, cursors, endCursor, hasNextPage };
}
