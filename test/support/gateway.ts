import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createApp, type AppOptions } from '../../src/app.js';
import { UNKNOWN_KEY } from '../../src/auth/messages.js';
import { ADMIN_SCOPE, type AccessControl, type Principal, type SourceStatus } from '../../src/auth/types.js';
import { createMemoryCache } from '../../src/cache/store.js';
import { composeCoreServices } from '../../src/compose.js';
import { loadConfig } from '../../src/config.js';
import { ApiError } from '../../src/errors/api.js';
import { silentLogger, type Logger } from '../../src/logger.js';
import type { RateLimiterFactory } from '../../src/http/rateLimiter.js';
import type { ProviderFactory } from '../../src/providers/types.js';
import type { Services } from '../../src/services.js';
import type { ReplayServer } from './replayServer.js';

/**
 * Access for catalog tests that are not about keys: the bearer token names the principal's
 * scope (`admin` or a source id); no token is the admin. Statuses can be toggled per source.
 * The real key store has its own tests.
 */
export class TestAccess implements AccessControl {
  readonly statuses = new Map<string, SourceStatus>();
  async authenticate(headers: Readonly<Record<string, string | string[] | undefined>>): Promise<Principal> {
    const auth = headers.authorization;
    const token = typeof auth === 'string' ? auth.replace(/^Bearer\s+/i, '') : 'admin';
    if (token === 'invalid') throw new ApiError('UNAUTHENTICATED', UNKNOWN_KEY);
    return { keyId: `test-${token}`, scope: token === 'admin' ? ADMIN_SCOPE : token, label: token };
  }
  sourceStatus(sourceId: string): SourceStatus {
    return this.statuses.get(sourceId) ?? 'active';
  }
  recordUsage(): void {}
}

export interface TestGateway {
  url: string;
  services: Services;
  access: TestAccess;
  /** POSTs a GraphQL query; `key` becomes the Bearer token. */
  query<T = any>(query: string, variables?: Record<string, unknown>, key?: string): Promise<{ status: number; body: GraphQLBody<T> }>;
  close(): Promise<void>;
}

export interface GraphQLBody<T> {
  data?: T;
  errors?: { message: string; path?: string[]; extensions?: Record<string, any> }[];
  extensions?: { sources?: { field: string; answeredBy: string | null; stale: boolean; attempts: { source: string; outcome: string; ms: number }[] }[] };
}

/** Serves a gateway built from `services` on a free loopback port. */
export async function serveApp(services: Services, options: AppOptions = {}): Promise<{ url: string; close(): Promise<void> }> {
  const gateway = await createApp(services, options);
  const server: Server = await new Promise((resolve) => {
    const listening = gateway.app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await gateway.stop();
    },
  };
}

export interface GatewayOptions {
  factories: readonly ProviderFactory[];
  replay?: ReplayServer;
  env?: Record<string, string>;
  now?: () => number;
  /** Where the gateway logs (default: nowhere). */
  logger?: Logger;
  /** Wraps or replaces the per-source rate limiters (tests that count turns). */
  rateLimiterFactory?: RateLimiterFactory;
}

export async function startGateway(options: GatewayOptions): Promise<TestGateway> {
  const env = { LOG_LEVEL: 'silent', UPSTREAM_RETRIES: '0', HEDGE_DELAY_MS: '0', ...options.env };
  const config = loadConfig(env);
  if (options.replay) {
    const replay = options.replay;
    Object.defineProperty(config, 'upstreamOverrides', { get: () => replay.overrides });
  }
  const access = new TestAccess();
  const services = composeCoreServices({
    config,
    env,
    logger: options.logger ?? silentLogger,
    cache: createMemoryCache(),
    access,
    factories: options.factories,
    now: options.now,
    rateLimiterFactory: options.rateLimiterFactory,
  });
  const { url, close } = await serveApp(services);
  return {
    url,
    services,
    access,
    async query(query, variables, key) {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, body: (await response.json()) as GraphQLBody<any> };
    },
    close,
  };
}
