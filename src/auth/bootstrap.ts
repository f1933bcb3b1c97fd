import { exclusiveLock } from '../db/lock.js';
import type { Db } from '../db/types.js';
import type { Provider } from '../providers/types.js';
import { endpointsOf } from './endpoints.js';
import * as repo from './repository.js';
import { issueKey, type IssuedKey } from './issue.js';
import { ADMIN_SCOPE } from './types.js';

export interface ProviderList {
  all(): readonly Provider[];
}

export interface BootstrapResult {
  /** Keys created on this start, in plaintext: print them once, then forget them. */
  issued: IssuedKey[];
  /** Source ids that got a row on this start. */
  added: string[];
}

/**
 * Makes the registry match the providers: a row and a key for every provider seen for the
 * first time, fresh name/description/endpoints for the others (status stays the operator's),
 * and an admin key when none was ever issued. One transaction under a lock, so two instances
 * starting together issue each key once.
 */
export async function bootstrapSources(db: Db, providers: ProviderList, now: Date = new Date()): Promise<BootstrapResult> {
  const at = now.toISOString();
  return db.transaction(async (tx) => {
    await exclusiveLock(tx, 'api_keys');
    const existing = new Map((await repo.listSources(tx)).map((source) => [source.id, source]));
    const issued: IssuedKey[] = [];
    const added: string[] = [];
    for (const provider of providers.all()) {
      const info = { id: provider.id, name: provider.name, description: provider.description, endpoints: endpointsOf(provider) };
      const row = existing.get(provider.id);
      if (!row) {
        await repo.insertSource(tx, info, at);
        issued.push(await issueKey(tx, provider.id, 'Clave inicial', at));
        added.push(provider.id);
      } else if (
        row.name !== info.name ||
        row.description !== info.description ||
        JSON.stringify(row.endpoints) !== JSON.stringify(info.endpoints)
      ) {
        await repo.updateSourceInfo(tx, info, at);
      }
    }
    if ((await repo.countKeys(tx, ADMIN_SCOPE)) === 0) {
      issued.unshift(await issueKey(tx, ADMIN_SCOPE, 'Clave de administración inicial', at));
    }
    return { issued, added };
  });
}
