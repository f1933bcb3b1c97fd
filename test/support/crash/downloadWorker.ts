import { loadConfig } from '../../../src/config.js';
import { openDatabase } from '../../../src/db/index.js';
import { loadDownloadSettings } from '../../../src/downloads/config.js';
import { fileHostDownloads, licensedTrack } from '../../downloads/support.js';

export interface DownloadWorkerArgs {
  musicDir: string;
  dataDir: string;
  databaseUrl?: string;
  pgSchema?: string;
  /** Host → base URL, as UPSTREAM_OVERRIDES: where the test's file server listens. */
  overrides: Record<string, string>;
  /** Tracks (native ids of the test source) to prepare; prints `{ jobs: { <native id>: <job id> } }`. */
  prepare?: string[];
  /** Job ids to wait for; prints `{ settled: DownloadJob }` for each as it finishes. */
  watch?: string[];
}

/**
 * A gateway process as far as downloads go: the real download service with the default
 * in-process queue on DATA_DIR/MUSIC_DIR (or PostgreSQL). Works until the test kills it.
 */
export async function main(args: DownloadWorkerArgs): Promise<void> {
  const env = {
    LOG_LEVEL: 'silent',
    MUSIC_DIR: args.musicDir,
    DATA_DIR: args.dataDir,
    SERVER_SECRET: 's'.repeat(48),
    UPSTREAM_OVERRIDES: JSON.stringify(args.overrides),
    DOWNLOAD_IDLE_TIMEOUT_MS: '60000',
  };
  const config = loadConfig(env);
  const db = await openDatabase({ dataDir: args.dataDir, databaseUrl: args.databaseUrl ?? null }, { postgres: { schema: args.pgSchema } });
  const service = await fileHostDownloads({ config, db, settings: loadDownloadSettings(env) });
  const say = (message: unknown) => process.stdout.write(`${JSON.stringify(message)}\n`);
  say({ started: true });
  const jobs: Record<string, string> = {};
  for (const nativeId of args.prepare ?? []) {
    const track = licensedTrack({ nativeId });
    jobs[nativeId] = (await service.prepare(track.id, async () => track)).id;
  }
  if (args.prepare) say({ jobs });
  for (const id of args.watch ?? []) void service.settled(id).then((job) => say({ settled: job }));
}
