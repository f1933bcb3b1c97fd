import { checkLyrics } from '../../catalog/matching.js';
import type { Lyrics } from '../../domain/types.js';
import { isSourceError } from '../../errors/source.js';
import type { QueryValue } from '../../http/types.js';
import type {CallContext, LyricsQuery } from '../types.js';
import { defineProvider } from '../define.js';
import { assertRecord, assertRecordList, parseRecord, SOURCE } from './parse.js';
import type { LrclibRecord } from './types.js';

const BASE = 'https://lrclib.net/api/';

/**
 * LRCLIB: open lyrics, plain and synced, no key. `/api/get` finds the record of a track's exact
 * signature (LRCLIB accepts ±2 s of duration); when it has none, `/api/search` lists candidates
 * and the stated matching rules (src/catalog/matching.ts) pick the best one, or none.
 */
export const createLrclibProvider = defineProvider(
  {
    id: SOURCE,
    name: 'LRCLIB',
    description: 'Letras gratuitas, muchas sincronizadas con la música (para seguirlas como en un karaoke). Sin clave ni registro.',
    homepage: 'https://lrclib.net',
    hosts: ['lrclib.net'],
    client: (config) => ({ headers: { 'lrclib-client': config.userAgent } }),
  },
  ({ client }) => {
    // LRCLIB asks clients to name themselves; `Lrclib-Client` is its alternative to User-Agent.

    async function get(query: LyricsQuery, ctx: CallContext): Promise<Lyrics | null> {
      const params: Record<string, QueryValue> = { track_name: query.title, artist_name: query.artist };
      if (query.album) params.album_name = query.album;
      if (query.durationSec) params.duration = query.durationSec;
      try {
        const record = await client.json<LrclibRecord>(`${BASE}get`, { ctx, cache: 'lyrics', searchParams: params, validate: assertRecord });
        return parseRecord(record);
      } catch (error) {
        // A 404 here means "no record with this signature", which the search may still find.
        if (isSourceError(error) && error.kind === 'NOT_FOUND') return null;
        throw error;
      }
    }

    async function search(query: LyricsQuery, ctx: CallContext): Promise<Lyrics | null> {
      const records = await client.json<LrclibRecord[]>(`${BASE}search`, {
        ctx,
        cache: 'lyrics',
        searchParams: { track_name: query.title, artist_name: query.artist },
        validate: assertRecordList,
      });
      let best: { lyrics: Lyrics; confidence: number } | null = null;
      for (const record of records) {
        const lyrics = parseRecord(record);
        if (!lyrics) continue;
        const verdict = checkLyrics(query, lyrics);
        if (!verdict.accepted) continue;
        const better =
          !best ||
          verdict.confidence > best.confidence ||
          (verdict.confidence === best.confidence && lyrics.synced !== null && best.lyrics.synced === null);
        if (better) best = { lyrics, confidence: verdict.confidence };
      }
      return best?.lyrics ?? null;
    }

    return {

      async lyrics(query, ctx) {
        const exact = await get(query, ctx);
        if (exact && checkLyrics(query, exact).accepted) return exact;
        return search(query, ctx);
      },
    };
  },
);
