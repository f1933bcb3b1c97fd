/**
 * Raw InnerTube (music.youtube.com, client `WEB_REMIX`) shapes, as far as this provider reads
 * them. Every field is optional on purpose: the parsers read through `dig()` and treat each
 * value as possibly missing, because the site changes without notice.
 */

export interface Run {
  text?: string;
  navigationEndpoint?: NavigationEndpoint;
  bold?: boolean;
  italics?: boolean;
}

export interface NavigationEndpoint {
  watchEndpoint?: { videoId?: string; playlistId?: string };
  browseEndpoint?: {
    browseId?: string;
    params?: string;
    browseEndpointContextSupportedConfigs?: {
      browseEndpointContextMusicConfig?: { pageType?: string };
    };
  };
  urlEndpoint?: { url?: string };
}

export interface Thumbnail {
  url?: string;
  width?: number;
  height?: number;
}

/** `pageType` values that say what a browse link opens. */
export const PAGE_TYPE = {
  artist: 'MUSIC_PAGE_TYPE_ARTIST',
  album: 'MUSIC_PAGE_TYPE_ALBUM',
  playlist: 'MUSIC_PAGE_TYPE_PLAYLIST',
} as const;

/** `context.client` of every request body. */
export interface InnerTubeClient {
  clientName: string;
  clientVersion: string;
  hl: string;
  gl: string;
  platform: 'DESKTOP';
  utcOffsetMinutes: number;
}

export interface InnerTubeContext {
  client: InnerTubeClient;
  request: { internalExperimentFlags: never[]; useSsl: boolean };
  user: { lockedSafetyMode: boolean };
}

/** Body of `search` and `browse` POSTs; continuation requests send only `context`. */
export interface InnerTubeBody {
  context: InnerTubeContext;
  query?: string;
  params?: string;
  browseId?: string;
  formData?: { selectedValues: string[] };
}
