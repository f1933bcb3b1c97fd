// Panel de fuentes y claves de Música API. Sin dependencias ni paso de compilación: habla con
// /graphql usando la clave de administración, que vive solo en sessionStorage de esta pestaña.
'use strict';

(function () {
  const STORAGE_KEY = 'musica.adminKey';
  // Relativo a /admin/, para que el panel funcione también detrás de un prefijo de proxy.
  const GRAPHQL_URL = new URL('../graphql', document.baseURI).toString();

  const SOURCES_QUERY = `query AdminSources {
    viewer { label isAdmin }
    sources {
      id name description endpoints status unlimited configured keyPrefix
      health { circuit recentLatencyMs lastError { kind message at } }
      usage { requestsToday requestsTotal }
    }
  }`;
  const SET_STATUS = `mutation SetSourceStatus($sourceId: String!, $status: SourceStatus!) {
    setSourceStatus(sourceId: $sourceId, status: $status) { id status }
  }`;
  const ROTATE = `mutation RotateSourceKey($sourceId: String!) {
    rotateSourceKey(sourceId: $sourceId) { key apiKey { id prefix } }
  }`;

  const $ = (id) => document.getElementById(id);
  const numbers = new Intl.NumberFormat('es-ES');
  const dates = new Intl.DateTimeFormat('es-ES', { dateStyle: 'short', timeStyle: 'medium' });

  class AuthError extends Error {}

  async function gql(query, variables) {
    const key = sessionStorage.getItem(STORAGE_KEY);
    if (!key) throw new AuthError('No hay sesión iniciada.');
    let response;
    try {
      response = await fetch(GRAPHQL_URL, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ query, variables }),
        cache: 'no-store',
      });
    } catch {
      throw new Error('No se pudo contactar con el servidor.');
    }
    let body = null;
    try {
      body = await response.json();
    } catch {
      throw new Error(`Respuesta inesperada del servidor (HTTP ${response.status}).`);
    }
    const error = body && body.errors && body.errors[0];
    if (response.status === 401 || (error && error.extensions && error.extensions.code === 'UNAUTHENTICATED')) {
      throw new AuthError('La clave no es válida o ha sido revocada.');
    }
    if (error) {
      const code = error.extensions && error.extensions.code;
      if (code === 'FORBIDDEN') throw new AuthError('Esta clave no es de administración.');
      throw new Error(describeError(code, error.message));
    }
    return body.data;
  }

  function describeError(code, message) {
    switch (code) {
      case 'BAD_USER_INPUT':
        return `Datos no válidos: ${message}`;
      case 'SOURCE_INACTIVE':
        return `La fuente está inactiva: ${message}`;
      default:
        return `Error del servidor: ${message}`;
    }
  }

  // ── Sesión ────────────────────────────────────────────────────────────────────────────

  function showLogin(message, isError) {
    $('panel').hidden = true;
    $('session').hidden = true;
    $('login').hidden = false;
    $('sources-body').replaceChildren();
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
    $('session').hidden = false;
    $('session-label').textContent = `Sesión: ${viewer.label}`;
  }

  function signOut(message, isError) {
    sessionStorage.removeItem(STORAGE_KEY);
    showLogin(message, isError);
  }

  async function signIn(event) {
    event.preventDefault();
    const key = $('admin-key').value.trim();
    if (!key) return;
    const button = $('sign-in');
    button.disabled = true;
    sessionStorage.setItem(STORAGE_KEY, key);
    try {
      await load();
    } finally {
      button.disabled = false;
    }
  }

  // ── Datos ─────────────────────────────────────────────────────────────────────────────

  async function load() {
    let data;
    try {
      data = await gql(SOURCES_QUERY);
    } catch (error) {
      if (error instanceof AuthError) return signOut(error.message);
      return report(error.message, true);
    }
    if (!data.viewer.isAdmin) return signOut('Esta clave no es de administración.');
    showPanel(data.viewer);
    render(data.sources);
  }

  function report(message, isError) {
    const box = $('panel-message');
    box.textContent = message;
    box.className = isError ? 'notice notice--error' : 'notice';
    box.hidden = !message;
  }

  function render(sources) {
    const rows = sources.map((source) => sourceRow(source));
    $('sources-body').replaceChildren(...rows);
    if (!sources.length) report('No hay fuentes registradas todavía.', false);
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function cell(label, ...children) {
    const td = el('td');
    td.dataset.label = label;
    td.append(...children);
    return td;
  }

  function sourceRow(source) {
    const tr = el('tr');
    tr.dataset.source = source.id;
    if (source.status === 'INACTIVE') tr.classList.add('is-inactive');

    const name = el('div', 'source__name', source.name);
    const id = el('div', 'source__id', source.id);
    const badges = el('div', 'chips');
    if (source.unlimited) badges.append(el('span', 'badge badge--muted', 'Uso ilimitado'));
    if (!source.configured) badges.append(el('span', 'badge badge--warn', 'Sin configurar'));
    const description = el('div', 'source__desc', source.description);

    const endpoints = el('div', 'chips');
    for (const endpoint of source.endpoints) endpoints.append(el('code', 'chip', endpoint));

    tr.append(
      cell('Fuente', name, id, badges, description),
      cell('Endpoints', endpoints),
      cell('Estado', statusSwitch(source)),
      cell('Salud', ...health(source.health)),
      cell('Uso', el('div', '', `${numbers.format(source.usage.requestsToday)} hoy`), el('div', 'usage__detail', `${numbers.format(source.usage.requestsTotal)} en total`)),
      cell('Clave', ...keyCell(source)),
    );
    return tr;
  }

  function statusSwitch(source) {
    const active = source.status === 'ACTIVE';
    const button = el('button', 'switch');
    button.type = 'button';
    button.setAttribute('role', 'switch');
    button.setAttribute('aria-checked', String(active));
    button.setAttribute('aria-label', `${source.name}: ${active ? 'activa' : 'inactiva'}`);
    button.dataset.action = 'toggle-status';
    button.append(el('span', 'switch__track'), el('span', 'switch__label', active ? 'Activa' : 'Inactiva'));
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        await gql(SET_STATUS, { sourceId: source.id, status: active ? 'INACTIVE' : 'ACTIVE' });
        report(`${source.name} ahora está ${active ? 'inactiva' : 'activa'}.`, false);
        await load();
      } catch (error) {
        if (error instanceof AuthError) return signOut(error.message);
        report(error.message, true);
        button.disabled = false;
      }
    });
    return button;
  }

  function health(health) {
    const labels = {
      CLOSED: ['Operativa', 'badge--ok'],
      HALF_OPEN: ['En prueba', 'badge--warn'],
      OPEN: ['Circuito abierto', 'badge--bad'],
    };
    const [text, tone] = labels[health.circuit] || [health.circuit, 'badge--muted'];
    const parts = [el('span', `badge ${tone}`, text)];
    if (health.recentLatencyMs !== null) parts.push(el('div', 'health__detail', `${numbers.format(health.recentLatencyMs)} ms (mediana reciente)`));
    if (health.lastError) {
      const when = dates.format(new Date(health.lastError.at));
      const last = el('div', 'health__detail', `Último error: ${health.lastError.kind} · ${when}`);
      last.title = health.lastError.message;
      parts.push(last);
    }
    return parts;
  }

  function keyCell(source) {
    const prefix = el('code', 'key__prefix', source.keyPrefix ? `${source.keyPrefix}…` : 'Sin clave activa');
    const rotate = el('button', 'button button--small', source.keyPrefix ? 'Rotar clave' : 'Emitir clave');
    rotate.type = 'button';
    rotate.dataset.action = 'rotate';
    rotate.addEventListener('click', () => confirmRotate(source));
    return [prefix, rotate];
  }

  // ── Rotación ──────────────────────────────────────────────────────────────────────────

  function confirmRotate(source) {
    const dialog = $('confirm-rotate');
    $('confirm-text').textContent = source.keyPrefix
      ? `Se emitirá una clave nueva para ${source.name} y la actual (${source.keyPrefix}…) dejará de funcionar en el acto.`
      : `Se emitirá una clave nueva para ${source.name}.`;
    dialog.returnValue = '';
    dialog.onclose = () => {
      if (dialog.returnValue === 'rotate') rotate(source);
    };
    dialog.showModal();
  }

  async function rotate(source) {
    let result;
    try {
      result = (await gql(ROTATE, { sourceId: source.id })).rotateSourceKey;
    } catch (error) {
      if (error instanceof AuthError) return signOut(error.message);
      return report(error.message, true);
    }
    showNewKey(source, result.key);
    await load();
  }

  function showNewKey(source, key) {
    $('new-key-for').textContent = `Fuente: ${source.name} (${source.id})`;
    $('new-key-value').value = key;
    $('copy-status').textContent = '';
    $('new-key').showModal();
    $('new-key-value').select();
  }

  async function copyKey() {
    const input = $('new-key-value');
    try {
      await navigator.clipboard.writeText(input.value);
    } catch {
      // Sin API de portapapeles (contexto no seguro): copiar la selección a la antigua.
      input.select();
      if (!document.execCommand('copy')) {
        $('copy-status').textContent = 'No se pudo copiar: selecciona la clave y cópiala a mano.';
        return;
      }
    }
    $('copy-status').textContent = 'Copiada al portapapeles.';
  }

  function closeNewKey() {
    // La clave no debe quedarse en la página una vez cerrada la ventana.
    $('new-key-value').value = '';
    $('new-key').close();
  }

  // ── Arranque ──────────────────────────────────────────────────────────────────────────

  $('login-form').addEventListener('submit', signIn);
  $('sign-out').addEventListener('click', () => signOut('Sesión cerrada.', false));
  $('refresh').addEventListener('click', () => load());
  $('copy-key').addEventListener('click', copyKey);
  $('close-new-key').addEventListener('click', closeNewKey);
  $('new-key').addEventListener('close', () => {
    $('new-key-value').value = '';
  });

  if (sessionStorage.getItem(STORAGE_KEY)) load();
  else showLogin('');
})();
