// Runs one TypeScript module of this repository in a plain Node process, for tests that must
// kill a real process (SIGKILL) and look at what it left behind. No build step and no `dist/`:
// the sources go through the same Vite transform vitest uses, and packages are loaded by Node
// itself, as in production. The module's exported `main(args)` is called with the JSON given
// as the second argument:
//
//   node test/support/runTs.mjs test/support/crash/usageGateway.ts '{"dataDir":"/tmp/x"}'
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createViteServer } from 'vitest/node';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const [file, rawArgs = '{}'] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: node test/support/runTs.mjs <module.ts> [json]\n');
  process.exit(2);
}

const vite = await createViteServer({
  root,
  configFile: false,
  // Nothing is written next to the shared node_modules.
  cacheDir: path.join(os.tmpdir(), 'musica-runts-vite'),
  logLevel: 'error',
  appType: 'custom',
  server: { middlewareMode: true, hmr: false, ws: false, watch: null },
  optimizeDeps: { noDiscovery: true, include: [] },
});
const entry = '/' + path.relative(root, path.resolve(root, file)).split(path.sep).join('/');
const module = await vite.ssrLoadModule(entry);
if (typeof module.main !== 'function') throw new Error(`${file} exports no main(args)`);
await module.main(JSON.parse(rawArgs));
