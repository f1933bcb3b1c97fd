import { migrate } from '../db/migrate.js';
import type { Db } from '../db/types.js';
import type { Logger } from '../logger.js';
import type { BootstrapResult, ProviderList } from './bootstrap.js';
import { AUTH_MIGRATIONS } from './migrations.js';
import { AuthService, type AuthServiceOptions } from './service.js';

export { AuthService, type IssuedKey } from './service.js';
export { AUTH_MIGRATIONS } from './migrations.js';
export { formatIssuedKeysNotice } from './notice.js';
export type { ApiKeyRecord, SourceRecord, UsageFigures } from './repository.js';

export type { BootstrapResult, ProviderList } from './bootstrap.js';

export interface StartAuthOptions extends AuthServiceOptions {
  db: Db;
  logger: Logger;
  /** When given, sources are registered right away (otherwise call `auth.registerSources` later). */
  providers?: ProviderList;
}

/**
 * Startup for keys and sources: migrations, then the service with its timers running, then
 * (with `providers`) one row and key per new provider plus the admin key on the very first
 * start. The caller prints `formatIssuedKeysNotice(bootstrap.issued)` once — to stdout, not
 * the log — and calls `auth.stop()` on shutdown.
 */
export async function startAuth(options: StartAuthOptions): Promise<{ auth: AuthService; bootstrap: BootstrapResult }> {
  await migrate(options.db, AUTH_MIGRATIONS);
  const auth = new AuthService(options.db, options.logger.child({ module: 'auth' }), options);
  await auth.start();
  const bootstrap = options.providers ? await auth.registerSources(options.providers) : { issued: [], added: [] };
  return { auth, bootstrap };
}
