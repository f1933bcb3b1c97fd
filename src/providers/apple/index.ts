import type { Album, Chart, Track } from '../../domain/types.js';
import type { CallContext, ChartInput, NativeRef } from '../types.js';
import { defineProvider } from '../define.js';
import { countryName } from '../shared/countries.js';
import { failuresOf } from '../shared/failures.js';
import { text } from '../shared/parse.js';
import { SOURCE, albumFromLookup, expectFeed, expectLookup, parseFeedEntries, songFromLookup } from './parse.js';
import type { AppleFeed, ItunesLookup } from './types.js';
import { parseAppleMusicUrl } from './urls.js';

const FEEDS = 'https://rss.applemarketingtools.com/api/v2';
const LOOKUP = 'https://itunes.apple.com/lookup';
/** The feeds accept any size up to this many rows (seen in use: 2, 10, 20, 25, 50, 100). */
const MAX_ROWS = 100;
/** Apple has no worldwide chart; a chart asked without a country is the United States one, labelled as such. */
const DEFAULT_STOREFRONT = 'US';
/**
 * Lookups ask the US store: the ids carry no storefront, and Apple's catalogue ids are the same
 * in every store (a release missing from the US store is NOT_FOUND here).
 */
const LOOKUP_STOREFRONT = 'us';
/** Songs per album lookup; Apple's own maximum. */
const MAX_SONGS = 200;
/** Ids per batched song lookup: keeps the URL short. */
const IDS_PER_LOOKUP = 50;
const APPLE_ID = /^[1-9]\d{0,14}$/;

const fail = failuresOf(SOURCE);

export const createAppleProvider = defineProvider(
  {
    id: SOURCE,
    name: 'Apple Music (RSS)',
    description: 'Las canciones más escuchadas en Apple Music en cada país, y fichas de canciones y álbumes de iTunes. Gratuita y sin clave.',
    hosts: ['rss.applemarketingtools.com', 'itunes.apple.com'],
    idKinds: { track: ['song'], album: ['album'] },
    parseUrl: parseAppleMusicUrl,
    // The iTunes Search API allows about 20 calls a minute; the feeds share the budget.
    client: { rateLimit: { requests: 20, intervalMs: 60_000 } },
  },
  ({ client }) => {
    function lookup(params: Record<string, string | number>, ctx: CallContext): Promise<ItunesLookup> {
      return client.json<ItunesLookup>(LOOKUP, { ctx, cache: 'entity', searchParams: params, validate: expectLookup });
    }

    return {
      async chart(input: ChartInput, ctx): Promise<Chart> {
        if (input.genre) throw fail.notFound('Apple Music RSS has no most-played songs feed by genre');
        const code = (input.country ?? DEFAULT_STOREFRONT).toUpperCase();
        const country = countryName(code);
        if (!country) throw fail.notFound(`no Apple Music storefront for country code ${code}`);
        const limit = Math.min(Math.max(1, Math.floor(input.limit) || 1), MAX_ROWS);
        const body = await client.json<AppleFeed>(`${FEEDS}/${code.toLowerCase()}/music/most-played/${limit}/songs.json`, {
          ctx,
          cache: 'chart',
          validate: expectFeed,
        });
        const feedTitle = text(body.feed?.title) ?? 'Top Songs';
        return {
          scope: code,
          source: SOURCE,
          fetchedAt: new Date().toISOString(),
          title: `Apple Music: ${feedTitle} (${country})`,
          entries: parseFeedEntries(body).slice(0, limit),
        };
      },

      async track(ref, ctx): Promise<Track> {
        const id = appleId(ref, 'song');
        const track = songFromLookup(await lookup({ id, country: LOOKUP_STOREFRONT }, ctx), id);
        if (!track) throw fail.notFound(`no Apple Music song ${id}`);
        return track;
      },

      /**
       * Many songs in one lookup (`id=1,2,3`, as Apple documents): with about 20 calls a minute,
       * a chart's worth of songs must not cost a call each.
       */
      async tracksByIds(refs, ctx): Promise<(Track | null)[]> {
        const wanted = refs.map((ref) => (ref.kind === 'song' && APPLE_ID.test(ref.id) ? ref.id : null));
        const distinct = [...new Set(wanted.filter((id): id is string => id !== null))];
        const found = new Map<string, Track>();
        for (let start = 0; start < distinct.length; start += IDS_PER_LOOKUP) {
          const chunk = distinct.slice(start, start + IDS_PER_LOOKUP);
          const body = await lookup({ id: chunk.join(','), country: LOOKUP_STOREFRONT }, ctx);
          for (const id of chunk) {
            const track = songFromLookup(body, id);
            if (track) found.set(id, track);
          }
        }
        return wanted.map((id) => (id ? (found.get(id) ?? null) : null));
      },

      async album(ref, ctx): Promise<Album> {
        const id = appleId(ref, 'album');
        const album = albumFromLookup(await lookup({ entity: 'song', limit: MAX_SONGS, id, country: LOOKUP_STOREFRONT }, ctx), id);
        if (!album) throw fail.notFound(`no Apple Music album ${id}`);
        return album;
      },
    };
  },
);

function appleId(ref: NativeRef, kind: 'song' | 'album'): string {
  if (ref.kind !== kind || !APPLE_ID.test(ref.id)) throw fail.notFound(`not an Apple Music ${kind} id: ${ref.kind}:${ref.id}`);
  return ref.id;
}
