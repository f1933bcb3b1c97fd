import type { ApiLanguage } from '../../domain/text.js';

/** What kind of artist a source says it is, as one closed set (MusicBrainz's artist types). */
export const ArtistKind = {
  PERSON: 'PERSON',
  GROUP: 'GROUP',
  ORCHESTRA: 'ORCHESTRA',
  CHOIR: 'CHOIR',
  CHARACTER: 'CHARACTER',
  OTHER: 'OTHER',
} as const;
export type ArtistKind = keyof typeof ArtistKind;

/**
 * The kind behind a source's own word for it. MusicBrainz and ListenBrainz say Person, Group,
 * Orchestra, Choir, Character or Other; Bandcamp tells artists from labels only, so its
 * "artist" says nothing of the kind (null) and a label account is OTHER; Last.fm, Deezer and the
 * rest give no type (null).
 */
export function artistKind(type: string | null | undefined): ArtistKind | null {
  if (!type) return null;
  const word = type.trim().toLowerCase();
  return KINDS[word] ?? (word === 'artist' ? null : 'OTHER');
}

const KINDS: Record<string, ArtistKind> = {
  person: 'PERSON',
  group: 'GROUP',
  orchestra: 'ORCHESTRA',
  choir: 'CHOIR',
  character: 'CHARACTER',
  other: 'OTHER',
  label: 'OTHER',
};

const LABELS: Record<ArtistKind, Record<ApiLanguage, string>> = {
  PERSON: { en: 'Person', es: 'Persona' },
  GROUP: { en: 'Group', es: 'Grupo' },
  ORCHESTRA: { en: 'Orchestra', es: 'Orquesta' },
  CHOIR: { en: 'Choir', es: 'Coro' },
  CHARACTER: { en: 'Character', es: 'Personaje' },
  OTHER: { en: 'Other', es: 'Otro' },
};

export function artistKindLabel(kind: ArtistKind, language: ApiLanguage): string {
  return LABELS[kind][language];
}
