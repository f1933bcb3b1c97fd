import type { Logger } from '../../logger.js';

/**
 * How this gateway presents itself to InnerTube. Everything has a working default, so the
 * provider needs no configuration; the environment can pin another client version (the site
 * retires old ones every few weeks; see `innertube.ts` for the automatic refresh) or another
 * language and country for labels and results.
 */
export interface YouTubeMusicSettings {
  clientName: string;
  clientVersion: string;
  /** UI language of labels ("Álbum", "Sencillo"). */
  hl: string;
  /** Country whose catalogue and availability the results follow. */
  gl: string;
}

export const ENV = {
  clientName: 'YTMUSIC_CLIENT_NAME',
  clientVersion: 'YTMUSIC_CLIENT_VERSION',
  hl: 'YTMUSIC_HL',
  gl: 'YTMUSIC_GL',
} as const;

/** The web player's client; its numeric id goes in the `X-YouTube-Client-Name` header. */
export const WEB_REMIX = { name: 'WEB_REMIX', headerId: '67' } as const;

/** The version in the newest recorded request bodies (January 2026). */
export const DEFAULT_CLIENT_VERSION = '1.20260121.03.00';

export const DEFAULTS: YouTubeMusicSettings = {
  clientName: WEB_REMIX.name,
  clientVersion: DEFAULT_CLIENT_VERSION,
  hl: 'es',
  gl: 'ES',
};

const CLIENT_VERSION = /^\d+\.\d{8}\.\d{2}\.\d{2}$/;
const LANGUAGE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,4})?$/;
const COUNTRY = /^[A-Z]{2}$/;

export function isClientVersion(value: string): boolean {
  return CLIENT_VERSION.test(value);
}

/** Reads the settings; a malformed value is ignored (with a warning) in favour of the default. */
export function settingsFromEnv(env: Readonly<Record<string, string | undefined>>, logger: Logger): YouTubeMusicSettings {
  const read = (name: string, valid: (value: string) => boolean, fallback: string, normalise = (v: string) => v): string => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const value = normalise(raw);
    if (valid(value)) return value;
    logger.warn(`${name} is not valid; using the default`, { value: raw, default: fallback });
    return fallback;
  };
  return {
    clientName: read(ENV.clientName, (v) => /^[A-Z][A-Z0-9_]{1,40}$/.test(v), DEFAULTS.clientName, (v) => v.toUpperCase()),
    clientVersion: read(ENV.clientVersion, isClientVersion, DEFAULTS.clientVersion),
    hl: read(ENV.hl, (v) => LANGUAGE.test(v), DEFAULTS.hl),
    gl: read(ENV.gl, (v) => COUNTRY.test(v), DEFAULTS.gl, (v) => v.toUpperCase()),
  };
}
