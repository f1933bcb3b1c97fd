import { describe, expect, it } from 'vitest';
import { silentLogger, type Logger } from '../../../src/logger.js';
import { DEFAULT_CLIENT_VERSION, settingsFromEnv } from '../../../src/providers/youtubemusic/config.js';
import { dig, digArray, digString } from '../../../src/providers/youtubemusic/dig.js';
import { imageSetOf, resizedSquare } from '../../../src/providers/youtubemusic/images.js';
import { datedVersion, isVersionRejection, tokenForUrl, versionFromPage } from '../../../src/providers/youtubemusic/innertube.js';
import { decodeCursor, encodeCursor } from '../../../src/providers/youtubemusic/index.js';
import { parseYouTubeUrl } from '../../../src/providers/youtubemusic/links.js';
import { pickChartPlaylist } from '../../../src/providers/youtubemusic/parse.js';
import { creditsOf, leadingCount, readSubtitle } from '../../../src/providers/youtubemusic/runs.js';
import { SourceError } from '../../../src/errors/source.js';
import { skipWithoutRecordings } from '../../support/recordings.js';
import { firstPageShelf, recording } from './recorded.js';

describe('dig', () => {
  const tree = { a: [{ b: 'x' }, { b: '' }], n: null };
  it('follows paths and returns undefined for any missing or mistyped step', () => {
    expect(dig(tree, 'a', 0, 'b')).toBe('x');
    expect(dig(tree, 'a', -1, 'b')).toBe('');
    expect(dig(tree, 'a', 5, 'b')).toBeUndefined();
    expect(dig(tree, 'a', 'b')).toBeUndefined();
    expect(dig(tree, 'n', 'c')).toBeUndefined();
    expect(dig('text', 0)).toBeUndefined();
    expect(digString(tree, 'a', 1, 'b')).toBeUndefined();
    expect(digArray(tree, 'n')).toEqual([]);
  });
});

describe('settings', () => {
  it('defaults to the newest recorded client version, Spanish and Spain', () => {
    expect(settingsFromEnv({}, silentLogger)).toEqual({ clientName: 'WEB_REMIX', clientVersion: DEFAULT_CLIENT_VERSION, hl: 'es', gl: 'ES' });
  });

  it('takes valid values and ignores malformed ones with a warning', () => {
    const warned: string[] = [];
    const logger: Logger = { ...silentLogger, warn: (message) => void warned.push(message), child: () => logger };
    const settings = settingsFromEnv({ YTMUSIC_CLIENT_VERSION: '1.20990101.01.00', YTMUSIC_HL: 'en-GB', YTMUSIC_GL: 'gb' }, logger);
    expect(settings).toMatchObject({ clientVersion: '1.20990101.01.00', hl: 'en-GB', gl: 'GB' });
    const fallback = settingsFromEnv({ YTMUSIC_CLIENT_VERSION: 'latest', YTMUSIC_GL: 'Spain' }, logger);
    expect(fallback).toMatchObject({ clientVersion: DEFAULT_CLIENT_VERSION, gl: 'ES' });
    expect(warned).toHaveLength(2);
  });
});

describe.skipIf(skipWithoutRecordings('youtubemusic'))('default client version', () => {
  it('is the version of the newest recorded request bodies', async () => {
    const { loadIndex, readRecordingJson } = await import('../../support/recordings.js');
    const versions = loadIndex('youtubemusic')
      .filter((entry) => entry.request.bodyFile)
      .map((entry) => readRecordingJson('youtubemusic', entry.request.bodyFile!).context.client)
      // Reconstructed request bodies (the `next` lookup) carry no version: they say nothing about it.
      .filter((client) => client.clientName === 'WEB_REMIX' && typeof client.clientVersion === 'string')
      .map((client) => client.clientVersion as string)
      .sort();
    expect(DEFAULT_CLIENT_VERSION).toBe(versions.at(-1));
  });
});

describe('client version helpers', () => {
  it('reads INNERTUBE_CLIENT_VERSION (or the context version) from a page', () => {
    expect(versionFromPage('ytcfg.set({"INNERTUBE_CLIENT_VERSION":"1.20260301.01.00"})')).toBe('1.20260301.01.00');
    expect(versionFromPage('{"INNERTUBE_CONTEXT_CLIENT_VERSION": "1.20260302.00.00"}')).toBe('1.20260302.00.00');
    expect(versionFromPage('"clientName":"WEB_REMIX","clientVersion":"1.20260303.01.00"')).toBe('1.20260303.01.00');
    expect(versionFromPage('<html>no config</html>')).toBeNull();
    expect(versionFromPage('"INNERTUBE_CLIENT_VERSION":"2.0"')).toBeNull();
  });

  it('dates a fallback version like the web player does', () => {
    expect(datedVersion(new Date('2026-03-05T12:00:00Z'))).toBe('1.20260305.01.00');
  });

  it('treats only a 400 BAD_RESPONSE as a version rejection', () => {
    expect(isVersionRejection(new SourceError('youtubemusic', 'BAD_RESPONSE', 'x', { status: 400 }))).toBe(true);
    expect(isVersionRejection(new SourceError('youtubemusic', 'BAD_RESPONSE', 'x', { status: 422 }))).toBe(false);
    expect(isVersionRejection(new SourceError('youtubemusic', 'BAD_RESPONSE', 'unparseable'))).toBe(false);
    expect(isVersionRejection(new SourceError('youtubemusic', 'UNAVAILABLE', 'x', { status: 503 }))).toBe(false);
    expect(isVersionRejection(new Error('x'))).toBe(false);
  });
});

describe('continuation tokens and cursors', () => {
  it('puts tokens in the URL as InnerTube sent them, escaping only what would break the query', () => {
    expect(tokenForUrl('ErIDEgttb2Nyb21hbmlhYx%3DY8erQLg%3D%3D')).toBe('ErIDEgttb2Nyb21hbmlhYx%3DY8erQLg%3D%3D');
    expect(tokenForUrl('a+b/c=&d')).toBe('a%2Bb%2Fc%3D%26d');
    expect(tokenForUrl('50%off')).toBe('50%25off');
  });

  it('round-trips cursors and rejects foreign ones', () => {
    expect(decodeCursor(null)).toEqual({ token: null, offset: 0 });
    expect(decodeCursor('Eg%3D')).toEqual({ token: 'Eg%3D', offset: 0 });
    expect(decodeCursor(encodeCursor(null, 5))).toEqual({ token: null, offset: 5 });
    expect(decodeCursor(encodeCursor('Eg%3D', 10))).toEqual({ token: 'Eg%3D', offset: 10 });
    expect(() => decodeCursor('<script>')).toThrow(expect.objectContaining({ kind: 'BAD_INPUT' }));
  });
});

describe('images', () => {
  it('resizes square Google-hosted thumbnails through their size option', () => {
    const image = { url: 'https://lh3.googleusercontent.com/abc=w60-h60-l90-rj', width: 60, height: 60 };
    expect(resizedSquare(image, 500)).toBe('https://lh3.googleusercontent.com/abc=w500-h500-l90-rj');
    expect(resizedSquare({ url: 'https://yt3.googleusercontent.com/abc=s192', width: 192, height: 192 }, 1200)).toBe('https://yt3.googleusercontent.com/abc=s1200');
  });

  it('picks listed sizes for other hosts and for banners', () => {
    expect(resizedSquare({ url: 'https://i.ytimg.com/vi/x/sddefault.jpg?sqp=a=w1', width: 400, height: 225 }, 500)).toBeNull();
    const banner = [540, 1440].map((w) => ({ url: `https://lh3.googleusercontent.com/b=w${w}-h${Math.round(w / 2.4)}-p-l90-rj`, width: w, height: Math.round(w / 2.4) }));
    expect(imageSetOf(banner)).toEqual({ small: banner[0]!.url, medium: banner[0]!.url, large: banner[1]!.url, source: 'youtubemusic' });
    expect(imageSetOf([])).toBeNull();
  });
});

describe('runs', () => {
  it('splits credits and keeps join phrases', () => {
    const artist = (name: string, id: string) => ({
      text: name,
      navigationEndpoint: { browseEndpoint: { browseId: id, browseEndpointContextSupportedConfigs: { browseEndpointContextMusicConfig: { pageType: 'MUSIC_PAGE_TYPE_ARTIST' } } } },
    });
    expect(creditsOf([artist('A', 'UCa'), { text: ', ' }, artist('B', 'UCb'), { text: ' & ' }, { text: 'C' }])).toEqual([
      { id: 'youtubemusic:artist:UCa', name: 'A', joinPhrase: ', ' },
      { id: 'youtubemusic:artist:UCb', name: 'B', joinPhrase: ' & ' },
      { id: null, name: 'C' },
    ]);
  });

  it('reads a Spanish subtitle the same way as an English one', () => {
    const parts = readSubtitle([{ text: 'Sencillo' }, { text: ' • ' }, { text: 'Rosalía' }, { text: ' • ' }, { text: '2022' }]);
    expect(parts).toMatchObject({ typeLabel: 'Sencillo', artists: [{ id: null, name: 'Rosalía' }], year: '2022', durationSec: null });
  });

  it('reads counts with thousands separators', () => {
    expect(leadingCount('11 songs')).toBe(11);
    expect(leadingCount('1.234 canciones')).toBe(1234);
    expect(leadingCount('1,234 songs')).toBe(1234);
    expect(leadingCount('songs')).toBeNull();
  });
});

describe('chart playlist choice', () => {
  const playlists = [
    { browseId: 'VLOLAK5uy_trending', title: 'Trending 20 Spain' },
    { browseId: 'VLPLdaily', title: 'Daily Top Music Videos - Spain' },
    { browseId: 'VLPLweekly', title: 'Los 100 vídeos musicales más populares en España' },
  ];
  it('prefers the top 100, then the last video chart, and matches a genre by title', () => {
    expect(pickChartPlaylist(playlists, null)?.browseId).toBe('VLPLweekly');
    expect(pickChartPlaylist(playlists.slice(0, 2), null)?.browseId).toBe('VLPLdaily');
    expect(pickChartPlaylist(playlists, 'trending')?.browseId).toBe('VLOLAK5uy_trending');
    expect(pickChartPlaylist(playlists, 'jazz')).toBeNull();
  });
});

describe.skipIf(skipWithoutRecordings('youtubemusic'))('recorded search params', () => {
  it('are the filters the provider sends', async () => {
    const { SEARCH_FILTER } = await import('../../../src/providers/youtubemusic/index.js');
    const { readRecordingJson } = await import('../../support/recordings.js');
    expect(readRecordingJson('youtubemusic', 'search-songs-filter-mocromaniac.request.json').params).toBe(SEARCH_FILTER.songs);
    expect(readRecordingJson('youtubemusic', 'search-albums-filter-axwell.request.json').params).toBe(SEARCH_FILTER.albums);
    expect(readRecordingJson('youtubemusic', 'search-artists-filter-kevin.request.json').params).toBe(SEARCH_FILTER.artists);
    expect(firstPageShelf(recording('search-songs-filter-mocromaniac.json')).title.runs[0].text).toBe('Songs');
  });
});

describe('links (parseUrl)', () => {
  const parse = (url: string) => parseYouTubeUrl(new URL(url));

  it('reads watch links as tracks: `song` on YouTube Music, `video` on YouTube', () => {
    expect(parse('https://music.youtube.com/watch?v=lYBUbBu4W08&list=RDAMVMlYBUbBu4W08')).toEqual({ entity: 'track', ref: { kind: 'song', id: 'lYBUbBu4W08' } });
    for (const url of ['https://www.youtube.com/watch?v=dQw4w9WgXcQ', 'https://youtube.com/watch?v=dQw4w9WgXcQ&t=43', 'https://m.youtube.com/watch?v=dQw4w9WgXcQ', 'https://youtu.be/dQw4w9WgXcQ?si=x']) {
      expect(parse(url), url).toEqual({ entity: 'track', ref: { kind: 'video', id: 'dQw4w9WgXcQ' } });
    }
  });

  it('reads album browse links and channel links', () => {
    expect(parse('https://music.youtube.com/browse/MPREb_dcYZhAh5urI')).toEqual({ entity: 'album', ref: { kind: 'album', id: 'MPREb_dcYZhAh5urI' } });
    expect(parse('https://music.youtube.com/channel/UCwZEU0wAwIyZb4x5G_KJp2w')).toEqual({ entity: 'artist', ref: { kind: 'artist', id: 'UCwZEU0wAwIyZb4x5G_KJp2w' } });
    expect(parse('https://www.youtube.com/channel/UCwZEU0wAwIyZb4x5G_KJp2w')).toEqual({ entity: 'artist', ref: { kind: 'artist', id: 'UCwZEU0wAwIyZb4x5G_KJp2w' } });
  });

  it('names nothing for links its lookups cannot take', () => {
    for (const url of [
      'https://music.youtube.com/playlist?list=OLAK5uy_mzYnlaHgFOvLaxqIPnnouEr-idiUn4NIM',
      'https://music.youtube.com/browse/VLOLAK5uy_mzYnlaHgFOvLaxqIPnnouEr-idiUn4NIM',
      'https://music.youtube.com/watch?v=short',
      'https://music.youtube.com/watch',
      'https://youtu.be/dQw4w9WgXcQ/extra',
      'https://www.youtube.com/@RickAstleyYT',
      'https://youtube.example.org/watch?v=dQw4w9WgXcQ',
      'https://music.youtube.com.example.org/watch?v=dQw4w9WgXcQ',
      'ftp://music.youtube.com/watch?v=dQw4w9WgXcQ',
    ]) {
      expect(parse(url), url).toBeNull();
    }
  });
});
