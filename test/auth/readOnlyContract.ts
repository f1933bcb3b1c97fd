import { afterEach, expect, it } from 'vitest';
import { startAuth, type AuthService, type IssuedKey } from '../../src/auth/index.js';
import type { Db } from '../../src/db/types.js';
import { silentLogger } from '../../src/logger.js';
import { ProviderRegistry } from '../../src/providers/registry.js';
import { bearer, errorCode, LRCLIB, MUSICBRAINZ } from './support.js';

export interface OpenedDb {
  db: Db;
  close(): Promise<void>;
}

/**
 * What read-only admin keys are, on any database the registry runs on (SQLite and PostgreSQL
 * suites run it): an admin scope with a flag, refused as a source key, rotated and revoked
 * apart from the full admin keys, and never the last way back in.
 */
export function readOnlyKeysContract(open: () => Promise<OpenedDb>): void {
  const opened: { auth: AuthService; handle: OpenedDb }[] = [];
  afterEach(async () => {
    for (const { auth, handle } of opened.splice(0)) {
      await auth.stop();
      await handle.close();
    }
  });

  async function start(): Promise<{ auth: AuthService; db: Db; admin: IssuedKey }> {
    const handle = await open();
    const { auth, bootstrap } = await startAuth({ db: handle.db, logger: silentLogger, providers: new ProviderRegistry([MUSICBRAINZ, LRCLIB]) });
    opened.push({ auth, handle });
    return { auth, db: handle.db, admin: bootstrap.issued.find((issued) => issued.apiKey.scope === '*')! };
  }

  it('issues a read-only admin key that authenticates as an admin marked read-only; the first start issues none', async () => {
    const { auth } = await start();
    expect((await auth.listKeys('*')).map((key) => key.readOnly)).toEqual([false]);
    const panel = await auth.createKey('*', 'Panel Flask', { readOnly: true });
    expect(panel.key).toMatch(/^mk_readonly_[A-Za-z0-9_-]{54}$/);
    expect(panel.apiKey).toMatchObject({ scope: '*', readOnly: true, label: 'Panel Flask', revokedAt: null });
    expect(await auth.authenticate(bearer(panel.key))).toEqual({ keyId: panel.apiKey.id, scope: '*', label: 'Panel Flask', readOnly: true });
    expect((await auth.findKey(panel.apiKey.id))!.readOnly).toBe(true);
    expect((await auth.createKey('*', null, { readOnly: true })).apiKey.label).toBe('Clave de solo lectura');
  });

  it('refuses a read-only source key, in the service and in the table itself', async () => {
    const { auth, db } = await start();
    const before = await db.all('SELECT * FROM api_keys ORDER BY id');
    expect(await errorCode(auth.createKey('musicbrainz', null, { readOnly: true }))).toBe('BAD_USER_INPUT');
    expect(await errorCode(auth.rotateKey('lrclib', null, { readOnly: true }))).toBe('BAD_USER_INPUT');
    expect(await db.all('SELECT * FROM api_keys ORDER BY id')).toEqual(before);
    await expect(
      db.run("INSERT INTO api_keys (id, scope, read_only, label, prefix, hash, created_at) VALUES ('key_00000000000000aa', 'lrclib', 1, 'x', 'mk_lrclib_x', 'h', '2026-01-01')"),
    ).rejects.toThrow();
  });

  it('rotates full and read-only admin keys apart; a rotated read-only key stays read-only', async () => {
    const { auth, admin } = await start();
    const panel = await auth.createKey('*', 'Panel', { readOnly: true });

    const fullAdmin = await auth.rotateKey('*');
    expect(fullAdmin.apiKey.readOnly).toBe(false);
    expect(await errorCode(auth.authenticate(bearer(admin.key)))).toBe('UNAUTHENTICATED');
    expect((await auth.authenticate(bearer(panel.key))).readOnly).toBe(true);

    const newPanel = await auth.rotateKey('*', null, { readOnly: true });
    expect(newPanel.key).toMatch(/^mk_readonly_/);
    expect(newPanel.apiKey).toMatchObject({ readOnly: true, label: 'Panel' });
    expect(await errorCode(auth.authenticate(bearer(panel.key)))).toBe('UNAUTHENTICATED');
    expect((await auth.authenticate(bearer(fullAdmin.key))).readOnly).toBe(false);

    // Named by id, the new key takes that key's kind whatever `readOnly` says.
    const byId = await auth.rotateKey('*', newPanel.apiKey.id);
    expect(byId.apiKey.readOnly).toBe(true);
    expect((await auth.findKey(newPanel.apiKey.id))!.replacedBy).toBe(byId.apiKey.id);
  });

  it('never counts a read-only key as the last way in: the last full admin key stays unrevocable', async () => {
    const { auth, admin } = await start();
    const panel = await auth.createKey('*', 'Panel', { readOnly: true });
    expect(await errorCode(auth.revokeKey(admin.apiKey.id))).toBe('BAD_USER_INPUT');
    const revoked = await auth.revokeKey(panel.apiKey.id);
    expect(revoked).toMatchObject({ readOnly: true });
    expect(revoked.revokedAt).not.toBeNull();
    expect(await errorCode(auth.authenticate(bearer(panel.key)))).toBe('UNAUTHENTICATED');
    expect((await auth.authenticate(bearer(admin.key))).scope).toBe('*');
  });
}
