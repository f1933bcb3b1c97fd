import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadEnvFile } from './config.js';

/** What a command-line program gets: the environment and where to write. */
export interface ProgramIo {
  env: Readonly<Record<string, string | undefined>>;
  out: (text: string) => void;
  err: (text: string) => void;
  /** Variables that came from `.env`, to say so when one is invalid. */
  fromEnvFile?: readonly string[];
}

/** Adds `.env` to `process.env` (see `loadEnvFile`); a file that cannot be read ends the process with code 2. */
export function loadEnvFileOrExit(): string[] {
  try {
    return loadEnvFile(process.env);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(2);
  }
}

/**
 * Runs `run` with the process' arguments, environment and streams when `moduleUrl` is the
 * program Node started (not when a test imports it); what `run` returns is the exit code.
 */
export function runAsProgram(moduleUrl: string, run: (argv: readonly string[], io: ProgramIo) => Promise<number>): void {
  if (!isProgram(moduleUrl)) return;
  const fromEnvFile = loadEnvFileOrExit();
  run(process.argv.slice(2), {
    env: process.env,
    fromEnvFile,
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

function isProgram(moduleUrl: string): boolean {
  if (!process.argv[1]) return false;
  try {
    return realpathSync(process.argv[1]) === realpathSync(fileURLToPath(moduleUrl));
  } catch {
    return false;
  }
}
