import type { SyncedLine } from '../../domain/types.js';

/** `[mm:ss]`, `[mm:ss.x]`, `[mm:ss.xx]`, `[mm:ss.xxx]` (also with `:` before the fraction). */
const TIME_TAG = /^\[(\d{1,3}):(\d{1,2})(?:[.:](\d{1,3}))?\]\s*/;
/** `[ar:Artist]`, `[offset:+250]`, … — ID tags of the LRC format. */
const ID_TAG = /^\[([a-z#]+):([^\]]*)\]\s*$/i;
/** Word timings of "enhanced" LRC inside a line: `<00:12.34>`. */
const WORD_TAG = /<\d{1,3}:\d{1,2}(?:[.:]\d{1,3})?>/g;

/**
 * Parses LRC text into lines sorted by time. A line may carry several time tags (a repeated
 * chorus), each giving one entry; ID tags are ignored except `[offset:±ms]`, which moves every
 * line (a positive offset shows lyrics sooner, as the format defines); lines without a time tag
 * are dropped; an empty timed line is kept with empty text, since it marks a pause or the end.
 */
export function parseLrc(source: string): SyncedLine[] {
  let offsetMs = 0;
  const lines: SyncedLine[] = [];
  for (const raw of source.split(/\r\n|\r|\n/)) {
    let rest = raw.trim();
    const times: number[] = [];
    for (let tag = TIME_TAG.exec(rest); tag; tag = TIME_TAG.exec(rest)) {
      times.push(toMs(tag[1]!, tag[2]!, tag[3]));
      rest = rest.slice(tag[0].length);
    }
    if (times.length === 0) {
      const id = ID_TAG.exec(rest);
      if (id && id[1]!.toLowerCase() === 'offset') {
        const value = Number(id[2]!.trim());
        if (Number.isFinite(value)) offsetMs = Math.trunc(value);
      }
      continue;
    }
    const text = rest.replace(WORD_TAG, '').replace(/\s+/g, ' ').trim();
    for (const timeMs of times) lines.push({ timeMs, text });
  }
  // Array sort is stable: lines with the same time keep their order in the file.
  return lines.map((line) => ({ ...line, timeMs: Math.max(0, line.timeMs - offsetMs) })).sort((a, b) => a.timeMs - b.timeMs);
}

function toMs(minutes: string, seconds: string, fraction: string | undefined): number {
  // ".5" is tenths, ".50" hundredths, ".500" milliseconds.
  const fractionMs = fraction === undefined ? 0 : Number(fraction.padEnd(3, '0'));
  return (Number(minutes) * 60 + Number(seconds)) * 1000 + fractionMs;
}
