#!/usr/bin/env node
/**
 * Abuse benchmark (issue 9 §8), run on the compiled output (`npm run build && node bench/abuse.mjs`).
 * Two hostile documents sent with the admin key, each against a gateway with the request limits
 * lifted to their maximums ("before") and one with the defaults ("after"), on a loopback
 * upstream that answers after a small latency:
 *
 * a. One ~36 kB request of 500 `searchTracks` aliases, each a different search, so none is
 *    served from the cache. Before: every alias walks the chain (Node warns on stderr that the
 *    request's abort signal has 501 listeners: app.ts allows 500, which the default budget of 250
 *    calls is meant to stay under). After: refused before any call, by the first limit it meets
 *    (MAX_QUERY_TOKENS; the alias and cost limits would refuse it too).
 * b. A document of 3,700 repeated fields under one search. Before: graphql-js compares the
 *    fields pairwise while validating until its own work budget (graphql 16.15) aborts it
 *    ("Validation aborted."). After: refused by the document limits, before validation.
 *
 * Printed: upstream calls and wall time (median of BENCH_RUNS) for each case and configuration,
 * then — last line — the ratios after/before.
 *
 * Options (environment): BENCH_DIST (default ./dist), BENCH_RUNS (default 3), BENCH_LATENCY_MS (default 20).
 */
import { median, startGateway, startUpstream } from './support.mjs';

const runs = Number(process.env.BENCH_RUNS ?? 3);
const latencyMs = Number(process.env.BENCH_LATENCY_MS ?? 20);


/**
 * Two sources in a chain: `sparse` finds nothing for every other search (so the chain moves on,
 * as it does in production when the first source has no match), `full` always answers.
 */
let calls = 0;
const upstream = await startUpstream(latencyMs, ({ host, url }) => {
  calls += 1;
  const q = url.searchParams.get('q') ?? '';
  const empty = host === 'sparse.bench' && Number(q.replace(/\D/g, '')) % 2 === 1;
  return JSON.stringify({ results: empty ? [] : Array.from({ length: 10 }, (_, i) => ({ id: `${q}-${i}`, title: `${q} ${i}` })) });
});
const { base } = upstream;

const provider = (id) => (deps) => {
  const host = `${id}.bench`;
  const client = deps.createClient({ source: id, hosts: [host] });
  const track = (raw) => ({
    id: `${id}:track:${raw.id}`, source: id, title: raw.title, artists: [{ id: null, name: 'Bench' }],
    album: null, durationSec: 200, releaseDate: null, isrc: null, isrcs: [], cover: null, playbackUrl: null, previewUrl: null,
    license: null, download: { allowed: false, reason: 'NOT_LICENSED' }, genres: [], links: [],
  });
  return {
    id, name: id, description: id, hosts: [host], credentials: [], configured: true,
    idKinds: { track: ['track'] },
    async searchTracks(input, ctx) {
      const body = await client.json(`https://${host}/search`, { ctx, cache: 'search', searchParams: { q: input.query } });
      return { items: body.results.map(track), total: body.results.length, nextCursor: null };
    },
  };
};

/** Every request limit at the largest value the configuration accepts (src/config.ts). */
const LIFTED = {
  MAX_QUERY_COST: '100000',
  MAX_QUERY_DEPTH: '50',
  MAX_QUERY_ALIASES: '1000',
  MAX_QUERY_SELECTIONS: '5000',
  MAX_QUERY_TOKENS: '50000',
  MAX_UPSTREAM_CALLS_PER_REQUEST: '100000',
  REQUEST_DEADLINE_MS: '600000',
};

async function gateway(limits) {
  // A loaded machine must not open the circuit mid-flood (fewer calls would be measured): the
  // breaker and the upstream timeout are out of the way in both configurations.
  const env = { LOG_LEVEL: 'silent', UPSTREAM_RETRIES: '0', HEDGE_DELAY_MS: '0', UPSTREAM_TIMEOUT_MS: '60000', BREAKER_THRESHOLD: '1000', CHAIN_SEARCH_TRACKS: 'sparse,full', ...limits };
  const { url, close } = await startGateway({
    env,
    upstreamOverrides: { 'sparse.bench': `${base}/sparse.bench`, 'full.bench': `${base}/full.bench` },
    factories: [provider('sparse'), provider('full')],
  });
  return {
    async send(query) {
      const before = calls;
      const started = performance.now();
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer bench' }, body: JSON.stringify({ query }) });
      const body = await response.json();
      return { ms: performance.now() - started, calls: calls - before, status: response.status, code: body.errors?.[0]?.extensions?.code ?? null };
    },
    close,
  };
}

/** 500 aliases, each a search no other alias (nor any other run) makes: ~34 kB. */
const aliasFlood = (run) =>
  `{ ${Array.from({ length: 500 }, (_, i) => `a${i}: searchTracks(query: "abuso ${run} consulta ${i}") { nodes { id title } }`).join(' ')} }`;
/** 3,700 repeated fields under one search. */
const repeatedFields = (run) => `{ searchTracks(query: "campos repetidos ${run}") { nodes { ${'title '.repeat(3_700)}} } }`;

const rows = [];
let run = 0;
for (const [name, document] of [['a. 500 searchTracks aliases', aliasFlood], ['b. 3,700 repeated fields', repeatedFields]]) {
  const measured = {};
  for (const [label, limits] of [['before', LIFTED], ['after', {}]]) {
    const gw = await gateway(limits);
    const outcomes = [];
    for (let i = 0; i < runs; i += 1) outcomes.push(await gw.send(document(run++)));
    await gw.close();
    measured[label] = { ms: median(outcomes.map((o) => o.ms)), calls: median(outcomes.map((o) => o.calls)), status: outcomes[0].status, code: outcomes[0].code, bytes: Buffer.byteLength(JSON.stringify({ query: document(0) })) };
  }
  rows.push({ name, ...measured });
}
upstream.close();

const pad = (text, width) => String(text).padEnd(width);
console.log(`abuse benchmark (${runs} runs, upstream latency ${latencyMs} ms, medians; admin key)`);
console.log(`${pad('case', 30)}${pad('size', 9)}${pad('limits', 8)}${pad('status', 32)}${pad('upstream calls', 16)}wall ms`);
for (const row of rows) {
  for (const label of ['before', 'after']) {
    const m = row[label];
    console.log(`${pad(row.name, 30)}${pad(`${(m.bytes / 1024).toFixed(1)} kB`, 9)}${pad(label, 8)}${pad(`${m.status}${m.code ? ` ${m.code}` : ''}`, 32)}${pad(m.calls, 16)}${m.ms.toFixed(1)}`);
  }
}
/** 0 calls against 0 calls is no change, not a division by zero. */
const ratio = (a, b) => (b === 0 ? (a === 0 ? '1.000 (0 → 0)' : 'n/a') : (a / b).toFixed(3));
console.log(
  `ratios after/before: a. calls ${ratio(rows[0].after.calls, rows[0].before.calls)}, time ${ratio(rows[0].after.ms, rows[0].before.ms)}; ` +
    `b. calls ${ratio(rows[1].after.calls, rows[1].before.calls)}, time ${ratio(rows[1].after.ms, rows[1].before.ms)}`,
);
