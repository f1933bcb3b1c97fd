import { describe, expect, it } from 'vitest';
import { generateKey, hashKey, hashMatches, keyPrefix, newKeyId, presentedKey } from '../../src/auth/keys.js';

describe('API key format', () => {
  it('names the source, carries at least 32 bytes of secret entropy and hashes with SHA-256', () => {
    const { key, prefix, hash } = generateKey('musicbrainz');
    expect(key).toMatch(/^mk_musicbrainz_[A-Za-z0-9_-]{54}$/);
    expect(prefix).toBe(key.slice(0, 'mk_musicbrainz_'.length + 8));
    // What is not in the displayed prefix: 46 base64url characters = 276 bits.
    expect((key.length - prefix.length) * 6).toBeGreaterThanOrEqual(256);
    expect(hash).toBe(hashKey(key));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(generateKey('*').key.startsWith('mk_admin_')).toBe(true);
    expect(generateKey('musicbrainz').key).not.toBe(key);
  });

  it('accepts only well-formed keys when deriving the lookup prefix', () => {
    const { key, prefix } = generateKey('lrclib');
    expect(keyPrefix(key)).toBe(prefix);
    expect(keyPrefix(key.slice(0, -1))).toBeNull();
    expect(keyPrefix(`${key}x`)).toBeNull();
    expect(keyPrefix('mk_lrclib_' + '!'.repeat(54))).toBeNull();
    expect(keyPrefix('')).toBeNull();
  });

  it('reads a secret that starts with an underscore as the secret, not as part of the scope', () => {
    const key = `mk_lrclib__${'A'.repeat(53)}`;
    expect(keyPrefix(key)).toBe(`mk_lrclib__${'A'.repeat(7)}`);
    expect(keyPrefix(`${key}x`)).toBeNull();
  });

  it('compares hashes in full', () => {
    const hash = hashKey('a');
    expect(hashMatches(hash, hashKey('a'))).toBe(true);
    expect(hashMatches(hash, hashKey('b'))).toBe(false);
    expect(hashMatches(hash, hash.slice(0, 62))).toBe(false);
  });

  it('reads the key from Authorization: Bearer or X-API-Key', () => {
    expect(presentedKey({ authorization: 'Bearer abc' })).toBe('abc');
    expect(presentedKey({ authorization: 'bearer   abc ' })).toBe('abc');
    expect(presentedKey({ 'x-api-key': ' xyz ' })).toBe('xyz');
    expect(presentedKey({ 'X-API-Key': 'xyz' })).toBe('xyz');
    expect(presentedKey({ authorization: ['Bearer first', 'Bearer second'] })).toBe('first');
    expect(presentedKey({ authorization: 'Basic dXNlcjpwYXNz' })).toBeNull();
    expect(presentedKey({})).toBeNull();
  });

  it('makes key ids of a fixed, checkable shape', () => {
    expect(newKeyId()).toMatch(/^key_[0-9a-f]{16}$/);
    expect(newKeyId()).not.toBe(newKeyId());
  });
});
