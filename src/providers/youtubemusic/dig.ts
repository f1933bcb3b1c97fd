/**
 * Safe readers for InnerTube's deeply nested renderer trees. YouTube renames and moves keys
 * without notice, so every read is a path that yields `undefined` instead of throwing when a
 * step is missing or has the wrong shape.
 */

export type PathStep = string | number;

/** Follows `path` through objects and arrays; undefined as soon as a step does not exist. */
export function dig(value: unknown, ...path: PathStep[]): unknown {
  let current: unknown = value;
  for (const step of path) {
    if (current === null || current === undefined) return undefined;
    if (typeof step === 'number') {
      if (!Array.isArray(current)) return undefined;
      current = current[step < 0 ? current.length + step : step];
    } else {
      if (typeof current !== 'object' || Array.isArray(current)) return undefined;
      current = (current as Record<string, unknown>)[step];
    }
  }
  return current;
}

/** The value at `path` when it is a non-empty string. */
export function digString(value: unknown, ...path: PathStep[]): string | undefined {
  const found = dig(value, ...path);
  return typeof found === 'string' && found !== '' ? found : undefined;
}

/** The value at `path` when it is an array; otherwise an empty array. */
export function digArray(value: unknown, ...path: PathStep[]): unknown[] {
  const found = dig(value, ...path);
  return Array.isArray(found) ? found : [];
}

import { isRecord } from '../shared/drift.js';

export { isRecord };

/**
 * InnerTube wraps every item in a one-key object naming its renderer
 * (`{ musicShelfRenderer: {...} }`). Returns the inner object when `item` holds `renderer`.
 */
export function unwrap(item: unknown, renderer: string): Record<string, unknown> | undefined {
  const inner = dig(item, renderer);
  return isRecord(inner) ? inner : undefined;
}

/** Every renderer of the given names found among `items`, in order, as `[name, body]`. */
export function renderersIn(items: unknown[], names: readonly string[]): [string, Record<string, unknown>][] {
  const found: [string, Record<string, unknown>][] = [];
  for (const item of items) {
    for (const name of names) {
      const inner = unwrap(item, name);
      if (inner) found.push([name, inner]);
    }
  }
  return found;
}
