// GraphQL de la página /admin con la clave de administración, que vive solo en sessionStorage de
// esta pestaña.
import { ApiFailure, codeOf, postGraphQL } from '../shared/graphql.js';

const STORAGE_KEY = 'musica.adminKey';
// Relativo a /admin/, para que el panel funcione también detrás de un prefijo de proxy.
const GRAPHQL_URL = new URL('../graphql', document.baseURI).toString();

export const adminKey = {
  get: () => sessionStorage.getItem(STORAGE_KEY),
  set: (key) => sessionStorage.setItem(STORAGE_KEY, key),
  clear: () => sessionStorage.removeItem(STORAGE_KEY),
};

/** La clave ya no sirve para este panel: hay que volver a entrar. */
export class AuthError extends Error {}

/** Un fallo de la API explicado en español, con su `extensions.code`. */
export class AdminError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

export async function gql(query, variables) {
  const key = adminKey.get();
  if (!key) throw new AuthError('No hay sesión iniciada.');
  let result;
  try {
    result = await postGraphQL(GRAPHQL_URL, key, query, variables);
  } catch (error) {
    const code = error instanceof ApiFailure ? error.code : 'NETWORK';
    throw new AdminError(code, code === 'NETWORK' ? 'No se pudo contactar con el servidor.' : `Respuesta inesperada del servidor (${error.message}).`);
  }
  const error = result.errors[0];
  const code = codeOf(error);
  if (result.status === 401 || code === 'UNAUTHENTICATED') throw new AuthError('La clave no es válida o ha sido revocada.');
  if (error) throw new AdminError(code, describeError(code, error.message));
  return result.data;
}

function describeError(code, message) {
  switch (code) {
    case 'BAD_USER_INPUT':
      return `Datos no válidos: ${message}`;
    case 'SOURCE_INACTIVE':
      return `La fuente está inactiva: ${message}`;
    case 'FORBIDDEN':
      return `Esta clave no puede hacer este cambio: ${message}`;
    case 'GRAPHQL_VALIDATION_FAILED':
      return `El servidor no tiene esta función (puede que tenga otra versión de la API): ${message}`;
    default:
      return `Error del servidor: ${message}`;
  }
}
