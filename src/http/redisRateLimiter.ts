import { createClient } from '@redis/client';
import type { RateLimiterFactory } from './rateLimiter.js';

/** The one Redis command the limiter needs, so any connected node-redis client fits. */
export interface RedisScripting {
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

/**
 * Reserves the next free slot for a source in Redis and returns how long to wait for it.
 * Time comes from the Redis server, so instances with skewed clocks still agree. Requests of
 * every instance are spaced `spacing` ms apart: one deployment, one budget per source.
 */
const RESERVE_SLOT = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local spacing = tonumber(ARGV[1])
local last = tonumber(redis.call('GET', KEYS[1]) or '0')
local slot = math.max(now, last + spacing)
redis.call('SET', KEYS[1], slot, 'PX', math.ceil(slot - now + spacing * 2))
return slot - now
`;

/**
 * The limiter's Redis mode, used when `REDIS_URL` is set: the same per-source limits as the
 * in-process limiter, but shared by every instance of the gateway.
 */
export function createRedisRateLimiterFactory(client: RedisScripting, prefix = 'musica:ratelimit:'): RateLimiterFactory {
  return (source, limit) => {
    const spacing = limit.intervalMs / limit.requests;
    const key = `${prefix}${source}`;
    return {
      async schedule<T>(task: () => Promise<T>): Promise<T> {
        const wait = Number(await client.eval(RESERVE_SLOT, { keys: [key], arguments: [String(spacing)] }));
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        return task();
      },
    };
  };
}

export async function connectRedis(url: string) {
  const client = createClient({ url });
  await client.connect();
  return client;
}
