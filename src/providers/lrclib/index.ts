import { checkLyrics } from '../../catalog/matching.js';
import type { Lyrics } from '../../domain/types.js';
import type { QueryValue } from '../../http/types.js';
import type { CallContext, LyricsQuery } from '../types.js';
import { defineProvider } from '../define.js';
import { orNull } from '../shared/failures.js';
import { readJson } from '../shared/read.js';
import { assertRecord, assertRecordList, parseRecord, SOURCE } from './parse.js';

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
    hosts: ['lrclib.net'],
    client: (config) => ({ headers: { 'lrclib-client': config.userAgent } }),
  },
  ({ client }) => {
    // LRCLIB asks clients to name themselves; `Lrclib-Client` is its alternative to User-Agent.

    async function get(query: LyricsQuery, ctx: CallContext): Promise<Lyrics | null> {
      const params: Record<string, QueryValue> = { track_name: query.title, artist_name: query.artist };
      if (query.album) params.album_name = query.album;
      if (query.durationSec) params.duration = query.durationSec;
      // A 404 here means "no record with this signature", which the search may still find.
      const found = await orNull(
        readJson(client, `${BASE}get`, { ctx, cache: 'lyrics', searchParams: params }, (body) => {
          assertRecord(body);
          return { lyrics: parseRecord(body) };
        }),
      );
      return found?.lyrics ?? null;
    }

    /**
     * The candidate the matching rules trust most. Anyone can publish to LRCLIB, so one song has
     * many near-identical records; on a tie the one from the asked album wins (the others often
     * carry ".", "None" or "N/A" there), then one with synced lines.
     */
    async function search(query: LyricsQuery, ctx: CallContext): Promise<Lyrics | null> {
      const candidates = await readJson(
        client,
        `${BASE}search`,
        { ctx, cache: 'lyrics', searchParams: { track_name: query.title, artist_name: query.artist } },
        (body) => {
          assertRecordList(body);
          return body.map((record) => ({ lyrics: parseRecord(record), album: sameAlbum(query.album, record.albumName) }));
        },
      );
      let best: { lyrics: Lyrics; confidence: number; album: boolean } | null = null;
      for (const { lyrics, album } of candidates) {
        if (!lyrics) continue;
        const verdict = checkLyrics(query, lyrics);
        if (!verdict.accepted) continue;
        const better =
          !best ||
          verdict.confidence > best.confidence ||
          (verdict.confidence === best.confidence && (album > best.album || (album === best.album && lyrics.synced !== null && best.lyrics.synced === null)));
        if (better) best = { lyrics, confidence: verdict.confidence, album };
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

function sameAlbum(asked: string | null, recorded: unknown): boolean {
  if (!asked || typeof recorded !== 'string') return false;
  const normal = (value: string) => value.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
  return normal(asked) === normal(recorded);
}
