import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import {
  GraphQLError,
  Kind,
  parse,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { LRUCache } from 'lru-cache';
import { textIn, type ApiLanguage } from '../domain/text.js';

export interface DocumentLimits {
  /** Lexical tokens in the whole document (graphql-js stops parsing past it). */
  maxTokens: number;
  /** Field selections in the document, each fragment counted wherever it is spread. */
  maxSelections: number;
  /** Aliased fields in one operation (`__typename` aliases are free). */
  maxAliases: number;
  /** Nesting of fields in one operation (introspection exempt). */
  maxDepth: number;
}

/**
 * Checks the shape of a GraphQL document before graphql-js validates it, and returns the refusal
 * or null.
 *
 * This has to run before validation, not as one more validation rule: graphql-js (and Apollo,
 * which appends custom rules after `specifiedRules` in the same pass) runs every rule in one
 * traversal, so a limit rule cannot stop OverlappingFieldsCanBeMerged, which compares the
 * fields of a selection set pairwise: quadratic work that graphql-js itself only cuts off at
 * its error cap (3,700 repeated fields: 20–250 ms of event loop on a 2-core machine, then a bare
 * "Validation aborted."). Here only cheap, linear rules run on the parsed document.
 *
 * A document that does not parse (syntax, or more than `maxTokens` tokens) is left to Apollo,
 * which parses with the same `maxTokens` and reports it as GRAPHQL_PARSE_FAILED.
 *
 * The refusal is answered before GraphQL runs, so its message is written in `language` here.
 */
export function checkDocumentLimits(schema: GraphQLSchema, source: string, limits: DocumentLimits, language: ApiLanguage = 'en'): GraphQLError | null {
  let document: DocumentNode;
  try {
    document = parse(source, { maxTokens: limits.maxTokens, noLocation: true });
  } catch {
    return null;
  }
  const errors = validate(schema, document, [
    selectionLimit(limits.maxSelections, language),
    aliasLimit(limits.maxAliases, language),
    depthLimit(limits.maxDepth, language),
  ]);
  return errors[0] ?? null;
}

/** Characters of document text remembered by `documentLimitsChecker` (about 8 MiB of strings). */
const REMEMBERED_CHARS = 4_000_000;
/** A document longer than this is checked each time rather than remembered (rare, and large). */
const LONGEST_REMEMBERED = 20_000;

/**
 * `checkDocumentLimits` for one schema and one set of limits, remembering the verdict per
 * document text and language: clients send the same few documents over and over (with other
 * variables, which the limits do not look at), and parsing plus a validation pass was the
 * largest cost of a cached answer. Bounded by the characters of the documents remembered.
 */
export function documentLimitsChecker(schema: GraphQLSchema, limits: DocumentLimits): (source: string, language?: ApiLanguage) => GraphQLError | null {
  const verdicts = new LRUCache<string, { refusal: GraphQLError | null }>({
    maxSize: REMEMBERED_CHARS,
    sizeCalculation: (_verdict, key) => key.length,
  });
  return (source, language = 'en') => {
    if (source.length > LONGEST_REMEMBERED) return checkDocumentLimits(schema, source, limits, language);
    const key = `${language}\n${source}`;
    const known = verdicts.get(key);
    if (known) return known.refusal;
    const refusal = checkDocumentLimits(schema, source, limits, language);
    verdicts.set(key, { refusal });
    return refusal;
  };
}

/**
 * Counts the fields the operations select, with fragments expanded where they are spread
 * (memoised per fragment, so nested spreads cannot make the count itself expensive), plus the
 * fragments no operation spreads: graphql-js compares their fields too.
 */
function selectionLimit(max: number, language: ApiLanguage): ValidationRule {
  return (context: ValidationContext) => {
    const fragmentSizes = new Map<string, number>();
    const spread = new Set<string>();

    const countIn = (selectionSet: SelectionSetNode, spreading: Set<string>): number => {
      let count = 0;
      for (const selection of selectionSet.selections) {
        if (selection.kind === Kind.FIELD) count += 1 + (selection.selectionSet ? countIn(selection.selectionSet, spreading) : 0);
        else if (selection.kind === Kind.INLINE_FRAGMENT) count += countIn(selection.selectionSet, spreading);
        else count += fragmentSize(selection.name.value, spreading);
        // Past the limit the exact figure does not matter; stop counting.
        if (count > max) return count;
      }
      return count;
    };

    const fragmentSize = (name: string, spreading: Set<string>): number => {
      spread.add(name);
      const known = fragmentSizes.get(name);
      if (known !== undefined) return known;
      const fragment = context.getFragment(name);
      // Unknown and cyclic fragments are graphql-js's to report; they add nothing here.
      if (!fragment || spreading.has(name)) return 0;
      spreading.add(name);
      const size = countIn(fragment.selectionSet, spreading);
      spreading.delete(name);
      fragmentSizes.set(name, size);
      return size;
    };

    return {
      Document(document) {
        let total = 0;
        const operationsFirst = [
          ...document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION),
          ...document.definitions.filter((definition) => definition.kind === Kind.FRAGMENT_DEFINITION),
        ];
        for (const definition of operationsFirst) {
          if (definition.kind === Kind.OPERATION_DEFINITION) total += countIn(definition.selectionSet, new Set());
          else if (definition.kind === Kind.FRAGMENT_DEFINITION && !spread.has(definition.name.value)) total += fragmentSize(definition.name.value, new Set());
          if (total > max) {
            context.reportError(
              new GraphQLError(
                textIn(
                  {
                    en: `The document selects more than ${max} fields (fragments counted where they are spread). Split it into several requests.`,
                    es: `El documento selecciona más de ${max} campos (cada fragmento cuenta allí donde se usa). Divídelo en varias peticiones.`,
                  },
                  language,
                ),
                { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'MAX_QUERY_SELECTIONS' } },
              ),
            );
            return;
          }
        }
        return false;
      },
    };
  };
}

function aliasLimit(max: number, language: ApiLanguage): ValidationRule {
  return maxAliasesRule({
    n: max,
    ...reportRefusal('MAX_QUERY_ALIASES', language, {
      en: 'Each alias runs its field again; split the request.',
      es: (found) => `La operación usa más de ${max} alias${found}. Cada alias vuelve a ejecutar su campo; divide la petición.`,
    }),
  }) as ValidationRule;
}

/**
 * Refuses operations nested deeper than `maxDepth` fields. Every level of a music graph can fan
 * out upstream (album → tracks → album → tracks …), so depth is the cheapest honest bound on the
 * work one request may cause. Fragments count at the depth where they are spread.
 *
 * `__schema` is exempt: the standard introspection query (GraphiQL's Docs panel, codegen) is 15
 * levels deep only through `ofType` chains. Its nesting is bounded instead by graphql-js's own
 * MaxIntrospectionDepthRule (part of the specified rules since graphql 16.9), which refuses the
 * `fields { type { fields … } }` cycles that make introspection expensive.
 */
function depthLimit(maxDepth: number, language: ApiLanguage): ValidationRule {
  return maxDepthRule({
    n: maxDepth,
    ignoreIntrospection: true,
    flattenFragments: true,
    ...reportRefusal('MAX_QUERY_DEPTH', language, {
      en: 'Ask for fewer nested lists per request.',
      es: (found) => `La operación anida más de ${maxDepth} niveles de campos${found}. Pide menos listas anidadas en cada petición.`,
    }),
  }) as ValidationRule;
}

/**
 * How a graphql-armor limit refuses: as a validation error (code GRAPHQL_VALIDATION_FAILED,
 * `limit` naming the limit) in the request's language. graphql-armor throws by default, which
 * escapes graphql-js's validate(); this reports instead. The English text is graphql-armor's own
 * message followed by `advice.en`; the Spanish one gets what graphql-armor found as « (tiene 12)».
 */
function reportRefusal(limit: string, language: ApiLanguage, advice: { en: string; es: (found: string) => string }) {
  return {
    propagateOnRejection: false,
    onReject: [
      (context: ValidationContext | null, error: GraphQLError) => {
        const text = { en: `${error.message.replace(/^Syntax Error: /, '')} ${advice.en}`, es: advice.es(foundIn(error)) };
        context?.reportError(new GraphQLError(textIn(text, language), { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit } }));
      },
    ],
  };
}

/** graphql-armor says how many it found (`… exceeded, found 12.`): « (tiene 12)», or nothing. */
function foundIn(error: Error): string {
  const found = /found (\d+)/.exec(error.message)?.[1];
  return found ? ` (tiene ${found})` : '';
}
