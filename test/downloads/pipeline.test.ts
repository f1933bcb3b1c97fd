import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseFile } from 'music-metadata';
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it, vi } from 'vitest';
import { sha256File } from '../../src/downloads/disk.js';
import { readWavFormat } from '../../src/downloads/probe.js';
import { createDownloadIndex } from '../../src/downloads/store.js';
import type { Provider } from '../../src/providers/types.js';
import { CC_BY, CDN_HOST, EVIL_HOST, FILE_HOST, fileHostProvider, generateAudio, licensedTrack, listFiles, serveAudio, serveCover, startDownloads, type DownloadHarness, type GeneratedAudio } from './support.js';

let audio: GeneratedAudio;
let h: DownloadHarness;

beforeAll(async () => {
  audio = await generateAudio();
});

beforeEach(async () => {
  h = await startDownloads({ env: { SERVER_SECRET: 's'.repeat(40) } });
});

afterEach(async () => {
  await h.close();
});

afterAll(async () => {
  const { rm } = await import('node:fs/promises');
  await rm(audio.dir, { recursive: true, force: true });
});

async function prepareAndWait(track: ReturnType<typeof licensedTrack>) {
  const job = await h.service.prepare(track.id, async () => track);
  return h.service.settled(job.id);
}

describe('lossless original (FLAC)', () => {
  it('becomes a PCM WAV at the source rate, depth and length, and a tagged VBR MP3 of the same length, in the layout', async () => {
    serveAudio(h.server, 'flac-1.flac', audio.flac);
    serveCover(h.server, 'cover-1.jpg', audio.cover);
    const track = licensedTrack({
      nativeId: 'flac-1',
      cover: { small: null, medium: null, large: `https://${FILE_HOST}/covers/cover-1.jpg`, source: 'filehost' },
    });

    const job = await prepareAndWait(track);
    expect(job).toMatchObject({ state: 'DONE', progress: 1, error: null });

    const files = await listFiles(h.musicDir);
    expect(files).toEqual(['Artista Prueba/Álbum Prueba/03 - Canción de prueba.mp3', 'Artista Prueba/Álbum Prueba/03 - Canción de prueba.wav']);
    const wavPath = path.join(h.musicDir, files[1]!);
    const mp3Path = path.join(h.musicDir, files[0]!);

    const source = await parseFile(path.join(audio.dir, 'source.flac'));
    const header = await readWavFormat(wavPath);
    expect(header).toEqual({ formatTag: 1, channels: 2, sampleRate: source.format.sampleRate, bitsPerSample: 24 });
    const wav = await parseFile(wavPath);
    expect(wav.format.container).toBe('WAVE');
    expect(wav.format.duration).toBeCloseTo(source.format.duration!, 2);
    expect(wav.format.numberOfSamples).toBe(Math.round(source.format.duration! * source.format.sampleRate!));

    const mp3 = await parseFile(mp3Path, { duration: true });
    expect(mp3.format.codec).toBe('MPEG 1 Layer 3');
    expect(Math.abs(mp3.format.duration! - source.format.duration!)).toBeLessThanOrEqual(0.1);
    expect(mp3.format.tagTypes).toContain('ID3v2.3');
    expect(mp3.common).toMatchObject({ title: 'Canción de prueba', artist: 'Artista Prueba', album: 'Álbum Prueba', year: 2021 });
    expect(mp3.common.track.no).toBe(3);
    expect(JSON.stringify(mp3.common.comment)).toContain(CC_BY.url);
    const wcop = mp3.native['ID3v2.3']!.find((tag) => tag.id === 'WCOP');
    expect(wcop?.value).toBe(CC_BY.url);
    expect(mp3.common.picture?.[0]?.format).toBe('image/jpeg');
    expect(mp3.common.picture?.[0]?.data.length).toBe(audio.cover.length);

    const entry = await createDownloadIndex(h.db).get(track.id);
    expect(entry?.files.map((f) => [f.format, f.path, f.lossless])).toEqual([
      ['WAV', files[1], true],
      ['MP3', files[0], false],
    ]);
    expect(entry?.files[0]!.sha256).toBe(await sha256File(wavPath));
    expect(entry?.files[1]!.sha256).toBe(await sha256File(mp3Path));
    expect(entry?.license).toEqual(CC_BY);
    expect(entry?.originUrl).toBe(`https://${FILE_HOST}/audio/flac-1.flac`);

    const options = await h.service.optionsForTrack(track);
    expect(options.map((o) => [o.format, o.available, o.lossless, o.sizeBytes])).toEqual([
      ['WAV', true, true, entry!.files[0]!.sizeBytes],
      ['MP3', true, false, entry!.files[1]!.sizeBytes],
    ]);
    expect(options[0]!.url).toMatch(/^\/files\/Artista%20Prueba\/%C3%81lbum%20Prueba\/03%20-%20Canci%C3%B3n%20de%20prueba\.wav\?exp=\d+&sig=[\w-]{43}$/);
  });

  it('follows a redirect to another allowlisted host (a CDN node)', async () => {
    h.server.route('GET', `https://${FILE_HOST}/audio/moved.flac`, { status: 302, body: '', headers: { location: `https://${CDN_HOST}/blobs/moved.flac` } });
    h.server.route('GET', `https://${CDN_HOST}/blobs/moved.flac`, { body: audio.flac, contentType: 'audio/flac' });
    const job = await prepareAndWait(licensedTrack({ nativeId: 'moved' }));
    expect(job.state).toBe('DONE');
    expect(h.server.count(`${CDN_HOST}/blobs/moved.flac`)).toBe(1);
  });
});

describe('lossy original (MP3)', () => {
  it('keeps the MP3 frames, decodes a 16-bit WAV marked lossless: false', async () => {
    serveAudio(h.server, 'lossy.mp3', audio.mp3, 'audio/mpeg');
    const track = licensedTrack({ nativeId: 'lossy', file: 'lossy.mp3', title: 'Con pérdida', trackNumber: 12 });
    const job = await prepareAndWait(track);
    expect(job.state).toBe('DONE');

    const files = await listFiles(h.musicDir);
    expect(files).toEqual(['Artista Prueba/Álbum Prueba/12 - Con pérdida.mp3', 'Artista Prueba/Álbum Prueba/12 - Con pérdida.wav']);
    const source = await parseFile(path.join(audio.dir, 'source.mp3'), { duration: true });
    const header = await readWavFormat(path.join(h.musicDir, files[1]!));
    expect(header).toEqual({ formatTag: 1, channels: 2, sampleRate: 44100, bitsPerSample: 16 });
    const mp3 = await parseFile(path.join(h.musicDir, files[0]!), { duration: true });
    expect(Math.abs(mp3.format.duration! - source.format.duration!)).toBeLessThanOrEqual(0.1);
    expect(mp3.format.bitrate).toBeCloseTo(source.format.bitrate!, -3);
    expect(mp3.common.title).toBe('Con pérdida');

    const options = await h.service.optionsForTrack(track);
    expect(options.map((o) => [o.format, o.lossless])).toEqual([
      ['WAV', false],
      ['MP3', false],
    ]);
  });
});

describe('renditions', () => {
  it('falls back to the next rendition the source offered when the best one is gone', async () => {
    h.server.route('GET', `https://${FILE_HOST}/audio/withdrawn.flac`, { status: 404, body: 'not here', contentType: 'text/plain' });
    serveAudio(h.server, 'withdrawn.mp3', audio.mp3, 'audio/mpeg');
    const base = licensedTrack({ nativeId: 'withdrawn' });
    const track = {
      ...base,
      download: { allowed: true as const, license: CC_BY, originUrl: `https://${FILE_HOST}/audio/withdrawn.flac`, alternateUrls: [`https://${FILE_HOST}/audio/withdrawn.mp3`] },
    };
    const job = await prepareAndWait(track);
    expect(job).toMatchObject({ state: 'DONE' });
    expect(h.server.count('/audio/withdrawn.')).toBe(2);
    const entry = await createDownloadIndex(h.db).get(track.id);
    expect(entry?.originUrl).toBe(`https://${FILE_HOST}/audio/withdrawn.mp3`);
    expect(entry?.files.map((f) => f.lossless)).toEqual([false, false]);
  });

  it('does not fall back on faults other than a missing file', async () => {
    h.server.route('GET', `https://${FILE_HOST}/audio/broken.flac`, { status: 503, body: 'busy', contentType: 'text/plain' });
    serveAudio(h.server, 'broken.mp3', audio.mp3, 'audio/mpeg');
    const base = licensedTrack({ nativeId: 'broken' });
    const track = { ...base, download: { allowed: true as const, license: CC_BY, originUrl: `https://${FILE_HOST}/audio/broken.flac`, alternateUrls: [`https://${FILE_HOST}/audio/broken.mp3`] } };
    const job = await prepareAndWait(track);
    expect(job.error).toEqual({ code: 'UPSTREAM_FAILED', message: `HTTP 503 from ${FILE_HOST}` });
    expect(h.server.count('/audio/broken.mp3')).toBe(0);
  });
});

describe('sources whose permitted URL is an API endpoint', () => {
  async function withResolver(resolveDownload: (ref: { kind: string; id: string }) => Promise<string>) {
    await h.close();
    const calls: string[] = [];
    h = await startDownloads({
      env: { SERVER_SECRET: 's'.repeat(40) },
      provider: {
        ...fileHostProvider(),
        resolveDownload: async (ref: { kind: string; id: string }) => {
          calls.push(`${ref.kind}:${ref.id}`);
          return resolveDownload(ref);
        },
      } as Provider,
    });
    return calls;
  }
  const apiTrack = (nativeId: string) => ({
    ...licensedTrack({ nativeId }),
    download: { allowed: true as const, license: CC_BY, originUrl: `https://${FILE_HOST}/api/tracks/${nativeId}/download` },
  });

  it("asks the provider for the file URL, fetches it, and indexes the source's own URL", async () => {
    const calls = await withResolver(async (ref) => `https://${CDN_HOST}/blobs/${ref.id}.flac?expires=1&signature=abc`);
    h.server.route('GET', `https://${CDN_HOST}/blobs/r1.flac?expires=1&signature=abc`, { body: audio.flac, contentType: 'audio/flac' });
    const job = await prepareAndWait(apiTrack('r1'));
    expect(job).toMatchObject({ state: 'DONE' });
    expect(calls).toEqual(['track:r1']);
    expect(h.server.count(`${FILE_HOST}/api/`)).toBe(0);
    expect((await createDownloadIndex(h.db).get(apiTrack('r1').id))?.originUrl).toBe(`https://${FILE_HOST}/api/tracks/r1/download`);
  });

  it('still applies the allowlist to the URL the provider hands out', async () => {
    await withResolver(async () => `https://${EVIL_HOST}/x.flac`);
    const job = await prepareAndWait(apiTrack('r2'));
    expect(job.error?.code).toBe('HOST_NOT_ALLOWED');
    expect(h.server.count(EVIL_HOST)).toBe(0);
  });

  it('reports a refusal by the source as SOURCE_UNAVAILABLE', async () => {
    const { SourceError } = await import('../../src/errors/source.js');
    await withResolver(async () => {
      throw new SourceError('filehost', 'NOT_FOUND', 'no download for this track');
    });
    const job = await prepareAndWait(apiTrack('r3'));
    expect(job.error).toEqual({ code: 'SOURCE_UNAVAILABLE', message: 'filehost would not hand out the file: filehost: no download for this track' });
  });
});

describe('cache and sharing', () => {
  it('answers a second request for a cached track without any upstream request or lookup', async () => {
    serveAudio(h.server, 'cached.flac', audio.flac);
    const track = licensedTrack({ nativeId: 'cached' });
    expect((await prepareAndWait(track)).state).toBe('DONE');
    h.server.reset();
    serveAudio(h.server, 'cached.flac', audio.flac);

    const lookup = vi.fn(async () => track);
    const again = await h.service.prepare(track.id, lookup);
    expect(again.state).toBe('DONE');
    expect(lookup).not.toHaveBeenCalled();
    expect(h.server.requests).toHaveLength(0);
  });

  it('runs one job and one upstream fetch for ten concurrent requests', async () => {
    serveAudio(h.server, 'popular.flac', audio.flac);
    const track = licensedTrack({ nativeId: 'popular' });
    const lookup = vi.fn(async () => track);
    const jobs = await Promise.all(Array.from({ length: 10 }, () => h.service.prepare(track.id, lookup)));
    expect(new Set(jobs.map((job) => job.id)).size).toBe(1);
    expect((await h.service.settled(jobs[0]!.id)).state).toBe('DONE');
    expect(h.server.count(`${FILE_HOST}/audio/popular.flac`)).toBe(1);
    expect(lookup).toHaveBeenCalledTimes(1);
    expect((await listFiles(h.musicDir)).filter((f) => !f.startsWith('.'))).toHaveLength(2);
  });

  it('reports progress through the job and keeps finished jobs queryable', async () => {
    serveAudio(h.server, 'progress.flac', audio.flac);
    const track = licensedTrack({ nativeId: 'progress' });
    const job = await h.service.prepare(track.id, async () => track);
    expect(['QUEUED', 'RUNNING']).toContain(job.state);
    await h.service.settled(job.id);
    expect(await h.service.job(job.id)).toMatchObject({ id: job.id, trackId: track.id, state: 'DONE', progress: 1 });
    expect(await h.service.job('no-such-job')).toBeNull();
  });

  it('fetches again when an indexed file has disappeared from disk', async () => {
    serveAudio(h.server, 'vanished.flac', audio.flac);
    const track = licensedTrack({ nativeId: 'vanished' });
    await prepareAndWait(track);
    const { rm } = await import('node:fs/promises');
    await rm(path.join(h.musicDir, 'Artista Prueba'), { recursive: true });
    const job = await prepareAndWait(track);
    expect(job.state).toBe('DONE');
    expect(h.server.count(`${FILE_HOST}/audio/vanished.flac`)).toBe(2);
    expect(await listFiles(h.musicDir)).toHaveLength(2);
  });

  it('evicts the least recently served track when MUSIC_DIR_MAX_BYTES is exceeded', async () => {
    await h.close();
    let clock = 1_000_000;
    // One track here is a 3 s, 48 kHz, 24-bit stereo WAV (≈864 KB) plus a small MP3: room for two, not three.
    h = await startDownloads({ env: { SERVER_SECRET: 's'.repeat(40), MUSIC_DIR_MAX_BYTES: '2300000' }, now: () => (clock += 1000) });
    for (const name of ['a', 'b', 'c']) serveAudio(h.server, `${name}.flac`, audio.flac);
    const [a, b, c] = ['A', 'B', 'C'].map((title) => licensedTrack({ nativeId: title.toLowerCase(), title }));
    await prepareAndWait(a!);
    await prepareAndWait(b!);
    // A was fetched first but has been served since, so B is now the least recently used.
    await createDownloadIndex(h.db).markServed(a!.id, (clock += 1000));
    await prepareAndWait(c!);

    const names = (await listFiles(h.musicDir)).map((f) => path.basename(f));
    expect(names).toEqual(['03 - A.mp3', '03 - A.wav', '03 - C.mp3', '03 - C.wav']);
    expect(await createDownloadIndex(h.db).get(b!.id)).toBeNull();
    expect(await createDownloadIndex(h.db).totalBytes()).toBeLessThanOrEqual(2_300_000);
  });
});

describe('album options', () => {
  it('summarises the tracks: available only when every track is, sizes once every track is on disk', async () => {
    serveAudio(h.server, 'al-1.flac', audio.flac);
    serveAudio(h.server, 'al-2.flac', audio.flac);
    const tracks = [licensedTrack({ nativeId: 'al-1', title: 'Uno', trackNumber: 1 }), licensedTrack({ nativeId: 'al-2', title: 'Dos', trackNumber: 2 })];
    const album = { id: 'filehost:album:al', source: 'filehost', title: 'Álbum Prueba', artists: [], releaseDate: null, cover: null, trackCount: 2, tracks, genres: [], label: null, type: null, url: null };

    const before = await h.service.optionsForAlbum(album);
    expect(before.map((o) => [o.format, o.available, o.sizeBytes, o.url])).toEqual([
      ['WAV', true, null, null],
      ['MP3', true, null, null],
    ]);
    expect(before[0]!.license).toEqual(CC_BY);

    for (const track of tracks) await prepareAndWait(track);
    const after = await h.service.optionsForAlbum(album);
    const index = createDownloadIndex(h.db);
    const wavTotal = (await Promise.all(tracks.map((t) => index.get(t.id)))).reduce((sum, e) => sum + e!.files[0]!.sizeBytes, 0);
    expect(after[0]).toMatchObject({ format: 'WAV', available: true, sizeBytes: wavTotal, lossless: true, url: null });
    expect(after[1]).toMatchObject({ format: 'MP3', available: true, lossless: false });

    const unlicensed = { ...licensedTrack({ nativeId: 'al-3' }), download: { allowed: false as const, reason: 'NOT_LICENSED' as const, detail: 'no' } };
    const mixed = { ...album, tracks: [...tracks, unlicensed] };
    expect((await h.service.optionsForAlbum(mixed))[0]).toMatchObject({ available: false, reason: 'NOT_LICENSED', detail: { en: '1 of 3 tracks cannot be downloaded: no', es: '1 de 3 canciones no se puede descargar: no' } });
    expect((await h.service.optionsForAlbum({ ...album, tracks: [] }))[0]).toMatchObject({ available: false, reason: 'SOURCE_UNAVAILABLE' });
  });
});

describe('startup', () => {
  it('removes work folders no live job owns, and keeps the one a live process elsewhere is writing', async () => {
    const { mkdir, writeFile, readdir } = await import('node:fs/promises');
    const { randomUUID } = await import('node:crypto');
    const { createJobStore } = await import('../../src/downloads/jobs.js');
    const { createDownloadService } = await import('../../src/downloads/service.js');
    const { silentLogger } = await import('../../src/logger.js');
    const { loadDownloadSettings } = await import('../../src/downloads/config.js');
    const partial = path.join(h.musicDir, '.partial');
    const track = licensedTrack({ nativeId: 'elsewhere' });
    // Running right now on another host sharing MUSIC_DIR and the database (fresh heartbeat).
    const elsewhere = 'otra-maquina|pid:[1]|4242|token';
    const store = createJobStore(h.db);
    const at = Date.now();
    const live = { id: randomUUID(), trackId: track.id, state: 'QUEUED' as const, progress: 0, error: null, createdAt: new Date(at).toISOString(), updatedAt: new Date(at).toISOString() };
    await store.insert(live, { trackId: track.id, track }, elsewhere, at);
    await store.started(live.id, elsewhere, at);
    // Left by crashes: a folder of a job that finished since, one named the old way, a stray file.
    const finished = { ...live, id: randomUUID(), state: 'DONE' as const, progress: 1 };
    await store.insert(finished, null, null, at);
    for (const name of [`${live.id}.5f2b11aa`, `${finished.id}.0a3c1f5f`, 'b6c0e7a4-1d0e-4c55-9a55-0a3c1f5f2b11']) {
      await mkdir(path.join(partial, name), { recursive: true });
      await writeFile(path.join(partial, name, 'original'), 'partial bytes');
    }
    await writeFile(path.join(partial, 'stray.tmp'), 'x');

    const second = await createDownloadService({ config: h.config, db: h.db, providers: { get: () => undefined }, logger: silentLogger, settings: loadDownloadSettings({ SERVER_SECRET: 's'.repeat(40) }) });
    expect(await readdir(partial)).toEqual([`${live.id}.5f2b11aa`]);
    expect(await second.job(live.id)).toMatchObject({ state: 'RUNNING' });
    await second.close();
    await store.finished(live.id, null, Date.now());
  });
});

describe('storage layout', () => {
  it('gives two different tracks with the same name separate files', async () => {
    serveAudio(h.server, 'twin-1.flac', audio.flac);
    serveAudio(h.server, 'twin-2.flac', audio.flac);
    await prepareAndWait(licensedTrack({ nativeId: 'twin-1', title: 'Gemela' }));
    await prepareAndWait(licensedTrack({ nativeId: 'twin-2', title: 'gemela' }));
    expect(await listFiles(h.musicDir)).toEqual([
      'Artista Prueba/Álbum Prueba/03 - Gemela.mp3',
      'Artista Prueba/Álbum Prueba/03 - Gemela.wav',
      'Artista Prueba/Álbum Prueba/03 - gemela (2).mp3',
      'Artista Prueba/Álbum Prueba/03 - gemela (2).wav',
    ]);
  });

  it('keeps hostile names inside MUSIC_DIR with safe names', async () => {
    const hostile = [
      { nativeId: 'h1', artist: '../../etc/passwd', album: 'CON', title: 'x'.repeat(300) },
      { nativeId: 'h2', artist: '..', album: '.hidden', title: `🎵🎶${'ñ'.repeat(150)}👩‍👩‍👧‍👦` },
      { nativeId: 'h3', artist: 'Ar\u202Etsit\u200F', album: 'nul.txt', title: 'a/b\\c:d*e?f"g<h>i|j\u0000k\u0007' },
    ];
    for (const { nativeId, artist, album, title } of hostile) {
      serveAudio(h.server, `${nativeId}.flac`, audio.flac);
      const job = await prepareAndWait(licensedTrack({ nativeId, title, artists: [{ id: null, name: artist }], album: { id: null, title: album } }));
      expect(job, JSON.stringify(job.error)).toMatchObject({ state: 'DONE' });
    }
    const files = await listFiles(h.musicDir);
    expect(files).toHaveLength(6);
    for (const file of files) {
      const segments = file.split('/');
      expect(segments).toHaveLength(3);
      for (const segment of segments) {
        expect(segment).not.toMatch(/^\.|^\s|[\s.]$|[<>:"\\|?*\u0000-\u001f\u200e\u200f\u202a-\u202e]/);
        expect(Buffer.byteLength(segment)).toBeLessThanOrEqual(255);
        expect(segment).toBe(segment.normalize('NFC'));
        expect(segment.split('.')[0]).not.toMatch(/^(con|prn|aux|nul|com\d|lpt\d)$/i);
      }
    }
    // `../../etc/passwd` loses its separators and leading dots; `CON` stops being a device name; 300 bytes are cut to the cap.
    expect(files).toContain(`_.._etc_passwd/_CON/03 - ${'x'.repeat(200 - '03 - .wav'.length)}.wav`);
    expect(files.some((f) => f.startsWith('Artista desconocido/hidden/03 - 🎵🎶'))).toBe(true);
    expect(files).toContain('Artsit/_nul.txt/03 - a_b_c_d_e_f_g_h_i_jk.wav');
  });
});

describe('not licensed', () => {
  it('reports NOT_LICENSED for a MusicBrainz recording and refuses to prepare it without any request', async () => {
    const { trackFromRecording } = await import('../../src/providers/musicbrainz/parse.js');
    const recording = JSON.parse(await readFile(path.join(import.meta.dirname, '../fixtures/musicbrainz/recording-0cf3008f-inc-artists.json'), 'utf8'));
    const track = trackFromRecording(recording);
    expect(track.source).toBe('musicbrainz');

    const options = await h.service.optionsForTrack(track);
    expect(options.map((o) => [o.format, o.available, o.reason, o.url])).toEqual([
      ['WAV', false, 'NOT_LICENSED', null],
      ['MP3', false, 'NOT_LICENSED', null],
    ]);
    await expect(h.service.prepare(track.id, async () => track)).rejects.toMatchObject({
      extensions: { code: 'DOWNLOAD_UNAVAILABLE', reason: 'NOT_LICENSED' },
    });
    expect(h.server.requests).toHaveLength(0);
    expect(await listFiles(h.musicDir)).toEqual([]);
  });

  it('refuses a licensed track whose source declares no download hosts', async () => {
    const track = { ...licensedTrack({ nativeId: 'x' }), source: 'jamendo', id: 'jamendo:track:1' };
    expect((await h.service.optionsForTrack(track))[0]).toMatchObject({ available: false, reason: 'SOURCE_UNAVAILABLE' });
    await expect(h.service.prepare(track.id, async () => track)).rejects.toMatchObject({ extensions: { code: 'DOWNLOAD_UNAVAILABLE', reason: 'SOURCE_UNAVAILABLE' } });
  });

  it('rejects an id that is not a global id', async () => {
    await expect(h.service.prepare('nonsense', async () => licensedTrack({ nativeId: 'n' }))).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
  });
});
