// Búsqueda de canciones, álbumes y artistas, con pestañas (solo las que la clave puede usar),
// «Cargar más» y resultados guardados por dirección para que «atrás» vuelva al instante.
import { $, el } from '../shared/dom.js';
import { can, sourceName } from './access.js';
import { gql, rootOf } from './api.js';
import { editionOf } from './album.js';
import { listItem, moreControls, thumb } from './components.js';
import { handleFailure } from './errors.js';
import { countryName, formatDuration, joinParts, numbers, songs } from './format.js';
import { albumHref, artistHref, searchHref, trackHref } from './links.js';
import { provenance } from './provenance.js';
import { SEARCH_ALBUMS, SEARCH_ARTISTS, SEARCH_TRACKS } from './queries.js';
import { ALBUM_TYPES } from './texts.js';
import { alive, loadingView, mount } from './view.js';

const PAGE_SIZE = 20;

const SEARCH_KINDS = {
  canciones: { label: 'Canciones', field: 'searchTracks', query: SEARCH_TRACKS, item: trackItem, empty: 'canciones' },
  albumes: { label: 'Álbumes', field: 'searchAlbums', query: SEARCH_ALBUMS, item: albumItem, empty: 'álbumes' },
  artistas: { label: 'Artistas', field: 'searchArtists', query: SEARCH_ARTISTS, item: artistItem, empty: 'artistas' },
};

/** Los tipos de búsqueda que responde alguna fuente de la clave, en orden. */
export const searchKinds = () => Object.keys(SEARCH_KINDS).filter((name) => can(SEARCH_KINDS[name].field));

/** Resultados ya cargados por ruta, para que «atrás» los devuelva al instante y en su sitio. */
const searchCache = new Map();
export const clearSearchCache = () => searchCache.clear();

/** Si el usuario cambió de pestaña, la vista nueva le devuelve el foco a las pestañas. */
let focusTabs = false;

export function renderSearch(params, ctx) {
  const { token, navigated } = ctx;
  const kinds = searchKinds();
  const q = (params.get('q') || '').trim();
  const kindName = kinds.includes(params.get('tipo')) ? params.get('tipo') : kinds[0];
  const kind = SEARCH_KINDS[kindName];

  const input = el('input', { id: 'search-q', name: 'q', type: 'search', value: q, placeholder: placeholderFor(kinds), autocomplete: 'off', enterkeyhint: 'search', required: true });
  const form = el(
    'form',
    { className: 'search', role: 'search', 'aria-label': 'Buscar música' },
    el('label', { for: 'search-q', className: 'visually-hidden', text: 'Buscar' }),
    input,
    el('button', { type: 'submit', className: 'button', text: 'Buscar' }),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const value = input.value.trim();
    if (value) location.hash = searchHref(value, kindName);
  });

  const tabs = el('div', { className: 'tabs', role: 'tablist', 'aria-label': 'Tipo de resultado' });
  for (const name of kinds) {
    const selected = name === kindName;
    const tab = el('button', { type: 'button', role: 'tab', className: 'tab', id: `tab-${name}`, 'aria-selected': String(selected), 'aria-controls': 'results', tabindex: selected ? '0' : '-1', text: SEARCH_KINDS[name].label });
    tab.addEventListener('click', () => {
      if (selected) return;
      focusTabs = true;
      location.hash = searchHref(input.value.trim() || q, name);
    });
    tabs.append(tab);
  }
  tabs.addEventListener('keydown', (event) => {
    if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
    const next = kinds[(kinds.indexOf(kindName) + (event.key === 'ArrowRight' ? 1 : kinds.length - 1)) % kinds.length];
    focusTabs = true;
    location.hash = searchHref(input.value.trim() || q, next);
  });

  const results = el('section', { id: 'results', role: 'tabpanel', 'aria-labelledby': `tab-${kindName}`, className: 'results' });
  const heading = el('h1', { className: q ? 'visually-hidden' : null, text: q ? `Resultados de «${q}»` : 'Buscar música' });
  // Con un solo tipo de búsqueda las pestañas no dicen nada.
  mount([heading, form, kinds.length > 1 ? tabs : null, results], q ? `${q} (${kind.label})` : 'Buscar', navigated && Boolean(q) && !focusTabs);
  if (focusTabs) {
    focusTabs = false;
    $(`tab-${kindName}`).focus();
  }
  if (!q) {
    results.append(el('p', { className: 'hint', text: hintFor(kinds) }));
    if (navigated) input.focus();
    return;
  }

  const cacheKey = location.hash;
  const cached = searchCache.get(cacheKey);
  if (cached) {
    drawResults(results, kind, q, cached, token, cacheKey);
    if (typeof ctx.savedScroll === 'number') window.scrollTo(0, ctx.savedScroll);
    return;
  }
  results.append(loadingView('Buscando…'));
  loadSearchPage(kind, q, null)
    .then((page) => {
      if (!alive(token)) return;
      const state = { items: page.nodes, pageInfo: page.pageInfo, source: page.source, totalCount: page.totalCount, sources: page.sources };
      searchCache.set(cacheKey, state);
      drawResults(results, kind, q, state, token, cacheKey);
    })
    .catch((error) => {
      if (!alive(token)) return;
      results.replaceChildren(handleFailure(error, 'No se ha podido buscar.', ctx.retry) || '');
    });
}

function placeholderFor(kinds) {
  const words = { canciones: 'canción', albumes: 'álbum', artistas: 'artista' };
  const parts = kinds.map((name) => words[name]);
  const text = parts.length > 1 ? `${parts.slice(0, -1).join(', ')} o ${parts.at(-1)}` : parts[0];
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function hintFor(kinds) {
  const words = { canciones: 'el título de una canción', albumes: 'el título de un álbum', artistas: 'el nombre de un artista' };
  const parts = kinds.map((name) => words[name]);
  return `Escribe ${parts.length > 1 ? `${parts.slice(0, -1).join(', ')} o ${parts.at(-1)}` : parts[0]}.`;
}

async function loadSearchPage(kind, q, after) {
  const result = await gql(kind.query, { query: q, first: PAGE_SIZE, after });
  const page = rootOf(result, kind.field);
  return { ...page, sources: result.sources };
}

function drawResults(results, kind, q, state, token, cacheKey) {
  const meta = el('p', {
    className: 'meta',
    text: joinParts([`Resultados de ${sourceName(state.source)}`, typeof state.totalCount === 'number' ? `${numbers.format(state.totalCount)} en total` : null]),
  });
  if (!state.items.length) {
    results.replaceChildren(meta, el('p', { className: 'empty', text: `No hay ${kind.empty} para «${q}».` }), provenance(state.sources) || '');
    return;
  }
  const list = el('ol', { className: 'list', 'aria-label': kind.label }, state.items.map(kind.item));
  const { status: moreStatus, more } = moreControls({
    hasNextPage: state.pageInfo.hasNextPage,
    token,
    loading: 'Cargando más resultados…',
    failure: 'No se han podido cargar más resultados.',
    next: async () => {
      const page = await loadSearchPage(kind, q, state.pageInfo.endCursor);
      if (!alive(token)) return null;
      state.items = state.items.concat(page.nodes);
      state.pageInfo = page.pageInfo;
      state.sources = state.sources.concat(page.sources);
      searchCache.set(cacheKey, state);
      list.append(...page.nodes.map(kind.item));
      return page;
    },
  });
  results.replaceChildren(meta, list, moreStatus, more, provenance(state.sources) || '');
}

function trackItem(track) {
  return listItem({ href: trackHref(track.id), image: thumb(track.cover, ''), title: track.title, subtitle: joinParts([track.artist, track.albumTitle]), aside: formatDuration(track.duration) });
}

function albumItem(album) {
  const kind = album.type && album.type !== 'ALBUM' ? ALBUM_TYPES[album.type] : null;
  const count = typeof album.trackCount === 'number' && album.trackCount > 0 ? songs(album.trackCount) : null;
  return listItem({ href: albumHref(album.id), image: thumb(album.cover, ''), title: album.title, subtitle: joinParts([album.artist, album.year, kind, count]), detail: editionOf(album) });
}

function artistItem(artist) {
  const detail = joinParts([artist.disambiguation, countryName(artist.country), (artist.genres || []).slice(0, 3).join(', ')]);
  return listItem({ href: artistHref(artist.id), image: el('span', { className: 'thumb thumb--round', 'aria-hidden': 'true' }), title: artist.name, subtitle: detail });
}
