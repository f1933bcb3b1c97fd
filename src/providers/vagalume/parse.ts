import type { Lyrics } from '../../domain/types.js';
import { SourceError } from '../../errors/source.js';
import { isRecord } from '../shared/drift.js';
import { num, stripHtml, text } from '../shared/parse.js';
import type { VagalumeAnswerType, VagalumeSearchAnswer, VagalumeSong } from './types.js';

export const SOURCE = 'vagalume';

const ANSWER_TYPES: ReadonlySet<string> = new Set<VagalumeAnswerType>(['exact', 'aprox', 'song_notfound', 'notfound']);

/**
 * Vagalume's numeric language ids as ISO 639-1. The list is the one Vagalume's API uses for `lang`
 * (1 Brazilian Portuguese … 9 European Portuguese; 999999 "other"), as kept by the `vagalume` Ruby
 * gem (brianstorti/vagalume, lib/vagalume/language.rb). Both Portuguese variants are `pt`.
 */
const LANGUAGES: Readonly<Record<number, string>> = {
  1: 'pt',
  2: 'en',
  3: 'es',
  4: 'fr',
  5: 'de',
  6: 'it',
  7: 'nl',
  8: 'ja',
  9: 'pt',
};

export function languageOf(value: unknown): string | null {
  const id = num(value);
  return id === null ? null : (LANGUAGES[id] ?? null);
}

/**
 * Rejects, before it is cached, anything that is not one of the four documented search answers
 * (an error object, a page of another endpoint), and a found song without its `mus` list.
 */
export function assertSearchAnswer(body: unknown): asserts body is VagalumeSearchAnswer {
  if (!isRecord(body) || typeof body.type !== 'string') {
    throw new SourceError(SOURCE, 'BAD_RESPONSE', 'answer has no "type": not a Vagalume search answer');
  }
  if (!ANSWER_TYPES.has(body.type)) {
    throw new SourceError(SOURCE, 'BAD_RESPONSE', `unknown answer type "${body.type}"`);
  }
  if ((body.type === 'exact' || body.type === 'aprox') && !Array.isArray(body.mus)) {
    throw new SourceError(SOURCE, 'BAD_RESPONSE', `"${body.type}" answer without a "mus" list`);
  }
}

/** A name as plain text: Vagalume names may carry HTML entities (`&amp;`) or stray tags. */
function plainName(value: unknown): string | null {
  return text(stripHtml(value)?.replace(/\s+/g, ' '));
}

/**
 * The song Vagalume found, as lyrics. `aprox` answers are kept with the title and artist Vagalume
 * gives, not the asked ones, so the chain's matching rules judge the candidate on what it is.
 * Null for `notfound` / `song_notfound` and for a song without a name or text.
 */
export function parseSearchAnswer(answer: VagalumeSearchAnswer): Lyrics | null {
  if (answer.type === 'notfound' || answer.type === 'song_notfound') return null;
  const artistName = plainName(answer.art?.name);
  const song: VagalumeSong | undefined = answer.mus?.[0];
  const trackTitle = plainName(song?.name);
  const body = text(song?.text?.replace(/\r\n?/g, '\n').replace(/[ \t]+\n/g, '\n'));
  if (!artistName || !trackTitle || !body) return null;
  return {
    source: SOURCE,
    trackTitle,
    artistName,
    // Vagalume's search states no length for the song.
    durationSec: null,
    text: body,
    synced: null,
    partial: false,
    copyright: null,
    language: languageOf(song?.lang),
    url: text(song?.url),
    instrumental: false,
    match: null,
  };
}
