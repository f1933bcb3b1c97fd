// Listas de éxitos por país o mundial; el país elegido se recuerda en el dispositivo.
import { el } from '../shared/dom.js';
import { sourceName } from './access.js';
import { gql, rootOf } from './api.js';
import { listItem, thumb } from './components.js';
import { handleFailure } from './errors.js';
import { countryName, dateTimes, formatDuration, joinParts } from './format.js';
import { chartHref, trackHref } from './links.js';
import { provenance } from './provenance.js';
import { CHART } from './queries.js';
import { read, write } from './storage.js';
import { COUNTRIES } from './texts.js';
import { alive, loadingView, mount } from './view.js';

const CHART_SIZE = 50;
const CHART_COUNTRY_NAME = 'musica.chartCountry';

export function renderChart(arg, ctx) {
  const { token, navigated } = ctx;
  const requested = (arg || '').trim();
  const code = /^mundial$/i.test(requested) ? 'mundial' : /^[a-z]{2}$/i.test(requested) ? requested.toUpperCase() : null;
  if (!code) {
    location.replace(chartHref(read(localStorage, CHART_COUNTRY_NAME) || 'ES'));
    return;
  }
  write(localStorage, CHART_COUNTRY_NAME, code);
  const label = (COUNTRIES.find(([value]) => value === code) || [code, countryName(code)])[1];

  const select = el('select', { id: 'chart-country', name: 'country' });
  const known = COUNTRIES.some(([value]) => value === code);
  for (const [value, name] of known ? COUNTRIES : COUNTRIES.concat([[code, label]])) {
    select.append(el('option', { value, selected: value === code, text: name }));
  }
  select.addEventListener('change', () => {
    location.hash = chartHref(select.value);
  });
  const picker = el('div', { className: 'picker' }, el('label', { for: 'chart-country', text: 'País' }), select);
  const body = el('section', { className: 'results', 'aria-live': 'polite' }, loadingView('Cargando la lista…'));
  const heading = el('h1', { text: code === 'mundial' ? 'Lo más escuchado en el mundo' : `Lo más escuchado en ${label}` });
  mount([heading, picker, body], `Listas · ${label}`, navigated);

  gql(CHART, { country: code === 'mundial' ? null : code, first: CHART_SIZE })
    .then((result) => {
      if (!alive(token)) return;
      const chart = rootOf(result, 'chart');
      const parts = [];
      parts.push(el('p', { className: 'meta', text: joinParts([chart.title, `Fuente: ${sourceName(chart.source)}`, chart.fetchedAt ? `consultada ${dateTimes.format(new Date(chart.fetchedAt))}` : null]) }));
      const asked = code === 'mundial' ? 'GLOBAL' : code;
      if (chart.scope && chart.scope !== asked) {
        const shown = chart.scope === 'GLOBAL' ? 'la mundial' : `la de ${countryName(chart.scope)}`;
        parts.push(el('p', { className: 'notice', text: `${sourceName(chart.source)} no tiene lista ${code === 'mundial' ? 'mundial' : `de ${label}`}; se muestra ${shown}.` }));
      }
      if (!chart.entries.length) parts.push(el('p', { className: 'empty', text: 'La lista está vacía.' }));
      else {
        parts.push(
          el(
            'ol',
            { className: 'list list--chart', 'aria-label': heading.textContent },
            chart.entries.map((entry) =>
              listItem({ href: trackHref(entry.track.id), image: thumb(entry.track.cover, ''), title: entry.track.title, subtitle: entry.track.artist, aside: formatDuration(entry.track.duration), leading: String(entry.position) }),
            ),
          ),
        );
      }
      parts.push(provenance(result.sources));
      body.replaceChildren(...parts.filter(Boolean));
    })
    .catch((error) => {
      if (!alive(token)) return;
      body.replaceChildren(handleFailure(error, 'No se ha podido cargar la lista.', ctx.retry) || '');
    });
}
