import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * `/files` URLs carry `exp` (Unix seconds) and `sig` = HMAC-SHA256(secret, path + "\n" + exp),
 * base64url. Anyone holding the URL may fetch the file until it expires; changing the path or the
 * expiry breaks the signature.
 */
export interface UrlSigner {
  /** `/files/<encoded path>?exp=…&sig=…`, prefixed with PUBLIC_URL when set. */
  sign(relativePath: string, now?: number): { url: string; expiresAt: Date };
  verify(relativePath: string, exp: string | undefined, sig: string | undefined, now?: number): boolean;
}

export function createUrlSigner(secret: Buffer, options: { ttlSeconds: number; publicUrl: string | null; mount?: string }): UrlSigner {
  const mount = options.mount ?? '/files';
  const prefix = `${options.publicUrl ?? ''}${mount}`;
  const mac = (relativePath: string, exp: number) =>
    createHmac('sha256', secret).update(`${relativePath}\n${exp}`).digest();

  return {
    sign(relativePath, now = Date.now()) {
      const exp = Math.floor(now / 1000) + options.ttlSeconds;
      const sig = mac(relativePath, exp).toString('base64url');
      return { url: `${prefix}/${encodePath(relativePath)}?exp=${exp}&sig=${sig}`, expiresAt: new Date(exp * 1000) };
    },
    verify(relativePath, exp, sig, now = Date.now()) {
      if (!exp || !sig || !/^\d{1,12}$/.test(exp) || !/^[A-Za-z0-9_-]{43}$/.test(sig)) return false;
      const expiry = Number(exp);
      if (expiry * 1000 <= now) return false;
      const expected = mac(relativePath, expiry);
      const given = Buffer.from(sig, 'base64url');
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
}

function encodePath(relativePath: string): string {
  return relativePath.split('/').map(encodeURIComponent).join('/');
}

/**
 * SERVER_SECRET when given; otherwise a random secret created once in `<dataDir>/secret` (mode
 * 0600) so signed URLs survive restarts. Concurrent first starts agree on one file (`wx`).
 */
export async function loadServerSecret(configured: string | null, dataDir: string): Promise<Buffer> {
  if (configured) return Buffer.from(configured, 'utf8');
  const file = path.join(dataDir, 'secret');
  await mkdir(dataDir, { recursive: true });
  try {
    await writeFile(file, randomBytes(32).toString('hex'), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const stored = (await readFile(file, 'utf8')).trim();
  if (stored.length < 32) throw new Error(`${file} holds a secret shorter than 32 characters; delete it or set SERVER_SECRET`);
  return Buffer.from(stored, 'utf8');
}
