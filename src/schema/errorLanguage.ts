import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import { textIn, type ApiLanguage } from '../domain/text.js';
import type { LocalizedText } from '../domain/types.js';
import { beforeResponse } from './beforeResponse.js';

/**
 * Apollo's `formatError` runs without the request's context, so it cannot know which language
 * the caller asked for. It hands each error that has a text in both languages to
 * `withLocalizedMessage`, which remembers that text; just before the response is sent,
 * `errorLanguagePlugin` (which has the context) puts the message in the request's language.
 * Errors without a remembered text (graphql-js's parse and validation errors) stay as they are.
 */
const texts = new WeakMap<GraphQLFormattedError, LocalizedText>();

/** The formatted error with its English message, remembering the text in both languages. */
export function withLocalizedMessage(formatted: GraphQLFormattedError, text: LocalizedText): GraphQLFormattedError {
  const result = { ...formatted, message: textIn(text, 'en') };
  texts.set(result, text);
  return result;
}

/** Rewrites remembered error messages into the language of the request (`RequestContext.language`). */
export function errorLanguagePlugin(): ApolloServerPlugin<{ language?: ApiLanguage }> {
  return beforeResponse<{ language?: ApiLanguage }>((result, context) => {
    if (!result.errors?.length) return;
    const language = context?.language ?? 'en';
    result.errors = result.errors.map((error) => {
      const text = texts.get(error);
      return text === undefined ? error : { ...error, message: textIn(text, language) };
    });
  });
}
