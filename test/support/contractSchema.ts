import { extendSchema, isObjectType, parse, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';

/**
 * The schema additions of /work/notes/CONTRACTS.md that the web client already asks for
 * (edition fields, cross-source availability, borrowed playback, downloads through a match).
 * Until the core serves them, the browser tests and the query check add the *missing* ones with
 * empty answers (null, []), so the client's documents validate and run against the real
 * gateway. A field the schema already has is left alone: once main has them all, this adds
 * nothing and the real resolvers answer.
 */
const CONTRACT_FIELDS: readonly { type: string; field: string; sdl: string; resolve: GraphQLFieldResolver<unknown, unknown> }[] = [
  { type: 'Album', field: 'barcode', sdl: 'barcode: String', resolve: () => null },
  { type: 'Album', field: 'country', sdl: 'country: String', resolve: () => null },
  { type: 'Album', field: 'formats', sdl: 'formats: [String!]!', resolve: () => [] },
  { type: 'Track', field: 'isrcs', sdl: 'isrcs: [String!]!', resolve: () => [] },
  { type: 'Track', field: 'availability', sdl: 'availability: [TrackMatch!]!', resolve: () => [] },
  { type: 'Track', field: 'playbackSource', sdl: 'playbackSource: String', resolve: () => null },
  { type: 'DownloadOption', field: 'source', sdl: 'source: String', resolve: () => null },
  { type: 'DownloadOption', field: 'trackId', sdl: 'trackId: ID', resolve: () => null },
];

const CONTRACT_TYPES = `
enum MatchMethod { ISRC LINK METADATA }
type TrackMatch { track: Track!, source: String!, sourceName: String!, confidence: Float!, matchedBy: MatchMethod!, durationDeltaSec: Int }
`;

export interface ContractSchema {
  schema: GraphQLSchema;
  /** `Type.field` of each addition this schema lacked (empty once the core has them all). */
  added: string[];
}

export function withContractFields(schema: GraphQLSchema): ContractSchema {
  const missing = CONTRACT_FIELDS.filter(({ type, field }) => {
    const owner = schema.getType(type);
    return isObjectType(owner) && !owner.getFields()[field];
  });
  if (!missing.length) return { schema, added: [] };
  const byType = new Map<string, string[]>();
  for (const { type, sdl } of missing) byType.set(type, [...(byType.get(type) ?? []), sdl]);
  const types = missing.some(({ field }) => field === 'availability') && !schema.getType('TrackMatch') ? CONTRACT_TYPES : '';
  const extensions = [...byType].map(([type, fields]) => `extend type ${type} {\n  ${fields.join('\n  ')}\n}`).join('\n');
  const extended = extendSchema(schema, parse(`${types}\n${extensions}`));
  for (const { type, field, resolve } of missing) {
    const owner = extended.getType(type);
    if (isObjectType(owner)) owner.getFields()[field]!.resolve = resolve;
  }
  return { schema: extended, added: missing.map(({ type, field }) => `${type}.${field}`) };
}

/**
 * For validating documents only (no resolvers): the admin contract h-panel builds
 * (`Query.checkSource`, `SourceCheck`, `Viewer.readOnly`), added where the schema lacks it.
 */
export function withPanelContract(schema: GraphQLSchema): ContractSchema {
  const added: string[] = [];
  const parts: string[] = [];
  const query = schema.getQueryType();
  if (query && !query.getFields().checkSource) {
    added.push('Query.checkSource');
    if (!schema.getType('SourceCheck')) {
      parts.push('type SourceCheck { sourceId: String!, ok: Boolean!, latencyMs: Int, errorKind: String, message: String, checkedAt: String! }');
    }
    parts.push('extend type Query { checkSource(sourceId: String!): SourceCheck! }');
  }
  const viewer = schema.getType('Viewer');
  if (isObjectType(viewer) && !viewer.getFields().readOnly) {
    added.push('Viewer.readOnly');
    parts.push('extend type Viewer { readOnly: Boolean! }');
  }
  return { schema: parts.length ? extendSchema(schema, parse(parts.join('\n'))) : schema, added };
}
