import { Field, ObjectType } from 'type-graphql';
import type * as domain from '../../domain/types.js';
import { ExternalLink } from './common.js';
import { Node } from './node.js';

@ObjectType({ description: 'A biography with where it comes from.' })
export class Biography {
  @Field(() => String, { nullable: true, description: 'A short plain-text summary.' })
  summary!: string | null;

  @Field(() => String, { nullable: true, description: 'The full plain-text biography, where the source has one.' })
  content!: string | null;

  @Field(() => String)
  source!: string;

  @Field(() => String, { nullable: true, description: 'Language of the text (ISO 639-1).' })
  language!: string | null;

  @Field(() => String, { nullable: true, description: 'Where to read it in full.' })
  url!: string | null;
}

@ObjectType({ implements: Node, description: 'A musician, band or other credited artist.' })
export class Artist extends Node {
  @Field(() => String)
  source!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true, description: 'Text telling apart artists with the same name.' })
  disambiguation!: string | null;

  @Field(() => String, { nullable: true, description: 'Person, group, orchestra, …' })
  type!: string | null;

  @Field(() => String, { nullable: true, description: 'ISO 3166-1 country code.' })
  country!: string | null;

  @Field(() => [ExternalLink], { description: 'Official site and social profiles.' })
  links!: domain.ExternalLink[];

  @Field(() => [String])
  genres!: string[];

  @Field(() => String, { nullable: true, description: 'The artist page at its source.' })
  url!: string | null;
}
