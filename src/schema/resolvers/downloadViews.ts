import type { TrackMatch } from '../../catalog/availability.js';
import { bilingual, textIn, type ApiLanguage } from '../../domain/text.js';
import type * as domain from '../../domain/types.js';
import { DownloadUnavailableReason } from '../../domain/types.js';
import type { DownloadService } from '../../downloads/service.js';
import { AudioFormat } from '../../downloads/types.js';
import type * as downloads from '../../downloads/types.js';
import { ApiError } from '../../errors/api.js';
import type { RequestContext } from '../context.js';
import type { DownloadOption } from '../types/download.js';

/**
 * What `Track.downloads`, `Album.downloads` and the download jobs show: the download service's
 * options in the request's language, naming the source and track a file comes from, and the
 * match a track without a licensed file of its own borrows one from.
 */

export function requireService(context: RequestContext): DownloadService {
  const service = context.services.downloads;
  if (!service) {
    throw new ApiError('DOWNLOAD_UNAVAILABLE', { en: 'Downloads are not enabled on this server.', es: 'Las descargas no están activadas en este servidor.' }, { reason: 'NOT_IMPLEMENTED' });
  }
  return service;
}

/** The confident match at a licensing source whose file a track without one borrows, reported once. */
export async function borrowedDownload(track: domain.Track, { catalog }: RequestContext): Promise<TrackMatch | null> {
  const match = await catalog.availability.download(track);
  if (match) catalog.reportBorrowing('Track.downloads', track, match);
  return match;
}

/** `of` is the track the file is (or would be) of; null for album summaries. */
export function toView(option: downloads.DownloadOption, language: ApiLanguage, of: { id: string; source: string | null } | null): DownloadOption {
  const expires = option.expiresAt ? Date.parse(option.expiresAt) : null;
  return {
    format: option.format,
    available: option.available,
    reason: option.reason,
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

export function notEnabled(permission: domain.DownloadPermission, language: ApiLanguage): DownloadOption[] {
  return [AudioFormat.WAV, AudioFormat.MP3].map((format) => ({
    format,
    available: false,
    reason: permission.allowed ? DownloadUnavailableReason.NOT_IMPLEMENTED : permission.reason,
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

export function notEnabledAlbum(tracks: readonly domain.Track[], language: ApiLanguage): DownloadOption[] {
  const refused = tracks.find((track) => !track.download.allowed);
  return notEnabled(refused?.download ?? { allowed: true, license: null }, language);
}
