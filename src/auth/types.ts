/**
 * Who is calling. Resolved from the API key before GraphQL runs; the catalog and the resolvers
 * only ever see this, never the key itself.
 */
export interface Principal {
  keyId: string;
  /** `*` for the admin key, otherwise the id of the one source this key may use. */
  scope: string;
  label: string;
}

export const ADMIN_SCOPE = '*';

export function isAdmin(principal: Principal | null | undefined): boolean {
  return principal?.scope === ADMIN_SCOPE;
}
