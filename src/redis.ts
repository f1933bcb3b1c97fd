import type { Redis } from 'ioredis';
import type { Logger } from './logger.js';

/**
 * The one Redis command the rate limiter and the usage counter need: a Lua script run
 * atomically. An ioredis client fits (`eval(script, numKeys, ...keys, ...args)`).
 */
export interface RedisScripting {
  eval(script: string, numKeys: number, ...keysAndArgs: string[]): Promise<unknown>;
}

/** Runs `script` with `keys` as KEYS and `args` as ARGV, so no caller counts keys by hand. */
export function runScript(client: RedisScripting, script: string, keys: readonly string[], args: readonly string[] = []): Promise<unknown> {
  return client.eval(script, keys.length, ...keys, ...args);
}

/**
 * The command connection of a deployment with `REDIS_URL`, shared by the rate limiter, the
 * usage counter and key-change announcements (ioredis, the client BullMQ needs anyway; the
 * download queue and the pub/sub subscriber keep connections of their own, as they must).
 * A command sent while Redis is away waits for one reconnection attempt and then fails, so
 * none of its users hangs on an outage. ioredis is loaded only here, only when it is used.
 */
export async function connectRedis(url: string, logger?: Logger): Promise<Redis> {
  const { Redis } = await import('ioredis');
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  let last: string | null = null;
  // ioredis reconnects by itself; without a listener its errors would be printed as unhandled.
  client.on('error', (error: Error) => {
    if (error.message === last) return;
    last = error.message;
    logger?.warn('Redis connection error', { error: error.message });
  });
  client.on('ready', () => {
    last = null;
  });
  try {
    await client.connect();
  } catch (error) {
    client.disconnect();
    // ioredis rejects with "Connection is closed."; the event before it says why.
    throw new Error(`Redis is not reachable at REDIS_URL: ${last ?? (error as Error).message}`, { cause: error });
  }
  return client;
}
