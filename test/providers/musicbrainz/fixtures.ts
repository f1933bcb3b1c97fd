import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadIndex, readRecordingJson } from '../../support/recordings.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures');

/** A documented sample answer kept in `test/fixtures/<source>/` (origins in its README). */
export function fixtureJson<T = any>(source: string, file: string): T {
  return JSON.parse(readFileSync(path.join(FIXTURES, source, file), 'utf8')) as T;
}

export function fixtureText(source: string, file: string): string {
  return readFileSync(path.join(FIXTURES, source, file), 'utf8');
}

/** The body recorded for an upstream URL (matched exactly as recorded, `fmt=json` included). */
export function recordedJson<T = any>(source: string, url: string): T {
  const entry = loadIndex(source).find((candidate) => candidate.request.url === url);
  if (!entry) throw new Error(`no recording of ${url} in ${source}`);
  return readRecordingJson<T>(source, entry.file);
}
