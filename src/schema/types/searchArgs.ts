import { ArgsType, Field, Int } from 'type-graphql';

/** What every search query takes: the text, one page of the merged answer, and optionally one source. */
@ArgsType()
export class SearchArgs {
  @Field(() => String) query!: string;
  @Field(() => Int, { nullable: true, defaultValue: 10, description: '1 to 50.' }) first!: number;
  @Field(() => String, { nullable: true }) after!: string | null;
  @Field(() => String, { nullable: true, description: 'Ask only this source (e.g. jamendo).' }) source!: string | null;
}
