/**
 * Host → platform names for links, shared by every source so one site has one name everywhere
 * (`twitter` for x.com too, `applemusic`, `youtubemusic`, …). The host decides, not the link text.
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

/** The platform of a host (`www.` and case ignored), or null when it is not a known one. */
export function platformOfHost(host: string): string | null {
  const bare = host.toLowerCase().replace(/^www\./, '');
  return PLATFORM_BY_HOST.find(([pattern]) => pattern.test(bare))?.[1] ?? null;
}

/** The platform of a URL's host, or null for unknown hosts and unparseable URLs. */
export function platformOfUrl(url: string): string | null {
  try {
    return platformOfHost(new URL(url).hostname);
  } catch {
    return null;
  }
}
