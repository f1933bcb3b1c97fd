/**
 * Who is calling. Resolved from the API key before GraphQL runs; the catalog and the resolvers
 * only ever see this, never the key itself.
 */
export interface Principal {
  keyId: string;
  /** `*` for admin keys, otherwise the id of the one source this key may use. */
  scope: string;
  label: string;
  /**
   * A read-only admin key (scope `*`): sees and uses what an admin key does — every source,
   * keys, usage, health, source checks — but every mutation refuses it. Absent means false.
   */
  readOnly?: boolean;
}

export const ADMIN_SCOPE = '*';

/** Any admin key, read-only ones included: may read everything. */
export function isAdmin(principal: Principal | null | undefined): boolean {
  return principal?.scope === ADMIN_SCOPE;
}

export function isReadOnly(principal: Principal | null | undefined): boolean {
  return principal?.readOnly === true;
}

export type SourceStatus = 'active' | 'inactive';

/**
 * What the rest of the gateway needs from the keys and sources registry. Implemented in
 * `src/auth/` over SQLite by default (PostgreSQL when `DATABASE_URL` is set).
 */
export interface AccessControl {
  /**
   * Resolves the key sent as `Authorization: Bearer <key>` or `X-API-Key`.
   * Throws `ApiError('UNAUTHENTICATED')` when it is missing, unknown or revoked.
   */
  authenticate(headers: Readonly<Record<string, string | string[] | undefined>>): Promise<Principal>;
  /** Synchronous on purpose: the catalog asks it for every source of every chain. */
  sourceStatus(sourceId: string): SourceStatus;
  /**
   * Counts one request for the panel's usage figures. Never throws or rejects. When it returns
   * a promise (Redis counting), the gateway waits for it before answering: it settles once the
   * count is safe from a crash of this process, or after a short bound.
   */
  recordUsage(principal: Principal): void | Promise<void>;
}
