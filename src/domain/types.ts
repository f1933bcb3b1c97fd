/**
 * Domain model shared by providers (which produce it) and the GraphQL schema (which exposes it).
 * Plain data only: no behaviour, no GraphQL, no HTTP. Every object names the source it came from
 * so provenance survives caching and merging.
 */

/** A partial calendar date as sources give it: `1975`, `1975-10` or `1975-10-31`. */
export type PartialDate = string;

/**
 * Text a client may show to a person, in the API's two languages (English and Spanish). A plain
 * string is the same in both (a proper name, a URL).
 */
export type LocalizedText = string | { en: string; es: string };

/** Cover art or artist photo in the three sizes clients ask for. Any size may be missing. */
export interface ImageSet {
  /** ≈250 px */
  small: string | null;
  /** ≈500 px */
  medium: string | null;
  /** ≥1000 px, or the original */
  large: string | null;
  source: string;
}

export interface ExternalLink {
  /** Normalised platform name: `spotify`, `youtube`, `bandcamp`, `wikidata`, `official`, … */
  platform: string;
  url: string;
}

export interface License {
  name: string;
  url: string | null;
}

/** A credited artist on a track or album; `id` is a global id when the source knows the artist. */
export interface ArtistCredit {
  id: string | null;
  name: string;
  joinPhrase?: string;
}

export interface AlbumRef {
  id: string | null;
  title: string;
}

/** Why a download is not offered: defined once, registered as the schema's enum. */
export const DownloadUnavailableReason = {
  NOT_LICENSED: 'NOT_LICENSED',
  SOURCE_UNAVAILABLE: 'SOURCE_UNAVAILABLE',
  TOO_LARGE: 'TOO_LARGE',
  NOT_IMPLEMENTED: 'NOT_IMPLEMENTED',
} as const;
export type DownloadUnavailableReason = keyof typeof DownloadUnavailableReason;

/**
 * What the source says about downloading a track's audio. Providers only state permission;
 * the download pipeline decides formats, sizes and URLs.
 */
export type DownloadPermission =
  | {
      allowed: true;
      license: License | null;
      /** Where the pipeline may fetch the file from (never a stream). */
      originUrl?: string | null;
      /** Lesser renditions (MP3 for a FLAC original), tried only when the best one is missing. */
      alternateUrls?: readonly string[];
    }
  | { allowed: false; reason: DownloadUnavailableReason; detail?: LocalizedText };

/** Hints the catalog uses to enrich a track or album from other sources (cover art, lyrics). */
export interface CrossRefs {
  /** MusicBrainz release whose Cover Art Archive entry holds the cover. */
  musicbrainzReleaseId?: string | null;
  musicbrainzReleaseGroupId?: string | null;
  musicbrainzArtistId?: string | null;
}

export interface Track {
  id: string;
  source: string;
  title: string;
  artists: ArtistCredit[];
  album: AlbumRef | null;
  /** Seconds, integer; null when the source does not know. */
  durationSec: number | null;
  releaseDate: PartialDate | null;
  /** The first of `isrcs`, or null. */
  isrc: string | null;
  /** Every ISRC the source knows for this recording (upper case, no dashes); absent = only `isrc`. */
  isrcs?: string[];
  /** The source's note on which version this is (MusicBrainz disambiguation, Deezer `title_version`). */
  versionNote?: string | null;
  trackNumber?: number | null;
  discNumber?: number | null;
  cover: ImageSet | null;
  /** A page where a person can listen. */
  playbackUrl: string | null;
  previewUrl: string | null;
  license: License | null;
  download: DownloadPermission;
  genres: string[];
  links: ExternalLink[];
  refs?: CrossRefs;
}

export const AlbumType = { ALBUM: 'ALBUM', SINGLE: 'SINGLE', EP: 'EP', COMPILATION: 'COMPILATION', OTHER: 'OTHER' } as const;
export type AlbumType = keyof typeof AlbumType;

export interface Album {
  id: string;
  source: string;
  title: string;
  artists: ArtistCredit[];
  releaseDate: PartialDate | null;
  cover: ImageSet | null;
  /** Number of tracks the source reports, even when `tracks` is not loaded. */
  trackCount: number | null;
  /** Null when the source did not include the track list in this answer. */
  tracks: Track[] | null;
  genres: string[];
  label: string | null;
  /** UPC/EAN of this edition, where the source has one. */
  barcode?: string | null;
  /** Release country (ISO 3166-1 alpha-2, or `XW` for worldwide), where the source says. */
  country?: string | null;
  /** Physical or digital formats of this edition (`CD`, `Digital Media`, `12" Vinyl`). */
  formats?: string[];
  type: AlbumType | null;
  url: string | null;
  license?: License | null;
  refs?: CrossRefs;
}

export interface Biography {
  summary: string | null;
  content: string | null;
  source: string;
  language: string | null;
  url: string | null;
}

export interface Artist {
  id: string;
  source: string;
  name: string;
  disambiguation: string | null;
  type: string | null;
  country: string | null;
  photo: ImageSet | null;
  biography: Biography | null;
  links: ExternalLink[];
  genres: string[];
  similar: ArtistCredit[];
  url: string | null;
  refs?: CrossRefs;
}

export interface ChartEntry {
  position: number;
  track: Track;
  /** The source's own popularity figure (listeners, plays, rank score), where it gives one. */
  popularity: number | null;
}

export interface Chart {
  /** `GLOBAL` or an ISO 3166-1 alpha-2 country code. */
  scope: string;
  source: string;
  fetchedAt: string;
  title: string | null;
  entries: ChartEntry[];
}

export interface SyncedLine {
  timeMs: number;
  text: string;
}

export interface LyricsMatch {
  /** 0..1 similarity of artist and title to what was asked. */
  confidence: number;
  /** Absolute difference in seconds between the asked and the found duration, when both are known. */
  durationDeltaSec: number | null;
}

export interface Lyrics {
  source: string;
  trackTitle: string;
  artistName: string;
  /** Duration of the track the lyrics belong to, in seconds, when the source says. */
  durationSec: number | null;
  text: string | null;
  synced: SyncedLine[] | null;
  /** True when the source returned only part of the text (Musixmatch free plan). */
  partial: boolean;
  copyright: string | null;
  language: string | null;
  url: string | null;
  instrumental: boolean;
  match: LyricsMatch | null;
}

/** One page of a search or browse. `nextCursor` is the provider's own opaque continuation. */
export interface Page<T> {
  items: T[];
  total: number | null;
  nextCursor: string | null;
}
