// Panel de fuentes y claves de Música API. Sin dependencias ni paso de compilación: módulos ES
// que hablan con /graphql usando la clave de administración.
import { $, el } from '../shared/dom.js';
import { AdminError, AuthError, adminKey, gql } from './api.js';
import { confirmAction, setUpDialogs, showNewKey } from './dialogs.js';
import { createKeyForm, keyList } from './keys.js';
import { ADMIN_ACCESS, ADMIN_PANEL, CHECK_SOURCE, CREATE_KEY, REVOKE_KEY, ROTATE_SOURCE_KEY, SET_SOURCE_STATUS } from './queries.js';
import { sourceRows } from './sources.js';

/** Lo que el panel recuerda entre recargas de los datos. */
const view = {
  readOnly: false,
  currentKeyId: null,
  expanded: new Set(),
  messages: new Map(),
  keyMessages: new Map(),
  checks: new Map(),
  setStatus,
  rotate,
  check,
  revoke,
  create,
  toggleKeys,
};

// ── Sesión ──────────────────────────────────────────────────────────────────────────────

function showLogin(message, isError) {
  $('panel').hidden = true;
  $('admin-keys').hidden = true;
  $('session').hidden = true;
  $('login').hidden = false;
  $('sources-body').replaceChildren();
  $('admin-keys-body').replaceChildren();
  const error = $('login-error');
  error.textContent = message || '';
  error.className = isError === false ? 'notice' : 'notice notice--error';
  error.hidden = !message;
  $('admin-key').value = '';
  $('admin-key').focus();
}

function showPanel(viewer) {
  $('login').hidden = true;
  $('panel').hidden = false;
  $('admin-keys').hidden = false;
  $('session').hidden = false;
  $('session-label').textContent = `Sesión: ${viewer.label}`;
  $('session-mode').hidden = !view.readOnly;
  $('panel-hint').textContent = view.readOnly
    ? 'Clave de solo lectura: ves fuentes, claves, uso y salud, y puedes probar las fuentes, pero no cambiar nada.'
    : 'Cada fuente tiene su propia clave privada. Uso ilimitado; solo se cuenta.';
}

function signOut(message, isError) {
  adminKey.clear();
  view.expanded.clear();
  view.messages.clear();
  view.keyMessages.clear();
  view.checks.clear();
  showLogin(message, isError);
}

async function signIn(event) {
  event.preventDefault();
  const key = $('admin-key').value.trim();
  if (!key) return;
  const button = $('sign-in');
  button.disabled = true;
  adminKey.set(key);
  try {
    await load();
  } finally {
    button.disabled = false;
  }
}

/**
 * Para cualquier fallo de una acción: sin sesión válida se vuelve a entrar (devuelve `true`);
 * si no, se cuenta con `report`.
 */
function failed(error, report) {
  if (error instanceof AuthError) {
    signOut(error.message);
    return true;
  }
  report(error instanceof AdminError ? error.message : `Error inesperado: ${error.message}`);
  return false;
}

// ── Datos ───────────────────────────────────────────────────────────────────────────────

async function load() {
  let data;
  try {
    [data, view.readOnly] = await Promise.all([gql(ADMIN_PANEL), readOnlyKey()]);
  } catch (error) {
    if (error instanceof AdminError && error.code === 'FORBIDDEN') return signOut('Esta clave no es de administración.');
    return failed(error, (message) => report(message, true));
  }
  if (!data.viewer.isAdmin) return signOut('Esta clave no es de administración.');
  view.currentKeyId = data.viewer.keyId;
  showPanel(data.viewer);
  render(data);
}

/** Un servidor sin claves de solo lectura no tiene `viewer.readOnly`: entonces ninguna lo es. */
async function readOnlyKey() {
  try {
    const data = await gql(ADMIN_ACCESS);
    return data.viewer.readOnly === true;
  } catch (error) {
    if (error instanceof AdminError && error.code === 'GRAPHQL_VALIDATION_FAILED') return false;
    throw error;
  }
}

function report(message, isError) {
  const box = $('panel-message');
  box.textContent = message;
  box.className = isError ? 'notice notice--error' : 'notice';
  box.hidden = !message;
}

function render(data) {
  const focused = focusMarker();
  $('sources-body').replaceChildren(...data.sources.flatMap((source) => sourceRows(source, view)));
  if (!data.sources.length) report('No hay fuentes registradas todavía.', false);
  renderAdminKeys(data.adminKeys);
  restoreFocus(focused);
}

function renderAdminKeys(keys) {
  const body = $('admin-keys-body');
  const message = view.keyMessages.get('*');
  body.replaceChildren(
    message ? el('p', { className: `row__message${message.isError ? ' row__message--error' : ''}`, role: 'status', text: message.text }) : '',
    keyList(keys, { readOnly: view.readOnly, currentKeyId: view.currentKeyId, onRevoke: (key, button) => revoke(key, null, button), empty: 'No hay claves de administración.' }),
    view.readOnly ? '' : createKeyForm({ id: 'new-admin-key-label', what: 'de administración', onCreate: (label, button) => create(null, label, button) }),
  );
}

/** Tras recargar la tabla, el foco vuelve al mismo control (misma fuente o clave, misma acción). */
function focusMarker() {
  const active = document.activeElement;
  if (!active || !active.dataset || !active.dataset.action) return null;
  const row = active.closest('[data-source], [data-keys-of], [data-key-id], #admin-keys-body');
  return { action: active.dataset.action, row: row ? rowSelector(row) : null };
}

function rowSelector(row) {
  if (row.dataset.source) return `[data-source="${row.dataset.source}"]`;
  if (row.dataset.keysOf) return `[data-keys-of="${row.dataset.keysOf}"]`;
  if (row.dataset.keyId) return `[data-key-id="${row.dataset.keyId}"]`;
  return '#admin-keys-body';
}

function restoreFocus(marker) {
  if (marker && marker.row) focusAction(marker.row, marker.action);
}

// ── Acciones ────────────────────────────────────────────────────────────────────────────

async function setStatus(source, status, button) {
  button.disabled = true;
  try {
    await gql(SET_SOURCE_STATUS, { sourceId: source.id, status });
    view.messages.set(source.id, { text: `${source.name} ahora está ${status === 'ACTIVE' ? 'activa' : 'inactiva'}.`, isError: false });
  } catch (error) {
    if (failed(error, (message) => view.messages.set(source.id, { text: message, isError: true }))) return;
  }
  await load();
  focusAction(`[data-source="${source.id}"]`, 'toggle-status');
}

function focusAction(row, action) {
  const target = document.querySelector(`${row} [data-action="${action}"]`);
  if (target) target.focus();
}

async function rotate(source) {
  const ok = await confirmAction({
    title: source.keyPrefix ? '¿Rotar la clave?' : '¿Emitir una clave?',
    text: source.keyPrefix
      ? `Se emitirá una clave nueva para ${source.name} y las actuales (${source.keyPrefix}…) dejarán de funcionar en el acto.`
      : `Se emitirá una clave nueva para ${source.name}.`,
    confirm: source.keyPrefix ? 'Rotar clave' : 'Emitir clave',
  });
  if (!ok) return;
  let result;
  try {
    result = (await gql(ROTATE_SOURCE_KEY, { sourceId: source.id })).rotateSourceKey;
  } catch (error) {
    return failed(error, (message) => report(message, true));
  }
  showNewKey(`Fuente: ${source.name} (${source.id})`, result.key);
  await load();
}

async function create(source, label, button) {
  const scope = source ? source.id : '*';
  button.disabled = true;
  let result;
  try {
    result = (await gql(CREATE_KEY, { sourceId: scope, label })).createSourceKey;
  } catch (error) {
    button.disabled = false;
    if (failed(error, (message) => view.keyMessages.set(scope, { text: message, isError: true }))) return;
    return load();
  }
  view.keyMessages.set(scope, { text: `Clave creada: ${result.apiKey.label} (${result.apiKey.prefix}…).`, isError: false });
  showNewKey(source ? `Fuente: ${source.name} (${source.id}) · ${result.apiKey.label}` : `Administración · ${result.apiKey.label}`, result.key);
  await load();
}

async function revoke(key, source, button) {
  const mine = key.id === view.currentKeyId;
  const ok = await confirmAction({
    title: '¿Revocar la clave?',
    text: `La clave ${key.label} (${key.prefix}…) dejará de funcionar en el acto. No se puede deshacer.${mine ? ' Es la clave de esta sesión: tendrás que entrar con otra.' : ''}`,
    confirm: 'Revocar clave',
  });
  if (!ok) return;
  const scope = source ? source.id : '*';
  button.disabled = true;
  try {
    await gql(REVOKE_KEY, { keyId: key.id });
    if (mine) return signOut('Has revocado la clave de esta sesión.', false);
    view.keyMessages.set(scope, { text: `Clave revocada: ${key.label} (${key.prefix}…).`, isError: false });
  } catch (error) {
    if (failed(error, (message) => view.keyMessages.set(scope, { text: message, isError: true }))) return;
  }
  await load();
}

async function check(source, button) {
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    const result = (await gql(CHECK_SOURCE, { sourceId: source.id })).checkSource;
    view.checks.set(source.id, result);
  } catch (error) {
    if (failed(error, (message) => view.checks.set(source.id, { error: message }))) return;
  }
  await load();
  focusAction(`[data-source="${source.id}"]`, 'check');
}

function toggleKeys(source) {
  if (view.expanded.has(source.id)) view.expanded.delete(source.id);
  else view.expanded.add(source.id);
  const open = view.expanded.has(source.id);
  document.querySelector(`[data-keys-of="${source.id}"]`).hidden = !open;
  const toggle = document.querySelector(`[data-source="${source.id}"] [data-action="toggle-keys"]`);
  toggle.setAttribute('aria-expanded', String(open));
}

// ── Arranque ────────────────────────────────────────────────────────────────────────────

setUpDialogs();
$('login-form').addEventListener('submit', signIn);
$('sign-out').addEventListener('click', () => signOut('Sesión cerrada.', false));
$('refresh').addEventListener('click', () => load());

if (adminKey.get()) load();
else showLogin('');
