import type { Chart, Lyrics, Track } from '../../domain/types.js';
import { SourceError } from '../../errors/source.js';
import type { CacheKind, QueryValue } from '../../http/types.js';
import { failuresOf, orNull } from '../shared/failures.js';
import { num, pageLimit } from '../shared/parse.js';
import { readJson } from '../shared/read.js';
import type { CallContext, LyricsQuery } from '../types.js';
import { defineProvider } from '../define.js';
import { isRecord } from '../shared/drift.js';
import { assertMusixmatchOk, bodyOf, instrumentalLyrics, parseLyrics, parseTrack, SOURCE } from './parse.js';
import type { LyricsBody, MusixmatchEnvelope, MusixmatchTrack, TrackBody, TrackListBody } from './types.js';

const BASE = 'https://api.musixmatch.com/ws/1.1/';
const MUSIXMATCH_CREDENTIAL = 'MUSIXMATCH_API_KEY';
/** `page_size` ranges 1..100. */
const MAX_PAGE_SIZE = 100;
/** Musixmatch's code for "worldwide" in `country`. */
const WORLDWIDE = 'XW';

const { notFound } = failuresOf(SOURCE);

const isTrack = (value: unknown): value is MusixmatchTrack => isRecord(value);

export const createMusixmatchProvider = defineProvider(
  {
    id: SOURCE,
    name: 'Musixmatch',
    description: 'Letras de canciones y listas de éxitos por país. Necesita una clave de Musixmatch (MUSIXMATCH_API_KEY); con el plan gratuito da solo una parte de cada letra y para uso no comercial.',
    hosts: ['api.musixmatch.com'],
    credentials: [MUSIXMATCH_CREDENTIAL],
    idKinds: { track: ['track'] },
    client: { rateLimit: { requests: 5, intervalMs: 1000 } },
  },
  ({ client, credential }) => {
    const apiKey = credential(MUSIXMATCH_CREDENTIAL);

    /**
     * One API method; the envelope's status becomes a typed error and `read` takes what it needs
     * from the body before the answer may be cached, so an answer it cannot read is never stored.
     */
    async function call<B, R>(method: string, params: Record<string, QueryValue>, cache: CacheKind, ctx: CallContext, read: (body: B) => R): Promise<R> {
      if (!apiKey) throw new SourceError(SOURCE, 'UNCONFIGURED', `${MUSIXMATCH_CREDENTIAL} is not set`);
      return readJson(
        client,
        `${BASE}${method}`,
        { ctx, cache, searchParams: { apikey: apiKey, format: 'json', ...params }, secretParams: ['apikey'] },
        (envelope) => {
          assertMusixmatchOk(envelope);
          return read(bodyOf(envelope as MusixmatchEnvelope<B>));
        },
      );
    }

    const trackOf = (body: TrackBody): MusixmatchTrack | null => (isTrack(body.track) ? body.track : null);

    /** `matcher.track.get` by ISRC when known (exact), else by artist and title (Musixmatch's fuzzy match). */
    async function matchTrack(query: LyricsQuery, ctx: CallContext): Promise<MusixmatchTrack | null> {
      // "Not found" is an answer for lyrics, not a failure.
      if (query.isrc) {
        const byIsrc = await orNull(call('matcher.track.get', { track_isrc: query.isrc }, 'lyrics', ctx, trackOf));
        if (byIsrc) return byIsrc;
      }
      return orNull(call('matcher.track.get', { q_track: query.title, q_artist: query.artist }, 'lyrics', ctx, trackOf)).then((track) => track ?? null);
    }

    return {
      async lyrics(query, ctx): Promise<Lyrics | null> {
        const track = await matchTrack(query, ctx);
        if (!track) return null;
        if (track.instrumental === 1) return instrumentalLyrics(track);
        if (track.has_lyrics === 0) return null;
        const lyrics = await orNull(
          call('track.lyrics.get', { track_id: track.track_id }, 'lyrics', ctx, (body: LyricsBody) => (isRecord(body.lyrics) ? parseLyrics(track, body.lyrics) : null)),
        );
        return lyrics ?? null;
      },

      async track(ref, ctx): Promise<Track> {
        // Musixmatch track ids are numbers; anything else cannot be one, so it is not asked.
        if (ref.kind !== 'track' || !/^\d{1,15}$/.test(ref.id)) throw notFound(`no ${ref.kind} ${ref.id} on Musixmatch`);
        return call('track.get', { track_id: ref.id }, 'entity', ctx, (body: TrackBody) => {
          const track = isTrack(body.track) ? parseTrack(body.track) : null;
          if (!track) throw notFound(`no track ${ref.id} on Musixmatch`);
          return track;
        });
      },

      async chart(input, ctx): Promise<Chart> {
        const country = input.country ?? WORLDWIDE;
        // `top` is Musixmatch's editorial chart per country (developer.musixmatch.com, chart.tracks.get).
        const entries = await call(
          'chart.tracks.get',
          { chart_name: 'top', country: country.toLowerCase(), page: 1, page_size: pageLimit(input.limit, MAX_PAGE_SIZE) },
          'chart',
          ctx,
          (body: TrackListBody) =>
            (Array.isArray(body.track_list) ? body.track_list : []).flatMap((item) => {
              const track = isTrack(item?.track) ? parseTrack(item.track) : null;
              // `track_rating` is Musixmatch's own 0–100 popularity index.
              return track ? [{ track, popularity: num(item.track?.track_rating) }] : [];
            }),
        );
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
