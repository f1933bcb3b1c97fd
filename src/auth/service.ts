import { LRUCache } from 'lru-cache';
import { exclusiveLock } from '../db/lock.js';
import type { Db } from '../db/types.js';
import { ApiError, badInput } from '../errors/api.js';
import type { Logger } from '../logger.js';
import { bootstrapSources, type BootstrapResult, type ProviderList } from './bootstrap.js';
import { issueKey, type IssuedKey } from './issue.js';
import { hashKey, hashMatches, KEY_ID_SHAPE, keyPrefix, presentedKey } from './keys.js';
import * as repo from './repository.js';
import type { ApiKeyRecord, SourceRecord, UsageFigures } from './repository.js';
import type { KeyEvents } from './keyEvents.js';
import { KEY_REQUIRED_HOW, UNKNOWN_KEY } from './messages.js';
import { DEFAULT_USAGE_FLUSH_MS, UsageCounter, type UsageCounterOptions } from './usage.js';
import { ADMIN_SCOPE, type AccessControl, type Principal, type SourceStatus } from './types.js';

export type { IssuedKey } from './issue.js';

export interface AuthServiceOptions extends UsageCounterOptions {
  /**
   * How often statuses are re-read from the database (changes made by other instances or the
   * CLI), default 1 s: the same bound as for keys. It is one small query.
   */
  statusRefreshMs?: number;
  /** How often counted usage is written (and, with Redis, moved from Redis to the database). */
  usageFlushMs?: number;
  /**
   * How long a verified key is remembered without asking the database again (default 1 s).
   * It bounds how late another instance, or the CLI, learns of a revocation when no event
   * reaches this one; a change made through this instance takes effect on the next request.
   */
  verifiedKeyTtlMs?: number;
  /** Tells other instances about key and status changes, and hears theirs (Redis pub/sub). */
  events?: KeyEvents;
  now?: () => Date;
}

export interface KeyKindOptions {
  /** A read-only admin key (admin scope only). */
  readOnly?: boolean;
}

/** A verified key: who it is and, for source keys, the source's status when it was read. */
interface VerifiedKey {
  principal: Principal;
  sourceStatus: SourceStatus | null;
  expiresAt: number;
}

const DEFAULT_VERIFIED_KEY_TTL_MS = 1_000;
/** Distinct keys remembered at once; beyond it the least recently used are forgotten. */
const VERIFIED_KEYS_MAX = 10_000;

const SOURCE_ID_SHAPE = /^[a-z0-9][a-z0-9-]{0,63}$/;
const MAX_LABEL_LENGTH = 100;
const KEY_LOCK = 'api_keys';


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
  /** Key hash → verified key, so most requests cost no database query (see `verifiedKeyTtlMs`). */
  private readonly verified = new LRUCache<string, VerifiedKey>({ max: VERIFIED_KEYS_MAX });
  private readonly verifiedTtlMs: number;
  /**
   * Moves on every forget: a lookup that read the database before a change committed must not
   * put what it read back into the cache after the change cleared it.
   */
  private verifiedGeneration = 0;
  private unsubscribe: (() => void) | null = null;

  constructor(
    readonly db: Db,
    private readonly logger: Logger,
    private readonly options: AuthServiceOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.usage = new UsageCounter(db, logger, this.now, { redis: options.redis, redisPrefix: options.redisPrefix });
    this.verifiedTtlMs = options.verifiedKeyTtlMs ?? DEFAULT_VERIFIED_KEY_TTL_MS;
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
    if (this.options.events && !this.unsubscribe) {
      // Another instance changed keys or statuses (or events may have been missed while
      // disconnected): forget every verified key and re-read the statuses.
      this.unsubscribe = this.options.events.subscribe(() => {
        this.forgetVerifiedKeys();
        this.refreshStatuses().catch((error: unknown) => this.logger.warn('source statuses not refreshed', { error }));
      });
    }
    this.usage.start(this.options.usageFlushMs ?? DEFAULT_USAGE_FLUSH_MS);
    if (!this.refreshTimer) {
      this.refreshTimer = setInterval(() => {
        this.refreshStatuses().catch((error: unknown) => this.logger.warn('source statuses not refreshed', { error }));
      }, this.options.statusRefreshMs ?? 1_000);
      this.refreshTimer.unref();
    }
  }

  /** Stops the timers and writes the usage counted so far. Does not close the database. */
  async stop(): Promise<void> {
    if (this.refreshTimer) clearInterval(this.refreshTimer);
    this.refreshTimer = null;
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.usage.stop();
    await this.usage.flush();
  }

  // ── AccessControl ────────────────────────────────────────────────────────────────────────

  async authenticate(headers: Readonly<Record<string, string | string[] | undefined>>): Promise<Principal> {
    const key = presentedKey(headers);
    if (!key) throw new ApiError('UNAUTHENTICATED', KEY_REQUIRED_HOW);
    const prefix = keyPrefix(key);
    if (!prefix) throw new ApiError('UNAUTHENTICATED', UNKNOWN_KEY);
    const hash = hashKey(key);
    const now = this.now().getTime();
    const remembered = this.verified.get(hash);
    if (remembered && remembered.expiresAt > now) return admitted(remembered);
    const generation = this.verifiedGeneration;
    let match: repo.KeyCandidate | undefined;
    // Compare against every candidate, not stopping at the first match, so timing does not
    // depend on where a key sits in the list.
    for (const candidate of await repo.keyCandidates(this.db, prefix)) {
      if (hashMatches(hash, candidate.hash)) match = candidate;
    }
    // Unknown and revoked keys are not remembered: they cost a query each time, as before.
    if (!match || match.revoked_at !== null) throw new ApiError('UNAUTHENTICATED', UNKNOWN_KEY);
    if (match.scope !== ADMIN_SCOPE) {
      if (match.source_status === null) throw new ApiError('UNAUTHENTICATED', UNKNOWN_KEY);
      // The row was just read: keep the in-memory view in step with it.
      this.statuses.set(match.scope, match.source_status);
    }
    const verified: VerifiedKey = {
      principal: { keyId: match.id, scope: match.scope, label: match.label, readOnly: Number(match.read_only) === 1 },
      sourceStatus: match.scope === ADMIN_SCOPE ? null : match.source_status,
      expiresAt: now + this.verifiedTtlMs,
    };
    if (this.verifiedTtlMs > 0 && generation === this.verifiedGeneration) this.verified.set(hash, verified);
    return admitted(verified);
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

  /** Health as last reported by a running instance, per source (for the CLI, which has none of its own). */
  reportedHealth(): Promise<Map<string, repo.ReportedHealth>> {
    return repo.reportedHealth(this.db);
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

  /** Issues an additional key for a source (or `*`: an admin key, read-only with `readOnly`). */
  async createKey(scope: string, label?: string | null, kind: KeyKindOptions = {}): Promise<IssuedKey> {
    const readOnly = readOnlyKind(scope, kind);
    const cleanLabel = validLabel(label, defaultLabel(scope, readOnly));
    await this.assertScope(scope);
    const at = this.timestamp();
    const issued = await this.db.transaction(async (tx) => {
      await exclusiveLock(tx, KEY_LOCK);
      const issued = await issueKey(tx, scope, cleanLabel, at, readOnly);
      if (scope !== ADMIN_SCOPE) await repo.touchSource(tx, scope, at);
      return issued;
    });
    await this.changed();
    return issued;
  }

  /**
   * Replaces the scope's active keys (or just `keyId`) with one new key of the same kind. The
   * old keys are revoked in the same transaction, so they stop working with the next request.
   * For the admin scope, without `keyId`, `readOnly` chooses which admin keys are replaced
   * (full ones by default); with `keyId` the new key is of that key's kind.
   */
  async rotateKey(scope: string, keyId?: string | null, kind: KeyKindOptions = {}): Promise<IssuedKey> {
    let readOnly = readOnlyKind(scope, kind);
    await this.assertScope(scope);
    if (keyId != null && !KEY_ID_SHAPE.test(keyId)) throw malformedKeyId(keyId);
    const at = this.timestamp();
    const issued = await this.db.transaction(async (tx) => {
      await exclusiveLock(tx, KEY_LOCK);
      let replaced: ApiKeyRecord[];
      if (keyId != null) {
        const key = await repo.findKey(tx, keyId);
        if (!key || key.scope !== scope || key.revokedAt) {
          throw badInput({ en: `No active key "${keyId}" for "${scope}".`, es: `No hay ninguna clave activa «${keyId}» de «${scope}».` }, 'keyId');
        }
        readOnly = key.readOnly;
        replaced = [key];
      } else {
        replaced = await repo.activeKeys(tx, scope, readOnly);
      }
      const label = replaced.at(-1)?.label ?? (scope === ADMIN_SCOPE ? defaultLabel(scope, readOnly) : 'Clave de la fuente');
      const issued = await issueKey(tx, scope, label, at, readOnly);
      await repo.revokeKeys(
        tx,
        replaced.map((key) => key.id),
        at,
        issued.apiKey.id,
      );
      return issued;
    });
    await this.changed();
    return issued;
  }

  async revokeKey(keyId: string): Promise<ApiKeyRecord> {
    if (!KEY_ID_SHAPE.test(keyId)) throw malformedKeyId(keyId);
    const at = this.timestamp();
    const revoked = await this.db.transaction(async (tx) => {
      await exclusiveLock(tx, KEY_LOCK);
      const key = await repo.findKey(tx, keyId);
      if (!key) throw badInput({ en: `Unknown key "${keyId}".`, es: `No hay ninguna clave «${keyId}».` }, 'keyId');
      if (key.revokedAt) return key;
      // A read-only key cannot manage keys, so it never counts as a way back in.
      if (key.scope === ADMIN_SCOPE && !key.readOnly && (await repo.activeKeys(tx, ADMIN_SCOPE)).length <= 1) {
        throw badInput(
          {
            en: 'This is the last active admin key; create another admin key before revoking it.',
            es: 'Esta es la última clave de administración activa: crea otra antes de revocarla.',
          },
          'keyId',
        );
      }
      await repo.revokeKeys(tx, [keyId], at, null);
      return { ...key, revokedAt: at };
    });
    await this.changed();
    return revoked;
  }

  async setSourceStatus(sourceId: string, status: SourceStatus): Promise<SourceRecord> {
    if (status !== 'active' && status !== 'inactive') {
      throw badInput({ en: `Unknown status "${String(status)}".`, es: `Estado desconocido: «${String(status)}».` }, 'status');
    }
    await this.assertScope(sourceId, false);
    const at = this.timestamp();
    const source = await this.db.transaction(async (tx) => {
      if ((await repo.updateSourceStatus(tx, sourceId, status, at)) === 0) throw unknownSource(sourceId);
      return (await repo.findSource(tx, sourceId))!;
    });
    this.statuses.set(sourceId, status);
    await this.changed();
    return source;
  }

  private forgetVerifiedKeys(): void {
    this.verifiedGeneration += 1;
    this.verified.clear();
  }

  /**
   * After a committed change: this instance forgets every verified key at once (so a revoked
   * key is refused on the very next request), and the others are told. A failed announcement
   * only delays them by the verified-key TTL, so it is logged, not thrown.
   */
  private async changed(): Promise<void> {
    this.forgetVerifiedKeys();
    try {
      await this.options.events?.publish();
    } catch (error) {
      this.logger.warn('key change not announced to other instances; they learn within the verified-key TTL', { error });
    }
  }

  private async assertScope(scope: string, adminAllowed = true): Promise<void> {
    if (scope === ADMIN_SCOPE && adminAllowed) return;
    if (!SOURCE_ID_SHAPE.test(scope)) throw badInput({ en: `Malformed source id "${scope}".`, es: `«${scope}» no tiene la forma de un id de fuente.` }, 'sourceId');
    if (!(await repo.findSource(this.db, scope))) throw unknownSource(scope);
  }

  private timestamp(): string {
    return this.now().toISOString();
  }
}

/** Lets a remembered key in, or refuses it when its source is inactive. */
function admitted(verified: VerifiedKey): Principal {
  const { principal, sourceStatus } = verified;
  if (sourceStatus === 'inactive') {
    throw new ApiError(
      'SOURCE_INACTIVE',
      { en: `The source "${principal.scope}" is inactive.`, es: `La fuente «${principal.scope}» está desactivada.` },
      { source: principal.scope },
    );
  }
  return { ...principal };
}

function readOnlyKind(scope: string, kind: KeyKindOptions): boolean {
  if (!kind.readOnly) return false;
  if (scope !== ADMIN_SCOPE) {
    throw badInput({ en: 'Only admin keys (sourceId "*") can be read-only.', es: 'Solo las claves de administración (sourceId «*») pueden ser de solo lectura.' }, 'readOnly');
  }
  return true;
}

function defaultLabel(scope: string, readOnly: boolean): string {
  if (scope !== ADMIN_SCOPE) return 'Clave adicional';
  return readOnly ? 'Clave de solo lectura' : 'Clave de administración';
}

function unknownSource(id: string): ApiError {
  return badInput({ en: `Unknown source "${id}".`, es: `No hay ninguna fuente «${id}».` }, 'sourceId');
}

function malformedKeyId(keyId: string): ApiError {
  return badInput({ en: `Malformed key id "${keyId}".`, es: `«${keyId}» no tiene la forma de un id de clave.` }, 'keyId');
}

function validLabel(label: string | null | undefined, fallback: string): string {
  const clean = (label ?? '').trim();
  if (!clean) return fallback;
  if (clean.length > MAX_LABEL_LENGTH) {
    throw badInput({ en: `The label is longer than ${MAX_LABEL_LENGTH} characters.`, es: `La etiqueta tiene más de ${MAX_LABEL_LENGTH} caracteres.` }, 'label');
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(clean)) throw badInput({ en: 'The label contains control characters.', es: 'La etiqueta contiene caracteres de control.' }, 'label');
  return clean;
}
