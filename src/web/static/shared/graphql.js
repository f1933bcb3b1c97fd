// Llamada a /graphql compartida por el cliente web y la página /admin. Pide siempre las
// respuestas en español (`accept-language: es`): mensajes de error, títulos de listas, etc.

/** Un fallo con su `extensions.code` (o NETWORK / BAD_RESPONSE cuando no hubo respuesta GraphQL). */
export class ApiFailure extends Error {
  constructor(code, message, extensions) {
    super(message || code);
    this.code = code || 'INTERNAL_SERVER_ERROR';
    this.extensions = extensions || {};
  }
}

export const codeOf = (error) => (error && error.extensions && error.extensions.code) || null;

export const failureOf = (error) => new ApiFailure(codeOf(error) || 'INTERNAL_SERVER_ERROR', error && error.message, error && error.extensions);

/**
 * POST de una operación con la clave como Bearer. Devuelve `{ status, data, errors, sources }`;
 * solo lanza `ApiFailure` si no llega una respuesta GraphQL (NETWORK, BAD_RESPONSE).
 */
export async function postGraphQL(url, key, query, variables) {
  let response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        'accept-language': 'es',
        authorization: `Bearer ${key}`,
      },
      body: JSON.stringify({ query, variables }),
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch {
    throw new ApiFailure('NETWORK', 'fetch failed');
  }
  let body;
  try {
    body = await response.json();
  } catch {
    throw new ApiFailure('BAD_RESPONSE', `HTTP ${response.status}`);
  }
  if (!body || typeof body !== 'object') throw new ApiFailure('BAD_RESPONSE', `HTTP ${response.status}`);
  const errors = Array.isArray(body.errors) ? body.errors : [];
  return { status: response.status, data: body.data || null, errors, sources: (body.extensions && body.extensions.sources) || [] };
}
