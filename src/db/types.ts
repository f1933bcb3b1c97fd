/**
 * The relational store behind keys, sources, usage and the download index. SQLite by default
 * (a file under DATA_DIR), PostgreSQL when `DATABASE_URL` is set. SQL is written with `?`
 * placeholders; the PostgreSQL implementation numbers them. Integer columns (counts, sizes,
 * `COUNT(*)`, `SUM(...)`) come back as JavaScript numbers in both dialects; store booleans as
 * 0/1 integers and timestamps as ISO-8601 text so the same SQL works on both.
 */
export interface Db {
  readonly dialect: 'sqlite' | 'postgres';
  all<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  get<T>(sql: string, params?: readonly unknown[]): Promise<T | undefined>;
  run(sql: string, params?: readonly unknown[]): Promise<{ changes: number }>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /** Runs `work` atomically: a throw rolls back everything it wrote. */
  transaction<T>(work: (tx: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * One schema step, applied once and recorded in the `schema_migrations` table. Each module
 * passes its own list to `migrate()`; ids are global, so prefix them with the module
 * (`auth-001-sources`, `downloads-001-index`). A list is applied in its own order.
 */
export interface Migration {
  id: string;
  sqlite: string;
  postgres: string;
}
