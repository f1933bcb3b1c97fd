import { Field, Float, Int, ObjectType } from 'type-graphql';
import type * as domain from '../../domain/types.js';
import { Track } from './track.js';

@ObjectType()
export class ChartEntry {
  @Field(() => Int) position!: number;
  @Field(() => Track) track!: domain.Track;
  @Field(() => Float, { nullable: true, description: "The source's own popularity figure (listeners, plays), where it gives one." }) popularity!: number | null;
}

@ObjectType({ description: 'A ranking of tracks, worldwide or for one country.' })
export class Chart {
  @Field(() => String, { description: '`GLOBAL` or an ISO 3166-1 alpha-2 country code.' }) scope!: string;
  @Field(() => String) source!: string;

  @Field(() => String, {
    nullable: true,
    description: "In the request's language, from source, country and genre: «Apple Music · Lo más escuchado en España», \"Last.fm · Most played worldwide\", «Deezer · Rock».",
  })
  title!: string | null;

  @Field(() => String, { description: 'When the source was asked (ISO 8601).' }) fetchedAt!: string;
  @Field(() => [ChartEntry]) entries!: domain.ChartEntry[];
}
