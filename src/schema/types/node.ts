import { Field, ID, InterfaceType } from 'type-graphql';

/** Marks a domain object with its GraphQL type so `node(id)` can resolve the interface. */
export const NODE_TYPE = Symbol('nodeType');

export type NodeTypeName = 'Track' | 'Album' | 'Artist';

export function asNode<T extends object>(value: T, type: NodeTypeName): T {
  return Object.assign(Object.create(null) as object, value, { [NODE_TYPE]: type }) as T;
}

@InterfaceType({
  description: 'Anything with a global id `<source>:<kind>:<id>`.',
  resolveType: (value: Record<symbol, unknown>) => value[NODE_TYPE] as string,
})
export abstract class Node {
  @Field(() => ID, { description: 'Global id: `<source>:<kind>:<id>`, e.g. `musicbrainz:recording:<mbid>`.' }) id!: string;
}
