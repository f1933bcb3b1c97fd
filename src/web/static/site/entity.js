// Carga el nodo de una ficha (álbum, canción, artista) y resuelve lo que todas comparten: el aviso
// de carga, el fallo con «Reintentar», «no encontrado» y el id de otro tipo, que abre su ficha.
import { el } from '../shared/dom.js';
import { gql, nodeOf } from './api.js';
import { notFound } from './components.js';
import { asFailure, handleFailure } from './errors.js';
import { hrefForOtherKind } from './links.js';
import { alive, loadingView, mount } from './view.js';

/**
 * La respuesta y el nodo `typename` que pide `query`, o null cuando la vista ya muestra otra cosa
 * (un fallo, «no encontrado», la ficha de otro tipo) o la navegación la ha dejado atrás.
 * `texts`: `{ heading, loading, failure, missing }`.
 */
export async function loadEntity(id, ctx, { typename, query, variables, texts }) {
  const { token, navigated } = ctx;
  mount([loadingView(texts.loading)], texts.heading, false);
  let result = null;
  let node = null;
  try {
    result = await gql(query, variables);
    node = nodeOf(result);
  } catch (error) {
    if (!alive(token)) return null;
    if (asFailure(error).code !== 'NOT_FOUND') {
      mount([el('h1', { text: texts.heading }), handleFailure(error, texts.failure, ctx.retry)], texts.heading, navigated);
      return null;
    }
  }
  if (!alive(token)) return null;
  const elsewhere = node && node.__typename !== typename ? hrefForOtherKind(node, id) : null;
  if (elsewhere) {
    location.replace(elsewhere);
    return null;
  }
  if (!node || node.__typename !== typename) {
    mount(notFound(texts.missing), texts.missing, navigated);
    return null;
  }
  return { result, node };
}
