import { loadConfig, type AppConfig } from '../../src/config.js';
import { createMemoryCache } from '../../src/cache/store.js';
import { createClientFactory } from '../../src/http/upstream.js';
import { isSourceError, type SourceError } from '../../src/errors/source.js';
import { silentLogger, type Logger } from '../../src/logger.js';
import type { CallContext, Provider, ProviderDeps, ProviderFactory } from '../../src/providers/types.js';
import { startReplayServer, type ReplayOptions, type ReplayServer } from './replayServer.js';

export interface ReplayHarness<P extends Provider = Provider> {
  provider: P;
  server: ReplayServer;
  /** A fresh call context (es, en; normal cache mode). */
  ctx: CallContext;
  deps: ProviderDeps;
  close(): Promise<void>;
}

export interface HarnessOptions extends ReplayOptions {
  /** Environment for the provider (credentials) and config overrides. */
  env?: Record<string, string>;
  logger?: Logger;
}

export function callContext(overrides: Partial<CallContext> = {}): CallContext {
  return { signal: new AbortController().signal, languages: ['es', 'en'], cacheMode: 'normal', ...overrides };
}

/**
 * Builds a provider with the real upstream client (fresh in-memory cache, real rate limits)
 * pointed at a replay server that serves the recordings of `options.sources`.
 */
export async function replayProvider<P extends Provider>(
  factory: (deps: ProviderDeps) => P,
  options: HarnessOptions = {},
): Promise<ReplayHarness<P>> {
  const server = await startReplayServer(options);
  const env = { LOG_LEVEL: 'silent', UPSTREAM_RETRIES: '0', ...options.env };
  // Overrides are read lazily so hosts added later through `server.route()` are redirected too.
  const config: AppConfig = loadConfig(env);
  Object.defineProperty(config, 'upstreamOverrides', { get: () => server.overrides });
  const deps: ProviderDeps = {
    config,
    env,
    createClient: createClientFactory({ config, cache: createMemoryCache(), logger: options.logger ?? silentLogger }),
    logger: options.logger ?? silentLogger,
  };
  return { provider: factory(deps), server, ctx: callContext(), deps, close: () => server.close() };
}

export type { ProviderFactory };

/** The `SourceError` a provider call fails with; anything else (or success) fails the test. */
export async function sourceErrorOf(promise: Promise<unknown>): Promise<SourceError> {
  try {
    await promise;
  } catch (error) {
    if (isSourceError(error)) return error;
    throw error;
  }
  throw new Error('expected the call to fail with a SourceError');
}
