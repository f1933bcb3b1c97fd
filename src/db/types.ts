/**
 * The relational store behind keys, sources, usage and the download index. SQLite by default
 * (a file under DATA_DIR), PostgreSQL when `DATABASE_URL` is set. SQL is written with `?`
 * placeholders; the PostgreSQL implementation numbers them.
 */
export interface Db {
  readonly dialect: 'sqlite' | 'postgres';
  all<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  get<T>(sql: string, params?: readonly unknown[]): Promise<T | undefined>;
  run(sql: string, params?: readonly unknown[]): Promise<{ changes: number }>;
  /** Runs `work` atomically: a throw rolls back everything it wrote. */
  transaction<T>(work: (tx: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** One schema step, applied once in `id` order and recorded in a migrations table. */
export interface Migration {
  id: string;
  sqlite: string;
  postgres: string;
}
