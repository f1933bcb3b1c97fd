import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The genuine HTTP recordings live outside the repository (`../shared/recordings`, or
 * `RECORDINGS_DIR`). Tests that need them call `recordingsAvailable(source)` and skip with
 * the printed reason when the folder is absent.
 */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export const RECORDINGS_DIR = path.resolve(repoRoot, process.env.RECORDINGS_DIR ?? '../shared/recordings');

export interface RecordingEntry {
  file: string;
  request: { method: string; url: string; bodyFile?: string | null };
  response: { status: number; contentType?: string; date?: string; location?: string };
  source?: { repo: string; path: string; commit?: string };
  note?: string;
}

export function recordingsDir(source: string): string {
  return path.join(RECORDINGS_DIR, source);
}

/** Null when the recordings are there; otherwise the reason to print when skipping. */
export function missingRecordings(source: string): string | null {
  const index = path.join(recordingsDir(source), 'index.json');
  if (existsSync(index)) return null;
  return `recordings for ${source} not found at ${index} (set RECORDINGS_DIR to the shared recordings folder)`;
}

/** `describe.skipIf(skipWithoutRecordings('musicbrainz'))` — prints why when it skips. */
export function skipWithoutRecordings(...sources: string[]): boolean {
  for (const source of sources) {
    const reason = missingRecordings(source);
    if (reason) {
      console.warn(`[skip] ${reason}`);
      return true;
    }
  }
  return false;
}

export function loadIndex(source: string): RecordingEntry[] {
  return JSON.parse(readFileSync(path.join(recordingsDir(source), 'index.json'), 'utf8')) as RecordingEntry[];
}

export function readRecording(source: string, file: string): string {
  return readFileSync(path.join(recordingsDir(source), file), 'utf8');
}

export function readRecordingJson<T = any>(source: string, file: string): T {
  return JSON.parse(readRecording(source, file)) as T;
}
