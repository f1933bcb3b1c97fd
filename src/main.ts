import 'reflect-metadata';
import { createServer, type Server } from 'node:http';
import { createApp } from './app.js';
import { formatIssuedKeysNotice, startAuth } from './auth/index.js';
import type { UsageRedis } from './auth/usage.js';
import type { KeyEvents } from './auth/keyEvents.js';
import { createCacheStore } from './cache/store.js';
import { composeCoreServices, createProviders } from './compose.js';
import { ConfigError, describeConfigError, loadConfig, type AppConfig } from './config.js';
import { openDatabase } from './db/index.js';
import { createDownloadService, createFilesRouter } from './downloads/index.js';
import { loadEnvFileOrExit } from './entry.js';
import type { RateLimiterFactory } from './http/rateLimiter.js';
import { warmUp } from './http/warmUp.js';
import { createLogger, type Logger } from './logger.js';
import { SourceChecker } from './observability/canary.js';
import { HealthReporter } from './observability/healthReport.js';
import { restoreNurseryGrowth } from './startupHeap.js';

const WARM_UP_AFTER_MS = 200;

/** The port could not be taken: in use by another program, or not allowed. */
class ListenError extends Error {
  constructor(
    readonly code: string,
    readonly port: number,
    readonly host: string,
  ) {
    super(`listen ${code} ${host}:${port}`);
  }
}

/** Everything that only exists when `REDIS_URL` is set; its modules are loaded only then. */
interface RedisWiring {
  /** Usage counts are atomic increments here, acknowledged before each reply (auth/usage.ts). */
  client: UsageRedis;
  rateLimiterFactory: RateLimiterFactory;
  createQueue: NonNullable<Parameters<typeof createDownloadService>[0]['createQueue']>;
  keyEvents: KeyEvents;
  close(): Promise<void>;
}

async function connectRedisWiring(url: string, logger: Logger): Promise<RedisWiring> {
  const [{ connectRedis }, { createRedisRateLimiterFactory }, { redisQueueFactory }, { connectKeyEvents }] = await Promise.all([
    import('./redis.js'),
    import('./http/redisRateLimiter.js'),
    import('./downloads/redisQueue.js'),
    import('./auth/redisKeyEvents.js'),
  ]);
  // One command connection for the limiter, usage counts and announcements; pub/sub and
  // BullMQ's blocking reads need connections of their own.
  const redis = await connectRedis(url, logger.child({ module: 'redis' }));
  const keyEvents = await connectKeyEvents(redis, { logger: logger.child({ module: 'auth' }) }).catch(async (error: unknown) => {
    redis.disconnect();
    throw error;
  });
  return {
    client: redis,
    // Every instance shares one rate limit per source…
    rateLimiterFactory: createRedisRateLimiterFactory(redis),
    // …one download queue that any instance works on…
    createQueue: redisQueueFactory(url),
    // …and hears at once when another revokes a key or deactivates a source.
    keyEvents,
    async close() {
      await keyEvents.close();
      await redis.quit().catch(() => undefined);
    },
  };
}

/**
 * Composition root: .env → config → stores → providers → keys → app. Everything has an embedded
 * default (SQLite under ./data, cache in SQLite, local disk), so `npm start` needs no server;
 * the drivers of what is not configured (PostgreSQL, Redis, BullMQ) are never loaded.
 */
async function main(fromEnvFile: readonly string[]): Promise<void> {
  const env = process.env;
  const config = loadConfig(env);
  const logger = createLogger(config.logLevel);
  const cache = await createCacheStore(config);
  const db = await openDatabase(config);
  const redis = config.redisUrl ? await connectRedisWiring(config.redisUrl, logger) : null;
  const providers = createProviders({ config, env, logger, cache, rateLimiterFactory: redis?.rateLimiterFactory });
  const { auth, bootstrap } = await startAuth({ db, providers, logger, events: redis?.keyEvents, redis: redis?.client });
  const downloads = await createDownloadService({ config, db, providers, logger, createQueue: redis?.createQueue });
  const sourceChecker = new SourceChecker({ config, env, logger, rateLimiterFactory: redis?.rateLimiterFactory });
  const services = { ...composeCoreServices({ config, env, logger, cache, access: auth }, providers), auth, db, downloads, sourceChecker };
  const healthReporter = new HealthReporter(db, services.health, () => providers.all().map((p) => p.id), logger);
  healthReporter.start();
  const gateway = await createApp(services, { routers: { '/files': createFilesRouter(downloads) } });

  // Shown before listening: keys created now must reach the owner even if the port is taken.
  if (bootstrap.issued.length) {
    const names = new Map(providers.all().map((p) => [p.id, p.name]));
    process.stdout.write(`${formatIssuedKeysNotice(bootstrap.issued, names)}\n`);
  }

  const server = createServer(gateway.app);
  await listen(server, config);
  const address = server.address();
  // Off the start's path (a moment after listening, so a readiness probe polling /health is
  // answered first): the first real request then finds the code it runs already compiled.
  setTimeout(() => void warmUp(address, cache).catch(() => undefined).finally(restoreNurseryGrowth), WARM_UP_AFTER_MS).unref();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const base = config.publicUrl ?? `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;

  process.stdout.write(
    [
      `Música API escuchando en ${base}`,
      `  GraphQL:   ${base}/graphql (GraphiQL en el navegador)`,
      `  Panel:     ${base}/admin`,
      `  Salud:     ${base}/health`,
      `  Fuentes:   ${providers.all().map((p) => `${p.id}${p.configured ? '' : ' (sin configurar)'}`).join(', ')}`,
      ...(fromEnvFile.length ? [`  Configuración: ${fromEnvFile.length} variables tomadas de .env`] : []),
      ...(bootstrap.issued.length ? [] : [keysHint()]),
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
    await healthReporter.stop();
    await auth.stop();
    await db.close();
    await cache.disconnect().catch(() => undefined);
    await redis?.close();
    process.exit(0);
  };
  // \`on\`, not \`once\`: a library's signal-exit handler re-raises the signal (killing the process
  // mid-shutdown) when it finds itself the only listener left.
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

/** On every start but the first, keys are not shown again: say where they are and how to get one. */
function keysHint(): string {
  return [
    '  Claves:    ya existen (solo se muestran al crearlas). Clave de administración nueva:',
    '             npm run keys -- create admin   (de solo lectura, para un panel: create readonly)',
  ].join('\n');
}

function listen(server: Server, config: AppConfig): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE' || error.code === 'EACCES' ? new ListenError(error.code, config.port, config.host) : error);
    };
    server.once('error', onError);
    server.listen(config.port, config.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

function listenMessage(error: ListenError): string {
  const next = error.port === 65535 ? 4000 : error.port + 1;
  const how = `Para usar otro puerto, arranca con PORT=${next} npm start o pon PORT=${next} en .env.`;
  if (error.code === 'EACCES') {
    return `No se pudo arrancar Música API: no hay permiso para escuchar en el puerto ${error.port} (los puertos por debajo de 1024 exigen privilegios). ${how}\n`;
  }
  return `No se pudo arrancar Música API: el puerto ${error.port} ya está en uso en ${error.host} (¿otra Música API u otro programa?). ${how}\n`;
}

const fromEnvFile = loadEnvFileOrExit();
main(fromEnvFile).catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${describeConfigError(error, fromEnvFile)}\n`);
    process.exit(2);
  }
  if (error instanceof ListenError) {
    process.stderr.write(listenMessage(error));
    process.exit(3);
  }
  process.stderr.write(`No se pudo arrancar Música API: ${(error as Error)?.stack ?? String(error)}\n`);
  process.exit(1);
});
