import type { AppConfig } from '../config.js';
import type { PostgresOptions } from './postgres.js';
import { openSqliteFile } from './sqlite.js';
import type { Db } from './types.js';

export type { Db, Migration } from './types.js';
export { migrate } from './migrate.js';
export { exclusiveLock } from './lock.js';
export { SQLITE_FILE_NAME } from './sqlite.js';

/**
 * The relational store for this process: PostgreSQL when `DATABASE_URL` is set (instances
 * share it), otherwise the SQLite file `<DATA_DIR>/musica.sqlite`. The PostgreSQL driver is
 * loaded only then, so the embedded default never pays for it.
 */
export async function openDatabase(
  config: Pick<AppConfig, 'dataDir' | 'databaseUrl'>,
  options: { postgres?: PostgresOptions } = {},
): Promise<Db> {
  if (config.databaseUrl) {
    const { openPostgres } = await import('./postgres.js');
    return openPostgres(config.databaseUrl, options.postgres);
  }
  return openSqliteFile(config.dataDir);
}
