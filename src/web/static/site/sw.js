// Service worker del cliente web: guarda solo la interfaz (HTML, JS, CSS, manifiesto, iconos)
// para abrirla sin conexión e instalarla. Nunca guarda respuestas de /graphql, archivos de
// /files ni audio: esos datos son de terceros, caducan y pueden ser privados de la clave.
'use strict';

const VERSION = 'musica-shell-v5';
// Cada módulo que importan las páginas está aquí (lo comprueba test/web/shell.test.ts): sin uno,
// la aplicación no arrancaría sin conexión. Al cambiar la lista, sube VERSION.
const SHELL = [
  './',
  'index.html',
  'app.css',
  'sw-register.js',
  'manifest.webmanifest',
  'icon.svg',
  'icon-maskable.svg',
  'icon-192.png',
  'icon-512.png',
  'icon-maskable-192.png',
  'icon-maskable-512.png',
  'main.js',
  'access.js',
  'album.js',
  'api.js',
  'artist.js',
  'charts.js',
  'components.js',
  'downloads.js',
  'entity.js',
  'errors.js',
  'format.js',
  'links.js',
  'lyrics.js',
  'provenance.js',
  'queries.js',
  'router.js',
  'search.js',
  'session.js',
  'storage.js',
  'texts.js',
  'track.js',
  'view.js',
  'shared/base.css',
  'shared/dom.js',
  'shared/graphql.js',
];
const SHELL_URLS = new Set(SHELL.map((file) => new URL(file, self.registration.scope).href));
const INDEX_URL = new URL('index.html', self.registration.scope).href;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(VERSION)
      .then((cache) => cache.addAll(SHELL.map((file) => new Request(file, { cache: 'reload' }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((name) => name !== VERSION).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  const scope = new URL(self.registration.scope);
  const isShellPage =
    request.mode === 'navigate' && url.origin === scope.origin && (url.pathname === scope.pathname || url.pathname === `${scope.pathname}index.html`);
  const plain = `${url.origin}${url.pathname}`;
  if (!isShellPage && !SHELL_URLS.has(plain)) return; // API, /files, /admin, audio e imágenes: directo a la red.
  event.respondWith(networkFirst(request, isShellPage ? INDEX_URL : plain));
});

/** La red primero, para que una versión nueva se vea en cuanto hay conexión; la copia si no la hay. */
async function networkFirst(request, cacheUrl) {
  const cache = await caches.open(VERSION);
  try {
    const response = await fetch(request);
    if (response.ok && response.type === 'basic') await cache.put(cacheUrl, response.clone());
    return response;
  } catch (error) {
    const cached = await cache.match(cacheUrl);
    if (cached) return cached;
    throw error;
  }
}
