import { afterEach, beforeEach, expect, it } from 'vitest';
import { migrate } from '../../src/db/migrate.js';
import type { Db, Migration } from '../../src/db/types.js';

/**
 * Behaviour every `Db` implementation must share; run by the SQLite and PostgreSQL suites.
 * `open` returns a fresh, empty database; `openSecond` a second connection to the same one.
 */
export function dbContract(open: () => Promise<Db>, openSecond: () => Promise<Db>): void {
  let db: Db;
  beforeEach(async () => {
    db = await open();
    await db.exec('CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, size INTEGER)');
  });
  afterEach(async () => {
    await db.close();
  });

  it('binds ? placeholders, reports changes and returns integers as numbers', async () => {
    expect(await db.run('INSERT INTO items (id, name, size) VALUES (?, ?, ?)', [1, 'uno', 10])).toEqual({ changes: 1 });
    await db.run('INSERT INTO items (id, name, size) VALUES (?, ?, ?)', [2, "it's ? here", 20]);
    expect(await db.run('UPDATE items SET size = size + ? WHERE size > ?', [1, 0])).toEqual({ changes: 2 });
    const row = await db.get<{ n: number; total: number }>('SELECT COUNT(*) AS n, SUM(size) AS total FROM items');
    expect(row).toEqual({ n: 2, total: 32 });
    const rows = await db.all<{ name: string }>("SELECT name FROM items WHERE name <> '?' ORDER BY id");
    expect(rows.map((r) => r.name)).toEqual(['uno', "it's ? here"]);
    expect(await db.get('SELECT name FROM items WHERE id = ?', [99])).toBeUndefined();
  });

  it('commits a transaction and rolls back everything written when its work throws', async () => {
    await db.transaction(async (tx) => {
      await tx.run('INSERT INTO items (id, name) VALUES (?, ?)', [1, 'kept']);
    });
    await expect(
      db.transaction(async (tx) => {
        await tx.run('INSERT INTO items (id, name) VALUES (?, ?)', [2, 'lost']);
        await tx.run('UPDATE items SET name = ? WHERE id = ?', ['changed', 1]);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await db.all('SELECT id, name FROM items ORDER BY id')).toEqual([{ id: 1, name: 'kept' }]);
  });

  it('rolls back only the inner part of a nested transaction', async () => {
    await db.transaction(async (tx) => {
      await tx.run('INSERT INTO items (id, name) VALUES (?, ?)', [1, 'outer']);
      await expect(
        tx.transaction(async (inner) => {
          await inner.run('INSERT INTO items (id, name) VALUES (?, ?)', [2, 'inner']);
          throw new Error('inner fails');
        }),
      ).rejects.toThrow('inner fails');
    });
    expect(await db.all('SELECT id FROM items ORDER BY id')).toEqual([{ id: 1 }]);
  });

  it('keeps writes made outside a transaction when a concurrent transaction rolls back', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const failing = db.transaction(async (tx) => {
      await tx.run('INSERT INTO items (id, name) VALUES (?, ?)', [1, 'in transaction']);
      await gate;
      throw new Error('rolled back');
    });
    const outside = db.run('INSERT INTO items (id, name) VALUES (?, ?)', [2, 'outside']);
    release();
    await expect(failing).rejects.toThrow('rolled back');
    await outside;
    expect(await db.all('SELECT id FROM items ORDER BY id')).toEqual([{ id: 2 }]);
  });

  it('applies each migration once, per module list, and records it', async () => {
    const auth: Migration[] = [
      { id: 'test-a-001', sqlite: 'CREATE TABLE a1 (x INTEGER); CREATE TABLE a2 (y INTEGER);', postgres: 'CREATE TABLE a1 (x INTEGER); CREATE TABLE a2 (y INTEGER);' },
    ];
    const downloads: Migration[] = [
      { id: 'test-b-001', sqlite: 'CREATE TABLE b1 (z TEXT)', postgres: 'CREATE TABLE b1 (z TEXT)' },
      { id: 'test-b-002', sqlite: 'ALTER TABLE b1 ADD COLUMN w TEXT', postgres: 'ALTER TABLE b1 ADD COLUMN w TEXT' },
    ];
    expect(await migrate(db, auth)).toEqual(['test-a-001']);
    expect(await migrate(db, downloads)).toEqual(['test-b-001', 'test-b-002']);
    expect(await migrate(db, auth)).toEqual([]);
    expect(await migrate(db, downloads)).toEqual([]);
    await db.run('INSERT INTO b1 (z, w) VALUES (?, ?)', ['z', 'w']);
    await db.run('INSERT INTO a2 (y) VALUES (?)', [1]);
    const recorded = await db.all<{ id: string }>("SELECT id FROM schema_migrations WHERE id LIKE 'test-%' ORDER BY id");
    expect(recorded.map((r) => r.id)).toEqual(['test-a-001', 'test-b-001', 'test-b-002']);
  });

  it('leaves neither the changes nor the record of a failing migration, and retries it next time', async () => {
    const broken: Migration[] = [
      { id: 'test-c-001', sqlite: 'CREATE TABLE c1 (x INTEGER)', postgres: 'CREATE TABLE c1 (x INTEGER)' },
      { id: 'test-c-002', sqlite: 'CREATE TABLE c2 (x INTEGER); THIS IS NOT SQL;', postgres: 'CREATE TABLE c2 (x INTEGER); THIS IS NOT SQL;' },
    ];
    await expect(migrate(db, broken)).rejects.toThrow();
    const recorded = await db.all<{ id: string }>("SELECT id FROM schema_migrations WHERE id LIKE 'test-c-%'");
    expect(recorded.map((r) => r.id)).toEqual(['test-c-001']);
    await expect(db.get('SELECT x FROM c2')).rejects.toThrow();
    const fixed = [broken[0]!, { id: 'test-c-002', sqlite: 'CREATE TABLE c2 (x INTEGER)', postgres: 'CREATE TABLE c2 (x INTEGER)' }];
    expect(await migrate(db, fixed)).toEqual(['test-c-002']);
  });

  it('refuses a list with duplicate ids before touching the database', async () => {
    const twice: Migration[] = [
      { id: 'test-d-001', sqlite: 'CREATE TABLE d1 (x INTEGER)', postgres: 'CREATE TABLE d1 (x INTEGER)' },
      { id: 'test-d-001', sqlite: 'CREATE TABLE d2 (x INTEGER)', postgres: 'CREATE TABLE d2 (x INTEGER)' },
    ];
    await expect(migrate(db, twice)).rejects.toThrow('Duplicate migration id: test-d-001');
    await expect(db.get('SELECT x FROM d1')).rejects.toThrow();
  });

  it('applies a migration once when two connections migrate at the same time', async () => {
    const second = await openSecond();
    try {
      const list: Migration[] = [
        { id: 'test-e-001', sqlite: 'CREATE TABLE e1 (x INTEGER)', postgres: 'CREATE TABLE e1 (x INTEGER)' },
        { id: 'test-e-002', sqlite: 'CREATE TABLE e2 (x INTEGER)', postgres: 'CREATE TABLE e2 (x INTEGER)' },
      ];
      const [first, other] = await Promise.all([migrate(db, list), migrate(second, list)]);
      expect([...first, ...other].sort()).toEqual(['test-e-001', 'test-e-002']);
    } finally {
      await second.close();
    }
  });
}
