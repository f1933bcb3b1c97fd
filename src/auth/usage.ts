import { randomUUID } from 'node:crypto';
import type { Db } from '../db/types.js';
import type { Logger } from '../logger.js';
import { runScript, type RedisScripting } from '../redis.js';
import { addUsage, type UsageFigures } from './repository.js';
import * as repo from './repository.js';
import type { Principal } from './types.js';

interface PendingUsage {
  keyId: string;
  scope: string;
  day: string;
  count: number;
  lastUsedAt: string;
}

/** UTC calendar day, the unit usage is counted in. */
function usageDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** What usage counting needs of Redis: scripts, and whether the connection is up (ioredis fits). */
export interface UsageRedis extends RedisScripting {
  /** `ready` while connected; counts go to memory otherwise. */
  readonly status: string;
}

export interface UsageCounterOptions {
  /** With Redis every count is an atomic increment there, acknowledged before the reply. */
  redis?: UsageRedis | null;
  /** Prefix of the Redis keys; one per deployment. */
  redisPrefix?: string;
}

const DEFAULT_USAGE_PREFIX = 'musica:usage:';
/**
 * How often counts move to SQL. Without Redis this bounds what a crash can lose: the counts
 * of the last interval plus the write in flight, well under one second.
 */
export const DEFAULT_USAGE_FLUSH_MS = 500;
/** A request never waits longer than this for Redis to acknowledge its count. */
const REDIS_ACK_WAIT_MS = 500;
/** Applied Redis batches are remembered this long, far beyond any batch left by a crash. */
const BATCH_MEMORY_MS = 7 * 24 * 3600_000;

/**
 * Counts requests per key and per day for the admin panel, with SQL (`key_usage`) as the store
 * of record in every deployment.
 *
 * - Without Redis: counted in memory and written in one transaction every half second, so
 *   counting adds no database write to a request and a crash loses under a second of counts.
 * - With Redis: every request is one atomic increment in a shared Redis hash, acknowledged
 *   before the gateway answers, so killing a gateway loses nothing it answered. At the same
 *   interval one instance moves the hash into SQL exactly once (the batch id is recorded in the
 *   same transaction). Redis only ever holds under a second of counts: history stays in the
 *   database every other part (panel, CLI, backups) reads, whatever Redis' persistence
 *   or eviction settings are, and turning `REDIS_URL` on or off hides nothing.
 *   When Redis is unreachable counts fall back to the in-memory path.
 */
export class UsageCounter {
  private readonly memory: MemoryUsage;
  private readonly redis: RedisUsage | null;
  private timer: NodeJS.Timeout | null = null;
  private redisDown = false;

  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
    options: UsageCounterOptions = {},
  ) {
    this.memory = new MemoryUsage(db, logger);
    this.redis = options.redis ? new RedisUsage(options.redis, db, options.redisPrefix ?? DEFAULT_USAGE_PREFIX, now) : null;
  }

  /**
   * Counts one request. Without Redis this is synchronous and touches only memory; with Redis
   * the promise settles once Redis has the count (or after a short bound). Never rejects.
   */
  record(principal: Principal): void | Promise<void> {
    const at = this.now();
    if (!this.redis?.ready) {
      this.memory.record(principal, at);
      return;
    }
    const stored = this.redis.increment(principal, at).then(
      () => {
        if (this.redisDown) this.logger.info('usage counted in Redis again');
        this.redisDown = false;
      },
      (error: unknown) => {
        // Not counted in Redis (the command failed): count it here instead, never twice.
        this.memory.record(principal, at);
        if (!this.redisDown) this.logger.warn('usage not counted in Redis; counting in memory until it answers', { error });
        this.redisDown = true;
      },
    );
    return settledWithin(stored, REDIS_ACK_WAIT_MS);
  }

  start(intervalMs: number = DEFAULT_USAGE_FLUSH_MS): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.flush(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Writes what has been counted so far (and moves Redis' counts to SQL). Never rejects. */
  async flush(): Promise<void> {
    await this.memory.flush();
    if (!this.redis) return;
    await this.redis.moveToSql().catch((error: unknown) => this.logger.warn('usage counts in Redis not moved to the database yet; will retry', { error }));
  }

  /** Requests today (UTC) and in total per scope or per key: stored, plus counted but not yet stored. */
  async figures(by: 'scope' | 'key'): Promise<Map<string, UsageFigures>> {
    const day = usageDay(this.now());
    const read = () => repo.usageBy(this.db, by, day);
    // Between flushes: counts being written would otherwise be neither in memory nor yet in SQL.
    return this.memory.betweenFlushes(async () => {
      let stored: Map<string, UsageFigures>;
      if (this.redis) {
        const withRedis = await this.redis.readWith(read).catch((error: unknown) => {
          this.logger.warn('usage counts in Redis could not be read; showing the stored ones', { error });
          return null;
        });
        stored = withRedis ? addFigures(withRedis.stored, figuresOf(withRedis.unstored, by, day)) : await read();
      } else {
        stored = await read();
      }
      return addFigures(stored, figuresOf(this.memory.unwritten(), by, day));
    });
  }
}

/** Counts in memory, written to SQL in one transaction per flush. A failed write keeps them for the next try. */
class MemoryUsage {
  private pending = new Map<string, PendingUsage>();
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
  ) {}

  record(principal: Principal, at: Date, count = 1): void {
    this.add({ keyId: principal.keyId, scope: principal.scope, day: usageDay(at), count, lastUsedAt: at.toISOString() });
  }

  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.writePending());
    return this.flushing;
  }

  /** Counted and not yet handed to a write. */
  unwritten(): PendingUsage[] {
    return [...this.pending.values()];
  }

  /** Runs `work` when no write is in flight, holding the next one back until it is done. */
  betweenFlushes<T>(work: () => Promise<T>): Promise<T> {
    const result = this.flushing.then(work);
    this.flushing = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  private async writePending(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = [...this.pending.values()];
    this.pending = new Map();
    try {
      await this.db.transaction((tx) => addUsage(tx, batch));
    } catch (error) {
      this.logger.warn('usage counts not written yet; will retry', { error, entries: batch.length });
      for (const entry of batch) this.add(entry);
    }
  }

  private add(entry: PendingUsage): void {
    const slot = `${entry.keyId}\u0000${entry.day}`;
    const current = this.pending.get(slot);
    if (!current) {
      this.pending.set(slot, { ...entry });
      return;
    }
    current.count += entry.count;
    if (entry.lastUsedAt > current.lastUsedAt) current.lastUsedAt = entry.lastUsedAt;
  }
}

/**
 * One increment per request in `<prefix>pending` (a hash: `c␉key␉scope␉day` → count and
 * `l␉key` → last use). The mover renames that hash to a batch, applies the batch to SQL in a
 * transaction that also records the batch id, then deletes it: a crash at any step leaves
 * the batch in Redis, and the next move applies it unless its id is already recorded.
 * Moves and reads take one lock, so a read never sees a batch both in Redis and in SQL.
 */
class RedisUsage {
  private readonly keys: { pending: string; batches: string; batch: string; lock: string };
  private lastPrune = 0;

  constructor(
    private readonly client: UsageRedis,
    private readonly db: Db,
    prefix: string,
    private readonly now: () => Date,
  ) {
    this.keys = { pending: `${prefix}pending`, batches: `${prefix}batches`, batch: `${prefix}batch:`, lock: `${prefix}lock` };
  }

  get ready(): boolean {
    return this.client.status === 'ready';
  }

  async increment(principal: Principal, at: Date): Promise<void> {
    await runScript(this.client, INCREMENT, [this.keys.pending], [countField(principal.keyId, principal.scope, usageDay(at)), lastField(principal.keyId), at.toISOString()]);
  }

  async moveToSql(): Promise<void> {
    const token = await this.lock(0);
    if (!token) return; // Another instance is moving or reading; it takes these counts too.
    try {
      const ids = (await runScript(this.client, ROTATE, [this.keys.pending, this.keys.batches], [this.keys.batch, randomUUID()])) as string[];
      for (const id of ids) {
        const flat = (await runScript(this.client, 'return redis.call("HGETALL", KEYS[1])', [this.keys.batch + id])) as string[];
        const entries = decodeHash(flat);
        const appliedAt = this.now().toISOString();
        await this.db.transaction(async (tx) => {
          const { changes } = await tx.run('INSERT INTO usage_batches (id, applied_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING', [id, appliedAt]);
          if (changes === 1 && entries.length > 0) await addUsage(tx, entries);
        });
        await runScript(this.client, FORGET, [this.keys.batch + id, this.keys.batches], [id]);
      }
      await this.pruneBatchIds();
    } finally {
      await this.unlock(token);
    }
  }

  /**
   * Runs the SQL read under the lock together with a snapshot of what Redis holds, so the two
   * add up to every count exactly once. Without the lock (held too long elsewhere) the figures
   * may be off by one move for this one read.
   */
  async readWith(read: () => Promise<Map<string, UsageFigures>>): Promise<{ stored: Map<string, UsageFigures>; unstored: PendingUsage[] }> {
    const token = await this.lock(2_000);
    try {
      const snapshot = (await runScript(this.client, SNAPSHOT, [this.keys.pending, this.keys.batches], [this.keys.batch])) as (
        | string
        | string[]
      )[];
      const unstored = decodeHash(snapshot[0] as string[]);
      const batches = new Map<string, PendingUsage[]>();
      for (let i = 1; i + 1 < snapshot.length; i += 2) batches.set(snapshot[i] as string, decodeHash(snapshot[i + 1] as string[]));
      const stored = await read();
      if (batches.size > 0) {
        const ids = [...batches.keys()];
        const applied = await this.db.all<{ id: string }>(`SELECT id FROM usage_batches WHERE id IN (${ids.map(() => '?').join(', ')})`, ids);
        const done = new Set(applied.map((row) => row.id));
        for (const [id, entries] of batches) if (!done.has(id)) unstored.push(...entries);
      }
      return { stored, unstored };
    } finally {
      if (token) await this.unlock(token);
    }
  }

  private async lock(waitMs: number): Promise<string | null> {
    const token = randomUUID();
    const deadline = Date.now() + waitMs;
    for (;;) {
      const taken = await runScript(this.client, "return redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2])", [this.keys.lock], [token, '10000']);
      if (taken) return token;
      if (Date.now() >= deadline) return null;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  private async unlock(token: string): Promise<void> {
    await runScript(this.client, "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0", [this.keys.lock], [token]);
  }

  private async pruneBatchIds(): Promise<void> {
    const now = this.now().getTime();
    if (now - this.lastPrune < 3600_000) return;
    this.lastPrune = now;
    await this.db.run('DELETE FROM usage_batches WHERE applied_at < ?', [new Date(now - BATCH_MEMORY_MS).toISOString()]);
  }
}

const INCREMENT = `
redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
local last = redis.call('HGET', KEYS[1], ARGV[2])
if (not last) or last < ARGV[3] then redis.call('HSET', KEYS[1], ARGV[2], ARGV[3]) end
return 1
`;

/** Turns the pending hash into a new batch (if there is anything) and lists every batch not yet forgotten. */
const ROTATE = `
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('RENAME', KEYS[1], ARGV[1] .. ARGV[2])
  redis.call('SADD', KEYS[2], ARGV[2])
end
return redis.call('SMEMBERS', KEYS[2])
`;

const FORGET = `
redis.call('DEL', KEYS[1])
return redis.call('SREM', KEYS[2], ARGV[1])
`;

/** The pending hash, then id and contents of each batch. */
const SNAPSHOT = `
local out = { redis.call('HGETALL', KEYS[1]) }
for _, id in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  table.insert(out, id)
  table.insert(out, redis.call('HGETALL', ARGV[1] .. id))
end
return out
`;

function countField(keyId: string, scope: string, day: string): string {
  return `c\t${keyId}\t${scope}\t${day}`;
}

function lastField(keyId: string): string {
  return `l\t${keyId}`;
}

function decodeHash(flat: readonly string[]): PendingUsage[] {
  const last = new Map<string, string>();
  const counts: Omit<PendingUsage, 'lastUsedAt'>[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const parts = flat[i]!.split('\t');
    if (parts[0] === 'l' && parts.length === 2) last.set(parts[1]!, flat[i + 1]!);
    else if (parts[0] === 'c' && parts.length === 4) counts.push({ keyId: parts[1]!, scope: parts[2]!, day: parts[3]!, count: Number(flat[i + 1]) });
  }
  return counts.map((entry) => ({ ...entry, lastUsedAt: last.get(entry.keyId) ?? `${entry.day}T00:00:00.000Z` }));
}

function figuresOf(entries: readonly PendingUsage[], by: 'scope' | 'key', day: string): Map<string, UsageFigures> {
  const figures = new Map<string, UsageFigures>();
  for (const entry of entries) {
    const id = by === 'scope' ? entry.scope : entry.keyId;
    const sum = figures.get(id) ?? { requestsToday: 0, requestsTotal: 0 };
    sum.requestsTotal += entry.count;
    if (entry.day === day) sum.requestsToday += entry.count;
    figures.set(id, sum);
  }
  return figures;
}

function addFigures(stored: Map<string, UsageFigures>, unwritten: Map<string, UsageFigures>): Map<string, UsageFigures> {
  const merged = new Map<string, UsageFigures>();
  for (const [id, figures] of stored) merged.set(id, { ...figures });
  for (const [id, figures] of unwritten) {
    const sum = merged.get(id) ?? { requestsToday: 0, requestsTotal: 0 };
    sum.requestsToday += figures.requestsToday;
    sum.requestsTotal += figures.requestsTotal;
    merged.set(id, sum);
  }
  return merged;
}

/** Resolves when `work` settles or after `ms`, whichever comes first; never rejects. */
function settledWithin(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
    timer.unref();
  });
  return Promise.race([work, bound]).finally(() => clearTimeout(timer));
}
