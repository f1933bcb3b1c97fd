import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { freeLicense } from '../../../src/providers/internetarchive/license.js';
import {
  albumFromItem,
  albumsFromSearch,
  bestDownload,
  escapeQuery,
  pageFromCursor,
  parseTrackNativeId,
  trackNativeId,
  tracksFromItem,
} from '../../../src/providers/internetarchive/parse.js';
import type { IaMetadataResponse, IaSearchResponse } from '../../../src/providers/internetarchive/types.js';

/** Fixtures are genuine Internet Archive answers; see test/fixtures/internetarchive/README.md. */
const fixture = <T>(name: string): T =>
  JSON.parse(readFileSync(path.join(import.meta.dirname, '../../fixtures/internetarchive', name), 'utf8')) as T;

const hippo = fixture<IaMetadataResponse>('metadata-78-hippopotamus.json');
const dead = fixture<IaMetadataResponse>('metadata-gd70-10-23.json');

describe('78rpm item (24-bit FLAC originals, no licence)', () => {
  const id = hippo.metadata!.identifier as string;
  const friendly = hippo.files!.find((f) => f.name === 'I Want A Hippopotamus For Christmas - Vicki Dale.flac')!;
  const tracks = tracksFromItem(hippo);

  it('lists the preferred transfer, not the alternate stylus takes', () => {
    expect(tracks).toHaveLength(1);
    expect(tracks[0]!.id).toBe(`internetarchive:track:${id}/${encodeURIComponent(friendly.name!)}`);
  });

  it('reads title, credits, album, number, length and date from the file and item', () => {
    const [track] = tracks;
    expect(track).toMatchObject({
      source: 'internetarchive',
      title: friendly.title,
      artists: [
        { id: null, name: 'Vicki Dale' },
        { id: null, name: 'The Peter Pan Orchestra' },
      ],
      album: { id: `internetarchive:item:${id}`, title: friendly.album },
      durationSec: Math.round(Number(friendly.length)),
      trackNumber: 1,
      releaseDate: hippo.metadata!.date,
      genres: hippo.metadata!.genre,
      playbackUrl: `https://archive.org/details/${id}/I%20Want%20A%20Hippopotamus%20For%20Christmas%20-%20Vicki%20Dale.flac`,
      previewUrl: `https://archive.org/download/${id}/I%20Want%20A%20Hippopotamus%20For%20Christmas%20-%20Vicki%20Dale.mp3`,
    });
  });

  it('uses the uploaded item image as cover and its JPEG thumb as the small size', () => {
    expect(tracks[0]!.cover).toEqual({
      small: `https://archive.org/download/${id}/${id}_thumb.jpg`,
      medium: null,
      large: `https://archive.org/download/${id}/${id}_itemimage.jpg`,
      source: 'internetarchive',
    });
  });

  it('is not offered for download: the item declares no licence', () => {
    expect(hippo.metadata!.licenseurl).toBeUndefined();
    expect(tracks[0]!.license).toBeNull();
    expect(tracks[0]!.download).toEqual({
      allowed: false,
      reason: 'NOT_LICENSED',
      detail: {
        en: 'The item declares no Creative Commons or public domain licence.',
        es: 'El ítem no declara ninguna licencia Creative Commons ni de dominio público.',
      },
    });
  });

  it('would fetch the 24-bit FLAC original rather than its MP3 or Ogg derivatives', () => {
    const derivatives = hippo.files!.filter((f) => f.original === friendly.name);
    expect(derivatives.map((f) => f.format)).toEqual(['VBR MP3', 'Ogg Vorbis']);
    expect(bestDownload(friendly, derivatives)).toBe(friendly);
    expect(bestDownload({ ...friendly, format: 'Shorten' }, derivatives)?.format).toBe('VBR MP3');
  });

  it('becomes an album with its tracks', () => {
    const album = albumFromItem(hippo)!;
    expect(album).toMatchObject({
      id: `internetarchive:item:${id}`,
      title: hippo.metadata!.title,
      artists: [{ name: 'Vicki Dale' }, { name: 'The Peter Pan Orchestra' }],
      releaseDate: '1953',
      trackCount: 1,
      label: hippo.metadata!.publisher,
      url: `https://archive.org/details/${id}`,
      license: null,
    });
    expect(album.tracks).toEqual(tracks);
  });
});

describe('Live Music Archive item (Shorten originals, MP3 derivatives)', () => {
  const tracks = tracksFromItem(dead);
  const shn = dead.files!.filter((f) => f.source === 'original' && f.format === 'Shorten');

  it('has one track per Shorten original, described by its derivatives', () => {
    expect(tracks.map((t) => t.title)).toEqual(shn.map((f) => f.title));
    const mp3 = dead.files!.find((f) => f.name === 'GD70-10-23d1t01.mp3')!;
    expect(tracks[0]).toMatchObject({
      artists: [{ id: null, name: 'Grateful Dead' }],
      album: { title: mp3.album },
      // The original says length "0"; the MP3 derivative has the clock time.
      durationSec: 5 * 60 + 37,
      trackNumber: 1,
      releaseDate: '1970-10-23',
      cover: null,
    });
    expect(tracks[1]).toMatchObject({ title: 'Mama Tried', durationSec: 3 * 60 + 9, trackNumber: 2 });
  });

  it('is not licensed for download (etree items without licenseurl)', () => {
    for (const track of tracks) expect(track.download).toMatchObject({ allowed: false, reason: 'NOT_LICENSED' });
  });

  it('picks the MP3 derivative since the pipeline cannot verify Shorten', () => {
    const original = shn[0]!;
    const derivatives = dead.files!.filter((f) => f.original === original.name);
    expect(bestDownload(original, derivatives)?.name).toBe('GD70-10-23d1t01.mp3');
  });

  it('ignores items that are not audio and unknown identifiers', () => {
    expect(tracksFromItem({})).toEqual([]);
    expect(albumFromItem({ ...dead, metadata: { ...dead.metadata, mediatype: 'texts' } })).toBeNull();
  });
});

describe('advanced search', () => {
  it('turns audio docs into albums and pages on', () => {
    const body = fixture<IaSearchResponse>('advancedsearch-gratefuldead.json');
    const page = albumsFromSearch(body, 1, 5);
    const docs = body.response!.docs!;
    expect(page.items.map((a) => a.id)).toEqual(docs.map((d) => `internetarchive:item:${d.identifier}`));
    expect(page.items[0]).toMatchObject({
      title: docs[0]!.title,
      artists: [{ id: null, name: 'Grateful Dead' }],
      releaseDate: docs[0]!.year,
      tracks: null,
      trackCount: null,
      cover: null,
      license: null,
    });
    expect(page.total).toBe(body.response!.numFound);
    expect(page.nextCursor).toBe('page:2');
  });

  it('drops non-audio docs (the Creative Commons sample is a text)', () => {
    const body = fixture<IaSearchResponse>('advancedsearch-licenseurl-creativecommons.json');
    expect(body.response!.docs![0]!.mediatype).toBe('texts');
    const page = albumsFromSearch(body, 1, 1);
    expect(page.items).toEqual([]);
    expect(page.total).toBe(2058875);
  });

  it('escapes user text for Solr and reads cursors', () => {
    expect(escapeQuery('AC/DC: "Back in Black" AND more')).toBe('AC\\/DC\\: \\"Back in Black\\" and more');
    expect(pageFromCursor('page:3')).toBe(3);
    expect(pageFromCursor(null)).toBe(1);
    for (const foreign of ['garbage', 'page:0', 'page:-1', 'page:99999', '3']) {
      expect(() => pageFromCursor(foreign)).toThrow(expect.objectContaining({ kind: 'BAD_INPUT' }));
    }
  });
});

describe('ids', () => {
  it('round-trips file names with spaces and folders', () => {
    const native = trackNativeId('some_item', 'disc 1/01 - Intro.flac');
    expect(native).toBe('some_item/disc%201%2F01%20-%20Intro.flac');
    expect(parseTrackNativeId(native)).toEqual({ identifier: 'some_item', fileName: 'disc 1/01 - Intro.flac' });
    expect(parseTrackNativeId('../etc/x')).toBeNull();
    expect(parseTrackNativeId('no-slash')).toBeNull();
    expect(parseTrackNativeId('item/%E0%A4%A')).toBeNull();
  });
});

describe('licences', () => {
  // Licence URLs as items carry them in `licenseurl` (the advanced-search guide filters on
  // `licenseurl:(*creativecommons.org*)`).
  it.each([
    ['http://creativecommons.org/licenses/by-nc-nd/3.0/', 'CC BY-NC-ND 3.0'],
    ['https://creativecommons.org/licenses/by/4.0/', 'CC BY 4.0'],
    ['http://creativecommons.org/licenses/by-sa/2.5/ar/', 'CC BY-SA 2.5'],
    ['http://creativecommons.org/publicdomain/mark/1.0/', 'Public Domain Mark 1.0'],
    ['https://creativecommons.org/publicdomain/zero/1.0/', 'CC0 1.0'],
    ['http://creativecommons.org/licenses/publicdomain/', 'Public Domain'],
  ])('%s is free (%s)', (url, name) => {
    expect(freeLicense(url)).toEqual({ name, url });
  });

  it.each([
    [null],
    ['http://rightsstatements.org/vocab/InC/1.0/'],
    ['https://creativecommons.org.example.net/licenses/by/4.0/'],
    ['https://creativecommons.org/about/'],
    ['not a url'],
    ['ftp://creativecommons.org/licenses/by/4.0/'],
  ])('%s is not', (url) => {
    expect(freeLicense(url)).toBeNull();
  });
});
