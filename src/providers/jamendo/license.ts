import type { License } from '../../domain/types.js';
import { text } from '../shared/parse.js';

/**
 * A readable licence from a Creative Commons deed URL, as Jamendo gives it in `license_ccurl`:
 * `http://creativecommons.org/licenses/by-nc-sa/3.0/` → "CC BY-NC-SA 3.0",
 * `…/licenses/by-nc-sa/2.0/fr/` → "CC BY-NC-SA 2.0 FR", `…/publicdomain/zero/1.0/` → "CC0 1.0".
 * A URL that is not a CC deed keeps the URL as its name; no URL gives null.
 */
export function licenseFromCcUrl(value: unknown): License | null {
  const url = text(value);
  if (!url) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (!/(^|\.)creativecommons\.org$/i.test(parsed.hostname)) return { name: url, url };
  const parts = parsed.pathname.split('/').filter(Boolean);
  const [family, kind, version, jurisdiction] = parts;
  if (family === 'licenses' && kind && /^[a-z-]+$/i.test(kind)) {
    const name = ['CC', kind.toUpperCase(), version, jurisdiction?.toUpperCase()].filter(Boolean).join(' ');
    return { name, url };
  }
  if (family === 'publicdomain' && kind === 'zero') return { name: ['CC0', version].filter(Boolean).join(' '), url };
  if (family === 'publicdomain' && kind === 'mark') return { name: ['Public Domain Mark', version].filter(Boolean).join(' '), url };
  return { name: url, url };
}
