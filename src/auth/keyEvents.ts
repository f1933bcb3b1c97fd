/**
 * News of key and source-status changes between gateway instances. Each instance remembers
 * verified keys for a moment (see `AuthService`); an instance that changes a key or a status
 * publishes, and the others forget what they remembered at once instead of when it expires.
 * The Redis implementation is `redisKeyEvents.ts`, loaded only when `REDIS_URL` is set.
 */
export interface KeyEvents {
  /** Tells the other instances that keys or statuses changed. */
  publish(): Promise<void>;
  /**
   * Calls `listener` when another instance changed keys or statuses, and after a reconnection
   * (changes may have gone by unheard). Returns the function that stops listening.
   */
  subscribe(listener: () => void): () => void;
  close(): Promise<void>;
}
