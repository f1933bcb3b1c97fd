import { describe, expect, it } from 'vitest';
import {
  ARTIST_SIMILARITY_MIN,
  artistSimilarity,
  checkLyrics,
  DURATION_TOLERANCE_SEC,
  matchLyrics,
  normalizeForMatch,
  similarity,
  TITLE_SIMILARITY_MIN,
} from '../../src/catalog/matching.js';
import type { Lyrics } from '../../src/domain/types.js';
import type { LyricsQuery } from '../../src/providers/types.js';

/**
 * Names and durations below are taken from the services' documentation samples used elsewhere in
 * the tests: LRCLIB's /api/get example ("I Want to Live", Borislav Slavov, 233 s), Musixmatch's
 * album.tracks.get example ("Taxman - Remastered 2009", The Beatles, 159 s) and the lrclib-api
 * README example ("The Chain", Fleetwood Mac, 271 s).
 */
const query = (artist: string, title: string, durationSec: number | null = null): LyricsQuery => ({
  artist,
  title,
  album: null,
  durationSec,
  isrc: null,
});

describe('stated thresholds', () => {
  it('are the documented values', () => {
    expect(TITLE_SIMILARITY_MIN).toBe(0.85);
    expect(ARTIST_SIMILARITY_MIN).toBe(0.75);
    expect(DURATION_TOLERANCE_SEC).toBe(10);
  });
});

describe('normalizeForMatch', () => {
  it.each([
    ['Taxman - Remastered 2009', 'taxman'],
    ['Hey Jude (Remastered 2015)', 'hey jude'],
    ['Halo [Live]', 'halo'],
    ['Song - Live at Wembley', 'song'],
    ['Beyoncé', 'beyonce'],
    ['Sigur Rós', 'sigur ros'],
    ['Mötley Crüe', 'motley crue'],
    ['Hillsong UNITED feat. TAYA & Lark', 'hillsong united'],
    ['Simon & Garfunkel', 'simon and garfunkel'],
    ["Don't Stop Me Now", 'dont stop me now'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeForMatch(input)).toBe(expected);
  });

  it('keeps a dash suffix that names another part rather than a version', () => {
    expect(normalizeForMatch('Love - Part 2')).toBe('love part 2');
  });

  it('keeps the words of a title that is only a parenthesis', () => {
    expect(normalizeForMatch('(Untitled)')).toBe('untitled');
  });
});

describe('similarity (Sørensen–Dice over per-word character bigrams)', () => {
  it('is 1 for equal texts after normalisation and 0 for texts sharing no bigram', () => {
    expect(similarity('Beyoncé', 'BEYONCE')).toBe(1);
    expect(similarity('The Chain', 'I Want to Live')).toBe(0);
  });

  it('ignores word order and is symmetric', () => {
    expect(similarity('Borislav Slavov', 'Slavov Borislav')).toBe(1);
    expect(similarity('The Beatles', 'Beatles')).toBeCloseTo(similarity('Beatles', 'The Beatles'), 10);
  });

  it('computes the coefficient exactly: "the beatles" vs "beatles" shares 6 of 8 + 6 bigrams', () => {
    expect(similarity('The Beatles', 'Beatles')).toBeCloseTo((2 * 6) / (8 + 6), 10);
  });

  it('compares an artist against every credited artist', () => {
    expect(artistSimilarity('Hillsong UNITED', 'Hillsong UNITED feat. TAYA & Lark')).toBe(1);
    expect(artistSimilarity('Lark', 'Hillsong UNITED feat. TAYA & Lark')).toBe(1);
    expect(artistSimilarity('Beyoncé & Jay-Z', 'Beyonce')).toBe(1);
    expect(artistSimilarity('Fleetwood Mac', 'Borislav Slavov')).toBe(0);
  });
});

describe('matchLyrics', () => {
  const asked = query('Borislav Slavov', 'I Want to Live', 233);

  it('accepts the right song with full confidence', () => {
    expect(matchLyrics(asked, { artist: 'Borislav Slavov', title: 'I Want to Live', durationSec: 233 })).toEqual({
      accepted: true,
      confidence: 1,
      durationDeltaSec: 0,
    });
  });

  it('rejects the same title by another artist', () => {
    const result = matchLyrics(asked, { artist: 'Fleetwood Mac', title: 'I Want to Live', durationSec: 233 });
    expect(result.accepted).toBe(false);
    expect(result.reason).toMatch(/^artist similarity/);
  });

  it('rejects another song by the same artist', () => {
    const result = matchLyrics(query('The Beatles', 'Taxman', 159), { artist: 'The Beatles', title: 'Eleanor Rigby', durationSec: 126 });
    expect(result.accepted).toBe(false);
    expect(result.reason).toMatch(/^title similarity/);
  });

  it('rejects a candidate 90 s longer and reports the difference', () => {
    const result = matchLyrics(query('Fleetwood Mac', 'The Chain', 271), { artist: 'Fleetwood Mac', title: 'The Chain', durationSec: 361 });
    expect(result).toMatchObject({ accepted: false, durationDeltaSec: 90 });
    expect(result.reason).toMatch(/duration differs by 90 s/);
  });

  it('accepts a candidate within the tolerance, with confidence lowered in proportion', () => {
    const result = matchLyrics(query('Fleetwood Mac', 'The Chain', 271), { artist: 'Fleetwood Mac', title: 'The Chain', durationSec: 276 });
    expect(result.accepted).toBe(true);
    expect(result.durationDeltaSec).toBe(5);
    expect(result.confidence).toBeCloseTo(1 - 0.25 * (5 / 10), 3);
  });

  it('accepts accent, featuring and remaster variants of the same song', () => {
    expect(matchLyrics(query('The Beatles', 'Taxman', 159), { artist: 'The Beatles', title: 'Taxman - Remastered 2009', durationSec: 159 }).accepted).toBe(true);
    expect(matchLyrics(query('Beyonce', 'Halo'), { artist: 'Beyoncé', title: 'Halo (Live)', durationSec: null }).accepted).toBe(true);
    expect(
      matchLyrics(query('Hillsong UNITED feat. TAYA & Lark', 'Oceans - Lark Remix'), { artist: 'Hillsong UNITED', title: 'Oceans', durationSec: null })
        .accepted,
    ).toBe(true);
    expect(matchLyrics(query('Sigur Ros', 'Hoppipolla'), { artist: 'Sigur Rós', title: 'Hoppípolla', durationSec: null }).accepted).toBe(true);
  });

  it('skips the duration rule when either duration is unknown', () => {
    const result = matchLyrics(query('Borislav Slavov', 'I Want to Live'), { artist: 'Borislav Slavov', title: 'I Want to Live', durationSec: 233 });
    expect(result).toEqual({ accepted: true, confidence: 1, durationDeltaSec: null });
  });
});

describe('checkLyrics (what the lyrics chain applies)', () => {
  const lyrics = (overrides: Partial<Lyrics>): Lyrics => ({
    source: 'lrclib',
    trackTitle: 'I Want to Live',
    artistName: 'Borislav Slavov',
    durationSec: 233,
    text: null,
    // First and last timestamps of LRCLIB's recorded answer for this song.
    synced: [
      { timeMs: 17_120, text: 'first line' },
      { timeMs: 205_720, text: '' },
    ],
    partial: false,
    copyright: null,
    language: null,
    url: null,
    instrumental: false,
    match: null,
    ...overrides,
  });

  it('accepts synced lyrics ending within the track and fills the match', () => {
    const result = checkLyrics(query('Borislav Slavov', 'I Want to Live', 233), lyrics({}));
    expect(result.accepted).toBe(true);
    expect(result.match).toEqual({ confidence: 1, durationDeltaSec: 0 });
  });

  it('rejects synced lyrics whose last line comes after the track ends (+ tolerance)', () => {
    // The source does not say its duration; the asked track is 195 s, the lyrics run to 205.72 s.
    const result = checkLyrics(query('Borislav Slavov', 'I Want to Live', 195), lyrics({ durationSec: null }));
    expect(result.accepted).toBe(false);
    expect(result.reason).toMatch(/synced lyrics run to 205.72 s/);
    expect(result.match.durationDeltaSec).toBeNull();
  });

  it('uses the source duration when the asked duration is unknown', () => {
    const result = checkLyrics(query('Borislav Slavov', 'I Want to Live'), lyrics({ durationSec: 190 }));
    expect(result.accepted).toBe(false);
  });

  it('passes the rejection of the text rules through', () => {
    const result = checkLyrics(query('Fleetwood Mac', 'The Chain', 271), lyrics({}));
    expect(result.accepted).toBe(false);
    expect(result.reason).toMatch(/^title similarity/);
  });
});
