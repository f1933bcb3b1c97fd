// Errores en español a partir de `extensions.code`; el mensaje técnico queda plegado debajo.
// Cuando repetir la petición puede salir bien (red, fuentes caídas) se ofrece «Reintentar».
import { el } from '../shared/dom.js';
import { ApiFailure } from '../shared/graphql.js';
import { sourceName } from './access.js';
import { joinParts } from './format.js';
import { ERROR_TEXT, RETRYABLE, UNAVAILABLE_TEXT } from './texts.js';

let expire = () => {};

/** Lo que hacer cuando la API ya no acepta la clave (lo decide main.js). */
export function onSessionExpired(handler) {
  expire = handler;
}

export function asFailure(error) {
  return error instanceof ApiFailure ? error : new ApiFailure('INTERNAL_SERVER_ERROR', String(error && error.message));
}

export function describeFailure(failure) {
  const source = failure.extensions && failure.extensions.source;
  if (failure.code === 'FORBIDDEN' && source) return `Tu clave no permite usar la fuente ${sourceName(source)}.`;
  if (failure.code === 'SOURCE_INACTIVE' && source) return `La fuente ${sourceName(source)} está desactivada en este servidor.`;
  if (failure.code === 'DOWNLOAD_UNAVAILABLE' && UNAVAILABLE_TEXT[failure.extensions.reason]) return UNAVAILABLE_TEXT[failure.extensions.reason];
  return ERROR_TEXT[failure.code] || 'Error inesperado del servidor.';
}

/** Aviso de error; con `retry`, un botón «Reintentar» si el fallo puede ser pasajero. */
export function errorNotice(failure, lead, retry) {
  const box = el('div', { className: 'notice notice--error', role: 'alert', 'data-code': failure.code });
  box.append(el('p', { text: joinParts([lead, describeFailure(failure)], ' ') }));
  if (retry && RETRYABLE.has(failure.code)) {
    const button = el('button', { type: 'button', className: 'button button--small retry', text: 'Reintentar' });
    button.addEventListener('click', () => {
      button.disabled = true;
      retry();
    });
    box.append(el('p', null, button));
  }
  if (failure.message && failure.code !== 'NETWORK') {
    box.append(el('details', { className: 'notice__details' }, el('summary', { text: 'Detalles técnicos' }), el('code', { text: `${failure.code}: ${failure.message}` })));
  }
  return box;
}

/** Para errores dentro de una vista: si la clave ya no vale se vuelve a pedir; si no, se pinta el aviso. */
export function handleFailure(error, lead, retry) {
  const failure = asFailure(error);
  if (failure.code === 'UNAUTHENTICATED') {
    expire();
    return null;
  }
  return errorNotice(failure, lead, retry);
}
