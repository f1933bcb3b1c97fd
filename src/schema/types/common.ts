import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'An image in three sizes. Any size may be missing; none is ever a placeholder.' })
export class ImageSet {
  @Field(() => String, { nullable: true, description: 'About 250 px wide.' }) small!: string | null;
  @Field(() => String, { nullable: true, description: 'About 500 px wide.' }) medium!: string | null;
  @Field(() => String, { nullable: true, description: 'At least 1000 px wide, or the original.' }) large!: string | null;
  @Field(() => String, { description: 'Source that provided the image.' }) source!: string;
}

@ObjectType({ description: 'A page about the item on another platform.' })
export class ExternalLink {
  @Field(() => String, { description: 'Normalised platform: spotify, youtube, bandcamp, soundcloud, wikidata, wikipedia, official, …' }) platform!: string;
  @Field(() => String) url!: string;
}

@ObjectType({ description: 'The licence under which the source publishes the audio.' })
export class License {
  @Field(() => String, {
    description:
      "The licence's name in the request's language: generic phrases are translated («Todos los derechos reservados»), proper names such as CC BY-NC-SA 3.0 are not. Programs should read `code` or `url`.",
  })
  name!: string;

  @Field(() => String, { nullable: true }) url!: string | null;
}

@ObjectType({ description: 'Relay pagination state.' })
export class PageInfo {
  @Field(() => Boolean) hasNextPage!: boolean;
  @Field(() => Boolean, { description: 'Always false: lists are read forwards.' }) hasPreviousPage!: boolean;
  @Field(() => String, { nullable: true }) startCursor!: string | null;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

@ObjectType({ description: 'How well a text match fits what was asked.' })
export class MatchInfo {
  @Field(() => Number, { description: 'Similarity of artist and title, 0 to 1.' }) confidence!: number;
  @Field(() => Int, { nullable: true, description: 'Difference in seconds between the asked and the found duration.' }) durationDeltaSec!: number | null;
}
