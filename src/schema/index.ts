import 'reflect-metadata';
import { buildSchema, type NonEmptyArray } from 'type-graphql';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { CatalogQueryResolver } from './resolvers/query.resolver.js';
import { ArtistCreditFieldsResolver, TrackFieldsResolver } from './resolvers/track.resolver.js';
import { AlbumFieldsResolver } from './resolvers/album.resolver.js';
import { ArtistFieldsResolver } from './resolvers/artist.resolver.js';
import { DownloadJobResolver, DownloadsResolver } from './resolvers/downloads.resolver.js';
import { SourcesResolver } from './resolvers/sources.resolver.js';
import { ViewerResolver } from './resolvers/viewer.resolver.js';
import { IdentityResolver } from './resolvers/identity.resolver.js';
import { ArtistTypeResolver, LicenseFieldsResolver } from './resolvers/labels.resolver.js';

/** Every resolver class of the API. New features add theirs here. */
export const RESOLVERS: NonEmptyArray<Function> = [
  CatalogQueryResolver,
  IdentityResolver,
  TrackFieldsResolver,
  ArtistCreditFieldsResolver,
  AlbumFieldsResolver,
  ArtistFieldsResolver,
  DownloadsResolver,
  DownloadJobResolver,
  SourcesResolver,
  ViewerResolver,
  LicenseFieldsResolver,
  ArtistTypeResolver,
];

export function buildApiSchema(): Promise<GraphQLSchema> {
  // Input is checked by hand in the catalog (clear messages, nothing sent upstream), not by class-validator.
  return buildSchema({ resolvers: RESOLVERS, validate: false });
}

/** The SDL checked in as `schema.graphql`: sorted, so the file only changes when the API does. */
export function printApiSchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
