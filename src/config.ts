import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import type { Capability } from './providers/types.js';
import type { LogLevel } from './logger.js';

/** The ordered source lists the catalog walks; lookups by id go to the id's own source instead. */
export type ChainName =
  | Extract<Capability, 'searchTracks' | 'searchAlbums' | 'searchArtists' | 'chart' | 'lyrics' | 'coverArt' | 'artistBiography' | 'artistImage' | 'tracksByIsrc' | 'albumsByBarcode'>
  | 'chartGlobal'
  | 'availability';

/**
 * Default order of sources for each capability. Sources that do not implement a capability,
 * are unconfigured or inactive are skipped when the chain runs, so listing a source here
 * before its plugin exists is harmless.
 */
const DEFAULT_CHAINS: Record<ChainName, readonly string[]> = {
  searchTracks: ['musicbrainz', 'lastfm', 'jamendo', 'deezer', 'youtubemusic', 'soundcloud', 'bandcamp', 'audiomack', 'internetarchive'],
  searchAlbums: ['musicbrainz', 'lastfm', 'jamendo', 'deezer', 'youtubemusic', 'soundcloud', 'bandcamp', 'audiomack', 'internetarchive'],
  searchArtists: ['musicbrainz', 'lastfm', 'jamendo', 'deezer', 'youtubemusic', 'soundcloud', 'bandcamp', 'audiomack'],
  chart: ['apple', 'lastfm', 'musixmatch', 'youtubemusic'],
  chartGlobal: ['lastfm', 'deezer', 'jamendo', 'apple', 'youtubemusic', 'soundcloud'],
  lyrics: ['musixmatch', 'lrclib', 'vagalume', 'lyricscom'],
  coverArt: ['coverartarchive'],
  artistBiography: ['lastfm', 'wikipedia'],
  artistImage: ['deezer'],
  tracksByIsrc: ['musicbrainz', 'deezer'],
  albumsByBarcode: ['musicbrainz', 'deezer'],
  /** Where the same recording is looked for (ISRC, published links, then search), best sources first. */
  availability: ['youtubemusic', 'deezer', 'jamendo', 'soundcloud', 'bandcamp', 'internetarchive', 'musicbrainz', 'audiomack'],
};

export interface AppConfig {
  port: number;
  host: string;
  publicUrl: string | null;
  dataDir: string;
  musicDir: string;
  /** Contact put in the User-Agent, which MusicBrainz requires. */
  contact: string;
  userAgent: string;
  /** Upstream host → base URL (tests, staging, a proxy). */
  upstreamOverrides: Record<string, string>;
  chains: Record<ChainName, readonly string[]>;
  /** Start the next source in parallel when the current one has not answered after this long. */
  hedgeDelayMs: number;
  upstreamTimeoutMs: number;
  upstreamRetries: number;
  /** Rate-limit MusicBrainz to this many requests per second (its published limit is 1). */
  musicbrainzRequestsPerSecond: number;
  /** MusicBrainz calls that may start together before the pace applies (paid back afterwards). */
  musicbrainzBurst: number;
  cacheUrl: string | null;
  redisUrl: string | null;
  databaseUrl: string | null;
  corsOrigins: readonly string[];
  defaultLanguages: readonly string[];
  logLevel: LogLevel;
  /** Circuit breaker: consecutive faults that open a source's circuit, and how long it stays open. */
  breakerThreshold: number;
  breakerCooldownMs: number;
  maxQueryLength: number;
  /** Real upstream calls one GraphQL request may make (cache hits are free). */
  maxUpstreamCallsPerRequest: number;
  /** A request still resolving after this long gets DEADLINE_EXCEEDED for what is left. */
  requestDeadlineMs: number;
  /** Bound of the in-process cache of parsed answers. */
  resultCacheBytes: number;
  /** Static price limit of one GraphQL operation (src/schema/cost.ts), about one unit per upstream call. */
  maxQueryCost: number;
  /** GraphQL document shape limits, checked before validation (src/schema/documentLimits.ts). */
  maxQueryDepth: number;
  maxQueryAliases: number;
  maxQuerySelections: number;
  maxQueryTokens: number;
  /** The Android app (Trusted Web Activity) that may open this site: served as /.well-known/assetlinks.json. */
  androidApp: AndroidApp | null;
}

export interface AndroidApp {
  packageName: string;
  /** SHA-256 fingerprints of the signing certificates, `AA:BB:…` (32 bytes, upper case). */
  certFingerprints: string[];
}

/** A setting the gateway cannot start with. The message is for the owner, in Spanish. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    message: string,
    /** The offending variable, when one is to blame. */
    readonly variable?: string,
  ) {
    super(message);
  }
}

/**
 * Adds the variables of a `.env` file (`./.env` by default) that the real environment does
 * not set: the real environment wins, as with Docker or systemd. Parsed by Node's own `.env`
 * parser; the values are then validated by `loadConfig` like any other. A missing file is not
 * an error. Returns the names taken from the file, so errors can say where a value came from.
 */
export function loadEnvFile(env: Record<string, string | undefined> = process.env, file = path.resolve('.env')): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new ConfigError(`No se pudo leer ${file}: ${(error as Error).message}`);
  }
  const loaded: string[] = [];
  for (const [name, value] of Object.entries(parseEnv(text))) {
    if (env[name] !== undefined || value === undefined) continue;
    env[name] = value;
    loaded.push(name);
  }
  return loaded;
}

/** `Configuración no válida: …` with where the value came from, for the owner. */
export function describeConfigError(error: ConfigError, fromEnvFile: readonly string[] = [], file = '.env'): string {
  const origin = error.variable && fromEnvFile.includes(error.variable) ? ` (valor tomado de ${file})` : '';
  return `Configuración no válida: ${error.message}${origin}`;
}

const VERSION = '0.1.0';

const CHAIN_ENV: Record<ChainName, string> = {
  searchTracks: 'CHAIN_SEARCH_TRACKS',
  searchAlbums: 'CHAIN_SEARCH_ALBUMS',
  searchArtists: 'CHAIN_SEARCH_ARTISTS',
  chart: 'CHAIN_CHART',
  chartGlobal: 'CHAIN_CHART_GLOBAL',
  lyrics: 'CHAIN_LYRICS',
  coverArt: 'CHAIN_COVER_ART',
  artistBiography: 'CHAIN_ARTIST_BIOGRAPHY',
  artistImage: 'CHAIN_ARTIST_IMAGE',
  tracksByIsrc: 'CHAIN_TRACKS_BY_ISRC',
  albumsByBarcode: 'CHAIN_ALBUMS_BY_BARCODE',
  availability: 'CHAIN_AVAILABILITY',
};

/** Reads and validates the environment. Throws `ConfigError` naming the offending variable. */
export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env): AppConfig {
  const dataDir = path.resolve(env.DATA_DIR ?? './data');
  const contact = env.MUSICA_CONTACT?.trim() || 'musica-api@localhost';
  const chains = { ...DEFAULT_CHAINS };
  for (const [chain, variable] of Object.entries(CHAIN_ENV) as [ChainName, string][]) {
    const value = env[variable];
    if (value !== undefined) chains[chain] = parseList(value);
  }
  return {
    port: integer(env, 'PORT', 4000, 0, 65535),
    host: env.HOST ?? '0.0.0.0',
    publicUrl: env.PUBLIC_URL?.replace(/\/+$/, '') || null,
    dataDir,
    musicDir: path.resolve(env.MUSIC_DIR ?? './storage/musica'),
    contact,
    userAgent: `MusicaAPI/${VERSION} ( ${contact} )`,
    upstreamOverrides: parseOverrides(env.UPSTREAM_OVERRIDES),
    chains,
    hedgeDelayMs: integer(env, 'HEDGE_DELAY_MS', 2500, 0, 60_000),
    upstreamTimeoutMs: integer(env, 'UPSTREAM_TIMEOUT_MS', 10_000, 100, 120_000),
    upstreamRetries: integer(env, 'UPSTREAM_RETRIES', 2, 0, 5),
    musicbrainzRequestsPerSecond: number(env, 'MUSICBRAINZ_RPS', 1, 0.1, 50),
    musicbrainzBurst: integer(env, 'MUSICBRAINZ_BURST', 5, 1, 10),
    cacheUrl: env.CACHE_URL || null,
    redisUrl: env.REDIS_URL || null,
    databaseUrl: env.DATABASE_URL || null,
    corsOrigins: parseList(env.CORS_ORIGINS ?? ''),
    defaultLanguages: parseList(env.DEFAULT_LANGUAGES ?? 'es,en'),
    logLevel: logLevel(env.LOG_LEVEL),
    breakerThreshold: integer(env, 'BREAKER_THRESHOLD', 5, 1, 1000),
    breakerCooldownMs: integer(env, 'BREAKER_COOLDOWN_MS', 30_000, 100, 3_600_000),
    maxQueryLength: integer(env, 'MAX_SEARCH_LENGTH', 300, 10, 5000),
    maxUpstreamCallsPerRequest: integer(env, 'MAX_UPSTREAM_CALLS_PER_REQUEST', 250, 1, 100_000),
    requestDeadlineMs: integer(env, 'REQUEST_DEADLINE_MS', 25_000, 100, 600_000),
    resultCacheBytes: integer(env, 'RESULT_CACHE_MB', 32, 0, 16_384) * 1024 * 1024,
    maxQueryCost: integer(env, 'MAX_QUERY_COST', 300, 10, 100_000),
    maxQueryDepth: integer(env, 'MAX_QUERY_DEPTH', 10, 3, 50),
    maxQueryAliases: integer(env, 'MAX_QUERY_ALIASES', 20, 0, 1000),
    // The lower bounds keep the standard introspection query (GraphiQL, codegen) within the limits.
    maxQuerySelections: integer(env, 'MAX_QUERY_SELECTIONS', 1000, 500, 5000),
    maxQueryTokens: integer(env, 'MAX_QUERY_TOKENS', 5000, 1000, 50_000),
    androidApp: androidApp(env.ANDROID_PACKAGE, env.ANDROID_CERT_SHA256),
  };
}

const ANDROID_PACKAGE_SHAPE = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)+$/;
const SHA256_FINGERPRINT_SHAPE = /^[0-9A-F]{2}(:[0-9A-F]{2}){31}$/;

/** Both variables or neither; fingerprints as keytool and Bubblewrap print them (colons optional). */
function androidApp(rawPackage: string | undefined, rawFingerprints: string | undefined): AndroidApp | null {
  const packageName = rawPackage?.trim() ?? '';
  const fingerprints = parseList(rawFingerprints ?? '');
  if (!packageName && !fingerprints.length) return null;
  if (!packageName) throw new ConfigError('ANDROID_CERT_SHA256 está definida pero falta ANDROID_PACKAGE: hacen falta las dos para servir /.well-known/assetlinks.json');
  if (!fingerprints.length) throw new ConfigError('ANDROID_PACKAGE está definida pero falta ANDROID_CERT_SHA256: hacen falta las dos para servir /.well-known/assetlinks.json');
  if (!ANDROID_PACKAGE_SHAPE.test(packageName)) {
    throw new ConfigError(`ANDROID_PACKAGE debe ser un nombre de paquete de Android, como org.ejemplo.musica (recibido "${packageName}")`);
  }
  const certFingerprints = fingerprints.map((raw) => {
    const hex = raw.toUpperCase();
    const fingerprint = /^[0-9A-F]{64}$/.test(hex) ? hex.match(/../g)!.join(':') : hex;
    if (!SHA256_FINGERPRINT_SHAPE.test(fingerprint)) {
      throw new ConfigError(`ANDROID_CERT_SHA256 debe ser una o varias huellas SHA-256 separadas por comas, como 14:6D:E9:…:B8 (32 pares hexadecimales; recibido "${raw}")`);
    }
    return fingerprint;
  });
  return { packageName, certFingerprints: [...new Set(certFingerprints)] };
}

function parseList(value: string): string[] {
  return value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
}

function parseOverrides(raw: string | undefined): Record<string, string> {
  if (!raw) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigError('UPSTREAM_OVERRIDES debe ser un objeto JSON de host → URL base, p. ej. {"musicbrainz.org":"http://127.0.0.1:5000"}', 'UPSTREAM_OVERRIDES');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError('UPSTREAM_OVERRIDES debe ser un objeto JSON de host → URL base, p. ej. {"musicbrainz.org":"http://127.0.0.1:5000"}', 'UPSTREAM_OVERRIDES');
  }
  const overrides: Record<string, string> = {};
  for (const [host, base] of Object.entries(parsed)) {
    if (typeof base !== 'string' || !/^https?:\/\//.test(base)) {
      throw new ConfigError(`UPSTREAM_OVERRIDES: el valor de ${host} debe ser una URL http:// o https://`, 'UPSTREAM_OVERRIDES');
    }
    overrides[host.toLowerCase()] = base.replace(/\/+$/, '');
  }
  return overrides;
}

function integer(env: Readonly<Record<string, string | undefined>>, name: string, fallback: number, min: number, max: number): number {
  const value = number(env, name, fallback, min, max);
  if (!Number.isInteger(value)) throw new ConfigError(`${name} debe ser un número entero (se recibió "${env[name]}")`, name);
  return value;
}

function number(env: Readonly<Record<string, string | undefined>>, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new ConfigError(`${name} debe ser un número entre ${min} y ${max} (se recibió "${raw}")`, name);
  }
  return value;
}

function logLevel(raw: string | undefined): LogLevel {
  const value = (raw ?? 'info').toLowerCase();
  if (['debug', 'info', 'warn', 'error', 'silent'].includes(value)) return value as LogLevel;
  throw new ConfigError(`LOG_LEVEL debe ser debug, info, warn, error o silent (se recibió "${raw}")`, 'LOG_LEVEL');
}
