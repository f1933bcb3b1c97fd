import pg from 'pg';
import type { Db } from './types.js';

export interface PostgresOptions {
  /** Schema to use instead of `public` (created if missing): lets tests and tenants share a server. */
  schema?: string;
  maxConnections?: number;
}

const INT8_OID = 20;

/**
 * Counts and sizes are bigint in PostgreSQL, which `pg` returns as strings; the `Db` contract
 * promises numbers. Set per pool so other users of `pg` in the process are unaffected.
 */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID && format !== 'binary') return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format as 'text');
  },
} as pg.CustomTypesConfig;

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export async function openPostgres(connectionString: string, options: PostgresOptions = {}): Promise<PostgresDb> {
  if (options.schema !== undefined && !SCHEMA_NAME.test(options.schema)) {
    throw new Error(`Invalid PostgreSQL schema name: ${options.schema}`);
  }
  const pool = new pg.Pool({
    connectionString,
    max: options.maxConnections ?? 10,
    types,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  const db = new PostgresDb(pool);
  if (options.schema) await db.exec(`CREATE SCHEMA IF NOT EXISTS ${options.schema}`);
  else await db.get('SELECT 1');
  return db;
}

type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

export class PostgresDb implements Db {
  readonly dialect = 'postgres' as const;

  constructor(private readonly pool: pg.Pool) {}

  all<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    return queryAll<T>(this.pool, sql, params);
  }

  async get<T>(sql: string, params: readonly unknown[] = []): Promise<T | undefined> {
    return (await queryAll<T>(this.pool, sql, params))[0];
  }

  run(sql: string, params: readonly unknown[] = []): Promise<{ changes: number }> {
    return queryRun(this.pool, sql, params);
  }

  async exec(sql: string): Promise<void> {
    await this.pool.query(sql);
  }

  async transaction<T>(work: (tx: Db) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      try {
        const result = await work(clientHandle(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {
          broken = true;
        });
        throw error;
      }
    } finally {
      client.release(broken);
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

function clientHandle(client: pg.PoolClient): Db {
  let savepoints = 0;
  const handle: Db = {
    dialect: 'postgres',
    all: <T>(sql: string, params: readonly unknown[] = []) => queryAll<T>(client, sql, params),
    get: async <T>(sql: string, params: readonly unknown[] = []) => (await queryAll<T>(client, sql, params))[0],
    run: (sql, params = []) => queryRun(client, sql, params),
    exec: async (sql) => {
      await client.query(sql);
    },
    transaction: async (work) => {
      const name = `sp_${++savepoints}`;
      await client.query(`SAVEPOINT ${name}`);
      try {
        const result = await work(handle);
        await client.query(`RELEASE SAVEPOINT ${name}`);
        return result;
      } catch (error) {
        await client.query(`ROLLBACK TO SAVEPOINT ${name}`).catch(() => undefined);
        throw error;
      }
    },
    close: () => Promise.reject(new Error('PostgresDb: cannot close from inside a transaction')),
  };
  return handle;
}

async function queryAll<T>(target: Queryable, sql: string, params: readonly unknown[]): Promise<T[]> {
  const result = await target.query(numberPlaceholders(sql), params as unknown[]);
  return result.rows as T[];
}

async function queryRun(target: Queryable, sql: string, params: readonly unknown[]): Promise<{ changes: number }> {
  const result = await target.query(numberPlaceholders(sql), params as unknown[]);
  return { changes: result.rowCount ?? 0 };
}

/**
 * Rewrites `?` placeholders as `$1, $2, …`, leaving alone any `?` inside string literals,
 * quoted identifiers, dollar-quoted bodies and comments.
 */
export function numberPlaceholders(sql: string): string {
  let out = '';
  let index = 0;
  let n = 0;
  while (index < sql.length) {
    const char = sql[index]!;
    const next = sql[index + 1];
    if (char === "'" || char === '"') {
      const end = closingQuote(sql, index, char);
      out += sql.slice(index, end);
      index = end;
    } else if (char === '-' && next === '-') {
      const end = sql.indexOf('\n', index);
      const stop = end === -1 ? sql.length : end;
      out += sql.slice(index, stop);
      index = stop;
    } else if (char === '/' && next === '*') {
      const end = sql.indexOf('*/', index + 2);
      const stop = end === -1 ? sql.length : end + 2;
      out += sql.slice(index, stop);
      index = stop;
    } else if (char === '$' && /[A-Za-z_$]/.test(next ?? '')) {
      const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(index));
      if (tag) {
        const end = sql.indexOf(tag[0], index + tag[0].length);
        const stop = end === -1 ? sql.length : end + tag[0].length;
        out += sql.slice(index, stop);
        index = stop;
      } else {
        out += char;
        index += 1;
      }
    } else if (char === '?') {
      out += `$${++n}`;
      index += 1;
    } else {
      out += char;
      index += 1;
    }
  }
  return out;
}

/** Index just past the quote closing the literal that opens at `start` (doubled quotes escape). */
function closingQuote(sql: string, start: number, quote: string): number {
  let index = start + 1;
  while (index < sql.length) {
    if (sql[index] === quote) {
      if (sql[index + 1] === quote) index += 2;
      else return index + 1;
    } else index += 1;
  }
  return sql.length;
}
