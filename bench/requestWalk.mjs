/**
 * Which of the gateway's own modules one request runs through: the compiled server
 * (BENCH_DIST, default ./dist) is started in this process exactly as `npm start` starts it, with
 * a real admin key in its SQLite key store; V8's precise coverage is reset once it is idle, one
 * request is sent, and every module with a function that ran since is listed.
 *
 *   npm run walk -- ['{ searchTracks(query: "we will rock you") { nodes { cover { large } downloads { format available } } } }']
 *
 * Upstreams are a loopback stand-in: every host a source declares is sent to it; MusicBrainz
 * recording searches get the recorded "We Will Rock You" answer (RECORDINGS_DIR, default
 * ../shared/recordings) and every other request a 404, so the walk is that of a catalogue hit
 * whose cover and downloads are looked for and not found. Names under a source's wildcard
 * (`*.wikipedia.org`) cannot be redirected; they do not resolve, so nothing leaves the machine.
 * Prints the modules, then `files=<n>`.
 */
import { execFileSync } from 'node:child_process';
import dns from 'node:dns';
import { existsSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import inspector from 'node:inspector/promises';
import { syncBuiltinESMExports } from 'node:module';
import { isIP } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const QUERY = process.argv[2] ?? '{ searchTracks(query: "we will rock you", first: 5) { nodes { title cover { large } downloads { format available reason } } } }';
const dist = path.resolve(process.env.BENCH_DIST ?? 'dist');
const recordings = path.resolve(process.env.RECORDINGS_DIR ?? '../shared/recordings');
const searchRecording = path.join(recordings, 'musicbrainz', 'recording-search-we-will-rock-you-arid-queen.json');
if (!existsSync(searchRecording)) {
  process.stdout.write(`skipped: no MusicBrainz recordings at ${recordings} (set RECORDINGS_DIR)\n`);
  process.exit(0);
}
const searchAnswer = readFileSync(searchRecording);

// Before any module of the gateway binds `dns.lookup`: a name that is not redirected fails as it would offline.
const realLookup = dns.lookup;
dns.lookup = (hostname, options, callback) => {
  if (isIP(hostname) || hostname === 'localhost') return realLookup(hostname, options, callback);
  const done = typeof options === 'function' ? options : callback;
  process.nextTick(done, Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname }));
};
syncBuiltinESMExports();

// Coverage starts before any module of the gateway is compiled, so each of its functions is counted.
const session = new inspector.Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.startPreciseCoverage', { callCount: true, detailed: false });

const upstream = http.createServer((req, res) => {
  const [, host, ...rest] = new URL(req.url, 'http://stand-in').pathname.split('/');
  if (host === 'musicbrainz.org' && rest.join('/') === 'ws/2/recording') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(searchAnswer);
  } else {
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"Not Found"}');
  }
});
await new Promise((resolve) => upstream.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${upstream.address().port}`;
const load = (module) => import(pathToFileURL(path.join(dist, module)).href);
const [{ createProviders }, { loadConfig }, { createMemoryCache }, { silentLogger }] = await Promise.all([
  load('compose.js'),
  load('config.js'),
  load('cache/store.js'),
  load('logger.js'),
]);
const declared = createProviders({ config: loadConfig({}), env: {}, logger: silentLogger, cache: createMemoryCache() }).all();
const hosts = [...new Set(declared.flatMap((provider) => provider.hosts))].filter((host) => !host.startsWith('*.'));

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'musica-walk-'));
const port = await new Promise((resolve) => {
  const probe = http.createServer().listen(0, '127.0.0.1', () => {
    const { port: free } = probe.address();
    probe.close(() => resolve(free));
  });
});
Object.assign(process.env, {
  DATA_DIR: dataDir,
  PORT: String(port),
  HOST: '127.0.0.1',
  LOG_LEVEL: 'silent',
  UPSTREAM_OVERRIDES: JSON.stringify(Object.fromEntries(hosts.map((host) => [host, `${base}/${host}`]))),
});
const issued = JSON.parse(execFileSync(process.execPath, [path.join(dist, 'auth/cli.js'), 'create', 'admin', '--label', 'walk', '--json'], { env: process.env, encoding: 'utf8' }));
const { key } = issued;

// The server greets the owner on stdout (its keys, its address); the bench prints only its own lines.
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = () => true;
await import(pathToFileURL(path.join(dist, 'server.js')).href);
const gateway = `http://127.0.0.1:${port}`;
for (let tries = 0; ; tries += 1) {
  const up = await fetch(`${gateway}/health`).then((response) => response.ok, () => false);
  if (up) break;
  if (tries > 100) throw new Error('the gateway did not start');
  await new Promise((resolve) => setTimeout(resolve, 50));
}
// The self warm-up request runs about 200 ms after listening; the walk is measured after it.
await new Promise((resolve) => setTimeout(resolve, 1000));
await session.post('Profiler.takePreciseCoverage');
process.stdout.write = write;

const response = await fetch(`${gateway}/graphql`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
  body: JSON.stringify({ query: QUERY }),
});
const answer = await response.json();
const { result } = await session.post('Profiler.takePreciseCoverage');

const distUrl = pathToFileURL(dist).href + '/';
const files = result
  .filter((script) => script.url.startsWith(distUrl))
  .filter((script) => script.functions.some((fn) => fn.ranges[0].count > 0))
  .map((script) => script.url.slice(distUrl.length).replace(/\.js$/, '.ts'))
  .sort();

const errors = answer.errors ? `, errors: ${answer.errors.map((error) => error.extensions?.code).join(' ')}` : '';
process.stdout.write(`request: HTTP ${response.status}${errors}\n`);
for (const file of files) process.stdout.write(`  src/${file}\n`);
process.stdout.write(`files=${files.length}\n`);

upstream.close();
rmSync(dataDir, { recursive: true, force: true });
process.exit(0);
