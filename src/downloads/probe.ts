import { open } from 'node:fs/promises';
import { DownloadError } from './errors.js';

/** What a fetched or produced file turned out to be, read from the file itself. */
export interface AudioFacts {
  container: string;
  codec: string;
  lossless: boolean;
  sampleRate: number;
  channels: number;
  bitsPerSample: number | null;
  durationSec: number;
  isMp3: boolean;
}

const MIN_DURATION_SEC = 1;
const MAX_DURATION_SEC = 6 * 3600;

/**
 * Reads the file's own headers (never its name or the server's Content-Type) and refuses anything
 * that is not plain audio of a plausible length. `expectedSec` is what the source claims; a file
 * far shorter or longer is a preview, a different recording or a broken upload.
 */
export async function inspectAudio(file: string, expectedSec: number | null): Promise<AudioFacts> {
  // Loaded on the first download rather than at start: most servers seldom prepare one.
  const { parseFile } = await import('music-metadata');
  let format;
  try {
    ({ format } = await parseFile(file, { duration: true, skipCovers: true }));
  } catch (error) {
    throw new DownloadError('NOT_AUDIO', 'the source sent a file that is not recognisable audio', { cause: error });
  }
  if (!format.hasAudio || format.hasVideo || !format.container || !format.sampleRate || !format.numberOfChannels) {
    throw new DownloadError('NOT_AUDIO', `the source sent ${format.container ?? 'an unknown container'} without a usable audio stream`);
  }
  const durationSec = format.duration ?? null;
  if (durationSec === null || !Number.isFinite(durationSec) || durationSec < MIN_DURATION_SEC || durationSec > MAX_DURATION_SEC) {
    throw new DownloadError('NOT_AUDIO', `the audio lasts an implausible ${durationSec ?? 'unknown'} s`);
  }
  if (expectedSec !== null && expectedSec > 0) {
    const tolerance = Math.max(5, expectedSec * 0.1);
    if (Math.abs(durationSec - expectedSec) > tolerance) {
      throw new DownloadError('NOT_AUDIO', `the audio lasts ${durationSec.toFixed(1)} s but the source lists ${expectedSec} s`);
    }
  }
  const codec = format.codec ?? format.container;
  return {
    container: format.container,
    codec,
    lossless: format.lossless === true,
    sampleRate: format.sampleRate,
    channels: format.numberOfChannels,
    bitsPerSample: format.bitsPerSample ?? null,
    durationSec,
    isMp3: /layer 3/i.test(codec) || (format.container === 'MPEG' && /mp3/i.test(codec)),
  };
}

export interface WavFormat {
  /** 1 = PCM; WAVE_FORMAT_EXTENSIBLE with the PCM sub-format is reported as 1 too. */
  formatTag: number;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
}

const KSDATAFORMAT_SUBTYPE_PCM = Buffer.from('0100000000001000800000aa00389b71', 'hex');

/** Reads the `fmt ` chunk of a RIFF/WAVE file; music-metadata reports extensible PCM as "non-PCM". */
export async function readWavFormat(file: string): Promise<WavFormat> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const data = head.subarray(0, bytesRead);
    if (data.toString('ascii', 0, 4) !== 'RIFF' || data.toString('ascii', 8, 12) !== 'WAVE') throw new Error('not a RIFF/WAVE file');
    let offset = 12;
    while (offset + 8 <= data.length) {
      const id = data.toString('ascii', offset, offset + 4);
      const size = data.readUInt32LE(offset + 4);
      if (id === 'fmt ') {
        let formatTag = data.readUInt16LE(offset + 8);
        if (formatTag === 0xfffe && size >= 40 && data.subarray(offset + 32, offset + 48).equals(KSDATAFORMAT_SUBTYPE_PCM)) formatTag = 1;
        return {
          formatTag,
          channels: data.readUInt16LE(offset + 10),
          sampleRate: data.readUInt32LE(offset + 12),
          bitsPerSample: data.readUInt16LE(offset + 22),
        };
      }
      offset += 8 + size + (size % 2);
    }
    throw new Error('no fmt chunk');
  } finally {
    await handle.close();
  }
}
