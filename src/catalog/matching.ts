import type { Lyrics, LyricsMatch, SyncedLine } from '../domain/types.js';
import type { LyricsQuery } from '../providers/types.js';

/**
 * Stated rules for accepting a text match between what was asked (a track of any source) and a
 * candidate another source found by artist and title — used for lyrics, where showing the words
 * of the wrong song is worse than showing none.
 *
 * Both sides are first normalised with {@link normalizeForMatch}. Then:
 *
 * - **Similarity** is the Sørensen–Dice coefficient over the multisets of character bigrams of
 *   each word (a one-letter word counts as itself), so word order does not matter and small
 *   spelling differences cost little: `2·|A∩B| / (|A|+|B|)`, 1 for identical texts, 0 for texts
 *   sharing no bigram.
 * - **Title**: similarity ≥ {@link TITLE_SIMILARITY_MIN} (0.85).
 * - **Artist**: similarity ≥ {@link ARTIST_SIMILARITY_MIN} (0.75), comparing every credited artist
 *   on one side (the whole credit, and each name split at `feat.`, `ft.`, `&`, `,`, `x`, `vs`, `/`,
 *   `;`, `with`)
 *   with every one on the other and keeping the best pair.
 * - **Duration**: when both durations are known they may differ by at most
 *   {@link DURATION_TOLERANCE_SEC} (10 s); when either is unknown the rule is skipped and
 *   `durationDeltaSec` is null.
 * - **Synced lyrics** (see {@link checkLyrics}): the last timestamp may not be later than the
 *   track's duration plus the same tolerance — lyrics that run past the end belong to a longer
 *   version.
 *
 * `confidence` = mean of title and artist similarity, lowered by up to
 * {@link DURATION_CONFIDENCE_PENALTY} (a quarter) in proportion to the duration difference within
 * the tolerance; it is reported for accepted and rejected candidates alike.
 */
export const TITLE_SIMILARITY_MIN = 0.85;
export const ARTIST_SIMILARITY_MIN = 0.75;
export const DURATION_TOLERANCE_SEC = 10;
export const DURATION_CONFIDENCE_PENALTY = 0.25;

export interface MatchCandidate {
  artist: string;
  title: string;
  durationSec: number | null;
}

export interface MatchResult {
  accepted: boolean;
  confidence: number;
  durationDeltaSec: number | null;
  /** Why the candidate was rejected, in words a log reader understands. */
  reason?: string;
}

/** Words after a dash that mark a version of the same song rather than another song. */
const VERSION_WORDS =
  /\b(remaster(ed)?|live|remix|mix|edit|version|mono|stereo|acoustic|demo|radio|single|deluxe|bonus|explicit|clean|extended|original|session|take|unplugged|instrumental|karaoke|from|feat|ft|featuring|with|re-?recorded|anniversary)\b/i;

const FEATURING = /\s(?:feat\.?|ft\.?|featuring)\s.*$/i;
const BRACKETED = /\([^()]*\)|\[[^\]]*\]|\{[^}]*\}/g;
const DASH_SUFFIX = /\s[-–—]\s(.*)$/;

/**
 * Text reduced to what identifies a song: NFKD with diacritics removed, lower case, bracketed
 * qualifiers (`(Remastered 2011)`, `[Live]`), dash suffixes that name a version (`- Live`,
 * `- Remastered 2009`) and featuring credits (`feat.`, `ft.`, `featuring`) dropped, `&` and `+`
 * read as "and", punctuation turned into spaces, whitespace collapsed. When dropping qualifiers
 * would leave nothing (a title that is only a parenthesis), their words are kept instead.
 */
export function normalizeForMatch(text: string): string {
  const folded = text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/ß/g, 'ss')
    .replace(/[æ]/gi, 'ae')
    .replace(/[ø]/gi, 'o')
    .replace(/[ł]/gi, 'l')
    .toLowerCase();
  let stripped = folded.replace(BRACKETED, ' ');
  const dash = DASH_SUFFIX.exec(stripped);
  if (dash && VERSION_WORDS.test(dash[1] ?? '')) stripped = stripped.slice(0, dash.index);
  stripped = stripped.replace(FEATURING, ' ');
  const cleaned = words(stripped);
  return cleaned !== '' ? cleaned : words(folded);
}

function words(text: string): string {
  return text
    .replace(/[&+]/g, ' and ')
    .replace(/['’`´]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .replace(/\s+/g, ' ');
}

/** Sørensen–Dice coefficient over per-word character bigrams of the normalised texts (0..1). */
export function similarity(a: string, b: string): number {
  const left = normalizeForMatch(a);
  const right = normalizeForMatch(b);
  if (left === right) return left === '' ? 0 : 1;
  const leftGrams = bigrams(left);
  const rightGrams = bigrams(right);
  const total = count(leftGrams) + count(rightGrams);
  if (total === 0) return 0;
  let shared = 0;
  for (const [gram, n] of leftGrams) shared += Math.min(n, rightGrams.get(gram) ?? 0);
  return (2 * shared) / total;
}

function bigrams(text: string): Map<string, number> {
  const grams = new Map<string, number>();
  for (const word of text.split(' ')) {
    const chars = [...word];
    if (chars.length === 1) grams.set(word, (grams.get(word) ?? 0) + 1);
    for (let i = 0; i < chars.length - 1; i += 1) {
      const gram = `${chars[i]}${chars[i + 1]}`;
      grams.set(gram, (grams.get(gram) ?? 0) + 1);
    }
  }
  return grams;
}

function count(grams: Map<string, number>): number {
  let total = 0;
  for (const n of grams.values()) total += n;
  return total;
}

/** `and` and `+` are not separators: they belong to too many single names ("Florence and the Machine"). */
const CREDIT_SEPARATORS = /\s+(?:feat\.?|ft\.?|featuring|with|x|vs\.?)\s+|\s*[,;/&]\s*/i;

/** The whole credit and each name in it (`A feat. B & C` → `A feat. B & C`, `A`, `B`, `C`). */
export function creditedArtists(credit: string): string[] {
  const names = credit
    .split(CREDIT_SEPARATORS)
    .map((name) => name.trim())
    .filter(Boolean);
  return [credit, ...names.filter((name) => name !== credit)];
}

/** Best similarity between any artist credited on one side and any on the other. */
export function artistSimilarity(asked: string, found: string): number {
  let best = 0;
  for (const left of creditedArtists(asked)) {
    for (const right of creditedArtists(found)) best = Math.max(best, similarity(left, right));
  }
  return best;
}

/** Accepts or rejects a lyrics candidate by the rules stated at the top of this module. */
export function matchLyrics(query: LyricsQuery, candidate: MatchCandidate): MatchResult {
  const titleScore = similarity(query.title, candidate.title);
  const artistScore = artistSimilarity(query.artist, candidate.artist);
  const delta =
    query.durationSec !== null && candidate.durationSec !== null && query.durationSec > 0 && candidate.durationSec > 0
      ? Math.abs(query.durationSec - candidate.durationSec)
      : null;
  const penalty = delta === null ? 0 : DURATION_CONFIDENCE_PENALTY * Math.min(delta, DURATION_TOLERANCE_SEC) / DURATION_TOLERANCE_SEC;
  const confidence = round(((titleScore + artistScore) / 2) * (1 - penalty));
  const result = (reason?: string): MatchResult => ({
    accepted: reason === undefined,
    confidence,
    durationDeltaSec: delta,
    ...(reason === undefined ? {} : { reason }),
  });

  if (titleScore < TITLE_SIMILARITY_MIN) {
    return result(`title similarity ${round(titleScore)} < ${TITLE_SIMILARITY_MIN} ("${candidate.title}" for "${query.title}")`);
  }
  if (artistScore < ARTIST_SIMILARITY_MIN) {
    return result(`artist similarity ${round(artistScore)} < ${ARTIST_SIMILARITY_MIN} ("${candidate.artist}" for "${query.artist}")`);
  }
  if (delta !== null && delta > DURATION_TOLERANCE_SEC) {
    return result(`duration differs by ${delta} s (> ${DURATION_TOLERANCE_SEC} s)`);
  }
  return result();
}

/** Time of the last synced line in seconds, or null when there are none. */
export function lastSyncedSecond(lines: readonly SyncedLine[] | null): number | null {
  if (!lines || lines.length === 0) return null;
  let last = 0;
  for (const line of lines) last = Math.max(last, line.timeMs);
  return last / 1000;
}

/**
 * The full check the lyrics chain applies to a provider's answer: {@link matchLyrics} on the
 * track the lyrics belong to, then the synced-lyrics length rule against the asked duration (or,
 * when it is unknown, the duration the source gives for its own track).
 */
export function checkLyrics(query: LyricsQuery, lyrics: Lyrics): MatchResult & { match: LyricsMatch } {
  const base = matchLyrics(query, { artist: lyrics.artistName, title: lyrics.trackTitle, durationSec: lyrics.durationSec });
  const match: LyricsMatch = { confidence: base.confidence, durationDeltaSec: base.durationDeltaSec };
  if (!base.accepted) return { ...base, match };
  const reference = query.durationSec ?? lyrics.durationSec;
  const last = lastSyncedSecond(lyrics.synced);
  if (reference !== null && last !== null && last > reference + DURATION_TOLERANCE_SEC) {
    return {
      ...base,
      accepted: false,
      reason: `synced lyrics run to ${last} s, past the track's ${reference} s (+${DURATION_TOLERANCE_SEC} s)`,
      match,
    };
  }
  return { ...base, match };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
