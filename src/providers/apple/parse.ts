import type { ChartEntry, ImageSet, Track } from '../../domain/types.js';
import { formatGlobalId } from '../../domain/ids.js';
import { SourceError } from '../../errors/source.js';
import { partialDate, text } from '../shared/parse.js';
import type { AppleFeed, AppleFeedResult } from './types.js';

export const SOURCE = 'apple';

/** A feed without `feed.results` is not a chart, whatever its status. */
export function expectFeed(body: unknown): void {
  const results = (body as AppleFeed | null)?.feed?.results;
  if (!Array.isArray(results)) throw new SourceError(SOURCE, 'BAD_RESPONSE', 'Apple RSS answer without feed.results');
}

/**
 * Apple's artwork URLs end in `<w>x<h>bb.<ext>`, and the image server renders whatever size that
 * segment asks for (up to the original), so the 100 px thumbnail in the feed is rewritten to the
 * three sizes clients use. A URL without that segment is returned as it came, as the small image.
 */
const SIZE_SEGMENT = /\/(\d{2,4})x(\d{2,4})(bb)?(\.[a-z]{3,4})$/i;

export function artworkSizes(url: string | null): ImageSet | null {
  if (!url) return null;
  if (!SIZE_SEGMENT.test(url)) return { small: url, medium: null, large: null, source: SOURCE };
  const sized = (px: number) => url.replace(SIZE_SEGMENT, (_all, _w, _h, bb: string | undefined, ext: string) => `/${px}x${px}${bb ?? ''}${ext}`);
  return { small: sized(250), medium: sized(500), large: sized(1000), source: SOURCE };
}

/** "Music" is Apple's umbrella genre on every song; it says nothing. */
const UMBRELLA_GENRE = 'Music';

export function parseSong(raw: AppleFeedResult): Track | null {
  const id = text(raw?.id);
  const title = text(raw?.name);
  const artist = text(raw?.artistName);
  if (!id || !title || !artist) return null;
  const url = text(raw.url);
  return {
    id: formatGlobalId(SOURCE, 'song', id),
    source: SOURCE,
    title,
    // The feed names the credit as one string ("Bad Bunny & Chencho Corleone"); it is kept whole.
    artists: [{ id: null, name: artist }],
    album: null,
    durationSec: null,
    releaseDate: partialDate(raw.releaseDate),
    isrc: null,
    cover: artworkSizes(text(raw.artworkUrl100)),
    playbackUrl: url,
    previewUrl: null,
    license: null,
    download: { allowed: false, reason: 'NOT_LICENSED' },
    genres: (raw.genres ?? []).map((genre) => text(genre?.name)).filter((name): name is string => name !== null && name !== UMBRELLA_GENRE),
    links: url ? [{ platform: 'applemusic', url }] : [],
  };
}

export function parseFeedEntries(feed: AppleFeed): ChartEntry[] {
  const entries: ChartEntry[] = [];
  for (const result of feed.feed?.results ?? []) {
    const track = parseSong(result);
    if (track) entries.push({ position: entries.length + 1, track, popularity: null });
  }
  return entries;
}
