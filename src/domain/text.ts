import type { LocalizedText } from './types.js';

/** The API's two languages: Spanish when the request asks for it, English otherwise. */
export type ApiLanguage = 'en' | 'es';

export function textIn(text: LocalizedText, language: ApiLanguage): string {
  if (typeof text === 'string') return text;
  return language === 'es' ? text.es : text.en;
}

/** A text in both languages. */
export function bilingual(en: string, es: string): LocalizedText {
  return { en, es };
}

/** A text written once per language, for messages that embed other localized parts or plurals. */
export function localized(write: (language: ApiLanguage) => string): { en: string; es: string } {
  return { en: write('en'), es: write('es') };
}
