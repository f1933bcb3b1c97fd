import type { Principal } from '../auth/types.js';
import { RequestCatalog } from '../catalog/catalog.js';
import { createLoaders, type Loaders } from '../catalog/loaders.js';
import { ProvenanceLog } from '../catalog/provenance.js';
import type { Services } from '../services.js';
import type { ApiLanguage } from '../domain/text.js';
import { RequestBudget } from '../catalog/budget.js';
import { randomUUID } from 'node:crypto';

/** Everything a resolver may use for one GraphQL request. Built fresh per request. */
export interface RequestContext {
  /** The language of messages and labels: Spanish when the request prefers it, else English. */
  language: ApiLanguage;
  principal: Principal;
  services: Services;
  catalog: RequestCatalog;
  loaders: Loaders;
  provenance: ProvenanceLog;
  /** Correlates this request's log lines; also sent back as `x-request-id`. */
  requestId: string;
  budget: RequestBudget;
}

export function createRequestContext(
  services: Services,
  principal: Principal,
  options: { signal: AbortSignal; acceptLanguage?: string | undefined; requestId?: string },
): RequestContext {
  const provenance = new ProvenanceLog();
  const requestId = options.requestId ?? randomUUID();
  const budget = new RequestBudget(services.config.maxUpstreamCallsPerRequest);
  const catalog = new RequestCatalog(services, {
    principal,
    provenance,
    signal: options.signal,
    languages: preferredLanguages(options.acceptLanguage, services.config.defaultLanguages),
    budget,
    requestId,
  });
  return { language: apiLanguage(options.acceptLanguage), principal, services, catalog, loaders: createLoaders(catalog, services.downloads), provenance, requestId, budget };
}

/** Spanish when the caller's most preferred language is Spanish; English otherwise. */
export function apiLanguage(header: string | undefined): ApiLanguage {
  return preferredLanguages(header, [])[0] === 'es' ? 'es' : 'en';
}

/** `Accept-Language: pt-BR,pt;q=0.9,en;q=0.8` → ['pt', 'en', …defaults]. */
export function preferredLanguages(header: string | undefined, defaults: readonly string[]): string[] {
  const ranked = (header ?? '')
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { lang: tag.slice(0, 2).toLowerCase(), q: q ? Number(q.slice(2)) : 1 };
    })
    .filter((entry) => /^[a-z]{2}$/.test(entry.lang) && entry.q > 0)
    .sort((a, b) => b.q - a.q)
    .map((entry) => entry.lang);
  return [...new Set([...ranked, ...defaults])];
}
