import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Keyv from 'keyv';
import KeyvSqlite from '@keyv/sqlite';
import type { AppConfig } from '../config.js';

/**
 * The shared Keyv store for upstream answers: a SQLite file under DATA_DIR by default, Redis
 * when `REDIS_URL` is set (so several instances share one cache), or an explicit `CACHE_URL`.
 * The Redis adapter is loaded only when it is used.
 */
export async function createCacheStore(config: AppConfig, namespace = 'upstream'): Promise<Keyv> {
  const redisUrl = config.cacheUrl?.startsWith('redis') ? config.cacheUrl : config.redisUrl;
  if (redisUrl) {
    const { default: KeyvRedis } = await import('@keyv/redis');
    return new Keyv({ store: new KeyvRedis(redisUrl), namespace, useKeyPrefix: false });
  }
  const file = config.cacheUrl?.startsWith('sqlite://')
    ? config.cacheUrl.slice('sqlite://'.length)
    : path.join(config.dataDir, 'cache.sqlite');
  mkdirSync(path.dirname(file), { recursive: true });
  return new Keyv({ store: new KeyvSqlite({ uri: `sqlite://${file}`, busyTimeout: 10_000 }), namespace });
}

/** An in-process cache (tests, one-off scripts). */
export function createMemoryCache(namespace = 'upstream'): Keyv {
  return new Keyv({ namespace });
}
