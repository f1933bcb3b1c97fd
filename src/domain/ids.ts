/**
 * Global ids are `<source>:<kind>:<nativeId>`. The native id may itself contain colons
 * (SoundCloud URNs, Internet Archive identifiers), so only the first two separators count.
 */
export interface GlobalId {
  source: string;
  kind: string;
  nativeId: string;
}

const SOURCE_OR_KIND = /^[a-z][a-z0-9-]{1,31}$/;
const MAX_ID_LENGTH = 512;

export function formatGlobalId(source: string, kind: string, nativeId: string | number): string {
  return `${source}:${kind}:${nativeId}`;
}

/** Returns null for anything that is not a well-formed global id; callers turn that into BAD_USER_INPUT. */
export function parseGlobalId(value: string): GlobalId | null {
  if (value.length === 0 || value.length > MAX_ID_LENGTH) return null;
  const first = value.indexOf(':');
  const second = first < 0 ? -1 : value.indexOf(':', first + 1);
  if (first < 0 || second < 0) return null;
  const source = value.slice(0, first);
  const kind = value.slice(first + 1, second);
  const nativeId = value.slice(second + 1);
  if (!SOURCE_OR_KIND.test(source) || !SOURCE_OR_KIND.test(kind)) return null;
  if (nativeId.length === 0 || /[\s\u0000-\u001f]/.test(nativeId)) return null;
  return { source, kind, nativeId };
}
