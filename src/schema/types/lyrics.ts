import { Field, Int, ObjectType } from 'type-graphql';
import type * as domain from '../../domain/types.js';
import { MatchInfo } from './common.js';

@ObjectType({ description: 'A line of time-synchronised lyrics.' })
export class SyncedLine {
  @Field(() => Int, { description: 'Start of the line, in milliseconds from the start of the track.' }) timeMs!: number;
  @Field(() => String) text!: string;
}

@ObjectType({ description: 'Lyrics of a song, with their source and how well they match what was asked.' })
export class Lyrics {
  @Field(() => String) source!: string;
  @Field(() => String) trackTitle!: string;
  @Field(() => String) artistName!: string;
  @Field(() => String, { nullable: true, description: 'Plain text.' }) text!: string | null;
  @Field(() => [SyncedLine], { nullable: true, description: 'Synchronised lines, where the source has them.' }) synced!: domain.SyncedLine[] | null;
  @Field(() => Boolean, { description: 'True when the source returned only part of the text (licensing).' }) partial!: boolean;
  @Field(() => Boolean) instrumental!: boolean;
  @Field(() => String, { nullable: true }) copyright!: string | null;
  @Field(() => String, { nullable: true }) language!: string | null;
  @Field(() => String, { nullable: true }) url!: string | null;
  @Field(() => MatchInfo, { nullable: true, description: 'How closely the found song matches the one asked for.' }) match!: domain.LyricsMatch | null;
}
