// Ficha de un álbum: datos de la edición (país, formato, sello, código de barras) y canciones
// por disco.
import { el, externalLink } from '../shared/dom.js';
import { sourceName } from './access.js';
import { cover, credits, factList, licence, listItem } from './components.js';
import { loadEntity } from './entity.js';
import { countryName, formatDate, formatDuration, joinParts } from './format.js';
import { trackHref } from './links.js';
import { provenance } from './provenance.js';
import { ALBUM } from './queries.js';
import { ALBUM_TYPES, FORMAT_NAMES } from './texts.js';
import { mount } from './view.js';

export function formatsText(formats) {
  if (!Array.isArray(formats) || !formats.length) return null;
  // «2×CD»: los formatos repetidos (un disco doble) se cuentan.
  const counts = new Map();
  for (const format of formats) counts.set(format, (counts.get(format) || 0) + 1);
  return [...counts].map(([format, count]) => `${count > 1 ? `${count}×` : ''}${FORMAT_NAMES[format] || format}`).join(' + ');
}

/** Lo que distingue una edición de otra con el mismo título, artista y año. */
export function editionOf(album) {
  return joinParts([countryName(album.country), formatsText(album.formats), album.label, album.barcode ? `código de barras ${album.barcode}` : null]) || null;
}

export async function renderAlbum(id, ctx) {
  const loaded = await loadEntity(id, ctx, {
    typename: 'Album',
    query: ALBUM,
    variables: { id },
    texts: { heading: 'Álbum', loading: 'Cargando el álbum…', failure: 'No se ha podido cargar el álbum.', missing: 'Álbum no encontrado' },
  });
  if (!loaded) return;
  const { result, node: album } = loaded;
  const { navigated } = ctx;

  const tracks = album.tracks || [];
  const total = tracks.reduce((sum, track) => sum + (typeof track.duration === 'number' ? track.duration : 0), 0);
  const facts = factList([
    ['Artista', credits(album.artists, album.artist)],
    ['Año', album.year || formatDate(album.releaseDate)],
    ['Publicación', album.releaseDate && album.releaseDate.length > 4 ? formatDate(album.releaseDate) : null],
    ['Tipo', ALBUM_TYPES[album.type]],
    ['País', countryName(album.country)],
    ['Formato', formatsText(album.formats)],
    ['Sello', album.label],
    ['Código de barras', album.barcode],
    ['Canciones', tracks.length ? `${tracks.length}${total ? ` · ${formatDuration(total)}` : ''}` : null],
    ['Géneros', (album.genres || []).join(', ')],
    ['Licencia', licence(album.license)],
    ['Fuente', externalLink(album.url, sourceName(album.source)) || sourceName(album.source)],
  ]);
  const hero = el(
    'header',
    { className: 'hero' },
    cover(album.cover, `Portada de ${album.title}`),
    el('div', { className: 'hero__text' }, el('p', { className: 'eyebrow', text: ALBUM_TYPES[album.type] || 'Álbum' }), el('h1', { text: album.title }), facts),
  );

  const section = el('section', { className: 'panel', 'aria-labelledby': 'tracks-title' }, el('h2', { id: 'tracks-title', text: 'Canciones' }));
  if (!tracks.length) {
    section.append(el('p', { className: 'empty', text: 'La fuente no da la lista de canciones de este álbum.' }));
  } else {
    const discs = new Set(tracks.map((track) => track.discNumber || 1));
    let disc = null;
    let list = null;
    tracks.forEach((track, index) => {
      const number = track.discNumber || 1;
      if (!list || (discs.size > 1 && number !== disc)) {
        disc = number;
        if (discs.size > 1) section.append(el('h3', { text: `Disco ${number}` }));
        list = el('ol', { className: 'list list--tracks', 'aria-label': discs.size > 1 ? `Canciones del disco ${number}` : 'Canciones' });
        section.append(list);
      }
      const artist = track.artist && track.artist !== album.artist ? track.artist : null;
      list.append(listItem({ href: trackHref(track.id), title: track.title, subtitle: artist, aside: formatDuration(track.duration), leading: String(track.trackNumber || index + 1) }));
    });
  }
  mount([hero, section, provenance(result.sources)], `${album.title} · ${album.artist}`, navigated);
}
