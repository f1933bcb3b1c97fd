import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { License } from './common.js';

export enum AudioFormat {
  WAV = 'WAV',
  MP3 = 'MP3',
}

export enum DownloadUnavailableReason {
  NOT_LICENSED = 'NOT_LICENSED',
  SOURCE_UNAVAILABLE = 'SOURCE_UNAVAILABLE',
  TOO_LARGE = 'TOO_LARGE',
  NOT_IMPLEMENTED = 'NOT_IMPLEMENTED',
}

registerEnumType(AudioFormat, { name: 'AudioFormat', description: 'Downloadable audio formats: WAV first (best quality), MP3 as the lighter alternative.' });
registerEnumType(DownloadUnavailableReason, {
  name: 'DownloadUnavailableReason',
  description: 'Why a download is not offered.',
  valuesConfig: {
    NOT_LICENSED: { description: 'The source does not offer this audio for free download; only playback is possible.' },
    SOURCE_UNAVAILABLE: { description: 'The source offers it, but could not be reached or no longer has the file.' },
    TOO_LARGE: { description: 'The file exceeds the configured size limit.' },
    NOT_IMPLEMENTED: { description: 'Downloads from this source are not available on this server yet.' },
  },
});

@ObjectType({ description: 'One downloadable rendition of a track.' })
export class DownloadOption {
  @Field(() => AudioFormat)
  format!: AudioFormat;

  @Field(() => Boolean)
  available!: boolean;

  @Field(() => DownloadUnavailableReason, { nullable: true })
  reason!: DownloadUnavailableReason | null;

  @Field(() => String, { nullable: true, description: 'Human-readable detail of the reason.' })
  detail!: string | null;

  @Field(() => License, { nullable: true })
  license!: License | null;

  @Field(() => Float, { nullable: true, description: 'Size in bytes, once the file is cached.' })
  sizeBytes!: number | null;

  @Field(() => Boolean, { nullable: true, description: 'Whether the WAV comes from a lossless original.' })
  lossless!: boolean | null;

  @Field(() => String, { nullable: true, description: 'Signed, expiring URL, once the file is ready.' })
  url!: string | null;

  @Field(() => Int, { nullable: true, description: 'Seconds until `url` expires.' })
  expiresIn!: number | null;
}
