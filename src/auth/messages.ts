import type { Text } from '../errors/api.js';

/** Refusals about keys that several modules send, in the API's two languages. */
export const KEY_REQUIRED: Text = { en: 'An API key is required.', es: 'Hace falta una clave de API.' };

export const KEY_REQUIRED_HOW: Text = {
  en: 'An API key is required: send "Authorization: Bearer <key>" or "X-API-Key: <key>".',
  es: 'Hace falta una clave de API: envíala como «Authorization: Bearer <clave>» o «X-API-Key: <clave>».',
};

export const UNKNOWN_KEY: Text = { en: 'Unknown or revoked API key.', es: 'Esta clave de API no existe o ha sido revocada.' };

export const READ_ONLY_REFUSAL: Text = {
  en: 'This admin key is read-only: it may read everything but cannot run mutations.',
  es: 'Esta clave de administración es de solo lectura: puede consultarlo todo, pero no ejecutar mutaciones.',
};
