// Rutas (#/…): cada dirección es una vista, y la navegación solo ofrece las secciones que la
// clave puede usar.
import { el } from '../shared/dom.js';
import { accessLoaded, can, loadAccess } from './access.js';
import { renderAlbum } from './album.js';
import { renderArtist } from './artist.js';
import { renderChart } from './charts.js';
import { handleFailure } from './errors.js';
import { renderLyricsSearch } from './lyrics.js';
import { renderSearch, searchKinds } from './search.js';
import { renderKeyView, showApp, showLogin } from './session.js';
import { keyStore } from './storage.js';
import { renderTrack } from './track.js';
import { alive, cancelWork, currentToken, loadingView, mount } from './view.js';

/** Secciones de la barra de navegación y si la clave las puede usar. */
const SECTIONS = [
  { name: 'buscar', label: 'Buscar', what: 'búsquedas', offered: () => searchKinds().length > 0 },
  { name: 'listas', label: 'Listas', what: 'listas de éxitos', offered: () => can('chart') },
  { name: 'letras', label: 'Letras', what: 'letras', offered: () => can('lyrics') },
];

const offeredSections = () => SECTIONS.filter((section) => section.offered());

export function homeHash() {
  const first = offeredSections()[0];
  return first ? `#/${first.name}` : '#/clave';
}

function parseRoute() {
  const raw = location.hash.replace(/^#\/?/, '');
  const at = raw.indexOf('?');
  const pathPart = at === -1 ? raw : raw.slice(0, at);
  const params = new URLSearchParams(at === -1 ? '' : raw.slice(at + 1));
  const [name, ...rest] = pathPart.split('/');
  let arg = null;
  if (rest.length && rest.join('/')) {
    try {
      arg = decodeURIComponent(rest.join('/'));
    } catch {
      arg = null;
    }
  }
  return { name, arg, params };
}

const scrollPositions = new Map();
let currentHash = location.hash;

export function onHashChange() {
  scrollPositions.set(currentHash, window.scrollY);
  currentHash = location.hash;
  route({ navigated: true });
}

export function startRouting() {
  if ('scrollRestoration' in history) history.scrollRestoration = 'manual';
  window.addEventListener('hashchange', onHashChange);
  currentHash = location.hash;
  route();
}

export async function route(options) {
  if (!keyStore.get()) {
    showLogin('');
    return;
  }
  showApp();
  cancelWork();
  const token = currentToken();
  const navigated = Boolean(options && options.navigated);
  if (!accessLoaded()) {
    mount([loadingView('Comprobando la clave…')], 'Música', false);
    try {
      await loadAccess();
    } catch (error) {
      if (!alive(token)) return;
      mount([el('h1', { text: 'Música' }), handleFailure(error, 'No se ha podido comprobar la clave.', () => route(options))], 'Música', navigated);
      return;
    }
    if (!alive(token)) return;
  }

  const { name, arg, params } = parseRoute();
  updateNav(name);
  const ctx = { token, navigated, retry: () => route(options), savedScroll: scrollPositions.get(location.hash) };
  const section = SECTIONS.find((entry) => entry.name === name);
  if (!name || (!section && !['cancion', 'album', 'artista', 'clave'].includes(name))) return location.replace(homeHash());
  if (section && !section.offered()) {
    // `#/buscar` a secas es la portada por defecto: una clave sin búsqueda va a su primera sección.
    if (name === 'buscar' && !params.get('q')) return location.replace(homeHash());
    return notOffered(section, ctx);
  }
  switch (name) {
    case 'buscar':
      return renderSearch(params, ctx);
    case 'listas':
      return renderChart(arg, ctx);
    case 'letras':
      return renderLyricsSearch(params, ctx);
    case 'cancion':
      return arg ? renderTrack(arg, ctx) : location.replace(homeHash());
    case 'album':
      return arg ? renderAlbum(arg, ctx) : location.replace(homeHash());
    case 'artista':
      return arg ? renderArtist(arg, ctx) : location.replace(homeHash());
    case 'clave':
      return renderKeyView(ctx, offeredSections().map((entry) => [`#/${entry.name}`, entry.label]));
  }
}

function updateNav(name) {
  const offered = new Set(offeredSections().map((section) => section.name));
  for (const link of document.querySelectorAll('#nav a[data-section]')) {
    const section = link.dataset.section;
    link.hidden = !offered.has(section);
    if (section === name) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

/** Una sección que ninguna fuente de la clave responde: se dice, en vez de dejar fallar la API. */
function notOffered(section, ctx) {
  const others = offeredSections();
  mount(
    [
      el('h1', { text: section.label }),
      el('p', { className: 'notice', role: 'status', text: `Tu clave no da acceso a esta sección: ninguna de sus fuentes ofrece ${section.what}.` }),
      el('p', null, el('a', { href: others.length ? `#/${others[0].name}` : '#/clave', text: others.length ? `Ir a ${others[0].label}` : 'Qué permite tu clave' })),
    ],
    section.label,
    ctx.navigated,
  );
}
