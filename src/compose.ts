import type Keyv from 'keyv';
import type { AccessControl } from './auth/types.js';
import { HealthTracker } from './catalog/health.js';
import type { AppConfig } from './config.js';
import { createClientFactory } from './http/upstream.js';
import type { RateLimiterFactory } from './http/rateLimiter.js';
import type { Logger } from './logger.js';
import { PROVIDER_FACTORIES, ProviderRegistry } from './providers/registry.js';
import type { ProviderFactory } from './providers/types.js';
import type { Services } from './services.js';
import { Metrics } from './observability/metrics.js';
import { ResultCache } from './cache/results.js';

export interface ProviderOptions {
  config: AppConfig;
  env: Readonly<Record<string, string | undefined>>;
  logger: Logger;
  cache: Keyv;
  factories?: readonly ProviderFactory[];
  rateLimiterFactory?: RateLimiterFactory;
  now?: () => number;
}

export interface CoreServiceOptions extends ProviderOptions {
  access: AccessControl;
}

/** Upstream client factory → every registered provider. */
export function createProviders(options: ProviderOptions): ProviderRegistry {
  const { config, logger } = options;
  const createClient = createClientFactory({
    config,
    cache: options.cache,
    logger,
    rateLimiterFactory: options.rateLimiterFactory,
    now: options.now,
  });
  return ProviderRegistry.create({ config, env: options.env, createClient, logger }, options.factories ?? PROVIDER_FACTORIES);
}

/**
 * Wires the catalog core: upstream client factory → providers → health. Shared by the server's
 * composition root and the tests, so both run the very same wiring.
 */
export function composeCoreServices(options: CoreServiceOptions, providers = createProviders(options)): Services {
  const { config, logger } = options;
  const health = new HealthTracker({ threshold: config.breakerThreshold, cooldownMs: config.breakerCooldownMs, now: options.now, logger });
  return {
    config,
    logger,
    providers,
    health,
    cache: options.cache,
    results: new ResultCache(config.resultCacheBytes, options.now),
    access: options.access,
    metrics: new Metrics(health, () => providers.all().map((provider) => provider.id)),
  };
}
