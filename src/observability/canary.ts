import { createMemoryCache } from '../cache/store.js';
import { createProviders, type ProviderOptions } from '../compose.js';
import { isSourceError, type SourceErrorKind } from '../errors/source.js';
import type { ProviderRegistry } from '../providers/registry.js';
import type { CallContext, Capabilities, Capability, Provider } from '../providers/types.js';

/**
 * Source checks ("canaries"): one known, real query per source, sent live, to learn whether
 * the source still answers and its answer can still be read — how the owner finds out that a
 * scraper broke. Each query asks for something that has existed for years (Leonard Cohen on
 * MusicBrainz, the US chart on Apple…), so an empty answer means the source or our reading of
 * it broke, not that the thing is gone.
 */
export interface CanaryProbe {
  /** The capability the probe calls (it must exist on the provider). */
  capability: Capability;
  /** What is asked, for the owner (Spanish): «búsqueda de artistas “Leonard Cohen”». */
  description: string;
  /** Calls the provider; resolves to how many things came back (0 = an empty answer). */
  run(provider: Provider, ctx: CallContext): Promise<number>;
}

/** Why a check failed: a source error kind, or `EMPTY` (nothing came back), or `INTERNAL` (a bug of ours). */
export type CheckErrorKind = SourceErrorKind | 'EMPTY' | 'INTERNAL';

export interface SourceCheckResult {
  sourceId: string;
  /** Display name of the source. */
  name: string;
  /** What was asked (`CanaryProbe.description`). */
  probe: string;
  ok: boolean;
  /** Time until the answer or the failure; null when nothing was sent (unconfigured). */
  latencyMs: number | null;
  errorKind: CheckErrorKind | null;
  /** Spanish explanation of the failure, with the technical detail in parentheses. */
  message: string | null;
  checkedAt: string;
}

type SearchCapability = 'searchTracks' | 'searchAlbums' | 'searchArtists';

/** Page sizes are those of the recorded requests where one exists, so the suite can replay them. */
function search(capability: SearchCapability, query: string, what: string, limit = 5): CanaryProbe {
  return {
    capability,
    description: `búsqueda de ${what} «${query}»`,
    run: async (provider, ctx) => (await call(provider, capability)({ query, limit, cursor: null }, ctx)).items.length,
  };
}

function chart(country: string | null, limit = 5): CanaryProbe {
  return {
    capability: 'chart',
    description: country ? `lista de éxitos de ${country}` : 'lista de éxitos global',
    run: async (provider, ctx) => (await call(provider, 'chart')({ country, genre: null, limit }, ctx)).entries.length,
  };
}

function lyrics(artist: string, title: string, album: string | null, durationSec: number | null): CanaryProbe {
  return {
    capability: 'lyrics',
    description: `letra de «${title}» de ${artist}`,
    run: async (provider, ctx) => {
      const found = await call(provider, 'lyrics')({ artist, title, album, durationSec, isrc: null }, ctx);
      return found && (found.text || found.synced?.length || found.instrumental) ? 1 : 0;
    },
  };
}

function lookup(capability: 'track' | 'album' | 'artist', kind: string, id: string, what: string): CanaryProbe {
  return {
    capability,
    description: `ficha de ${what}`,
    run: async (provider, ctx) => ((await call(provider, capability)({ kind, id }, ctx)) ? 1 : 0),
  };
}

const LEONARD_COHEN_MBID = '65314b12-0e08-43fa-ba33-baaa7b874c15';

/**
 * The canary of every source, by source id. A source added to the registry needs its line here
 * (a test checks that every registered provider has one and that it calls a capability the
 * provider has). Queries that the shared recordings also contain are preferred, so the test
 * suite can replay them.
 */
export const CANARY_PROBES: Readonly<Record<string, CanaryProbe>> = {
  musicbrainz: search('searchArtists', 'Leonard Cohen', 'artistas', 1),
  coverartarchive: {
    capability: 'coverArt',
    // "The Dark Side of the Moon" (release group), which has had front art for years.
    description: 'portada de «The Dark Side of the Moon» (grupo de lanzamientos de MusicBrainz)',
    run: async (provider, ctx) =>
      (await call(provider, 'coverArt')(
        { musicbrainzReleaseId: null, musicbrainzReleaseGroupId: 'f5093c06-23e3-404f-aeaa-40f72885ee3a' },
        ctx,
      ))
        ? 1
        : 0,
  },
  lastfm: chart(null),
  jamendo: search('searchArtists', 'we are fm', 'artistas'),
  musixmatch: chart('US'),
  lrclib: lyrics('Borislav Slavov', 'I Want to Live', "Baldur's Gate 3 (Original Game Soundtrack)", 233),
  vagalume: lyrics('Pearl Jam', 'Black', null, null),
  lyricscom: lyrics('The Beatles', 'Lady Madonna', null, null),
  deezer: chart(null),
  apple: chart('US', 20),
  wikipedia: {
    capability: 'artistBiography',
    description: 'biografía de Ed Sheeran en Wikipedia',
    run: async (provider, ctx) =>
      (await call(provider, 'artistBiography')(
        { name: 'Ed Sheeran', musicbrainzId: null, links: [{ platform: 'wikipedia', url: 'https://en.wikipedia.org/wiki/Ed_Sheeran' }] },
        ctx,
      ))
        ? 1
        : 0,
  },
  listenbrainz: lookup('artist', 'artist', LEONARD_COHEN_MBID, 'artista de Leonard Cohen (por MBID)'),
  youtubemusic: search('searchAlbums', 'axwell', 'álbumes'),
  soundcloud: search('searchTracks', 'lill uzi vert', 'pistas', 10),
  bandcamp: search('searchAlbums', 'C418', 'álbumes'),
  audiomack: search('searchTracks', 'burna boy', 'canciones'),
  internetarchive: search('searchAlbums', 'grateful dead', 'conciertos y álbumes'),
};

/** A provider method, bound, or a clear failure when the table names one the provider lacks. */
function call<C extends Capability>(provider: Provider, capability: C): Capabilities[C] {
  const method = provider[capability];
  if (typeof method !== 'function') throw new Error(`${provider.id} has no ${capability}: fix CANARY_PROBES`);
  return method.bind(provider) as Capabilities[C];
}

/** What each failure means to the owner. */
const KIND_TEXT: Record<CheckErrorKind, string> = {
  TIMEOUT: 'La fuente no respondió a tiempo',
  RATE_LIMITED: 'La fuente limita las peticiones ahora mismo (demasiadas seguidas)',
  UNAVAILABLE: 'No se pudo conectar con la fuente o respondió con un error de servidor',
  BAD_RESPONSE: 'La fuente respondió algo que ya no sabemos leer (¿cambió su formato o su web?)',
  NOT_FOUND: 'La fuente dice que no existe algo que debería existir (¿cambió sus direcciones?)',
  UNCONFIGURED: 'Fuente sin configurar: falta su credencial',
  UNAUTHORIZED: 'La fuente rechazó la credencial',
  ABORTED: 'La comprobación se canceló',
  BAD_INPUT: 'La consulta de prueba no vale para esta fuente (revisa CANARY_PROBES)',
  HOST_NOT_ALLOWED: 'La fuente redirigió a un servidor que no es suyo o a una dirección privada: se rechazó',
  BUDGET_EXCEEDED: 'La comprobación superó su número máximo de llamadas',
  DEADLINE_EXCEEDED: 'La comprobación superó su tiempo máximo',
  CACHE_MISS: 'No había respuesta guardada',
  EMPTY: 'La fuente respondió, pero sin ningún resultado para una consulta que siempre los tiene (¿cambió su formato?)',
  INTERNAL: 'Error interno de Música API al comprobar la fuente',
};

export interface SourceCheckerOptions {
  /** The whole probe (several upstream calls for some sources) gives up after this long. */
  deadlineMs?: number;
  now?: () => Date;
  /** Monotonic clock in ms, for latencies. */
  clock?: () => number;
}

/**
 * Runs canaries live: each run builds the providers anew with an empty in-memory cache, so
 * nothing is answered from the gateway's cache — only the source itself can make a check pass.
 * Retries, timeouts, rate limits and `UPSTREAM_OVERRIDES` are the gateway's own.
 */
export class SourceChecker {
  private readonly deadlineMs: number;
  private readonly now: () => Date;
  private readonly clock: () => number;

  constructor(
    private readonly providerOptions: Omit<ProviderOptions, 'cache'>,
    options: SourceCheckerOptions = {},
  ) {
    this.deadlineMs = options.deadlineMs ?? Math.max(30_000, providerOptions.config.upstreamTimeoutMs * 2);
    this.now = options.now ?? (() => new Date());
    this.clock = options.clock ?? (() => performance.now());
  }

  /** Source ids that can be checked, in registry order. */
  sourceIds(): string[] {
    return this.freshProviders()
      .all()
      .map((provider) => provider.id);
  }

  /** Checks one source; undefined when there is no such source. */
  async check(sourceId: string): Promise<SourceCheckResult | undefined> {
    const provider = this.freshProviders().get(sourceId);
    return provider && this.probe(provider);
  }

  /** Checks several sources (all by default), a few at a time, in registry order. */
  async checkAll(sourceIds?: readonly string[], concurrency = 4): Promise<SourceCheckResult[]> {
    const registry = this.freshProviders();
    const providers = sourceIds ? sourceIds.map((id) => registry.get(id)).filter((p): p is Provider => p !== undefined) : registry.all();
    const results: SourceCheckResult[] = new Array(providers.length);
    let next = 0;
    const worker = async () => {
      while (next < providers.length) {
        const index = next++;
        results[index] = await this.probe(providers[index]!);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, providers.length) }, worker));
    return results;
  }

  private freshProviders(): ProviderRegistry {
    return createProviders({ ...this.providerOptions, cache: createMemoryCache('canary') });
  }

  private async probe(provider: Provider): Promise<SourceCheckResult> {
    const probe = CANARY_PROBES[provider.id];
    const base = { sourceId: provider.id, name: provider.name, probe: probe?.description ?? '—', checkedAt: this.now().toISOString() };
    if (!probe) {
      return { ...base, ok: false, latencyMs: null, errorKind: 'INTERNAL', message: `${KIND_TEXT.INTERNAL} (no hay consulta de comprobación para ${provider.id})` };
    }
    if (!provider.configured) {
      const missing = provider.credentials.join(', ');
      return { ...base, ok: false, latencyMs: null, errorKind: 'UNCONFIGURED', message: `${KIND_TEXT.UNCONFIGURED}${missing ? ` (${missing})` : ''}` };
    }
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), this.deadlineMs);
    const started = this.clock();
    const elapsed = () => Math.round(this.clock() - started);
    try {
      const found = await probe.run(provider, { signal: deadline.signal, languages: ['es', 'en'], cacheMode: 'normal' });
      if (found === 0) return { ...base, ok: false, latencyMs: elapsed(), errorKind: 'EMPTY', message: KIND_TEXT.EMPTY };
      return { ...base, ok: true, latencyMs: elapsed(), errorKind: null, message: null };
    } catch (error) {
      const latencyMs = elapsed();
      if (deadline.signal.aborted) {
        return { ...base, ok: false, latencyMs, errorKind: 'TIMEOUT', message: `${KIND_TEXT.TIMEOUT} (sin respuesta completa en ${this.deadlineMs} ms)` };
      }
      if (isSourceError(error)) {
        return { ...base, ok: false, latencyMs, errorKind: error.kind, message: `${KIND_TEXT[error.kind]} (${error.message})` };
      }
      return { ...base, ok: false, latencyMs, errorKind: 'INTERNAL', message: `${KIND_TEXT.INTERNAL} (${(error as Error)?.message ?? String(error)})` };
    } finally {
      clearTimeout(timer);
    }
  }
}
