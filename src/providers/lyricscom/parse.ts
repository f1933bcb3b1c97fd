import { matchLyrics } from '../../catalog/matching.js';
import type { Lyrics } from '../../domain/types.js';
import type { FieldReader } from '../shared/drift.js';
import type { LyricsQuery } from '../types.js';
import type { SearchRow, SongPage } from './html.js';

export const SOURCE = 'lyricscom';

export interface Candidate {
  title: string;
  artist: string;
  url: string;
}

/**
 * The search result the stated matching rules (src/catalog/matching.ts) accept with the highest
 * confidence; on a tie the site's own order wins. Rows missing their title, song link or artist
 * are reported once to the reader and skipped. Null when no row is the asked song.
 */
export function bestCandidate(query: LyricsQuery, rows: readonly SearchRow[], reader: FieldReader): Candidate | null {
  let best: { candidate: Candidate; confidence: number } | null = null;
  for (const row of rows) {
    if (!row.title || !row.url || !row.artist) {
      if (!row.title) reader.missing('result title');
      if (!row.url) reader.missing('result song link');
      if (!row.artist) reader.missing('result artist');
      continue;
    }
    // The search page states no length, so the duration rule is left to the chain.
    const verdict = matchLyrics(query, { artist: row.artist, title: row.title, durationSec: null });
    if (!verdict.accepted) continue;
    if (!best || verdict.confidence > best.confidence) {
      best = { candidate: { title: row.title, artist: row.artist, url: row.url }, confidence: verdict.confidence };
    }
  }
  return best?.candidate ?? null;
}

/**
 * Lyrics from a song page. The page's own title and artist name the song; when the page no longer
 * shows them (a layout change, reported to the reader) the search result's are used. Null when the
 * page has no text for the song.
 */
export function lyricsFromPage(page: SongPage, candidate: Candidate, reader: FieldReader): Lyrics | null {
  if (!page.body) return null;
  if (!page.title) reader.missing('song title');
  if (!page.artist) reader.missing('song artist');
  return {
    source: SOURCE,
    trackTitle: page.title ?? candidate.title,
    artistName: page.artist ?? candidate.artist,
    durationSec: null,
    text: page.body,
    synced: null,
    partial: false,
    copyright: null,
    language: null,
    url: candidate.url,
    instrumental: false,
    match: null,
  };
}
