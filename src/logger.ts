import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';

/**
 * Structured logging: one JSON line per event (pino), on stderr by default, level from
 * `LOG_LEVEL`. Call sites only see this small interface, so the library stays swappable and a
 * test can pass a logger of its own.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  child(bindings: Record<string, unknown>): Logger;
}

export interface LoggerOptions {
  /** Where the lines go (default: stderr, written synchronously so nothing is lost on a crash). */
  destination?: DestinationStream;
  /** Fields every line carries. */
  bindings?: Record<string, unknown>;
}

/** Names that hold credentials wherever they appear: a field of a line or of an object in it. */
const SECRET_NAMES = [
  'key',
  'apiKey',
  'api_key',
  'apikey',
  'authorization',
  'Authorization',
  'token',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'secret',
  'clientSecret',
  'client_secret',
  'client_id',
  'clientId',
  'password',
  'cookie',
  'serverSecret',
  '["x-api-key"]',
  '["set-cookie"]',
];

/** pino redaction paths: each secret name at the top of a line and one level down, and in headers. */
export const REDACTED_PATHS: readonly string[] = [
  ...SECRET_NAMES,
  ...SECRET_NAMES.map((name) => (name.startsWith('[') ? `*${name}` : `*.${name}`)),
  ...['authorization', 'cookie', '["x-api-key"]'].flatMap((name) => {
    const access = name.startsWith('[') ? name : `.${name}`;
    return [`headers${access}`, `*.headers${access}`];
  }),
];

export const REDACTED = '[REDACTED]';

export function createLogger(level: LogLevel = 'info', options: LoggerOptions = {}): Logger {
  if (level === 'silent') return silentLogger;
  const base = pino(
    {
      level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: [...REDACTED_PATHS], censor: REDACTED },
    },
    options.destination ?? pino.destination({ dest: 2, sync: true }),
  );
  return wrap(options.bindings ? base.child(options.bindings) : base);
}

function wrap(logger: PinoLogger): Logger {
  const at = (level: 'debug' | 'info' | 'warn' | 'error') => (message: string, fields?: Record<string, unknown>) => {
    if (!logger.isLevelEnabled(level)) return;
    if (fields) logger[level](plain(fields, level === 'error'), message);
    else logger[level](message);
  };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (bindings) => wrap(logger.child(plain(bindings, false))),
  };
}

/**
 * Errors become `{ name, message }` (their `code` and `kind` when they have one): enough to say
 * what happened without a stack in every warn line. Only error lines carry the stack. An Error
 * serialises to `{}` otherwise, since its fields are not enumerable.
 */
function plain(fields: Record<string, unknown>, withStack: boolean): Record<string, unknown> {
  let copy: Record<string, unknown> | undefined;
  for (const [name, value] of Object.entries(fields)) {
    if (!(value instanceof Error)) continue;
    copy ??= { ...fields };
    copy[name] = describeError(value, withStack);
  }
  return copy ?? fields;
}

function describeError(error: Error, withStack: boolean): Record<string, unknown> {
  const { code, kind } = error as Error & { code?: unknown; kind?: unknown };
  return {
    name: error.name,
    message: error.message,
    ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
    ...(typeof kind === 'string' ? { kind } : {}),
    ...(withStack && error.stack ? { stack: error.stack } : {}),
  };
}

const ignore = () => undefined;

/** Writes nothing (tests, CLIs that print for people instead). */
export const silentLogger: Logger = {
  debug: ignore,
  info: ignore,
  warn: ignore,
  error: ignore,
  child: () => silentLogger,
};
