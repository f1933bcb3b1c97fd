#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/index.js';
import { migrate } from '../db/migrate.js';
import { ApiError } from '../errors/api.js';
import { createLogger } from '../logger.js';
import type { IssuedKey } from './issue.js';
import { AUTH_MIGRATIONS } from './migrations.js';
import type { ApiKeyRecord, UsageFigures } from './repository.js';
import { AuthService } from './service.js';
import { ADMIN_SCOPE } from './types.js';

const HELP = `Música API — claves y fuentes

Uso: npm run keys -- <orden> [argumentos] [--json]

Órdenes:
  list                               Fuentes con estado, endpoints, claves y uso; claves de administración.
  create <fuente|admin> [--label T]  Emite una clave más para la fuente (o de administración).
  rotate <fuente|admin> [--key ID]   Sustituye las claves activas (o solo la clave ID) por una nueva.
                                     Las anteriores dejan de funcionar en el acto.
  revoke <idClave>                   Revoca una clave (no la última de administración).
  status <fuente> active|inactive    Activa o desactiva una fuente.
  usage                              Peticiones de hoy (UTC) y totales, por fuente y por clave.
  help                               Esta ayuda.

Opciones:
  --json     Salida JSON (para scripts, p. ej. el panel).
  --label T  Etiqueta de la clave nueva.
  --key ID   Con rotate: rota solo esa clave.

Las claves nuevas se muestran UNA SOLA VEZ: solo se guarda su hash SHA-256.
La base de datos es la del servidor: DATA_DIR/musica.sqlite, o DATABASE_URL si está definida.
`;

export interface CliIo {
  env: Readonly<Record<string, string | undefined>>;
  out: (text: string) => void;
  err: (text: string) => void;
}

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
  const config = loadConfig(io.env);
  const db = await openDatabase(config);
  try {
    await migrate(db, AUTH_MIGRATIONS);
    const auth = new AuthService(db, createLogger('silent'));
    await execute(args, auth, io);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`${error.message}\n\n${HELP}`);
      return 2;
    }
    if (error instanceof ApiError) {
      if (args.json) io.out(`${JSON.stringify({ error: { code: error.extensions.code, message: error.message } })}\n`);
      else io.err(`Error: ${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    await db.close();
  }
}

async function execute(args: ParsedArgs, auth: AuthService, io: CliIo): Promise<void> {
  const [first, second] = args.positional;
  switch (args.command) {
    case 'list':
      return list(auth, io, args.json);
    case 'usage':
      return usage(auth, io, args.json);
    case 'create':
      return printIssued(await auth.createKey(scopeArg(first), args.label), io, args.json);
    case 'rotate':
      return printIssued(await auth.rotateKey(scopeArg(first), args.keyId), io, args.json);
    case 'revoke': {
      if (!first) throw new UsageError('Falta el id de la clave (revoke <idClave>).');
      const key = await auth.revokeKey(first);
      if (args.json) io.out(`${JSON.stringify({ apiKey: key })}\n`);
      else io.out(`Clave ${key.id} (${key.prefix}…) revocada el ${key.revokedAt}.\n`);
      return;
    }
    case 'status': {
      if (!first || (second !== 'active' && second !== 'inactive')) {
        throw new UsageError('Uso: status <fuente> active|inactive');
      }
      const source = await auth.setSourceStatus(first, second);
      if (args.json) io.out(`${JSON.stringify({ source })}\n`);
      else io.out(`${source.name} (${source.id}) ahora está ${source.status === 'active' ? 'activa' : 'inactiva'}.\n`);
      return;
    }
    default:
      throw new UsageError(`Orden desconocida: ${args.command}`);
  }
}

function scopeArg(value: string | undefined): string {
  if (!value) throw new UsageError('Falta la fuente (o "admin").');
  return value === 'admin' ? ADMIN_SCOPE : value;
}

async function list(auth: AuthService, io: CliIo, json: boolean): Promise<void> {
  const [sources, keys, byScope, byKey] = await Promise.all([auth.listSources(), auth.listKeys(), auth.usageByScope(), auth.usageByKey()]);
  const keysOf = (scope: string) => keys.filter((key) => key.scope === scope).map((key) => keyJson(key, byKey));
  if (json) {
    const payload = {
      sources: sources.map((source) => ({
        ...source,
        usage: byScope.get(source.id) ?? zero(),
        keyPrefix: keys.filter((key) => key.scope === source.id && !key.revokedAt).at(-1)?.prefix ?? null,
        keys: keysOf(source.id),
      })),
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
    io.out(
      [
        `${source.name} (${source.id}) — ${source.status === 'active' ? 'ACTIVA' : 'INACTIVA'}${source.unlimited ? ', uso ilimitado' : ''}`,
        `  endpoints: ${source.endpoints.join(', ') || '—'}`,
        `  uso: ${figures.requestsToday} hoy, ${figures.requestsTotal} en total`,
        ...keyLines(keys.filter((key) => key.scope === source.id)),
        '',
      ].join('\n'),
    );
  }
  io.out(['Administración', ...keyLines(keys.filter((key) => key.scope === ADMIN_SCOPE)), ''].join('\n'));
}

function keyLines(keys: readonly ApiKeyRecord[]): string[] {
  if (keys.length === 0) return ['  (sin claves)'];
  return keys.map((key) => {
    const state = key.revokedAt ? `revocada ${key.revokedAt}${key.replacedBy ? ` → ${key.replacedBy}` : ''}` : 'activa';
    return `  clave ${key.id}  ${key.prefix}…  «${key.label}»  ${state}  último uso: ${key.lastUsedAt ?? 'nunca'}`;
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
    io.out(`${JSON.stringify({ key: issued.key, apiKey: issued.apiKey })}\n`);
    return;
  }
  const who = issued.apiKey.scope === ADMIN_SCOPE ? 'administración' : issued.apiKey.scope;
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

function keyJson(key: ApiKeyRecord, byKey: ReadonlyMap<string, UsageFigures>) {
  return { ...key, active: !key.revokedAt, usage: byKey.get(key.id) ?? zero() };
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

function isEntryPoint(): boolean {
  if (!process.argv[1]) return false;
  try {
    return realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  runCli(process.argv.slice(2), {
    env: process.env,
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`Error inesperado: ${(error as Error).message}\n`);
      process.exitCode = 1;
    },
  );
}
