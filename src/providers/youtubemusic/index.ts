import type { Album, Artist, Chart, Page, Track } from '../../domain/types.js';
import type { Logger } from '../../logger.js';
import type { BrowseInput, CallContext, ChartInput, NativeRef, SearchInput } from '../types.js';
import { defineProvider } from '../define.js';
import { failuresOf } from '../shared/failures.js';
import { settingsFromEnv } from './config.js';
import { InnerTube, type Payload } from './innertube.js';
import { songId, TRACK_KINDS, VIDEO_ID, type DriftReporter, type TrackKind } from './items.js';
import { ALBUM_BROWSE_ID, CHANNEL_ID, parseYouTubeUrl } from './links.js';
import {
  parseAlbumPage,
  parseAlbumSearch,
  parseArtistPage,
  parseArtistSearch,
  parseChartPlaylist,
  parseChartsHome,
  parseTrackSearch,
  pickChartPlaylist,
  type SearchPage,
} from './parse.js';
import { SOURCE } from './runs.js';
import { expectPlayer, expectWatchNext, trackFromPlayer, trackFromWatchNext } from './watch.js';

/**
 * "Scraping YouTube Music": the catalogue of music.youtube.com read through InnerTube, the JSON
 * API its own web player (client `WEB_REMIX`) uses. No key is needed. Metadata and a link to
 * listen only: streams are never downloaded.
 */

/** Search filters the web player sends (NewPipe's recorded request bodies). */
export const SEARCH_FILTER = {
  songs: 'Eg-KAQwIARAAGAAgACgAMABqChAEEAUQAxAKEAk%3D',
  albums: 'Eg-KAQwIABAAGAEgACgAMABqChAEEAUQAxAKEAk%3D',
  artists: 'Eg-KAQwIABAAGAAgASgAMABqChAEEAUQAxAKEAk%3D',
} as const;

const GLOBAL_CHART = 'ZZ';
const fail = failuresOf(SOURCE);

/** Logs each missing field name once per provider instance, so a layout change is one line, not thousands. */
export function onceReporter(logger: Logger): DriftReporter {
  const seen = new Set<string>();
  return (field) => {
    if (seen.has(field)) return;
    seen.add(field);
    logger.warn('youtubemusic: field missing from the response (site layout changed?)', { field });
  };
}

const ignore: DriftReporter = () => undefined;

/**
 * A cursor is the continuation token of the next page. When a page is cut short by `limit`, the
 * cursor also says how many of that page's items were already returned: `<token>#<offset>`,
 * with an empty token for the first page.
 */
export function encodeCursor(token: string | null, offset: number): string {
  return `${token ?? ''}#${offset}`;
}

export function decodeCursor(cursor: string | null): { token: string | null; offset: number } {
  if (!cursor) return { token: null, offset: 0 };
  const match = /^([A-Za-z0-9_.~%=+/-]*)(?:#(\d{1,6}))?$/.exec(cursor);
  if (!match) throw fail.badInput('not a cursor YouTube Music handed out');
  return { token: match[1] || null, offset: Number(match[2] ?? 0) };
}

function pageOf<T>(page: SearchPage<T>, token: string | null, offset: number, limit: number): Page<T> {
  const rest = page.items.slice(offset);
  const wanted = Math.max(1, limit);
  if (rest.length > wanted) return { items: rest.slice(0, wanted), total: null, nextCursor: encodeCursor(token, offset + wanted) };
  return { items: rest, total: null, nextCursor: page.continuation };
}

function requireId(ref: NativeRef, kinds: readonly string[], pattern: RegExp): string {
  if (!kinds.includes(ref.kind) || !pattern.test(ref.id)) {
    throw fail.notFound(`not a YouTube Music ${kinds.join(' or ')} id: ${ref.kind}:${ref.id}`);
  }
  return ref.id;
}

export const createYouTubeMusicProvider = defineProvider(
  {
    id: SOURCE,
    name: 'Scraping YouTube Music',
    description: 'Catálogo de YouTube Music: búsqueda de canciones, discos y artistas y listas de éxitos por país, con enlace para escucharlas en YouTube; nunca descarga. Sin clave. Lee su web: si YouTube la cambia puede dejar de funcionar (compruébalo con npm run sources:check).',
    hosts: ['music.youtube.com', 'charts.youtube.com'],
    idKinds: { track: TRACK_KINDS, album: ['album'], artist: ['artist'] },
    parseUrl: parseYouTubeUrl,
    // A modest pace: this is the site's own web API, not a published one.
    client: { rateLimit: { requests: 5, intervalMs: 1000 } },
  },
  ({ client, logger, env }) => {
    const settings = settingsFromEnv(env, logger);
    const innertube = new InnerTube(client, settings, logger);
    const report = onceReporter(logger);

    async function search<T>(
      input: SearchInput,
      ctx: CallContext,
      params: string,
      parse: (body: unknown, report: DriftReporter) => SearchPage<T>,
    ): Promise<Page<T>> {
      const { token, offset } = decodeCursor(input.cursor);
      const query = input.query.trim();
      if (!token && !query) return { items: [], total: null, nextCursor: null };
      const options = { ctx, cache: 'search' as const, validate: (body: unknown) => void parse(body, ignore) };
      const body = token ? await innertube.continue('search', token, options) : await innertube.call('search', { query, params }, options);
      return pageOf(parse(body, report), token, offset, input.limit);
    }

    function browse(payload: Payload, ctx: CallContext, cache: 'entity' | 'chart', validate: (body: unknown) => void): Promise<unknown> {
      return innertube.call('browse', payload, { ctx, cache, validate });
    }

    async function artistPage(ref: NativeRef, ctx: CallContext) {
      const channelId = requireId(ref, ['artist'], CHANNEL_ID);
      const body = await browse({ browseId: channelId }, ctx, 'entity', (raw) => void parseArtistPage(raw, channelId, ignore));
      return parseArtistPage(body, channelId, report);
    }

    return {
      /**
       * A song or video through the watch queue (`next`, as the web player asks it: the song's
       * radio), and through `player` when the queue does not hold it. The track keeps the kind it
       * was asked by, so `node(id)` answers with the same id.
       */
      async track(ref: NativeRef, ctx: CallContext): Promise<Track> {
        const videoId = requireId(ref, TRACK_KINDS, VIDEO_ID);
        const id = songId(videoId, ref.kind as TrackKind);
        const watch = await innertube.call(
          'next',
          { enablePersistentPlaylistPanel: true, isAudioOnly: true, tunerSettingValue: 'AUTOMIX_SETTING_NORMAL', playlistId: `RDAMVM${videoId}`, videoId },
          { ctx, cache: 'entity', validate: expectWatchNext },
        );
        const queued = trackFromWatchNext(watch, videoId, id, report);
        if (queued) return queued;
        const player = await innertube.call('player', { videoId }, { ctx, cache: 'entity', validate: expectPlayer });
        return trackFromPlayer(player, videoId, id, report);
      },

      searchTracks: (input, ctx) => search(input, ctx, SEARCH_FILTER.songs, parseTrackSearch),
      searchAlbums: (input, ctx) => search(input, ctx, SEARCH_FILTER.albums, parseAlbumSearch),
      searchArtists: (input, ctx) => search(input, ctx, SEARCH_FILTER.artists, parseArtistSearch),

      async album(ref: NativeRef, ctx: CallContext): Promise<Album> {
        const browseId = requireId(ref, ['album'], ALBUM_BROWSE_ID);
        const body = await browse({ browseId }, ctx, 'entity', (raw) => void parseAlbumPage(raw, browseId, ignore));
        return parseAlbumPage(body, browseId, report);
      },

      async artist(ref: NativeRef, ctx: CallContext): Promise<Artist> {
        return (await artistPage(ref, ctx)).artist;
      },

      /** The albums, singles and EPs the artist page shows; the full discography is a page not read yet. */
      async artistAlbums(ref: NativeRef, input: BrowseInput, ctx: CallContext): Promise<Page<Album>> {
        const { offset } = decodeCursor(input.cursor);
        const { discography } = await artistPage(ref, ctx);
        return pageOf({ items: discography, continuation: null }, null, offset, input.limit);
      },

      async chart(input: ChartInput, ctx: CallContext): Promise<Chart> {
        const country = input.country?.toUpperCase() ?? null;
        const wanted = country ?? GLOBAL_CHART;
        const empty: Chart = { scope: country ?? 'GLOBAL', source: SOURCE, fetchedAt: new Date().toISOString(), title: null, entries: [] };
        const homeBody = await browse({ browseId: 'FEmusic_charts', formData: { selectedValues: [wanted] } }, ctx, 'chart', (raw) => void parseChartsHome(raw));
        const home = parseChartsHome(homeBody);
        if (home.selectedCountry === null) report('chart.selectedCountry');
        // The site shows its default country when it has no chart for the one asked: that is not this country's chart.
        if (home.selectedCountry !== null && home.selectedCountry !== wanted) return empty;
        const playlist = pickChartPlaylist(home.playlists, input.genre);
        if (!playlist) return empty;
        const body = await browse({ browseId: playlist.browseId }, ctx, 'chart', (raw) => void parseChartPlaylist(raw, ignore));
        const parsed = parseChartPlaylist(body, report);
        return { ...empty, title: parsed.title ?? playlist.title, entries: parsed.entries.slice(0, Math.max(1, input.limit)) };
      },
    };
  },
);
