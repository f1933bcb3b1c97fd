import { normaliseName } from './parse.js';

/**
 * Deezer's public genre list (`GET /genre`), whose ids `/chart/<genre id>/tracks` takes. Copied
 * from a genuine answer (test/fixtures/deezer/genre.json, which a test compares this table with);
 * id 0 ("All") is the overall chart and is not a genre. Deezer has kept these ids stable for years
 * (its 2025 album answers still carry 113 "Dance" and 173 "Films/Games").
 */
export const DEEZER_GENRES: ReadonlyArray<readonly [id: number, name: string]> = [
  [132, 'Pop'],
  [116, 'Rap/Hip Hop'],
  [152, 'Rock'],
  [113, 'Dance'],
  [165, 'R&B'],
  [85, 'Alternative'],
  [106, 'Electro'],
  [466, 'Folk'],
  [144, 'Reggae'],
  [129, 'Jazz'],
  [84, 'Country'],
  [98, 'Classical'],
  [173, 'Films/Games'],
  [464, 'Metal'],
  [169, 'Soul & Funk'],
  [2, 'African Music'],
  [16, 'Asian Music'],
  [153, 'Blues'],
  [75, 'Brazilian Music'],
  [81, 'Indian Music'],
  [95, 'Kids'],
  [197, 'Latin Music'],
];

/** The genre names `chart(genre:)` accepts at Deezer, lower case. */
export const DEEZER_CHART_GENRES: readonly string[] = DEEZER_GENRES.map(([, name]) => name.toLowerCase());

const BY_NAME = new Map(DEEZER_GENRES.map(([id, name]) => [normaliseName(name), id]));

/**
 * The Deezer genre id for a genre name, compared like artist names (case, accents and
 * punctuation aside: "Rap / Hip-Hop" and "rap/hip hop" are the same); null for a genre Deezer
 * does not chart.
 */
export function deezerGenreId(genre: string): number | null {
  return BY_NAME.get(normaliseName(genre)) ?? null;
}

