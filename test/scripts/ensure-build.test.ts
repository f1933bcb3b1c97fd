import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * scripts/ensure-build.mjs on a project of its own (two TypeScript files, the real compiler):
 * it compiles when dist/ is missing or older than a source, and only then. File times are set
 * by hand; nothing waits.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const project = mkdtempSync(path.join(os.tmpdir(), 'musica-build-'));
afterAll(() => rmSync(project, { recursive: true, force: true }));

function write(file: string, text: string): void {
  mkdirSync(path.dirname(path.join(project, file)), { recursive: true });
  writeFileSync(path.join(project, file), text);
}

/** Sets a file's modification time to `seconds` ago. */
function age(file: string, seconds: number): void {
  const at = new Date(Date.now() - seconds * 1000);
  utimesSync(path.join(project, file), at, at);
}

/** Pretends the last build happened ten minutes ago, after every source file was written. */
function settle(): void {
  for (const file of ['tsconfig.json', 'package.json', 'src/globals.d.ts', 'src/server.ts', 'src/auth/cli.ts', 'src/web/static/admin.js', 'src/auth', 'src/web/static', 'src/web', 'src']) {
    age(file, 3600);
  }
  age('dist/.build-stamp', 600);
}

function ensureBuild(...args: string[]) {
  const result = spawnSync(process.execPath, [path.join(project, 'scripts', 'ensure-build.mjs'), ...args], { encoding: 'utf8' });
  return { code: result.status, stderr: result.stderr };
}

describe('ensure-build', () => {
  it('compiles only when the sources are newer than the last successful build', () => {
    write('scripts/.keep', '');
    copyFileSync(path.join(ROOT, 'scripts', 'ensure-build.mjs'), path.join(project, 'scripts', 'ensure-build.mjs'));
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(project, 'node_modules'));
    // No standard library: a few global declarations are enough here, and tsc starts in a moment.
    write(
      'tsconfig.json',
      JSON.stringify({
        compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', outDir: 'dist', rootDir: 'src', strict: true, types: [], noLib: true },
        include: ['src'],
      }),
    );
    write(
      'src/globals.d.ts',
      ['Array<T> { length: number }', 'Boolean {}', 'CallableFunction {}', 'Function {}', 'IArguments {}', 'NewableFunction {}', 'Number {}', 'Object {}', 'RegExp {}', 'String {}']
        .map((body) => `interface ${body}`)
        .join('\n'),
    );
    write('package.json', '{"type":"module"}');
    write('src/server.ts', 'export const port: number = 4000;\n');
    write('src/auth/cli.ts', 'export const name: string = "keys";\n');
    write('src/web/static/admin.js', 'console.log("served as is");\n');

    expect(ensureBuild('--check').code).toBe(1);
    const first = ensureBuild();
    expect(first.code).toBe(0);
    expect(first.stderr).toContain('Compilando TypeScript (no hay compilación previa)');
    expect(existsSync(path.join(project, 'dist', 'server.js'))).toBe(true);

    settle();
    const again = ensureBuild();
    expect(again).toEqual({ code: 0, stderr: '' });
    expect(ensureBuild('--check').code).toBe(0);

    // A served page is not compiled: editing it needs no build.
    age('src/web/static/admin.js', 60);
    expect(ensureBuild('--check').code).toBe(0);

    age('src/auth/cli.ts', 60);
    expect(ensureBuild('--check').code).toBe(1);
    expect(ensureBuild().stderr).toContain('src cambió desde la última compilación');
    expect(ensureBuild('--check').code).toBe(0);

    // A failed build is not taken for a current one.
    settle();
    write('src/server.ts', 'export const port: number = "cuatro mil";\n');
    const failed = ensureBuild();
    expect(failed.code).not.toBe(0);
    expect(failed.stderr).toContain('La compilación de TypeScript falló');
    expect(ensureBuild('--check').code).toBe(1);

    // Output deleted by hand is rebuilt even when the sources did not change.
    write('src/server.ts', 'export const port: number = 4000;\n');
    settle();
    expect(ensureBuild('--check').code).toBe(0);
    rmSync(path.join(project, 'dist', 'auth', 'cli.js'));
    expect(ensureBuild('--check').code).toBe(1);
  }, 180_000);
});
