import { Field, ObjectType } from 'type-graphql';
import type * as domain from '../../domain/types.js';
import { ExternalLink } from './common.js';
import { ArtistKind } from '../labels/artistTypes.js';
import { Node } from './node.js';
import { registerEnum } from './registerEnum.js';

// The schema's ArtistType is the closed set of kinds the labels translate; only registered here.
registerEnum(ArtistKind, 'ArtistType', "Kind of artist, as MusicBrainz classifies them; null where the source does not say.");

@ObjectType({ description: 'A biography with where it comes from.' })
export class Biography {
  @Field(() => String, { nullable: true, description: 'A short plain-text summary.' }) summary!: string | null;
  @Field(() => String, { nullable: true, description: 'The full plain-text biography, where the source has one.' }) content!: string | null;
  @Field(() => String) source!: string;
  @Field(() => String, { nullable: true, description: 'Language of the text (ISO 639-1).' }) language!: string | null;
  @Field(() => String, { nullable: true, description: 'Where to read it in full.' }) url!: string | null;
}

@ObjectType({ implements: Node, description: 'A musician, band or other credited artist.' })
export class Artist extends Node {
  @Field(() => String) source!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true, description: 'Text telling apart artists with the same name.' }) disambiguation!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The source\'s own word for the kind of artist ("Group", "Person", Bandcamp\'s "label"), as before: not translated. Use `kind` and `typeLabel`.',
    deprecationReason: 'Use `kind` (enum) or `typeLabel` (in the request\'s language).',
  })
  type!: string | null;

  @Field(() => String, { nullable: true, description: 'ISO 3166-1 country code.' }) country!: string | null;
  @Field(() => [ExternalLink], { description: 'Official site and social profiles.' }) links!: domain.ExternalLink[];
  @Field(() => [String]) genres!: string[];
  @Field(() => String, { nullable: true, description: 'The artist page at its source.' }) url!: string | null;
}
