// GraphQL del cliente web: la clave guardada como Bearer y, en español, la causa de cada fallo.
import { ApiFailure, codeOf, failureOf, postGraphQL } from '../shared/graphql.js';
import { keyStore } from './storage.js';

// Relativo a la página, para que funcione también detrás de un prefijo de proxy.
const GRAPHQL_URL = new URL('graphql', document.baseURI).toString();

export { ApiFailure, failureOf };

/** Devuelve `{ data, errors, sources }`; solo lanza si no hay respuesta GraphQL o la clave no vale. */
export async function gql(query, variables) {
  const key = keyStore.get();
  if (!key) throw new ApiFailure('UNAUTHENTICATED', 'No key');
  const result = await postGraphQL(GRAPHQL_URL, key, query, variables);
  const denied = result.errors.find((error) => codeOf(error) === 'UNAUTHENTICATED');
  if (result.status === 401 || denied) throw failureOf(denied || { extensions: { code: 'UNAUTHENTICATED' } });
  if (result.data === null && result.errors.length) throw failureOf(result.errors[0]);
  return result;
}

/** El campo raíz pedido, o la causa de que falte. */
export function rootOf(result, field) {
  const value = result.data && result.data[field];
  if (value === null || value === undefined) throw failureOf(errorAt(result.errors, [field]) || result.errors[0]);
  return value;
}

/** El primer error cuyo `path` empieza por `path`. */
export function errorAt(errors, path) {
  return errors.find((error) => Array.isArray(error.path) && path.every((part, index) => error.path[index] === part)) || null;
}

/**
 * El nodo de `node(id)` si es del tipo esperado. `null` cuando no existe (el campo es anulable:
 * «no encontrado»); un nodo de otro tipo se devuelve tal cual para que la vista redirija.
 */
export function nodeOf(result) {
  const node = result.data && result.data.node;
  if (node) return node;
  const failed = errorAt(result.errors, ['node']);
  if (failed && codeOf(failed) !== 'NOT_FOUND') throw failureOf(failed);
  return null;
}
