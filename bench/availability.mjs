#!/usr/bin/env node
/**
 * One song, every source: what `availability`, `playbackUrl` and `downloads` cost on a 25-result
 * search, run on the compiled output (`npm run build && node bench/availability.mjs`).
 *
 * The search is MusicBrainz's genuine answer for "We Will Rock You" by Queen (25 recordings:
 * the studio take on compilations, live takes, a remix, radio sessions), served with a fixed
 * latency. The other sources are stand-ins with the shape of their real APIs: a Deezer whose
 * catalogue holds only the studio recording (as a streaming service does: it has the album,
 * not the bootlegs), and a Jamendo that has none of it (Queen is not Creative Commons). So the
 * share of results that get a play link is the share the version-aware rules let through.
 *
 * Printed: upstream calls (cold) against the distinct (track, source) pairs asked, time cold and
 * warm, the play-link share, and — last line — the ratios.
 *
 * Options (environment): BENCH_DIST (default ./dist), BENCH_RUNS (default 5), BENCH_LATENCY_MS
 * (default 40), RECORDINGS_DIR (default ../shared/recordings).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { load, median, startGateway, startUpstream } from './support.mjs';

const runs = Number(process.env.BENCH_RUNS ?? 5);
const latencyMs = Number(process.env.BENCH_LATENCY_MS ?? 40);
const recordings = path.resolve(process.env.RECORDINGS_DIR ?? '../shared/recordings');

const { createMusicBrainzProvider } = await load('providers/musicbrainz/index.js');
const { createDeezerProvider } = await load('providers/deezer/index.js');
const { createJamendoProvider } = await load('providers/jamendo/index.js');

const search = readFileSync(path.join(recordings, 'musicbrainz/recording-search-we-will-rock-you-arid-queen.json'), 'utf8');
/** The studio recording as Deezer lists it (stand-in: the shape of a Deezer track object). */
const studio = {
  id: 1, title: 'We Will Rock You', title_version: 'Remastered 2011', isrc: 'GBUM71029604', duration: 122,
  link: 'https://www.deezer.com/track/1', preview: null, artist: { id: 412, name: 'Queen' },
  album: { id: 1, title: 'News Of The World (Deluxe Remastered Version)' }, type: 'track',
};

let calls = new Map();
const upstream = await startUpstream(latencyMs, ({ host, path: rest }) => {
  const key = `${host}/${rest[0] ?? ''}`;
  calls.set(key, (calls.get(key) ?? 0) + 1);
  if (host === 'musicbrainz.org') return search;
  if (host === 'api.deezer.com' && rest[0] === 'search') return JSON.stringify({ data: [studio], total: 1 });
  if (host === 'api.deezer.com' && rest[1] === `isrc:${studio.isrc}`) return JSON.stringify(studio);
  if (host === 'api.deezer.com') return JSON.stringify({ error: { type: 'DataException', message: 'no data', code: 800 } });
  if (host === 'api.jamendo.com') return JSON.stringify({ headers: { status: 'success', code: 0, results_count: 0 }, results: [] });
  return '{}';
});
const { base } = upstream;

async function gateway() {
  const env = { LOG_LEVEL: 'silent', UPSTREAM_RETRIES: '0', JAMENDO_CLIENT_ID: 'bench', MUSICBRAINZ_RPS: '50', CHAIN_SEARCH_TRACKS: 'musicbrainz', CHAIN_AVAILABILITY: 'deezer,jamendo' };
  return startGateway({
    env,
    upstreamOverrides: Object.fromEntries(['musicbrainz.org', 'api.deezer.com', 'api.jamendo.com'].map((host) => [host, `${base}/${host}`])),
    factories: [createMusicBrainzProvider, createDeezerProvider, createJamendoProvider],
  });
}

const QUERY = `query Songs { searchTracks(query: "we will rock you", first: 25) { nodes { id playbackUrl availability { source matchedBy confidence } downloads { format available source } } } }`;

async function ask(url) {
  const started = performance.now();
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: QUERY }) });
  const body = await response.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return { ms: performance.now() - started, nodes: body.data.searchTracks.nodes };
}

const cold = [], warm = [], callCounts = [];
let nodes = [];
for (let run = 0; run < runs; run += 1) {
  const gw = await gateway();
  calls = new Map();
  const first = await ask(gw.url);
  callCounts.push([...calls.values()].reduce((a, b) => a + b, 0) - (calls.get('musicbrainz.org/ws') ?? 0));
  cold.push(first.ms);
  warm.push((await ask(gw.url)).ms);
  nodes = first.nodes;
  await gw.close();
}
upstream.close();

const pairs = nodes.length * 2;
const withLink = nodes.filter((node) => node.playbackUrl).length;
const availabilityCalls = median(callCounts);
console.log(`25-result search (MusicBrainz, genuine) asking availability, playbackUrl and downloads; ${latencyMs} ms upstream latency, medians of ${runs}`);
console.log(`  availability upstream calls (cold): ${availabilityCalls} for ${pairs} distinct (track, source) pairs`);
console.log(`  time cold ${median(cold).toFixed(1)} ms, warm ${median(warm).toFixed(1)} ms`);
console.log(`  play link for ${withLink} of ${nodes.length} results (the studio recording's takes; live takes, the remix and the long cuts get none)`);
console.log(`ratios: calls/pairs ${(availabilityCalls / pairs).toFixed(3)}, warm/cold ${(median(warm) / median(cold)).toFixed(3)}, play-link share ${(withLink / nodes.length).toFixed(3)}`);
