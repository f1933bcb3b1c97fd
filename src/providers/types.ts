import type {
  Album,
  Artist,
  Biography,
  Chart,
  ExternalLink,
  ImageSet,
  Lyrics,
  Page,
  Track,
} from '../domain/types.js';
import type { AppConfig } from '../config.js';
import type { CallTrace, ClientOptions, UpstreamBudget, UpstreamClient } from '../http/types.js';
import type { Logger } from '../logger.js';

/** Per-call context: cancellation, language preference, cache use and the request's limits. */
export interface CallContext {
  signal: AbortSignal;
  /** Preferred languages, most wanted first (`['es', 'en']`). */
  languages: readonly string[];
  /**
   * `fresh-only` answers from fresh cache or fails with CACHE_MISS (a source whose circuit is
   * open); `stale-only` is the last resort after every source failed: cache, however old, or fail.
   */
  cacheMode: 'normal' | 'fresh-only' | 'stale-only';
  /** The request's upstream-call budget; absent outside GraphQL requests (jobs, CLI). */
  budget?: UpstreamBudget;
  /** Filled in by the upstream client: what this call cost and how fresh its answers are. */
  trace?: CallTrace;
  /** Correlates log lines of one GraphQL request. */
  requestId?: string;
}

export interface SearchInput {
  query: string;
  limit: number;
  /** The provider's own continuation from a previous page's `nextCursor`. */
  cursor: string | null;
}

export interface NativeRef {
  /** The id's kind as it appears in the global id (`recording`, `release`, `track`, `song`, …). */
  kind: string;
  id: string;
}

export interface ChartInput {
  /** ISO 3166-1 alpha-2, upper case; null for the global chart. */
  country: string | null;
  genre: string | null;
  limit: number;
}

export interface ArtistQuery {
  name: string;
  musicbrainzId: string | null;
  links: readonly ExternalLink[];
}

export interface LyricsQuery {
  artist: string;
  title: string;
  album: string | null;
  durationSec: number | null;
  isrc: string | null;
}

export interface CoverArtQuery {
  musicbrainzReleaseId: string | null;
  musicbrainzReleaseGroupId: string | null;
}

export interface BrowseInput {
  limit: number;
  cursor: string | null;
}

/**
 * Everything a source can do. A provider implements the subset it supports; the catalog reads
 * which methods exist to build its chains and the `endpoints` shown in the panel.
 * Methods throw `SourceError` on failure; "nothing there" is an empty page or null, and a lookup
 * of an id that does not exist is `SourceError('NOT_FOUND')`.
 */
export interface Capabilities {
  searchTracks(input: SearchInput, ctx: CallContext): Promise<Page<Track>>;
  searchAlbums(input: SearchInput, ctx: CallContext): Promise<Page<Album>>;
  searchArtists(input: SearchInput, ctx: CallContext): Promise<Page<Artist>>;
  track(ref: NativeRef, ctx: CallContext): Promise<Track>;
  album(ref: NativeRef, ctx: CallContext): Promise<Album>;
  artist(ref: NativeRef, ctx: CallContext): Promise<Artist>;
  /** Discography: the artist's albums, singles and EPs. */
  artistAlbums(ref: NativeRef, input: BrowseInput, ctx: CallContext): Promise<Page<Album>>;
  /** Tracks the source recommends alongside this one. */
  relatedTracks(ref: NativeRef, input: BrowseInput, ctx: CallContext): Promise<Page<Track>>;
  chart(input: ChartInput, ctx: CallContext): Promise<Chart>;
  lyrics(input: LyricsQuery, ctx: CallContext): Promise<Lyrics | null>;
  coverArt(input: CoverArtQuery, ctx: CallContext): Promise<ImageSet | null>;
  artistBiography(input: ArtistQuery, ctx: CallContext): Promise<Biography | null>;
  artistImage(input: ArtistQuery, ctx: CallContext): Promise<ImageSet | null>;
  /** Recordings carrying this ISRC (12 characters, upper case, already validated). */
  tracksByIsrc(isrc: string, ctx: CallContext): Promise<Track[]>;
  /** Releases carrying this barcode (UPC-A / EAN-13 digits, already validated). */
  albumsByBarcode(barcode: string, ctx: CallContext): Promise<Album[]>;
  /** Artists the source itself relates to this one, from a dedicated endpoint. */
  similarArtists(ref: NativeRef, input: BrowseInput, ctx: CallContext): Promise<Page<Artist>>;
}

export type Capability = keyof Capabilities;

export const CAPABILITIES: readonly Capability[] = [
  'searchTracks',
  'searchAlbums',
  'searchArtists',
  'track',
  'album',
  'artist',
  'artistAlbums',
  'relatedTracks',
  'chart',
  'lyrics',
  'coverArt',
  'artistBiography',
  'artistImage',
  'tracksByIsrc',
  'albumsByBarcode',
  'similarArtists',
];

export interface ProviderInfo {
  /** Stable id used in global ids, config and keys: `musicbrainz`, `youtubemusic`. */
  readonly id: string;
  /** Display name for the panel: "MusicBrainz", "Scraping YouTube Music". */
  readonly name: string;
  readonly description: string;
  /** Environment variables this source needs; empty for keyless sources. */
  readonly credentials: readonly string[];
  /** Hosts its API and pages live on; the upstream client connects nowhere else. */
  readonly hosts: readonly string[];
  /** False when a needed credential is missing: the source is skipped, never faked. */
  readonly configured: boolean;
  /** Id kinds this provider resolves in lookups (`recording`, `release`, `artist`, …). */
  readonly idKinds?: Partial<Record<'track' | 'album' | 'artist', readonly string[]>>;
  /** Hosts this source's downloadable files may come from (redirects included); any other host is refused. */
  readonly downloadHosts?: readonly string[];
  /**
   * A link to this source's site → the entity it names, without any request (`resolveUrl`).
   * Null when the link is not one of this source's entity pages.
   */
  readonly parseUrl?: (url: URL) => EntityRef | null;
  /** Genre names `chart(genre:)` accepts at this source (lower case). */
  readonly chartGenres?: readonly string[];
}

export interface EntityRef {
  entity: 'track' | 'album' | 'artist';
  ref: NativeRef;
}

/**
 * Optional batch lookups for sources that fetch many ids in one call. DataLoader uses them when
 * present; results are in the order of `ids`, with null for ids the source does not know.
 */
export interface BatchLookups {
  tracksByIds(refs: readonly NativeRef[], ctx: CallContext): Promise<(Track | null)[]>;
  albumsByIds(refs: readonly NativeRef[], ctx: CallContext): Promise<(Album | null)[]>;
  artistsByIds(refs: readonly NativeRef[], ctx: CallContext): Promise<(Artist | null)[]>;
}

/** For sources whose download address must be asked for first (SoundCloud's `/download`). */
export interface DownloadResolution {
  /** The file's real address; the pipeline still checks it against `downloadHosts`. */
  resolveDownload(ref: NativeRef, ctx: CallContext): Promise<string>;
}

export type Provider = ProviderInfo & Partial<Capabilities> & Partial<BatchLookups> & Partial<DownloadResolution>;

export interface ProviderDeps {
  config: AppConfig;
  /** The process environment (credentials are read from here, never from code). */
  env: Readonly<Record<string, string | undefined>>;
  createClient(options: ClientOptions): UpstreamClient;
  logger: Logger;
}

export type ProviderFactory = (deps: ProviderDeps) => Provider;

export function capabilitiesOf(provider: Provider): Capability[] {
  return CAPABILITIES.filter((capability) => typeof provider[capability] === 'function');
}
