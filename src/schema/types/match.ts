import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { Track as DomainTrack } from '../../domain/types.js';
import { Track } from './track.js';

export enum MatchMethod {
  ISRC = 'ISRC',
  LINK = 'LINK',
  METADATA = 'METADATA',
}

registerEnumType(MatchMethod, {
  name: 'MatchMethod',
  description: 'How the same recording was found at another source, strongest first.',
  valuesConfig: {
    ISRC: { description: 'Both carry the same ISRC.' },
    LINK: { description: "The track's own source publishes a link to it." },
    METADATA: { description: 'Found by searching title and artist, and accepted by the version-aware matching rules.' },
  },
});

@ObjectType({ description: 'The same recording at another source, with how sure the match is and why.' })
export class TrackMatch {
  @Field(() => Track)
  track!: DomainTrack;

  @Field(() => String, { description: 'Source of the matched track.' })
  source!: string;

  @Field(() => String, { description: 'Display name of that source.' })
  sourceName!: string;

  @Field(() => Float, { description: 'How sure the match is, 0 to 1 (rules in the README, «Una canción en todas las fuentes»).' })
  confidence!: number;

  @Field(() => MatchMethod)
  matchedBy!: MatchMethod;

  @Field(() => Int, { nullable: true, description: 'Difference in length, seconds; null when either length is unknown.' })
  durationDeltaSec!: number | null;

  @Field(() => [String], { description: 'Machine-readable evidence: isrc-shared, link, title-match, artist-match, duration-match, version-match:live, …' })
  reasons!: string[];
}
