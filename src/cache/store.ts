import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Keyv from 'keyv';
import KeyvSqlite from '@keyv/sqlite';
import type { AppConfig } from '../config.js';
import { switchToWal } from '../db/sqlite.js';

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
  const store = new KeyvSqlite({ uri: `sqlite://${file}`, busyTimeout: SQLITE_BUSY_TIMEOUT_MS });
  await useWriteAheadLog(store);
  return new Keyv({ store, namespace });
}

const SQLITE_BUSY_TIMEOUT_MS = 10_000;

/**
 * The cache file in WAL mode with `synchronous = NORMAL`: a write is one append without an fsync
 * of its own, and reads never wait for it. In the default rollback journal every cached answer
 * cost an fsync, and the single connection made the next read (another request's cache hit)
 * queue behind it. Losing the last writes on a power cut only loses cache entries.
 */
async function useWriteAheadLog(store: KeyvSqlite): Promise<void> {
  await switchToWal((sql) => store.query(sql), SQLITE_BUSY_TIMEOUT_MS);
  await store.query('PRAGMA synchronous = NORMAL');
}

/** An in-process cache (tests, one-off scripts). */
export function createMemoryCache(namespace = 'upstream'): Keyv {
  return new Keyv({ namespace });
}
