// Ficha de una canción: datos, dónde escucharla (su fuente y la misma grabación en otras
// fuentes), letra y descargas.
import { el, externalLink, safeUrl } from '../shared/dom.js';
import { can, learnSourceName, sourceName } from './access.js';
import { cover, credits, factList, joinNodes, licence } from './components.js';
import { downloadsPanel } from './downloads.js';
import { loadEntity } from './entity.js';
import { formatDate, formatDuration, joinParts, percent } from './format.js';
import { albumHref, trackHref } from './links.js';
import { lyricsPanel } from './lyrics.js';
import { provenance } from './provenance.js';
import { TRACK } from './queries.js';
import { MATCH_TEXT, PLATFORM_NAMES } from './texts.js';
import { mount } from './view.js';

export async function renderTrack(id, ctx) {
  const loaded = await loadEntity(id, ctx, {
    typename: 'Track',
    query: TRACK,
    variables: { id },
    texts: { heading: 'Canción', loading: 'Cargando la canción…', failure: 'No se ha podido cargar la canción.', missing: 'Canción no encontrada' },
  });
  if (!loaded) return;
  const { result, node: track } = loaded;
  const { token, navigated } = ctx;

  const matches = track.availability || [];
  for (const match of matches) learnSourceName(match.source, match.sourceName);

  const albumLink = track.album && track.album.id ? el('a', { href: albumHref(track.album.id), text: track.album.title || track.albumTitle }) : track.albumTitle ? el('span', { text: track.albumTitle }) : null;
  const isrcs = track.isrcs && track.isrcs.length ? track.isrcs : track.isrc ? [track.isrc] : [];
  const facts = factList([
    ['Artista', credits(track.artists, track.artist)],
    ['Álbum', albumLink],
    ['Duración', formatDuration(track.duration)],
    ['Publicación', formatDate(track.releaseDate)],
    ['Géneros', (track.genres || []).join(', ')],
    ['ISRC', isrcs.join(', ')],
    ['Licencia', licence(track.license)],
    ['Fuente', sourceName(track.source)],
  ]);

  const hero = el(
    'header',
    { className: 'hero' },
    cover(track.cover, `Portada de ${track.albumTitle || track.title}`),
    el('div', { className: 'hero__text' }, el('p', { className: 'eyebrow', text: 'Canción' }), el('h1', { text: track.title }), facts),
  );

  const listen = listenPanel(track, matches);
  const lyrics = can('lyrics') ? lyricsPanel(track, listen.audio, token) : null;
  const downloads = downloadsPanel(track, token);

  mount([hero, listen.panel, lyrics && lyrics.panel, downloads, provenance(result.sources)], `${track.title} · ${track.artist}`, navigated);
  if (lyrics) lyrics.load();
}

/** Cómo se supo que es la misma grabación, en palabras. */
export function matchDetail(match) {
  const delta = typeof match.durationDeltaSec === 'number' && match.durationDeltaSec !== 0 ? `${Math.abs(match.durationDeltaSec)} s de diferencia` : null;
  return joinParts([MATCH_TEXT[match.matchedBy] || match.matchedBy, `confianza ${percent(match.confidence)}`, delta]);
}

function listenPanel(track, matches) {
  const panel = el('section', { className: 'panel', 'aria-labelledby': 'listen-title' }, el('h2', { id: 'listen-title', text: 'Escuchar' }));
  let audio = null;
  if (safeUrl(track.previewUrl)) {
    audio = el('audio', { controls: true, preload: 'none', src: track.previewUrl, 'aria-label': `Muestra de ${track.title}` });
    panel.append(el('p', { className: 'hint', text: 'Muestra que ofrece la fuente:' }), audio);
  }
  // `playbackSource` difiere de `source` cuando el enlace se toma de otra fuente con la misma grabación.
  const playbackSource = track.playbackSource || track.source;
  const play = externalLink(track.playbackUrl, `Escuchar en ${sourceName(playbackSource)}`, 'button');
  if (play) {
    panel.append(el('p', { className: 'listen__main' }, play));
    if (playbackSource !== track.source) {
      const lender = matches.find((match) => match.source === playbackSource);
      const how = lender ? ` (${matchDetail(lender)})` : '';
      panel.append(el('p', { className: 'hint listen__borrowed', text: `${sourceName(track.source)} no tiene enlace propio: es la misma grabación en ${sourceName(playbackSource)}${how}.` }));
    }
  }

  const others = matches.filter((match) => match.track && !(track.playbackUrl && match.track.playbackUrl === track.playbackUrl));
  if (others.length) {
    const list = el('ul', { className: 'matches', 'aria-label': 'La misma canción en otras fuentes' });
    for (const match of others) {
      const name = match.sourceName || sourceName(match.source);
      const link = externalLink(match.track.playbackUrl, `Escuchar en ${name}`, 'button button--small button--ghost') || el('a', { className: 'button button--small button--ghost', href: trackHref(match.track.id), text: `Ver en ${name}` });
      list.append(el('li', { className: 'match', 'data-source': match.source }, link, el('span', { className: 'match__detail', text: matchDetail(match) })));
    }
    panel.append(el('h3', { text: 'En otras fuentes' }), list);
  }

  const links = (track.links || []).filter((link) => safeUrl(link.url) && link.url !== track.playbackUrl);
  if (links.length) {
    panel.append(el('p', { className: 'links' }, 'También en: ', joinNodes(links.map((link) => externalLink(link.url, PLATFORM_NAMES[link.platform] || link.platform)))));
  }
  if (!audio && !play && !others.length && !links.length) panel.append(el('p', { className: 'empty', text: 'La fuente no ofrece ningún enlace para escucharla.' }));
  return { panel, audio };
}
