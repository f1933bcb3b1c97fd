import { exclusiveLock } from '../db/lock.js';
import type { Db } from '../db/types.js';
import { ApiError, badInput } from '../errors.js';
import type { Logger } from '../logger.js';
import { bootstrapSources, type BootstrapResult, type ProviderList } from './bootstrap.js';
import { issueKey, type IssuedKey } from './issue.js';
import { hashKey, hashMatches, KEY_ID_SHAPE, keyPrefix, presentedKey } from './keys.js';
import * as repo from './repository.js';
import type { ApiKeyRecord, SourceRecord, UsageFigures } from './repository.js';
import { DEFAULT_USAGE_FLUSH_MS, UsageCounter, type UsageCounterOptions } from './usage.js';
import { ADMIN_SCOPE, type AccessControl, type Principal, type SourceStatus } from './types.js';

export type { IssuedKey } from './issue.js';

export interface AuthServiceOptions extends UsageCounterOptions {
  /** How often statuses are re-read from the database (changes made by other instances or the CLI). */
  statusRefreshMs?: number;
  /** How often counted usage is written (and, with Redis, moved from Redis to the database). */
  usageFlushMs?: number;
  now?: () => Date;
}

export const SOURCE_ID_SHAPE = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const MAX_LABEL_LENGTH = 100;
const KEY_LOCK = 'api_keys';

const UNKNOWN_KEY = 'Unknown or revoked API key.';

/**
 * The keys and sources registry: authenticates requests, knows each source's status without a
 * database round trip, counts usage, and performs the admin operations. Every change to keys is
 * one transaction, so a crash leaves either the old state or the new one.
 */
export class AuthService implements AccessControl {
  private statuses = new Map<string, SourceStatus>();
  private readonly usage: UsageCounter;
  private refreshTimer: NodeJS.Timeout | null = null;
  private readonly now: () => Date;

  constructor(
    readonly db: Db,
    private readonly logger: Logger,
    private readonly options: AuthServiceOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.usage = new UsageCounter(db, logger, this.now, { redis: options.redis, redisPrefix: options.redisPrefix });
  }

  /**
   * Gives every provider its row and key (the admin key too on the very first start) and
   * reloads statuses. Returns the keys created now, in plaintext, to be printed once.
   */
  async registerSources(providers: ProviderList): Promise<BootstrapResult> {
    const result = await bootstrapSources(this.db, providers, this.now());
    if (result.added.length) this.logger.info('sources registered', { sources: result.added });
    await this.refreshStatuses();
    return result;
  }

  /** Loads statuses and starts the periodic status refresh and usage flush. */
  async start(): Promise<void> {
    await this.refreshStatuses();
    this.usage.start(this.options.usageFlushMs ?? DEFAULT_USAGE_FLUSH_MS);
    if (!this.refreshTimer) {
      this.refreshTimer = setInterval(() => {
        this.refreshStatuses().catch((error: unknown) => this.logger.warn('source statuses not refreshed', { error }));
      }, this.options.statusRefreshMs ?? 10_000);
      this.refreshTimer.unref();
    }
  }

  /** Stops the timers and writes the usage counted so far. Does not close the database. */
  async stop(): Promise<void> {
    if (this.refreshTimer) clearInterval(this.refreshTimer);
    this.refreshTimer = null;
    this.usage.stop();
    await this.usage.flush();
  }

  // ── AccessControl ────────────────────────────────────────────────────────────────────────

  async authenticate(headers: Readonly<Record<string, string | string[] | undefined>>): Promise<Principal> {
    const key = presentedKey(headers);
    if (!key) {
      throw new ApiError('UNAUTHENTICATED', 'An API key is required: send "Authorization: Bearer <key>" or "X-API-Key: <key>".');
    }
    const prefix = keyPrefix(key);
    if (!prefix) throw new ApiError('UNAUTHENTICATED', UNKNOWN_KEY);
    const hash = hashKey(key);
    let match: repo.KeyCandidate | undefined;
    // Compare against every candidate, not stopping at the first match, so timing does not
    // depend on where a key sits in the list.
    for (const candidate of await repo.keyCandidates(this.db, prefix)) {
      if (hashMatches(hash, candidate.hash)) match = candidate;
    }
    if (!match || match.revoked_at !== null) throw new ApiError('UNAUTHENTICATED', UNKNOWN_KEY);
    if (match.scope !== ADMIN_SCOPE) {
      if (match.source_status === null) throw new ApiError('UNAUTHENTICATED', UNKNOWN_KEY);
      // The row was just read: keep the in-memory view in step with it.
      this.statuses.set(match.scope, match.source_status);
      if (match.source_status === 'inactive') {
        throw new ApiError('SOURCE_INACTIVE', `The source "${match.scope}" is inactive.`, { source: match.scope });
      }
    }
    return { keyId: match.id, scope: match.scope, label: match.label };
  }

  /** Sources without a row (not bootstrapped, e.g. in a test) count as active. */
  sourceStatus(sourceId: string): SourceStatus {
    return this.statuses.get(sourceId) ?? 'active';
  }

  recordUsage(principal: Principal): void | Promise<void> {
    try {
      return this.usage.record(principal);
    } catch (error) {
      this.logger.warn('usage not counted', { error });
    }
  }

  // ── Reading ──────────────────────────────────────────────────────────────────────────────

  async refreshStatuses(): Promise<void> {
    this.statuses = await repo.sourceStatuses(this.db);
  }

  listSources(): Promise<SourceRecord[]> {
    return repo.listSources(this.db);
  }

  listKeys(scope?: string): Promise<ApiKeyRecord[]> {
    return repo.listKeys(this.db, scope);
  }

  findKey(id: string): Promise<ApiKeyRecord | undefined> {
    return KEY_ID_SHAPE.test(id) ? repo.findKey(this.db, id) : Promise.resolve(undefined);
  }

  /** Requests today (UTC) and in total, per scope: a source id or `*` for admin keys. */
  usageByScope(): Promise<Map<string, UsageFigures>> {
    return this.usage.figures('scope');
  }

  usageByKey(): Promise<Map<string, UsageFigures>> {
    return this.usage.figures('key');
  }

  flushUsage(): Promise<void> {
    return this.usage.flush();
  }

  // ── Admin operations ─────────────────────────────────────────────────────────────────────

  /** Issues an additional key for a source (or `*`: an admin key). */
  async createKey(scope: string, label?: string | null): Promise<IssuedKey> {
    const cleanLabel = validLabel(label, scope === ADMIN_SCOPE ? 'Clave de administración' : 'Clave adicional');
    await this.assertScope(scope);
    const at = this.timestamp();
    return this.db.transaction(async (tx) => {
      await exclusiveLock(tx, KEY_LOCK);
      const issued = await issueKey(tx, scope, cleanLabel, at);
      if (scope !== ADMIN_SCOPE) await repo.touchSource(tx, scope, at);
      return issued;
    });
  }

  /**
   * Replaces the scope's active keys (or just `keyId`) with one new key. The old keys are
   * revoked in the same transaction, so they stop working with the next request.
   */
  async rotateKey(scope: string, keyId?: string | null): Promise<IssuedKey> {
    await this.assertScope(scope);
    if (keyId != null && !KEY_ID_SHAPE.test(keyId)) throw badInput(`Malformed key id "${keyId}".`, 'keyId');
    const at = this.timestamp();
    return this.db.transaction(async (tx) => {
      await exclusiveLock(tx, KEY_LOCK);
      const active = await repo.activeKeys(tx, scope);
      const replaced = keyId == null ? active : active.filter((key) => key.id === keyId);
      if (keyId != null && replaced.length === 0) {
        throw badInput(`No active key "${keyId}" for "${scope}".`, 'keyId');
      }
      const label = replaced.at(-1)?.label ?? (scope === ADMIN_SCOPE ? 'Clave de administración' : 'Clave de la fuente');
      const issued = await issueKey(tx, scope, label, at);
      await repo.revokeKeys(
        tx,
        replaced.map((key) => key.id),
        at,
        issued.apiKey.id,
      );
      return issued;
    });
  }

  async revokeKey(keyId: string): Promise<ApiKeyRecord> {
    if (!KEY_ID_SHAPE.test(keyId)) throw badInput(`Malformed key id "${keyId}".`, 'keyId');
    const at = this.timestamp();
    return this.db.transaction(async (tx) => {
      await exclusiveLock(tx, KEY_LOCK);
      const key = await repo.findKey(tx, keyId);
      if (!key) throw badInput(`Unknown key "${keyId}".`, 'keyId');
      if (key.revokedAt) return key;
      if (key.scope === ADMIN_SCOPE && (await repo.activeKeys(tx, ADMIN_SCOPE)).length <= 1) {
        throw badInput('This is the last active admin key; create another admin key before revoking it.', 'keyId');
      }
      await repo.revokeKeys(tx, [keyId], at, null);
      return { ...key, revokedAt: at };
    });
  }

  async setSourceStatus(sourceId: string, status: SourceStatus): Promise<SourceRecord> {
    if (status !== 'active' && status !== 'inactive') throw badInput(`Unknown status "${String(status)}".`, 'status');
    await this.assertScope(sourceId, false);
    const at = this.timestamp();
    const source = await this.db.transaction(async (tx) => {
      if ((await repo.updateSourceStatus(tx, sourceId, status, at)) === 0) throw unknownSource(sourceId);
      return (await repo.findSource(tx, sourceId))!;
    });
    this.statuses.set(sourceId, status);
    return source;
  }

  private async assertScope(scope: string, adminAllowed = true): Promise<void> {
    if (scope === ADMIN_SCOPE && adminAllowed) return;
    if (!SOURCE_ID_SHAPE.test(scope)) throw badInput(`Malformed source id "${scope}".`, 'sourceId');
    if (!(await repo.findSource(this.db, scope))) throw unknownSource(scope);
  }

  private timestamp(): string {
    return this.now().toISOString();
  }
}

function unknownSource(id: string): ApiError {
  return badInput(`Unknown source "${id}".`, 'sourceId');
}

function validLabel(label: string | null | undefined, fallback: string): string {
  const clean = (label ?? '').trim();
  if (!clean) return fallback;
  if (clean.length > MAX_LABEL_LENGTH) throw badInput(`The label is longer than ${MAX_LABEL_LENGTH} characters.`, 'label');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(clean)) throw badInput('The label contains control characters.', 'label');
  return clean;
}
