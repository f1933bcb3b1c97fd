import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { DownloadUnavailableReason } from '../../domain/types.js';
import { AudioFormat, DownloadErrorCode, JobState as DownloadJobState } from '../../downloads/types.js';
import type * as downloads from '../../downloads/types.js';
import type * as domain from '../../domain/types.js';
import { License } from './common.js';
import { registerEnum } from './registerEnum.js';

// The enums are defined once, with the values the rest of the gateway uses; only registered here.
export { AudioFormat, DownloadUnavailableReason, DownloadErrorCode, DownloadJobState };

registerEnum(AudioFormat, 'AudioFormat', 'Downloadable audio formats: WAV first (best quality), MP3 as the lighter alternative.');
registerEnum(DownloadUnavailableReason, 'DownloadUnavailableReason', 'Why a download is not offered.', {
  NOT_LICENSED: 'The source does not offer this audio for free download; only playback is possible.',
  SOURCE_UNAVAILABLE: 'The source offers it, but could not be reached, no longer has the file, or declares no download host.',
  TOO_LARGE: 'The last attempt found the file over the size limit (DOWNLOAD_MAX_BYTES).',
  NOT_IMPLEMENTED: 'Downloads are not enabled on this server.',
});
registerEnum(DownloadJobState, 'DownloadJobState', 'Where a download job is.', {
  QUEUED: 'Waiting for a free worker.',
  RUNNING: 'Fetching, checking or converting.',
  DONE: 'The files are ready; `downloads` has their signed URLs.',
  FAILED: 'Stopped; `error` says why. Asking again starts a new attempt.',
});
registerEnum(DownloadErrorCode, 'DownloadErrorCode', 'Why a download job failed.', {
  NOT_LICENSED: 'The source does not license this audio for download.',
  SOURCE_UNAVAILABLE: 'The source no longer offers the file (404, 403, gone).',
  TOO_LARGE: 'The file is over DOWNLOAD_MAX_BYTES; nothing was kept.',
  HOST_NOT_ALLOWED: "The file (or a redirect) pointed outside the source's declared download hosts.",
  NOT_AUDIO: 'What arrived was not audio of the expected kind and length (an HTML page, a preview).',
  UPSTREAM_FAILED: 'The source failed mid-transfer (network error, 5xx, connection closed); try again.',
  TRANSCODE_FAILED: 'Converting to WAV or MP3 failed.',
  STORAGE_FAILED: 'The server could not write the files (disk full, read-only).',
  INTERNAL: 'Unexpected error.',
});

@ObjectType({ description: 'One downloadable rendition of a track (or, on an album, of all its tracks).' })
export class DownloadOption {
  @Field(() => AudioFormat) format!: downloads.DownloadFormat;
  @Field(() => Boolean, { description: 'Whether this can be downloaded; when true and `url` is null, call prepareDownload first.' }) available!: boolean;
  @Field(() => DownloadUnavailableReason, { nullable: true }) reason!: domain.DownloadUnavailableReason | null;
  @Field(() => String, { nullable: true, description: 'Human-readable detail of the reason.' }) detail!: string | null;
  @Field(() => License, { nullable: true, description: 'The licence the source publishes the audio under.' }) license!: License | null;
  @Field(() => Float, { nullable: true, description: 'Size in bytes, once the file is on the server (on an album: all tracks).' }) sizeBytes!: number | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Whether the audio is lossless: true for a WAV decoded from a lossless original, false for MP3 and for a WAV decoded from a lossy original. Null until the file exists.',
  })
  lossless!: boolean | null;

  @Field(() => String, { nullable: true, description: 'Signed, expiring URL under /files, once the file is ready. Anyone holding it can download until it expires.' }) url!: string | null;
  @Field(() => Int, { nullable: true, description: 'Seconds until `url` expires.' }) expiresIn!: number | null;
  @Field(() => String, { nullable: true, description: 'When `url` expires (ISO 8601).' }) expiresAt!: string | null;

  @Field(() => String, {
    nullable: true,
    description: "The source the file comes from: the track's own, or that of the same recording matched at a source that licenses the download.",
  })
  source!: string | null;

  @Field(() => ID, { nullable: true, description: 'The track the file is of (another source\'s id when the download comes through a match); `prepareDownload` accepts either.' }) trackId!: string | null;
}

@ObjectType({ description: 'Why a download job failed.' })
export class DownloadJobError {
  @Field(() => DownloadErrorCode) code!: downloads.DownloadErrorCode;
  @Field(() => String) message!: string;
}

@ObjectType({ description: 'The preparation of one track for download: fetch, check, convert, store.' })
export class DownloadJob {
  @Field(() => ID) id!: string;
  @Field(() => ID) trackId!: string;
  @Field(() => DownloadJobState) state!: downloads.JobState;
  @Field(() => Float, { description: 'Progress from 0 to 1.' }) progress!: number;
  @Field(() => DownloadJobError, { nullable: true }) error!: DownloadJobError | null;
  @Field(() => String, { description: 'ISO 8601.' }) createdAt!: string;
  @Field(() => String, { description: 'ISO 8601.' }) updatedAt!: string;
}
