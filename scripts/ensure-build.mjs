#!/usr/bin/env node
// Compiles TypeScript only when dist/ is older than the sources, so `npm start` and
// `npm run keys` answer in about a second when nothing changed (a full `tsc` takes 12–45 s).
//
//   node scripts/ensure-build.mjs           compile if needed
//   node scripts/ensure-build.mjs --force   always compile (npm run build)
//   node scripts/ensure-build.mjs --check   exit 0 when current, 1 when a build is needed
//
// "Current" means: the stamp written after the last successful build is newer than every file
// under src/ and than tsconfig.json, package.json and package-lock.json. The stamp is written
// only when tsc succeeds, so a failed build is retried on the next call instead of being
// mistaken for a current one. Messages go to stderr: stdout stays clean for `--json` output.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const STAMP = path.join(root, 'dist', '.build-stamp');
const INPUTS = ['src', 'tsconfig.json', 'package.json', 'package-lock.json'];
/** Files every command needs; a missing one means dist/ was cleaned by hand. */
const ENTRY_POINTS = ['dist/server.js', 'dist/auth/cli.js'];

/**
 * Newest modification time (ms) of a file, or of the TypeScript files and folders under a folder
 * (a folder's own time moves when a file in it is added or deleted). The pages under
 * src/web/static are served as they are, never compiled, so editing them needs no build.
 */
export function newestMtime(target) {
  if (!existsSync(target)) return 0;
  const stats = statSync(target);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = stats.mtimeMs;
  for (const entry of readdirSync(target, { withFileTypes: true })) {
    const child = path.join(target, entry.name);
    if (entry.isDirectory()) {
      if (child.endsWith(path.join('web', 'static'))) continue;
      newest = Math.max(newest, newestMtime(child));
    } else if (/\.tsx?$/.test(entry.name)) {
      newest = Math.max(newest, statSync(child).mtimeMs);
    }
  }
  return newest;
}

/** Why a build is needed, or null when dist/ is current. */
export function staleReason(base = root) {
  const stamp = path.join(base, 'dist', '.build-stamp');
  if (!existsSync(stamp)) return 'no hay compilación previa';
  if (ENTRY_POINTS.some((file) => !existsSync(path.join(base, file)))) return 'faltan archivos en dist/';
  const built = statSync(stamp).mtimeMs;
  const changed = INPUTS.find((input) => newestMtime(path.join(base, input)) > built);
  return changed ? `${changed} cambió desde la última compilación` : null;
}

function build(reason) {
  process.stderr.write(`Compilando TypeScript (${reason})…\n`);
  // The stamp gets the time the build started: a file saved while tsc runs still counts as newer.
  const startedAt = new Date();
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.json')], { stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write('La compilación de TypeScript falló: corrige los errores de arriba y vuelve a intentarlo.\n');
    process.exit(result.status ?? 1);
  }
  mkdirSync(path.dirname(STAMP), { recursive: true });
  writeFileSync(STAMP, `${startedAt.toISOString()}\n`);
  utimesSync(STAMP, startedAt, startedAt);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = new Set(process.argv.slice(2));
  const reason = args.has('--force') ? 'compilación pedida' : staleReason();
  if (args.has('--check')) process.exit(reason ? 1 : 0);
  if (reason) build(reason);
}
