// Procedencia de los datos (`extensions.sources`), discreta y plegada al pie de cada vista.
import { el } from '../shared/dom.js';
import { sourceName } from './access.js';
import { countryName, numbers } from './format.js';
import { FIELD_NAMES, OUTCOME_TEXT } from './texts.js';

/** Los informes iguales (p. ej. una portada por resultado) se agrupan con su número de veces. */
export function provenance(sources) {
  if (!sources || !sources.length) return null;
  const groups = new Map();
  for (const report of sources) {
    const attempts = (report.attempts || []).map((attempt) => `${sourceName(attempt.source)}: ${OUTCOME_TEXT[attempt.outcome] || attempt.outcome}`);
    const answer = report.answeredBy ? sourceName(report.answeredBy) : 'sin respuesta';
    const text = `${fieldName(report.field)} — ${answer}${report.stale ? ' (copia guardada)' : ''}${attempts.length ? ` (${attempts.join('; ')})` : ''}`;
    const group = groups.get(text) || { text, count: 0, ms: [] };
    group.count += 1;
    for (const attempt of report.attempts || []) if (typeof attempt.ms === 'number') group.ms.push(attempt.ms);
    groups.set(text, group);
  }
  const items = [...groups.values()].map((group) => {
    const timing = group.count === 1 && group.ms.length ? `, ${group.ms.map((ms) => `${numbers.format(ms)} ms`).join(' / ')}` : '';
    return el('li', { text: `${group.text}${group.count > 1 ? ` ×${group.count}` : timing}` });
  });
  return el('details', { className: 'provenance' }, el('summary', { text: 'Procedencia de los datos' }), el('ul', null, items));
}

function fieldName(field) {
  if (FIELD_NAMES[field]) return FIELD_NAMES[field];
  const chart = /^chart\((.+)\)$/.exec(field || '');
  if (chart) return chart[1] === 'GLOBAL' ? 'Lista mundial' : `Lista de ${countryName(chart[1])}`;
  return field;
}
