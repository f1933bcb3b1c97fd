import { Field, Float, Int, ObjectType } from 'type-graphql';
import { MatchMethod } from '../../catalog/matching.js';
import type { Track as DomainTrack } from '../../domain/types.js';
import { registerEnum } from './registerEnum.js';
import { Track } from './track.js';

// Defined once where matching decides it; only registered here.
export { MatchMethod };

registerEnum(MatchMethod, 'MatchMethod', 'How the same recording was found at another source, strongest first.', {
  ISRC: 'Both carry the same ISRC.',
  LINK: "The track's own source publishes a link to it.",
  METADATA: 'Found by searching title and artist, and accepted by the version-aware matching rules.',
});

@ObjectType({ description: 'The same recording at another source, with how sure the match is and why.' })
export class TrackMatch {
  @Field(() => Track) track!: DomainTrack;
  @Field(() => String, { description: 'Source of the matched track.' }) source!: string;
  @Field(() => String, { description: 'Display name of that source.' }) sourceName!: string;
  @Field(() => Float, { description: 'How sure the match is, 0 to 1 (rules in the README, «Una canción en todas las fuentes»).' }) confidence!: number;
  @Field(() => MatchMethod) matchedBy!: MatchMethod;
  @Field(() => Int, { nullable: true, description: 'Difference in length, seconds; null when either length is unknown.' }) durationDeltaSec!: number | null;
  @Field(() => [String], { description: 'Machine-readable evidence: isrc-shared, link, title-match, artist-match, duration-match, version-match:live, …' }) reasons!: string[];
}
