import type { Lyrics, LyricsMatch, SyncedLine } from '../domain/types.js';
import type { LyricsQuery } from '../providers/types.js';

/**
 * Stated rules for deciding that two sources mean the same thing. Two rule sets live here: one
 * for lyrics (is this text the words of the asked song?) and one for tracks (is this the same
 * recording at another source?). Both compare texts only after the same folding: Unicode NFKD
 * with Latin diacritics removed (`Beyoncé` = `beyonce`, `ß` = `ss`, `æ` = `ae`, `ø` = `o`,
 * `ł` = `l`; the marks of other scripts, such as Japanese voicing marks, are kept), lower case,
 * every kind of quote and dash unified, `&` and `+` read as "and", `$` next to a letter read as
 * `s` (`Travi$ Scott`, `A$AP`), other punctuation turned into spaces.
 *
 * **Similarity** everywhere is the Sørensen–Dice coefficient over the multisets of character
 * bigrams of each word (a one-letter word counts as itself): `2·|A∩B| / (|A|+|B|)`, 1 for equal
 * texts, 0 for texts sharing no bigram. Word order does not matter; small spelling differences
 * cost little.
 *
 * ## Lyrics (see {@link matchLyrics}, {@link checkLyrics})
 * Versions do not matter for words (a live take has the same lyrics), so titles drop every
 * bracketed or dash-suffixed qualifier and featuring credit ({@link normalizeForMatch}).
 * - Title similarity ≥ {@link TITLE_SIMILARITY_MIN} (0.85).
 * - Artist similarity ≥ {@link ARTIST_SIMILARITY_MIN} (0.75), best pair among every name credited
 *   on each side (the whole credit and its parts split at `feat.`, `ft.`, `&`, `,`, `x`, `vs`, `/`,
 *   `;`, `with`).
 * - Duration: when both are known they differ by at most {@link DURATION_TOLERANCE_SEC} (10 s).
 * - Synced lyrics whose last timestamp is later than the track's duration + 10 s belong to a
 *   longer version and are rejected.
 * - `confidence` = mean of title and artist similarity, lowered by up to a quarter
 *   ({@link DURATION_CONFIDENCE_PENALTY}) in proportion to the duration difference.
 *
 * ## Tracks: the same recording at another source (see {@link matchTrack})
 * A candidate is found by one of three methods, strongest first: `ISRC` (both carry the same
 * ISRC), `LINK` (a source itself publishes the link between the two) and `METADATA` (found by
 * searching title and artist). Every verdict lists machine-readable `reasons`: the evidence that
 * made it (`isrc-shared`, `link`, `title-match`, `artist-match`, `version-match:live`,
 * `duration-match`) and what failed (`version-mismatch:<marker>`, `title-mismatch`,
 * `title-number-mismatch`, `artist-mismatch`, `duration-mismatch`, `generic-title`,
 * `low-confidence`) or lowered confidence (`duration-unknown`, `title-qualifier-differs`,
 * `title-differs`, `isrc-not-shared`).
 *
 * **Titles** ({@link parseTitle}) are split into a core and qualifiers. Qualifiers are the
 * bracketed groups (`()`, `[]`, `{}`, `<>`, `【】`, `「」`), `|`-separated tails, and `-`-separated
 * tails that read as a qualifier (`- Remastered 2011`, `- Live at Wembley`); a `-` tail that does
 * not (`Love - Part 2`) stays in the title. A `-` head or tail that names an artist of either side
 * (`Fresku ft. Neenah - Ik Ben Hier`, `INZO - Angst` uploaded by a channel) is moved into the
 * credits. Each qualifier segment is one of:
 * - a **credit** — `feat.`, `ft.`, `featuring`, `with`, `con`, `w/` — moved into the artist set;
 * - a **version marker** (below) — kept and compared;
 * - **neutral** — does not change the recording: remasters (`Remastered 2011`, `2015 Remaster`),
 *   `Album Version`, `Original Mix`, `Explicit`/`Clean`, `Deluxe Edition`, `Bonus Track`,
 *   `Official Video`/`Audio`/`Lyrics`/`HD`, `prod. …`, `from "…"`, anniversary editions, dates;
 * - **unknown** (`(Are Made of This)`, `(Game of Thrones)`) — kept as extra words: when the two
 *   sides' extra words differ, title similarity is the better of the full texts' similarity and
 *   the cores' similarity × {@link TRACK_MATCH_RULES}.`unknownQualifierFactor` (0.9).
 *
 * **Version markers** ({@link versionMarkers}): `live` (live, en vivo, ao vivo, en directo,
 * concert, unplugged), `session` (BBC/studio sessions, sessie), `remix` (remix, rework, re-edit,
 * bootleg, flip, VIP, dub, mash-up, "vs.", any "… mix" or "… edit" that is not one of the
 * following), `edit` (radio edit, single edit/version, radio mix, short version, 7" mix — a
 * radio edit is a *different length* of the recording, so it is a version of its own),
 * `extended` (extended, 12" mix, long version), `acoustic` (acoustic, acústico, unplugged),
 * `instrumental` (instrumental, off vocal, backing track), `a-cappella`, `karaoke` (karaoke, in the
 * style of, sing-along), `cover` (cover, originally performed by, made famous by), `tribute`,
 * `sped-up` (sped up, nightcore), `slowed` (slowed, reverb, daycore, chopped and screwed), `8-bit`
 * (8-bit, 16-bit, chiptune), `demo` (demo, early version, rough mix), `alternate` (alternate
 * take, outtake), `mono`, and `version` (any other "… version", versión, versão, versie: a
 * classical, Spanish, piano version). The ambiguous words (live, edit, mix, version, session…)
 * count only inside qualifiers; the unambiguous ones (remix, sped up, slowed, nightcore, karaoke,
 * 8-bit, a cappella) count anywhere in the title. Markers are also read from the source's own
 * version note (`versionNote`: MusicBrainz disambiguation such as `live, 1996-04-10: …`, Deezer
 * `title_version`), from the album title (`Live at …`, `… (Live)`, `MTV Unplugged`, `… Remixes`,
 * `Karaoke …`, `Tribute to …`) and from artist names (`Karaoke Hits`, `8-Bit Arcade`,
 * `… Tribute`). **A candidate is rejected unless both sides carry exactly the same markers**,
 * whatever the method: an ISRC shared with a "sped up" upload is a data error, not a match.
 *
 * **Artists** ({@link artistSet}): each credit is folded, a leading "The " dropped, and split at
 * `,` `;` `&` `/` `x` `×` `vs` `feat.` `ft.` `featuring` `with` `con` (the whole credit is kept
 * too, so `Earth, Wind & Fire` still equals itself; `and`, `y` and `+` never split, for
 * `Florence + The Machine`). Credits moved out of the title join the set. Artists agree when the
 * first credited artist of each side is found in the other side's set (name similarity ≥
 * `artistSimilarityMin`, 0.85): `Lady Gaga feat. Bradley Cooper` = `Lady Gaga`, but `Five & Queen`
 * ≠ `Queen` because Five is missing on the Queen side.
 *
 * **METADATA** (found by search) is accepted only when all of these hold:
 * 1. the same version markers on both sides;
 * 2. the same numbers in the titles (`Episode 4 Pt. 1` ≠ `Pt. 2`, `Crimes` ≠ `Crimes II`);
 * 3. title similarity ≥ `titleSimilarityMin` (0.9);
 * 4. artists agree;
 * 5. durations, when both are known, differ by at most `durationToleranceSec.METADATA` (3 s:
 *    the same master measured by two services differs by about a second of silence or rounding,
 *    while a different edit, live take or video cut of the same song differs by more);
 * 6. a generic title (`Intro`, `Outro`, `Interlude`, `Skit`, `Untitled`, `Track 1`) with albums
 *    known on both sides needs album similarity ≥ 0.85;
 * 7. `confidence` ≥ `acceptConfidence` (0.85).
 *
 * METADATA `confidence` = (0.6 × title similarity + 0.4 × artist similarity) × duration factor
 * (× 0.9 for a generic title without a known album on both sides). The duration factor is 1 up to
 * a 1 s difference and falls by 0.04 per second after it (0.96 at 2 s, 0.92 at 3 s); when either
 * duration is unknown it is `unknownDurationFactor` (0.88). So a METADATA match without a
 * duration can be accepted (0.88 at best, only for near-identical texts) but never reaches 0.9,
 * the level the download-borrowing rule asks for together with |Δduration| ≤ 2 s.
 *
 * **ISRC** (a shared ISRC, compared without hyphens or case) and **LINK** are strong evidence:
 * they are accepted unless the version markers differ or both durations are known and differ by
 * more than `durationToleranceSec.ISRC`/`.LINK` (10 s: services measure the same ISRC with or
 * without lead-in silence and MusicBrainz lengths may come from a different release, while a
 * sped-up or slowed copy of a song of ordinary length, 10 % or more off tempo, is at least 10 s
 * off). Their confidence is 0.95 + 0.05 × duration
 * closeness (1 at 0 s, 0 at 10 s, ½ when unknown) when the titles agree (similarity ≥ 0.9),
 * exactly 0.95 when titles agree but artists do not (compilations, label uploads), and
 * 0.85 + 0.1 × title similarity when titles do not agree (translations, romanisations). Asked to
 * judge by `ISRC` when the two carry no common ISRC, the candidate is judged by METADATA and the
 * verdict says `matchedBy: 'METADATA'` with `isrc-not-shared`.
 *
 * A rejected verdict still reports the confidence its texts and durations would earn: a live take
 * named exactly like the studio one scores high and is rejected all the same, and the reasons say
 * which hard rule refused it. `durationDeltaSec` is the absolute difference rounded to whole
 * seconds; the tolerance rules compare the exact difference.
 *
 * Measured on the labelled table of real pairs in `test/catalog/fixtures/track-pairs.json`
 * (titles, artists and lengths copied from the recorded answers of MusicBrainz, Deezer, YouTube
 * Music, SoundCloud, LRCLIB, Last.fm, Musixmatch, Bandcamp, Jamendo and Odesli): no negative
 * accepted, recall printed by the test.
 */
const TITLE_SIMILARITY_MIN = 0.85;
const ARTIST_SIMILARITY_MIN = 0.75;
const DURATION_TOLERANCE_SEC = 10;
const DURATION_CONFIDENCE_PENALTY = 0.25;

// ---------------------------------------------------------------------------------------------
// Text folding shared by both rule sets

const QUOTES = /[‘’‚‛′`´"“”„‟″«»]/g;
const DASHES = /[‐‑‒–—―−﹘﹣－]/g;

/**
 * Combining diacritical marks (accents, umlauts, cedillas). Only these go: the marks of other
 * scripts (Japanese voicing marks, Indic vowel signs) are letters, not decoration.
 */
const DIACRITICS = /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+/g;

/** NFKD, diacritics removed, special letters spelled out, quotes and dashes unified, lower case. */
function fold(text: string): string {
  return text
    .normalize('NFKC')
    .replace(DASHES, '-')
    .replace(QUOTES, "'")
    .normalize('NFKD')
    .replace(DIACRITICS, '')
    .normalize('NFC')
    .replace(/ß/g, 'ss')
    .replace(/[æ]/gi, 'ae')
    .replace(/[ø]/gi, 'o')
    .replace(/[ł]/gi, 'l')
    .replace(/[đ]/gi, 'd')
    .replace(/[þ]/gi, 'th')
    .toLowerCase();
}

function words(text: string): string {
  return text
    .replace(/[&+]/g, ' and ')
    .replace(/(?<=\p{L})\$|\$(?=\p{L})/gu, 's')
    .replace(/'/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .replace(/\s+/g, ' ');
}

/** Folded text reduced to words: what two spellings of one name have in common. */
function normaliseText(text: string): string {
  return words(fold(text));
}

/** Sørensen–Dice coefficient over per-word character bigrams of two already normalised texts. */
function dice(left: string, right: string): number {
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
    if (word === '') continue;
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

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

// ---------------------------------------------------------------------------------------------
// Lyrics

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
const DASH_SUFFIX = /\s-\s(.*)$/;

/**
 * Text reduced to what identifies a song *for lyrics*: folded as stated at the top of this
 * module, bracketed qualifiers (`(Remastered 2011)`, `[Live]`), dash suffixes that name a version
 * (`- Live`, `- Remastered 2009`) and featuring credits dropped. When dropping qualifiers would
 * leave nothing (a title that is only a parenthesis), their words are kept instead.
 */
export function normalizeForMatch(text: string): string {
  const folded = fold(text);
  let stripped = folded.replace(BRACKETED, ' ');
  const dash = DASH_SUFFIX.exec(stripped);
  if (dash && VERSION_WORDS.test(dash[1] ?? '')) stripped = stripped.slice(0, dash.index);
  stripped = stripped.replace(FEATURING, ' ');
  const cleaned = words(stripped);
  return cleaned !== '' ? cleaned : words(folded);
}

/** Sørensen–Dice coefficient over per-word character bigrams of the normalised texts (0..1). */
export function similarity(a: string, b: string): number {
  return dice(normalizeForMatch(a), normalizeForMatch(b));
}

/** `and` and `+` are not separators: they belong to too many single names ("Florence and the Machine"). */
const CREDIT_SEPARATORS = /\s+(?:feat\.?|ft\.?|featuring|with|x|vs\.?)\s+|\s*[,;/&]\s*/i;

/** The whole credit and each name in it (`A feat. B & C` → `A feat. B & C`, `A`, `B`, `C`). */
function creditedArtists(credit: string): string[] {
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
function lastSyncedSecond(lines: readonly SyncedLine[] | null): number | null {
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

// ---------------------------------------------------------------------------------------------
// Tracks: the same recording at another source

/**
 * How a candidate was found: `ISRC` (the same ISRC), `LINK` (a link the source itself publishes,
 * such as a MusicBrainz url relationship or an Odesli answer), `METADATA` (a search by title and
 * artist).
 */
export const MatchMethod = { ISRC: 'ISRC', LINK: 'LINK', METADATA: 'METADATA' } as const;
export type MatchMethod = keyof typeof MatchMethod;

/** What one source says about a track, as far as matching needs it. */
export interface MatchSubject {
  title: string;
  /** Credited artists as the source lists them (one string may hold several: `A & B`). */
  artists: readonly string[];
  /** Seconds (fractions allowed); null or 0 when the source does not know. */
  durationSec: number | null;
  /** ISRCs the source gives for the track; compared without hyphens, spaces or case. */
  isrcs?: readonly string[];
  /** Title of the album (release) the source places the track on; read for version markers. */
  album?: string | null;
  /**
   * The source's own note on the version, apart from the title: MusicBrainz recording
   * disambiguation (`live, 1996-04-10: Majestic Theatre`), Deezer `title_version`.
   */
  versionNote?: string | null;
}

export interface TrackMatchVerdict {
  accepted: boolean;
  /** 0..1; see the rules at the top of this module for how each method computes it. */
  confidence: number;
  /** The method the verdict rests on (`METADATA` when asked for `ISRC` without a shared ISRC). */
  matchedBy: MatchMethod;
  /** Absolute duration difference in whole seconds (rounded), null when either is unknown. */
  durationDeltaSec: number | null;
  /** Machine-readable reason codes, e.g. 'version-mismatch:live', 'artist-mismatch', 'duration-mismatch'. */
  reasons: string[];
}

/** The thresholds of {@link matchTrack}, as stated at the top of this module. */
export const TRACK_MATCH_RULES = Object.freeze({
  /** Lowest METADATA confidence accepted. */
  acceptConfidence: 0.85,
  /** Lowest title similarity (0..1) for METADATA; for ISRC/LINK, the level at which titles "agree". */
  titleSimilarityMin: 0.9,
  /** Lowest similarity (0..1) for two artist names to be the same name. */
  artistSimilarityMin: 0.85,
  /** Lowest album similarity (0..1) that lets a generic title (`Intro`) match. */
  albumSimilarityMin: 0.85,
  /** Largest accepted duration difference, seconds, per method. */
  durationToleranceSec: Object.freeze({ METADATA: 3, ISRC: 10, LINK: 10 } satisfies Record<MatchMethod, number>),
  /** Seconds of difference that cost METADATA confidence nothing. */
  durationFreeSec: 1,
  /** METADATA confidence lost per second of difference beyond `durationFreeSec`. */
  durationPenaltyPerSec: 0.04,
  /** METADATA confidence factor when either duration is unknown (keeps it below 0.9). */
  unknownDurationFactor: 0.88,
  /** Title similarity factor when the sides' unexplained bracket words differ. */
  unknownQualifierFactor: 0.9,
  /** METADATA confidence factor for a generic title whose album cannot be compared. */
  genericTitleFactor: 0.9,
  /** Weight of title similarity in METADATA confidence (artist similarity gets the rest). */
  titleWeight: 0.6,
  /** ISRC/LINK confidence floor when titles agree. */
  strongConfidence: 0.95,
  /** ISRC/LINK confidence floor when titles do not agree (plus 0.1 × title similarity). */
  strongDisagreeingConfidence: 0.85,
});

/** A kind of version that makes a recording differ from the plain studio one (see the rules above). */
export type VersionMarker =
  | 'live'
  | 'session'
  | 'remix'
  | 'edit'
  | 'extended'
  | 'acoustic'
  | 'instrumental'
  | 'a-cappella'
  | 'karaoke'
  | 'cover'
  | 'tribute'
  | 'sped-up'
  | 'slowed'
  | '8-bit'
  | 'demo'
  | 'alternate'
  | 'mono'
  | 'version';

/** Markers read inside a qualifier segment (already folded); every pattern that matches adds its marker. */
const QUALIFIER_MARKERS: readonly [VersionMarker, RegExp][] = [
  ['live', /\blive\b|\ben vivo\b|\bao vivo\b|\ben directo\b|\bal vivo\b|concerts?\b|\bconcierto\b|\bkonzert\b|\bunplugged\b|\bon stage\b/],
  ['session', /\bsessions?\b|sessie\b|\bsesion(es)?\b|\blive lounge\b/],
  ['acoustic', /\bacoustic\b|\bacustic[oa]\b|\bacoustique\b|\bakusti[sk]\w*|\bunplugged\b/],
  ['instrumental', /\binstrumental(es|s)?\b|\binst\b|\boff ?vocal\b|\bbacking track\b|\bminus one\b/],
  ['a-cappella', /\ba ?capp?ella\b|\bacapp?ella\b|\bvocals? only\b/],
  ['karaoke', /\bkaraoke\b|\bin the style of\b|\bsing ?-?along\b/],
  ['cover', /\bcover(ed)?\b|\boriginally (performed|by)\b|\bmade famous by\b|\bas made famous\b/],
  ['tribute', /\btribute\b|\bhomenaje\b|\bhomenagem\b|\bhommage\b/],
  ['sped-up', /\bsped ?-?up\b|\bspeed ?-?up\b|\bnightcore\b|\bfast(er)? version\b/],
  ['slowed', /\bslowed\b|\breverb\b|\bdaycore\b|\bchopped (and|n|&) screwed\b|\bslow(er)? version\b/],
  ['8-bit', /\b(8|16) ?-?bit\b|\bchiptune\b/],
  ['demo', /\bdemo\b|\bearly (version|take|mix)\b|\brough (mix|version|cut)\b|\bwork ?tape\b|\bhome recording\b/],
  ['alternate', /\balt(ernate|ernative)?\.? (take|version|mix)\b|\bouttake\b|\btake \d+\b/],
  ['mono', /\bmono\b/],
  ['extended', /\bextended\b|\b12 ?(inch)?'*\s*(mix|version|edit)\b|\blong version\b/],
  ['edit', /\b(radio|single|short|7 ?(inch)?'*)\s*(edit|version|mix)\b|^radio$|^edit$|\btv (size|edit|version)\b/],
];
/** Mix/edit names that are the default recording, not a version of it. */
const DEFAULT_MIX = /\b(original|album|main|stereo|lp)\s+(mix|edit)\b/;
const REMIX = /\bre-?mix(ed|es)?\b|\brmx\b|\brework(ed)?\b|\bre-?edit\b|\bbootleg\b|\bflip\b|\bvip\b|\bmash ?-?up\b|\bdub\b|\bvs\b|\bremake\b/;
/** A named mix or edit (`ShadowFrog mix`, `DJ Ken-Bow edit`) is a remix when nothing else explains it. */
const NAMED_MIX = /\bmix\b|\bedit\b/;
const VERSION_WORD = /\bversion(e|es)?\b|\bversao\b|\bversie\b|\bfassung\b/;
/** Unambiguous words: version markers wherever they appear in a title. */
const TITLE_WIDE_MARKERS: readonly [VersionMarker, RegExp][] = [
  ['remix', /\bre-?mix(ed)?\b|\brmx\b/],
  ['sped-up', /\bsped ?-?up\b|\bnightcore\b/],
  ['slowed', /\bslowed\b|\bdaycore\b/],
  ['karaoke', /\bkaraoke\b/],
  ['8-bit', /\b(8|16) ?-?bit\b/],
  ['a-cappella', /\ba ?capp?ella\b|\bacapp?ella\b/],
];

/** Version markers inside one qualifier segment (`Live at Wembley`, `Lark Remix`, `Radio Edit`). */
function segmentMarkers(segment: string): VersionMarker[] {
  const text = fold(segment).replace(/[()[\]{}<>]/g, ' ').replace(/\s+/g, ' ').trim();
  const found = new Set<VersionMarker>();
  for (const [marker, pattern] of QUALIFIER_MARKERS) if (pattern.test(text)) found.add(marker);
  const named = text.replace(DEFAULT_MIX, ' ');
  if (REMIX.test(named) || (found.size === 0 && NAMED_MIX.test(named))) found.add('remix');
  if (found.size === 0 && VERSION_WORD.test(text) && !isNeutral(text)) found.add('version');
  return [...found];
}

const NEUTRAL_WORDS = new Set(
  (
    'remaster remastered remasterizado remasterizada remasterise remasterisee remasterizzato digitally digital ' +
    'version versions versao versie versione album original originele originale lp single deluxe super expanded ' +
    'anniversary aniversario edition edicion edicao editie special limited collector collectors bonus track ' +
    'explicit clean censored uncensored dirty stereo official oficial video videoclip clip audio music musical ' +
    'hd hq 4k 1080p lyric lyrics letra paroles visualizer visualiser mv out now free download main standard ' +
    'soundtrack ost motion picture film movie the a of and in year th st nd rd remasters mastered'
  ).split(' '),
);
const NEUTRAL_HEAD = /^(prod(uced)?\b|prod by\b|from\b|taken from\b|as (heard|featured|seen) (in|on)\b|music from\b|theme from\b|original motion picture\b)/;

/** A qualifier that does not change the recording (remaster, album version, official video…). */
function isNeutral(text: string): boolean {
  if (/remaster/.test(text) || NEUTRAL_HEAD.test(text)) return true;
  if (DEFAULT_MIX.test(text) && text.replace(DEFAULT_MIX, '').trim() === '') return true;
  const tokens = words(text).split(' ').filter(Boolean);
  return tokens.length > 0 && tokens.every((token) => NEUTRAL_WORDS.has(token) || /^\d+(st|nd|rd|th)?$/.test(token));
}

const CREDIT_HEAD = /^(?:feat\.?|ft\.?|featuring|with|w\/|con)\s+(.+)$/i;
/** After a dash only the unmistakable words credit someone: `Daddy Yankee - Con Calma` names a song. */
const DASH_CREDIT_HEAD = /^(?:feat\.?|ft\.?|featuring)\s+/i;
/** Where one credit string holds several names. `and`, `y` and `+` never split (`Florence + The Machine`). */
const NAME_SEPARATORS = /\s*[,;]\s*|\s+[&/×x]\s+|\s+(?:vs\.?|feat\.?|ft\.?|featuring|with|con)\s+/i;
const TRAILING_FEATURING = /\s+(?:feat\.?|ft\.?|featuring)\s+(.+)$/i;

/** A credit string split into folded names, the whole credit first (`Five & Queen` → `five and queen`, `five`, `queen`). */
function creditNames(credit: string): string[] {
  const whole = artistName(credit);
  const parts = fold(credit)
    .split(NAME_SEPARATORS)
    .map(artistName)
    .filter((name) => name !== '');
  return [...new Set([whole, ...parts].filter((name) => name !== ''))];
}

/** One artist name folded, a leading "the" dropped. */
function artistName(name: string): string {
  return normaliseText(name).replace(/^the /, '');
}

function namesMatch(left: string, right: string): boolean {
  return left === right || dice(left, right) >= TRACK_MATCH_RULES.artistSimilarityMin;
}

function anyNameMatches(names: Iterable<string>, known: Iterable<string>): boolean {
  const pool = [...known];
  for (const name of names) if (pool.some((other) => namesMatch(name, other))) return true;
  return false;
}

/** A title split into what identifies the song and what qualifies it. */
export interface ParsedTitle {
  /** Normalised words that identify the song. */
  core: string;
  /** Normalised words of qualifiers that are neither credits, markers nor neutral. */
  extras: string;
  /** Artists named in the title (featuring credits, an `Artist - Title` head), folded. */
  credits: string[];
  markers: VersionMarker[];
  /** Numbers in core and extra words (`Pt. 2` → 2, `II` → 2), sorted. */
  numbers: number[];
}

const BRACKET_PAIRS: Record<string, string> = { '(': ')', '[': ']', '{': '}', '<': '>' };

/** Top-level bracket groups and the text outside them; inner groups become separate segments. */
function splitBrackets(text: string): { outside: string; groups: string[] } {
  let outside = '';
  const groups: string[] = [];
  const stack: string[] = [];
  let current = '';
  for (const char of text) {
    if (char in BRACKET_PAIRS) {
      if (stack.length === 0) current = '';
      else current += ' - ';
      stack.push(BRACKET_PAIRS[char] as string);
      continue;
    }
    if (stack.length > 0 && char === stack[stack.length - 1]) {
      stack.pop();
      if (stack.length === 0) groups.push(current);
      else current += ' - ';
      continue;
    }
    if (stack.length > 0) current += char;
    else outside += char;
  }
  if (stack.length > 0) outside += ` ${current}`;
  return { outside, groups };
}

/** Brackets of other scripts read as the usual ones; `|` and `-` spelled one way. */
function unifyPunctuation(title: string): string {
  return title
    .normalize('NFKC')
    .replace(/[【「『〈《［〔]/g, '[')
    .replace(/[】」』〉》］〕]/g, ']')
    .replace(DASHES, '-')
    .replace(QUOTES, "'");
}

const ROMAN: Record<string, number> = { ii: 2, iii: 3, iv: 4, vi: 6, vii: 7, viii: 8, ix: 9, xi: 11, xii: 12, xiii: 13 };

function numbersOf(text: string): number[] {
  const found: number[] = [];
  for (const token of text.split(' ')) {
    const digits = /^\d+/.exec(token);
    if (digits) found.push(Number(digits[0]));
    else if (token in ROMAN) found.push(ROMAN[token] as number);
  }
  return found.sort((a, b) => a - b);
}

/**
 * Splits a title into core words, qualifiers, credits, version markers and numbers, by the rules
 * at the top of this module. `knownNames` (folded artist names of both sides) lets an
 * `Artist - Title` head or `Title - Artist` tail be read as a credit.
 */
export function parseTitle(title: string, knownNames: Iterable<string> = []): ParsedTitle {
  const known = [...knownNames];
  const { outside, groups } = splitBrackets(unifyPunctuation(title));
  const [main = '', ...pipeTails] = outside.split(/\s*\|\s*/);
  const credits: string[] = [];
  const segments: string[] = [...groups, ...pipeTails];

  let parts = main.split(/\s+-\s+|(?<=[^\s-])-\s+(?=\S)/).map((part) => part.trim()).filter(Boolean);
  if (parts.length > 1) {
    const head = creditNames(parts[0] as string);
    const tail = creditNames(parts[parts.length - 1] as string);
    if (anyNameMatches(head, known)) {
      credits.push(...head);
      parts = parts.slice(1);
    } else if (anyNameMatches(tail, known)) {
      credits.push(...tail);
      parts = parts.slice(0, -1);
    }
  }
  // A dash tail is a qualifier when it reads as one (`- Remastered 2011`, `- Live`, a date).
  const kept = [parts[0] ?? ''];
  for (const part of parts.slice(1)) {
    const folded = fold(part);
    if (segmentMarkers(part).length > 0 || isNeutral(folded) || DASH_CREDIT_HEAD.test(part) || /^[\d\s./-]+$/.test(part)) segments.push(part);
    else kept.push(part);
  }
  let titleText = kept.join(' - ');
  const featuring = TRAILING_FEATURING.exec(titleText);
  if (featuring) {
    credits.push(...creditNames(featuring[1] as string));
    titleText = titleText.slice(0, featuring.index);
  }

  const markers = new Set<VersionMarker>();
  const extras: string[] = [];
  for (const segment of segments.flatMap((group) => group.split(/\s+-\s+|\s*;\s*/))) {
    const trimmed = segment.trim();
    if (trimmed === '') continue;
    const credit = CREDIT_HEAD.exec(trimmed);
    if (credit) {
      credits.push(...creditNames(credit[1] as string));
      continue;
    }
    const found = segmentMarkers(trimmed);
    if (found.length > 0) {
      for (const marker of found) markers.add(marker);
      continue;
    }
    const folded = fold(trimmed);
    if (isNeutral(folded) || /^[\d\s./:-]+$/.test(trimmed)) continue;
    const names = creditNames(trimmed);
    if (known.length > 0 && anyNameMatches(names.slice(0, 1), known)) {
      credits.push(...names);
      continue;
    }
    extras.push(normaliseText(trimmed));
  }

  let core = normaliseText(titleText);
  const foldedTitle = fold(titleText);
  for (const [marker, pattern] of TITLE_WIDE_MARKERS) if (pattern.test(foldedTitle)) markers.add(marker);
  const extraText = extras.filter(Boolean).join(' ');
  if (core === '' && extraText !== '') return { core: extraText, extras: '', credits, markers: sortMarkers(markers), numbers: numbersOf(extraText) };
  if (core === '') core = normaliseText(title);
  return { core, extras: extraText, credits: [...new Set(credits)], markers: sortMarkers(markers), numbers: numbersOf(`${core} ${extraText}`.trim()) };
}

function sortMarkers(markers: Iterable<VersionMarker>): VersionMarker[] {
  return [...new Set(markers)].sort();
}

/** The words that identify a song, qualifiers and credits removed (`Taxman - Remastered 2009` → `taxman`). */
export function normaliseTitle(title: string): string {
  return parseTitle(title).core;
}

/** Version markers of a title (`Numb (ShadowFrog mix)` → `['remix']`, `Hallelujah` → `[]`). */
export function versionMarkers(title: string): VersionMarker[] {
  return parseTitle(title).markers;
}

/** Version markers in a source's free-text version note (`live, 1996-04-10: …`, `(Radio Edit)`). */
export function versionNoteMarkers(note: string): VersionMarker[] {
  const { outside, groups } = splitBrackets(unifyPunctuation(note));
  const found = new Set<VersionMarker>();
  for (const segment of [outside, ...groups].flatMap((part) => part.split(/\s+-\s+|\s*[;,:]\s*/))) {
    if (segment.trim() !== '' && !CREDIT_HEAD.test(segment.trim())) for (const marker of segmentMarkers(segment)) found.add(marker);
  }
  return sortMarkers(found);
}

const ALBUM_MARKERS: readonly [VersionMarker, RegExp][] = [
  ['live', /^live( (at|in|from|on|and|aid)\b| ?[&!@:-]|$)|\blive (at|in|from|on|aid)\b|[(\[:-] ?live\b|\blive ?[)\]]|\ben vivo\b|\bao vivo\b|\ben directo\b|\bin concert\b|concerts?\b|\bconcierto\b|\bunplugged\b/],
  ['acoustic', /\bacoustic\b|\bacustic[oa]\b|\bunplugged\b/],
  ['remix', /\bremix(es|ed)?\b/],
  ['instrumental', /\binstrumentals?\b/],
  ['karaoke', /\bkaraoke\b/],
  ['tribute', /\btribute\b/],
  ['cover', /\bcovers\b/],
  ['sped-up', /\bsped ?-?up\b|\bnightcore\b/],
  ['slowed', /\bslowed\b/],
  ['8-bit', /\b(8|16) ?-?bit\b|\bchiptune\b/],
  ['demo', /\bdemos?\b/],
  ['session', /\bsessions\b/],
];

/** Version markers an album title carries (`Live at Durty Nellies`, `MTV Unplugged`, `Hotel: The Remixes`). */
export function albumVersionMarkers(album: string): VersionMarker[] {
  const text = fold(album).replace(/\s+/g, ' ').trim();
  return sortMarkers(ALBUM_MARKERS.filter(([, pattern]) => pattern.test(text)).map(([marker]) => marker));
}

const ARTIST_MARKERS: readonly [VersionMarker, RegExp][] = [
  ['karaoke', /\bkaraoke\b|\bsing ?2 ?piano\b|\bthe hit crew\b/],
  ['tribute', /\btribute\b/],
  ['cover', /\bcovers?\b|\bkidz bop\b|\bvitamin string quartet\b|\brockabye baby\b/],
  ['8-bit', /\b(8|16) ?-?bit\b|\bchiptune\b/],
  ['sped-up', /\bnightcore\b|\bsped ?-?up\b/],
  ['slowed', /\bslowed\b/],
];

/** Version markers in artist names (`Karaoke Hits`, `8-Bit Arcade`, `Vitamin String Quartet`). */
export function artistVersionMarkers(artists: readonly string[]): VersionMarker[] {
  const found = new Set<VersionMarker>();
  for (const artist of artists) {
    const text = fold(artist);
    for (const [marker, pattern] of ARTIST_MARKERS) if (pattern.test(text)) found.add(marker);
  }
  return sortMarkers(found);
}

/**
 * Folded artist names of a side: every credit whole and split (`Daft Punk, Pharrell Williams &
 * Nile Rodgers` → the whole, `daft punk`, `pharrell williams`, `nile rodgers`), plus credits named
 * in `title` when given (`Shallow (feat. Bradley Cooper)`).
 */
export function artistSet(artists: readonly string[], title?: string): string[] {
  const names = artists.flatMap(creditNames);
  if (title !== undefined) names.push(...parseTitle(title, names).credits);
  return [...new Set(names)];
}

interface Side {
  title: ParsedTitle;
  names: string[];
  /** The first credited artist: whole credit and its first name, or the credit named in the title head. */
  primary: string[];
  markers: VersionMarker[];
  duration: number | null;
  isrcs: Set<string>;
  album: string | null;
}

/** Candidate credit names in the `-` head of a title (`Fresku ft. Neenah - Ik Ben Hier` → fresku, neenah). */
function titleHeadNames(title: string): string[] {
  const { outside } = splitBrackets(unifyPunctuation(title));
  const parts = (outside.split(/\s*\|\s*/)[0] ?? '').split(/\s+-\s+|(?<=[^\s-])-\s+(?=\S)/);
  return parts.length > 1 ? creditNames(parts[0] as string) : [];
}

function sideOf(subject: MatchSubject, otherNames: readonly string[], otherHead: readonly string[]): Side {
  const ownNames = subject.artists.flatMap(creditNames);
  const title = parseTitle(subject.title, [...ownNames, ...otherNames, ...otherHead]);
  const first = subject.artists[0] ?? '';
  const firstNames = creditNames(first);
  const primary = [...firstNames.slice(0, 2)];
  // An `Artist - Title` head names the performer better than an uploader's channel does.
  const head = titleHeadNames(subject.title);
  if (head.length > 0 && title.credits.includes(head[0] as string)) primary.push(...head.slice(0, 2));
  const markers = new Set<VersionMarker>(title.markers);
  if (subject.versionNote) for (const marker of versionNoteMarkers(subject.versionNote)) markers.add(marker);
  if (subject.album) for (const marker of albumVersionMarkers(subject.album)) markers.add(marker);
  for (const marker of artistVersionMarkers(subject.artists)) markers.add(marker);
  const duration = subject.durationSec !== null && subject.durationSec > 0 ? subject.durationSec : null;
  return {
    title,
    names: [...new Set([...ownNames, ...title.credits])],
    primary: [...new Set(primary.filter(Boolean))],
    markers: sortMarkers(markers),
    duration,
    isrcs: new Set((subject.isrcs ?? []).map((isrc) => isrc.replace(/[\s-]/g, '').toUpperCase()).filter(Boolean)),
    album: subject.album ? normaliseText(subject.album) : null,
  };
}

function titleScore(left: ParsedTitle, right: ParsedTitle): number {
  const cores = dice(left.core, right.core);
  if (left.extras === right.extras) return cores;
  const full = dice(`${left.core} ${left.extras}`.trim(), `${right.core} ${right.extras}`.trim());
  return Math.max(full, cores * TRACK_MATCH_RULES.unknownQualifierFactor);
}

/** Best similarity of one side's first artist to any name of the other side, both ways (the lower of the two). */
function artistScore(left: Side, right: Side): number {
  const best = (from: Side, to: Side) => Math.max(0, ...from.primary.flatMap((name) => to.names.map((other) => dice(name, other))));
  return Math.min(best(left, right), best(right, left));
}

const GENERIC_TITLES = /^(intro|outro|interlude|skit|prelude|reprise|untitled|bonus track|hidden track|track \d+)$/;

/**
 * Judges whether `candidate` (from another source) is the same recording as `wanted`, found by
 * `how`, under the rules at the top of this module. Symmetric except for `matchedBy`.
 */
export function matchTrack(wanted: MatchSubject, candidate: MatchSubject, how: MatchMethod): TrackMatchVerdict {
  const rules = TRACK_MATCH_RULES;
  const wantedNames = wanted.artists.flatMap(creditNames);
  const candidateNames = candidate.artists.flatMap(creditNames);
  const left = sideOf(wanted, candidateNames, titleHeadNames(candidate.title));
  const right = sideOf(candidate, wantedNames, titleHeadNames(wanted.title));
  const reasons: string[] = [];
  const failures: string[] = [];

  let method = how;
  if (how === 'ISRC') {
    const shared = [...left.isrcs].some((isrc) => right.isrcs.has(isrc));
    if (shared) reasons.push('isrc-shared');
    else {
      method = 'METADATA';
      reasons.push('isrc-not-shared');
    }
  } else if (how === 'LINK') reasons.push('link');

  const title = titleScore(left.title, right.title);
  const titlesAgree = title >= rules.titleSimilarityMin;
  if (left.title.extras !== right.title.extras) reasons.push('title-qualifier-differs');
  const artistsAgree =
    anyNameMatches(left.primary, right.names) && anyNameMatches(right.primary, left.names);
  const artist = artistsAgree ? Math.max(artistScore(left, right), rules.artistSimilarityMin) : artistScore(left, right);

  for (const marker of left.markers) if (right.markers.includes(marker)) reasons.push(`version-match:${marker}`);
  for (const marker of sortMarkers([...left.markers, ...right.markers])) {
    if (!left.markers.includes(marker) || !right.markers.includes(marker)) failures.push(`version-mismatch:${marker}`);
  }

  const delta = left.duration !== null && right.duration !== null ? Math.abs(left.duration - right.duration) : null;
  const tolerance = rules.durationToleranceSec[method];
  const durationReason = delta === null ? 'duration-unknown' : delta <= tolerance ? 'duration-match' : 'duration-mismatch';

  let confidence: number;
  if (method === 'METADATA') {
    if (left.title.numbers.join() !== right.title.numbers.join()) failures.push('title-number-mismatch');
    reasons.push(titlesAgree ? 'title-match' : 'title-mismatch');
    if (!titlesAgree) failures.push('title-mismatch');
    reasons.push(artistsAgree ? 'artist-match' : 'artist-mismatch');
    if (!artistsAgree) failures.push('artist-mismatch');
    reasons.push(durationReason);
    if (durationReason === 'duration-mismatch') failures.push('duration-mismatch');

    const durationFactor =
      delta === null ? rules.unknownDurationFactor : 1 - rules.durationPenaltyPerSec * Math.max(0, delta - rules.durationFreeSec);
    let genericFactor = 1;
    if (GENERIC_TITLES.test(left.title.core) || GENERIC_TITLES.test(right.title.core)) {
      if (left.album !== null && right.album !== null) {
        if (dice(left.album, right.album) < rules.albumSimilarityMin) failures.push('generic-title');
      } else genericFactor = rules.genericTitleFactor;
      reasons.push('generic-title');
    }
    confidence = (rules.titleWeight * title + (1 - rules.titleWeight) * artist) * Math.max(0, durationFactor) * genericFactor;
  } else {
    reasons.push(titlesAgree ? 'title-match' : 'title-differs');
    reasons.push(artistsAgree ? 'artist-match' : 'artist-mismatch');
    reasons.push(durationReason);
    if (durationReason === 'duration-mismatch') failures.push('duration-mismatch');
    if (titlesAgree) {
      const closeness = delta === null ? 0.5 : Math.max(0, 1 - delta / tolerance);
      confidence = artistsAgree ? rules.strongConfidence + (1 - rules.strongConfidence) * closeness : rules.strongConfidence;
    } else confidence = rules.strongDisagreeingConfidence + 0.1 * title;
  }

  confidence = round(Math.min(1, confidence));
  if (failures.length === 0 && method === 'METADATA' && confidence < rules.acceptConfidence) failures.push('low-confidence');
  for (const failure of failures) if (!reasons.includes(failure)) reasons.push(failure);
  return {
    accepted: failures.length === 0,
    confidence,
    matchedBy: method,
    durationDeltaSec: delta === null ? null : Math.round(delta),
    reasons,
  };
}
