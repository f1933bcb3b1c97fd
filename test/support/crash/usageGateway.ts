import { startAuth } from '../../../src/auth/index.js';
import { createMemoryCache } from '../../../src/cache/store.js';
import { composeCoreServices } from '../../../src/compose.js';
import { loadConfig } from '../../../src/config.js';
import { openDatabase } from '../../../src/db/index.js';
import { connectRedis } from '../../../src/redis.js';
import { silentLogger } from '../../../src/logger.js';
import { ProviderRegistry } from '../../../src/providers/registry.js';
import type { Services } from '../../../src/services.js';
import { serveApp } from '../gateway.js';

export interface UsageGatewayArgs {
  dataDir: string;
  /** PostgreSQL instead of the SQLite file in `dataDir`. */
  databaseUrl?: string;
  pgSchema?: string;
  redisUrl?: string;
  /** Prefix of the Redis keys the usage counters use, one per test run. */
  redisPrefix?: string;
}

/**
 * A gateway process as `main.ts` wires it (real keys registry, usage recorder and app),
 * without providers. Prints `{ url, key, keyId }` once it listens, then serves until killed.
 */
export async function main(args: UsageGatewayArgs): Promise<void> {
  const env = { LOG_LEVEL: 'silent', DATA_DIR: args.dataDir, UPSTREAM_RETRIES: '0', HEDGE_DELAY_MS: '0' };
  const config = loadConfig(env);
  const db = await openDatabase({ dataDir: args.dataDir, databaseUrl: args.databaseUrl ?? null }, { postgres: { schema: args.pgSchema } });
  const redis = args.redisUrl ? await connectRedis(args.redisUrl) : null;
  const { auth, bootstrap } = await startAuth({
    db,
    logger: silentLogger,
    providers: new ProviderRegistry([]),
    ...(redis ? { redis, redisPrefix: args.redisPrefix } : {}),
  });
  const services: Services = {
    ...composeCoreServices({ config, env, logger: silentLogger, cache: createMemoryCache(), access: auth, factories: [] }),
    auth,
    db,
  };
  const { url } = await serveApp(services);
  const admin = bootstrap.issued.find((issued) => issued.apiKey.scope === '*')!;
  process.stdout.write(`${JSON.stringify({ url, key: admin.key, keyId: admin.apiKey.id })}\n`);
}
