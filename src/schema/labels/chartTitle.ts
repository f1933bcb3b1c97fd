import type { ApiLanguage } from '../../domain/text.js';

export interface ChartTitleParts {
  /** `GLOBAL` or the ISO 3166-1 alpha-2 code of the chart the source answered with. */
  scope: string;
  /** The source's display name ("Apple Music (RSS)", "Scraping YouTube Music"). */
  sourceName: string;
  /** The genre asked for, as the caller wrote it; null for the overall chart. */
  genre: string | null;
  /** The source's own title, used only when the country has no name to build one with. */
  sourceTitle: string | null;
}

/**
 * A chart's title in the request's language, built from what the chart is rather than taken
 * from the source (whose titles are in whatever language it writes): «Apple Music · Lo más
 * escuchado en España», "Last.fm · Most played worldwide", «Deezer · Rock».
 */
export function chartTitle(parts: ChartTitleParts, language: ApiLanguage): string {
  const global = parts.scope === 'GLOBAL';
  const country = global ? null : countryName(parts.scope, language);
  if (!global && country === null && parts.sourceTitle) return parts.sourceTitle;
  const place = country ?? parts.scope;
  const genre = parts.genre ? genreName(parts.genre, language) : null;
  let what: string;
  if (language === 'es') what = genre ? (global ? genre : `${genre} en ${place}`) : global ? 'Lo más escuchado en el mundo' : `Lo más escuchado en ${place}`;
  else what = genre ? (global ? genre : `${genre} in ${place}`) : global ? 'Most played worldwide' : `Most played in ${place}`;
  return `${brandName(parts.sourceName)} · ${what}`;
}

/**
 * The service as listeners know it: source names tell the admin how the gateway reaches it
 * ("Apple Music (RSS)", "Scraping YouTube Music"); a chart's title names only the service.
 */
export function brandName(sourceName: string): string {
  return sourceName.replace(/^Scraping\s+/i, '').replace(/\s*\([^)]*\)$/, '').trim() || sourceName;
}

/**
 * Made on the first chart title, not at start: building them loads ICU's region names for both
 * languages (~20 ms and some memory that a gateway never asked for charts would not need).
 */
const countryNames: Partial<Record<ApiLanguage, Intl.DisplayNames>> = {};
function countryNamesIn(language: ApiLanguage): Intl.DisplayNames {
  return (countryNames[language] ??= new Intl.DisplayNames([language], { type: 'region', fallback: 'none' }));
}

/** The country's name in the language (Node's full ICU), or null for a code it does not know. */
export function countryName(code: string, language: ApiLanguage): string | null {
  try {
    const upper = code.toUpperCase();
    // ICU names ZZ «Región desconocida»: that is no country to title a chart with.
    return upper === 'ZZ' ? null : (countryNamesIn(language).of(upper) ?? null);
  } catch {
    return null;
  }
}

/**
 * Genre names for titles: the genres sources chart (Last.fm's tags, Deezer's genre list), in
 * each language. Any other genre keeps the caller's spelling with a capital first letter.
 */
export function genreName(genre: string, language: ApiLanguage): string {
  const key = genre.trim().toLowerCase();
  const known = GENRES[key];
  if (known) return known[language];
  return key.charAt(0).toUpperCase() + key.slice(1);
}

const GENRES: Record<string, Record<ApiLanguage, string>> = {
  // Last.fm's chartable tags (src/providers/lastfm CHART_GENRES).
  rock: { en: 'Rock', es: 'Rock' },
  pop: { en: 'Pop', es: 'Pop' },
  electronic: { en: 'Electronic', es: 'Electrónica' },
  'hip-hop': { en: 'Hip-hop', es: 'Hip hop' },
  rap: { en: 'Rap', es: 'Rap' },
  jazz: { en: 'Jazz', es: 'Jazz' },
  blues: { en: 'Blues', es: 'Blues' },
  soul: { en: 'Soul', es: 'Soul' },
  rnb: { en: 'R&B', es: 'R&B' },
  funk: { en: 'Funk', es: 'Funk' },
  disco: { en: 'Disco', es: 'Disco' },
  reggae: { en: 'Reggae', es: 'Reggae' },
  latin: { en: 'Latin', es: 'Música latina' },
  reggaeton: { en: 'Reggaeton', es: 'Reguetón' },
  salsa: { en: 'Salsa', es: 'Salsa' },
  flamenco: { en: 'Flamenco', es: 'Flamenco' },
  country: { en: 'Country', es: 'Country' },
  folk: { en: 'Folk', es: 'Folk' },
  indie: { en: 'Indie', es: 'Indie' },
  alternative: { en: 'Alternative', es: 'Alternativa' },
  punk: { en: 'Punk', es: 'Punk' },
  metal: { en: 'Metal', es: 'Metal' },
  'hard rock': { en: 'Hard rock', es: 'Hard rock' },
  'classic rock': { en: 'Classic rock', es: 'Rock clásico' },
  classical: { en: 'Classical', es: 'Clásica' },
  ambient: { en: 'Ambient', es: 'Ambient' },
  dance: { en: 'Dance', es: 'Dance' },
  house: { en: 'House', es: 'House' },
  techno: { en: 'Techno', es: 'Techno' },
  trance: { en: 'Trance', es: 'Trance' },
  experimental: { en: 'Experimental', es: 'Experimental' },
  soundtrack: { en: 'Soundtracks', es: 'Bandas sonoras' },
  'singer-songwriter': { en: 'Singer-songwriters', es: 'Cantautores' },
  'k-pop': { en: 'K-pop', es: 'K-pop' },
  'j-pop': { en: 'J-pop', es: 'J-pop' },
  // Deezer's genre list (src/providers/deezer/genres.ts), under Deezer's own English names.
  'rap/hip hop': { en: 'Rap/Hip Hop', es: 'Rap/Hip hop' },
  'r&b': { en: 'R&B', es: 'R&B' },
  electro: { en: 'Electro', es: 'Electro' },
  'films/games': { en: 'Films/Games', es: 'Cine y videojuegos' },
  'soul & funk': { en: 'Soul & Funk', es: 'Soul y funk' },
  'african music': { en: 'African Music', es: 'Música africana' },
  'asian music': { en: 'Asian Music', es: 'Música asiática' },
  'brazilian music': { en: 'Brazilian Music', es: 'Música brasileña' },
  'indian music': { en: 'Indian Music', es: 'Música india' },
  kids: { en: 'Kids', es: 'Infantil' },
  'latin music': { en: 'Latin Music', es: 'Música latina' },
};
