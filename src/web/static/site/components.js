// Piezas de las vistas: filas de lista, portadas, fichas de datos, créditos, licencias y «Cargar más».
import { el, externalLink, safeUrl } from '../shared/dom.js';
import { sourceName } from './access.js';
import { handleFailure } from './errors.js';
import { artistHref } from './links.js';
import { alive, loadingView } from './view.js';

export function image(url, alt, className, size) {
  if (!safeUrl(url)) return null;
  const img = el('img', { src: url, alt: alt || '', className, loading: 'lazy', decoding: 'async', width: size, height: size });
  img.referrerPolicy = 'no-referrer';
  // Una imagen que no carga se quita: nunca se pone otra en su lugar.
  img.addEventListener('error', () => img.remove(), { once: true });
  return img;
}

export function thumb(imageSet, alt) {
  const url = imageSet && (imageSet.small || imageSet.medium || imageSet.large);
  return el('span', { className: 'thumb', 'aria-hidden': 'true' }, image(url, alt, null, 56));
}

export function cover(imageSet, alt) {
  const url = imageSet && (imageSet.large || imageSet.medium || imageSet.small);
  const img = image(imageSet && (imageSet.medium || imageSet.large || imageSet.small), alt, 'cover__img', 500);
  if (!img) return null;
  const figure = el('figure', { className: 'cover' }, img);
  img.addEventListener('error', () => figure.remove(), { once: true });
  if (imageSet.source) {
    const credit = `Imagen: ${sourceName(imageSet.source)}`;
    figure.append(el('figcaption', { className: 'cover__credit' }, externalLink(url, credit) || credit));
  }
  return figure;
}

/** Fila enlazada de una lista: imagen, título, subtítulo, dato a la derecha, posición y detalle. */
export function listItem({ href, image: picture, title, subtitle, aside, leading, detail }) {
  return el(
    'li',
    null,
    el(
      'a',
      { className: 'item', href },
      leading ? el('span', { className: 'item__pos', text: leading }) : null,
      picture,
      el(
        'span',
        { className: 'item__text' },
        el('span', { className: 'item__title', text: title }),
        subtitle ? el('span', { className: 'item__sub', text: subtitle }) : null,
        detail ? el('span', { className: 'item__detail', text: detail }) : null,
      ),
      aside ? el('span', { className: 'item__aside', text: aside }) : null,
    ),
  );
}

export function factList(rows) {
  const list = el('dl', { className: 'facts' });
  for (const [label, value] of rows) {
    if (value === null || value === undefined || value === '') continue;
    list.append(el('div', { className: 'facts__row' }, el('dt', { text: label }), el('dd', null, typeof value === 'string' || typeof value === 'number' ? String(value) : value)));
  }
  return list;
}

/** Artistas acreditados, con enlace a cada uno que tenga id. */
export function credits(artists, fallback) {
  if (!artists || !artists.length) return fallback || null;
  const span = el('span');
  artists.forEach((credit, index) => {
    span.append(credit.id ? el('a', { href: artistHref(credit.id), text: credit.name }) : el('span', { text: credit.name }));
    const join = credit.joinPhrase || (index < artists.length - 1 ? ', ' : '');
    if (join) span.append(document.createTextNode(join));
  });
  return span;
}

export function licence(license) {
  if (!license) return null;
  return externalLink(license.url, license.name) || license.name;
}

export function joinNodes(nodes) {
  const out = [];
  nodes.filter(Boolean).forEach((node, index) => {
    if (index) out.push(', ');
    out.push(node);
  });
  return out;
}

/** Una vista de «no encontrado» para un id que ninguna fuente conoce. */
export function notFound(heading) {
  return [el('h1', { text: heading }), el('p', { className: 'empty', text: 'Ninguna fuente tiene este elemento. Puede que el enlace esté mal copiado o que la fuente lo haya retirado.' })];
}

/**
 * «Cargar más» bajo una lista: `next()` pide la página siguiente, añade sus filas y la devuelve
 * (`{ nodes, pageInfo }`), o null si la vista ya no está. Muestra el aviso de carga y los fallos
 * con «Reintentar», y se esconde al final. Devuelve el aviso y el botón, para ponerlos bajo la lista.
 */
export function moreControls({ hasNextPage, token, loading, failure, next }) {
  const more = el('button', { type: 'button', className: 'button button--ghost more', text: 'Cargar más' });
  const status = el('div', { className: 'more__status' });
  more.hidden = !hasNextPage;
  const loadMore = async () => {
    more.disabled = true;
    status.replaceChildren(loadingView(loading));
    try {
      const page = await next();
      if (!page || !alive(token)) return;
      more.hidden = !page.pageInfo.hasNextPage || page.nodes.length === 0;
      status.replaceChildren();
    } catch (error) {
      if (!alive(token)) return;
      status.replaceChildren(handleFailure(error, failure, loadMore) || '');
    } finally {
      more.disabled = false;
    }
  };
  more.addEventListener('click', loadMore);
  return { status, more };
}
