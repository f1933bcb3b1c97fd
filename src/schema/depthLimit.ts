import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { GraphQLError, type ValidationRule } from 'graphql';

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
export function depthLimit(maxDepth: number): ValidationRule {
  return maxDepthRule({
    n: maxDepth,
    ignoreIntrospection: true,
    flattenFragments: true,
    // graphql-armor throws by default, which escapes graphql-js's validate(); report instead.
    propagateOnRejection: false,
    onReject: [
      (context, error) => {
        context?.reportError(
          new GraphQLError(`${error.message.replace(/^Syntax Error: /, '')} Ask for fewer nested lists per request.`, {
            extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'MAX_QUERY_DEPTH' },
          }),
        );
      },
    ],
  }) as ValidationRule;
}
