import { rm } from 'node:fs/promises';
import { startAuth, type AuthService, type IssuedKey } from '../../src/auth/index.js';
import { createMemoryCache } from '../../src/cache/store.js';
import { composeCoreServices } from '../../src/compose.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/index.js';
import type { Db } from '../../src/db/types.js';
import { silentLogger } from '../../src/logger.js';
import { SourceChecker } from '../../src/observability/canary.js';
import type { ProviderFactory } from '../../src/providers/types.js';
import type { Services } from '../../src/services.js';
import { serveApp } from '../support/gateway.js';
import type { ReplayServer } from '../support/replayServer.js';
import { tempDir } from './support.js';

export interface KeyedGateway {
  url: string;
  services: Services;
  auth: AuthService;
  db: Db;
  /** Keys printed at this gateway's first start, by scope (`*` = admin). */
  keys: Map<string, IssuedKey>;
  post(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResponse>;
  close(): Promise<void>;
}

export interface GraphQLResponse {
  status: number;
  body: {
    data?: Record<string, any> | null;
    errors?: { message: string; extensions?: Record<string, any> }[];
  };
}

/**
 * The real app (`createApp`) with the real keys registry on a fresh SQLite file: the same
 * wiring as the server's, so auth is tested as clients meet it.
 */
export async function startKeyedGateway(options: {
  factories: readonly ProviderFactory[];
  replay?: ReplayServer;
  env?: Record<string, string>;
}): Promise<KeyedGateway> {
  const dir = await tempDir();
  const env = { LOG_LEVEL: 'silent', UPSTREAM_RETRIES: '0', HEDGE_DELAY_MS: '0', DATA_DIR: dir, ...options.env };
  const config = loadConfig(env);
  if (options.replay) {
    const replay = options.replay;
    Object.defineProperty(config, 'upstreamOverrides', { get: () => replay.overrides });
  }
  const db = await openDatabase(config);
  const { auth } = await startAuth({ db, logger: silentLogger });
  const services: Services = {
    ...composeCoreServices({ config, env, logger: silentLogger, cache: createMemoryCache(), access: auth, factories: options.factories }),
    auth,
    db,
    sourceChecker: new SourceChecker({ config, env, logger: silentLogger, factories: options.factories }),
  };
  const { issued } = await auth.registerSources(services.providers);
  const { url, close } = await serveApp(services);
  return {
    url,
    services,
    auth,
    db,
    keys: new Map(issued.map((key) => [key.apiKey.scope, key])),
    async post(query, variables, headers = {}) {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, body: (await response.json()) as GraphQLResponse['body'] };
    },
    async close() {
      await close();
      await auth.stop();
      await db.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
