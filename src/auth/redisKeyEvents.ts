import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
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
 *
 * Announcements go out on `commands`, the caller's connection (it stays open on `close`); the
 * subscriber is a connection of its own, since a subscribed connection can run no other command.
 */
export async function connectKeyEvents(commands: Redis, options: RedisKeyEventsOptions = {}): Promise<KeyEvents> {
  const channel = options.channel ?? KEY_EVENTS_CHANNEL;
  const sender = randomUUID();
  const subscriber = commands.duplicate({ lazyConnect: true });
  // ioredis reconnects by itself; without a listener its errors would be printed as unhandled.
  subscriber.on('error', (error: Error) => options.logger?.warn('key events: Redis connection error', { role: 'subscriber', error: error.message }));
  await subscriber.connect();
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
      if (commands.status !== 'ready') throw new Error(`Redis is not connected (${commands.status}); the announcement is not sent`);
      await commands.publish(channel, sender);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      listeners.clear();
      await subscriber.quit().catch(() => undefined);
    },
  };
}
