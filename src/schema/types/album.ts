import { Field, ObjectType } from 'type-graphql';
import { AlbumType } from '../../domain/types.js';
import type * as domain from '../../domain/types.js';
import { License } from './common.js';
import { Node } from './node.js';
import { registerEnum } from './registerEnum.js';
import { ArtistCredit } from './track.js';
import { PRICE } from '../cost.js';

// Defined once with the domain types; only registered here.
export { AlbumType };

registerEnum(AlbumType, 'AlbumType', 'Kind of release.');

@ObjectType({ implements: Node, description: 'A release: album, single, EP or compilation.' })
export class Album extends Node {
  @Field(() => String) source!: string;
  @Field(() => String) title!: string;
  @Field(() => [ArtistCredit], { complexity: PRICE.credits }) artists!: domain.ArtistCredit[];
  @Field(() => String, { nullable: true, description: 'Release date: YYYY, YYYY-MM or YYYY-MM-DD.' }) releaseDate!: string | null;
  @Field(() => [String]) genres!: string[];
  @Field(() => String, { nullable: true }) label!: string | null;
  @Field(() => String, { nullable: true, description: 'UPC/EAN barcode of this edition, where the source has one.' }) barcode?: string | null;
  @Field(() => String, { nullable: true, description: 'Release country of this edition (ISO 3166-1 alpha-2; XW = worldwide), where the source says.' }) country?: string | null;
  @Field(() => AlbumType, { nullable: true }) type!: domain.AlbumType | null;
  @Field(() => String, { nullable: true, description: 'The album page at its source.' }) url!: string | null;
  @Field(() => License, { nullable: true }) license?: domain.License | null;
}

