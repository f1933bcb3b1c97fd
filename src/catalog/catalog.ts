import type { Principal } from '../auth/types.js';
import { isAdmin } from '../auth/types.js';
import type { ChainName } from '../config.js';
import type { Album, Artist, Biography, Chart, ImageSet, Lyrics, Page, Track } from '../domain/types.js';
import { ApiError, badInput, type Text } from '../errors/api.js';
import { DeadlineReached } from '../errors/source.js';
import type { UpstreamBudget } from '../http/types.js';
import type { ArtistQuery, Capabilities, Capability, CallContext, CoverArtQuery, LyricsQuery, NativeRef, Provider } from '../providers/types.js';
import type { Services } from '../services.js';
import { AvailabilityResolver, type TrackMatch } from './availability.js';
import { deadlineMessage, runChain, type ChainRequest } from './chain.js';
import { decodeCursor, emptyConnection, toConnection, type Connection } from './connection.js';
import { globalId, pageSize, searchText } from './input.js';
import { checkLyrics } from './matching.js';
import type { Attempt, ChainReport } from './provenance.js';
import { ProvenanceLog } from './provenance.js';

export type EntityKind = 'track' | 'album' | 'artist';
type SearchCapability = 'searchTracks' | 'searchAlbums' | 'searchArtists';
type SearchResult<C extends SearchCapability> = C extends 'searchTracks' ? Track : C extends 'searchAlbums' ? Album : Artist;
export type Entity<K extends EntityKind> = K extends 'track' ? Track : K extends 'album' ? Album : Artist;

/** The sources a chain may use for this caller, or why it may use none. */
type Plan = { candidates: Provider[]; skipped: Attempt[] } | { refused: ApiError };

/** Everything a request's catalog needs besides the process-wide services. */
export interface RequestScope {
  principal: Principal;
  provenance: ProvenanceLog;
  signal: AbortSignal;
  languages: readonly string[];
  budget?: UpstreamBudget;
  requestId?: string;
}

/**
 * Calls a provider's capability bound to the provider, typed by the capability's own signature.
 * The caller has checked that the provider implements it.
 */
function invoke<C extends Capability>(provider: Provider, capability: C, ...args: Parameters<Capabilities[C]>): ReturnType<Capabilities[C]> {
  const method = provider[capability] as ((...a: Parameters<Capabilities[C]>) => ReturnType<Capabilities[C]>) | undefined;
  if (typeof method !== 'function') throw new Error(`${provider.id} does not implement ${capability}`);
  return method.apply(provider, args);
}

/**
 * The catalog as one request sees it: chains filtered by the caller's key, input checked before
 * anything goes upstream, every chain run reported to the request's provenance log.
 */
export class RequestCatalog {
  private availabilityResolver: AvailabilityResolver | undefined;
  /** Discography pages asked in this request, so one started early (`prefetchArtistAlbums`) is not asked twice. */
  private readonly albumPages = new Map<string, Promise<Connection<Album>>>();

  constructor(
    private readonly services: Services,
    private readonly scope: RequestScope,
  ) {}

  /** The same recording at other sources (one resolver per request: each pair is resolved once). */
  get availability(): AvailabilityResolver {
    this.availabilityResolver ??= new AvailabilityResolver({
      sources: () => this.availabilitySources(),
      ask: (provider, field, memo, call) =>
        this.run({ field, candidates: [provider], call, memo: `availability:${memo}` }).then((result) => result.value),
      cache: this.services.cache,
    });
    return this.availabilityResolver;
  }

  /** The availability chain as this caller may use it now: active, configured, in scope. */
  private availabilitySources(): Provider[] {
    return this.services.config.chains.availability
      .map((id) => this.services.providers.get(id))
      .filter((provider): provider is Provider => provider !== undefined && this.unusable(provider) === null);
  }

  /**
   * Says in the provenance, once per track and field, that `field` was filled from the same
   * recording at another source: which track lent it, how it matched and how surely.
   */
  reportBorrowing(field: 'Track.playbackUrl' | 'Track.downloads', track: Track, match: TrackMatch): void {
    if (!this.scope.provenance.borrowOnce(`${track.id}|${field}`)) return;
    this.scope.provenance.add({
      field,
      answeredBy: match.source,
      stale: false,
      attempts: [],
      borrowed: { for: track.id, from: match.track.id, matchedBy: match.matchedBy, confidence: match.confidence },
    });
  }

  /** The display name of a source. */
  sourceName(id: string): string {
    return this.services.providers.get(id)?.name ?? id;
  }

  get provenance(): ProvenanceLog {
    return this.scope.provenance;
  }

  /** The same catalog for this request, preferring other languages (a `lang` argument). */
  withLanguages(languages: readonly string[]): RequestCatalog {
    return new RequestCatalog(this.services, { ...this.scope, languages });
  }

  // ---- searches -------------------------------------------------------------------------

  async search<C extends SearchCapability>(
    capability: C,
    args: { query: string; first?: number | null; after?: string | null; source?: string | null },
  ): Promise<Connection<SearchResult<C>>> {
    const query = searchText(args.query, this.services.config.maxQueryLength);
    const limit = pageSize(args.first);
    const cursor = args.after ? decodeCursor(args.after) : null;
    // A continuation stays with the source that produced the first page.
    const plan = this.required(this.plan(capability, capability, cursor?.source ?? args.source ?? null));
    const skip = cursor?.skip ?? 0;
    const input = { query, limit: limit + skip, cursor: cursor?.start ?? null };
    const result = await this.run<Page<SearchResult<C>>>({
      field: capability,
      ...plan,
      call: (provider, ctx) => invoke(provider, capability as SearchCapability, input, ctx) as Promise<Page<SearchResult<C>>>,
      memo: `${capability}:${JSON.stringify(input)}`,
      isEmpty: (page) => page.items.length === 0,
    });
    return toConnection(result.value, result.source, cursor?.start ?? null, skip, limit);
  }

  /** Recordings with this ISRC, from the first source of the chain that knows it. */
  async tracksByIsrc(isrc: string, args: { source?: string | null } = {}): Promise<{ tracks: Track[]; source: string }> {
    const { value, source } = await this.byCode('tracksByIsrc', isrc, args.source ?? null, (provider, ctx) => invoke(provider, 'tracksByIsrc', isrc, ctx));
    return { tracks: value, source };
  }

  /** Releases with this barcode, from the first source of the chain that knows it. */
  async albumsByBarcode(barcode: string, args: { source?: string | null } = {}): Promise<{ albums: Album[]; source: string }> {
    const { value, source } = await this.byCode('albumsByBarcode', barcode, args.source ?? null, (provider, ctx) => invoke(provider, 'albumsByBarcode', barcode, ctx));
    return { albums: value, source };
  }

  /** The first non-empty list a chain answers for an identifier (an ISRC, a barcode). */
  private byCode<T>(capability: 'tracksByIsrc' | 'albumsByBarcode', code: string, source: string | null, call: ChainRequest<T[]>['call']) {
    const plan = this.required(this.plan(capability, capability, source));
    return this.run<T[]>({ field: capability, ...plan, call, memo: `${capability}:${code}`, isEmpty: (items) => items.length === 0 });
  }

  // ---- lookups by id --------------------------------------------------------------------

  private async lookupAt<K extends EntityKind>(kind: K, provider: Provider, ref: NativeRef): Promise<Entity<K>> {
    const result = await this.run<Entity<K>>({
      field: kind,
      candidates: [provider],
      call: (p, ctx) => invoke(p, kind as EntityKind, ref, ctx) as Promise<Entity<K>>,
      memo: `${kind}:${ref.kind}:${ref.id}`,
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
          const result = await this.run<(Entity<K> | null)[]>({
            field: `${kind} (batch of ${refs.length})`,
            candidates: [provider],
            call: (p, ctx) => batch.call(p, refs, ctx),
            memo: `${kind}s:${refs.map((ref) => `${ref.kind}:${ref.id}`).join(',')}`,
          }).catch((error: unknown) => error as Error);
          slots.forEach((slot, i) => {
            if (result instanceof Error) results[slot] = result;
            else results[slot] = result.value[i] ?? new ApiError('NOT_FOUND', noSuchEntity(provider, kind, refs[i]!.id));
          });
          return;
        }
        await Promise.all(
          slots.map(async (slot, i) => {
            results[slot] = await this.lookupAt(kind, provider, refs[i]!).catch((error: unknown) => error as Error);
          }),
        );
      }),
    );
    return results;
  }

  /** The artist's albums, singles and EPs, at the artist's own source. */
  artistAlbums(artistId: string, args: { first?: number | null; after?: string | null }): Promise<Connection<Album>> {
    const key = JSON.stringify([artistId, args.first ?? null, args.after ?? null]);
    let page = this.albumPages.get(key);
    if (!page) {
      page = this.browse<Album>('artist', 'artistAlbums', 'Artist.discography', artistId, args);
      this.albumPages.set(key, page);
    }
    return page;
  }

  /**
   * Starts the discography page of an artist whose lookup is about to start, when the request
   * asks for both: the two are independent calls, and run together they cost one round trip
   * instead of two (MusicBrainz's rate limit allows a small burst). `artistAlbums` with the same
   * arguments later gets this page. A failure here is reported there, or nowhere when the
   * artist itself fails.
   */
  prefetchArtistAlbums(artistId: string, args: { first?: number | null; after?: string | null }): void {
    this.artistAlbums(artistId, args).catch(() => undefined);
  }

  /** Tracks the track's own source recommends with it. */
  relatedTracks(trackId: string, args: { first?: number | null; after?: string | null }): Promise<Connection<Track>> {
    return this.browse('track', 'relatedTracks', 'Track.related', trackId, args);
  }

  /** Artists the artist's own source relates to it, where the source has a dedicated list. */
  similarArtists(artistId: string, args: { first?: number | null; after?: string | null }): Promise<Connection<Artist>> {
    return this.browse('artist', 'similarArtists', 'Artist.similar', artistId, args);
  }

  /** Whether the entity's own source has a dedicated list for this capability. */
  hasList(id: string, capability: 'artistAlbums' | 'relatedTracks' | 'similarArtists'): boolean {
    const source = globalId(id).source;
    return typeof this.services.providers.get(source)?.[capability] === 'function';
  }

  /** A list hanging off one entity, at the entity's source; empty when the source has no such list. */
  private async browse<T>(
    kind: EntityKind,
    capability: 'artistAlbums' | 'relatedTracks' | 'similarArtists',
    field: string,
    id: string,
    args: { first?: number | null; after?: string | null },
  ): Promise<Connection<T>> {
    const limit = pageSize(args.first);
    const cursor = args.after ? decodeCursor(args.after) : null;
    if (!this.hasList(id, capability)) return emptyConnection(globalId(id).source);
    const { provider, ref } = this.resolveId(kind, id);
    if (cursor && cursor.source !== provider.id) throw badInput({ en: '"after" belongs to another list.', es: '«after» es un cursor de otra lista.' }, 'after');
    const skip = cursor?.skip ?? 0;
    const input = { limit: limit + skip, cursor: cursor?.start ?? null };
    const result = await this.run<Page<T>>({
      field,
      candidates: [provider],
      call: (p, ctx) => invoke(p, capability, ref, input, ctx) as Promise<Page<T>>,
      memo: `${capability}:${ref.kind}:${ref.id}:${JSON.stringify(input)}`,
    });
    return toConnection(result.value, result.source, cursor?.start ?? null, skip, limit);
  }

  // ---- charts and lyrics ----------------------------------------------------------------

  async chart(args: { country: string | null; genre: string | null; first: number; source: string | null }): Promise<Chart> {
    const chain: ChainName = args.country ? 'chart' : 'chartGlobal';
    let plan = this.required(this.plan(chain, 'chart', args.source));
    if (args.genre) plan = this.genrePlan(plan, args.genre);
    const input = { country: args.country, genre: args.genre, limit: args.first };
    const result = await this.run<Chart>({
      field: `chart(${args.country ?? 'GLOBAL'}${args.genre ? `, ${args.genre}` : ''})`,
      ...plan,
      call: (p, ctx) => invoke(p, 'chart', input, ctx),
      memo: `chart:${JSON.stringify(input)}`,
      isEmpty: (chart) => chart.entries.length === 0,
    });
    return { ...result.value, entries: result.value.entries.slice(0, args.first) };
  }

  /** Only the sources that chart this genre; a genre nobody charts is the caller's mistake. */
  private genrePlan(plan: { candidates: Provider[]; skipped: Attempt[] }, genre: string): { candidates: Provider[]; skipped: Attempt[] } {
    const wanted = genre.trim().toLowerCase();
    const candidates = plan.candidates.filter((provider) => provider.chartGenres?.includes(wanted));
    if (candidates.length > 0) return { candidates, skipped: plan.skipped };
    const offered = [...new Set(plan.candidates.flatMap((provider) => provider.chartGenres ?? []))].sort();
    throw badInput(
      offered.length
        ? {
            en: `No source charts the genre "${genre}". Genres with a chart: ${offered.join(', ')}.`,
            es: `Ninguna fuente tiene lista del género «${genre}». Géneros con lista: ${offered.join(', ')}.`,
          }
        : { en: 'No available source charts by genre.', es: 'Ninguna fuente disponible tiene listas por género.' },
      'genre',
    );
  }

  /**
   * Lyrics for a song of any source, found by artist, title and duration. A candidate whose
   * artist or title is not similar enough, or whose length differs too much, is rejected and the
   * next source is asked (thresholds in `matching.ts`).
   */
  async lyrics(query: LyricsQuery, options: { source?: string | null; required: boolean }): Promise<Lyrics | null> {
    const plan = this.plan('lyrics', 'lyrics', options.source ?? null);
    if ('refused' in plan) {
      if (options.required) throw plan.refused;
      return null;
    }
    const request: ChainRequest<Lyrics | null> = {
      field: 'lyrics',
      ...plan,
      call: async (p, ctx) => {
        const lyrics = await invoke(p, 'lyrics', query, ctx);
        return lyrics ? { ...lyrics, match: checkLyrics(query, lyrics).match } : null;
      },
      memo: `lyrics:${JSON.stringify(query)}`,
      isEmpty: (lyrics) => lyrics === null || (!lyrics.text && !lyrics.synced?.length && !lyrics.instrumental),
      reject: (lyrics) => {
        const verdict = checkLyrics(query, lyrics!);
        return verdict.accepted ? null : (verdict.reason ?? 'not the same song');
      },
    };
    if (!options.required) return this.optional(request);
    const notFound = (attempts: unknown = []) =>
      new ApiError(
        'NOT_FOUND',
        { en: `No lyrics found for "${query.title}" by ${query.artist}.`, es: `No se ha encontrado la letra de «${query.title}» de ${query.artist}.` },
        { attempts },
      );
    try {
      const result = await this.run(request);
      if (!result.value) throw notFound(result.report.attempts);
      return result.value;
    } catch (error) {
      if (error instanceof ApiError && error.code === 'NOT_FOUND') throw notFound(error.extensions.attempts);
      throw error;
    }
  }

  // ---- enrichments: never fail the parent, null when nothing fits --------------------------

  coverArt(query: CoverArtQuery): Promise<ImageSet | null> {
    return this.enrich('coverArt', 'coverArt', 'cover', `coverArt:${query.musicbrainzReleaseId}|${query.musicbrainzReleaseGroupId}`, (p, ctx) =>
      invoke(p, 'coverArt', query, ctx),
    );
  }

  artistBiography(query: ArtistQuery): Promise<Biography | null> {
    return this.enrich('artistBiography', 'artistBiography', 'Artist.biography', `bio:${artistMemo(query)}`, (p, ctx) => invoke(p, 'artistBiography', query, ctx));
  }

  artistImage(query: ArtistQuery): Promise<ImageSet | null> {
    return this.enrich('artistImage', 'artistImage', 'Artist.photo', `photo:${artistMemo(query)}`, (p, ctx) => invoke(p, 'artistImage', query, ctx));
  }

  /** Whether this caller may see results of `source` (used to hide out-of-scope enrichments). */
  mayUse(source: string): boolean {
    return isAdmin(this.scope.principal) || this.scope.principal.scope === source;
  }

  // ---- internals ------------------------------------------------------------------------

  private async enrich<T>(
    chain: ChainName,
    capability: Capability,
    field: string,
    memo: string,
    call: (provider: Provider, ctx: CallContext) => Promise<T | null>,
  ): Promise<T | null> {
    const plan = this.plan(chain, capability, null);
    if ('refused' in plan || plan.candidates.length === 0) return null;
    return this.optional<T>({ field, ...plan, call, memo, isEmpty: (value) => value === null });
  }

  /** Runs a chain whose failure leaves the field null (and the error in the provenance). */
  private async optional<T>(request: ChainRequest<T | null>): Promise<T | null> {
    try {
      return (await this.run(request)).value;
    } catch (error) {
      if (error instanceof ApiError) return null;
      throw error;
    }
  }

  private async run<T>(request: ChainRequest<T>): Promise<{ value: T; source: string; report: ChainReport }> {
    const { services, scope } = this;
    if (scope.signal.aborted && scope.signal.reason instanceof DeadlineReached) {
      const report: ChainReport = { field: request.field, answeredBy: null, stale: false, attempts: [] };
      this.report(report);
      throw new ApiError('DEADLINE_EXCEEDED', deadlineMessage(request.field));
    }
    const result = await runChain<T>(request, {
      hedgeDelayMs: services.config.hedgeDelayMs,
      health: services.health,
      signal: scope.signal,
      languages: scope.languages,
      results: services.results,
      cache: services.cache,
      logger: services.logger,
      budget: scope.budget,
      requestId: scope.requestId,
    });
    this.report(result.report);
    if (!result.ok) throw result.error;
    return result;
  }

  private report(report: ChainReport): void {
    this.scope.provenance.add(report);
    this.services.metrics.observeChain(report);
  }

  private required(plan: Plan): { candidates: Provider[]; skipped: Attempt[] } {
    if ('refused' in plan) throw plan.refused;
    return plan;
  }

  /**
   * Which sources a chain may use for this caller. An explicit source (argument or cursor) is
   * checked strictly; a source key is pinned to its own source; the admin key walks the
   * configured chain, skipping inactive, unconfigured and non-supporting sources.
   */
  private plan(chain: ChainName, capability: Capability, explicit: string | null): Plan {
    const registry = this.services.providers;
    if (explicit || !isAdmin(this.scope.principal)) {
      const sourceId = explicit ?? this.scope.principal.scope;
      const provider = registry.get(sourceId);
      if (!provider) return { refused: badInput(unknownSource(sourceId, registry.all()), 'source') };
      const unusable = this.unusable(provider);
      if (unusable) return { refused: unusable };
      if (typeof provider[capability] !== 'function') {
        return { refused: badInput({ en: `${provider.name} does not offer ${capability}.`, es: `${provider.name} no ofrece ${capability}.` }, 'source') };
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

  /** Why this caller cannot use `provider` now, or null. */
  private unusable(provider: Provider): ApiError | null {
    if (!this.mayUse(provider.id)) {
      const scope = this.scope.principal.scope;
      return new ApiError(
        'FORBIDDEN',
        {
          en: `This key may only use the source "${scope}"; it cannot use ${provider.name} (${provider.id}).`,
          es: `Esta clave solo puede usar la fuente «${scope}»; no puede usar ${provider.name} (${provider.id}).`,
        },
        { source: provider.id },
      );
    }
    if (this.services.access.sourceStatus(provider.id) === 'inactive') {
      return new ApiError(
        'SOURCE_INACTIVE',
        { en: `The source ${provider.name} (${provider.id}) is inactive.`, es: `La fuente ${provider.name} (${provider.id}) está desactivada.` },
        { source: provider.id },
      );
    }
    if (!provider.configured) {
      const needs = provider.credentials.join(', ');
      return new ApiError(
        'SOURCES_UNAVAILABLE',
        {
          en: `${provider.name} is not configured on this server (needs ${needs}).`,
          es: `${provider.name} no está configurada en este servidor (necesita ${needs}).`,
        },
        { source: provider.id },
      );
    }
    return null;
  }

  /** The provider and native ref behind a global id of the given kind, checked for this caller. */
  resolveId(kind: EntityKind, id: string): { provider: Provider; ref: NativeRef } {
    const parsed = globalId(id);
    const provider = this.services.providers.get(parsed.source);
    if (!provider) throw badInput(unknownSourceInId(parsed.source, id), 'id');
    const kinds = provider.idKinds?.[kind] ?? [];
    if (!kinds.includes(parsed.kind) || typeof provider[kind] !== 'function') {
      throw badInput(
        {
          en: `"${id}" is not a ${kind} id of ${provider.name}${kinds.length ? ` (expected kind ${kinds.join(' or ')})` : ''}.`,
          es: `«${id}» no es un id de ${ENTITY_NAMES_ES[kind]} de ${provider.name}${kinds.length ? ` (se esperaba el tipo ${kinds.join(' o ')})` : ''}.`,
        },
        'id',
      );
    }
    const unusable = this.unusable(provider);
    if (unusable) throw unusable;
    return { provider, ref: { kind: parsed.kind, id: parsed.nativeId } };
  }
}

/** Entity kinds as a Spanish message names them, with and without article. */
const ENTITY_NAMES_ES: Record<EntityKind, string> = { track: 'canción', album: 'álbum', artist: 'artista' };
const ENTITY_ARTICLES_ES: Record<EntityKind, string> = { track: 'la', album: 'el', artist: 'el' };

function noSuchEntity(provider: Provider, kind: EntityKind, id: string): Text {
  return { en: `${provider.name} has no ${kind} ${id}.`, es: `${provider.name} no tiene ${ENTITY_ARTICLES_ES[kind]} ${ENTITY_NAMES_ES[kind]} ${id}.` };
}

export function unknownSource(id: string, known: readonly Provider[]): Text {
  const list = known.map((p) => p.id).join(', ');
  return { en: `Unknown source "${id}". Known sources: ${list}.`, es: `No hay ninguna fuente «${id}». Fuentes conocidas: ${list}.` };
}

export function unknownSourceInId(source: string, id: string): Text {
  return { en: `Unknown source "${source}" in id "${id}".`, es: `El id «${id}» nombra una fuente que no existe: «${source}».` };
}

function artistMemo(query: ArtistQuery): string {
  return `${query.musicbrainzId ?? ''}|${query.name.toLowerCase()}|${query.links.map((link) => link.url).join(' ')}`;
}
