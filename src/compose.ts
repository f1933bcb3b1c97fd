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

export interface CoreServiceOptions {
  config: AppConfig;
  env: Readonly<Record<string, string | undefined>>;
  logger: Logger;
  cache: Keyv;
  access: AccessControl;
  factories?: readonly ProviderFactory[];
  rateLimiterFactory?: RateLimiterFactory;
  now?: () => number;
}

/**
 * Wires the catalog core: upstream client factory → providers → health. Shared by the server's
 * composition root and the tests, so both run the very same wiring.
 */
export function composeCoreServices(options: CoreServiceOptions): Services {
  const { config, logger } = options;
  const createClient = createClientFactory({
    config,
    cache: options.cache,
    logger,
    rateLimiterFactory: options.rateLimiterFactory,
    now: options.now,
  });
  const providers = ProviderRegistry.create({ config, env: options.env, createClient, logger }, options.factories ?? PROVIDER_FACTORIES);
  return {
    config,
    logger,
    providers,
    health: new HealthTracker(config.breakerThreshold, config.breakerCooldownMs, options.now),
    access: options.access,
  };
}
