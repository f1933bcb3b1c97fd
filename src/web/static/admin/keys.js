// Listas de claves (las de una fuente y las de administración): etiqueta, prefijo, creación,
// último uso, uso y estado; «Revocar» y un formulario para crear otra con etiqueta.
import { el } from '../shared/dom.js';
import { dates, numbers } from './format.js';

const byState = (a, b) => Number(b.active) - Number(a.active) || b.createdAt.localeCompare(a.createdAt);

/**
 * `options`: `readOnly` (sin botones), `currentKeyId` (la clave de esta sesión, señalada),
 * `onRevoke(key)`, `empty` (texto sin claves).
 */
export function keyList(keys, options) {
  if (!keys.length) return el('p', { className: 'keys__empty', text: options.empty });
  return el('ul', { className: 'keys' }, [...keys].sort(byState).map((key) => keyItem(key, options)));
}

function keyItem(key, { readOnly, currentKeyId, onRevoke }) {
  const mine = key.id === currentKeyId;
  const state = key.active ? el('span', { className: 'badge badge--ok', text: 'Activa' }) : el('span', { className: 'badge badge--muted', text: 'Revocada' });
  const main = el(
    'div',
    { className: 'key__main' },
    el('strong', { className: 'key__label', text: key.label || 'Sin etiqueta' }),
    el('code', { className: 'key__prefix', text: `${key.prefix}…` }),
    state,
    mine ? el('span', { className: 'badge badge--info', text: 'Esta sesión' }) : null,
  );
  const used = key.lastUsedAt ? dates.format(new Date(key.lastUsedAt)) : 'nunca';
  const meta = el(
    'div',
    { className: 'key__meta' },
    el('span', { className: 'key__fact', text: `Creada: ${dates.format(new Date(key.createdAt))}` }),
    el('span', { className: 'key__fact', text: `Último uso: ${used}` }),
    el('span', { className: 'key__fact', text: `${numbers.format(key.usage.requestsToday)} hoy · ${numbers.format(key.usage.requestsTotal)} en total` }),
    !key.active && key.revokedAt ? el('span', { className: 'key__fact', text: `Revocada: ${dates.format(new Date(key.revokedAt))}` }) : null,
  );
  const item = el('li', { className: `key${key.active ? '' : ' key--revoked'}`, 'data-key-id': key.id }, main, meta);
  if (key.active && !readOnly) {
    const revoke = el('button', { type: 'button', className: 'button button--small button--ghost-danger', 'data-action': 'revoke' }, 'Revocar', el('span', { className: 'visually-hidden', text: ` la clave ${key.label || ''} (${key.prefix}…)` }));
    revoke.addEventListener('click', () => onRevoke(key, revoke));
    item.append(el('div', { className: 'key__actions' }, revoke));
  }
  return item;
}

/** «Nueva clave»: etiqueta opcional y botón; `onCreate(label, button)` hace el resto. */
export function createKeyForm({ id, what, onCreate }) {
  const input = el('input', { id, name: 'label', type: 'text', maxlength: '100', autocomplete: 'off', placeholder: 'p. ej. Servidor de casa' });
  const button = el('button', { type: 'submit', className: 'button button--small', 'data-action': 'create-key' }, 'Crear clave', el('span', { className: 'visually-hidden', text: ` ${what}` }));
  const form = el('form', { className: 'key-form' }, el('label', { for: id, text: `Etiqueta de la clave nueva ${what}` }), el('div', { className: 'key-form__row' }, input, button));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    onCreate(input.value.trim() || null, button);
  });
  return form;
}
