import { expect } from 'vitest';
import { createMemoryCache } from '../../src/cache/store.js';
import { loadConfig } from '../../src/config.js';
import { parseGlobalId } from '../../src/domain/ids.js';
import { isSourceError } from '../../src/errors/source.js';
import { createClientFactory } from '../../src/http/upstream.js';
import { silentLogger } from '../../src/logger.js';
import type { NativeRef, Provider, ProviderDeps, ProviderFactory } from '../../src/providers/types.js';
import { callContext } from './providerHarness.js';
import { startReplayServer } from './replayServer.js';

/**
 * Issue 13 §5: every id the gateway hands out must open. These helpers collect the ids in a
 * provider's results (tracks, albums, artists, and the album and artist credits inside them)
 * and check that the provider's lookups take each one.
 */

export type Entity = 'track' | 'album' | 'artist';

export interface EmittedId {
  entity: Entity;
  id: string;
}

const CONCURRENCY = 64;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every id in `value`, with the entity its place says it names; each (entity, id) once. */
export function emittedIds(value: unknown): EmittedId[] {
  const found = new Map<string, EmittedId>();
  const add = (entity: Entity, id: unknown) => {
    if (typeof id === 'string') found.set(`${entity} ${id}`, { entity, id });
  };
  const credits = (list: unknown) => {
    if (Array.isArray(list)) for (const credit of list) if (isRecord(credit)) add('artist', credit.id);
  };
  const visit = (node: unknown, depth: number): void => {
    if (depth > 12) return;
    if (Array.isArray(node)) {
      for (const item of node) visit(item, depth + 1);
      return;
    }
    if (!isRecord(node)) return;
    if ('durationSec' in node && 'download' in node) {
      add('track', node.id);
      if (isRecord(node.album)) add('album', node.album.id);
      credits(node.artists);
    } else if ('trackCount' in node && 'tracks' in node) {
      add('album', node.id);
      credits(node.artists);
    } else if ('similar' in node && 'name' in node) {
      add('artist', node.id);
      credits(node.similar);
    }
    for (const child of Object.values(node)) if (typeof child === 'object' && child !== null) visit(child, depth + 1);
  };
  visit(value, 0);
  return [...found.values()];
}

/** The provider without its rate limit: these tests replay many recorded calls and judge answers, not pacing. */
export function unthrottled<P extends Provider>(factory: (deps: ProviderDeps) => P): (deps: ProviderDeps) => P {
  return (deps) => factory({ ...deps, createClient: (options) => deps.createClient({ ...options, rateLimit: undefined }) });
}

export function nativeRefOf(globalId: string): NativeRef {
  const parsed = parseGlobalId(globalId);
  if (!parsed) throw new Error(`not a global id: ${globalId}`);
  return { kind: parsed.kind, id: parsed.nativeId };
}

export function lookup(provider: Provider, entity: Entity, ref: NativeRef, ctx = callContext()): Promise<unknown> {
  if (entity === 'track') return provider.track!(ref, ctx);
  if (entity === 'album') return provider.album!(ref, ctx);
  return provider.artist!(ref, ctx);
}

/**
 * Each id is of its source, of a kind the source declares for its entity, and taken by the
 * lookup: asked against an upstream that answers 503 to everything, the lookup asks upstream and
 * reports UNAVAILABLE, instead of refusing the id unsent (NOT_FOUND). Rate limits are lifted.
 */
export async function expectLookupsTake(factory: ProviderFactory, ids: readonly EmittedId[]): Promise<void> {
  const server = await startReplayServer({ unmatchedExpected: true });
  server.fallback((_request, response) => {
    response.writeHead(503, { 'content-type': 'text/plain' });
    response.end('down for the test');
    return true;
  });
  try {
    const env = { LOG_LEVEL: 'silent', UPSTREAM_RETRIES: '0' };
    const config = loadConfig(env);
    const overrides = new Proxy({} as Record<string, string>, {
      get: (_target, host) => (typeof host === 'string' ? `${server.baseUrl}/${host}` : undefined),
      has: () => true,
    });
    Object.defineProperty(config, 'upstreamOverrides', { get: () => overrides });
    const createClient = createClientFactory({ config, cache: createMemoryCache(), logger: silentLogger });
    const provider = factory({ config, env, logger: silentLogger, createClient: (options) => createClient({ ...options, rateLimit: undefined, retries: 0 }) });
    // Concurrently, a few at a time. UNAVAILABLE can only come from upstream's 503, so the id got
    // past the lookup's own checks (which refuse with NOT_FOUND, unsent); shared steps such as a
    // token discovery make per-call request counts meaningless, so the outcome is what is judged.
    const check = async ({ entity, id }: EmittedId) => {
      const parsed = parseGlobalId(id);
      expect(parsed?.source, id).toBe(provider.id);
      expect(provider.idKinds?.[entity] ?? [], `${entity} ${id}`).toContain(parsed!.kind);
      let outcome = 'ok';
      try {
        await lookup(provider, entity, nativeRefOf(id));
      } catch (error) {
        outcome = isSourceError(error) ? `${error.kind}: ${error.message}` : String(error);
      }
      expect.soft(outcome, `${entity} ${id}`).toMatch(/^UNAVAILABLE/);
    };
    for (let start = 0; start < ids.length; start += CONCURRENCY) await Promise.all(ids.slice(start, start + CONCURRENCY).map(check));
    expect(server.requests.length).toBeGreaterThan(0);
  } finally {
    await server.close();
  }
}
