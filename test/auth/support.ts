import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../src/db/index.js';
import type { Db } from '../../src/db/types.js';
import { startAuth } from '../../src/auth/index.js';
import type { AuthService, IssuedKey } from '../../src/auth/index.js';
import { silentLogger } from '../../src/logger.js';
import { ProviderRegistry } from '../../src/providers/registry.js';
import type { Capability, Provider } from '../../src/providers/types.js';

/**
 * A provider shell for registry tests: real ids and display names, and capability methods
 * that only exist so the endpoint list can be derived from them. Calling one is a test bug.
 */
export function providerShell(id: string, name: string, capabilities: readonly Capability[], configured = true): Provider {
  const provider: Record<string, unknown> = {
    id,
    name,
    description: `${name} (test shell)`,
    credentials: [],
    configured,
  };
  for (const capability of capabilities) {
    provider[capability] = () => {
      throw new Error(`${id}.${capability} must not be called by auth tests`);
    };
  }
  return provider as unknown as Provider;
}

export const MUSICBRAINZ = providerShell('musicbrainz', 'MusicBrainz', ['searchTracks', 'searchAlbums', 'track', 'album', 'artist', 'artistAlbums']);
export const YOUTUBE_MUSIC = providerShell('youtubemusic', 'Scraping YouTube Music', ['searchTracks', 'track', 'chart']);
export const LRCLIB = providerShell('lrclib', 'LRCLIB', ['lyrics']);

export interface AuthFixture {
  dir: string;
  db: Db;
  auth: AuthService;
  /** Plaintext keys issued at the first start, by scope (`*` for admin). */
  keys: Map<string, IssuedKey>;
  close(): Promise<void>;
}

export async function tempDir(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), 'musica-auth-'));
}

export async function startFixture(
  providers: readonly Provider[] = [MUSICBRAINZ, YOUTUBE_MUSIC, LRCLIB],
  options: { dir?: string; now?: () => Date; verifiedKeyTtlMs?: number } = {},
): Promise<AuthFixture> {
  const dir = options.dir ?? (await tempDir());
  const db = await openDatabase({ dataDir: dir, databaseUrl: null });
  const { auth, bootstrap } = await startAuth({
    db,
    providers: new ProviderRegistry(providers),
    logger: silentLogger,
    ...(options.now ? { now: options.now } : {}),
    ...(options.verifiedKeyTtlMs !== undefined ? { verifiedKeyTtlMs: options.verifiedKeyTtlMs } : {}),
  });
  const keys = new Map(bootstrap.issued.map((issued) => [issued.apiKey.scope, issued]));
  return {
    dir,
    db,
    auth,
    keys,
    async close() {
      await auth.stop();
      await db.close();
      if (!options.dir) await rm(dir, { recursive: true, force: true });
    },
  };
}

export function bearer(key: string): Record<string, string> {
  return { authorization: `Bearer ${key}` };
}

/** The `extensions.code` of what `promise` rejects with (fails the test if it resolves). */
export async function errorCode(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return String((error as { extensions?: { code?: unknown } }).extensions?.code ?? `not an ApiError: ${String(error)}`);
  }
  throw new Error('expected a rejection');
}
