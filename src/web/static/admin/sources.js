// Una fila por fuente: nombre, endpoints, estado (con confirmación al desactivar), salud (con
// «Probar»), uso y claves (rotar, y la lista completa en una fila desplegable).
import { el } from '../shared/dom.js';
import { createKeyForm, keyList } from './keys.js';
import { dates, errorKind, numbers } from './format.js';

const CIRCUIT = {
  CLOSED: ['Operativa', 'badge--ok'],
  HALF_OPEN: ['En prueba', 'badge--warn'],
  OPEN: ['Circuito abierto', 'badge--bad'],
};

function cell(label, ...children) {
  return el('td', { 'data-label': label }, ...children);
}

/**
 * `view`: `readOnly`, `currentKeyId`, `expanded` (ids con las claves a la vista), `messages`
 * (id → { text, isError, at }), `checks` (id → resultado de «Probar») y las acciones.
 */
export function sourceRows(source, view) {
  const tr = el('tr', { 'data-source': source.id, className: source.status === 'INACTIVE' ? 'is-inactive' : null });
  const badges = el('div', { className: 'chips' });
  if (source.unlimited) badges.append(el('span', { className: 'badge badge--muted', text: 'Uso ilimitado' }));
  if (!source.configured) badges.append(el('span', { className: 'badge badge--warn', text: 'Sin configurar' }));
  const endpoints = el('div', { className: 'chips' }, source.endpoints.map((endpoint) => el('code', { className: 'chip', text: endpoint })));

  tr.append(
    cell('Fuente', el('div', { className: 'source__name', text: source.name }), el('div', { className: 'source__id', text: source.id }), badges, el('div', { className: 'source__desc', text: source.description })),
    cell('Endpoints', endpoints),
    cell('Estado', ...statusCell(source, view)),
    cell('Salud', ...healthCell(source, view)),
    cell(
      'Uso',
      el('div', { className: 'usage__line', text: `${numbers.format(source.usage.requestsToday)} hoy` }),
      el('div', { className: 'usage__line usage__detail', text: `${numbers.format(source.usage.requestsTotal)} en total` }),
    ),
    cell('Clave', ...keyCell(source, view)),
  );
  const keysRow = el('tr', { className: 'keys-row', id: `keys-${source.id}`, 'data-keys-of': source.id, hidden: !view.expanded.has(source.id) });
  keysRow.append(el('td', { colspan: '6' }, keysPanel(source, view)));
  return [tr, keysRow];
}

function statusCell(source, view) {
  const active = source.status === 'ACTIVE';
  const message = view.messages.get(source.id);
  const note = message ? el('p', { className: `row__message${message.isError ? ' row__message--error' : ''}`, role: 'status', text: message.text }) : null;
  if (view.readOnly) return [el('span', { className: `status ${active ? 'status--on' : 'status--off'}`, text: active ? 'Activa' : 'Inactiva' }), note];

  const button = el('button', { type: 'button', className: 'switch', role: 'switch', 'aria-checked': String(active), 'aria-label': `${source.name}: ${active ? 'activa' : 'inactiva'}`, 'data-action': 'toggle-status' }, el('span', { className: 'switch__track' }), el('span', { className: 'switch__label', text: active ? 'Activa' : 'Inactiva' }));
  const holder = el('div', { className: 'status-holder' }, button);
  button.addEventListener('click', () => {
    if (!active) return view.setStatus(source, 'ACTIVE', button);
    // Desactivar corta en el acto a quien use sus claves: se confirma ahí mismo, junto a la fila.
    const confirm = el('button', { type: 'button', className: 'button button--small button--danger', 'data-action': 'confirm-deactivate', text: 'Desactivar' });
    const cancel = el('button', { type: 'button', className: 'button button--small button--ghost', 'data-action': 'cancel-deactivate', text: 'Cancelar' });
    const text = el('p', { className: 'confirm__text', id: `confirm-${source.id}`, text: `¿Desactivar ${source.name}? Sus claves dejarán de funcionar hasta que la vuelvas a activar.` });
    const box = el('div', { className: 'confirm-inline', role: 'group', 'aria-labelledby': `confirm-${source.id}` }, text, el('div', { className: 'confirm__actions' }, confirm, cancel));
    holder.replaceChildren(box);
    cancel.addEventListener('click', () => {
      holder.replaceChildren(button);
      button.focus();
    });
    confirm.addEventListener('click', () => view.setStatus(source, 'INACTIVE', confirm));
    cancel.focus();
  });
  return [holder, note];
}

function healthCell(source, view) {
  const health = source.health;
  const [text, tone] = CIRCUIT[health.circuit] || [health.circuit, 'badge--muted'];
  const parts = [el('span', { className: `badge ${tone}`, text })];
  if (health.recentLatencyMs !== null) parts.push(el('div', { className: 'health__detail', text: `${numbers.format(health.recentLatencyMs)} ms (mediana reciente)` }));
  if (health.lastError) {
    const last = el('div', { className: 'health__detail', text: `Último error: ${errorKind(health.lastError.kind)} · ${dates.format(new Date(health.lastError.at))}` });
    last.title = health.lastError.message;
    parts.push(last);
  }
  const check = el('button', { type: 'button', className: 'button button--small button--ghost', 'data-action': 'check' }, 'Probar', el('span', { className: 'visually-hidden', text: ` ${source.name}` }));
  check.addEventListener('click', () => view.check(source, check));
  parts.push(el('div', { className: 'check' }, check, checkResult(view.checks.get(source.id))));
  return parts;
}

function checkResult(result) {
  if (!result) return null;
  if (result.error) return el('p', { className: 'check__result check__result--fail', role: 'status', text: result.error });
  const facts = [typeof result.latencyMs === 'number' ? `${numbers.format(result.latencyMs)} ms` : null, result.ok ? null : errorKind(result.errorKind)].filter(Boolean).join(' · ');
  const box = el('p', { className: `check__result ${result.ok ? 'check__result--ok' : 'check__result--fail'}`, role: 'status' }, el('strong', { text: result.ok ? 'OK' : 'FALLO' }), facts ? ` · ${facts}` : '');
  if (!result.ok && result.message) box.append(el('span', { className: 'check__message', text: result.message }));
  return box;
}

function keyCell(source, view) {
  const active = source.keys.filter((key) => key.active).length;
  const prefix = el('code', { className: 'key__prefix', text: source.keyPrefix ? `${source.keyPrefix}…` : 'Sin clave activa' });
  const parts = [prefix];
  if (!view.readOnly) {
    const rotate = el('button', { type: 'button', className: 'button button--small', 'data-action': 'rotate' }, source.keyPrefix ? 'Rotar clave' : 'Emitir clave', el('span', { className: 'visually-hidden', text: ` de ${source.name}` }));
    rotate.addEventListener('click', () => view.rotate(source, rotate));
    parts.push(rotate);
  }
  const open = view.expanded.has(source.id);
  const toggle = el(
    'button',
    { type: 'button', className: 'button button--small button--ghost', 'data-action': 'toggle-keys', 'aria-expanded': String(open), 'aria-controls': `keys-${source.id}` },
    `Claves (${active} ${active === 1 ? 'activa' : 'activas'})`,
    el('span', { className: 'visually-hidden', text: ` de ${source.name}` }),
  );
  toggle.addEventListener('click', () => view.toggleKeys(source));
  parts.push(toggle);
  return [el('div', { className: 'key-cell' }, ...parts)];
}

function keysPanel(source, view) {
  const panel = el('div', { className: 'keys-panel' }, el('h3', { text: `Claves de ${source.name}` }));
  const message = view.keyMessages.get(source.id);
  if (message) panel.append(el('p', { className: `row__message${message.isError ? ' row__message--error' : ''}`, role: 'status', text: message.text }));
  panel.append(keyList(source.keys, { readOnly: view.readOnly, currentKeyId: view.currentKeyId, onRevoke: (key, button) => view.revoke(key, source, button), empty: 'Esta fuente no tiene claves.' }));
  if (!view.readOnly) panel.append(createKeyForm({ id: `new-key-label-${source.id}`, what: `de ${source.name}`, onCreate: (label, button) => view.create(source, label, button) }));
  return panel;
}
