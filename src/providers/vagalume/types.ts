/**
 * Raw shapes of Vagalume's lyrics search (`https://api.vagalume.com.br/search.php?art=…&mus=…`,
 * documented at https://api.vagalume.com.br/docs/letras/). Every answer is HTTP 200 with a `type`:
 * `exact` (artist and song found), `aprox` (the artist was found and a song with a similar title is
 * offered), `song_notfound` (artist found, no song) or `notfound` (no such artist). Only the first
 * two carry `mus`. Ids are opaque strings (`3ade68b6g470deda3`); `lang` is Vagalume's own numeric
 * language id, not an ISO code.
 */

export type VagalumeAnswerType = 'exact' | 'aprox' | 'song_notfound' | 'notfound';

export interface VagalumeArtist {
  id?: string;
  name?: string;
  url?: string;
}

export interface VagalumeTranslation {
  id?: string;
  lang?: number | string;
  url?: string;
  text?: string;
}

export interface VagalumeSong {
  id?: string;
  name?: string;
  url?: string;
  lang?: number | string;
  text?: string;
  /** Translations of the lyrics (to Portuguese for foreign songs), each with its own page. */
  translate?: VagalumeTranslation[];
}

export interface VagalumeSearchAnswer {
  type: VagalumeAnswerType;
  art?: VagalumeArtist;
  mus?: VagalumeSong[];
}
