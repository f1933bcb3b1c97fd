import type { ArtistCredit } from './types.js';

/** Credits as one line, joined as the source wrote them ("A feat. B"), else by commas. */
export function creditLine(credits: readonly ArtistCredit[]): string {
  return credits.map((credit, index) => credit.name + (index < credits.length - 1 ? (credit.joinPhrase ?? ', ') : '')).join('');
}
