import type { ExternalLink } from '../../domain/types.js';
import { platformOfUrl } from '../shared/links.js';
import type { MbUrlRelation } from './types.js';

/**
 * MusicBrainz url relationships → links by platform. The relationship type alone is too coarse
 * ("social network", "free streaming" cover dozens of sites), so the host decides the platform;
 * the type only decides for the artist's own site, which can live on any host.
 */
const OFFICIAL_TYPES = new Set(['official homepage']);

/** Relationship types whose target is a page where a person can listen to the recording. */
const LISTENING_TYPES = ['free streaming', 'streaming', 'download for free'];

export function platformOf(resource: string, relationType?: string): string | null {
  if (!URL.canParse(resource)) return null;
  const platform = platformOfUrl(resource);
  if (platform) return platform;
  if (relationType && OFFICIAL_TYPES.has(relationType.toLowerCase())) return 'official';
  return null;
}

/** Only relationships still in force: MusicBrainz marks dead or abandoned pages as ended. */
function liveUrlRelations(relations: readonly MbUrlRelation[] | undefined): MbUrlRelation[] {
  if (!Array.isArray(relations)) return [];
  return relations.filter(
    (relation) => typeof relation === 'object' && relation !== null && relation.ended !== true && typeof relation.url?.resource === 'string' && relation.url.resource !== '',
  );
}

/** Known platforms only, each URL once, in the order MusicBrainz lists them. */
export function linksFromRelations(relations: readonly MbUrlRelation[] | undefined): ExternalLink[] {
  const seen = new Set<string>();
  const links: ExternalLink[] = [];
  for (const relation of liveUrlRelations(relations)) {
    const url = relation.url!.resource!;
    const platform = platformOf(url, relation.type);
    if (!platform || seen.has(url)) continue;
    seen.add(url);
    links.push({ platform, url });
  }
  return links;
}

/** The first page where the recording can be heard, preferring free streaming. */
export function listeningUrl(relations: readonly MbUrlRelation[] | undefined): string | null {
  const live = liveUrlRelations(relations);
  for (const type of LISTENING_TYPES) {
    const match = live.find((relation) => relation.type?.toLowerCase() === type);
    if (match) return match.url!.resource!;
  }
  return null;
}
