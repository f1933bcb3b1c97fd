import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { rm } from 'node:fs/promises';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentDisposition, createFilesRouter, parseRange } from '../../src/downloads/http.js';
import { createDownloadIndex } from '../../src/downloads/store.js';
import { generateAudio, licensedTrack, serveAudio, startDownloads, type DownloadHarness, type GeneratedAudio } from './support.js';

let audio: GeneratedAudio;
let h: DownloadHarness;
let server: Server;
let base: string;
let clock = Date.now();
let wavUrl: string;
let mp3Url: string;
let wavSize: number;
let wavSha: string;
const track = licensedTrack({ nativeId: 'served', title: 'Canción «dos» 100%' });

beforeAll(async () => {
  audio = await generateAudio();
  h = await startDownloads({ env: { SERVER_SECRET: 'k'.repeat(48), DOWNLOAD_URL_TTL_SECONDS: '600' }, now: () => clock });
  serveAudio(h.server, 'served.flac', audio.flac);
  const job = await h.service.prepare(track.id, async () => track);
  expect((await h.service.settled(job.id)).state).toBe('DONE');
  const app = express();
  app.use('/files', createFilesRouter(h.service));
  server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const [wav, mp3] = await h.service.optionsForTrack(track);
  wavUrl = `${base}${wav!.url}`;
  mp3Url = `${base}${mp3!.url}`;
  wavSize = wav!.sizeBytes!;
  wavSha = (await createDownloadIndex(h.db).get(track.id))!.files.find((f) => f.format === 'WAV')!.sha256;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await h.close();
  await rm(audio.dir, { recursive: true, force: true });
});

describe('/files', () => {
  it('serves the whole file with length, type, ETag and a download name', async () => {
    const response = await fetch(wavUrl);
    expect(response.status).toBe(200);
    const body = Buffer.from(await response.arrayBuffer());
    expect(body.length).toBe(wavSize);
    expect(createHash('sha256').update(body).digest('hex')).toBe(wavSha);
    expect(response.headers.get('content-length')).toBe(String(wavSize));
    expect(response.headers.get('content-type')).toBe('audio/wav');
    expect(response.headers.get('etag')).toBe(`"${wavSha}"`);
    expect(response.headers.get('accept-ranges')).toBe('bytes');
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="03 - Cancion dos 100_.wav"; filename*=UTF-8''03%20-%20Canci%C3%B3n%20%C2%ABdos%C2%BB%20100%25.wav`,
    );
  });

  it('serves MP3 as audio/mpeg', async () => {
    const response = await fetch(mp3Url, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('audio/mpeg');
  });

  it('answers byte ranges with 206 and the exact bytes', async () => {
    const full = Buffer.from(await (await fetch(wavUrl)).arrayBuffer());
    const first = await fetch(wavUrl, { headers: { range: 'bytes=0-99' } });
    expect(first.status).toBe(206);
    expect(first.headers.get('content-range')).toBe(`bytes 0-99/${wavSize}`);
    expect(first.headers.get('content-length')).toBe('100');
    expect(Buffer.from(await first.arrayBuffer())).toEqual(full.subarray(0, 100));

    const tail = await fetch(wavUrl, { headers: { range: 'bytes=-64' } });
    expect(tail.status).toBe(206);
    expect(Buffer.from(await tail.arrayBuffer())).toEqual(full.subarray(wavSize - 64));

    const open = await fetch(wavUrl, { headers: { range: `bytes=${wavSize - 10}-` } });
    expect(open.headers.get('content-range')).toBe(`bytes ${wavSize - 10}-${wavSize - 1}/${wavSize}`);

    const beyond = await fetch(wavUrl, { headers: { range: `bytes=${wavSize}-` } });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get('content-range')).toBe(`bytes */${wavSize}`);
  });

  it('honours If-None-Match and If-Range', async () => {
    const cached = await fetch(wavUrl, { headers: { 'if-none-match': `"${wavSha}"` } });
    expect(cached.status).toBe(304);
    const stale = await fetch(wavUrl, { headers: { range: 'bytes=0-9', 'if-range': '"something-else"' } });
    expect(stale.status).toBe(200);
    expect(stale.headers.get('content-length')).toBe(String(wavSize));
    await stale.arrayBuffer();
    const fresh = await fetch(wavUrl, { headers: { range: 'bytes=0-9', 'if-range': `"${wavSha}"` } });
    expect(fresh.status).toBe(206);
    await fresh.arrayBuffer();
  });

  it('HEAD gives the headers without a body', async () => {
    const response = await fetch(wavUrl, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe(String(wavSize));
    expect((await response.arrayBuffer()).byteLength).toBe(0);
  });

  it('records the serve for eviction order', async () => {
    clock += 5000;
    await (await fetch(wavUrl)).arrayBuffer();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await createDownloadIndex(h.db).get(track.id))!.lastServedAt).toBe(clock);
  });

  describe('refuses with 403', () => {
    const tamper = (url: string, edit: (u: URL) => void) => {
      const parsed = new URL(url);
      edit(parsed);
      return parsed.toString();
    };
    it.each([
      ['a changed signature', (u: URL) => u.searchParams.set('sig', `${u.searchParams.get('sig')!.slice(0, -2)}AA`)],
      ['a later expiry', (u: URL) => u.searchParams.set('exp', String(Number(u.searchParams.get('exp')) + 3600))],
      ['another file with this signature', (u: URL) => (u.pathname = u.pathname.replace(/\.wav$/, '.mp3'))],
      ['no signature', (u: URL) => u.searchParams.delete('sig')],
      ['a path escaping the folder', (u: URL) => (u.pathname = '/files/..%2F..%2Fdata%2Fsecret')],
      ['a dot segment', (u: URL) => (u.pathname = u.pathname.replace('/files/', '/files/.partial/'))],
    ])('%s', async (_name, edit) => {
      const response = await fetch(tamper(wavUrl, edit));
      expect(response.status).toBe(403);
      expect(await response.text()).toBe('Enlace de descarga no válido o caducado.');
    });

    it('an expired URL', async () => {
      const saved = clock;
      clock += 601_000;
      try {
        expect((await fetch(wavUrl)).status).toBe(403);
      } finally {
        clock = saved;
      }
    });
  });

  it('rejects other methods', async () => {
    expect((await fetch(wavUrl, { method: 'DELETE' })).status).toBe(405);
  });
});

describe('helpers', () => {
  it('parses single byte ranges', () => {
    expect(parseRange('bytes=0-0', 10)).toEqual([0, 0]);
    expect(parseRange('bytes=5-100', 10)).toEqual([5, 9]);
    expect(parseRange('bytes=-3', 10)).toEqual([7, 9]);
    expect(parseRange('bytes=-30', 10)).toEqual([0, 9]);
    expect(parseRange('bytes=10-', 10)).toBe('unsatisfiable');
    expect(parseRange('bytes=0-1,4-5', 10)).toBeNull();
    expect(parseRange('items=0-1', 10)).toBeNull();
  });

  it('writes RFC 5987 file names', () => {
    expect(contentDisposition('plain.mp3')).toBe(`attachment; filename="plain.mp3"; filename*=UTF-8''plain.mp3`);
    expect(contentDisposition('日本語.wav')).toBe(`attachment; filename="audio.wav"; filename*=UTF-8''%E6%97%A5%E6%9C%AC%E8%AA%9E.wav`);
    expect(contentDisposition(`it's (live)*.mp3`)).toBe(`attachment; filename="it's (live)*.mp3"; filename*=UTF-8''it%27s%20%28live%29%2A.mp3`);
  });
});
