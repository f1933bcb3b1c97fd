#!/usr/bin/env node
/**
 * Download pipeline benchmark, run on the compiled output:
 *
 *   npm run build && node bench/transcode.mjs
 *
 * 1. WAV → MP3: the pipeline's step (ffmpeg LAME VBR -q:a 2 to a file, then the ID3v2.3 tag
 *    streamed in front) against running the very same ffmpeg command directly. Prints both
 *    medians and their ratio (1.00 = no overhead).
 * 2. Serving a 500 MB file through `/files` (signed URL, express router): peak RSS while the
 *    whole file streams to a client that discards it, against the RSS before.
 *
 * Everything is generated in a temporary folder and deleted at the end.
 * Options (environment): BENCH_DIST (compiled code, default ./dist), BENCH_SECONDS (length of
 * the test WAV, default 180), BENCH_SERVE_MB (default 500), BENCH_RUNS (default 3), FFMPEG_PATH.
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { randomBytes } from 'node:crypto';

const dist = path.resolve(process.env.BENCH_DIST ?? 'dist');
const load = (module) => import(pathToFileURL(path.join(dist, module)).href);
const seconds = Number(process.env.BENCH_SECONDS ?? 180);
const serveMb = Number(process.env.BENCH_SERVE_MB ?? 500);
const runs = Number(process.env.BENCH_RUNS ?? 3);

const { resolveFfmpeg, runFfmpeg, mp3EncodeArgs } = await load('downloads/ffmpeg.js');
const { buildId3, prependTag } = await load('downloads/tags.js');
const { createDownloadService } = await load('downloads/service.js');
const { createFilesRouter } = await load('downloads/http.js');
const { createDownloadIndex } = await load('downloads/store.js');
const { loadDownloadSettings } = await load('downloads/config.js');
const { openSqliteFile } = await load('db/sqlite.js');
const { silentLogger } = await load('logger.js');
const express = (await import('express')).default;

const work = await mkdtemp(path.join(tmpdir(), 'musica-bench-'));
const signal = new AbortController().signal;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

try {
  const ffmpeg = await resolveFfmpeg(process.env.FFMPEG_PATH ?? null);
  console.log(`ffmpeg: ${ffmpeg.path} (${ffmpeg.origin})`);

  // A signal encoders have to work on: two sweeps and pink noise, stereo, 44.1 kHz, 16-bit.
  const wav = path.join(work, 'input.wav');
  await runFfmpeg(ffmpeg.path, [
    '-f', 'lavfi', '-i', `sine=frequency=220:sample_rate=44100:duration=${seconds}`,
    '-f', 'lavfi', '-i', `anoisesrc=color=pink:sample_rate=44100:duration=${seconds}:amplitude=0.2`,
    '-filter_complex', '[0:a][1:a]amerge=inputs=2,volume=0.6', '-c:a', 'pcm_s16le', wav,
  ], signal);
  console.log(`input: ${seconds} s stereo 44.1 kHz 16-bit WAV, ${mb((await stat(wav)).size)}`);

  const tag = await buildId3({
    title: 'Benchmark', artist: 'Música API', album: 'Bench', trackNumber: 1, year: '2025',
    license: { name: 'CC BY 4.0', url: 'https://creativecommons.org/licenses/by/4.0/' }, cover: null,
  });
  const direct = [];
  const pipeline = [];
  for (let run = 0; run < runs; run += 1) {
    const directOut = path.join(work, `direct-${run}.mp3`);
    let started = process.hrtime.bigint();
    const code = await new Promise((resolve, reject) => {
      spawn(ffmpeg.path, ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', ...mp3EncodeArgs(wav, directOut)], { stdio: 'ignore' })
        .on('error', reject)
        .on('close', resolve);
    });
    if (code !== 0) throw new Error(`direct ffmpeg exited with ${code}`);
    direct.push(Number(process.hrtime.bigint() - started) / 1e9);

    const untagged = path.join(work, `pipeline-${run}.untagged.mp3`);
    const tagged = path.join(work, `pipeline-${run}.mp3`);
    started = process.hrtime.bigint();
    await runFfmpeg(ffmpeg.path, mp3EncodeArgs(wav, untagged), signal);
    await prependTag(tag, untagged, tagged);
    pipeline.push(Number(process.hrtime.bigint() - started) / 1e9);
  }
  const d = median(direct);
  const p = median(pipeline);
  console.log(`WAV→MP3 (LAME VBR -q:a 2), median of ${runs}: direct ffmpeg ${d.toFixed(3)} s (${(seconds / d).toFixed(0)}× real time), pipeline ${p.toFixed(3)} s`);
  console.log(`RATIO pipeline/direct WAV→MP3: ${(p / d).toFixed(2)}`);

  // Serving: a 500 MB file registered in the index, fetched through a signed /files URL.
  const musicDir = path.join(work, 'musica');
  const dataDir = path.join(work, 'data');
  const relative = 'Bench/Big/01 - Large.wav';
  const big = path.join(musicDir, relative);
  await mkdir(path.dirname(big), { recursive: true });
  await new Promise((resolve, reject) => {
    const out = createWriteStream(big);
    const chunk = randomBytes(4 * 1024 * 1024);
    let left = serveMb * 1024 * 1024;
    const write = () => {
      while (left > 0) {
        const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
        left -= piece.length;
        if (!out.write(piece)) return out.once('drain', write);
      }
      out.end(resolve);
    };
    out.on('error', reject);
    write();
  });
  const size = (await stat(big)).size;
  const db = await openSqliteFile(dataDir);
  const service = await createDownloadService({
    config: { musicDir, dataDir, publicUrl: null, upstreamOverrides: {}, userAgent: 'bench' },
    db,
    providers: { get: () => undefined },
    logger: silentLogger,
    settings: loadDownloadSettings({ SERVER_SECRET: 'b'.repeat(40) }),
  });
  await createDownloadIndex(db).put({
    trackId: 'bench:track:1', source: 'bench', title: 'Large', artist: 'Bench', album: 'Big', license: null,
    originUrl: 'https://bench.invalid/large', originCodec: null, originSha256: '0'.repeat(64), fetchedAt: Date.now(), lastServedAt: null,
    files: [{ format: 'WAV', path: relative, sizeBytes: size, sha256: 'f'.repeat(64), lossless: true, sampleRate: 44100, channels: 2, bitsPerSample: 16, durationSec: null }],
  });
  const [option] = await service.optionsForCached('bench:track:1');
  const app = express();
  app.use('/files', createFilesRouter(service));
  const server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  global.gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const started = process.hrtime.bigint();
  const received = await new Promise((resolve, reject) => {
    http.get(`http://127.0.0.1:${server.address().port}${option.url}`, (response) => {
      if (response.statusCode !== 200) reject(new Error(`HTTP ${response.statusCode}`));
      let bytes = 0;
      response.on('data', (piece) => {
        bytes += piece.length;
      });
      response.on('end', () => resolve(bytes));
      response.on('error', reject);
    }).on('error', reject);
  });
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  if (received !== size) throw new Error(`received ${received} of ${size} bytes`);
  console.log(`served ${mb(size)} through /files in ${elapsed.toFixed(2)} s (${mb(size / elapsed)}/s), server and client in this process`);
  console.log(`PEAK RSS while serving ${serveMb} MB: ${mb(peak)} (before: ${mb(before)}, growth: ${mb(peak - before)})`);
  await new Promise((resolve) => server.close(resolve));
  await service.close();
  await db.close();
} finally {
  await rm(work, { recursive: true, force: true });
}
