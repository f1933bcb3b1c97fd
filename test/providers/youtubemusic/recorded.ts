import type { ServerResponse } from 'node:http';
import { readRecording, readRecordingJson } from '../../support/recordings.js';
import type { Interceptor, ReceivedRequest } from '../../support/replayServer.js';

/**
 * Expected values read straight out of the recorded InnerTube responses with plain property
 * access (not the provider's readers), so the tests compare the parser against the recording
 * itself rather than against numbers typed by hand.
 */

export const SOURCE = 'youtubemusic';

/* eslint-disable @typescript-eslint/no-explicit-any */
export type Raw = any;

export const recording = (file: string): Raw => readRecordingJson(SOURCE, file);
export const clone = <T>(value: T): T => structuredClone(value);

export function firstPageShelf(raw: Raw): Raw {
  const sections: Raw[] = raw.contents.tabbedSearchResultsRenderer.tabs[0].tabRenderer.content.sectionListRenderer.contents;
  return sections.find((section) => section.musicShelfRenderer)?.musicShelfRenderer;
}

export function continuationShelf(raw: Raw): Raw {
  return raw.continuationContents.musicShelfContinuation;
}

export const tokenOf = (shelf: Raw): string | null => shelf.continuations?.[0]?.nextContinuationData?.continuation ?? null;

const pageTypeOf = (run: Raw): string | undefined =>
  run.navigationEndpoint?.browseEndpoint?.browseEndpointContextSupportedConfigs?.browseEndpointContextMusicConfig?.pageType;

/** "3:45" or "1:02:03" as seconds, computed here independently of the provider. */
export function clockSeconds(clock: string): number {
  const parts = clock.split(':').map(Number);
  return parts.reduce((total, part) => total * 60 + part, 0);
}

/** Column text split at its ` • ` separator runs. */
function segments(runs: Raw[]): string[] {
  const parts: string[] = [''];
  for (const run of runs) {
    if (String(run.text).trim() === '•') parts.push('');
    else parts[parts.length - 1] += run.text;
  }
  return parts;
}

export interface ExpectedRow {
  title: string;
  videoId: string | null;
  browseId: string | null;
  /** Linked artist credits of column 1. */
  artists: { name: string; channelId: string }[];
  /** Column 1 split at ` • `: the credit text is the first part for songs, the second for albums. */
  segments: string[];
  album: { browseId: string; title: string } | null;
  clock: string | null;
  year: string | null;
  typeLabel: string | null;
  largestThumbnail: { url: string; width: number; height: number } | null;
  index: string | null;
  rank: string | null;
}

export function expectedRow(wrapper: Raw): ExpectedRow {
  const item = wrapper.musicResponsiveListItemRenderer;
  const column = (i: number): Raw[] => item.flexColumns?.[i]?.musicResponsiveListItemFlexColumnRenderer?.text?.runs ?? [];
  const subtitle = [...column(1), ...column(2)];
  const artistRuns = column(1).filter((run) => pageTypeOf(run) === 'MUSIC_PAGE_TYPE_ARTIST');
  const albumRun = subtitle.find((run) => pageTypeOf(run) === 'MUSIC_PAGE_TYPE_ALBUM');
  const texts = subtitle.map((run) => String(run.text));
  const fixed = item.fixedColumns?.[0]?.musicResponsiveListItemFixedColumnRenderer?.text?.runs?.[0]?.text ?? null;
  const thumbs: Raw[] = item.thumbnail?.musicThumbnailRenderer?.thumbnail?.thumbnails ?? [];
  return {
    title: column(0).map((run) => run.text).join(''),
    videoId: item.playlistItemData?.videoId ?? null,
    browseId: item.navigationEndpoint?.browseEndpoint?.browseId ?? null,
    artists: artistRuns.map((run) => ({ name: run.text, channelId: run.navigationEndpoint.browseEndpoint.browseId })),
    segments: segments(column(1)),
    album: albumRun ? { browseId: albumRun.navigationEndpoint.browseEndpoint.browseId, title: albumRun.text } : null,
    clock: texts.find((value) => /^\d+(:\d\d)+$/.test(value)) ?? fixed,
    year: texts.find((value) => /^\d{4}$/.test(value)) ?? null,
    typeLabel: column(1)[0] && !column(1)[0].navigationEndpoint ? column(1)[0].text : null,
    largestThumbnail: thumbs.length > 0 ? thumbs.reduce((a, b) => (b.width > a.width ? b : a)) : null,
    index: item.index?.runs?.[0]?.text ?? null,
    rank: item.customIndexColumn?.musicCustomIndexColumnRenderer?.text?.runs?.[0]?.text ?? null,
  };
}

/** Google image URLs carry their size after `=`: the same picture at another square size. */
export function atSize(url: string, size: number): string {
  return url.replace(/=w\d+-h\d+/, `=w${size}-h${size}`).replace(/=s\d+$/, `=s${size}`);
}

/** Body of a POST the replay server received. */
export function bodyOf(request: ReceivedRequest): Raw {
  return JSON.parse(request.body);
}

export function isInnerTube(request: ReceivedRequest, endpoint: 'search' | 'browse'): boolean {
  return request.method === 'POST' && request.host === 'music.youtube.com' && request.path === `/youtubei/v1/${endpoint}`;
}

function sendJson(response: ServerResponse, status: number, body: string): true {
  response.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
  response.end(body);
  return true;
}

/**
 * The recorded `browse` answers were recorded without their request bodies, so the replay
 * server cannot tell them apart; this serves each by the browse id in the body (the charts
 * page also by the country in `formData`). A browse id that has no recording gets a 501, so a
 * test can never be answered by the wrong page silently.
 */
export function serveBrowse(files: Record<string, string | Raw>): Interceptor {
  return (request, response) => {
    if (!isInnerTube(request, 'browse')) return false;
    const body = bodyOf(request);
    const key = body.formData ? `${body.browseId}:${body.formData.selectedValues?.[0]}` : body.browseId;
    const answer = files[key];
    if (answer === undefined) {
      response.writeHead(501, { 'content-type': 'text/plain' });
      response.end(`no recording for browse ${key}`);
      return true;
    }
    return sendJson(response, 200, typeof answer === 'string' ? readRecording(SOURCE, answer) : JSON.stringify(answer));
  };
}

/** Answers every InnerTube POST to `endpoint` with `body` (a recording file name or an object). */
export function serveAll(endpoint: 'search' | 'browse', answer: string | Raw, status = 200): Interceptor {
  return (request, response) => {
    if (!isInnerTube(request, endpoint)) return false;
    return sendJson(response, status, typeof answer === 'string' ? readRecording(SOURCE, answer) : JSON.stringify(answer));
  };
}
