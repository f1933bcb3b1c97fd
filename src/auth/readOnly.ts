import type { ApolloServerPlugin } from '@apollo/server';
import { ApiError } from '../errors/api.js';
import { READ_ONLY_REFUSAL } from './messages.js';
import { isReadOnly, type Principal } from './types.js';

/**
 * Refuses every mutation to a read-only admin key before anything runs, whatever the mutation
 * (keys, statuses, downloads, and any added later): one rule in one place instead of a check
 * each resolver could forget. Resolvers that change keys check again on their own.
 */
export function readOnlyKeysPlugin(): ApolloServerPlugin<{ principal?: Principal }> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, contextValue }) {
          if (operation?.operation === 'mutation' && isReadOnly(contextValue.principal)) {
            throw new ApiError('FORBIDDEN', READ_ONLY_REFUSAL, { http: { status: 403 } });
          }
        },
      };
    },
  };
}
