import type { ExternalLink } from '../../domain/types.js';
import type { MbUrlRelation } from './types.js';

/**
 * MusicBrainz url relationships → links by platform. The relationship type alone is too coarse
 * ("social network", "free streaming" cover dozens of sites), so the host decides the platform;
 * the type only decides for the artist's own site, which can live on any host.
 */
const PLATFORM_BY_HOST: ReadonlyArray<readonly [RegExp, string]> = [
  [/(^|\.)spotify\.com$/, 'spotify'],
  [/^music\.youtube\.com$/, 'youtubemusic'],
  [/(^|\.)(youtube\.com|youtu\.be)$/, 'youtube'],
  [/(^|\.)bandcamp\.com$/, 'bandcamp'],
  [/(^|\.)soundcloud\.com$/, 'soundcloud'],
  [/(^|\.)wikidata\.org$/, 'wikidata'],
  [/(^|\.)wikipedia\.org$/, 'wikipedia'],
  [/(^|\.)discogs\.com$/, 'discogs'],
  [/(^|\.)allmusic\.com$/, 'allmusic'],
  [/(^|\.)instagram\.com$/, 'instagram'],
  [/(^|\.)(twitter\.com|x\.com)$/, 'twitter'],
  [/(^|\.)facebook\.com$/, 'facebook'],
  [/(^|\.)tiktok\.com$/, 'tiktok'],
  [/(^|\.)deezer\.com$/, 'deezer'],
  [/^(music|itunes)\.apple\.com$/, 'applemusic'],
  [/(^|\.)tidal\.com$/, 'tidal'],
  [/(^|\.)(last\.fm|lastfm\.[a-z.]+)$/, 'lastfm'],
  [/(^|\.)genius\.com$/, 'genius'],
  [/(^|\.)jamendo\.com$/, 'jamendo'],
  [/(^|\.)audiomack\.com$/, 'audiomack'],
  [/(^|\.)setlist\.fm$/, 'setlistfm'],
  [/(^|\.)songkick\.com$/, 'songkick'],
  [/(^|\.)imdb\.com$/, 'imdb'],
  [/(^|\.)myspace\.com$/, 'myspace'],
  [/(^|\.)vk\.com$/, 'vk'],
  [/(^|\.)weibo\.com$/, 'weibo'],
  [/(^|\.)threads\.net$/, 'threads'],
  [/(^|\.)patreon\.com$/, 'patreon'],
  [/(^|\.)twitch\.tv$/, 'twitch'],
];

const OFFICIAL_TYPES = new Set(['official homepage']);

/** Relationship types whose target is a page where a person can listen to the recording. */
const LISTENING_TYPES = ['free streaming', 'streaming', 'download for free'];

export function platformOf(resource: string, relationType?: string): string | null {
  let host: string;
  try {
    host = new URL(resource).hostname.toLowerCase().replace(/^www\./, '');
  } catch {
    return null;
  }
  for (const [pattern, platform] of PLATFORM_BY_HOST) {
    if (pattern.test(host)) return platform;
  }
  if (relationType && OFFICIAL_TYPES.has(relationType.toLowerCase())) return 'official';
  return null;
}

/** Only relationships still in force: MusicBrainz marks dead or abandoned pages as ended. */
function liveUrlRelations(relations: readonly MbUrlRelation[] | undefined): MbUrlRelation[] {
  return (relations ?? []).filter(
    (relation) => relation.ended !== true && typeof relation.url?.resource === 'string' && relation.url.resource !== '',
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
