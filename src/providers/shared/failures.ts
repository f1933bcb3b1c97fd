import { SourceError, isSourceErrorOf } from '../../errors/source.js';

/** The value of a lookup, or null when the source says it has no such thing. */
export async function orNull<T>(lookup: Promise<T>): Promise<T | null> {
  try {
    return await lookup;
  } catch (error) {
    if (isSourceErrorOf(error, 'NOT_FOUND')) return null;
    throw error;
  }
}

/** Shorthands for the failures a source raises itself (as opposed to those of its HTTP calls). */
export function failuresOf(source: string) {
  return {
    notFound: (message: string) => new SourceError(source, 'NOT_FOUND', message),
    badResponse: (message: string) => new SourceError(source, 'BAD_RESPONSE', message),
    /** The caller's input (a cursor, a parameter) cannot be used with this source; nothing was sent. */
    badInput: (message: string) => new SourceError(source, 'BAD_INPUT', message),
  };
}
