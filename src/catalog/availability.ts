import type Keyv from 'keyv';
import type { Track } from '../domain/types.js';
import { ApiError } from '../errors/api.js';
import type { CallContext, Provider } from '../providers/types.js';
import { matchTrack, parseTitle, type MatchMethod, type MatchSubject, type TrackMatchVerdict } from './matching.js';

/**
 * The same recording at other sources, for `Track.availability`, borrowed play links and
 * downloads. For one track and one other source the evidence is tried strongest first:
 *
 * 1. **ISRC** — the source's own ISRC lookup (MusicBrainz `isrc/`, Deezer `track/isrc:`);
 * 2. **LINK** — a link to that source the track's own source publishes (MusicBrainz url
 *    relationships to YouTube, Deezer, SoundCloud, Bandcamp…), parsed, never fetched as given;
 * 3. **METADATA** — a search at that source for artist and title, judged by the version-aware
 *    rules of `matching.ts` (a live, remix, cover, sped-up… version never matches the plain one).
 *
 * Every candidate, whatever found it, must pass `matchTrack`; the best accepted one is kept with
 * its confidence and method. A decided pair (found or not) is kept in the shared cache for days,
 * so a second page view costs nothing upstream; a pair whose sources failed is not kept.
 */

export interface TrackMatch {
  track: Track;
  source: string;
  confidence: number;
  matchedBy: MatchMethod;
  durationDeltaSec: number | null;
  reasons: string[];
}

/** What the resolver needs from the request's catalog. */
export interface AvailabilitySources {
  /** The availability chain's sources this caller may use now, in order. */
  sources(): Provider[];
  /** Asks one source within the request (budget, breaker, provenance); throws ApiError on failure. */
  ask<T>(provider: Provider, field: string, memo: string, call: (provider: Provider, ctx: CallContext) => Promise<T>): Promise<T>;
  cache: Keyv;
}

/** How long a decided (track, source) pair is kept. */
const FOUND_KEPT_FOR_MS = 3 * 24 * 3600_000;
const ABSENT_KEPT_FOR_MS = 24 * 3600_000;
/** Candidates read from one metadata search. */
const SEARCH_CANDIDATES = 5;
/** ISRCs of one track asked at one source (a recording rarely has more that differ). */
const MAX_ISRCS = 2;

/** Borrowing a play link needs this confidence. */
const PLAYBACK_MIN_CONFIDENCE = 0.9;
/** Borrowing a download: an ISRC match, or a close one (DESIGN, issue 13). */
const DOWNLOAD_MIN_CONFIDENCE = 0.9;
const DOWNLOAD_MAX_DELTA_SEC = 2;

export class AvailabilityResolver {
  private readonly pending = new Map<string, Promise<TrackMatch | null>>();

  constructor(private readonly deps: AvailabilitySources) {}

  /** Every source's best match for `track`, best first. */
  async all(track: Track): Promise<TrackMatch[]> {
    const others = this.deps.sources().filter((provider) => provider.id !== track.source);
    const found = await Promise.all(others.map((provider) => this.matchAt(track, provider).catch(() => null)));
    return rank(found.filter((match): match is TrackMatch => match !== null));
  }

  /** The first confident match, in chain order, whose track has a play link. */
  async playback(track: Track): Promise<TrackMatch | null> {
    for (const provider of this.deps.sources()) {
      if (provider.id === track.source) continue;
      const match = await this.matchAt(track, provider).catch(() => null);
      if (match && match.confidence >= PLAYBACK_MIN_CONFIDENCE && match.track.playbackUrl) return match;
    }
    return null;
  }

  /** The best match at a source that licenses its download, under the stricter borrowing rule. */
  async download(track: Track): Promise<TrackMatch | null> {
    const licensing = this.deps.sources().filter((provider) => provider.id !== track.source && (provider.downloadHosts?.length ?? 0) > 0);
    const found = await Promise.all(licensing.map((provider) => this.matchAt(track, provider).catch(() => null)));
    return rank(found.filter((match): match is TrackMatch => match !== null && match.track.download.allowed && mayLendDownload(match)))[0] ?? null;
  }

  /** The best match of `track` at `provider`, or null; one resolution per pair per request. */
  matchAt(track: Track, provider: Provider): Promise<TrackMatch | null> {
    const key = `${track.id}|${provider.id}`;
    let pending = this.pending.get(key);
    if (!pending) {
      pending = this.resolve(track, provider);
      this.pending.set(key, pending);
    }
    return pending;
  }

  private async resolve(track: Track, provider: Provider): Promise<TrackMatch | null> {
    const cacheKey = `availability:v1:${track.id}:${provider.id}`;
    const remembered = (await this.deps.cache.get(cacheKey).catch(() => undefined)) as { match: TrackMatch | null } | undefined;
    if (remembered) return remembered.match;
    const outcome = { failed: false };
    const match = await this.find(track, provider, outcome);
    if (!outcome.failed) {
      void this.deps.cache.set(cacheKey, { match }, match ? FOUND_KEPT_FOR_MS : ABSENT_KEPT_FOR_MS).catch(() => undefined);
    }
    return match;
  }

  private async find(track: Track, provider: Provider, outcome: { failed: boolean }): Promise<TrackMatch | null> {
    const wanted = subjectOf(track);
    const field = `Track.availability(${provider.id})`;
    const attempt = async <T>(memo: string, call: (p: Provider, ctx: CallContext) => Promise<T>, empty: T): Promise<T> => {
      try {
        return await this.deps.ask(provider, field, memo, call);
      } catch (error) {
        if (error instanceof ApiError && error.code === 'NOT_FOUND') return empty;
        outcome.failed = true;
        if (error instanceof ApiError && (error.code === 'BUDGET_EXCEEDED' || error.code === 'DEADLINE_EXCEEDED')) throw error;
        return empty;
      }
    };

    const isrcs = (track.isrcs?.length ? track.isrcs : track.isrc ? [track.isrc] : []).slice(0, MAX_ISRCS);
    if (provider.tracksByIsrc && isrcs.length > 0) {
      for (const isrc of isrcs) {
        const candidates = await attempt(`isrc:${isrc}`, (p, ctx) => p.tracksByIsrc!(isrc, ctx), [] as Track[]);
        const best = judge(wanted, candidates, 'ISRC', track.id);
        if (best) return best;
      }
    }

    if (provider.parseUrl && provider.track) {
      for (const link of track.links) {
        const ref = parseLink(provider, link.url);
        if (ref?.entity !== 'track') continue;
        const candidate = await attempt(`link:${ref.ref.kind}:${ref.ref.id}`, (p, ctx) => p.track!(ref.ref, ctx), null as Track | null);
        const best = candidate ? judge(wanted, [candidate], 'LINK', track.id) : null;
        if (best) return best;
      }
    }

    if (provider.searchTracks && track.artists.length > 0) {
      const query = searchQuery(track);
      const page = await attempt(`search:${query}`, (p, ctx) => p.searchTracks!({ query, limit: SEARCH_CANDIDATES, cursor: null }, ctx), {
        items: [] as Track[],
        total: 0,
        nextCursor: null,
      });
      return judge(wanted, page.items, 'METADATA', track.id);
    }
    return null;
  }
}

/** Whether a match may lend its download to another source's track (DESIGN, issue 13). */
export function mayLendDownload(match: TrackMatch): boolean {
  if (match.matchedBy === 'ISRC') return true;
  return match.confidence >= DOWNLOAD_MIN_CONFIDENCE && match.durationDeltaSec !== null && match.durationDeltaSec <= DOWNLOAD_MAX_DELTA_SEC;
}

function subjectOf(track: Track): MatchSubject {
  return {
    title: track.title,
    artists: track.artists.map((credit) => credit.name),
    durationSec: track.durationSec,
    isrcs: track.isrcs ?? (track.isrc ? [track.isrc] : []),
    album: track.album?.title ?? null,
    versionNote: track.versionNote ?? null,
  };
}

/** The best accepted candidate (never the track itself), or null. */
function judge(wanted: MatchSubject, candidates: readonly Track[], how: MatchMethod, selfId: string): TrackMatch | null {
  let best: { track: Track; verdict: TrackMatchVerdict } | null = null;
  for (const candidate of candidates) {
    if (candidate.id === selfId) continue;
    const verdict = matchTrack(wanted, subjectOf(candidate), how);
    if (!verdict.accepted) continue;
    if (!best || verdict.confidence > best.verdict.confidence) best = { track: candidate, verdict };
  }
  if (!best) return null;
  const { track, verdict } = best;
  return { track, source: track.source, confidence: round(verdict.confidence), matchedBy: verdict.matchedBy, durationDeltaSec: verdict.durationDeltaSec, reasons: verdict.reasons };
}

const METHOD_RANK: Record<MatchMethod, number> = { ISRC: 0, LINK: 1, METADATA: 2 };

function rank(matches: TrackMatch[]): TrackMatch[] {
  return [...matches].sort((a, b) => b.confidence - a.confidence || METHOD_RANK[a.matchedBy] - METHOD_RANK[b.matchedBy] || a.source.localeCompare(b.source));
}

/** "artist title", the title without qualifiers that do not identify the song, markers kept. */
export function searchQuery(track: Track): string {
  const parsed = parseTitle(track.title);
  const title = [parsed.core, ...parsed.markers.map((marker) => marker.replace(/-/g, ' '))].join(' ').trim() || track.title;
  return `${track.artists[0]!.name} ${title}`.trim();
}

function parseLink(provider: Provider, url: string) {
  try {
    return provider.parseUrl!(new URL(url));
  } catch {
    return null;
  }
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
