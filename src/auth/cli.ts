#!/usr/bin/env node
import { ConfigError, describeConfigError, loadConfig, type AppConfig } from '../config.js';
import { openDatabase } from '../db/index.js';
import { migrate } from '../db/migrate.js';
import { runAsProgram, type ProgramIo } from '../entry.js';
import { ApiError, textIn } from '../errors/api.js';
import { createLogger } from '../logger.js';
import type { IssuedKey } from './issue.js';
import { AUTH_MIGRATIONS } from './migrations.js';
import type { ApiKeyRecord, ReportedHealth, SourceRecord, UsageFigures } from './repository.js';
import { AuthService } from './service.js';
import { ADMIN_SCOPE, type SourceStatus } from './types.js';

const HELP = `Música API — claves y fuentes

Uso: npm run keys -- <orden> [argumentos] [--json]

Órdenes:
  list                                  Fuentes con estado, configuración, salud, endpoints, claves y uso;
                                        claves de administración.
  create <fuente|admin|readonly> [--label T]
                                        Emite una clave más para la fuente, de administración, o de
                                        administración de solo lectura (readonly: ve fuentes, claves,
                                        uso y salud y comprueba fuentes, pero no puede cambiar nada;
                                        la adecuada para un panel).
  rotate <fuente|admin|readonly> [--key ID]
                                        Sustituye las claves activas de ese tipo (o solo la clave ID)
                                        por una nueva. Las anteriores dejan de funcionar en el acto en
                                        este servidor y en menos de un segundo en los demás.
  revoke <idClave>                      Revoca una clave (no la última de administración).
  status <fuente> active|inactive       Activa o desactiva una fuente.
  usage                                 Peticiones de hoy (UTC) y totales, por fuente y por clave.
  help                                  Esta ayuda.

Opciones:
  --json     Salida JSON (para scripts, p. ej. el panel), con los mismos nombres y valores que
             GraphQL (status ACTIVE/INACTIVE, circuit CLOSED/OPEN/HALF_OPEN).
  --label T  Etiqueta de la clave nueva.
  --key ID   Con rotate: rota solo esa clave.

Las claves nuevas se muestran UNA SOLA VEZ: solo se guarda su hash SHA-256.
La base de datos es la del servidor: DATA_DIR/musica.sqlite, o DATABASE_URL si está definida
(en el entorno o en .env).
`;

export type CliIo = ProgramIo;

interface ParsedArgs {
  command: string;
  positional: string[];
  json: boolean;
  label: string | null;
  keyId: string | null;
}

class UsageError extends Error {}

/** Runs one CLI command; returns the exit code (0 ok, 1 refused, 2 bad usage). */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let args: ParsedArgs;
  try {
    args = parseArgs(argv);
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (args.command === 'help') {
    io.out(HELP);
    return 0;
  }
  let config: AppConfig;
  try {
    config = loadConfig(io.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.err(`${describeConfigError(error, io.fromEnvFile)}\n`);
    return 2;
  }
  const db = await openDatabase(config);
  try {
    await migrate(db, AUTH_MIGRATIONS);
    const auth = new AuthService(db, createLogger('silent'));
    await execute(args, auth, io, config);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`${error.message}\n\n${HELP}`);
      return 2;
    }
    if (error instanceof ApiError) {
      // The CLI speaks to the owner, in Spanish.
      const message = textIn(error.text, 'es');
      if (args.json) io.out(`${JSON.stringify({ error: { code: error.extensions.code, message } })}\n`);
      else io.err(`Error: ${message}\n`);
      return 1;
    }
    throw error;
  } finally {
    await db.close();
  }
}

async function execute(args: ParsedArgs, auth: AuthService, io: CliIo, config: AppConfig): Promise<void> {
  const [first, second] = args.positional;
  switch (args.command) {
    case 'list':
      return list(auth, io, args.json, await configuredSources(config, io.env));
    case 'usage':
      return usage(auth, io, args.json);
    case 'create': {
      const { scope, readOnly } = scopeArg(first);
      return printIssued(await auth.createKey(scope, args.label, { readOnly }), io, args.json);
    }
    case 'rotate': {
      const { scope, readOnly } = scopeArg(first);
      return printIssued(await auth.rotateKey(scope, args.keyId, { readOnly }), io, args.json);
    }
    case 'revoke': {
      if (!first) throw new UsageError('Falta el id de la clave (revoke <idClave>).');
      const key = await auth.revokeKey(first);
      if (args.json) io.out(`${JSON.stringify({ apiKey: keyJson(key, new Map()) })}\n`);
      else io.out(`Clave ${key.id} (${key.prefix}…) revocada el ${key.revokedAt}.\n`);
      return;
    }
    case 'status': {
      const status = second?.toLowerCase();
      if (!first || (status !== 'active' && status !== 'inactive')) {
        throw new UsageError('Uso: status <fuente> active|inactive');
      }
      const source = await auth.setSourceStatus(first, status);
      if (args.json) io.out(`${JSON.stringify({ source: { ...source, status: statusEnum(source.status) } })}\n`);
      else io.out(`${source.name} (${source.id}) ahora está ${source.status === 'active' ? 'activa' : 'inactiva'}.\n`);
      return;
    }
    default:
      throw new UsageError(`Orden desconocida: ${args.command}`);
  }
}

function scopeArg(value: string | undefined): { scope: string; readOnly: boolean } {
  if (!value) throw new UsageError('Falta la fuente (o "admin", o "readonly").');
  if (value === 'admin') return { scope: ADMIN_SCOPE, readOnly: false };
  if (value === 'readonly') return { scope: ADMIN_SCOPE, readOnly: true };
  return { scope: value, readOnly: false };
}

/**
 * Which sources have their credentials in this environment (the server's, when the CLI runs
 * beside it with the same `.env`). Loaded only for `list`: building the providers imports
 * every source's code.
 */
async function configuredSources(config: AppConfig, env: Readonly<Record<string, string | undefined>>): Promise<Map<string, { configured: boolean; credentials: readonly string[] }>> {
  const [{ createProviders }, { createMemoryCache }] = await Promise.all([import('../compose.js'), import('../cache/store.js')]);
  const providers = createProviders({ config, env, logger: createLogger('silent'), cache: createMemoryCache() });
  return new Map(providers.all().map((provider) => [provider.id, { configured: provider.configured, credentials: provider.credentials }]));
}

/** GraphQL's spellings of the enums, so the panel reads the CLI's JSON and the API alike. */
function statusEnum(status: SourceStatus): 'ACTIVE' | 'INACTIVE' {
  return status === 'inactive' ? 'INACTIVE' : 'ACTIVE';
}

const CIRCUIT_ENUM = { closed: 'CLOSED', open: 'OPEN', 'half-open': 'HALF_OPEN' } as const;
const CIRCUIT_TEXT = { closed: 'circuito cerrado (responde)', open: 'circuito ABIERTO (se salta por fallos seguidos)', 'half-open': 'circuito medio abierto (probando de nuevo)' } as const;

function healthJson(health: ReportedHealth | undefined) {
  if (!health) return null;
  return {
    circuit: CIRCUIT_ENUM[health.circuit] ?? 'CLOSED',
    lastError: health.lastError,
    recentLatencyMs: health.recentLatencyMs,
    successes: health.successes,
    failures: health.failures,
    reportedAt: health.reportedAt,
  };
}

async function list(
  auth: AuthService,
  io: CliIo,
  json: boolean,
  configured: ReadonlyMap<string, { configured: boolean; credentials: readonly string[] }>,
): Promise<void> {
  const [sources, keys, byScope, byKey, health] = await Promise.all([
    auth.listSources(),
    auth.listKeys(),
    auth.usageByScope(),
    auth.usageByKey(),
    auth.reportedHealth(),
  ]);
  const keysOf = (scope: string) => keys.filter((key) => key.scope === scope).map((key) => keyJson(key, byKey));
  if (json) {
    const payload = {
      sources: sources.map((source) => sourceJson(source, keys, byScope, keysOf(source.id), configured, health)),
      adminKeys: keysOf(ADMIN_SCOPE),
    };
    io.out(`${JSON.stringify(payload, null, 2)}\n`);
    return;
  }
  if (sources.length === 0) {
    io.out('Aún no hay fuentes registradas: arranca el servidor una vez (npm start) para registrarlas y emitir sus claves.\n');
    return;
  }
  for (const source of sources) {
    const figures = byScope.get(source.id) ?? zero();
    const setup = configured.get(source.id);
    io.out(
      [
        `${source.name} (${source.id}) — ${source.status === 'active' ? 'ACTIVA' : 'INACTIVA'}${source.unlimited ? ', uso ilimitado' : ''}`,
        `  configurada: ${setup === undefined ? 'fuente desconocida en este código' : setup.configured ? 'sí' : `no (falta ${setup.credentials.join(', ')})`}`,
        `  salud: ${healthLine(health.get(source.id))}`,
        `  endpoints: ${source.endpoints.join(', ') || '—'}`,
        `  uso: ${figures.requestsToday} hoy, ${figures.requestsTotal} en total`,
        ...keyLines(keys.filter((key) => key.scope === source.id)),
        '',
      ].join('\n'),
    );
  }
  io.out(['Administración', ...keyLines(keys.filter((key) => key.scope === ADMIN_SCOPE)), ''].join('\n'));
}

function sourceJson(
  source: SourceRecord,
  keys: readonly ApiKeyRecord[],
  byScope: ReadonlyMap<string, UsageFigures>,
  sourceKeys: ReturnType<typeof keyJson>[],
  configured: ReadonlyMap<string, { configured: boolean }>,
  health: ReadonlyMap<string, ReportedHealth>,
) {
  return {
    id: source.id,
    name: source.name,
    description: source.description,
    endpoints: source.endpoints,
    status: statusEnum(source.status),
    unlimited: source.unlimited,
    configured: configured.get(source.id)?.configured ?? false,
    /** As last reported by a running instance (`reportedAt`); null when none has reported yet. */
    health: healthJson(health.get(source.id)),
    usage: byScope.get(source.id) ?? zero(),
    keyPrefix: keys.filter((key) => key.scope === source.id && !key.revokedAt).at(-1)?.prefix ?? null,
    keys: sourceKeys,
    createdAt: source.createdAt,
    updatedAt: source.updatedAt,
  };
}

function healthLine(health: ReportedHealth | undefined): string {
  if (!health) return 'sin datos (ningún servidor en marcha la ha informado aún)';
  const parts = [CIRCUIT_TEXT[health.circuit] ?? health.circuit, `${health.successes} respuestas, ${health.failures} fallos`];
  if (health.recentLatencyMs !== null) parts.push(`latencia típica ${health.recentLatencyMs} ms`);
  if (health.lastError) parts.push(`último fallo ${health.lastError.kind} el ${health.lastError.at}`);
  return `${parts.join(', ')} (informe de ${health.reportedAt})`;
}

function keyLines(keys: readonly ApiKeyRecord[]): string[] {
  if (keys.length === 0) return ['  (sin claves)'];
  return keys.map((key) => {
    const state = key.revokedAt ? `revocada ${key.revokedAt}${key.replacedBy ? ` → ${key.replacedBy}` : ''}` : 'activa';
    const kind = key.readOnly ? '  solo lectura' : '';
    return `  clave ${key.id}  ${key.prefix}…  «${key.label}»${kind}  ${state}  último uso: ${key.lastUsedAt ?? 'nunca'}`;
  });
}

async function usage(auth: AuthService, io: CliIo, json: boolean): Promise<void> {
  const [sources, keys, byScope, byKey] = await Promise.all([auth.listSources(), auth.listKeys(), auth.usageByScope(), auth.usageByKey()]);
  const scopes = [...sources.map((source) => source.id), ADMIN_SCOPE];
  if (json) {
    io.out(
      `${JSON.stringify(
        {
          sources: scopes.map((scope) => ({ scope, ...(byScope.get(scope) ?? zero()) })),
          keys: keys.map((key) => ({ id: key.id, scope: key.scope, prefix: key.prefix, label: key.label, ...(byKey.get(key.id) ?? zero()) })),
        },
        null,
        2,
      )}\n`,
    );
    return;
  }
  io.out('Fuente                 Hoy      Total\n');
  for (const scope of scopes) {
    const figures = byScope.get(scope) ?? zero();
    const name = scope === ADMIN_SCOPE ? '(administración)' : scope;
    io.out(`${name.padEnd(20)} ${String(figures.requestsToday).padStart(6)} ${String(figures.requestsTotal).padStart(10)}\n`);
  }
}

function printIssued(issued: IssuedKey, io: CliIo, json: boolean): void {
  if (json) {
    io.out(`${JSON.stringify({ key: issued.key, apiKey: keyJson(issued.apiKey, new Map()) })}\n`);
    return;
  }
  const who =
    issued.apiKey.scope !== ADMIN_SCOPE ? issued.apiKey.scope : issued.apiKey.readOnly ? 'administración de solo lectura' : 'administración';
  io.out(
    [
      `Clave nueva para ${who} (id ${issued.apiKey.id}, «${issued.apiKey.label}»):`,
      '',
      `  ${issued.key}`,
      '',
      'Se muestra UNA SOLA VEZ: guárdala ahora. Solo se almacena su hash.',
      '',
    ].join('\n'),
  );
}

/** The fields of GraphQL's `ApiKey`, in its order. */
function keyJson(key: ApiKeyRecord, byKey: ReadonlyMap<string, UsageFigures>) {
  return {
    id: key.id,
    scope: key.scope,
    readOnly: key.readOnly,
    label: key.label,
    prefix: key.prefix,
    active: !key.revokedAt,
    createdAt: key.createdAt,
    lastUsedAt: key.lastUsedAt,
    revokedAt: key.revokedAt,
    replacedBy: key.replacedBy,
    usage: byKey.get(key.id) ?? zero(),
  };
}

function zero(): UsageFigures {
  return { requestsToday: 0, requestsTotal: 0 };
}

function parseArgs(argv: readonly string[]): ParsedArgs {
  const positional: string[] = [];
  let json = false;
  let label: string | null = null;
  let keyId: string | null = null;
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index]!;
    if (arg === '--json') json = true;
    else if (arg === '--help' || arg === '-h') return { command: 'help', positional: [], json, label, keyId };
    else if (arg === '--label' || arg === '--key') {
      const value = argv[index + 1];
      if (value === undefined) throw new Error(`${arg} necesita un valor`);
      if (arg === '--label') label = value;
      else keyId = value;
      index += 1;
    } else if (arg.startsWith('--label=')) label = arg.slice('--label='.length);
    else if (arg.startsWith('--key=')) keyId = arg.slice('--key='.length);
    else if (arg.startsWith('--')) throw new Error(`Opción desconocida: ${arg}`);
    else positional.push(arg);
  }
  const [command = 'help', ...rest] = positional;
  return { command, positional: rest, json, label, keyId };
}

runAsProgram(import.meta.url, runCli);
