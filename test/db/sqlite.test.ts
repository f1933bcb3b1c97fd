import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/index.js';
import { SqliteDb } from '../../src/db/sqlite.js';
import { dbContract } from './contract.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'musica-db-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('SQLite Db', () => {
  dbContract(
    () => openDatabase({ dataDir: dir, databaseUrl: null }),
    () => openDatabase({ dataDir: dir, databaseUrl: null }),
  );

  it('opens <dataDir>/musica.sqlite in WAL mode with foreign keys on', async () => {
    const db = await openDatabase({ dataDir: path.join(dir, 'nested'), databaseUrl: null });
    try {
      expect(db).toBeInstanceOf(SqliteDb);
      expect((db as SqliteDb).file).toBe(path.join(dir, 'nested', 'musica.sqlite'));
      expect(await db.get('PRAGMA journal_mode')).toEqual({ journal_mode: 'wal' });
      expect(await db.get('PRAGMA foreign_keys')).toEqual({ foreign_keys: 1 });
      await db.exec('CREATE TABLE parent (id INTEGER PRIMARY KEY); CREATE TABLE child (parent_id INTEGER REFERENCES parent (id))');
      await expect(db.run('INSERT INTO child (parent_id) VALUES (?)', [7])).rejects.toThrow(/FOREIGN KEY/);
    } finally {
      await db.close();
    }
  });

  it('fails loudly, instead of deadlocking, when transaction work uses the database handle', async () => {
    const db = await openDatabase({ dataDir: dir, databaseUrl: null });
    try {
      await expect(db.transaction(() => db.get('SELECT 1'))).rejects.toThrow(/use the transaction handle/);
      expect(await db.get('SELECT 1 AS one')).toEqual({ one: 1 });
    } finally {
      await db.close();
    }
  });
});
