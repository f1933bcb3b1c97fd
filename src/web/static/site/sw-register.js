// Registra el service worker que guarda la interfaz para abrirla sin conexión e instalarla.
'use strict';

if ('serviceWorker' in navigator && window.isSecureContext) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('sw.js').catch(() => {
      // Sin service worker la aplicación funciona igual; solo no se puede instalar.
    });
  });
}
