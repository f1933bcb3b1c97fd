import type { License } from '../../domain/types.js';

/**
 * Turns an item's `licenseurl` into a licence the gateway may redistribute under: Creative
 * Commons licences (any variant, including NonCommercial, which allows a personal download),
 * CC0 and the Public Domain Mark. Anything else — no URL, another host, a rights statement —
 * returns null and the item is not offered for download.
 */
export function freeLicense(url: string | null): License | null {
  if (!url) return null;
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return null;
  }
  if (!['http:', 'https:'].includes(parsed.protocol)) return null;
  if (!['creativecommons.org', 'www.creativecommons.org'].includes(parsed.hostname.toLowerCase())) return null;
  const [kind, code, version] = parsed.pathname.toLowerCase().split('/').filter(Boolean);
  const canonical = url.trim();
  if (kind === 'licenses' && code === 'publicdomain') return { name: 'Public Domain', url: canonical };
  if (kind === 'licenses' && code && /^(by|by-sa|by-nd|by-nc|by-nc-sa|by-nc-nd|sa|nd|nc|nc-sa|nd-nc|sampling|sampling\+|nc-sampling\+)$/.test(code)) {
    return { name: `CC ${code.toUpperCase()}${version && /^\d+(\.\d+)?$/.test(version) ? ` ${version}` : ''}`, url: canonical };
  }
  if (kind === 'publicdomain' && code === 'zero') return { name: `CC0${version ? ` ${version}` : ''}`, url: canonical };
  if (kind === 'publicdomain' && code === 'mark') return { name: `Public Domain Mark${version ? ` ${version}` : ''}`, url: canonical };
  return null;
}
