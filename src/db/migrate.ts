import type { Db, Migration } from './types.js';
import { exclusiveLock } from './lock.js';

const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  id TEXT PRIMARY KEY,
  applied_at TEXT NOT NULL
)`;

/**
 * Applies the migrations of one module that are not yet recorded, each in its own transaction
 * together with its `schema_migrations` row: a failing step leaves neither its changes nor its
 * record, and the next start retries it. Safe to call from several instances at once (a lock
 * serialises them and each step is re-checked under it). Returns the ids it applied.
 */
export async function migrate(db: Db, migrations: readonly Migration[]): Promise<string[]> {
  assertUniqueIds(migrations);
  await db.transaction(async (tx) => {
    await exclusiveLock(tx, 'schema_migrations');
    await tx.exec(MIGRATIONS_TABLE);
  });
  const applied: string[] = [];
  for (const migration of migrations) {
    const ran = await db.transaction(async (tx) => {
      await exclusiveLock(tx, 'schema_migrations');
      const done = await tx.get<{ id: string }>('SELECT id FROM schema_migrations WHERE id = ?', [migration.id]);
      if (done) return false;
      await tx.exec(db.dialect === 'postgres' ? migration.postgres : migration.sqlite);
      await tx.run('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)', [migration.id, new Date().toISOString()]);
      return true;
    });
    if (ran) applied.push(migration.id);
  }
  return applied;
}

function assertUniqueIds(migrations: readonly Migration[]): void {
  const seen = new Set<string>();
  for (const { id } of migrations) {
    if (!id.trim()) throw new Error('A migration needs a non-empty id');
    if (seen.has(id)) throw new Error(`Duplicate migration id: ${id}`);
    seen.add(id);
  }
}
