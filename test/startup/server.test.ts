import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The real `node dist/server.js`, as `npm start` runs it, on the embedded default (SQLite in a
 * temporary folder, no Redis, no PostgreSQL). dist/ is compiled first when it is older than
 * the sources (scripts/ensure-build.mjs), as `npm start` does.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SERVER = path.join(ROOT, 'dist', 'server.js');
/** Drivers of what is not configured here: starting must not load any of them. */
const UNCONFIGURED_MODULES = /node_modules\/(pg|pg-pool|bullmq|ioredis|@keyv\/redis|@redis\/client)\//;

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

let work: string;

function run(cwd: string, env: Record<string, string>, nodeArgs: string[] = []): Run {
  let stdout = '';
  let stderr = '';
  const child = spawn(process.execPath, [...nodeArgs, SERVER], {
    cwd,
    // Only what the test sets: no REDIS_URL or DATABASE_URL from the machine running the tests.
    env: { PATH: process.env.PATH ?? '', HOME: work, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => stdout, stderr: () => stderr, exit };
}

/** Waits until the server says it listens (or exits), then stops it the way a service manager would. */
async function startAndStop(r: Run): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    const check = () => {
      if (r.stdout().includes('Música API escuchando en')) return resolve();
      setTimeout(check, 50);
    };
    r.exit.then((code) => reject(new Error(`exited with ${code} before listening:\n${r.stderr()}`)));
    check();
  });
  r.child.kill('SIGTERM');
  expect(await r.exit).toBe(0);
  return r.stdout();
}

beforeAll(async () => {
  const build = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'ensure-build.mjs')], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`build failed:\n${build.stderr}${build.stdout}`);
  work = await mkdtemp(path.join(os.tmpdir(), 'musica-start-'));
}, 300_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe.concurrent('starting the server', () => {
  it('loads .env (the real environment winning), shows keys once, then says how to get one; loads no unused driver', async () => {
    const dir = await mkdtemp(path.join(work, 'first-'));
    await writeFile(path.join(dir, '.env'), '# Copiado de .env.example\nPUBLIC_URL=http://musica.test\nPORT=no-es-un-puerto\nLASTFM_API_KEY=\n');
    const modules = path.join(dir, 'modules.log');
    await writeFile(
      path.join(dir, 'hooks.mjs'),
      `import { appendFileSync } from 'node:fs';
let file;
export function initialize(data) { file = data.file; }
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(file, resolved.url + '\\n');
  return resolved;
}
`,
    );
    await writeFile(
      path.join(dir, 'record-modules.mjs'),
      `import { appendFileSync } from 'node:fs';
import Module, { register } from 'node:module';
const file = ${JSON.stringify(modules)};
register(new URL('./hooks.mjs', import.meta.url), { data: { file } });
// CommonJS packages requiring one another do not pass through the ESM hooks.
const load = Module._load;
Module._load = function (request, parent, isMain) {
  const loaded = load.apply(this, arguments);
  try { appendFileSync(file, Module._resolveFilename(request, parent, isMain) + '\\n'); } catch {}
  return loaded;
};
`,
    );
    // The real PORT=0 wins over the file's invalid one; PUBLIC_URL comes from the file.
    const first = await startAndStop(run(dir, { PORT: '0' }, ['--import', path.join(dir, 'record-modules.mjs')]));
    expect(first).toContain('CLAVES DE API NUEVAS — se muestran UNA SOLA VEZ');
    expect(first).toMatch(/mk_admin_[A-Za-z0-9_-]{54}/);
    expect(first).toContain('Música API escuchando en http://musica.test');
    expect(first).toContain('variables tomadas de .env');
    expect(first).not.toContain('ya existen');

    const loaded = await readFile(modules, 'utf8');
    // The record works: the embedded default's own drivers are in it.
    expect(loaded).toMatch(/node_modules\/sqlite3\//);
    expect(loaded).toMatch(/node_modules\/@keyv\/sqlite\//);
    expect(loaded.split('\n').filter((line) => UNCONFIGURED_MODULES.test(line))).toEqual([]);

    const second = await startAndStop(run(dir, { PORT: '0' }));
    expect(second).not.toContain('CLAVES DE API NUEVAS');
    expect(second).not.toMatch(/mk_admin_/);
    expect(second).toContain('ya existen');
    expect(second).toContain('npm run keys -- create admin');
  });

  it('refuses an invalid value from .env in Spanish, saying it came from the file', async () => {
    const dir = await mkdtemp(path.join(work, 'bad-env-'));
    await writeFile(path.join(dir, '.env'), 'PORT=no-es-un-puerto\n');
    // PORT is not set in the real environment here, so the file's value is the one validated.
    const child = spawnSync(process.execPath, [SERVER], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', HOME: work, LOG_LEVEL: 'silent' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(child.status).toBe(2);
    expect(child.stderr).toBe('Configuración no válida: PORT debe ser un número entre 0 y 65535 (se recibió "no-es-un-puerto") (valor tomado de .env)\n');
    expect(child.stdout).not.toContain('escuchando');
  });

  it('says in Spanish that the port is taken and how to choose another, and exits non-zero', async () => {
    const busy: Server = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as AddressInfo).port;
    try {
      const dir = await mkdtemp(path.join(work, 'busy-'));
      const r = run(dir, { PORT: String(port) });
      const code = await r.exit;
      expect(code).not.toBe(0);
      expect(code).not.toBeNull();
      expect(r.stderr()).toContain(`el puerto ${port} ya está en uso en 127.0.0.1`);
      expect(r.stderr()).toContain(`PORT=${port + 1} npm start`);
      expect(r.stdout()).not.toContain('escuchando');
    } finally {
      busy.close();
    }
  });
});
