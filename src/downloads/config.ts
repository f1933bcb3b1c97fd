import { ConfigError } from '../config.js';

/**
 * Settings that only the download pipeline reads. They come from the environment next to the
 * shared `AppConfig` (MUSIC_DIR, DATA_DIR, PUBLIC_URL, UPSTREAM_OVERRIDES live there).
 */
export interface DownloadSettings {
  /** Evict least-recently-served tracks once MUSIC_DIR holds more than this; null = no cap. */
  maxStorageBytes: number | null;
  /** Refuse originals larger than this (Content-Length or bytes actually received). */
  maxOriginalBytes: number;
  /** Lifetime of signed `/files` URLs. */
  urlTtlSeconds: number;
  /** Jobs running at once in this process. */
  concurrency: number;
  /** Explicit ffmpeg binary (FFMPEG_PATH). */
  ffmpegPath: string | null;
  /** HMAC secret from SERVER_SECRET; when null a generated one is kept in `<DATA_DIR>/secret`. */
  serverSecret: string | null;
  /** No byte from the upstream for this long aborts the fetch. */
  idleTimeoutMs: number;
}

const GIB = 1024 ** 3;

export function loadDownloadSettings(env: Readonly<Record<string, string | undefined>> = process.env): DownloadSettings {
  const secret = env.SERVER_SECRET?.trim() || null;
  if (secret !== null && Buffer.byteLength(secret) < 32) {
    throw new ConfigError('SERVER_SECRET debe tener al menos 32 caracteres (firma las URL de descarga)', 'SERVER_SECRET');
  }
  return {
    maxStorageBytes: optionalBytes(env, 'MUSIC_DIR_MAX_BYTES'),
    maxOriginalBytes: optionalBytes(env, 'DOWNLOAD_MAX_BYTES') ?? GIB,
    urlTtlSeconds: whole(env, 'DOWNLOAD_URL_TTL_SECONDS', 3600, 30, 7 * 24 * 3600),
    concurrency: whole(env, 'DOWNLOAD_CONCURRENCY', 2, 1, 16),
    ffmpegPath: env.FFMPEG_PATH?.trim() || null,
    serverSecret: secret,
    idleTimeoutMs: whole(env, 'DOWNLOAD_IDLE_TIMEOUT_MS', 30_000, 100, 600_000),
  };
}

/** Accepts plain bytes or a K/M/G/T suffix (powers of 1024): `500M`, `20G`. */
export function parseBytes(raw: string): number | null {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?\s*$/i.exec(raw);
  if (!match) return null;
  const power = ' kmgt'.indexOf((match[2] || ' ').toLowerCase());
  const value = Math.floor(Number(match[1]) * 1024 ** power);
  return Number.isSafeInteger(value) && value > 0 ? value : null;
}

function optionalBytes(env: Readonly<Record<string, string | undefined>>, name: string): number | null {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return null;
  const value = parseBytes(raw);
  if (value === null) throw new ConfigError(`${name} debe ser un tamaño en bytes, con K, M, G o T si se quiere, como 500M o 20G (se recibió "${raw}")`, name);
  return value;
}

function whole(env: Readonly<Record<string, string | undefined>>, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} debe ser un número entero entre ${min} y ${max} (se recibió "${raw}")`, name);
  }
  return value;
}
