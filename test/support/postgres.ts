import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The real PostgreSQL the tests use: `TEST_DATABASE_URL`, default the local trust-auth server. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Null when a server answers; otherwise prints and returns why `what` is skipped. */
export async function missingPostgres(what: string, connectionString = TEST_DATABASE_URL): Promise<string | null> {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    const reason = `no PostgreSQL server at ${connectionString.replace(/\/\/[^@]*@/, '//…@')} (${(error as Error).message})`;
    console.warn(`[skip] ${what}: ${reason}`);
    return reason;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Schemas of their own for each test, named per run, all dropped by `dropAll`. */
export function testSchemas(prefix: string, connectionString = TEST_DATABASE_URL) {
  const run = randomBytes(4).toString('hex');
  const created: string[] = [];
  return {
    next(): string {
      const schema = `${prefix}_${run}_${created.length + 1}`;
      created.push(schema);
      return schema;
    },
    get last(): string {
      return created.at(-1) ?? '';
    },
    async dropAll(): Promise<void> {
      if (created.length === 0) return;
      const client = new pg.Client({ connectionString });
      await client.connect();
      try {
        for (const schema of created) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}
