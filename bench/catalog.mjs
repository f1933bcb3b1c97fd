#!/usr/bin/env node
/**
 * Catalog benchmark, run on the compiled output (`npm run build && node bench/catalog.mjs`).
 * Every figure is a ratio against a baseline measured in the same run, on loopback upstreams
 * that add a fixed latency, so the machine's speed cancels out:
 *
 * 1. Slow first source: a chain whose first source hangs, with hedging (HEDGE_DELAY_MS=100)
 *    against the same chain waiting for the timeout before falling back (no hedging).
 * 2. Warm cache: the same search answered from the cache against the first, cold answer.
 * 3. Fan-out: a 25-track page whose items each need their artist, with the per-request
 *    DataLoader (distinct artists fetched once) against one lookup per item.
 *
 * Options (environment): BENCH_DIST (default ./dist), BENCH_RUNS (default 5), BENCH_LATENCY_MS (default 40).
 */
import { median, startGateway, startUpstream } from './support.mjs';

const runs = Number(process.env.BENCH_RUNS ?? 5);
const latencyMs = Number(process.env.BENCH_LATENCY_MS ?? 40);


/** An upstream that answers after `latencyMs`, or never for hosts marked as hanging. */
const requests = new Map();
const upstream = await startUpstream(latencyMs, ({ host, path: rest, url }) => {
  requests.set(host, (requests.get(host) ?? 0) + 1);
  if (host === 'hang.bench') return undefined; // never answers
  if (rest[0] === 'artist') return JSON.stringify({ id: rest[1], name: `Artist ${rest[1]}` });
  // 25 tracks by 5 distinct artists.
  const q = url.searchParams.get('q');
  return JSON.stringify({ results: Array.from({ length: 25 }, (_, i) => ({ id: `${q}-${i}`, title: `${q} ${i}`, artist: String(i % 5) })) });
});
const { base } = upstream;

/** A minimal provider on the real upstream client: search, track and artist lookups. */
const provider = (id) => (deps) => {
  const host = `${id}.bench`;
  // A source declares the hosts its client may reach; anything else is refused before a connection.
  const client = deps.createClient({ source: id, hosts: [host] });
  const track = (raw) => ({
    id: `${id}:track:${raw.id}`, source: id, title: raw.title,
    artists: [{ id: `${id}:artist:${raw.artist}`, name: `Artist ${raw.artist}` }],
    album: null, durationSec: 200, releaseDate: null, isrc: null, isrcs: [], cover: null, playbackUrl: null, previewUrl: null,
    license: null, download: { allowed: false, reason: 'NOT_LICENSED' }, genres: [], links: [],
  });
  return {
    id, name: id, description: id, hosts: [host], credentials: [], configured: true,
    idKinds: { artist: ['artist'] },
    async searchTracks(input, ctx) {
      const body = await client.json(`https://${host}/search`, { ctx, cache: 'search', searchParams: { q: input.query } });
      return { items: body.results.map(track), total: body.results.length, nextCursor: null };
    },
    async artist(ref, ctx) {
      const body = await client.json(`https://${host}/artist/${ref.id}`, { ctx, cache: 'entity' });
      return { id: `${id}:artist:${body.id}`, source: id, name: body.name, disambiguation: null, type: null, country: null, photo: null, biography: null, links: [], genres: [], similar: [], url: null };
    },
  };
};

async function gateway(env) {
  const { url, close } = await startGateway({
    env: { LOG_LEVEL: 'silent', UPSTREAM_RETRIES: '0', ...env },
    upstreamOverrides: { 'hang.bench': `${base}/hang.bench`, 'fast.bench': `${base}/fast.bench` },
    factories: [provider('hang'), provider('fast')],
  });
  return {
    async query(query) {
      const started = performance.now();
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
      const body = await response.json();
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      return performance.now() - started;
    },
    close,
  };
}

let unique = 0;
const q = () => `q${unique++}`;

// 1. Slow first source: hedged against waiting for the timeout.
const hedged = await gateway({ CHAIN_SEARCH_TRACKS: 'hang,fast', HEDGE_DELAY_MS: '100', UPSTREAM_TIMEOUT_MS: '1500', BREAKER_THRESHOLD: '1000' });
const sequential = await gateway({ CHAIN_SEARCH_TRACKS: 'hang,fast', HEDGE_DELAY_MS: '0', UPSTREAM_TIMEOUT_MS: '1500', BREAKER_THRESHOLD: '1000' });
const hedgedMs = [];
const sequentialMs = [];
for (let i = 0; i < runs; i += 1) {
  hedgedMs.push(await hedged.query(`{ searchTracks(query: "${q()}") { source } }`));
  sequentialMs.push(await sequential.query(`{ searchTracks(query: "${q()}") { source } }`));
}
await hedged.close();
await sequential.close();

// 2. Warm cache against cold; 3. fan-out with DataLoader against one lookup per item.
const plain = await gateway({ CHAIN_SEARCH_TRACKS: 'fast', HEDGE_DELAY_MS: '0' });
const coldMs = [];
const warmMs = [];
for (let i = 0; i < runs; i += 1) {
  const query = `{ searchTracks(query: "${q()}") { nodes { title } } }`;
  coldMs.push(await plain.query(query));
  warmMs.push(await plain.query(query));
}
const before = requests.get('fast.bench') ?? 0;
await plain.query(`{ searchTracks(query: "${q()}", first: 25) { nodes { artists { artist { name } } } } }`);
const withLoader = (requests.get('fast.bench') ?? 0) - before;
const perItem = 1 + 25; // one search, then one artist lookup for each of the 25 items
await plain.close();
upstream.close();

const ratio = (a, b) => (a / b).toFixed(3);
console.log(`catalog benchmark (${runs} runs, upstream latency ${latencyMs} ms, medians)`);
console.log(`1. slow first source:  hedged ${median(hedgedMs).toFixed(0)} ms vs wait-for-timeout ${median(sequentialMs).toFixed(0)} ms  → ratio ${ratio(median(hedgedMs), median(sequentialMs))}`);
console.log(`2. warm cache:         warm ${median(warmMs).toFixed(1)} ms vs cold ${median(coldMs).toFixed(1)} ms  → ratio ${ratio(median(warmMs), median(coldMs))}`);
console.log(`3. 25-item fan-out:    ${withLoader} upstream requests with DataLoader vs ${perItem} one-per-item  → ratio ${ratio(withLoader, perItem)}`);
