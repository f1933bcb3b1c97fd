// Formatos en español de duraciones, fechas, tamaños, países e idiomas.

export const numbers = new Intl.NumberFormat('es-ES');
export const dateTimes = new Intl.DateTimeFormat('es-ES', { dateStyle: 'medium', timeStyle: 'short' });
export const times = new Intl.DateTimeFormat('es-ES', { timeStyle: 'short' });
const regions = typeof Intl.DisplayNames === 'function' ? new Intl.DisplayNames(['es'], { type: 'region' }) : null;
const languages = typeof Intl.DisplayNames === 'function' ? new Intl.DisplayNames(['es'], { type: 'language' }) : null;

export function formatDuration(seconds) {
  if (typeof seconds !== 'number' || !isFinite(seconds) || seconds < 0) return null;
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** YYYY, YYYY-MM o YYYY-MM-DD, en español. */
export function formatDate(value) {
  const match = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(value || '');
  if (!match) return value || null;
  const [, year, month, day] = match;
  if (!month) return year;
  const when = Date.UTC(Number(year), Number(month) - 1, Number(day || 1));
  const options = day ? { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' } : { month: 'long', year: 'numeric', timeZone: 'UTC' };
  return new Intl.DateTimeFormat('es-ES', options).format(when);
}

export function formatBytes(bytes) {
  if (typeof bytes !== 'number') return null;
  const mb = bytes / (1024 * 1024);
  return mb >= 1 ? `${mb.toLocaleString('es-ES', { maximumFractionDigits: 1 })} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** Nombre en español de un código ISO 3166-1; XW (MusicBrainz: «todo el mundo») incluido. */
export function countryName(code) {
  if (!code) return null;
  if (code === 'XW') return 'Todo el mundo';
  if (code === 'XE') return 'Europa';
  try {
    return (regions && regions.of(code)) || code;
  } catch {
    return code;
  }
}

export function languageName(code) {
  if (!code) return null;
  try {
    return (languages && languages.of(code)) || code;
  } catch {
    return code;
  }
}

export const songs = (count) => `${numbers.format(count)} ${count === 1 ? 'canción' : 'canciones'}`;

export function joinParts(parts, separator) {
  return parts.filter((part) => part !== null && part !== undefined && part !== '').join(separator || ' · ');
}

export const percent = (fraction) => `${Math.round(Math.max(0, Math.min(1, fraction)) * 100)} %`;
