// Entrar y salir: la pantalla de la clave, la comprobación con el servidor y lo que la clave
// permite (ver access.js).
import { $, el } from '../shared/dom.js';
import { clearAccess, keySummary, loadAccess } from './access.js';
import { asFailure, describeFailure } from './errors.js';
import { keyStore } from './storage.js';
import { FIELD_NAMES, ERROR_TEXT } from './texts.js';
import { mount, setSignedIn } from './view.js';

export function showLogin(message, isError) {
  setSignedIn(false);
  $('view').hidden = true;
  $('view').replaceChildren();
  $('nav').hidden = true;
  $('login').hidden = false;
  const box = $('login-error');
  box.textContent = message || '';
  box.className = isError === false ? 'notice' : 'notice notice--error';
  box.hidden = !message;
  $('api-key').value = '';
  document.title = 'Entrar · Música';
  $('api-key').focus();
}

export function showApp() {
  setSignedIn(true);
  $('login').hidden = true;
  $('login-error').hidden = true;
  $('login-error').textContent = '';
  $('view').hidden = false;
  $('nav').hidden = false;
}

/** La API ya no acepta la clave guardada: se borra y se vuelve a pedir. */
export function expireSession() {
  keyStore.clear();
  clearAccess();
  showLogin(ERROR_TEXT.UNAUTHENTICATED);
}

export function signOut() {
  keyStore.clear();
  clearAccess();
  showLogin('Sesión cerrada. La clave se ha borrado de este dispositivo.', false);
}

/** Comprueba la clave escrita; `true` si vale (queda guardada y con sus permisos cargados). */
export async function signIn() {
  const key = $('api-key').value.trim();
  if (!key) return false;
  const button = $('sign-in');
  button.disabled = true;
  keyStore.set(key, $('remember').checked);
  try {
    await loadAccess();
  } catch (error) {
    keyStore.clear();
    clearAccess();
    const failure = asFailure(error);
    const message =
      failure.code === 'UNAUTHENTICATED'
        ? 'La clave no es válida o ha sido revocada.'
        : failure.code === 'SOURCE_INACTIVE'
          ? 'La fuente de esta clave está desactivada. Pide a quien administra el servidor que la active.'
          : describeFailure(failure);
    showLogin(message);
    return false;
  } finally {
    button.disabled = false;
  }
  $('remember').checked = false;
  return true;
}

const listOf = (items) => (items.length > 1 ? `${items.slice(0, -1).join(', ')} y ${items.at(-1)}` : items[0] || '');

/** «Tu clave»: qué fuentes y qué datos alcanza, y por qué no hay nada que ofrecer si es el caso. */
export function renderKeyView(ctx, sections) {
  const summary = keySummary();
  const parts = [el('h1', { text: 'Tu clave' })];
  if (!summary.admin && summary.sources.length) {
    parts.push(el('p', { text: `Es una clave de ${listOf(summary.sources)}.` }));
  }
  const offered = summary.endpoints.map((endpoint) => FIELD_NAMES[endpoint] || endpoint);
  if (offered.length) parts.push(el('p', { text: `Con ella el servidor responde a: ${listOf(offered)}.` }));
  for (const source of summary.idle) {
    parts.push(el('p', { className: 'notice', text: source.status !== 'ACTIVE' ? `${source.name} está desactivada en este servidor.` : `${source.name} no está configurada en este servidor (le falta una credencial).` }));
  }
  if (sections.length) {
    parts.push(el('ul', { className: 'chips' }, sections.map(([href, label]) => el('li', null, el('a', { className: 'chip', href, text: label })))));
  } else {
    parts.push(
      el('p', {
        className: 'empty',
        text: 'Esta aplicación no tiene ninguna sección que funcione solo con lo que da esta clave (buscar, listas de éxitos o letras). Pide a quien administra el servidor una clave de otra fuente.',
      }),
    );
  }
  mount(parts, 'Tu clave', ctx.navigated);
}
