import { GraphQLError } from 'graphql';
import { textIn } from '../domain/text.js';
import type { LocalizedText } from '../domain/types.js';

/** Public error codes the API returns in `extensions.code` (besides Apollo's own). */
export type ApiErrorCode =
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'SOURCES_UNAVAILABLE'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'SOURCE_INACTIVE'
  | 'DOWNLOAD_UNAVAILABLE'
  | 'QUERY_TOO_COMPLEX'
  | 'BUDGET_EXCEEDED'
  | 'DEADLINE_EXCEEDED'
  | 'INTERNAL_SERVER_ERROR';

/**
 * A message in the API's two languages. English is the default; Spanish is sent when the request
 * asks for it (`Accept-Language: es`). A plain string is the same text for both.
 */
export type Text = LocalizedText;

export { textIn } from '../domain/text.js';

/** Errors the API reports to clients; resolvers and the catalog throw these, providers never do. */
export class ApiError extends GraphQLError {
  /** The message in both languages; `message` holds the English one. */
  readonly text: Text;

  constructor(code: ApiErrorCode, text: Text, extra: Record<string, unknown> = {}) {
    super(textIn(text, 'en'), { extensions: { code, ...extra } });
    this.text = text;
  }

  get code(): ApiErrorCode {
    return this.extensions.code as ApiErrorCode;
  }
}

export function badInput(text: Text, field?: string): ApiError {
  return new ApiError('BAD_USER_INPUT', text, field ? { field } : {});
}
