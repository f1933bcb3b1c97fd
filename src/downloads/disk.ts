import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { link, readdir, rename, rmdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * The few filesystem writes the pipeline makes that can fail for reasons outside our control
 * (disk full, read-only mount). Behind an interface so tests can make them fail.
 */
export interface DiskOps {
  createWriteStream(file: string): Writable;
  /** Creates `to` as a new name for `from`; fails with EEXIST instead of replacing a file. */
  link(from: string, to: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
}

export const realDisk: DiskOps = {
  createWriteStream: (file) => createWriteStream(file, { flags: 'wx' }),
  link: (from, to) => link(from, to),
  rename: (from, to) => rename(from, to),
};

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

/** Removes now-empty directories from `dir` up to (not including) `root`. */
export async function pruneEmptyDirs(dir: string, root: string): Promise<void> {
  let current = path.resolve(dir);
  const stop = path.resolve(root);
  while (current.startsWith(stop + path.sep)) {
    try {
      if ((await readdir(current)).length > 0) return;
      await rmdir(current);
    } catch {
      return;
    }
    current = path.dirname(current);
  }
}

export async function unlinkQuietly(file: string): Promise<void> {
  await unlink(file).catch(() => undefined);
}
