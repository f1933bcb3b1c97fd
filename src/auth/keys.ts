import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ADMIN_SCOPE } from './types.js';

/**
 * API keys look like `mk_musicbrainz_<54 base64url characters>` (`mk_admin_…` for an admin
 * key, `mk_readonly_…` for a read-only admin key): 40 random bytes, of which the first 8 characters (48 bits) are also kept in clear as
 * the key's prefix, so the panel can show which key is which and lookups can use an index.
 * What stays secret is still 34 bytes of entropy. Only the SHA-256 of the whole key is stored.
 */
const RANDOM_BYTES = 40;
const RANDOM_LENGTH = 54;
const VISIBLE_RANDOM = 8;
const SECRET_TAIL = RANDOM_LENGTH - VISIBLE_RANDOM;
// The scope tag holds no underscore, so the first one after `mk_` ends it: a secret that starts
// with `_` cannot be read as part of the tag (which let a key with one character too many pass).
const KEY_SHAPE = /^mk_[a-z0-9-]{1,64}_[A-Za-z0-9_-]{54}$/;

export interface GeneratedKey {
  /** The key itself: handed to the caller once, never stored or logged. */
  key: string;
  prefix: string;
  hash: string;
}

function scopeTag(scope: string, readOnly = false): string {
  if (scope !== ADMIN_SCOPE) return scope;
  return readOnly ? 'readonly' : 'admin';
}

export function generateKey(scope: string, readOnly = false): GeneratedKey {
  const key = `mk_${scopeTag(scope, readOnly)}_${randomBytes(RANDOM_BYTES).toString('base64url')}`;
  return { key, prefix: prefixOf(key), hash: hashKey(key) };
}

export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** The stored, displayable start of a well-formed key; null for anything that cannot be a key. */
export function keyPrefix(key: string): string | null {
  return key.length <= 200 && KEY_SHAPE.test(key) ? prefixOf(key) : null;
}

function prefixOf(key: string): string {
  return key.slice(0, key.length - SECRET_TAIL);
}

/** Constant-time comparison of a presented key's hash with a stored hex hash. */
export function hashMatches(presentedHash: string, storedHash: string): boolean {
  const presented = Buffer.from(presentedHash, 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}

export function newKeyId(): string {
  return `key_${randomBytes(8).toString('hex')}`;
}

export const KEY_ID_SHAPE = /^key_[0-9a-f]{16}$/;

/** The key sent as `Authorization: Bearer <key>` or `X-API-Key: <key>`; null when neither. */
export function presentedKey(headers: Readonly<Record<string, string | string[] | undefined>>): string | null {
  const authorization = firstHeader(headers, 'authorization');
  if (authorization) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (match) return match[1]!;
  }
  const apiKey = firstHeader(headers, 'x-api-key')?.trim();
  return apiKey || null;
}

function firstHeader(headers: Readonly<Record<string, string | string[] | undefined>>, name: string): string | undefined {
  // Node lower-cases incoming header names; plain objects built by hand may not.
  const value = headers[name] ?? Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
  return Array.isArray(value) ? value[0] : value;
}
