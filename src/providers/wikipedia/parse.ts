import type { Biography, ExternalLink } from '../../domain/types.js';
import { SourceError } from '../../errors/source.js';
import { isRecord } from '../shared/drift.js';
import { decodedText, text } from '../shared/parse.js';
import type { PageSummary, WikidataEntities } from './types.js';

export const SOURCE = 'wikipedia';

const QID_IN_URL = /^https?:\/\/(?:www\.|m\.)?wikidata\.org\/(?:wiki|entity)\/(Q\d+)\/?$/i;
const ARTICLE_URL = /^https?:\/\/([a-z][a-z0-9-]{1,15})\.(?:m\.)?wikipedia\.org\/wiki\/([^?#]+)/i;

export interface ArticleRef {
  language: string;
  /** Title as it appears in URLs and sitelinks (spaces or underscores both fine). */
  title: string;
}

/** The Wikidata item and the Wikipedia articles that MusicBrainz url relationships point at. */
export function linkTargets(links: readonly ExternalLink[]): { qids: string[]; articles: ArticleRef[] } {
  const qids: string[] = [];
  const articles: ArticleRef[] = [];
  for (const link of links) {
    const url = text(link?.url);
    if (!url) continue;
    const qid = QID_IN_URL.exec(url)?.[1];
    if (qid) {
      qids.push(qid.toUpperCase());
      continue;
    }
    const article = ARTICLE_URL.exec(url);
    if (article) {
      const title = decodedText(article[2]!);
      if (title) articles.push({ language: article[1]!.toLowerCase(), title });
    }
  }
  return { qids: [...new Set(qids)], articles };
}


/** Wikipedia subdomains are ISO 639 codes (plus a few like `simple`); regional tags fall back to their language. */
export function wantedLanguages(languages: readonly string[]): string[] {
  const codes = languages.map((tag) => tag.split(/[-_]/)[0]!.toLowerCase()).filter((code) => /^[a-z]{2,3}$/.test(code));
  const unique = [...new Set(codes)];
  return unique.length > 0 ? unique : ['es', 'en'];
}

export function expectEntities(body: unknown): void {
  const error = (body as WikidataEntities | null)?.error;
  if (error) {
    const code = text(error.code) ?? 'error';
    const kind = code === 'no-such-entity' ? 'NOT_FOUND' : 'BAD_RESPONSE';
    throw new SourceError(SOURCE, kind, `Wikidata: ${code}: ${text(error.info) ?? ''}`.trim());
  }
  if (!isRecord((body as WikidataEntities | null)?.entities)) throw new SourceError(SOURCE, 'BAD_RESPONSE', 'Wikidata answer without entities');
}

/** Article title per wiki language (`eswiki` → `es`), from the sitelinks of one item. */
export function sitelinkTitles(body: WikidataEntities, qid: string): Map<string, string> {
  const titles = new Map<string, string>();
  const entity = body.entities?.[qid];
  if (!isRecord(entity) || 'missing' in entity || !isRecord(entity.sitelinks)) return titles;
  for (const [site, link] of Object.entries(entity.sitelinks)) {
    const language = /^([a-z][a-z0-9_]*)wiki$/.exec(site)?.[1];
    const title = text(link?.title);
    if (language && title) titles.set(language.replace(/_/g, '-'), title);
  }
  return titles;
}

export function expectSummary(body: unknown): void {
  const words = (value: unknown) => (typeof value === 'string' ? text(value) : null);
  if (!isRecord(body) || (words(body.title) === null && words(body.extract) === null)) {
    throw new SourceError(SOURCE, 'BAD_RESPONSE', 'Wikipedia summary without title or extract');
  }
}

function articleUrl(language: string, title: string): string {
  return `https://${language}.wikipedia.org/wiki/${encodeURIComponent(title.replace(/ /g, '_'))}`;
}

/**
 * A summary is a biography only if it is an article about one subject with text: disambiguation
 * pages ("X may refer to: …") and pages without an extract are not.
 */
export function biographyFromSummary(summary: PageSummary, article: ArticleRef): Biography | null {
  const type = text(summary.type) ?? 'standard';
  if (type !== 'standard') return null;
  const extract = text(summary.extract);
  if (!extract) return null;
  return {
    summary: extract,
    // The REST summary is the article's lead only; the full text is not fetched.
    content: null,
    source: SOURCE,
    language: text(summary.lang) ?? article.language,
    url: text(summary.content_urls?.desktop?.page) ?? articleUrl(article.language, text(summary.title) ?? article.title),
  };
}
