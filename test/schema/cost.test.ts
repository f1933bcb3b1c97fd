import { getIntrospectionQuery, parse, type GraphQLSchema } from 'graphql';
import { getMetadataStorage } from 'type-graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApiSchema } from '../../src/schema/index.js';
import { ASSUMED_SIZE, COST, PRICE, operationCost } from '../../src/schema/cost.js';

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildApiSchema();
});

const cost = (query: string, variables?: Record<string, unknown>, operationName?: string) => operationCost(schema, parse(query), variables, operationName);

describe('static cost of an operation', () => {
  it('charges a search once, and what is selected under it once per item of the page', () => {
    expect(cost('{ searchTracks(query: "x") { source totalCount nodes { title artist duration } } }')).toBe(COST.SEARCH);
    expect(cost('{ searchTracks(query: "x", first: 20) { nodes { cover { small } } } }')).toBe(COST.SEARCH + 20 * COST.COVER);
    // Without `first` the page is the resolver's default of 10.
    expect(cost('{ searchAlbums(query: "x") { edges { node { cover { small } } } } }')).toBe(COST.SEARCH + 10 * COST.COVER);
    expect(cost('query Q($n: Int) { searchTracks(query: "x", first: $n) { nodes { lyrics { text } } } }', { n: 5 })).toBe(
      COST.SEARCH + 5 * COST.LYRICS,
    );
  });

  it('prices every alias and every spread of a fragment', () => {
    const one = cost('{ searchTracks(query: "x") { source } }');
    const aliases = Array.from({ length: 7 }, (_, i) => `a${i}: searchTracks(query: "x${i}") { source }`).join(' ');
    expect(cost(`{ ${aliases} }`)).toBe(7 * one);
    const viaFragments = cost(
      '{ a: track(id: "musicbrainz:recording:1") { ...T } b: track(id: "musicbrainz:recording:2") { ...T } } fragment T on Track { cover { small } lyrics { text } }',
    );
    expect(viaFragments).toBe(2 * (COST.LOOKUP + COST.COVER + COST.LYRICS));
  });

  it('multiplies nested lists: album tracks, credits, charts', () => {
    expect(cost('{ album(id: "musicbrainz:release:1") { tracks { lyrics { text } } } }')).toBe(
      COST.LOOKUP + COST.LOOKUP + ASSUMED_SIZE.ALBUM_TRACKS * COST.LYRICS,
    );
    expect(cost('{ track(id: "musicbrainz:recording:1") { artists { artist { photo { small } } } } }')).toBe(
      COST.LOOKUP + ASSUMED_SIZE.CREDITS * (COST.LOOKUP + COST.ARTIST_PHOTO),
    );
    expect(cost('{ chart(first: 50) { entries { track { cover { small } } } } }')).toBe(COST.CHART + 50 * COST.COVER);
    expect(cost('{ artist(id: "musicbrainz:artist:1") { discography(first: 25) { nodes { cover { small } } } } }')).toBe(
      COST.LOOKUP + COST.BROWSE + 25 * COST.COVER,
    );
  });

  it('never lets a nonsensical `first` lower the price of the rest', () => {
    const rest = cost('{ b: searchTracks(query: "y") { nodes { cover { small } } } }');
    const withNegative = cost('{ a: searchTracks(query: "x", first: -1000) { nodes { cover { small } } } b: searchTracks(query: "y") { nodes { cover { small } } } }');
    expect(withNegative).toBe(rest + COST.SEARCH + 1 * COST.COVER);
    // Over the maximum is priced at the maximum; the resolver refuses it with BAD_USER_INPUT.
    expect(cost('{ searchTracks(query: "x", first: 1000) { nodes { cover { small } } } }')).toBe(COST.SEARCH + 50 * COST.COVER);
    expect(cost('{ chart(first: 1000) { entries { track { cover { small } } } } }')).toBe(COST.CHART + 100 * COST.COVER);
  });

  it('prices an interface at its dearest possible type', () => {
    expect(cost('{ node(id: "musicbrainz:release:1") { id ... on Album { cover { small } } ... on Artist { biography { summary } } } }')).toBe(
      COST.LOOKUP + Math.max(COST.COVER, COST.ARTIST_BIOGRAPHY),
    );
  });

  it('counts only the operation that runs', () => {
    const document = 'query Cheap { viewer { scope } } query Dear { searchTracks(query: "x") { source } }';
    expect(cost(document, {}, 'Cheap')).toBe(0);
    expect(cost(document, {}, 'Dear')).toBe(COST.SEARCH);
  });

  it('makes introspection free', () => {
    expect(cost(getIntrospectionQuery())).toBe(0);
    expect(cost('{ __type(name: "Track") { fields { name type { name } } } }')).toBe(0);
    expect(cost('{ __typename searchTracks(query: "x") { __typename nodes { __typename } } }')).toBe(COST.SEARCH);
  });

  it('throws on variables that do not fit the operation (execution would refuse them too)', () => {
    expect(() => cost('query Q($n: Int!) { searchTracks(query: "x", first: $n) { source } }', {})).toThrow(/\$n/);
  });
});

describe('the price list', () => {
  it('has prices ready for the fields still to come (Track.availability, Query.nodes)', () => {
    const at = (args: Record<string, unknown>, childComplexity: number) => ({ args, childComplexity }) as never;
    expect(PRICE.availability(at({}, COST.COVER))).toBe(COST.AVAILABILITY + ASSUMED_SIZE.AVAILABILITY_MATCHES * COST.COVER);
    expect(PRICE.nodes(at({ ids: ['a', 'b', 'c'] }, COST.COVER))).toBe(3 * (COST.LOOKUP + COST.COVER));
  });

  it('has a price on every root field and every field resolver', () => {
    const storage = getMetadataStorage();
    const unpriced = [
      ...storage.queries.map((handler) => ({ handler, kind: 'Query' })),
      ...storage.mutations.map((handler) => ({ handler, kind: 'Mutation' })),
      ...storage.fieldResolvers.map((handler) => ({ handler, kind: handler.getObjectType?.().name ?? '?' })),
    ]
      .filter(({ handler }) => handler.complexity === undefined)
      .map(({ handler, kind }) => `${kind}.${handler.schemaName}`);
    expect(unpriced, 'give these fields `complexity: PRICE.…` (src/schema/cost.ts says how to price them)').toEqual([]);
  });
});
