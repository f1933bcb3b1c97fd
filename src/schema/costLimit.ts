import type { ApolloServerPlugin } from '@apollo/server';
import { ApiError } from '../errors/api.js';
import { operationCost } from './cost.js';

/**
 * Prices the operation once it is parsed, validated and chosen, before anything executes, and
 * refuses it when it costs more than `maxCost` (prices in cost.ts). The refusal is a request
 * error, like a validation error: no `data`, HTTP 400 (GraphQL over HTTP requires a 4xx when
 * there is no `data` for `application/graphql-response+json`, and Apollo answers its own
 * validation errors with 400 for `application/json` too).
 */
export function costLimitPlugin<TContext extends object>(maxCost: number): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, operation, schema }) {
          let cost: number;
          try {
            cost = operationCost(schema, document, request.variables, operation?.name?.value ?? request.operationName ?? undefined);
          } catch (error) {
            // Variables that do not fit the operation: graphql-js would refuse them at execution.
            const detail = (error as Error).message;
            throw new ApiError('BAD_USER_INPUT', { en: detail, es: `Las variables no encajan con la operación: ${detail}` }, { http: { status: 400 } });
          }
          if (cost > maxCost) {
            throw new ApiError(
              'QUERY_TOO_COMPLEX',
              {
                en:
                  `This request would cost ${cost}, over the limit of ${maxCost} (about one unit per call to a music source). ` +
                  'Ask for fewer items (`first`), fewer aliases, or fewer fields that reach other sources (cover, lyrics, biography, album, …).',
                es:
                  `La petición costaría ${cost}, por encima del límite de ${maxCost} (más o menos una unidad por cada llamada a una fuente de música). ` +
                  'Pide menos elementos (`first`), menos alias o menos campos que consulten otras fuentes (cover, lyrics, biography, album, …).',
              },
              { cost, maxCost, http: { status: 400 } },
            );
          }
        },
      };
    },
  };
}
