import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/index.js';
import { numberPlaceholders, openPostgres } from '../../src/db/postgres.js';
import { dbContract } from './contract.js';

/**
 * Runs against a real PostgreSQL (`TEST_DATABASE_URL`, default the local trust-auth server),
 * each test in a schema of its own that is dropped afterwards. Skipped, with the reason
 * printed, only when no server answers.
 */
const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const unavailable = await probe(url);
if (unavailable) console.warn(`[skip] PostgreSQL Db tests: ${unavailable}`);

const run = randomBytes(4).toString('hex');
const schemas: string[] = [];
let counter = 0;
let current = '';

function newSchema(): string {
  current = `musica_test_${run}_${++counter}`;
  schemas.push(current);
  return current;
}

afterAll(async () => {
  if (unavailable || schemas.length === 0) return;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
});

describe.skipIf(Boolean(unavailable))('PostgreSQL Db', () => {
  dbContract(
    () => openDatabase({ dataDir: '/nonexistent', databaseUrl: url }, { postgres: { schema: newSchema() } }),
    () => openPostgres(url, { schema: current }),
  );

  it('keeps each schema apart (tables made in one are invisible in another)', async () => {
    const a = await openPostgres(url, { schema: newSchema() });
    const b = await openPostgres(url, { schema: newSchema() });
    try {
      await a.exec('CREATE TABLE only_here (x INTEGER)');
      await expect(b.get('SELECT x FROM only_here')).rejects.toThrow(/does not exist/);
      expect(a.dialect).toBe('postgres');
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('numberPlaceholders', () => {
  it('numbers ? outside literals, quoted identifiers, comments and dollar quotes', () => {
    expect(numberPlaceholders('SELECT * FROM t WHERE a = ? AND b IN (?, ?)')).toBe('SELECT * FROM t WHERE a = $1 AND b IN ($2, $3)');
    expect(numberPlaceholders("SELECT 'what?', 'it''s ?', \"odd?col\" FROM t WHERE x = ?")).toBe(
      "SELECT 'what?', 'it''s ?', \"odd?col\" FROM t WHERE x = $1",
    );
    expect(numberPlaceholders('SELECT ? -- why?\n, ? /* or? */')).toBe('SELECT $1 -- why?\n, $2 /* or? */');
    expect(numberPlaceholders('SELECT $$a?b$$, $tag$?$tag$, ?')).toBe('SELECT $$a?b$$, $tag$?$tag$, $1');
  });
});

async function probe(connectionString: string): Promise<string | null> {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    return `no PostgreSQL server at ${connectionString.replace(/\/\/[^@]*@/, '//…@')} (${(error as Error).message})`;
  } finally {
    await client.end().catch(() => undefined);
  }
}
