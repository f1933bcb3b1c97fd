import { describe, expect, it } from 'vitest';
import {
  albumVersionMarkers,
  artistSet,
  artistSimilarity,
  artistVersionMarkers,
  checkLyrics,
  matchLyrics,
  matchTrack,
  normaliseTitle,
  normalizeForMatch,
  parseTitle,
  similarity,
  versionMarkers,
  versionNoteMarkers,
  type MatchSubject,
} from '../../src/catalog/matching.js';
import type { Lyrics } from '../../src/domain/types.js';
import type { LyricsQuery } from '../../src/providers/types.js';

/**
 * Names, titles and durations below come from the genuine recordings unless a comment says
 * otherwise: LRCLIB's "I Want to Live" (Borislav Slavov, 233 s), Musixmatch's "Taxman -
 * Remastered 2009" (159 s), the lrclib-api README's "The Chain" (Fleetwood Mac, 271 s), and the
 * MusicBrainz, Deezer, YouTube Music, SoundCloud, Last.fm and Odesli answers named at each case.
 */
const query = (artist: string, title: string, durationSec: number | null = null): LyricsQuery => ({
  artist,
  title,
  album: null,
  durationSec,
  isrc: null,
});

describe('lyrics: normalizeForMatch', () => {
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
    ['Don’t Stay', 'dont stay'],
    ['Travi$ Scott', 'travis scott'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeForMatch(input)).toBe(expected);
  });

  it('keeps a dash suffix that names another part rather than a version', () => {
    expect(normalizeForMatch('Love - Part 2')).toBe('love part 2');
  });

  it('keeps the words of a title that is only a parenthesis', () => {
    expect(normalizeForMatch('(Untitled End)')).toBe('untitled end');
  });

  it('keeps the voicing marks of Japanese kana, which are letters rather than accents', () => {
    expect(normalizeForMatch('メズマライザー')).not.toBe(normalizeForMatch('メスマライサー'));
  });
});

describe('lyrics: similarity and artist credits', () => {
  it('is 1 for equal texts after normalisation and 0 for texts sharing no bigram', () => {
    expect(similarity('Beyoncé', 'BEYONCE')).toBe(1);
    expect(similarity('The Chain', 'I Want to Live')).toBe(0);
  });

  it('ignores word order and is symmetric', () => {
    expect(similarity('Borislav Slavov', 'Slavov Borislav')).toBe(1);
    expect(similarity('The Beatles', 'Beatles')).toBe(similarity('Beatles', 'The Beatles'));
  });

  it('ranks a near spelling above another title of the same words', () => {
    expect(similarity('I Want To Be Ready', 'I Want to Be Ready')).toBe(1);
    expect(similarity('The Ones I Want to Live', 'I Want to Live')).toBeLessThan(1);
    expect(similarity('The Ones I Want to Live', 'I Want to Live')).toBeGreaterThan(similarity('ground—i want to live.', 'The Chain'));
  });

  it('compares an artist against every credited artist', () => {
    expect(artistSimilarity('Hillsong UNITED', 'Hillsong UNITED feat. TAYA & Lark')).toBe(1);
    expect(artistSimilarity('Lark', 'Hillsong UNITED feat. TAYA & Lark')).toBe(1);
    expect(artistSimilarity('Beyoncé & Jay-Z', 'Beyonce')).toBe(1);
    expect(artistSimilarity('Fleetwood Mac', 'Borislav Slavov')).toBe(0);
  });
});

describe('lyrics: matchLyrics', () => {
  const asked = query('Borislav Slavov', 'I Want to Live', 233);

  it('accepts the right song with full confidence', () => {
    expect(matchLyrics(asked, { artist: 'Borislav Slavov', title: 'I Want to Live', durationSec: 233 })).toEqual({
      accepted: true,
      confidence: 1,
      durationDeltaSec: 0,
    });
  });

  it('rejects the same title by another artist (LRCLIB search holds Rhett Miller\'s)', () => {
    const result = matchLyrics(asked, { artist: 'Rhett Miller', title: 'I Want to Live', durationSec: 221 });
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

  it('accepts up to 10 s of difference, with less confidence the further apart', () => {
    const at = (durationSec: number) => matchLyrics(query('Fleetwood Mac', 'The Chain', 271), { artist: 'Fleetwood Mac', title: 'The Chain', durationSec });
    expect(at(276)).toMatchObject({ accepted: true, durationDeltaSec: 5 });
    expect(at(281).accepted).toBe(true);
    expect(at(282).accepted).toBe(false);
    expect(at(271).confidence).toBeGreaterThan(at(276).confidence);
    expect(at(276).confidence).toBeGreaterThan(at(281).confidence);
  });

  it('accepts accent, featuring, remaster and live variants: a live take has the same words', () => {
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

describe('lyrics: checkLyrics (what the lyrics chain applies)', () => {
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

describe('tracks: normaliseTitle', () => {
  it.each([
    ['Taxman - Remastered 2009', 'taxman'],
    ['Bohemian Rhapsody - Remastered 2011', 'bohemian rhapsody'],
    ['Ievan Polkka (Remastered 2024)', 'ievan polkka'],
    ['Smells Like Teen Spirit (remastered 2021)', 'smells like teen spirit'],
    ['My Last (Album Version (Explicit)) [feat. Chris Brown]', 'my last'],
    ['Footloose (From "Footloose" Soundtrack)', 'footloose'],
    ['Wannabe (Official Music Video)', 'wannabe'],
    ['Kutkop (Originele Versie)', 'kutkop'],
    ["Don't Tell Me You Love Me (10th Anniversary)", 'dont tell me you love me'],
    ['Buy It  [Produced By Zaytoven] $$$$', 'buy it'],
    ['Harder, Better, Faster, Stronger', 'harder better faster stronger'],
    ["Stayin' Alive", 'stayin alive'],
    ['Nobody’s Listening', 'nobodys listening'],
    ['Figure.09', 'figure 09'],
    ['Tití Me Preguntó', 'titi me pregunto'],
    ['Funiculì, funiculà', 'funiculi funicula'],
    ['$outh $ide $uicide', 'south side suicide'],
    ['(Untitled End)', 'untitled end'],
  ])('%s → %s', (title, expected) => {
    expect(normaliseTitle(title)).toBe(expected);
  });

  it('moves featuring and with credits out of the title', () => {
    expect(parseTitle('Get Lucky (Radio Edit - feat. Pharrell Williams and Nile Rodgers) (feat. Pharrell Williams and Nile Rodgers)')).toMatchObject({
      core: 'get lucky',
      credits: ['pharrell williams and nile rodgers'],
      markers: ['edit'],
    });
    expect(parseTitle('Taki Taki (with Selena Gomez, Ozuna & Cardi B)').credits).toEqual(
      expect.arrayContaining(['selena gomez', 'ozuna', 'cardi b']),
    );
    expect(parseTitle('Fresku ft. Winne - Nieuwe Dag', ['fresku']).credits).toEqual(expect.arrayContaining(['fresku', 'winne']));
  });

  it('reads an `Artist - Title` head as a credit only when it names an artist', () => {
    expect(parseTitle('INZO - Angst', ['inzo']).core).toBe('angst');
    expect(parseTitle('INZO - Angst').core).toBe('inzo angst');
    expect(parseTitle('Guarda che luna - In cerca di te', ['irene grandi']).core).toBe('guarda che luna in cerca di te');
    expect(parseTitle('Love - Part 2').core).toBe('love part 2');
    // A title (not in the recordings) whose first word is a credit word in Spanish.
    expect(parseTitle('Daddy Yankee - Con Calma').core).toBe('daddy yankee con calma');
    expect(parseTitle('Daddy Yankee - Con Calma', ['daddy yankee']).core).toBe('con calma');
  });

  it('keeps unexplained bracket words apart and counts the numbers of the title', () => {
    expect(parseTitle('Sweet Dreams (Are Made of This) (2005 Remaster)')).toMatchObject({ core: 'sweet dreams', extras: 'are made of this' });
    expect(parseTitle('Breaking the Habit (5.28.04 3:37 P.M.)').numbers).toEqual([3, 4, 5, 28, 37]);
    expect(parseTitle('Episode 4 Pt. 2').numbers).toEqual([2, 4]);
    expect(parseTitle('Crimes II').numbers).toEqual([2]);
    expect(parseTitle('Dreams pt.II (Instrumental)').numbers).toEqual([2]);
  });
});

describe('tracks: versionMarkers', () => {
  it.each([
    ['Another Day In Paradise (Live)', ['live']],
    ['Tennessee Waltz (live)', ['live']],
    ['All I Want To Do Is Rock - Live At Glastonbury Festival / 1999', ['live']],
    ['Fresku - Nooit Meer Terug (live @ VPRO op Into the Great Wide Open 2015)', ['live']],
    ['Fresku - Ik Wil ( Dukokconcert 6-9-2017 )', ['live']],
    ['Fresku - Ik Ben Hier (acapella) | 3FM Live', ['a-cappella', 'live']],
    ['FRESKU | Studiosessie 272 | 101Barz', ['session']],
    ['Numb (ShadowFrog mix)', ['remix']],
    ['Numb (W3PLAY remix)', ['remix']],
    ['Gecko remix', ['remix']],
    ['Old Town Road (Remix)', ['remix']],
    ['Without Me (GRiZ Flip)', ['remix']],
    ['Diplo and Sleepy Tom - Be Right There (Binny Arora Bootleg)[Free Download]', ['remix']],
    ['WILD BOY <MISSION"B"RE-EDIT>', ['remix']],
    ['MADE IN NEWYORK <DJ KEN-BOW EDIT>', ['remix']],
    ["I'm Coming Home (Film Mix)", ['remix']],
    ['Somewhere the Heavy Unforgiven Belong (Linkin Park vs. Metallica)', ['remix']],
    ['Our Story (Official Radio Edit)', ['edit']],
    ['Come and Get Your Love (Single Version)', ['edit']],
    ['What Is Love (7" Mix)', ['edit']],
    ['Numb42 (Extended Mix)', ['extended']],
    ['I Want to Live - Instrumental Version', ['instrumental']],
    ['Dreams pt.II (Instrumental)', ['instrumental']],
    ['The Driver (C418 Remix - Instrumentals)', ['instrumental', 'remix']],
    ['I Want to Live  (Classical Version)', ['version']],
    ['Dress Rehearsal Rag (early version)', ['demo']],
    ['white girl music x sped up', ['sped-up']],
    ['Song~Beats~Viet~Mix~Sped Up~TikTok', ['sped-up']],
  ])('%s → %j', (title, expected) => {
    expect(versionMarkers(title)).toEqual(expected);
  });

  it.each([
    'I Want to Live',
    'Clanky Must Live',
    'Bohemian Rhapsody - Remastered 2011',
    'Sweet Dreams (Are Made of This) (2005 Remaster)',
    'My Last (Album Version (Explicit)) [feat. Chris Brown]',
    'Kutkop (Originele Versie)',
    'NCS: Elevate (Album Mix)',
    'Fresku - Omgekeerde Wereld (Prod. Teemong)',
    'Session',
  ])('%s carries no marker', (title) => {
    expect(versionMarkers(title)).toEqual([]);
  });

  // No recording holds a Spanish or Portuguese qualifier, nor the upload spellings spotDL's
  // issue tracker keeps meeting; these are the spellings stores and uploaders use.
  it.each([
    ['Tu Falta de Querer (En Vivo)', ['live']],
    ['Evidências (Ao Vivo)', ['live']],
    ['Amor Eterno (Versión Acústica)', ['acoustic']],
    ['La Bamba (Versión Salsa)', ['version']],
    ['Blinding Lights - Slowed + Reverb', ['slowed']],
    ['Nightcore - Blinding Lights', ['sped-up']],
    ['Blinding Lights (Sped Up)', ['sped-up']],
    ['The Weeknd - Blinding Lights (Karaoke Version)', ['karaoke']],
    ['Blinding Lights (8-Bit Version)', ['8-bit']],
    ['Blinding Lights (Originally Performed by The Weeknd)', ['cover']],
  ])('%s → %j', (title, expected) => {
    expect(versionMarkers(title)).toEqual(expected);
  });

  it('reads album titles', () => {
    expect(albumVersionMarkers('Live In Europe')).toEqual(['live']);
    expect(albumVersionMarkers('Live at The Metro / Smart Bar')).toEqual(['live']);
    expect(albumVersionMarkers('WAAF 107.3 FM: Royal Flush: Live On‐air')).toEqual(['live']);
    expect(albumVersionMarkers('Rock You From Rio – Live')).toEqual(['live']);
    expect(albumVersionMarkers('LIVE & LOUD')).toEqual(['live']);
    expect(albumVersionMarkers('Rock Montreal & Live Aid')).toEqual(['live']);
    expect(albumVersionMarkers('MTV Unplugged')).toEqual(['acoustic', 'live']);
    expect(albumVersionMarkers('Unplugged & Burnt Out')).toEqual(['acoustic', 'live']);
    expect(albumVersionMarkers('The Freddie Mercury Tribute Concert')).toEqual(['live', 'tribute']);
    expect(albumVersionMarkers('Hotel: The Remixes')).toEqual(['remix']);
    expect(albumVersionMarkers('Season One: Instrumental')).toEqual(['instrumental']);
    expect(albumVersionMarkers('Vocaloid Karaoke')).toEqual(['karaoke']);
    for (const studio of ['The Will To Live', 'Killer Buzz', 'Dirt', 'Discovery', 'Rock in Japan']) expect(albumVersionMarkers(studio), studio).toEqual([]);
  });

  it('reads version notes and artist names', () => {
    expect(versionNoteMarkers('live, 1996‐04‐10: Majestic Theatre, Brooklyn, NY, USA')).toEqual(['live']);
    expect(versionNoteMarkers('for Poets in New York tribute')).toEqual(['tribute']);
    expect(versionNoteMarkers('mash-up')).toEqual(['remix']);
    expect(versionNoteMarkers('(Radio Edit - feat. Pharrell Williams and Nile Rodgers)')).toEqual(['edit']);
    for (const plain of ['album "I’m Your Man"', 'official video', 'explicit', 'album version']) expect(versionNoteMarkers(plain), plain).toEqual([]);
    expect(artistVersionMarkers(['The Michael Jackson Tribute Band'])).toEqual(['tribute']);
    expect(artistVersionMarkers(['Vitamin String Quartet'])).toEqual(['cover']);
    expect(artistVersionMarkers(['Queen', 'Fearless Motivation Instrumentals'])).toEqual([]);
  });
});

describe('tracks: artistSet', () => {
  it('splits credits but keeps the whole credit and names that hold "and" or "+"', () => {
    expect(artistSet(['Daft Punk, Pharrell Williams & Nile Rodgers'])).toEqual([
      'daft punk pharrell williams and nile rodgers',
      'daft punk',
      'pharrell williams',
      'nile rodgers',
    ]);
    expect(artistSet(['Florence + The Machine'])).toEqual(['florence and the machine']);
    expect(artistSet(['Earth, Wind & Fire'])).toContain('earth wind and fire');
    expect(artistSet(['Lady Gaga feat. Bradley Cooper'])).toEqual(expect.arrayContaining(['lady gaga', 'bradley cooper']));
    expect(artistSet(['AVNEESH x Vitu Valera'])).toEqual(expect.arrayContaining(['avneesh', 'vitu valera']));
    expect(artistSet(['AC/DC'])).toEqual(['ac dc']);
  });

  it('folds spellings of one name together and drops a leading "The"', () => {
    expect(artistSet(['Travi$ Scott'])).toEqual(artistSet(['Travis Scott']));
    expect(artistSet(['The Police'])).toEqual(['police']);
    expect(artistSet(['Jay‐Z'])).toEqual(artistSet(['Jay-Z']));
    expect(artistSet(['ALL SMILES'])).toEqual(artistSet(['All Smiles']));
  });

  it('adds the credits named in the title', () => {
    expect(artistSet(['Little Mix'], 'Secret Love Song (feat. Jason Derulo)')).toEqual(['little mix', 'jason derulo']);
  });
});

describe('tracks: matchTrack', () => {
  // Deezer album 302127 tracks and track 3135556.
  const hbfsAlbum: MatchSubject = { title: 'Harder, Better, Faster, Stronger', artists: ['Daft Punk'], durationSec: 226, isrcs: ['GBDUW0000059'] };
  const hbfsSingle: MatchSubject = { title: 'Harder Better Faster Stronger', artists: ['Daft Punk'], durationSec: 224, isrcs: ['GBDUW0000059'], album: 'Discovery' };
  // MusicBrainz release c9d52105 (Meteora): the recording and a remix related to it.
  const numb: MatchSubject = { title: 'Numb', artists: ['Linkin Park'], durationSec: 187.508, isrcs: ['USWB10300474', 'USWB11201135', 'USWB11201339'] };
  const numbShadowFrog: MatchSubject = { title: 'Numb (ShadowFrog mix)', artists: ['Linkin Park'], durationSec: 185 };
  // Deezer artist top tracks.
  const getLuckyAlbum: MatchSubject = { title: 'Get Lucky (feat. Pharrell Williams and Nile Rodgers)', artists: ['Daft Punk'], durationSec: 367 };
  const getLuckyEdit: MatchSubject = { title: 'Get Lucky (Radio Edit - feat. Pharrell Williams and Nile Rodgers)', artists: ['Daft Punk'], durationSec: 248 };

  it('accepts a shared ISRC with at least 0.95 and says why', () => {
    const verdict = matchTrack(hbfsAlbum, hbfsSingle, 'ISRC');
    expect(verdict).toMatchObject({ accepted: true, matchedBy: 'ISRC', durationDeltaSec: 2 });
    expect(verdict.confidence).toBeGreaterThanOrEqual(0.95);
    expect(verdict.reasons).toEqual(['isrc-shared', 'title-match', 'artist-match', 'duration-match']);
  });

  it('rejects a remix that carries the original ISRC: a shared ISRC does not excuse another version', () => {
    // The remix does not carry the ISRC in MusicBrainz; given it here, as a store sometimes does by mistake.
    const verdict = matchTrack(numb, { ...numbShadowFrog, isrcs: numb.isrcs }, 'ISRC');
    expect(verdict.accepted).toBe(false);
    expect(verdict.reasons).toContain('version-mismatch:remix');
  });

  it('rejects an ISRC pair 119 s apart, and a radio edit', () => {
    const verdict = matchTrack({ ...getLuckyAlbum, isrcs: ['GBDUW1300001'] }, { ...getLuckyEdit, isrcs: ['GBDUW1300001'] }, 'ISRC');
    expect(verdict.accepted).toBe(false);
    expect(verdict.reasons).toEqual(expect.arrayContaining(['duration-mismatch', 'version-mismatch:edit']));
  });

  it('judges by METADATA, and says so, when asked for ISRC without a shared ISRC', () => {
    const verdict = matchTrack(hbfsAlbum, { ...hbfsSingle, isrcs: [] }, 'ISRC');
    expect(verdict).toMatchObject({ accepted: true, matchedBy: 'METADATA' });
    expect(verdict.reasons[0]).toBe('isrc-not-shared');
  });

  it('accepts the link a source publishes even when the uploader is not the artist', () => {
    // Odesli: the Amazon song and the YouTube upload it links.
    const verdict = matchTrack({ title: 'Angst', artists: ['Inzo'], durationSec: null }, { title: 'INZO - Angst', artists: ['Lowly.'], durationSec: null }, 'LINK');
    expect(verdict).toMatchObject({ accepted: true, matchedBy: 'LINK', durationDeltaSec: null });
    expect(verdict.confidence).toBeGreaterThanOrEqual(0.95);
  });

  it('rejects a link to a live version', () => {
    // YouTube Music watch playlist: the album track and the live video.
    const verdict = matchTrack(
      { title: 'Another Day in Paradise', artists: ['Phil Collins'], durationSec: 324, album: '...But Seriously' },
      { title: 'Another Day In Paradise (Live)', artists: ['Phil Collins'], durationSec: 290 },
      'LINK',
    );
    expect(verdict.accepted).toBe(false);
    expect(verdict.reasons).toEqual(expect.arrayContaining(['version-mismatch:live', 'duration-mismatch']));
  });

  it('rejects a remix 2.5 s shorter by its marker alone', () => {
    const verdict = matchTrack(numb, numbShadowFrog, 'METADATA');
    expect(verdict.accepted).toBe(false);
    expect(verdict.reasons).toEqual(['title-match', 'artist-match', 'duration-match', 'version-mismatch:remix']);
  });

  it('rejects a live take 1 s longer by its album alone', () => {
    // MusicBrainz recording search "Bound for the Floor" (XML).
    const verdict = matchTrack(
      { title: 'Bound for the Floor', artists: ['Local H'], durationSec: 224, album: 'Killer Buzz' },
      { title: 'Bound For the Floor', artists: ['Local H'], durationSec: 225, album: 'Live In Europe' },
      'METADATA',
    );
    expect(verdict.accepted).toBe(false);
    expect(verdict.reasons).toContain('version-mismatch:live');
  });

  it('requires the first artist of each side on the other side', () => {
    // MusicBrainz recording search "We Will Rock You", and Deezer vs Musixmatch "Shallow".
    const queen: MatchSubject = { title: 'We Will Rock You', artists: ['Queen'], durationSec: 188 };
    expect(matchTrack(queen, { title: 'We Will Rock You', artists: ['Five', 'Queen'], durationSec: 188.493 }, 'METADATA').reasons).toContain('artist-mismatch');
    const shallow = matchTrack(
      { title: 'Shallow', artists: ['Lady Gaga'], durationSec: 215 },
      { title: 'Shallow', artists: ['Lady Gaga feat. Bradley Cooper'], durationSec: null },
      'METADATA',
    );
    expect(shallow.accepted).toBe(true);
  });

  it('tells two parts of one piece apart by their numbers', () => {
    // Jamendo: two tracks of the same length.
    const verdict = matchTrack(
      { title: 'Episode 4 Pt. 1', artists: ['WE ARE FM'], durationSec: 198 },
      { title: 'Episode 4 Pt. 2', artists: ['WE ARE FM'], durationSec: 198 },
      'METADATA',
    );
    expect(verdict.accepted).toBe(false);
    expect(verdict.reasons).toContain('title-number-mismatch');
  });

  it('lowers METADATA confidence as durations move apart, and refuses beyond 3 s', () => {
    const at = (durationSec: number | null) => matchTrack(hbfsAlbum, { ...hbfsSingle, isrcs: [], durationSec }, 'METADATA');
    expect(at(226).confidence).toBe(1);
    expect(at(224).confidence).toBeGreaterThanOrEqual(0.9);
    expect(at(224).confidence).toBeLessThan(at(225).confidence);
    expect(at(223)).toMatchObject({ accepted: true, durationDeltaSec: 3 });
    expect(at(223).confidence).toBeLessThan(at(224).confidence);
    expect(at(222)).toMatchObject({ accepted: false, durationDeltaSec: 4 });
    expect(at(null)).toMatchObject({ accepted: true, durationDeltaSec: null });
    expect(at(null).confidence).toBeLessThan(0.9);
    expect(at(null).reasons).toContain('duration-unknown');
  });

  it('needs the album to accept a generic title', () => {
    // SoundCloud: Big Sean's "Intro" on two albums, durations left out.
    const finallyFamous: MatchSubject = { title: 'Intro (Album Version (Explicit))', artists: ['Big Sean'], durationSec: null, album: 'Finally Famous' };
    const iDecided: MatchSubject = { title: 'Intro', artists: ['Big Sean'], durationSec: null, album: 'I Decided.' };
    const verdict = matchTrack(finallyFamous, iDecided, 'METADATA');
    expect(verdict.accepted).toBe(false);
    expect(verdict.reasons).toContain('generic-title');
  });
});
