import type { Chart, Lyrics, Track } from '../../domain/types.js';
import { isSourceError, SourceError } from '../../errors/source.js';
import type { CacheKind, QueryValue } from '../../http/types.js';
import { num } from '../shared/parse.js';
import type {CallContext, LyricsQuery } from '../types.js';
import { defineProvider } from '../define.js';
import { assertMusixmatchOk, bodyOf, instrumentalLyrics, parseLyrics, parseTrack, SOURCE } from './parse.js';
import type { LyricsBody, MusixmatchEnvelope, MusixmatchTrack, TrackBody, TrackListBody } from './types.js';

const BASE = 'https://api.musixmatch.com/ws/1.1/';
export const MUSIXMATCH_CREDENTIAL = 'MUSIXMATCH_API_KEY';
/** `page_size` ranges 1..100. */
const MAX_PAGE_SIZE = 100;
/** Musixmatch's code for "worldwide" in `country`. */
const WORLDWIDE = 'XW';

export const createMusixmatchProvider = defineProvider(
  {
    id: SOURCE,
    name: 'Musixmatch',
    description: 'Letras de canciones y listas de éxitos por país. Necesita una clave de Musixmatch (MUSIXMATCH_API_KEY); con el plan gratuito da solo una parte de cada letra y para uso no comercial.',
    homepage: 'https://www.musixmatch.com',
    hosts: ['api.musixmatch.com'],
    credentials: [MUSIXMATCH_CREDENTIAL],
    idKinds: { track: ['track'] },
    client: { rateLimit: { requests: 5, intervalMs: 1000 } },
  },
  ({ client, credential }) => {
    const apiKey = credential(MUSIXMATCH_CREDENTIAL);

    async function call<B>(method: string, params: Record<string, QueryValue>, cache: CacheKind, ctx: CallContext): Promise<B> {
      if (!apiKey) throw new SourceError(SOURCE, 'UNCONFIGURED', `${MUSIXMATCH_CREDENTIAL} is not set`);
      const envelope = await client.json<MusixmatchEnvelope<B>>(`${BASE}${method}`, {
        ctx,
        cache,
        searchParams: { apikey: apiKey, format: 'json', ...params },
        secretParams: ['apikey'],
        validate: assertMusixmatchOk,
      });
      return bodyOf(envelope);
    }

    /** "Not found" is an answer for lyrics, not a failure. */
    async function orNull<T>(promise: Promise<T>): Promise<T | null> {
      try {
        return await promise;
      } catch (error) {
        if (isSourceError(error) && error.kind === 'NOT_FOUND') return null;
        throw error;
      }
    }

    /** `matcher.track.get` by ISRC when known (exact), else by artist and title (Musixmatch's fuzzy match). */
    async function matchTrack(query: LyricsQuery, ctx: CallContext): Promise<MusixmatchTrack | null> {
      if (query.isrc) {
        const byIsrc = await orNull(call<TrackBody>('matcher.track.get', { track_isrc: query.isrc }, 'lyrics', ctx));
        if (byIsrc?.track) return byIsrc.track;
      }
      const byText = await orNull(call<TrackBody>('matcher.track.get', { q_track: query.title, q_artist: query.artist }, 'lyrics', ctx));
      return byText?.track ?? null;
    }

    return {

      async lyrics(query, ctx): Promise<Lyrics | null> {
        const track = await matchTrack(query, ctx);
        if (!track) return null;
        if (track.instrumental === 1) return instrumentalLyrics(track);
        if (track.has_lyrics === 0) return null;
        const body = await orNull(call<LyricsBody>('track.lyrics.get', { track_id: track.track_id }, 'lyrics', ctx));
        return body?.lyrics ? parseLyrics(track, body.lyrics) : null;
      },

      async track(ref, ctx): Promise<Track> {
        if (ref.kind !== 'track') throw new SourceError(SOURCE, 'NOT_FOUND', `no ${ref.kind} ${ref.id} on Musixmatch`);
        const body = await call<TrackBody>('track.get', { track_id: ref.id }, 'entity', ctx);
        const track = body.track ? parseTrack(body.track) : null;
        if (!track) throw new SourceError(SOURCE, 'NOT_FOUND', `no track ${ref.id} on Musixmatch`);
        return track;
      },

      async chart(input, ctx): Promise<Chart> {
        const country = input.country ?? WORLDWIDE;
        const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(input.limit)));
        // `top` is Musixmatch's editorial chart per country (developer.musixmatch.com, chart.tracks.get).
        const body = await call<TrackListBody>(
          'chart.tracks.get',
          { chart_name: 'top', country: country.toLowerCase(), page: 1, page_size: pageSize },
          'chart',
          ctx,
        );
        const entries = (body.track_list ?? []).flatMap((item) => {
          const track = item.track ? parseTrack(item.track) : null;
          // `track_rating` is Musixmatch's own 0–100 popularity index.
          return track ? [{ track, popularity: num(item.track?.track_rating) }] : [];
        });
        return {
          scope: input.country ?? 'GLOBAL',
          source: SOURCE,
          fetchedAt: new Date().toISOString(),
          title: input.country ? `Musixmatch: top ${input.country}` : 'Musixmatch: top mundial',
          entries: entries.map((entry, index) => ({ position: index + 1, ...entry })),
        };
      },
    };
  },
);
