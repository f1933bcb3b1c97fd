import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/index.js';
import { numberPlaceholders, openPostgres } from '../../src/db/postgres.js';
import { dbContract } from './contract.js';
import { TEST_DATABASE_URL, missingPostgres, testSchemas } from '../support/postgres.js';

/**
 * Runs against a real PostgreSQL (`TEST_DATABASE_URL`, default the local trust-auth server),
 * each test in a schema of its own that is dropped afterwards. Skipped, with the reason
 * printed, only when no server answers.
 */
const url = TEST_DATABASE_URL;
const unavailable = await missingPostgres('PostgreSQL Db tests');
const schemas = testSchemas('musica_test');
const newSchema = () => schemas.next();

afterAll(async () => {
  if (!unavailable) await schemas.dropAll();
});

describe.skipIf(Boolean(unavailable))('PostgreSQL Db', () => {
  dbContract(
    () => openDatabase({ dataDir: '/nonexistent', databaseUrl: url }, { postgres: { schema: newSchema() } }),
    () => openPostgres(url, { schema: schemas.last }),
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
