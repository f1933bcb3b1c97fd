import { Field, ID, Int, ObjectType } from 'type-graphql';
import type * as domain from '../../domain/types.js';
import { ExternalLink, License } from './common.js';
import { Node } from './node.js';
import { PRICE } from '../cost.js';

@ObjectType({ description: 'An artist as credited on a track or album.' })
export class ArtistCredit {
  @Field(() => ID, { nullable: true, description: 'Global id of the artist, when the source knows it.' }) id!: string | null;
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true, description: 'Text joining this credit to the next (" & ", " feat. ").' }) joinPhrase?: string;
}

@ObjectType({ implements: Node, description: 'A recording: one song as released.' })
export class Track extends Node {
  @Field(() => String, { description: 'Source that answered (musicbrainz, jamendo, …).' }) source!: string;
  @Field(() => String) title!: string;
  @Field(() => [ArtistCredit], { complexity: PRICE.credits }) artists!: domain.ArtistCredit[];
  @Field(() => Int, { name: 'duration', nullable: true, description: 'Length in seconds.' }) durationSec!: number | null;
  @Field(() => Int, { nullable: true, description: 'Position on its album.' }) trackNumber?: number | null;
  @Field(() => Int, { nullable: true, description: 'Disc of its album.' }) discNumber?: number | null;
  @Field(() => String, { nullable: true, description: 'Release date: YYYY, YYYY-MM or YYYY-MM-DD.' }) releaseDate!: string | null;
  @Field(() => String, { nullable: true, description: 'International Standard Recording Code.' }) isrc!: string | null;
  @Field(() => String, { nullable: true, description: 'A short audio preview, where the source offers one.' }) previewUrl!: string | null;
  @Field(() => License, { nullable: true }) license!: domain.License | null;
  @Field(() => [String]) genres!: string[];
  @Field(() => [ExternalLink]) links!: domain.ExternalLink[];
}

