// Ficha de un artista: foto, biografía (la de la cadena de biografías o la de su fuente), enlaces
// y discografía (solo si la clave llega a alguna fuente que la dé).
import { el, externalLink, safeUrl } from '../shared/dom.js';
import { can, sourceName } from './access.js';
import { errorAt, failureOf, gql, nodeOf } from './api.js';
import { cover, factList, listItem, moreControls, thumb } from './components.js';
import { loadEntity } from './entity.js';
import { handleFailure } from './errors.js';
import { countryName, joinParts, languageName, numbers } from './format.js';
import { albumHref } from './links.js';
import { provenance } from './provenance.js';
import { ARTIST, DISCOGRAPHY } from './queries.js';
import { ALBUM_TYPES, PLATFORM_NAMES } from './texts.js';
import { alive, mount } from './view.js';

const DISCOGRAPHY_SIZE = 25;

export async function renderArtist(id, ctx) {
  const withDiscography = can('Artist.discography');
  const loaded = await loadEntity(id, ctx, {
    typename: 'Artist',
    query: ARTIST,
    variables: { id, first: DISCOGRAPHY_SIZE, withDiscography },
    texts: { heading: 'Artista', loading: 'Cargando el artista…', failure: 'No se ha podido cargar el artista.', missing: 'Artista no encontrado' },
  });
  if (!loaded) return;
  const { result, node: artist } = loaded;
  const { token, navigated } = ctx;

  const facts = factList([
    ['Tipo', artist.typeLabel],
    ['País', countryName(artist.country)],
    ['Géneros', (artist.genres || []).join(', ')],
    ['Fuente', externalLink(artist.url, sourceName(artist.source)) || sourceName(artist.source)],
  ]);
  const photo = artist.photo ? cover(artist.photo, `Foto de ${artist.name}`) : null;
  if (photo) photo.classList.add('cover--photo');
  const hero = el(
    'header',
    { className: 'hero' },
    photo,
    el(
      'div',
      { className: 'hero__text' },
      el('p', { className: 'eyebrow', text: 'Artista' }),
      el('h1', { text: artist.name }),
      artist.disambiguation ? el('p', { className: 'hint', text: artist.disambiguation }) : null,
      facts,
    ),
  );

  const links = (artist.socialLinks || []).filter((link) => safeUrl(link.url));
  const linkList = links.length
    ? el('section', { className: 'panel', 'aria-labelledby': 'links-title' }, el('h2', { id: 'links-title', text: 'Enlaces' }), el('ul', { className: 'chips' }, links.map((link) => el('li', null, externalLink(link.url, PLATFORM_NAMES[link.platform] || link.platform, 'chip')))))
    : null;

  mount(
    [
      hero,
      biographyPanel(artist, result.errors),
      linkList,
      withDiscography ? discographyPanel(artist, result.errors, token) : null,
      provenance(result.sources),
    ],
    artist.name,
    navigated,
  );
}

function biographyPanel(artist, errors) {
  const panel = el('section', { className: 'panel', 'aria-labelledby': 'bio-title' }, el('h2', { id: 'bio-title', text: 'Biografía' }));
  const bio = artist.biography;
  const failed = !bio && errorAt(errors, ['node', 'biography']);
  if (failed) {
    panel.append(handleFailure(failureOf(failed), 'No se ha podido cargar la biografía.') || '');
    return panel;
  }
  if (!bio || (!bio.summary && !bio.content)) {
    panel.append(el('p', { className: 'empty', text: 'Ninguna fuente tiene una biografía de este artista.' }));
    return panel;
  }
  const summary = bio.summary || bio.content;
  panel.append(el('p', { className: 'bio', text: summary }));
  if (bio.content && bio.content.trim() !== summary.trim()) {
    panel.append(el('details', { className: 'bio__more' }, el('summary', { text: 'Leer la biografía completa' }), el('p', { className: 'bio', text: bio.content })));
  }
  const language = bio.language && bio.language !== 'es' ? ` (en ${languageName(bio.language)})` : '';
  const origin = `Biografía: ${sourceName(bio.source)}${language}`;
  panel.append(el('p', { className: 'fineprint' }, externalLink(bio.url, origin) || origin));
  return panel;
}

function discographyPanel(artist, errors, token) {
  const panel = el('section', { className: 'panel', 'aria-labelledby': 'discography-title' }, el('h2', { id: 'discography-title', text: 'Discografía' }));
  const page = artist.discography;
  if (!page) {
    const failed = errorAt(errors, ['node', 'discography']);
    panel.append(failed ? handleFailure(failureOf(failed), 'No se ha podido cargar la discografía.') || '' : el('p', { className: 'empty', text: 'La fuente no tiene la discografía de este artista.' }));
    return panel;
  }
  if (!page.nodes.length) {
    panel.append(el('p', { className: 'empty', text: 'La fuente no tiene la discografía de este artista.' }));
    return panel;
  }
  const list = el('ol', { className: 'list', 'aria-label': 'Discografía' }, page.nodes.map(discographyItem));
  let pageInfo = page.pageInfo;
  const { status, more } = moreControls({
    hasNextPage: pageInfo.hasNextPage,
    token,
    loading: 'Cargando más…',
    failure: 'No se ha podido cargar más discografía.',
    next: async () => {
      const result = await gql(DISCOGRAPHY, { id: artist.id, first: DISCOGRAPHY_SIZE, after: pageInfo.endCursor });
      if (!alive(token)) return null;
      const owner = nodeOf(result);
      const next = owner && owner.discography;
      if (!next) throw failureOf(errorAt(result.errors, ['node', 'discography']) || result.errors[0]);
      list.append(...next.nodes.map(discographyItem));
      pageInfo = next.pageInfo;
      return next;
    },
  });
  panel.append(el('p', { className: 'meta', text: joinParts([`Según ${sourceName(page.source)}`, typeof page.totalCount === 'number' ? `${numbers.format(page.totalCount)} lanzamientos` : null]) }), list, status, more);
  return panel;
}

function discographyItem(album) {
  return listItem({ href: albumHref(album.id), image: thumb(album.cover, ''), title: album.title, subtitle: joinParts([album.year, ALBUM_TYPES[album.type]]) });
}
