import { formatGlobalId } from '../../domain/ids.js';
import type { AlbumRef, AlbumType, ArtistCredit } from '../../domain/types.js';
import { clockToSeconds, text } from '../shared/parse.js';
import { dig, digArray, digString, isRecord } from './dig.js';
import { PAGE_TYPE, type Run } from './types.js';

/**
 * Text in InnerTube is a list of "runs": pieces of text, some carrying a link. Subtitles such as
 * `MocroManiac • Boom Boom Boom • 2:51` are runs separated by a ` • ` run; which piece is the
 * artist, the album or the duration is read from the links and the shape of the text, not from
 * its position, so the same code works for songs, albums and chart entries in any UI language.
 */

export const SOURCE = 'youtubemusic';

export function runsOf(textObject: unknown): Run[] {
  const runs = digArray(textObject, 'runs').filter(isRecord) as Run[];
  if (runs.length > 0) return runs;
  const simple = digString(textObject, 'simpleText');
  return simple ? [{ text: simple }] : [];
}

/** The whole text of a runs object, or null when it has none. */
export function runsText(textObject: unknown): string | null {
  return text(
    runsOf(textObject)
      .map((run) => run.text ?? '')
      .join(''),
  );
}

export interface RunLink {
  browseId: string | null;
  pageType: string | null;
  videoId: string | null;
  url: string | null;
}

export function linkOf(run: unknown): RunLink {
  const endpoint = dig(run, 'navigationEndpoint');
  return {
    browseId: digString(endpoint, 'browseEndpoint', 'browseId') ?? null,
    pageType:
      digString(endpoint, 'browseEndpoint', 'browseEndpointContextSupportedConfigs', 'browseEndpointContextMusicConfig', 'pageType') ??
      null,
    videoId: digString(endpoint, 'watchEndpoint', 'videoId') ?? null,
    url: digString(endpoint, 'urlEndpoint', 'url') ?? null,
  };
}

export function isArtistLink(link: RunLink): boolean {
  if (!link.browseId) return false;
  if (link.pageType) return link.pageType === PAGE_TYPE.artist;
  return link.browseId.startsWith('UC');
}

export function isAlbumLink(link: RunLink): boolean {
  if (!link.browseId) return false;
  if (link.pageType) return link.pageType === PAGE_TYPE.album;
  return link.browseId.startsWith('MPREb_');
}

const SEPARATOR = /^\s*[•·]\s*$/;

/** Splits runs at the ` • ` separators. */
export function segmentsOf(runs: readonly Run[]): Run[][] {
  const segments: Run[][] = [[]];
  for (const run of runs) {
    if (SEPARATOR.test(run.text ?? '')) segments.push([]);
    else segments[segments.length - 1]!.push(run);
  }
  return segments.filter((segment) => segment.some((run) => text(run.text) !== null));
}

function segmentText(segment: readonly Run[]): string {
  return segment.map((run) => run.text ?? '').join('').trim();
}

export function isClock(value: string): boolean {
  return clockToSeconds(value) !== null;
}

export function isYear(value: string): boolean {
  return /^(1[89]|2\d)\d\d$/.test(value);
}

/** UI labels ("Album", "Sencillo", …) in the languages this gateway asks for. */
const ALBUM_TYPE_LABELS: Record<string, AlbumType> = {
  album: 'ALBUM',
  albums: 'ALBUM',
  álbum: 'ALBUM',
  álbumes: 'ALBUM',
  single: 'SINGLE',
  singles: 'SINGLE',
  sencillo: 'SINGLE',
  sencillos: 'SINGLE',
  ep: 'EP',
  eps: 'EP',
  compilation: 'COMPILATION',
  recopilatorio: 'COMPILATION',
};

const ITEM_KIND_LABELS: Record<string, string> = {
  song: 'song',
  canción: 'song',
  video: 'video',
  vídeo: 'video',
  artist: 'artist',
  artista: 'artist',
  playlist: 'playlist',
  'lista de reproducción': 'playlist',
  episode: 'episode',
  episodio: 'episode',
  podcast: 'podcast',
  profile: 'profile',
  perfil: 'profile',
};

export function albumTypeOfLabel(label: string | null | undefined): AlbumType | null {
  if (!label) return null;
  return ALBUM_TYPE_LABELS[label.trim().toLowerCase()] ?? null;
}

function isTypeLabel(value: string): boolean {
  const key = value.trim().toLowerCase();
  return key in ALBUM_TYPE_LABELS || key in ITEM_KIND_LABELS;
}

/** Reads a subtitle's segments: the type label, credited artists, album link, duration and year. */
export interface SubtitleParts {
  typeLabel: string | null;
  artists: ArtistCredit[];
  album: AlbumRef | null;
  durationSec: number | null;
  year: string | null;
}

export function readSubtitle(runs: readonly Run[]): SubtitleParts {
  const parts: SubtitleParts = { typeLabel: null, artists: [], album: null, durationSec: null, year: null };
  let artistsSeen = false;
  const segments = segmentsOf(runs);
  segments.forEach((segment, index) => {
    const whole = segmentText(segment);
    const links = segment.map(linkOf);
    if (links.some(isArtistLink)) {
      if (!artistsSeen) parts.artists = creditsOf(segment);
      artistsSeen = true;
      return;
    }
    const albumRun = segment.find((run) => isAlbumLink(linkOf(run)));
    if (albumRun) {
      parts.album = { id: formatGlobalId(SOURCE, 'album', linkOf(albumRun).browseId!), title: text(albumRun.text) ?? whole };
      return;
    }
    if (isClock(whole)) {
      parts.durationSec = clockToSeconds(whole);
      return;
    }
    if (isYear(whole)) {
      parts.year = whole;
      return;
    }
    if (index === 0 && isTypeLabel(whole)) {
      parts.typeLabel = whole;
      return;
    }
    // The first plain segment is an unlinked credit ("Various Artists"); later plain ones are
    // counters such as "333k plays" or "2.3M views".
    if (!artistsSeen) {
      parts.artists = creditsOf(segment);
      artistsSeen = true;
    }
  });
  return parts;
}

const JOINER = /^\s*(,|&|and|y|e|et|und|x|with|con|feat\.?|ft\.?)\s*$/i;

/** Credits from runs such as `Axwell`, ` & `, `Max'C`: linked names carry their artist id. */
export function creditsOf(runs: readonly Run[]): ArtistCredit[] {
  const credits: ArtistCredit[] = [];
  for (const run of runs) {
    const name = text(run.text);
    if (!name) continue;
    const link = linkOf(run);
    if (!isArtistLink(link) && JOINER.test(run.text ?? '')) {
      const previous = credits[credits.length - 1];
      if (previous) previous.joinPhrase = run.text;
      continue;
    }
    credits.push({ id: isArtistLink(link) ? formatGlobalId(SOURCE, 'artist', link.browseId!) : null, name });
  }
  return credits;
}

/** A leading count in text such as "11 songs", "1,234 canciones" or "20 songs • 1 hour". */
export function leadingCount(value: string | null): number | null {
  if (!value) return null;
  const match = /^\s*(\d{1,3}(?:[.,\s\u00a0]\d{3})*|\d+)(?!\s*[:.,]\d)/.exec(value);
  if (!match) return null;
  const digits = match[1]!.replace(/\D/g, '');
  const count = Number(digits);
  return Number.isFinite(count) ? count : null;
}
