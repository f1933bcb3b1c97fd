// Formatos en español del panel.
export const numbers = new Intl.NumberFormat('es-ES');
export const dates = new Intl.DateTimeFormat('es-ES', { dateStyle: 'short', timeStyle: 'short' });
export const times = new Intl.DateTimeFormat('es-ES', { timeStyle: 'medium' });

/** Tipos de error de las fuentes (salud y «Probar»: SourceErrorKind, EMPTY, INTERNAL), en palabras. */
export const ERROR_KINDS = {
  timeout: 'tiempo agotado',
  rate_limited: 'límite de peticiones',
  unavailable: 'no disponible',
  bad_response: 'respuesta no válida',
  not_found: 'no encontrado',
  unconfigured: 'sin configurar',
  unauthorized: 'credencial rechazada',
  aborted: 'cancelada',
  bad_input: 'consulta de prueba no válida',
  host_not_allowed: 'servidor no permitido',
  budget_exceeded: 'demasiadas llamadas',
  deadline_exceeded: 'fuera de plazo',
  cache_miss: 'sin copia guardada',
  empty: 'respuesta vacía',
  internal: 'error interno',
};

/** El gateway da el tipo en mayúsculas (TIMEOUT); el panel lo dice en palabras. */
export const errorKind = (kind) => (kind ? ERROR_KINDS[kind.toLowerCase()] || kind : null);
