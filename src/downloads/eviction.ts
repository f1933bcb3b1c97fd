import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../logger.js';
import { pruneEmptyDirs } from './disk.js';
import { resolveInside } from './names.js';
import type { DownloadIndex } from './store.js';

/**
 * Keeps MUSIC_DIR under MUSIC_DIR_MAX_BYTES by deleting whole tracks (WAV and MP3 together),
 * least recently served first; a track never served counts from when it was fetched. The track
 * just stored is never the victim, even if it alone exceeds the cap. Runs one at a time.
 */
export function createEvictor(deps: { index: DownloadIndex; musicDir: string; maxBytes: number | null; logger: Logger }): (keep: string) => Promise<void> {
  let chain: Promise<void> = Promise.resolve();

  async function evict(keep: string): Promise<void> {
    if (deps.maxBytes === null) return;
    let total = await deps.index.totalBytes();
    while (total > deps.maxBytes) {
      const victim = (await deps.index.evictionCandidates(10)).find((entry) => entry.trackId !== keep);
      if (!victim) {
        deps.logger.warn('MUSIC_DIR_MAX_BYTES is smaller than the newest track; keeping it', { trackId: keep, total, max: deps.maxBytes });
        return;
      }
      // Out of the index first: from here on nobody is handed a URL to these files.
      await deps.index.remove(victim.trackId);
      for (const file of victim.files) {
        const full = resolveInside(deps.musicDir, file.path);
        await rm(full, { force: true });
        await pruneEmptyDirs(path.dirname(full), deps.musicDir);
        total -= file.sizeBytes;
      }
      deps.logger.info('evicted a downloaded track', { trackId: victim.trackId, freed: victim.files.reduce((sum, f) => sum + f.sizeBytes, 0) });
    }
  }

  return (keep) => {
    const run = chain.then(() => evict(keep));
    chain = run.catch((error) => deps.logger.error('eviction failed', { error }));
    return chain;
  };
}
