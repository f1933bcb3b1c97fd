// Descargas WAV y MP3 de una canción: lo que la fuente permite, «Preparar descarga» y el
// seguimiento del trabajo hasta que los archivos están en el servidor.
import { el, safeUrl } from '../shared/dom.js';
import { sourceName } from './access.js';
import { failureOf, gql, rootOf } from './api.js';
import { licence } from './components.js';
import { handleFailure } from './errors.js';
import { formatBytes, joinParts, times } from './format.js';
import { DOWNLOAD_JOB, PREPARE_DOWNLOAD } from './queries.js';
import { JOB_ERROR_TEXT, JOB_STATE_TEXT, UNAVAILABLE_TEXT } from './texts.js';
import { alive } from './view.js';

const POLL_MS = 1500;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export function downloadsPanel(track, token) {
  const panel = el('section', { className: 'panel', 'aria-labelledby': 'downloads-title' }, el('h2', { id: 'downloads-title', text: 'Descargar' }));
  const options = track.downloads || [];
  const list = el('ul', { className: 'downloads' });
  const status = el('div', { className: 'downloads__status', role: 'status' });
  panel.append(list, status);
  drawDownloadOptions(list, options, track);
  const pending = options.find((option) => option.available && !option.url);
  if (pending) {
    // Una descarga ofrecida a través de otra fuente se prepara desde la canción de esa fuente.
    const trackId = pending.trackId || track.id;
    const button = el('button', { type: 'button', className: 'button', text: 'Preparar descarga' });
    button.addEventListener('click', () => prepareDownload(trackId, track, list, status, button, token));
    panel.append(button);
  }
  if (!options.length) list.append(el('li', { className: 'empty', text: 'La fuente no ofrece descargas de esta canción.' }));
  return panel;
}

function drawDownloadOptions(list, options, track) {
  list.replaceChildren(...options.map((option) => downloadOption(option, track)));
}

function downloadOption(option, track) {
  const item = el('li', { className: 'download', 'data-format': option.format });
  item.append(el('strong', { className: 'download__format', text: option.format }));
  const via = option.source && option.source !== track.source ? `desde ${sourceName(option.source)}` : null;
  if (option.available && safeUrl(option.url)) {
    item.append(el('a', { className: 'button button--small', href: option.url, download: true, text: `Descargar ${option.format}` }));
    const details = [
      via,
      formatBytes(option.sizeBytes),
      // Un MP3 nunca es sin pérdida; lo que interesa saber es si el WAV sale de un original que sí lo era.
      option.format === 'WAV' && option.lossless === true ? 'sin pérdida' : null,
      option.format === 'WAV' && option.lossless === false ? 'convertido de un original con pérdida' : null,
      option.expiresAt ? `el enlace caduca a las ${times.format(new Date(option.expiresAt))}` : null,
    ];
    item.append(el('span', { className: 'download__detail', text: joinParts(details) }));
  } else if (option.available) {
    const text = 'Disponible: pulsa «Preparar descarga» para que el servidor la prepare.';
    item.append(el('span', { className: 'download__detail', text: via ? `${text} Se descarga ${via}, que tiene la misma grabación.` : text }));
  } else {
    item.append(el('span', { className: 'download__reason', text: UNAVAILABLE_TEXT[option.reason] || 'No disponible.' }));
    if (option.detail) item.append(el('span', { className: 'download__detail', text: option.detail }));
  }
  if (option.license) item.append(el('span', { className: 'download__detail' }, 'Licencia: ', licence(option.license)));
  return item;
}

async function prepareDownload(trackId, track, list, status, button, token) {
  button.disabled = true;
  const progress = el('progress', { max: '1', value: '0', 'aria-label': 'Progreso de la preparación' });
  const label = el('span', { text: 'Pidiendo la descarga…' });
  status.replaceChildren(label, progress);
  try {
    let job = rootOf(await gql(PREPARE_DOWNLOAD, { trackId }), 'prepareDownload');
    while (job.state === 'QUEUED' || job.state === 'RUNNING') {
      if (!alive(token)) return;
      progress.value = typeof job.progress === 'number' ? job.progress : 0;
      label.textContent = `${JOB_STATE_TEXT[job.state]} ${Math.round((job.progress || 0) * 100)} %`;
      await sleep(POLL_MS);
      if (!alive(token)) return;
      const result = await gql(DOWNLOAD_JOB, { id: job.id });
      const next = result.data && result.data.download;
      if (!next) {
        if (result.errors.length) throw failureOf(result.errors[0]);
        status.replaceChildren(el('p', { className: 'notice notice--error', text: 'La preparación ha caducado en el servidor. Vuelve a intentarlo.' }));
        button.disabled = false;
        return;
      }
      job = next;
    }
    if (!alive(token)) return;
    if (job.state === 'DONE') {
      drawDownloadOptions(list, job.downloads, track);
      status.replaceChildren(el('p', { className: 'notice', text: 'Descarga lista.' }));
      button.remove();
      return;
    }
    const code = job.error && job.error.code;
    status.replaceChildren(el('p', { className: 'notice notice--error', 'data-code': code, text: JOB_ERROR_TEXT[code] || 'No se ha podido preparar la descarga.' }));
    button.textContent = 'Intentar de nuevo';
    button.disabled = false;
  } catch (error) {
    if (!alive(token)) return;
    // El propio botón sirve para volver a intentarlo.
    status.replaceChildren(handleFailure(error, 'No se ha podido preparar la descarga.') || '');
    button.textContent = 'Intentar de nuevo';
    button.disabled = false;
  }
}

