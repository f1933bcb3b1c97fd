// Formatos en español del panel.
export const numbers = new Intl.NumberFormat('es-ES');
export const dates = new Intl.DateTimeFormat('es-ES', { dateStyle: 'short', timeStyle: 'short' });
export const times = new Intl.DateTimeFormat('es-ES', { timeStyle: 'medium' });
