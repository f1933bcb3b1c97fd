import 'reflect-metadata';
import type { Server } from 'node:http';
import { createApp } from './app.js';
import { formatIssuedKeysNotice, startAuth } from './auth/index.js';
import { createCacheStore } from './cache/store.js';
import { composeCoreServices, createProviders } from './compose.js';
import { ConfigError, loadConfig } from './config.js';
import { openDatabase } from './db/index.js';
import { createDownloadService, createFilesRouter } from './downloads/index.js';
import { redisQueueFactory } from './downloads/redisQueue.js';
import { createLogger } from './logger.js';
import { connectRedis, createRedisRateLimiterFactory } from './http/redisRateLimiter.js';

/**
 * Composition root: config → stores → providers → keys → app. Everything has an embedded
 * default (SQLite under ./data, cache in SQLite, local disk), so `npm start` needs no server.
 */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger(config.logLevel);
  const cache = createCacheStore(config);
  const db = await openDatabase(config);
  // With REDIS_URL every instance shares one rate limit per source (and the cache, above).
  const redis = config.redisUrl ? await connectRedis(config.redisUrl) : null;
  const rateLimiterFactory = redis ? createRedisRateLimiterFactory(redis) : undefined;
  const providers = createProviders({ config, env: process.env, logger, cache, rateLimiterFactory });
  // With REDIS_URL usage is counted in Redis, acknowledged before each reply (see auth/usage.ts).
  const { auth, bootstrap } = await startAuth({ db, providers, logger, redis });
  // With REDIS_URL the download jobs live in one queue every instance reads and works on.
  const createQueue = config.redisUrl ? redisQueueFactory(config.redisUrl) : undefined;
  const downloads = await createDownloadService({ config, db, providers, logger, createQueue });
  const services = { ...composeCoreServices({ config, env: process.env, logger, cache, access: auth }, providers), auth, db, downloads };
  const gateway = await createApp(services, { routers: { '/files': createFilesRouter(downloads) } });

  const server: Server = await new Promise((resolve) => {
    const listening = gateway.app.listen(config.port, config.host, () => resolve(listening));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const base = config.publicUrl ?? `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;

  if (bootstrap.issued.length) {
    const names = new Map(providers.all().map((p) => [p.id, p.name]));
    process.stdout.write(`${formatIssuedKeysNotice(bootstrap.issued, names)}\n`);
  }
  process.stdout.write(
    [
      `Música API escuchando en ${base}`,
      `  GraphQL:   ${base}/graphql (GraphiQL en el navegador)`,
      `  Panel:     ${base}/admin`,
      `  Salud:     ${base}/health`,
      `  Fuentes:   ${providers.all().map((p) => `${p.id}${p.configured ? '' : ' (sin configurar)'}`).join(', ')}`,
      '',
    ].join('\n'),
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    server.close();
    server.closeIdleConnections();
    await gateway.stop();
    await downloads.close();
    await auth.stop();
    await db.close();
    await cache.disconnect().catch(() => undefined);
    await redis?.quit().catch(() => undefined);
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`Configuración no válida: ${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`No se pudo arrancar Música API: ${(error as Error)?.stack ?? String(error)}\n`);
  process.exit(1);
});
