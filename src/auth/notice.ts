import type { IssuedKey } from './issue.js';
import { ADMIN_SCOPE } from './types.js';

/**
 * The text the server prints (to stdout, never to the log) on the start that created keys.
 * It is the only time these keys are shown.
 */
export function formatIssuedKeysNotice(issued: readonly IssuedKey[], names: ReadonlyMap<string, string> = new Map()): string {
  if (issued.length === 0) return '';
  const rule = '='.repeat(78);
  const rows = issued.map(({ key, apiKey }) => {
    const who = apiKey.scope === ADMIN_SCOPE ? 'ADMIN (todas las fuentes / all sources)' : (names.get(apiKey.scope) ?? apiKey.scope);
    return `  ${who}\n    id: ${apiKey.id}\n    ${key}`;
  });
  return [
    rule,
    ' CLAVES DE API NUEVAS — se muestran UNA SOLA VEZ. Guárdalas ahora en un lugar seguro.',
    ' Solo se almacena su hash SHA-256: no se pueden recuperar, solo reemitir',
    ' (npm run keys -- rotate <fuente>).',
    ' NEW API KEYS — shown ONCE. Store them safely now; only their SHA-256 hash is kept.',
    ' They cannot be recovered, only re-issued (npm run keys -- rotate <source>).',
    rule,
    ...rows,
    rule,
    '',
  ].join('\n');
}
