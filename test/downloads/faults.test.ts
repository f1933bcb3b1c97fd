import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { realDisk, type DiskOps } from '../../src/downloads/disk.js';
import { EVIL_HOST, FILE_HOST, generateAudio, licensedTrack, listFiles, serveAudio, startDownloads, type DownloadHarness, type GeneratedAudio } from './support.js';

/**
 * Every fault must end the same way: a job error that says what happened, nothing half-written
 * anywhere under MUSIC_DIR, and a later request that succeeds once the fault is gone.
 */
let audio: GeneratedAudio;
let h: DownloadHarness;

beforeAll(async () => {
  audio = await generateAudio();
});

afterAll(async () => {
  await rm(audio.dir, { recursive: true, force: true });
});

afterEach(async () => {
  await h?.close();
});

async function attempt(track: ReturnType<typeof licensedTrack>) {
  const job = await h.service.prepare(track.id, async () => track);
  return h.service.settled(job.id);
}

async function expectRecovers(track: ReturnType<typeof licensedTrack>) {
  h.server.reset();
  serveAudio(h.server, `${track.id.split(':')[2]}.flac`, audio.flac);
  const retry = await attempt(track);
  expect(retry).toMatchObject({ state: 'DONE', error: null });
  expect(await listFiles(h.musicDir)).toHaveLength(2);
  expect((await h.service.optionsForTrack(track)).every((option) => option.available && option.url)).toBe(true);
}

describe('download faults', () => {
  it('upstream dies mid-file', async () => {
    h = await startDownloads({ env: { SERVER_SECRET: 's'.repeat(40) } });
    h.server.intercept((request, response) => {
      if (!request.url.startsWith(`https://${FILE_HOST}/audio/`)) return false;
      response.writeHead(200, { 'content-type': 'audio/flac', 'content-length': String(audio.flac.length) });
      response.write(audio.flac.subarray(0, Math.floor(audio.flac.length / 2)), () => response.socket?.destroy());
      return true;
    });
    const track = licensedTrack({ nativeId: 'dies' });
    const job = await attempt(track);
    expect(job.state).toBe('FAILED');
    expect(job.error).toEqual({ code: 'UPSTREAM_FAILED', message: expect.stringMatching(/closed the connection/) });
    expect(await listFiles(h.musicDir)).toEqual([]);
    await expectRecovers(track);
  });

  it('upstream sends an HTML page instead of audio', async () => {
    h = await startDownloads({ env: { SERVER_SECRET: 's'.repeat(40) } });
    const page = '<!DOCTYPE html><html><body>Please log in</body></html>';
    h.server.route('GET', `https://${FILE_HOST}/audio/html.flac`, { body: page, contentType: 'text/html; charset=utf-8' });
    const track = licensedTrack({ nativeId: 'html' });
    const job = await attempt(track);
    expect(job.error).toEqual({ code: 'NOT_AUDIO', message: `${FILE_HOST} sent text/html; charset=utf-8 instead of audio` });
    expect(await listFiles(h.musicDir)).toEqual([]);
    await expectRecovers(track);
  });

  it('upstream sends HTML labelled as audio', async () => {
    h = await startDownloads({ env: { SERVER_SECRET: 's'.repeat(40) } });
    h.server.route('GET', `https://${FILE_HOST}/audio/liar.flac`, { body: '<html><body>404 Not Found</body></html>'.repeat(50), contentType: 'audio/flac' });
    const track = licensedTrack({ nativeId: 'liar' });
    const job = await attempt(track);
    expect(job.error).toEqual({ code: 'NOT_AUDIO', message: 'the source sent a file that is not recognisable audio' });
    expect(await listFiles(h.musicDir)).toEqual([]);
    await expectRecovers(track);
  });

  it('upstream announces a 2 GB file: refused before reading the body', async () => {
    h = await startDownloads({ env: { SERVER_SECRET: 's'.repeat(40), DOWNLOAD_MAX_BYTES: '1G' } });
    let socketClosed = false;
    h.server.intercept((request, response) => {
      if (request.url !== `https://${FILE_HOST}/audio/huge.flac`) return false;
      response.writeHead(200, { 'content-type': 'audio/flac', 'content-length': String(2 * 1024 ** 3) });
      response.flushHeaders();
      // No body at all: a client that waited for it would sit until the idle timeout (5 s here).
      response.socket?.on('close', () => (socketClosed = true));
      return true;
    });
    const track = licensedTrack({ nativeId: 'huge' });
    const started = Date.now();
    const job = await attempt(track);
    expect(Date.now() - started).toBeLessThan(2500);
    expect(job.error).toEqual({ code: 'TOO_LARGE', message: 'the file is 2147483648 bytes, over the 1073741824-byte limit' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(socketClosed).toBe(true);
    expect(await listFiles(h.musicDir)).toEqual([]);
    expect((await h.service.optionsForTrack(track)).map((o) => [o.available, o.reason])).toEqual([
      [false, 'TOO_LARGE'],
      [false, 'TOO_LARGE'],
    ]);
    await expectRecovers(track);
  });

  it('a file that grows past the limit while streaming is cut off', async () => {
    h = await startDownloads({ env: { SERVER_SECRET: 's'.repeat(40), DOWNLOAD_MAX_BYTES: '20K' } });
    // No Content-Length: the limit has to be enforced on the bytes themselves.
    h.server.intercept((request, response) => {
      if (request.url !== `https://${FILE_HOST}/audio/chunked.flac`) return false;
      response.writeHead(200, { 'content-type': 'audio/flac' });
      response.end(audio.flac);
      return true;
    });
    const job = await attempt(licensedTrack({ nativeId: 'chunked' }));
    expect(job.error?.code).toBe('TOO_LARGE');
    expect(await listFiles(h.musicDir)).toEqual([]);
  });

  it('upstream redirects to a host the source did not declare', async () => {
    h = await startDownloads({ env: { SERVER_SECRET: 's'.repeat(40) } });
    h.server.route('GET', `https://${FILE_HOST}/audio/redirect.flac`, { status: 302, body: '', headers: { location: `https://${EVIL_HOST}/steal.flac` } });
    h.server.route('GET', `https://${EVIL_HOST}/steal.flac`, { body: audio.flac, contentType: 'audio/flac' });
    const track = licensedTrack({ nativeId: 'redirect' });
    const job = await attempt(track);
    expect(job.error).toEqual({ code: 'HOST_NOT_ALLOWED', message: `${EVIL_HOST} is not one of the source's download hosts` });
    expect(h.server.count(EVIL_HOST)).toBe(0);
    expect(await listFiles(h.musicDir)).toEqual([]);
    await expectRecovers(track);
  });

  it.each([
    ['a loopback address', 'http://127.0.0.1:22/'],
    ['the cloud metadata address', 'http://169.254.169.254/latest/meta-data/'],
    ['an allowlisted name on another port', `https://${FILE_HOST}:8443/audio/x.flac`],
    ['a file: URL', 'file:///etc/passwd'],
    ['plain http on an allowlisted name (a downgrade)', `http://${FILE_HOST}/audio/x.flac`],
  ])('refuses a redirect to %s', async (_what, location) => {
    h = await startDownloads({ env: { SERVER_SECRET: 's'.repeat(40) } });
    h.server.route('GET', `https://${FILE_HOST}/audio/ssrf.flac`, { status: 307, body: '', headers: { location } });
    const job = await attempt(licensedTrack({ nativeId: 'ssrf' }));
    expect(job.error?.code).toBe('HOST_NOT_ALLOWED');
    expect(h.server.requests).toHaveLength(1);
  });

  it('the disk fails while writing', async () => {
    let failing = true;
    const disk: DiskOps = {
      ...realDisk,
      createWriteStream(file) {
        if (!failing) return realDisk.createWriteStream(file);
        const real = createWriteStream(file, { flags: 'wx' });
        let written = 0;
        // Accepts the first chunk, then reports a full disk like the kernel would.
        return new Writable({
          write(chunk: Buffer, _encoding, done) {
            if (written > 0) {
              done(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }));
              return;
            }
            written += chunk.length;
            real.write(chunk, done);
          },
          final(done) {
            real.end(done);
          },
          destroy(error, done) {
            real.destroy();
            done(error);
          },
        });
      },
    };
    h = await startDownloads({ env: { SERVER_SECRET: 's'.repeat(40) }, disk });
    h.server.intercept((request, response) => {
      if (request.url !== `https://${FILE_HOST}/audio/disk.flac`) return false;
      // Two separate chunks, so the second write reaches the failing disk.
      response.writeHead(200, { 'content-type': 'audio/flac', 'content-length': String(audio.flac.length) });
      response.write(audio.flac.subarray(0, 1024), () => setTimeout(() => response.end(audio.flac.subarray(1024)), 20));
      return true;
    });
    const track = licensedTrack({ nativeId: 'disk' });
    const job = await attempt(track);
    expect(job.error).toEqual({ code: 'STORAGE_FAILED', message: 'could not write the download: ENOSPC' });
    expect(await listFiles(h.musicDir)).toEqual([]);
    failing = false;
    await expectRecovers(track);
  });

  it('the disk refuses the final move', async () => {
    let failing = true;
    const disk: DiskOps = {
      ...realDisk,
      async link(from, to) {
        if (failing) throw Object.assign(new Error('EROFS: read-only file system'), { code: 'EROFS' });
        return realDisk.link(from, to);
      },
    };
    h = await startDownloads({ env: { SERVER_SECRET: 's'.repeat(40) }, disk });
    serveAudio(h.server, 'readonly.flac', audio.flac);
    const track = licensedTrack({ nativeId: 'readonly' });
    const job = await attempt(track);
    expect(job.error).toEqual({ code: 'STORAGE_FAILED', message: 'could not move the finished file into the music folder (EROFS)' });
    expect(await listFiles(h.musicDir)).toEqual([]);
    failing = false;
    await expectRecovers(track);
  });
});
