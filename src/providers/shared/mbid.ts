/** MusicBrainz identifiers are UUIDs; anything else cannot exist, so it never reaches the network. */
export const MBID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The MBID in canonical (lower case) form, or null when the value is not one. */
export function normaliseMbid(value: string | null | undefined): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return MBID_PATTERN.test(trimmed) ? trimmed.toLowerCase() : null;
}
