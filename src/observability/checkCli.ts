#!/usr/bin/env node
import { ConfigError, describeConfigError, loadConfig } from '../config.js';
import { runAsProgram, type ProgramIo } from '../entry.js';
import { createLogger } from '../logger.js';
import type { ProviderFactory } from '../providers/types.js';
import { SourceChecker, type SourceCheckResult } from './canary.js';

const HELP = `Música API — comprobación de fuentes

Uso: npm run sources:check -- [fuente…] [--json]

Envía ahora a cada fuente (o solo a las nombradas) una consulta real y conocida, sin pasar por
la caché, y dice si respondió (OK) o no (FALLO), cuánto tardó y por qué falló. Así se sabe si
una fuente o un scraper dejó de funcionar. Las fuentes sin configurar no se consultan.

Opciones:
  --json   Salida JSON con los mismos campos que checkSource en GraphQL.

Sale con 0 si todas las fuentes comprobadas respondieron, 1 si alguna falló y 2 ante un uso
incorrecto. Usa la configuración del servidor (entorno y .env): credenciales, tiempos de espera,
reintentos y UPSTREAM_OVERRIDES.
`;

export interface CheckCliIo extends ProgramIo {
  /** Sources to build (tests); every registered provider by default. */
  factories?: readonly ProviderFactory[];
}

/** Runs the checks; returns the exit code (0 all answered, 1 some failed, 2 bad usage). */
export async function runCheckCli(argv: readonly string[], io: CheckCliIo): Promise<number> {
  const wanted: string[] = [];
  let json = false;
  for (const arg of argv) {
    if (arg === '--json') json = true;
    else if (arg === '--help' || arg === '-h' || arg === 'help') {
      io.out(HELP);
      return 0;
    } else if (arg.startsWith('-')) {
      io.err(`Opción desconocida: ${arg}\n\n${HELP}`);
      return 2;
    } else wanted.push(arg);
  }
  let checker: SourceChecker;
  try {
    const config = loadConfig(io.env);
    checker = new SourceChecker({ config, env: io.env, logger: createLogger('silent'), factories: io.factories });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.err(`${describeConfigError(error, io.fromEnvFile)}\n`);
    return 2;
  }
  const known = checker.sourceIds();
  const unknown = wanted.filter((id) => !known.includes(id));
  if (unknown.length) {
    io.err(`Fuente desconocida: ${unknown.join(', ')}. Fuentes: ${known.join(', ')}.\n`);
    return 2;
  }
  if (!json) io.out(`Comprobando ${wanted.length || known.length} fuentes con una consulta real cada una (sin caché)…\n\n`);
  const results = await checker.checkAll(wanted.length ? wanted : undefined);
  if (json) io.out(`${JSON.stringify({ results }, null, 2)}\n`);
  else io.out(table(results));
  return results.some((result) => !result.ok && result.errorKind !== 'UNCONFIGURED') ? 1 : 0;
}

function table(results: readonly SourceCheckResult[]): string {
  const rows = results.map((result) => [
    result.sourceId,
    result.ok ? 'OK' : result.errorKind === 'UNCONFIGURED' ? 'SIN CONFIGURAR' : 'FALLO',
    result.latencyMs === null ? '—' : `${result.latencyMs} ms`,
    result.errorKind ?? '',
    result.probe,
  ]);
  const header = ['FUENTE', 'RESULTADO', 'LATENCIA', 'ERROR', 'CONSULTA'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === 2 ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd();
  const details = results
    .filter((result) => result.message && result.errorKind !== 'UNCONFIGURED')
    .map((result) => `  ${result.sourceId}: ${result.message}`);
  const unconfigured = results.filter((result) => result.errorKind === 'UNCONFIGURED').map((result) => `  ${result.sourceId}: ${result.message}`);
  const failed = results.filter((result) => !result.ok && result.errorKind !== 'UNCONFIGURED').length;
  const checked = results.filter((result) => result.errorKind !== 'UNCONFIGURED').length;
  return [
    line(header),
    ...rows.map(line),
    '',
    ...(details.length ? ['Fallos:', ...details, ''] : []),
    ...(unconfigured.length ? ['Sin configurar (no se consultaron):', ...unconfigured, ''] : []),
    failed ? `${failed} de ${checked} fuentes comprobadas fallaron.` : `Las ${checked} fuentes comprobadas respondieron.`,
    '',
  ].join('\n');
}

runAsProgram(import.meta.url, runCheckCli);
