import { FieldResolver, Resolver, Root } from 'type-graphql';
import type * as domain from '../../domain/types.js';
import { AudioFormat, DownloadOption, DownloadUnavailableReason } from '../types/download.js';
import { Track } from '../types/track.js';

/**
 * WAV and MP3 entries for every track. Until the download pipeline is wired, a licensed track
 * says so and reports NOT_IMPLEMENTED; an unlicensed one says NOT_LICENSED with the source's reason.
 */
@Resolver(() => Track)
export class TrackDownloadsResolver {
  @FieldResolver(() => [DownloadOption], { description: 'WAV (best quality) and MP3 downloads, or why they are not available.' })
  downloads(@Root() track: domain.Track): DownloadOption[] {
    return [AudioFormat.WAV, AudioFormat.MP3].map((format) => unavailableOption(format, track.download));
  }
}

function unavailableOption(format: AudioFormat, permission: domain.DownloadPermission): DownloadOption {
  const licensed = permission.allowed;
  return {
    format,
    available: false,
    reason: licensed ? DownloadUnavailableReason.NOT_IMPLEMENTED : (permission.reason as DownloadUnavailableReason),
    detail: licensed ? 'The source allows downloading this track; the download pipeline is not enabled on this server.' : (permission.detail ?? null),
    license: licensed ? permission.license : null,
    sizeBytes: null,
    lossless: null,
    url: null,
    expiresIn: null,
  };
}
