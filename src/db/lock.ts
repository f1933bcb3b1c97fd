import type { Db } from './types.js';

/**
 * Serialises a transaction against every other transaction taking the same named lock, across
 * processes. SQLite transactions here already start with `BEGIN IMMEDIATE` (one writer at a
 * time), so only PostgreSQL needs an advisory lock; it is released at commit or rollback.
 */
export async function exclusiveLock(tx: Db, name: string): Promise<void> {
  if (tx.dialect === 'postgres') await tx.get('SELECT pg_advisory_xact_lock(hashtext(?))', [name]);
}
