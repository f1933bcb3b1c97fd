import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, afterEach, beforeAll } from 'vitest';
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
import { startReplayServer, type ReplayOptions, type ReplayServer } from './replayServer.js';

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

export interface ReplayedGateways {
  /**
   * The suite's replay server. It starts in the suite's first beforeAll, so use it in hooks and
   * tests, not while the describe block is being collected; destructuring it there is fine.
   */
  readonly replay: ReplayServer;
  /** Starts a gateway on the suite's replay server; it is closed after the test that started it. */
  start(options: Omit<GatewayOptions, 'replay'>): Promise<TestGateway>;
}

/**
 * The lifecycle of a describe block whose tests each run a gateway against recordings: one replay
 * server for the block (started in beforeAll, closed in afterAll), and after each test every
 * gateway it started is closed and the replay is reset (requests, unmatched, interceptors; routes
 * added in a beforeAll stay). Call it at the top of the describe, before the block's own hooks:
 * its beforeAll then runs first, so those hooks can already use `replay`.
 */
export function replayedGateways(options: ReplayOptions): ReplayedGateways {
  let server: ReplayServer | undefined;
  const started: TestGateway[] = [];
  const current = (): ReplayServer => {
    if (!server) throw new Error('replayedGateways: the replay server runs from beforeAll to afterAll; use it inside hooks and tests');
    return server;
  };

  beforeAll(async () => {
    server = await startReplayServer(options);
  });
  afterAll(async () => {
    await server?.close();
    server = undefined;
  });
  afterEach(async () => {
    try {
      await Promise.all(started.splice(0).map((gateway) => gateway.close()));
    } finally {
      server?.reset();
    }
  });

  // Forwards to the server of the moment, so the suite can hold `replay` before beforeAll ran.
  const replay: ReplayServer = {
    get baseUrl() { return current().baseUrl; },
    get overrides() { return current().overrides; },
    get requests() { return current().requests; },
    get unmatched() { return current().unmatched; },
    acknowledgeUnmatched: () => current().acknowledgeUnmatched(),
    count: (fragment) => current().count(fragment),
    intercept: (interceptor) => current().intercept(interceptor),
    fallback: (interceptor) => current().fallback(interceptor),
    route: (method, url, answer) => current().route(method, url, answer),
    reset: () => current().reset(),
    close: () => current().close(),
  };

  return {
    replay,
    async start(gatewayOptions) {
      const gateway = await startGateway({ ...gatewayOptions, replay: current() });
      started.push(gateway);
      return gateway;
    },
  };
}
