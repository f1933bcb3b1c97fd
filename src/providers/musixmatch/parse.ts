import { formatGlobalId } from '../../domain/ids.js';
import { bilingual } from '../../domain/text.js';
import type { ExternalLink, ImageSet, Lyrics, Track } from '../../domain/types.js';
import { SourceError } from '../../errors/source.js';
import { list, num, partialDate, seconds, text } from '../shared/parse.js';
import type { MusixmatchEnvelope, MusixmatchLyrics, MusixmatchTrack } from './types.js';

export const SOURCE = 'musixmatch';

/**
 * Musixmatch answers HTTP 200 and puts the outcome in `message.header.status_code`
 * (https://developer.musixmatch.com/documentation/status-codes): 401 bad or missing key,
 * 402 usage limit reached, 403 not authorised, 404 not found, 405 no such method, 500 and 503
 * its own trouble. Turned into typed errors here, before the answer can be cached.
 */
export function assertMusixmatchOk(body: unknown): asserts body is MusixmatchEnvelope<unknown> {
  const header = (body as MusixmatchEnvelope<unknown> | null)?.message?.header;
  const status = num(header?.status_code);
  if (!header || status === null) throw new SourceError(SOURCE, 'BAD_RESPONSE', 'answer has no message.header.status_code');
  if (status === 200) return;
  const message = `status_code ${status}${header.hint ? ` (${header.hint})` : ''}`;
  if (status === 404) throw new SourceError(SOURCE, 'NOT_FOUND', message, { status });
  if (status === 401 || status === 402 || status === 403) throw new SourceError(SOURCE, 'UNAUTHORIZED', message, { status });
  if (status === 429) throw new SourceError(SOURCE, 'RATE_LIMITED', message, { status });
  if (status >= 500) throw new SourceError(SOURCE, 'UNAVAILABLE', message, { status });
  throw new SourceError(SOURCE, 'BAD_RESPONSE', message, { status });
}

/** The body of a 200 answer, which must be an object (errors carry `[]` or `""`). */
export function bodyOf<B>(envelope: MusixmatchEnvelope<B>): B {
  const body = envelope.message?.body;
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new SourceError(SOURCE, 'BAD_RESPONSE', 'answer has no message.body object');
  }
  return body;
}

/** The marker the free plan appends to its shortened text, followed by a tracking number. */
const NOT_FOR_COMMERCIAL_USE = /\*{3,}\s*This Lyrics is NOT for Commercial use\s*\*{3,}/i;
/** The copyright line the free plan sends ("… only 30% of the lyrics are returned."). */
const PARTIAL_COPYRIGHT = /only\s+\d+\s*%\s+of the lyrics/i;

/**
 * The lyrics text without what only the free plan adds: the "NOT for Commercial use" marker and
 * everything after it (a tracking number in brackets), and any tracking `<script>` or pixel
 * `<img>`. The text is then `partial`; its copyright line is kept separately.
 */
export function cleanLyricsBody(raw: string, copyright: string | null): { text: string | null; partial: boolean } {
  let body = raw.replace(/\r\n?/g, '\n');
  let partial = copyright !== null && PARTIAL_COPYRIGHT.test(copyright);
  const marker = NOT_FOR_COMMERCIAL_USE.exec(body);
  if (marker) {
    partial = true;
    body = body.slice(0, marker.index);
  }
  body = body
    .replace(/<script\b[\s\S]*?<\/script>/gi, '')
    .replace(/<img\b[^>]*>/gi, '')
    .replace(/[ \t]+\n/g, '\n')
    .trim();
  return { text: body === '' ? null : body, partial };
}

/**
 * Lyrics of a matched track. The track (from `matcher.track.get` or `track.get`) names the song
 * and its length, which the lyrics object does not; null when Musixmatch withholds the text in
 * this country (`restricted`) or sends none.
 */
export function parseLyrics(track: MusixmatchTrack, lyrics: MusixmatchLyrics): Lyrics | null {
  const trackTitle = text(track.track_name);
  const artistName = text(track.artist_name);
  if (!trackTitle || !artistName) return null;
  const instrumental = track.instrumental === 1 || lyrics.instrumental === 1;
  if (lyrics.restricted === 1 && !instrumental) return null;
  const copyright = text(lyrics.lyrics_copyright);
  const { text: body, partial } = cleanLyricsBody(lyrics.lyrics_body ?? '', copyright);
  if (!body && !instrumental) return null;
  return {
    source: SOURCE,
    trackTitle,
    artistName,
    durationSec: seconds(track.track_length),
    text: body,
    synced: null,
    partial,
    copyright,
    language: text(lyrics.lyrics_language),
    url: withoutTracking(text(lyrics.backlink_url) ?? text(track.track_share_url)),
    instrumental,
    match: null,
  };
}

/** An instrumental track: Musixmatch says so and has no text to send. */
export function instrumentalLyrics(track: MusixmatchTrack): Lyrics | null {
  const trackTitle = text(track.track_name);
  const artistName = text(track.artist_name);
  if (!trackTitle || !artistName) return null;
  return {
    source: SOURCE,
    trackTitle,
    artistName,
    durationSec: seconds(track.track_length),
    text: null,
    synced: null,
    partial: false,
    copyright: null,
    language: null,
    url: withoutTracking(text(track.track_share_url)),
    instrumental: true,
    match: null,
  };
}

export function parseTrack(raw: MusixmatchTrack): Track | null {
  const id = text(raw.track_id);
  const title = text(raw.track_name);
  if (!id || !title) return null;
  const artistName = text(raw.artist_name);
  const albumTitle = text(raw.album_name);
  const page = withoutTracking(text(raw.track_share_url));
  const links: ExternalLink[] = [];
  if (page) links.push({ platform: 'musixmatch', url: page });
  const spotifyId = text(raw.track_spotify_id);
  const isrcs = isrcsOf(raw);
  if (spotifyId) links.push({ platform: 'spotify', url: `https://open.spotify.com/track/${encodeURIComponent(spotifyId)}` });
  return {
    id: formatGlobalId(SOURCE, 'track', id),
    source: SOURCE,
    title,
    // Musixmatch artist and album ids are not served by this gateway, so they are not linked.
    artists: artistName ? [{ id: null, name: artistName }] : [],
    album: albumTitle ? { id: null, title: albumTitle } : null,
    durationSec: seconds(raw.track_length),
    releaseDate: partialDate(raw.first_release_date),
    isrc: isrcs[0] ?? null,
    isrcs,
    cover: coverArt(raw),
    playbackUrl: null,
    previewUrl: null,
    license: null,
    download: { allowed: false, reason: 'NOT_LICENSED', detail: bilingual('Musixmatch offers lyrics, not audio.', 'Musixmatch ofrece letras, no audio.') },
    genres: list(raw.primary_genres?.music_genre_list)
      .map((genre) => text(genre.music_genre?.music_genre_name))
      .filter((name): name is string => name !== null),
    links,
  };
}

const ISRC = /^[A-Z]{2}[A-Z0-9]{3}\d{7}$/;

/**
 * The track's own ISRC first, then those of the other releases of the same song Musixmatch groups
 * under its "common track" (`commontrack_isrcs`, a list of lists): all upper case, each once.
 */
function isrcsOf(raw: MusixmatchTrack): string[] {
  const codes = [raw.track_isrc, ...list(raw.commontrack_isrcs).flatMap((group) => list(group))]
    .map((code) => text(code)?.toUpperCase().replace(/[-\s]/g, '') ?? '')
    .filter((code) => ISRC.test(code));
  return [...new Set(codes)];
}

/** Musixmatch fills missing covers with a "nocover" picture or an empty string; neither is a cover. */
function coverArt(raw: MusixmatchTrack): ImageSet | null {
  const real = (value: unknown) => {
    const url = text(value);
    return url && /^https?:\/\//i.test(url) && !/nocover/i.test(url) ? url : null;
  };
  const small = real(raw.album_coverart_350x350) ?? real(raw.album_coverart_100x100);
  const medium = real(raw.album_coverart_500x500);
  const large = real(raw.album_coverart_800x800);
  if (!small && !medium && !large) return null;
  return { small, medium, large, source: SOURCE };
}

/** Share links carry `utm_*` parameters naming the API application; the page works without them. */
function withoutTracking(url: string | null): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    for (const name of [...parsed.searchParams.keys()]) if (name.startsWith('utm_')) parsed.searchParams.delete(name);
    return parsed.toString();
  } catch {
    return null;
  }
}
