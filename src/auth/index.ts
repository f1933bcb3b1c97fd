import { migrate } from '../db/migrate.js';
import type { Db } from '../db/types.js';
import type { Logger } from '../logger.js';
import { bootstrapSources, type BootstrapResult, type ProviderList } from './bootstrap.js';
import { AUTH_MIGRATIONS } from './migrations.js';
import { AuthService, type AuthServiceOptions } from './service.js';

export { AuthService, type IssuedKey } from './service.js';
export { AUTH_MIGRATIONS } from './migrations.js';
export { formatIssuedKeysNotice } from './notice.js';
export type { ApiKeyRecord, SourceRecord, UsageFigures } from './repository.js';

export interface StartAuthOptions extends AuthServiceOptions {
  db: Db;
  providers: ProviderList;
  logger: Logger;
}

/**
 * Startup for keys and sources: migrations, one row and key per new provider (plus the admin
 * key on the very first start), then the service with its timers running. The caller prints
 * `formatIssuedKeysNotice(bootstrap.issued)` once and calls `auth.stop()` on shutdown.
 */
export async function startAuth(options: StartAuthOptions): Promise<{ auth: AuthService; bootstrap: BootstrapResult }> {
  await migrate(options.db, AUTH_MIGRATIONS);
  const bootstrap = await bootstrapSources(options.db, options.providers, options.now?.());
  if (bootstrap.added.length) options.logger.info('sources registered', { sources: bootstrap.added });
  const auth = new AuthService(options.db, options.logger.child({ module: 'auth' }), options);
  await auth.start();
  return { auth, bootstrap };
}
