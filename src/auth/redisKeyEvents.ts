import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import type { KeyEvents } from './keyEvents.js';

const KEY_EVENTS_CHANNEL = 'musica:auth:changed';

export interface RedisKeyEventsOptions {
  /** Pub/sub channel; instances sharing a database must share it (tests use their own). */
  channel?: string;
  logger?: Logger;
}

/**
 * Key and status changes announced over Redis pub/sub. Each message carries the sender's id so
 * an instance ignores its own (it has already forgotten its verified keys). After a lost
 * connection comes back, listeners are called too: announcements made meanwhile were missed.
 * Publishing never waits for a connection: when Redis is away it fails at once, and the other
 * instances fall back on the verified-key TTL.
 */
export async function connectKeyEvents(url: string, options: RedisKeyEventsOptions = {}): Promise<KeyEvents> {
  const channel = options.channel ?? KEY_EVENTS_CHANNEL;
  const sender = randomUUID();
  const publisher = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  const subscriber = new Redis(url, { lazyConnect: true });
  for (const [role, client] of [
    ['publisher', publisher],
    ['subscriber', subscriber],
  ] as const) {
    // ioredis reconnects by itself; without a listener its errors would be printed as unhandled.
    client.on('error', (error: Error) => options.logger?.warn('key events: Redis connection error', { role, error: error.message }));
  }
  await Promise.all([publisher.connect(), subscriber.connect()]);
  await subscriber.subscribe(channel);

  const listeners = new Set<() => void>();
  const notify = () => {
    for (const listener of listeners) listener();
  };
  subscriber.on('message', (from: string, message: string) => {
    if (from === channel && message !== sender) notify();
  });
  // `ready` after the first connection means a reconnection (ioredis resubscribes by itself).
  subscriber.on('ready', notify);

  return {
    async publish() {
      await publisher.publish(channel, sender);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      listeners.clear();
      await Promise.all([publisher.quit().catch(() => undefined), subscriber.quit().catch(() => undefined)]);
    },
  };
}
