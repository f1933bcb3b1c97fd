/** Raw shapes: Wikidata `wbgetentities` (props=sitelinks) and the Wikipedia REST page summary. */

export interface WikidataSitelink {
  site?: string;
  title?: string;
  badges?: string[];
}

export interface WikidataEntities {
  entities?: Record<string, { id?: string; missing?: string; sitelinks?: Record<string, WikidataSitelink> }>;
  success?: number;
  /** `{"error": {"code": "no-such-entity", "info": "…"}}`, sent with status 200. */
  error?: { code?: string; info?: string };
}

/** https://www.mediawiki.org/wiki/Specs/Summary/1.3.0 (older answers lack `type` and `content_urls`). */
export interface PageSummary {
  type?: string;
  title?: string;
  lang?: string;
  extract?: string;
  extract_html?: string;
  description?: string;
  wikibase_item?: string;
  content_urls?: { desktop?: { page?: string }; mobile?: { page?: string } };
}
