import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType({ description: 'The key making this request and what it may do.' })
export class Viewer {
  @Field(() => ID) keyId!: string;
  @Field(() => String, { description: 'A source id, or "*" for an admin key.' }) scope!: string;
  @Field(() => String) label!: string;
  @Field(() => Boolean, { description: 'Admin keys use every source and see keys, sources and usage; see readOnly for whether they may change them.' }) isAdmin!: boolean;
  @Field(() => Boolean, { description: 'A read-only admin key: reads everything an admin key reads, and every mutation refuses it with FORBIDDEN.' }) readOnly!: boolean;
  @Field(() => [String], { description: 'Ids of the sources this key may use.' }) allowedSources!: string[];
}
