import { rm } from 'node:fs/promises';
import { afterAll, describe } from 'vitest';
import { openDatabase } from '../../src/db/index.js';
import { openPostgres } from '../../src/db/postgres.js';
import { missingPostgres, TEST_DATABASE_URL, testSchemas } from '../support/postgres.js';
import { readOnlyKeysContract } from './readOnlyContract.js';
import { tempDir } from './support.js';

describe('read-only admin keys on SQLite', () => {
  readOnlyKeysContract(async () => {
    const dir = await tempDir();
    const db = await openDatabase({ dataDir: dir, databaseUrl: null });
    return {
      db,
      async close() {
        await db.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  });
});

const unavailable = await missingPostgres('PostgreSQL read-only key tests');
const schemas = testSchemas('musica_readonly');
afterAll(async () => {
  if (!unavailable) await schemas.dropAll();
});

describe.skipIf(Boolean(unavailable))('read-only admin keys on PostgreSQL', () => {
  readOnlyKeysContract(async () => {
    const db = await openPostgres(TEST_DATABASE_URL, { schema: schemas.next() });
    return { db, close: () => db.close() };
  });
});
