// Letras: el panel de la ficha de una canción (sincronizada si la fuente la da, siguiendo el audio
// cuando es la canción entera) y la vista «Letras» para buscar por artista y título.
import { el, externalLink } from '../shared/dom.js';
import { sourceName } from './access.js';
import { errorAt, failureOf, gql, rootOf } from './api.js';
import { asFailure, handleFailure } from './errors.js';
import { formatDuration, languageName } from './format.js';
import { lyricsHref } from './links.js';
import { LYRICS_SEARCH, TRACK_LYRICS } from './queries.js';
import { alive, loadingView, mount } from './view.js';

// Con audio de la duración de la canción (± esto) la letra sincronizada se puede seguir; un
// fragmento de 30 s empieza en un punto desconocido y marcaría líneas equivocadas.
const SYNC_TOLERANCE_SEC = 3;

/** El panel «Letra» de una canción; `load()` la pide aparte para no retrasar la ficha. */
export function lyricsPanel(track, audio, token) {
  const title = el('h2', { id: 'lyrics-title', text: 'Letra' });
  const panel = el('section', { className: 'panel', 'aria-labelledby': 'lyrics-title' }, title, loadingView('Buscando la letra…'));
  async function load() {
    let lyrics;
    try {
      const result = await gql(TRACK_LYRICS, { id: track.id });
      if (!alive(token)) return;
      const owner = result.data && result.data.node;
      if (!owner) throw failureOf(errorAt(result.errors, ['node']) || result.errors[0]);
      lyrics = owner.lyrics;
      const failed = !lyrics && errorAt(result.errors, ['node', 'lyrics']);
      if (failed) throw failureOf(failed);
    } catch (error) {
      if (!alive(token)) return;
      panel.replaceChildren(title, handleFailure(error, 'No se ha podido buscar la letra.', () => {
        panel.replaceChildren(title, loadingView('Buscando la letra…'));
        load();
      }) || '');
      return;
    }
    if (!lyrics) {
      panel.replaceChildren(title, el('p', { className: 'empty', text: 'No se ha encontrado la letra de esta canción.' }));
      return;
    }
    panel.replaceChildren(title, ...lyricsBody(lyrics, audio, track.duration));
  }
  return { panel, load };
}

function lyricsBody(lyrics, audio, duration) {
  const parts = [];
  if (lyrics.instrumental) parts.push(el('p', { className: 'empty', text: 'Es una pieza instrumental: no tiene letra.' }));
  if (lyrics.partial) parts.push(el('p', { className: 'notice', text: 'La fuente solo permite mostrar parte de la letra.' }));
  const synced = (lyrics.synced || []).filter((line) => typeof line.timeMs === 'number');
  if (synced.length) {
    const list = el(
      'ol',
      { className: 'lyrics lyrics--synced' },
      synced.map((line) => el('li', { 'data-ms': line.timeMs }, el('span', { className: 'lyrics__time', text: formatDuration(Math.floor(line.timeMs / 1000)) }), el('span', { className: 'lyrics__line', text: line.text || ' ' }))),
    );
    parts.push(list);
    if (audio) followLyrics(audio, list, duration);
  } else if (lyrics.text) {
    parts.push(el('p', { className: 'lyrics lyrics--plain', text: lyrics.text }));
  }
  if (lyrics.copyright) parts.push(el('p', { className: 'fineprint', text: lyrics.copyright }));
  const language = lyrics.language && lyrics.language !== 'es' ? ` (en ${languageName(lyrics.language)})` : '';
  const origin = `Letra: ${sourceName(lyrics.source)}${language}`;
  parts.push(el('p', { className: 'fineprint' }, externalLink(lyrics.url, origin) || origin));
  return parts;
}

/** Resalta la línea que suena, solo si el audio es la canción entera (no un fragmento). */
function followLyrics(audio, list, trackDuration) {
  const lines = [...list.children];
  let active = null;
  audio.addEventListener('timeupdate', () => {
    const full = typeof trackDuration === 'number' && isFinite(audio.duration) && Math.abs(audio.duration - trackDuration) <= SYNC_TOLERANCE_SEC;
    if (!full) return;
    const now = audio.currentTime * 1000;
    let current = null;
    for (const line of lines) {
      if (Number(line.dataset.ms) <= now) current = line;
      else break;
    }
    if (current === active) return;
    if (active) active.removeAttribute('aria-current');
    active = current;
    if (active) {
      active.setAttribute('aria-current', 'true');
      active.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
    }
  });
}

/** «Letras»: buscar la letra de una canción por artista y título (claves de fuentes de letras). */
export function renderLyricsSearch(params, ctx) {
  const { token, navigated } = ctx;
  const artist = (params.get('artista') || '').trim();
  const title = (params.get('titulo') || '').trim();
  const artistInput = el('input', { id: 'lyrics-artist', name: 'artista', value: artist, autocomplete: 'off', required: true });
  const titleInput = el('input', { id: 'lyrics-title-q', name: 'titulo', value: title, autocomplete: 'off', enterkeyhint: 'search', required: true });
  const form = el(
    'form',
    { className: 'search search--lyrics', role: 'search', 'aria-label': 'Buscar una letra' },
    el('label', { for: 'lyrics-artist', text: 'Artista' }),
    artistInput,
    el('label', { for: 'lyrics-title-q', text: 'Canción' }),
    titleInput,
    el('button', { type: 'submit', className: 'button', text: 'Buscar letra' }),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const a = artistInput.value.trim();
    const t = titleInput.value.trim();
    if (a && t) location.hash = lyricsHref(a, t);
  });
  const body = el('section', { className: 'panel', 'aria-live': 'polite' });
  const heading = el('h1', { text: title && artist ? `Letra de «${title}»` : 'Buscar una letra' });
  mount([heading, form, body], title ? `Letra · ${title}` : 'Letras', navigated);
  if (!artist || !title) {
    body.append(el('p', { className: 'hint', text: 'Escribe el artista y el título de la canción.' }));
    if (navigated) artistInput.focus();
    return;
  }
  body.append(loadingView('Buscando la letra…'));
  gql(LYRICS_SEARCH, { artist, title })
    .then((result) => {
      if (!alive(token)) return;
      const lyrics = rootOf(result, 'lyrics');
      body.replaceChildren(el('p', { className: 'meta', text: `${lyrics.trackTitle} · ${lyrics.artistName}` }), ...lyricsBody(lyrics, null, null));
    })
    .catch((error) => {
      if (!alive(token)) return;
      if (asFailure(error).code === 'NOT_FOUND') {
        body.replaceChildren(el('p', { className: 'empty', text: `No se ha encontrado la letra de «${title}» de ${artist}.` }));
        return;
      }
      body.replaceChildren(handleFailure(error, 'No se ha podido buscar la letra.', ctx.retry) || '');
    });
}
