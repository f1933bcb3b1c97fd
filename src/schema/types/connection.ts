import { Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { PageInfo } from './common.js';
import { Track } from './track.js';
import { Album } from './album.js';
import { Artist } from './artist.js';

/**
 * Relay connections. `source` says which source produced the page; continuing with `after`
 * stays on that source.
 */
function connection<T extends object>(name: string, node: ClassType<T>) {
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field(() => String)
    cursor!: string;

    @Field(() => node)
    node!: T;
  }

  @ObjectType(`${name}Connection`)
  class Connection {
    @Field(() => [Edge])
    edges!: Edge[];

    @Field(() => [node])
    nodes!: T[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    @Field(() => Int, { nullable: true, description: 'Total matches the source reports, when it does.' })
    totalCount!: number | null;

    @Field(() => String, { description: 'Source that produced this page.' })
    source!: string;
  }
  return Connection;
}

export const TrackConnection = connection('Track', Track);
export const AlbumConnection = connection('Album', Album);
export const ArtistConnection = connection('Artist', Artist);
