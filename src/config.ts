import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import type { Capability } from './providers/types.js';
import type { LogLevel } from './logger.js';

export type ChainName = Capability | 'chartGlobal';

/**
 * Default order of sources for each capability. Sources that do not implement a capability,
 * are unconfigured or inactive are skipped when the chain runs, so listing a source here
 * before its plugin exists is harmless.
 */
export const DEFAULT_CHAINS: Record<ChainName, readonly string[]> = {
  searchTracks: ['musicbrainz', 'lastfm', 'jamendo', 'deezer', 'youtubemusic', 'soundcloud', 'bandcamp', 'audiomack', 'internetarchive'],
  searchAlbums: ['musicbrainz', 'lastfm', 'jamendo', 'deezer', 'youtubemusic', 'soundcloud', 'bandcamp', 'audiomack', 'internetarchive'],
  searchArtists: ['musicbrainz', 'lastfm', 'jamendo', 'deezer', 'youtubemusic', 'soundcloud', 'bandcamp', 'audiomack'],
  track: [],
  album: [],
  artist: [],
  artistAlbums: [],
  relatedTracks: [],
  chart: ['apple', 'lastfm', 'musixmatch', 'youtubemusic'],
  chartGlobal: ['lastfm', 'deezer', 'jamendo', 'apple', 'youtubemusic', 'soundcloud'],
  lyrics: ['musixmatch', 'lrclib', 'vagalume', 'lyricscom'],
  coverArt: ['coverartarchive'],
  artistBiography: ['lastfm', 'wikipedia'],
  artistImage: ['deezer'],
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
  track: 'CHAIN_TRACK',
  album: 'CHAIN_ALBUM',
  artist: 'CHAIN_ARTIST',
  artistAlbums: 'CHAIN_ARTIST_ALBUMS',
  relatedTracks: 'CHAIN_RELATED_TRACKS',
  chart: 'CHAIN_CHART',
  chartGlobal: 'CHAIN_CHART_GLOBAL',
  lyrics: 'CHAIN_LYRICS',
  coverArt: 'CHAIN_COVER_ART',
  artistBiography: 'CHAIN_ARTIST_BIOGRAPHY',
  artistImage: 'CHAIN_ARTIST_IMAGE',
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
    cacheUrl: env.CACHE_URL || null,
    redisUrl: env.REDIS_URL || null,
    databaseUrl: env.DATABASE_URL || null,
    corsOrigins: parseList(env.CORS_ORIGINS ?? ''),
    defaultLanguages: parseList(env.DEFAULT_LANGUAGES ?? 'es,en'),
    logLevel: logLevel(env.LOG_LEVEL),
    breakerThreshold: integer(env, 'BREAKER_THRESHOLD', 5, 1, 1000),
    breakerCooldownMs: integer(env, 'BREAKER_COOLDOWN_MS', 30_000, 100, 3_600_000),
    maxQueryLength: integer(env, 'MAX_SEARCH_LENGTH', 300, 10, 5000),
  };
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
