import { badInput } from '../errors/api.js';

/**
 * Relay cursors. A connection page comes from one source; its cursors pin that source, so
 * `after` continues where the page left off instead of mixing sources mid-list. `start` is the
 * provider's own cursor for the page the edge came from and `skip` how many of its items to drop,
 * which works the same for offset- and token-paged sources.
 */
export interface CursorState {
  source: string;
  start: string | null;
  skip: number;
}

export function encodeCursor(state: CursorState): string {
  return Buffer.from(JSON.stringify([state.source, state.start, state.skip]), 'utf8').toString('base64url');
}

export function decodeCursor(value: string): CursorState {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 3 &&
      typeof parsed[0] === 'string' &&
      (parsed[1] === null || typeof parsed[1] === 'string') &&
      Number.isInteger(parsed[2]) &&
      parsed[2] >= 0 &&
      parsed[2] <= 1000
    ) {
      return { source: parsed[0], start: parsed[1], skip: parsed[2] };
    }
  } catch {
    // fall through to the error below
  }
  throw badInput({ en: '"after" is not a cursor returned by this API.', es: '«after» no es un cursor devuelto por esta API.' }, 'after');
}
