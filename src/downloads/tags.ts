import { createReadStream, createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type NodeID3 from 'node-id3';
import type { License } from '../domain/types.js';

export interface TrackTags {
  title: string;
  artist: string;
  album: string | null;
  trackNumber: number | null;
  year: string | null;
  license: License | null;
  cover: { mime: 'image/jpeg' | 'image/png'; data: Buffer } | null;
}

/**
 * An ID3v2.3 tag: title, artist, album, track, year, front cover, and the licence URL both as a
 * comment (what players show) and as WCOP (the frame ID3 defines for terms of use). node-id3 is
 * loaded on the first download, not at start (several MiB of idle memory otherwise).
 */
export async function buildId3(tags: TrackTags): Promise<Buffer> {
  const { default: id3 } = await import('node-id3');
  const frames: NodeID3.Tags = {
    title: tags.title,
    artist: tags.artist,
  };
  if (tags.album) frames.album = tags.album;
  if (tags.trackNumber !== null) frames.trackNumber = String(tags.trackNumber);
  if (tags.year) frames.year = tags.year;
  if (tags.license?.url) {
    frames.comment = { language: 'spa', text: licenseComment(tags.license) };
    frames.copyrightUrl = tags.license.url;
  } else if (tags.license) {
    frames.comment = { language: 'spa', text: tags.license.name };
  }
  if (tags.cover) {
    frames.image = { mime: tags.cover.mime, type: { id: 3 }, description: 'Cover (front)', imageBuffer: tags.cover.data };
  }
  return id3.create(frames);
}

/** The comment is the licence URL itself, so tools that only read comments still find it. */
export function licenseComment(license: License): string {
  return license.url ?? license.name;
}

/**
 * Writes `tag` followed by the untagged MP3 stream into `output`, streaming: a two-hour concert
 * never sits in memory. The Xing header stays in the first audio frame, where decoders look.
 */
export async function prependTag(tag: Buffer, untaggedMp3: string, output: string): Promise<void> {
  const sink = createWriteStream(output, { flags: 'wx' });
  await new Promise<void>((resolve, reject) => {
    sink.write(tag, (error) => (error ? reject(error) : resolve()));
  });
  await pipeline(createReadStream(untaggedMp3), sink);
}
