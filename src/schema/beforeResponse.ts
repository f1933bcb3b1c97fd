import type { ApolloServerPlugin, BaseContext, HeaderMap } from '@apollo/server';
import type { FormattedExecutionResult } from 'graphql';

/**
 * A plugin that edits each response's result just before it is sent, with the request's
 * context at hand. Only single results are edited: an incremental (@defer) response has no
 * one result to change.
 */
export function beforeResponse<C extends BaseContext>(
  edit: (result: FormattedExecutionResult, context: C, headers: HeaderMap) => void,
): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind === 'single') edit(response.body.singleResult, contextValue, response.http.headers);
        },
      };
    },
  };
}
