/**
 * Raw InnerTube (music.youtube.com, client `WEB_REMIX`) shapes, as far as this provider reads
 * them. Every field is optional on purpose: the parsers read through `dig()` and treat each
 * value as possibly missing, because the site changes without notice.
 */

export interface Run {
  text?: string;
  navigationEndpoint?: NavigationEndpoint;
}

export interface NavigationEndpoint {
  watchEndpoint?: { videoId?: string; playlistId?: string };
  browseEndpoint?: {
    browseId?: string;
    browseEndpointContextSupportedConfigs?: {
      browseEndpointContextMusicConfig?: { pageType?: string };
    };
  };
  urlEndpoint?: { url?: string };
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

/** Body of `search`, `browse`, `next` and `player` POSTs; continuation requests send only `context`. */
export interface InnerTubeBody {
  context: InnerTubeContext;
  query?: string;
  params?: string;
  browseId?: string;
  formData?: { selectedValues: string[] };
  /** `next` and `player`: the video asked about. */
  videoId?: string;
  /** `next`: the queue to open the video in (`RDAMVM<videoId>`, the song's radio). */
  playlistId?: string;
  enablePersistentPlaylistPanel?: boolean;
  isAudioOnly?: boolean;
  tunerSettingValue?: string;
}
