import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { GraphQLError, type ValidationContext, type ValidationRule } from 'graphql';
import { textIn, type ApiLanguage } from '../domain/text.js';

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
export function depthLimit(maxDepth: number, language: ApiLanguage = 'en'): ValidationRule {
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
export function reportRefusal(limit: string, language: ApiLanguage, advice: { en: string; es: (found: string) => string }) {
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
