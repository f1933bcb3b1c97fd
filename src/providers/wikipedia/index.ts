import type { Biography } from '../../domain/types.js';
import type { ArtistQuery, CallContext } from '../types.js';
import { defineProvider } from '../define.js';
import { orNull } from '../shared/failures.js';
import { readJson } from '../shared/read.js';
import {
  SOURCE,
  biographyFromSummary,
  expectEntities,
  expectSummary,
  linkTargets,
  sitelinkTitles,
  wantedLanguages,
  type ArticleRef,
} from './parse.js';
import type { PageSummary, WikidataEntities } from './types.js';

const WIKIDATA_API = 'https://www.wikidata.org/w/api.php';

export const createWikipediaProvider = defineProvider(
  {
    id: SOURCE,
    name: 'Wikipedia / Wikidata',
    description: 'Biografías de artistas de Wikipedia, en el idioma pedido cuando existe. Gratuita y sin clave.',
    hosts: ['*.wikipedia.org', 'www.wikidata.org'],
    client: { rateLimit: { requests: 10, intervalMs: 1000 } },
  },
  ({ client }) => {
    // Wikimedia asks for a descriptive User-Agent (the client sends one) and a modest rate.

    async function titlesFromWikidata(qid: string, languages: string[], ctx: CallContext): Promise<Map<string, string>> {
      const titles = await orNull(
        readJson(
          client,
          WIKIDATA_API,
          {
            ctx,
            cache: 'entity',
            searchParams: {
              action: 'wbgetentities',
              ids: qid,
              props: 'sitelinks',
              sitefilter: languages.map((language) => `${language.replace(/-/g, '_')}wiki`).join('|'),
              format: 'json',
            },
          },
          (body) => {
            expectEntities(body);
            return sitelinkTitles(body as WikidataEntities, qid);
          },
        ),
      );
      // A deleted or merged item leaves the direct Wikipedia links, if any.
      return titles ?? new Map();
    }

    /** The article's summary as a biography; null when there is no such article or it is not one. */
    async function biography(article: ArticleRef, ctx: CallContext): Promise<Biography | null> {
      const path = encodeURIComponent(article.title.replace(/ /g, '_'));
      const found = await orNull(
        readJson(client, `https://${article.language}.wikipedia.org/api/rest_v1/page/summary/${path}`, { ctx, cache: 'entity' }, (body) => {
          expectSummary(body);
          return { biography: biographyFromSummary(body as PageSummary, article) };
        }),
      );
      return found?.biography ?? null;
    }

    return {
      /**
       * Follows the artist's MusicBrainz url relationships only: a Wikidata item gives the article
       * title in each wanted language; a Wikipedia link gives its own. Searching Wikipedia by name
       * would mistake namesakes for the artist, so without links the answer is null.
       */
      async artistBiography(query: ArtistQuery, ctx): Promise<Biography | null> {
        const languages = wantedLanguages(ctx.languages);
        const { qids, articles } = linkTargets(query.links);
        if (qids.length === 0 && articles.length === 0) return null;

        const byLanguage = new Map<string, string>();
        for (const article of articles) if (!byLanguage.has(article.language)) byLanguage.set(article.language, article.title);
        if (qids.length > 0 && languages.some((language) => !byLanguage.has(language))) {
          const titles = await titlesFromWikidata(qids[0]!, languages, ctx);
          for (const [language, title] of titles) if (!byLanguage.has(language)) byLanguage.set(language, title);
        }

        for (const language of languages) {
          const title = byLanguage.get(language);
          if (!title) continue;
          const found = await biography({ language, title }, ctx);
          if (found) return found;
        }
        return null;
      },
    };
  },
);
