import type { Page } from '../domain/types.js';
import { badInput } from '../errors/api.js';

/** A Relay connection as the schema serves it; `source` is the source that produced the page. */
export interface Connection<T> {
  edges: { node: T; cursor: string }[];
  nodes: T[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number | null;
  source: string;
}

/**
 * A source's page → a connection of `limit` items after the first `skip` ones. A page holds
 * items from `start` (the provider's own cursor); each edge's cursor resumes right after it,
 * and the last one continues at the provider's next page when this page is used up.
 */
export function toConnection<T>(page: Page<T>, source: string, start: string | null, skip: number, limit: number): Connection<T> {
  const items = page.items.slice(skip, skip + limit);
  const hasMoreInPage = page.items.length > skip + limit;
  const cursors = items.map((_, index) => encodeCursor({ source, start, skip: skip + index + 1 }));
  const continuesAtNextPage = !hasMoreInPage && page.nextCursor !== null;
  if (continuesAtNextPage && cursors.length > 0) cursors[cursors.length - 1] = encodeCursor({ source, start: page.nextCursor, skip: 0 });
  return {
    edges: items.map((node, index) => ({ node, cursor: cursors[index]! })),
    nodes: items,
    pageInfo: {
      hasNextPage: hasMoreInPage || page.nextCursor !== null,
      hasPreviousPage: false,
      startCursor: cursors[0] ?? null,
      endCursor: cursors.at(-1) ?? (continuesAtNextPage ? encodeCursor({ source, start: page.nextCursor, skip: 0 }) : null),
    },
    totalCount: page.total,
    source,
  };
}

export function emptyConnection<T>(source: string): Connection<T> {
  return toConnection<T>({ items: [], total: 0, nextCursor: null }, source, null, 0, 0);
}

/**
 * Relay cursors. A connection page comes from one source; its cursors pin that source, so
 * `after` continues where the page left off instead of mixing sources mid-list. `start` is the
 * provider's own cursor for the page the edge came from and `skip` how many of its items to drop,
 * which works the same for offset- and token-paged sources.
 */
interface CursorState {
  source: string;
  start: string | null;
  skip: number;
}

function encodeCursor(state: CursorState): string {
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
