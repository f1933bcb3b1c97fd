import type { License, LocalizedText } from '../../domain/types.js';

/**
 * What `License.name` says in each language. The rule: generic phrases are translated ("All
 * rights reserved", "Public Domain"); proper names stay as they are ("CC BY-NC-SA 3.0", "CC0
 * 1.0" are the licences' own short names in every language), except the spelled-out Creative
 * Commons names, whose elements have official Spanish names (Atribución, NoComercial, …, as the
 * Spanish deeds on creativecommons.org write them). A name not recognised here stays as the
 * source wrote it.
 */
export function licenseName(license: License): LocalizedText {
  const name = license.name.trim();
  const phrase = GENERIC_PHRASES[name.toLowerCase()];
  if (phrase) return phrase;
  const mark = /^public domain mark(\s+\d+(?:\.\d+)?)?$/i.exec(name);
  if (mark) return { en: name, es: `Marca de Dominio Público${mark[1] ?? ''}` };
  const spelled = /^Creative Commons ((?:Attribution|NonCommercial|ShareAlike|NoDerivs|NoDerivatives)(?:-(?:Attribution|NonCommercial|ShareAlike|NoDerivs|NoDerivatives))*)(.*)$/.exec(name);
  if (spelled) {
    const elements = spelled[1]!.split('-').map((element) => CC_ELEMENTS_ES[element] ?? element);
    return { en: name, es: `Creative Commons ${elements.join('-')}${spelled[2]}` };
  }
  return name;
}

const GENERIC_PHRASES: Record<string, { en: string; es: string }> = {
  'all rights reserved': { en: 'All rights reserved', es: 'Todos los derechos reservados' },
  'public domain': { en: 'Public Domain', es: 'Dominio público' },
  'no rights reserved (cc0)': { en: 'No rights reserved (CC0)', es: 'Sin derechos reservados (CC0)' },
};

const CC_ELEMENTS_ES: Record<string, string> = {
  Attribution: 'Atribución',
  NonCommercial: 'NoComercial',
  ShareAlike: 'CompartirIgual',
  NoDerivs: 'SinDerivadas',
  NoDerivatives: 'SinDerivadas',
};

/**
 * A stable identifier for programs, the same in every language (the name is for people):
 * SPDX-style for Creative Commons (`CC-BY-NC-SA-3.0`, `CC-BY-SA-2.0-FR`, `CC0-1.0`; a licence
 * family without version, as SoundCloud names them, is `CC-BY-NC`), `PDM-1.0` for the Public
 * Domain Mark, `PUBLIC-DOMAIN`, `ALL-RIGHTS-RESERVED`; null for anything else.
 */
export function licenseCode(license: License): string | null {
  const fromUrl = license.url ? creativeCommonsCode(license.url) : null;
  if (fromUrl) return fromUrl;
  const name = license.name.trim().toLowerCase();
  if (name === 'all rights reserved') return 'ALL-RIGHTS-RESERVED';
  if (name === 'public domain') return 'PUBLIC-DOMAIN';
  return null;
}

function creativeCommonsCode(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (!/(^|\.)creativecommons\.org$/i.test(parsed.hostname)) return null;
  const [family, kind, version, jurisdiction] = parsed.pathname.toLowerCase().split('/').filter(Boolean);
  const suffix = [version && /^\d+(\.\d+)?$/.test(version) ? version : null, jurisdiction && /^[a-z]{2}$/.test(jurisdiction) ? jurisdiction.toUpperCase() : null]
    .filter(Boolean)
    .map((part) => `-${part}`)
    .join('');
  if (family === 'licenses' && kind === 'publicdomain') return 'PUBLIC-DOMAIN';
  if (family === 'licenses' && kind && /^[a-z+]+(-[a-z+]+)*$/.test(kind)) return `CC-${kind.toUpperCase()}${suffix}`;
  if (family === 'publicdomain' && kind === 'zero') return `CC0${suffix}`;
  if (family === 'publicdomain' && kind === 'mark') return `PDM${suffix}`;
  return null;
}
