// Lo que la clave puede usar. Al entrar se pregunta al servidor por la clave (`viewer`) y por sus
// fuentes (`sources`: nombre y endpoints); la aplicación ofrece solo lo que esas fuentes
// responden. Una clave de Cover Art Archive no ve buscador; una de MusicBrainz, no ve listas.
import { gql, rootOf } from './api.js';
import { SOURCES, VIEWER } from './queries.js';

let viewer = null;
/** Endpoints de las fuentes activas de la clave; `null` si el servidor no los dio (se ofrece todo). */
let endpoints = null;
/** Fuentes de la clave que ahora no responden (desactivadas o sin configurar), con su nombre. */
let idle = [];
const names = new Map();

export async function loadAccess() {
  const [viewerResult, sourcesResult] = await Promise.allSettled([gql(VIEWER), gql(SOURCES)]);
  if (viewerResult.status === 'rejected') throw viewerResult.reason;
  viewer = rootOf(viewerResult.value, 'viewer');
  const sources = sourcesResult.status === 'fulfilled' && sourcesResult.value.data ? sourcesResult.value.data.sources : null;
  names.clear();
  idle = [];
  if (!Array.isArray(sources)) {
    endpoints = null;
    return viewer;
  }
  endpoints = new Set();
  for (const source of sources) {
    names.set(source.id, source.name);
    if (!viewer.allowedSources.includes(source.id)) continue;
    if (source.status !== 'ACTIVE' || !source.configured) {
      idle.push(source);
      continue;
    }
    for (const endpoint of source.endpoints) endpoints.add(endpoint);
  }
  return viewer;
}

export function clearAccess() {
  viewer = null;
  endpoints = null;
  idle = [];
  names.clear();
}

export const accessLoaded = () => viewer !== null;

/** ¿Alguna fuente de la clave responde a este endpoint (`searchTracks`, `chart`, `Artist.biography`…)? */
export function can(endpoint) {
  return endpoints === null || endpoints.has(endpoint);
}

/** Nombre de una fuente según el servidor; su id si el servidor no lo ha dicho. */
export function sourceName(id) {
  return names.get(id) || id || '';
}

/** Los nombres que llegan con los datos (p. ej. `TrackMatch.sourceName`) también valen. */
export function learnSourceName(id, name) {
  if (id && name && !names.has(id)) names.set(id, name);
}

/** Resumen de la clave para explicar por qué no hay nada que ofrecer. */
export function keySummary() {
  return {
    admin: Boolean(viewer && viewer.isAdmin),
    sources: viewer ? viewer.allowedSources.map(sourceName) : [],
    endpoints: endpoints ? [...endpoints] : [],
    idle: idle.map((source) => ({ name: source.name, status: source.status, configured: source.configured })),
  };
}
