#!/usr/bin/env node
/**
 * Side-by-side benchmark (issue 12): Música API against graphbrainz, the MusicBrainz-over-GraphQL
 * anchor, and against a bare Apollo + express server with the same schema shape and static data.
 *
 *   npm run bench:peer      (or: npm run build && node bench/peer.mjs)
 *
 * Every server runs in its own process: the gateway as shipped (`node dist/server.js`, embedded
 * defaults: SQLite under a temporary DATA_DIR), graphbrainz 9 from `bench/peer/` (its own
 * package.json and node_modules, installed here on first run) and the bare baseline (this file
 * with `--bare`). MusicBrainz and Cover Art Archive are one local server answering from the
 * genuine recordings (`../shared/recordings`, or RECORDINGS_DIR) after BENCH_LATENCY_MS, so both
 * gateways see the same upstream; requests no recording answers get the upstream's own "not
 * found" (MusicBrainz JSON error, the recorded Cover Art Archive 404 page).
 *
 * Figures (medians over BENCH_RUNS runs; ratios are paired within each run, then the median):
 *  1. warm artist + release groups latency, ours / graphbrainz             (target ≤ 1.0)
 *  2. warm release + tracks latency, ours / graphbrainz                    (target ≤ 1.0)
 *  3. warm 25-result search, req/s with BENCH_CONNECTIONS clients, ours / bare (target ≥ 0.6)
 *  4. `{ viewer { scope } }` req/s, ours / bare
 *  5. cold artist + release groups latency, fresh processes, MusicBrainz at ≈1 req/s in both
 *     (ours MUSICBRAINZ_RPS=BENCH_MB_RPS, graphbrainz its default 5 per 5.5 s), ours / graphbrainz
 *                                                                         (target ≤ 1.1)
 *  6. upstream calls for a cold 25-result page with artist and cover, against the distinct
 *     entities it shows (the search, plus one cover per album / release)  (target ≤ 1.0)
 *  7. `node dist/server.js`: start to first answer (target ≤ 1.2 s) and idle RSS (≤ 110 MiB)
 * The last line prints the ratios.
 *
 * Options (environment): BENCH_RUNS (5), BENCH_LATENCY_MS (40), BENCH_SAMPLES (warm requests per
 * run, 30), BENCH_LOAD_MS (load per run and server, 2000), BENCH_CONNECTIONS (10),
 * BENCH_MB_RPS (1), BENCH_DIST (./dist), BENCH_SHOW (print the first answer of each server).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..');
const PEER = path.join(HERE, 'peer');

// ---------------------------------------------------------------------------------------------
// The bench

async function main() {
  const runs = Number(process.env.BENCH_RUNS ?? 5);
  const latencyMs = Number(process.env.BENCH_LATENCY_MS ?? 40);
  const samples = Number(process.env.BENCH_SAMPLES ?? 30);
  const loadMs = Number(process.env.BENCH_LOAD_MS ?? 2000);
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
  const mbRps = process.env.BENCH_MB_RPS ?? '1';
  const dist = path.resolve(ROOT, process.env.BENCH_DIST ?? 'dist');
  const recordings = path.resolve(ROOT, process.env.RECORDINGS_DIR ?? '../shared/recordings');

  if (!existsSync(path.join(dist, 'server.js'))) {
    console.log('Compilando (npm run build)…');
    run('npm', ['run', 'build', '--silent'], ROOT);
  }
  if (!existsSync(path.join(PEER, 'node_modules', 'graphbrainz', 'package.json'))) {
    console.log('Instalando graphbrainz en bench/peer (solo la primera vez)…');
    run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], PEER);
  }
  const graphbrainzVersion = JSON.parse(readFileSync(path.join(PEER, 'node_modules', 'graphbrainz', 'package.json'), 'utf8')).version;

  const loadBefore = loadavg()[0];
  const upstream = await startReplay(recordings, latencyMs);
  const temp = await mkdtemp(path.join(tmpdir(), 'musica-peer-'));
  const children = new Set();
  const cleanup = async () => {
    for (const child of children) child.kill('SIGKILL');
    await upstream.close();
    await rm(temp, { recursive: true, force: true });
  };
  process.once('SIGINT', () => void cleanup().then(() => process.exit(130)));

  let dataDirs = 0;
  const freshDataDir = () => path.join(temp, `data-${dataDirs++}`);
  const oursEnv = (extra = {}) => ({
    DATA_DIR: freshDataDir(),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
    UPSTREAM_OVERRIDES: JSON.stringify(upstream.overrides),
    UPSTREAM_RETRIES: '0',
    MUSICBRAINZ_RPS: mbRps,
    // Only the two replayed sources: nothing may reach the network.
    CHAIN_SEARCH_TRACKS: 'musicbrainz',
    CHAIN_SEARCH_ALBUMS: 'musicbrainz',
    CHAIN_SEARCH_ARTISTS: 'musicbrainz',
    CHAIN_CHART: '',
    CHAIN_CHART_GLOBAL: '',
    CHAIN_LYRICS: '',
    CHAIN_COVER_ART: 'coverartarchive',
    CHAIN_ARTIST_BIOGRAPHY: '',
    CHAIN_ARTIST_IMAGE: '',
    ...extra,
  });
  const startOurs = (extra) => startOursServer(dist, oursEnv(extra), children);
  const startGraphbrainz = () =>
    startChild('graphbrainz', process.execPath, [path.join(PEER, 'graphbrainz.mjs')], PEER, {
      NODE_ENV: 'production',
      MUSICBRAINZ_BASE_URL: `${upstream.overrides['musicbrainz.org']}/ws/2/`,
      COVER_ART_ARCHIVE_BASE_URL: `${upstream.overrides['coverartarchive.org']}/`,
      GB_LIMIT: '5',
      GB_PERIOD: '5500',
    }, children);

  try {
    // Warm servers shared by figures 1–4.
    const ours = await startOurs();
    const graphbrainz = await startGraphbrainz();
    for (const [name, server, query] of [
      ['nuestro artista', ours, Q.ours.artist],
      ['nuestro lanzamiento', ours, Q.ours.release],
      ['nuestra búsqueda', ours, Q.ours.search],
      ['graphbrainz artista', graphbrainz, Q.graphbrainz.artist],
      ['graphbrainz lanzamiento', graphbrainz, Q.graphbrainz.release],
    ]) {
      const body = await server.query(query);
      if (body.errors?.length) throw new Error(`${name}: ${JSON.stringify(body.errors).slice(0, 600)}`);
      if (process.env.BENCH_SHOW) console.log(`${name}: ${JSON.stringify(body.data).slice(0, 400)}`);
    }
    const searchAnswer = await ours.query(Q.ours.search);
    const viewerAnswer = await ours.query(Q.ours.viewer);
    const bareData = path.join(temp, 'bare.json');
    writeFileSync(bareData, JSON.stringify({ search: searchAnswer.data.searchTracks, viewer: viewerAnswer.data.viewer }));
    const bare = await startChild('bare', process.execPath, [fileURLToPath(import.meta.url), '--bare'], ROOT, { NODE_ENV: 'production', BARE_DATA: bareData }, children);
    const bareCheck = await bare.query(Q.ours.search);
    if (JSON.stringify(bareCheck.data) !== JSON.stringify(searchAnswer.data)) throw new Error('la base desnuda no responde lo mismo que la pasarela');

    const figures = { artist: [], release: [], search: [], viewer: [], cold: [] };
    const raw = { artist: [], release: [], search: [], viewer: [], cold: [] };
    for (let runIndex = 0; runIndex < runs; runIndex += 1) {
      const ourArtist = await latency(ours, Q.ours.artist, samples);
      const theirArtist = await latency(graphbrainz, Q.graphbrainz.artist, samples);
      const ourRelease = await latency(ours, Q.ours.release, samples);
      const theirRelease = await latency(graphbrainz, Q.graphbrainz.release, samples);
      // Alternate who goes first, so drift on a shared machine does not favour one side.
      const order = runIndex % 2 === 0 ? [ours, bare] : [bare, ours];
      const searchRate = new Map();
      const viewerRate = new Map();
      for (const server of order) searchRate.set(server, await throughput(server, Q.ours.search, loadMs, connections));
      for (const server of order) viewerRate.set(server, await throughput(server, Q.ours.viewer, loadMs, connections));
      raw.artist.push([ourArtist, theirArtist]);
      raw.release.push([ourRelease, theirRelease]);
      raw.search.push([searchRate.get(ours), searchRate.get(bare)]);
      raw.viewer.push([viewerRate.get(ours), viewerRate.get(bare)]);
      figures.artist.push(ourArtist / theirArtist);
      figures.release.push(ourRelease / theirRelease);
      figures.search.push(searchRate.get(ours) / searchRate.get(bare));
      figures.viewer.push(viewerRate.get(ours) / viewerRate.get(bare));
      process.stdout.write(`  ronda ${runIndex + 1}/${runs} en caliente hecha\n`);
    }
    await Promise.all([ours.stop(), graphbrainz.stop(), bare.stop()]);

    // 5 and 6: fresh processes, so caches and rate limiters start empty.
    const calls = [];
    for (let runIndex = 0; runIndex < runs; runIndex += 1) {
      const coldOurs = await startOurs();
      const coldTheirs = await startGraphbrainz();
      const ourCold = await timed(coldOurs, Q.ours.artist);
      const theirCold = await timed(coldTheirs, Q.graphbrainz.artist);
      raw.cold.push([ourCold, theirCold]);
      figures.cold.push(ourCold / theirCold);
      if (runIndex === 0) {
        calls.push(await pageCalls('ours', coldOurs, Q.ours.page, upstream, (body) => distinctOfOurPage(body, recordings, dist)));
        calls.push(await pageCalls('graphbrainz', coldTheirs, Q.graphbrainz.page, upstream, (body) => distinctOfTheirPage(body)));
      }
      await Promise.all([coldOurs.stop(), coldTheirs.stop()]);
      process.stdout.write(`  ronda ${runIndex + 1}/${runs} en frío hecha\n`);
    }

    // 7. Start to first answer and idle RSS of `node dist/server.js`.
    const starts = [];
    const restarts = [];
    const rss = [];
    for (let runIndex = 0; runIndex < runs; runIndex += 1) {
      const env = oursEnv();
      const first = await startupOf(dist, env, children);
      starts.push(first.ms);
      rss.push(first.rssMiB);
      restarts.push((await startupOf(dist, env, children)).ms);
    }
    const gbStart = await startupOfGraphbrainz(children, upstream);

    // Report (Spanish first, for the owner).
    const m = median;
    const pair = (list, unit, digits = 1) => `${m(list.map((p) => p[0])).toFixed(digits)} vs ${m(list.map((p) => p[1])).toFixed(digits)} ${unit}`;
    console.log('');
    console.log(`Música API frente a graphbrainz ${graphbrainzVersion} y una base Apollo + express desnuda`);
    console.log(`(${runs} rondas, latencia de las fuentes ${latencyMs} ms, medianas; cocientes emparejados por ronda)`);
    // Absolute figures (ms, req/s, start time) move with whatever else the machine runs; ratios much less.
    console.log(`Carga de la máquina: ${loadBefore.toFixed(1)} al empezar, ${loadavg()[0].toFixed(1)} al acabar, ${availableParallelism()} núcleos`);
    console.log(`1. artista + grupos, en caliente:   ${pair(raw.artist, 'ms')} (nosotros vs graphbrainz) → ${m(figures.artist).toFixed(2)}  (objetivo ≤ 1,0)`);
    console.log(`2. lanzamiento + pistas, caliente:  ${pair(raw.release, 'ms')} → ${m(figures.release).toFixed(2)}  (objetivo ≤ 1,0)`);
    console.log(`3. búsqueda de 25, ${connections} conexiones:  ${pair(raw.search, 'pet/s', 0)} (nosotros vs base) → ${m(figures.search).toFixed(2)}  (objetivo ≥ 0,6)`);
    console.log(`4. { viewer { scope } }:            ${pair(raw.viewer, 'pet/s', 0)} (nosotros vs base) → ${m(figures.viewer).toFixed(2)}`);
    console.log(`5. artista en frío (≈1 pet/s a MB): ${pair(raw.cold, 'ms', 0)} (nosotros vs graphbrainz) → ${m(figures.cold).toFixed(2)}  (objetivo ≤ 1,1)`);
    for (const page of calls) {
      console.log(`6. página de 25 con artista y portada, ${page.who}: ${page.calls} llamadas (${page.detail}) para ${page.distinct} entidades distintas → ${(page.calls / page.distinct).toFixed(2)}`);
    }
    console.log(`7. node dist/server.js: primera respuesta ${m(starts).toFixed(0)} ms al estrenar DATA_DIR, ${m(restarts).toFixed(0)} ms al rearrancar (objetivo ≤ 1200); RSS en reposo ${m(rss).toFixed(0)} MiB (objetivo ≤ 110)`);
    console.log(`   graphbrainz, por comparar: primera respuesta ${gbStart.ms.toFixed(0)} ms, RSS en reposo ${gbStart.rssMiB.toFixed(0)} MiB`);
    const ours6 = calls.find((page) => page.who === 'nosotros');
    console.log(
      [
        'ratios:',
        `warm_artist=${m(figures.artist).toFixed(2)}`,
        `warm_release=${m(figures.release).toFixed(2)}`,
        `search_vs_bare=${m(figures.search).toFixed(2)}`,
        `viewer_vs_bare=${m(figures.viewer).toFixed(2)}`,
        `cold_artist=${m(figures.cold).toFixed(2)}`,
        `cold_calls_per_entity=${(ours6.calls / ours6.distinct).toFixed(2)}`,
        `start_s=${(m(restarts) / 1000).toFixed(2)}`,
        `first_start_s=${(m(starts) / 1000).toFixed(2)}`,
        `idle_rss_mib=${m(rss).toFixed(0)}`,
      ].join(' '),
    );
  } finally {
    await cleanup();
  }
}

// ---------------------------------------------------------------------------------------------
// Queries: the same question asked of each server in its own schema

const ARTIST = '5b11f4ce-a62d-471e-81fc-a69a8278c7da';
const RELEASE = 'c9d52105-5c20-3216-bc1b-e54918f8f688';
const SEARCH = 'we will rock you';
const Q = {
  ours: {
    artist: `{ artist(id: "musicbrainz:artist:${ARTIST}") { name discography(first: 25) { nodes { title } } } }`,
    release: `{ album(id: "musicbrainz:release:${RELEASE}") { title tracks { title duration } } }`,
    search: `{ searchTracks(query: "${SEARCH}", first: 25) { nodes { id title artist duration } } }`,
    viewer: '{ viewer { scope } }',
    page: `{ searchTracks(query: "${SEARCH}", first: 25) { nodes { id title artist cover { small } } } }`,
  },
  graphbrainz: {
    artist: `{ lookup { artist(mbid: "${ARTIST}") { name releaseGroups(first: 25) { nodes { title } } } } }`,
    release: `{ lookup { release(mbid: "${RELEASE}") { title media { tracks { title length } } } } }`,
    page: `{ search { recordings(query: "${SEARCH}", first: 25) { nodes { id title artistCredits { name } releases(first: 1) { nodes { id coverArtArchive { front(size: SMALL) } } } } } } }`,
  },
};

// ---------------------------------------------------------------------------------------------
// Measuring

async function latency(server, query, count) {
  for (let i = 0; i < 3; i += 1) await server.query(query);
  const times = [];
  for (let i = 0; i < count; i += 1) times.push(await timed(server, query));
  return median(times);
}

async function timed(server, query) {
  const started = performance.now();
  const body = await server.query(query);
  const elapsed = performance.now() - started;
  if (body.errors?.length) throw new Error(`${server.name}: ${JSON.stringify(body.errors).slice(0, 400)}`);
  return elapsed;
}

/** Requests per second answered by `server` with `connections` clients asking back to back. */
async function throughput(server, query, durationMs, connections) {
  await server.query(query);
  let done = 0;
  const until = performance.now() + durationMs;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < until) {
        const body = await server.query(query);
        if (body.errors?.length) throw new Error(`${server.name}: ${JSON.stringify(body.errors).slice(0, 400)}`);
        done += 1;
      }
    }),
  );
  return done / ((performance.now() - started) / 1000);
}

/** Upstream requests one cold page costs, against the distinct entities it shows. */
async function pageCalls(who, server, query, upstream, distinctOf) {
  const mark = upstream.requests.length;
  const body = await server.query(query);
  // graphbrainz answers some fields after the response of others: let stragglers land.
  await new Promise((resolve) => setTimeout(resolve, 200));
  const asked = upstream.requests.slice(mark);
  const byHost = new Map();
  for (const request of asked) byHost.set(request.host, (byHost.get(request.host) ?? 0) + 1);
  const distinct = await distinctOf(body);
  return {
    who: who === 'ours' ? 'nosotros' : who,
    calls: asked.length,
    distinct: distinct.count,
    detail: [...byHost].map(([host, count]) => `${host} ${count}`).join(', ') + `; entidades: ${distinct.detail}`,
  };
}

/**
 * Our page shows each track's album cover: the search, plus one Cover Art Archive entry per
 * distinct album (release group) of the tracks shown, as the gateway's own parser reads them.
 */
async function distinctOfOurPage(body, recordings, dist) {
  const { parseRecordingSearch } = await import(pathToFileURL(path.join(dist, 'providers', 'musicbrainz', 'parse.js')).href);
  const recorded = JSON.parse(readFileSync(path.join(recordings, 'musicbrainz', 'recording-search-we-will-rock-you-arid-queen.json'), 'utf8'));
  const shown = new Set((body.data?.searchTracks?.nodes ?? []).map((node) => node.id));
  const albums = new Set(
    parseRecordingSearch(recorded, 0)
      .items.filter((track) => shown.has(track.id))
      .map((track) => track.refs?.musicbrainzReleaseGroupId ?? track.refs?.musicbrainzReleaseId)
      .filter(Boolean),
  );
  return { count: 1 + albums.size, detail: `1 búsqueda + ${albums.size} álbumes` };
}

/** graphbrainz shows the first release's cover per recording: the search plus one entry per distinct release. */
function distinctOfTheirPage(body) {
  const nodes = body.data?.search?.recordings?.nodes ?? [];
  const releases = new Set(nodes.flatMap((node) => node.releases?.nodes?.map((release) => release.id) ?? []));
  return { count: 1 + releases.size, detail: `1 búsqueda + ${releases.size} lanzamientos` };
}

async function startupOf(dist, env, children) {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [path.join(dist, 'server.js')], { cwd: ROOT, env: { ...process.env, ...env, PORT: String(port) }, stdio: 'ignore' });
  children.add(child);
  await waitForAnswer(`http://127.0.0.1:${port}/health`, child);
  const ms = performance.now() - started;
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const rssMiB = rssOf(child.pid);
  await stopChild(child, children);
  return { ms, rssMiB };
}

async function startupOfGraphbrainz(children, upstream) {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [path.join(PEER, 'graphbrainz.mjs')], {
    cwd: PEER,
    env: { ...process.env, NODE_ENV: 'production', PORT: String(port), MUSICBRAINZ_BASE_URL: `${upstream.overrides['musicbrainz.org']}/ws/2/` },
    stdio: 'ignore',
  });
  children.add(child);
  const url = `http://127.0.0.1:${port}/`;
  await waitForAnswer(url, child, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });
  const ms = performance.now() - started;
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const rssMiB = rssOf(child.pid);
  await stopChild(child, children);
  return { ms, rssMiB };
}

async function waitForAnswer(url, child, init) {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`el proceso terminó con código ${child.exitCode} antes de responder`);
    try {
      const response = await fetch(url, init);
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function rssOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)[1]) / 1024;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

// ---------------------------------------------------------------------------------------------
// Processes

/** `node dist/server.js`; resolves once it listens, with the admin key it printed on first start. */
async function startOursServer(dist, env, children) {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(dist, 'server.js')], { cwd: ROOT, env: { ...process.env, ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  const output = await waitForLine(child, /escuchando en/);
  const key = /ADMIN[^\n]*\n\s+id: [^\n]+\n\s+(\S+)/.exec(output)?.[1];
  if (!key) throw new Error(`no se vio la clave de administración al arrancar:\n${output}`);
  return client('nosotros', `http://127.0.0.1:${port}/graphql`, { authorization: `Bearer ${key}` }, child, children);
}

async function startChild(name, command, args, cwd, env, children) {
  const port = await freePort();
  const child = spawn(command, args, { cwd, env: { ...process.env, ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  await waitForLine(child, /listening \d+/);
  return client(name, `http://127.0.0.1:${port}/`, {}, child, children);
}

function client(name, url, headers, child, children) {
  return {
    name,
    pid: child.pid,
    async query(query) {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json', ...headers }, body: JSON.stringify({ query }) });
      const text = await response.text();
      try {
        return JSON.parse(text);
      } catch {
        return { errors: [{ message: `HTTP ${response.status}: ${text.slice(0, 200)}` }] };
      }
    },
    stop: () => stopChild(child, children),
  };
}

function waitForLine(child, pattern) {
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk) => {
      output += chunk;
      if (pattern.test(output)) {
        child.stdout.off('data', onData);
        // Keep draining, so a chatty child never blocks on a full pipe.
        child.stdout.resume();
        resolve(output);
      }
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', (chunk) => (output += chunk));
    child.once('exit', (code) => reject(new Error(`el proceso terminó (código ${code}) antes de escuchar:\n${output}`)));
  });
}

function stopChild(child, children) {
  children.delete(child);
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} falló (${result.status})`);
}

// ---------------------------------------------------------------------------------------------
// The replayed upstream (a plain-JS cousin of test/support/replayServer.ts)

const IGNORED_PARAMS = new Set(['fmt', 'format', 'limit', 'offset']);

/**
 * Answers `http://127.0.0.1:<port>/<host>/<path>` from the recordings of MusicBrainz and the
 * Cover Art Archive. A request matches, in order: a recording with the same path and parameters
 * (`fmt`, `limit`, `offset` aside); one whose `inc` list is a subset of the asked one; for a
 * lookup, the recording of the same entity with the most includes; for a browse, one with the
 * same linked-entity parameter (`artist=…`); for a search, the search of that entity sharing the
 * most words. The two gateways phrase the same question differently (graphbrainz's includes,
 * our discography types), and this is what lets both be answered by the same genuine body.
 * A recording's releases (`release?recording=…`, which graphbrainz browses) come from the recorded
 * search that listed them. Redirects keep pointing here, so a client that follows them never
 * leaves the machine.
 */
async function startReplay(recordingsDir, latencyMs) {
  const candidates = [];
  for (const source of ['musicbrainz', 'coverartarchive']) {
    const index = JSON.parse(readFileSync(path.join(recordingsDir, source, 'index.json'), 'utf8'));
    for (const entry of index) {
      const url = new URL(entry.request.url);
      candidates.push({
        method: entry.request.method.toUpperCase(),
        host: url.host,
        path: decodeURIComponent(url.pathname).replace(/\/$/, ''),
        params: significant(url.searchParams),
        status: entry.response.status,
        contentType: entry.response.contentType ?? 'application/octet-stream',
        location: entry.response.location,
        file: path.join(recordingsDir, source, entry.file),
      });
    }
  }
  const caaNotFound = candidates.find((c) => c.host === 'coverartarchive.org' && c.status === 404);
  const requests = [];
  let base = '';

  const server = http.createServer((req, res) => {
    const local = new URL(req.url, 'http://replay');
    const [, host = '', ...rest] = local.pathname.split('/');
    const request = { method: req.method.toUpperCase(), host, path: `/${rest.join('/')}`.replace(/\/$/, ''), params: significant(local.searchParams) };
    requests.push(request);
    req.resume();
    setTimeout(() => answer(request, res), latencyMs);
  });

  function answer(request, res) {
    const derived = releasesOfRecording(request);
    if (derived) {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(derived);
    }
    const match = findRecording(request);
    if (!match) {
      if (request.host === 'coverartarchive.org' && caaNotFound) return send(res, request, { ...caaNotFound, location: undefined });
      res.writeHead(404, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ error: 'Not Found', help: 'For usage, please see: https://musicbrainz.org/development/mmd' }));
    }
    send(res, request, match);
  }

  function send(res, request, recording) {
    const body = readFileSync(recording.file);
    const headers = { 'content-type': recording.contentType };
    const location = recording.location ?? (recording.status >= 300 && recording.status < 400 ? /See:\s*(\S+)/.exec(body.toString('utf8'))?.[1] : undefined);
    if (location) headers.location = location.replace(/^https?:\/\/([^/]+)/, (_all, host) => `${base}/${host}`);
    res.writeHead(recording.status, headers);
    res.end(request.method === 'HEAD' ? undefined : body);
  }

  /**
   * `release?recording=<id>` (graphbrainz browses a recording's releases): the releases a recorded
   * search listed for that recording, in MusicBrainz's browse envelope.
   */
  function releasesOfRecording(request) {
    const recording = new Map(request.params).get('recording');
    if (request.host !== 'musicbrainz.org' || request.path !== '/ws/2/release' || !recording) return undefined;
    const releases = recordedReleases().get(recording);
    return releases && JSON.stringify({ 'release-count': releases.length, 'release-offset': 0, releases });
  }

  let releasesByRecording;
  function recordedReleases() {
    if (releasesByRecording) return releasesByRecording;
    releasesByRecording = new Map();
    for (const candidate of candidates) {
      if (candidate.host !== 'musicbrainz.org' || candidate.path !== '/ws/2/recording' || !candidate.file.endsWith('.json')) continue;
      const body = JSON.parse(readFileSync(candidate.file, 'utf8'));
      for (const found of body.recordings ?? []) if (found.releases) releasesByRecording.set(found.id, found.releases);
    }
    return releasesByRecording;
  }

  function findRecording(request) {
    const samePath = candidates.filter(
      (c) => c.host === request.host && c.path === request.path && (c.method === request.method || (request.method === 'HEAD' && c.method === 'GET')),
    );
    if (samePath.length === 0) return undefined;
    const asked = new Map(request.params);
    const exact = samePath.find((c) => sameParams(c.params, request.params));
    if (exact) return exact;
    const withoutInc = (params) => params.filter(([name]) => name !== 'inc');
    const incOf = (params) => new Set((new Map(params).get('inc') ?? '').split(/[+\s]+/).filter(Boolean));
    const askedInc = incOf(request.params);
    const subset = samePath
      .filter((c) => sameParams(withoutInc(c.params), withoutInc(request.params)) && [...incOf(c.params)].every((token) => askedInc.has(token)))
      .sort((a, b) => incOf(b.params).size - incOf(a.params).size)[0];
    if (subset) return subset;
    const isLookup = /^\/ws\/2\/[a-z-]+\/[^/]+$/.test(request.path);
    if (isLookup || request.host !== 'musicbrainz.org') {
      return samePath.filter((c) => c.status < 400).sort((a, b) => incOf(b.params).size - incOf(a.params).size)[0];
    }
    if (asked.has('query')) {
      const words = (text) => new Set(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
      const wanted = words(asked.get('query'));
      const overlap = (c) => [...words(new Map(c.params).get('query') ?? '')].filter((word) => wanted.has(word)).length;
      return samePath.filter((c) => new Map(c.params).has('query')).sort((a, b) => overlap(b) - overlap(a)).find((c) => overlap(c) > 0);
    }
    const links = ['artist', 'release', 'release-group', 'recording', 'label', 'collection', 'work', 'area', 'track_artist'];
    const link = links.find((name) => asked.has(name));
    return samePath.find((c) => link && new Map(c.params).get(link) === asked.get(link));
  }

  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${server.address().port}`;
  const hosts = new Set(candidates.map((c) => c.host));
  return {
    overrides: Object.fromEntries([...hosts].map((host) => [host, `${base}/${host}`])),
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function significant(searchParams) {
  return [...searchParams.entries()].filter(([name]) => !IGNORED_PARAMS.has(name.toLowerCase())).sort(([a], [b]) => a.localeCompare(b));
}

function sameParams(a, b) {
  return a.length === b.length && a.every(([name, value], i) => name === b[i][0] && value === b[i][1]);
}

// ---------------------------------------------------------------------------------------------
// The bare baseline: Apollo + express, the same schema shape, static data

async function serveBare(dataFile) {
  const { ApolloServer } = await import('@apollo/server');
  const { expressMiddleware } = await import('@as-integrations/express5');
  const { default: express } = await import('express');
  const data = JSON.parse(readFileSync(dataFile, 'utf8'));
  const typeDefs = `#graphql
    type Track { id: ID! title: String! artist: String! duration: Int }
    type TrackConnection { nodes: [Track!]! }
    type Viewer { scope: String! }
    type Query { searchTracks(query: String!, first: Int = 10): TrackConnection! viewer: Viewer! }
  `;
  const resolvers = { Query: { searchTracks: () => data.search, viewer: () => data.viewer } };
  const apollo = new ApolloServer({ typeDefs, resolvers });
  await apollo.start();
  const app = express();
  app.use('/', express.json(), expressMiddleware(apollo));
  const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => process.stdout.write(`listening ${server.address().port}\n`));
  process.once('SIGTERM', () => server.close(() => process.exit(0)));
}

// Last, so every constant above is initialised before it runs.
if (process.argv[2] === '--bare') {
  await serveBare(process.env.BARE_DATA);
} else {
  await main();
}
