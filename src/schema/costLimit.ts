import type { ApolloServerPlugin } from '@apollo/server';
import type { DocumentNode } from 'graphql';
import { LRUCache } from 'lru-cache';
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
  const priced = new PriceMemo();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, operation, schema }) {
          let cost: number;
          try {
            const operationName = operation?.name?.value ?? request.operationName ?? undefined;
            cost = priced.get(document, operationName, request.variables, () => operationCost(schema, document, request.variables, operationName));
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

/** Price entries kept per document (one per distinct operation name and variables). */
const PRICES_PER_DOCUMENT = 32;
/** Variables longer than this as JSON are priced each time rather than remembered. */
const LONGEST_VARIABLES = 2_000;

/**
 * Remembers the price of an operation. Apollo hands every request with the same document text
 * the same parsed DocumentNode (its document cache), so prices hang off that object and leave
 * with it; the price also depends on the variables (`first: $n`) and the operation chosen, which
 * key the entries under each document. Only successful pricings are remembered.
 */
class PriceMemo {
  private readonly byDocument = new WeakMap<DocumentNode, LRUCache<string, number>>();

  get(document: DocumentNode, operationName: string | undefined, variables: Record<string, unknown> | undefined, price: () => number): number {
    const variablesKey = variables === undefined ? '' : JSON.stringify(variables);
    if (variablesKey.length > LONGEST_VARIABLES) return price();
    const key = `${operationName ?? ''}\n${variablesKey}`;
    let prices = this.byDocument.get(document);
    const known = prices?.get(key);
    if (known !== undefined) return known;
    const cost = price();
    if (!prices) {
      prices = new LRUCache<string, number>({ max: PRICES_PER_DOCUMENT });
      this.byDocument.set(document, prices);
    }
    prices.set(key, cost);
    return cost;
  }
}
