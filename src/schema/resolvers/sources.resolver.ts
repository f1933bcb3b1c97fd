import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { AuthService, type ApiKeyRecord, type IssuedKey, type SourceRecord, type UsageFigures } from '../../auth/index.js';
import { KEY_REQUIRED } from '../../auth/messages.js';
import { isAdmin, isReadOnly, type Principal } from '../../auth/types.js';
import { unknownSource } from '../../catalog/catalog.js';
import { ApiError, badInput } from '../../errors/api.js';
import type { Services } from '../../services.js';
import type { RequestContext } from '../context.js';
import { ApiKey, CircuitStateValue, IssuedApiKey, Source, SourceCheck, SourceStatusValue } from '../types/source.js';
import { PRICE } from '../cost.js';

const NO_USAGE: UsageFigures = { requestsToday: 0, requestsTotal: 0 };

/** The keys registry behind the request: `services.auth`, or the access control when it is one. */
export function keysRegistry(services: Services): AuthService {
  const auth = services.auth ?? (services.access instanceof AuthService ? services.access : null);
  if (!auth) {
    throw new ApiError('INTERNAL_SERVER_ERROR', { en: 'The keys and sources registry is not available.', es: 'El registro de claves y fuentes no está disponible.' });
  }
  return auth;
}

/** Any admin key, read-only ones included: for reading. */
export function requireAdmin(principal: Principal | undefined): void {
  if (!principal) throw new ApiError('UNAUTHENTICATED', KEY_REQUIRED);
  if (!isAdmin(principal)) {
    throw new ApiError('FORBIDDEN', { en: 'Only an admin key may manage keys and sources.', es: 'Solo una clave de administración puede gestionar claves y fuentes.' });
  }
}

/** An admin key that may change things (not read-only). */
export function requireWritingAdmin(principal: Principal | undefined): void {
  requireAdmin(principal);
  if (isReadOnly(principal)) {
    throw new ApiError('FORBIDDEN', {
      en: 'This admin key is read-only: it cannot change keys or sources.',
      es: 'Esta clave de administración es de solo lectura: no puede cambiar claves ni fuentes.',
    });
  }
}

@Resolver()
export class SourcesResolver {
  @Query(() => [Source], { description: 'Every source with status, health, usage and keys (admin); a source key sees only its own source.', complexity: PRICE.free })
  async sources(@Ctx() { principal, services }: RequestContext): Promise<Source[]> {
    if (!principal) throw new ApiError('UNAUTHENTICATED', KEY_REQUIRED);
    const auth = keysRegistry(services);
    const [records, keys, usage, keyUsage] = await Promise.all([auth.listSources(), auth.listKeys(), auth.usageByScope(), auth.usageByKey()]);
    const visible = isAdmin(principal) ? records : records.filter((record) => record.id === principal.scope);
    return visible.map((record) => {
      const sourceKeys = keys.filter((key) => key.scope === record.id && (isAdmin(principal) || key.id === principal.keyId));
      return sourceView(record, sourceKeys, usage.get(record.id) ?? NO_USAGE, keyUsage, services);
    });
  }

  @Query(() => [ApiKey], { description: 'Admin only: every key, admin keys included, newest state first by scope.', complexity: PRICE.free })
  async apiKeys(
    @Arg('scope', () => String, { nullable: true, description: 'Only keys of this source, or "*" for admin keys.' }) scope: string | null,
    @Ctx() { principal, services }: RequestContext,
  ): Promise<ApiKey[]> {
    requireAdmin(principal);
    const auth = keysRegistry(services);
    const [keys, keyUsage] = await Promise.all([auth.listKeys(scope ?? undefined), auth.usageByKey()]);
    return keys.map((key) => keyView(key, keyUsage));
  }

  @Query(() => SourceCheck, {
    description:
      'Admin only (read-only admin keys too): sends one known, real query to the source now, bypassing the cache, and says whether it answered, how fast and, if not, why. Unconfigured sources are not called (errorKind UNCONFIGURED).',
    complexity: PRICE.sourceCheck,
  })
  async checkSource(@Arg('sourceId', () => String) sourceId: string, @Ctx() { principal, services }: RequestContext): Promise<SourceCheck> {
    requireAdmin(principal);
    if (!services.sourceChecker) {
      throw new ApiError('INTERNAL_SERVER_ERROR', { en: 'Source checks are not available on this server.', es: 'Este servidor no puede comprobar fuentes.' });
    }
    const result = await services.sourceChecker.check(sourceId);
    if (!result) throw badInput(unknownSource(sourceId, services.providers.all()), 'sourceId');
    return result;
  }

  @Mutation(() => IssuedApiKey, {
    description:
      'Admin only: issues an additional key for a source ("*" for an admin key; with readOnly: true, a read-only admin key). The key is returned this once.',
    complexity: PRICE.free,
  })
  async createSourceKey(
    @Arg('sourceId', () => String) sourceId: string,
    @Arg('label', () => String, { nullable: true }) label: string | null,
    @Arg('readOnly', () => Boolean, { defaultValue: false, description: 'A read-only admin key; only with sourceId "*".' }) readOnly: boolean,
    @Ctx() { principal, services }: RequestContext,
  ): Promise<IssuedApiKey> {
    requireWritingAdmin(principal);
    return issuedView(await keysRegistry(services).createKey(sourceId, label, { readOnly }));
  }

  @Mutation(() => IssuedApiKey, {
    description: "Admin only: replaces the source's active keys (or only keyId) with a new key, returned this once. The old keys stop working at once.",
    complexity: PRICE.free,
  })
  async rotateSourceKey(
    @Arg('sourceId', () => String) sourceId: string,
    @Arg('keyId', () => ID, { nullable: true }) keyId: string | null,
    @Arg('readOnly', () => Boolean, {
      defaultValue: false,
      description: 'With sourceId "*" and no keyId: replace the read-only admin keys instead of the full ones. With keyId, the new key is of that key\'s kind.',
    })
    readOnly: boolean,
    @Ctx() { principal, services }: RequestContext,
  ): Promise<IssuedApiKey> {
    requireWritingAdmin(principal);
    return issuedView(await keysRegistry(services).rotateKey(sourceId, keyId, { readOnly }));
  }

  @Mutation(() => ApiKey, { description: 'Admin only: revokes a key at once. The last active admin key cannot be revoked.', complexity: PRICE.free })
  async revokeKey(@Arg('keyId', () => ID) keyId: string, @Ctx() { principal, services }: RequestContext): Promise<ApiKey> {
    requireWritingAdmin(principal);
    const auth = keysRegistry(services);
    return keyView(await auth.revokeKey(keyId), await auth.usageByKey());
  }

  @Mutation(() => Source, { description: 'Admin only: activates or deactivates a source.', complexity: PRICE.free })
  async setSourceStatus(
    @Arg('sourceId', () => String) sourceId: string,
    @Arg('status', () => SourceStatusValue) status: SourceStatusValue,
    @Ctx() { principal, services }: RequestContext,
  ): Promise<Source> {
    requireWritingAdmin(principal);
    const auth = keysRegistry(services);
    const record = await auth.setSourceStatus(sourceId, status);
    const [keys, usage, keyUsage] = await Promise.all([auth.listKeys(sourceId), auth.usageByScope(), auth.usageByKey()]);
    return sourceView(record, keys, usage.get(sourceId) ?? NO_USAGE, keyUsage, services);
  }
}

function sourceView(
  record: SourceRecord,
  keys: readonly ApiKeyRecord[],
  usage: UsageFigures,
  keyUsage: ReadonlyMap<string, UsageFigures>,
  services: Services,
): Source {
  const health = services.health.snapshot(record.id);
  const newestActive = keys.filter((key) => !key.revokedAt).at(-1) ?? null;
  return {
    id: record.id,
    name: record.name,
    description: record.description,
    endpoints: record.endpoints,
    status: record.status === 'inactive' ? SourceStatusValue.INACTIVE : SourceStatusValue.ACTIVE,
    unlimited: record.unlimited,
    configured: services.providers.get(record.id)?.configured ?? false,
    health: {
      circuit: health.circuit as CircuitStateValue,
      lastError: health.lastError,
      recentLatencyMs: health.recentLatencyMs === null ? null : Math.round(health.recentLatencyMs),
      successes: health.successes,
      failures: health.failures,
    },
    usage,
    keyPrefix: newestActive?.prefix ?? null,
    keys: keys.map((key) => keyView(key, keyUsage)),
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

function keyView(key: ApiKeyRecord, keyUsage: ReadonlyMap<string, UsageFigures>): ApiKey {
  return { ...key, active: key.revokedAt === null, usage: keyUsage.get(key.id) ?? NO_USAGE };
}

function issuedView(issued: IssuedKey): IssuedApiKey {
  return { key: issued.key, apiKey: keyView(issued.apiKey, new Map()) };
}
