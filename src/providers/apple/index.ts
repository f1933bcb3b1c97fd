import type { Chart } from '../../domain/types.js';
import { SourceError } from '../../errors/source.js';
import type {ChartInput } from '../types.js';
import { defineProvider } from '../define.js';
import { countryName } from '../shared/countries.js';
import { text } from '../shared/parse.js';
import { SOURCE, expectFeed, parseFeedEntries } from './parse.js';
import type { AppleFeed } from './types.js';

const FEEDS = 'https://rss.applemarketingtools.com/api/v2';
/** The feeds accept any size up to this many rows (seen in use: 2, 10, 20, 25, 50, 100). */
const MAX_ROWS = 100;
/** Apple has no worldwide chart; a chart asked without a country is the United States one, labelled as such. */
const DEFAULT_STOREFRONT = 'US';

export const createAppleProvider = defineProvider(
  {
    id: SOURCE,
    name: 'Apple Music (RSS)',
    description: 'Las canciones más escuchadas en Apple Music en cada país. Gratuita y sin clave.',
    homepage: 'https://rss.marketingtools.apple.com/',
    hosts: ['rss.applemarketingtools.com'],
    client: { rateLimit: { requests: 5, intervalMs: 1000 } },
  },
  ({ client }) => {
    return {

      async chart(input: ChartInput, ctx): Promise<Chart> {
        if (input.genre) throw new SourceError(SOURCE, 'NOT_FOUND', 'Apple Music RSS has no most-played songs feed by genre');
        const code = (input.country ?? DEFAULT_STOREFRONT).toUpperCase();
        const country = countryName(code);
        if (!country) throw new SourceError(SOURCE, 'NOT_FOUND', `no Apple Music storefront for country code ${code}`);
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
    };
  },
);
