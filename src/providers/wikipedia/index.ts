import type { Biography } from '../../domain/types.js';
import { isSourceError } from '../../errors/source.js';
import type {ArtistQuery, CallContext } from '../types.js';
import { defineProvider } from '../define.js';
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
    homepage: 'https://www.wikipedia.org/',
    hosts: ['*.wikipedia.org', 'www.wikidata.org'],
    client: { rateLimit: { requests: 10, intervalMs: 1000 } },
  },
  ({ client }) => {
    // Wikimedia asks for a descriptive User-Agent (the client sends one) and a modest rate.

    async function titlesFromWikidata(qid: string, languages: string[], ctx: CallContext): Promise<Map<string, string>> {
      try {
        const body = await client.json<WikidataEntities>(WIKIDATA_API, {
          ctx,
          cache: 'entity',
          searchParams: {
            action: 'wbgetentities',
            ids: qid,
            props: 'sitelinks',
            sitefilter: languages.map((language) => `${language.replace(/-/g, '_')}wiki`).join('|'),
            format: 'json',
          },
          validate: expectEntities,
        });
        return sitelinkTitles(body, qid);
      } catch (error) {
        // A deleted or merged item leaves the direct Wikipedia links, if any.
        if (isSourceError(error) && error.kind === 'NOT_FOUND') return new Map();
        throw error;
      }
    }

    async function summary(article: ArticleRef, ctx: CallContext): Promise<PageSummary | null> {
      const path = encodeURIComponent(article.title.replace(/ /g, '_'));
      try {
        return await client.json<PageSummary>(`https://${article.language}.wikipedia.org/api/rest_v1/page/summary/${path}`, {
          ctx,
          cache: 'entity',
          validate: expectSummary,
        });
      } catch (error) {
        if (isSourceError(error) && error.kind === 'NOT_FOUND') return null;
        throw error;
      }
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
          const article = { language, title };
          const page = await summary(article, ctx);
          const biography = page ? biographyFromSummary(page, article) : null;
          if (biography) return biography;
        }
        return null;
      },
    };
  },
);
