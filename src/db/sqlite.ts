import { AsyncLocalStorage } from 'node:async_hooks';
import { chmod, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import sqlite3 from 'sqlite3';
import type { Db } from './types.js';

/**
 * Waits for its turn. SQLite runs every statement of one connection inside whatever
 * transaction is open on it, so a statement issued by an unrelated request while a
 * transaction is open would join (and be rolled back with) that transaction. Every top-level
 * operation therefore takes this lock; statements on a transaction handle do not.
 */
class Mutex {
  private tail: Promise<void> = Promise.resolve();

  async run<T>(work: () => Promise<T>): Promise<T> {
    const previous = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((resolve) => (release = resolve));
    await previous;
    try {
      return await work();
    } finally {
      release();
    }
  }
}

export interface SqliteOptions {
  /** How long a write waits for another process (the CLI, a second instance) to finish. */
  busyTimeoutMs?: number;
}

export const SQLITE_FILE_NAME = 'musica.sqlite';

/** Opens (creating if needed) `<dataDir>/musica.sqlite` in WAL mode with foreign keys on. */
export async function openSqliteFile(dataDir: string, options: SqliteOptions = {}): Promise<SqliteDb> {
  await mkdir(dataDir, { recursive: true });
  const file = path.join(dataDir, SQLITE_FILE_NAME);
  const db = await SqliteDb.open(file, options);
  // Key hashes and usage are nobody else's business on a shared machine.
  await chmod(file, 0o600).catch(() => undefined);
  return db;
}

/**
 * Puts a SQLite file in WAL mode through `query`. Switching a new file needs a lock that SQLite
 * does not wait for through the busy handler: two instances opening the same fresh file at once
 * can get SQLITE_BUSY here. The switch is retried until the busy timeout, as any other write
 * would wait. Shared by the keys database and the cache store.
 */
export async function switchToWal(query: (sql: string) => Promise<unknown>, busyTimeoutMs: number): Promise<void> {
  const giveUpAt = Date.now() + busyTimeoutMs;
  for (let attempt = 1; ; attempt++) {
    try {
      await query('PRAGMA journal_mode = WAL');
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() >= giveUpAt) throw error;
      await sleep(Math.min(10 * attempt, 100));
    }
  }
}

export class SqliteDb implements Db {
  readonly dialect = 'sqlite' as const;
  private readonly mutex = new Mutex();
  /** Marks async work running inside one of this connection's transactions. */
  private readonly insideTransaction = new AsyncLocalStorage<boolean>();
  private savepoints = 0;

  private constructor(
    private readonly connection: sqlite3.Database,
    readonly file: string,
  ) {}

  static async open(file: string, options: SqliteOptions = {}): Promise<SqliteDb> {
    const connection = await new Promise<sqlite3.Database>((resolve, reject) => {
      const opened: sqlite3.Database = new sqlite3.Database(file, (error) => (error ? reject(error) : resolve(opened)));
    });
    const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
    connection.configure('busyTimeout', busyTimeoutMs);
    const db = new SqliteDb(connection, file);
    if (file !== ':memory:') await switchToWal((sql) => db.rawGet(sql, []), busyTimeoutMs);
    await db.rawExec('PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;');
    return db;
  }

  all<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    return this.outside(() => this.rawAll<T>(sql, params));
  }

  get<T>(sql: string, params: readonly unknown[] = []): Promise<T | undefined> {
    return this.outside(() => this.rawGet<T>(sql, params));
  }

  run(sql: string, params: readonly unknown[] = []): Promise<{ changes: number }> {
    return this.outside(() => this.rawRun(sql, params));
  }

  exec(sql: string): Promise<void> {
    return this.outside(() => this.rawExec(sql));
  }

  transaction<T>(work: (tx: Db) => Promise<T>): Promise<T> {
    return this.outside(async () => {
      // IMMEDIATE takes the write lock up front, so two processes cannot both read and then
      // fail to upgrade (SQLITE_BUSY in the middle of the work).
      await this.rawExec('BEGIN IMMEDIATE');
      try {
        const result = await this.insideTransaction.run(true, () => work(this.handle()));
        await this.rawExec('COMMIT');
        return result;
      } catch (error) {
        await this.rawExec('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
  }

  close(): Promise<void> {
    return this.mutex.run(
      () => new Promise<void>((resolve, reject) => this.connection.close((error) => (error ? reject(error) : resolve()))),
    );
  }

  private outside<T>(work: () => Promise<T>): Promise<T> {
    if (this.insideTransaction.getStore()) {
      // Waiting for the lock here would wait for our own transaction: a deadlock. Fail loudly.
      return Promise.reject(new Error('SqliteDb: use the transaction handle inside transaction(), not the database'));
    }
    return this.mutex.run(work);
  }

  /** The handle passed to transaction work: same connection, no lock, nesting via savepoints. */
  private handle(): Db {
    const handle: Db = {
      dialect: 'sqlite',
      all: (sql, params = []) => this.rawAll(sql, params),
      get: (sql, params = []) => this.rawGet(sql, params),
      run: (sql, params = []) => this.rawRun(sql, params),
      exec: (sql) => this.rawExec(sql),
      transaction: async (work) => {
        const name = `sp_${++this.savepoints}`;
        await this.rawExec(`SAVEPOINT ${name}`);
        try {
          const result = await work(handle);
          await this.rawExec(`RELEASE ${name}`);
          return result;
        } catch (error) {
          await this.rawExec(`ROLLBACK TO ${name}; RELEASE ${name}`).catch(() => undefined);
          throw error;
        }
      },
      close: () => Promise.reject(new Error('SqliteDb: cannot close from inside a transaction')),
    };
    return handle;
  }

  private rawAll<T>(sql: string, params: readonly unknown[]): Promise<T[]> {
    return new Promise((resolve, reject) =>
      this.connection.all(sql, params as unknown[], (error, rows) => (error ? reject(error) : resolve(rows as T[]))),
    );
  }

  private rawGet<T>(sql: string, params: readonly unknown[]): Promise<T | undefined> {
    return new Promise((resolve, reject) =>
      this.connection.get(sql, params as unknown[], (error, row) => (error ? reject(error) : resolve(row as T | undefined))),
    );
  }

  private rawRun(sql: string, params: readonly unknown[]): Promise<{ changes: number }> {
    return new Promise((resolve, reject) =>
      this.connection.run(sql, params as unknown[], function (this: sqlite3.RunResult, error: Error | null) {
        if (error) reject(error);
        else resolve({ changes: this.changes });
      }),
    );
  }

  private rawExec(sql: string): Promise<void> {
    return new Promise((resolve, reject) => this.connection.exec(sql, (error) => (error ? reject(error) : resolve())));
  }
}
