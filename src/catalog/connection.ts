import type { Page } from '../domain/types.js';
import { encodeCursor } from './cursor.js';

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
