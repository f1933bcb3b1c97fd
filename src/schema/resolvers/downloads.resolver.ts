import DataLoader from 'dataloader';
import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { parseGlobalId } from '../../domain/ids.js';
import type * as domain from '../../domain/types.js';
import { notATrackId, type DownloadService } from '../../downloads/service.js';
import type * as downloads from '../../downloads/types.js';
import { ApiError, badInput } from '../../errors/api.js';
import type { RequestContext } from '../context.js';
import type { TrackMatch } from '../../catalog/availability.js';
import { bilingual, textIn, type ApiLanguage } from '../../domain/text.js';
import { Album } from '../types/album.js';
import { AudioFormat, DownloadJob, DownloadOption, DownloadUnavailableReason } from '../types/download.js';
import { Track } from '../types/track.js';
import { PRICE } from '../cost.js';

/**
 * `Track.downloads`, `Album.downloads`, `prepareDownload(trackId)` and `download(id)`. Options
 * never contact a source: they come from the track's own permission and the download index.
 * Without a download service (tests, or a server that does not enable it) every option says
 * NOT_IMPLEMENTED or the source's own reason.
 */
@Resolver(() => Track)
export class TrackDownloadsResolver {
  @FieldResolver(() => [DownloadOption], {
    description:
      "WAV (best quality) and MP3 downloads, or why they are not available. When the track's own source does not license it, the same recording at a source that does (matched by ISRC, or within 2 s at confidence ≥ 0.9) is offered; `source` and `trackId` say which.",
    complexity: PRICE.borrowed,
  })
  async downloads(@Root() track: domain.Track, @Ctx() context: RequestContext): Promise<DownloadOption[]> {
    const service = context.services.downloads;
    if (!service) return notEnabled(track.download, context.language);
    const own = await optionsLoader(context, service).load(track);
    if (track.download.allowed) return own.map((option) => toView(option, context.language, track));
    // The track's own source does not license it: the same recording may be free elsewhere.
    const match = await borrowedDownload(track, context);
    if (!match) return own.map((option) => toView(option, context.language, track));
    return (await optionsLoader(context, service).load(match.track)).map((option) => toView(option, context.language, match.track));
  }

  @Mutation(() => DownloadJob, {
    description:
      'Starts preparing the WAV and MP3 of a track the source licenses for download, or joins the job already running for it. A track already on the server returns a finished job at once. Fails with DOWNLOAD_UNAVAILABLE (extensions.reason) when the source does not allow it.',
    complexity: PRICE.prepareDownload,
  })
  async prepareDownload(@Arg('trackId', () => ID) trackId: string, @Ctx() context: RequestContext): Promise<downloads.DownloadJob> {
    const service = requireService(context);
    const parsed = parseGlobalId(trackId);
    if (!parsed) throw badInput(notATrackId(trackId), 'trackId');
    if (!context.catalog.mayUse(parsed.source)) {
      throw new ApiError('FORBIDDEN', { en: `This key may not use the source "${parsed.source}".`, es: `Esta clave no puede usar la fuente «${parsed.source}».` });
    }
    return service.prepare(trackId, (id) => context.loaders.track.load(id), async (track) => (await borrowedDownload(track, context))?.track ?? null);
  }

  @Query(() => DownloadJob, { nullable: true, description: 'A download job by id; null when unknown or expired (finished jobs are kept for hours).', complexity: PRICE.free })
  async download(@Arg('id', () => ID) id: string, @Ctx() context: RequestContext): Promise<downloads.DownloadJob | null> {
    const job = await requireService(context).job(id);
    if (!job) return null;
    const source = parseGlobalId(job.trackId)?.source;
    return source && context.catalog.mayUse(source) ? job : null;
  }
}

@Resolver(() => DownloadJob)
export class DownloadJobResolver {
  @FieldResolver(() => [DownloadOption], { description: 'The WAV and MP3 with their signed URLs once the job is DONE; empty before.', complexity: PRICE.free })
  async downloads(@Root() job: downloads.DownloadJob, @Ctx() context: RequestContext): Promise<DownloadOption[]> {
    if (job.state !== 'DONE') return [];
    const options = await requireService(context).optionsForCached(job.trackId);
    return (options ?? []).map((option) => toView(option, context.language, { id: job.trackId, source: parseGlobalId(job.trackId)?.source ?? null }));
  }
}

@Resolver(() => Album)
export class AlbumDownloadsResolver {
  @FieldResolver(() => [DownloadOption], {
    description: 'WAV and MP3 for the whole album: available when every track is, with the total size once every track is on the server. URLs are per track.',
    complexity: PRICE.albumDownloads,
  })
  async downloads(@Root() album: domain.Album, @Ctx() context: RequestContext): Promise<DownloadOption[]> {
    const tracks = album.tracks ?? (await context.loaders.album.load(album.id)).tracks ?? [];
    const service = context.services.downloads;
    if (!service) return notEnabledAlbum(tracks, context.language);
    return (await service.optionsForAlbum({ ...album, tracks })).map((option) => toView(option, context.language, null));
  }
}

const loaders = new WeakMap<RequestContext, DataLoader<domain.Track, downloads.DownloadOption[], string>>();

/** One index query for all the tracks of a list (an album, a search page), per request. */
function optionsLoader(context: RequestContext, service: DownloadService): DataLoader<domain.Track, downloads.DownloadOption[], string> {
  let loader = loaders.get(context);
  if (!loader) {
    loader = new DataLoader((tracks) => service.optionsForTracks(tracks), { cacheKeyFn: (track) => track.id });
    loaders.set(context, loader);
  }
  return loader;
}

function requireService(context: RequestContext): DownloadService {
  const service = context.services.downloads;
  if (!service) {
    throw new ApiError('DOWNLOAD_UNAVAILABLE', { en: 'Downloads are not enabled on this server.', es: 'Las descargas no están activadas en este servidor.' }, { reason: 'NOT_IMPLEMENTED' });
  }
  return service;
}

/** The confident match at a licensing source whose file a track without one borrows, reported once. */
async function borrowedDownload(track: domain.Track, context: RequestContext): Promise<TrackMatch | null> {
  const { catalog } = context;
  const match = await catalog.availability.download(track);
  if (match && catalog.provenance.borrowOnce(`${track.id}|download`)) {
    catalog.provenance.add({
      field: 'Track.downloads',
      answeredBy: match.source,
      stale: false,
      attempts: [],
      borrowed: { for: track.id, from: match.track.id, matchedBy: match.matchedBy, confidence: match.confidence },
    });
  }
  return match;
}

/** `of` is the track the file is (or would be) of; null for album summaries. */
function toView(option: downloads.DownloadOption, language: ApiLanguage, of: { id: string; source: string | null } | null): DownloadOption {
  const expires = option.expiresAt ? Date.parse(option.expiresAt) : null;
  return {
    format: option.format as AudioFormat,
    available: option.available,
    reason: option.reason as DownloadUnavailableReason | null,
    detail: option.detail === null ? null : textIn(option.detail, language),
    license: option.license,
    sizeBytes: option.sizeBytes,
    lossless: option.lossless,
    url: option.url,
    expiresIn: expires === null ? null : Math.max(0, Math.round((expires - Date.now()) / 1000)),
    expiresAt: option.expiresAt,
    source: of?.source ?? null,
    trackId: of?.id ?? null,
  };
}

function notEnabled(permission: domain.DownloadPermission, language: ApiLanguage): DownloadOption[] {
  return [AudioFormat.WAV, AudioFormat.MP3].map((format) => ({
    format,
    available: false,
    reason: permission.allowed ? DownloadUnavailableReason.NOT_IMPLEMENTED : (permission.reason as DownloadUnavailableReason),
    detail: permission.allowed
      ? textIn(bilingual('The source allows downloading this track; downloads are not enabled on this server.', 'La fuente permite descargar esta canción, pero las descargas no están activadas en este servidor.'), language)
      : permission.detail === undefined ? null : textIn(permission.detail, language),
    license: permission.allowed ? permission.license : null,
    sizeBytes: null,
    lossless: null,
    url: null,
    expiresIn: null,
    expiresAt: null,
    source: null,
    trackId: null,
  }));
}

function notEnabledAlbum(tracks: readonly domain.Track[], language: ApiLanguage): DownloadOption[] {
  const refused = tracks.find((track) => !track.download.allowed);
  return notEnabled(refused?.download ?? { allowed: true, license: null }, language);
}
