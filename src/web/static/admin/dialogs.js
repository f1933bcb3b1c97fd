// Las dos ventanas del panel: confirmar una acción y mostrar una clave nueva una sola vez.
import { $ } from '../shared/dom.js';

/** Pregunta antes de una acción que no se puede deshacer; resuelve `true` si se confirma. */
export function confirmAction({ title, text, confirm }) {
  const dialog = $('confirm');
  $('confirm-title').textContent = title;
  $('confirm-text').textContent = text;
  $('confirm-button').textContent = confirm;
  dialog.returnValue = '';
  dialog.showModal();
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'confirm'), { once: true });
  });
}

/** La clave en claro, con «Copiar»: se muestra esta vez y se borra de la página al cerrar. */
export function showNewKey(description, key) {
  $('new-key-for').textContent = description;
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

export function setUpDialogs() {
  $('copy-key').addEventListener('click', copyKey);
  $('close-new-key').addEventListener('click', () => $('new-key').close());
  // La clave no debe quedarse en la página una vez cerrada la ventana (también con Escape).
  $('new-key').addEventListener('close', () => {
    $('new-key-value').value = '';
  });
}
