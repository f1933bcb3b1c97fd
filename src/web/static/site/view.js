// La vista en pantalla: cada navegación invalida el trabajo de la anterior (token), y el título
// de la vista nueva recibe el foco.
import { $, el } from '../shared/dom.js';

let renderToken = 0;
let signedIn = false;

export const currentToken = () => renderToken;
export const alive = (token) => token === renderToken && signedIn;

export function cancelWork() {
  renderToken += 1;
}

export function setSignedIn(value) {
  signedIn = value;
  if (!value) cancelWork();
}

/** Pone una vista nueva en la página; al navegar, sube arriba y lleva el foco al título. */
export function mount(nodes, title, navigated) {
  $('view').replaceChildren(...nodes.filter(Boolean));
  document.title = title ? `${title} · Música` : 'Música';
  if (navigated) {
    window.scrollTo(0, 0);
    const heading = $('view').querySelector('h1');
    if (heading) {
      heading.tabIndex = -1;
      heading.focus({ preventScroll: true });
    }
  }
}

export function loadingView(text) {
  return el('p', { className: 'loading', role: 'status', text });
}
