import type { Db } from '../db/types.js';
import { generateKey, newKeyId } from './keys.js';
import { insertKey, type ApiKeyRecord } from './repository.js';

export interface IssuedKey {
  /** The plaintext key. Returned once, to be shown once; it is not stored anywhere. */
  key: string;
  apiKey: ApiKeyRecord;
}

/** Generates and stores one key (its hash); the plaintext leaves only in the return value. */
export async function issueKey(tx: Db, scope: string, label: string, at: string, readOnly = false): Promise<IssuedKey> {
  const generated = generateKey(scope, readOnly);
  const apiKey = await insertKey(tx, { id: newKeyId(), scope, readOnly, label, prefix: generated.prefix, hash: generated.hash }, at);
  return { key: generated.key, apiKey };
}
