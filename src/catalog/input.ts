import { badInput } from '../errors/api.js';
import { parseGlobalId, type GlobalId } from '../domain/ids.js';

export const DEFAULT_PAGE_SIZE = 10;
export const MAX_PAGE_SIZE = 50;

/** Trims, folds whitespace and refuses empty or oversized search text before anything goes upstream. */
export function searchText(value: string, maxLength: number, field = 'query'): string {
  // eslint-disable-next-line no-control-regex
  const cleaned = value.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
  if (cleaned.length === 0) throw badInput({ en: `"${field}" must not be empty.`, es: `«${field}» no puede estar vacío.` }, field);
  if (cleaned.length > maxLength) {
    throw badInput(
      {
        en: `"${field}" is ${cleaned.length} characters long; the limit is ${maxLength}.`,
        es: `«${field}» tiene ${cleaned.length} caracteres; el máximo es ${maxLength}.`,
      },
      field,
    );
  }
  return cleaned;
}

export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw badInput({ en: `"first" must be between 1 and ${MAX_PAGE_SIZE} (got ${first}).`, es: `«first» debe estar entre 1 y ${MAX_PAGE_SIZE} (se recibió ${first}).` }, 'first');
  }
  return first;
}

export function globalId(value: string, field = 'id'): GlobalId {
  const parsed = parseGlobalId(value);
  if (!parsed) {
    throw badInput(
      {
        en: `"${field}" is not a valid id: expected <source>:<kind>:<id>, like musicbrainz:recording:<mbid>.`,
        es: `«${field}» no es un id válido: tiene la forma <fuente>:<tipo>:<id>, como musicbrainz:recording:<mbid>.`,
      },
      field,
    );
  }
  return parsed;
}

/** ISO 3166-1 alpha-2, any case; `GLOBAL`/empty/null for the worldwide chart. */
export function countryCode(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const upper = value.trim().toUpperCase();
  if (upper === '' || upper === 'GLOBAL') return null;
  if (!/^[A-Z]{2}$/.test(upper)) {
    throw badInput(
      {
        en: `"country" must be an ISO 3166-1 alpha-2 code like ES or MX (got "${value}").`,
        es: `«country» debe ser un código de país ISO 3166-1 alfa-2, como ES o MX (se recibió «${value}»).`,
      },
      'country',
    );
  }
  return upper;
}

/** Language tags from a `lang` argument: `es`, `pt-BR`; falls back to the configured defaults. */
export function languages(lang: string | null | undefined, defaults: readonly string[]): string[] {
  if (!lang) return [...defaults];
  const tag = lang.trim();
  if (!/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})?$/.test(tag)) {
    throw badInput({ en: `"lang" must be a language code like es or en (got "${lang}").`, es: `«lang» debe ser un código de idioma, como es o en (se recibió «${lang}»).` }, 'lang');
  }
  const primary = tag.slice(0, 2).toLowerCase();
  return [primary, ...defaults.filter((l) => l !== primary)];
}

export function durationSeconds(value: number | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  if (!Number.isInteger(value) || value < 1 || value > 24 * 3600) {
    throw badInput({ en: '"duration" must be a number of seconds between 1 and 86400.', es: '«duration» debe ser un número de segundos entre 1 y 86400.' }, 'duration');
  }
  return value;
}

/**
 * An ISRC as sources store it: `CC-XXX-YY-NNNNN` with or without hyphens or spaces, any case →
 * 12 upper-case characters (country, registrant, year, designation).
 */
export function isrcCode(value: string, field = 'isrc'): string {
  const compact = value.replace(/[\s-]/g, '').toUpperCase();
  if (!/^[A-Z]{2}[A-Z0-9]{3}\d{7}$/.test(compact)) {
    throw badInput(
      {
        en: `"${field}" must be an ISRC: 12 characters, 2 letters for the country, 3 letters or digits for the registrant, then 7 digits (e.g. USUM71703861).`,
        es: `«${field}» debe ser un ISRC: 12 caracteres, 2 letras de país, 3 letras o cifras del registrante y 7 cifras (p. ej. USUM71703861).`,
      },
      field,
    );
  }
  return compact;
}

/** A UPC-A / EAN-8 / EAN-13 / GTIN-14 barcode with a valid check digit → its digits. */
export function barcodeCode(value: string, field = 'barcode'): string {
  const digits = value.replace(/[\s-]/g, '');
  if (!/^(\d{8}|\d{12,14})$/.test(digits) || !checkDigitValid(digits)) {
    throw badInput(
      {
        en: `"${field}" must be a UPC or EAN barcode: 8, 12, 13 or 14 digits with a valid check digit.`,
        es: `«${field}» debe ser un código de barras UPC o EAN: 8, 12, 13 o 14 cifras con el dígito de control correcto.`,
      },
      field,
    );
  }
  return digits;
}

/** GS1 check digit: weights 3 and 1 alternate from the right, the check digit makes the sum a multiple of 10. */
function checkDigitValid(digits: string): boolean {
  let sum = 0;
  for (let i = digits.length - 2, weight = 3; i >= 0; i -= 1, weight = weight === 3 ? 1 : 3) sum += Number(digits[i]) * weight;
  return (10 - (sum % 10)) % 10 === Number(digits.at(-1));
}

/** An absolute http(s) URL a caller gives to be parsed (never fetched). */
export function linkUrl(value: string, field = 'url'): URL {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw badInput({ en: `"${field}" is not a URL.`, es: `«${field}» no es una URL.` }, field);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw badInput({ en: `"${field}" must be an http or https link.`, es: `«${field}» debe ser un enlace http o https.` }, field);
  }
  return url;
}
