import type { AppConfig } from './config.js';
import type { Logger } from './logger.js';
import type { AccessControl } from './auth/types.js';
import type { HealthTracker } from './catalog/health.js';
import type { ProviderRegistry } from './providers/registry.js';
import type { AuthService } from './auth/service.js';
import type { Db } from './db/types.js';
import type { DownloadService } from './downloads/service.js';
import type { Metrics } from './observability/metrics.js';
import type { ResultCache } from './cache/results.js';
import type Keyv from 'keyv';
import type { SourceChecker } from './observability/canary.js';

/**
 * Process-wide services, built once by the composition root (`main.ts`) and handed to every
 * request. Modules depend on the slice they need, never on the composition root.
 */
export interface Services {
  config: AppConfig;
  logger: Logger;
  providers: ProviderRegistry;
  health: HealthTracker;
  /** The shared upstream cache (Keyv: SQLite or Redis). */
  cache: Keyv;
  /** The in-process cache of parsed source answers, in front of `cache`. */
  results: ResultCache;
  access: AccessControl;
  metrics: Metrics;
  /** Keys and sources registry (admin operations); often the same object as `access`. */
  auth?: AuthService;
  /** The relational store (SQLite file or PostgreSQL) for keys, usage and the download index. */
  db?: Db;
  /** Licence-aware WAV/MP3 downloads (`createDownloadService`); absent when not enabled. */
  downloads?: DownloadService;
  /** Live source checks (`checkSource`, `npm run sources:check`); absent when not wired. */
  sourceChecker?: SourceChecker;
}
