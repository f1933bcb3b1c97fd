// Textos en español para los códigos que devuelve la API. Los nombres de las fuentes no están
// aquí: los da el servidor (`sources { name }`, `TrackMatch.sourceName`).

export const COUNTRIES = [
  ['mundial', 'Mundial'],
  ['ES', 'España'],
  ['MX', 'México'],
  ['AR', 'Argentina'],
  ['CO', 'Colombia'],
  ['CL', 'Chile'],
  ['PE', 'Perú'],
  ['VE', 'Venezuela'],
  ['EC', 'Ecuador'],
  ['UY', 'Uruguay'],
  ['BO', 'Bolivia'],
  ['PY', 'Paraguay'],
  ['CR', 'Costa Rica'],
  ['GT', 'Guatemala'],
  ['DO', 'República Dominicana'],
  ['PR', 'Puerto Rico'],
  ['US', 'Estados Unidos'],
  ['GB', 'Reino Unido'],
  ['FR', 'Francia'],
  ['DE', 'Alemania'],
  ['IT', 'Italia'],
  ['PT', 'Portugal'],
  ['BR', 'Brasil'],
];

/** ExternalLink.platform: plataformas de terceros enlazadas (no son fuentes de la API). */
export const PLATFORM_NAMES = {
  official: 'Web oficial',
  spotify: 'Spotify',
  youtube: 'YouTube',
  youtubemusic: 'YouTube Music',
  applemusic: 'Apple Music',
  deezer: 'Deezer',
  tidal: 'Tidal',
  bandcamp: 'Bandcamp',
  soundcloud: 'SoundCloud',
  instagram: 'Instagram',
  facebook: 'Facebook',
  twitter: 'X (Twitter)',
  tiktok: 'TikTok',
  myspace: 'Myspace',
  wikipedia: 'Wikipedia',
  wikidata: 'Wikidata',
  musicbrainz: 'MusicBrainz',
  discogs: 'Discogs',
  lastfm: 'Last.fm',
  jamendo: 'Jamendo',
};

export const ERROR_TEXT = {
  UNAUTHENTICATED: 'Tu clave no es válida o ha sido revocada. Vuelve a introducirla.',
  SOURCES_UNAVAILABLE: 'Ninguna fuente ha podido responder ahora mismo. Inténtalo de nuevo dentro de un rato.',
  NOT_FOUND: 'No se ha encontrado en las fuentes consultadas.',
  FORBIDDEN: 'Tu clave no permite usar esta fuente.',
  SOURCE_INACTIVE: 'La fuente está desactivada en este servidor.',
  BAD_USER_INPUT: 'La petición no es válida: revisa lo que has escrito.',
  DOWNLOAD_UNAVAILABLE: 'Esta canción no se puede descargar.',
  GRAPHQL_VALIDATION_FAILED: 'El servidor no entiende esta consulta: puede que tenga otra versión de la API.',
  QUERY_TOO_COMPLEX: 'La consulta es demasiado grande para este servidor.',
  BUDGET_EXCEEDED: 'La consulta necesitaba demasiadas llamadas a las fuentes. Inténtalo de nuevo o pide menos resultados.',
  DEADLINE_EXCEEDED: 'Las fuentes han tardado demasiado en responder. Inténtalo de nuevo.',
  RATE_LIMITED: 'Se han hecho demasiadas peticiones seguidas. Espera un poco y vuelve a intentarlo.',
  NETWORK: 'No se ha podido contactar con el servidor. Comprueba la conexión.',
  BAD_RESPONSE: 'El servidor ha dado una respuesta inesperada.',
};

/** Fallos en los que volver a pedir lo mismo puede salir bien: se ofrece «Reintentar». */
export const RETRYABLE = new Set(['NETWORK', 'BAD_RESPONSE', 'SOURCES_UNAVAILABLE', 'DEADLINE_EXCEEDED', 'BUDGET_EXCEEDED', 'RATE_LIMITED', 'INTERNAL_SERVER_ERROR']);

/** DownloadUnavailableReason: por qué una descarga no se ofrece. */
export const UNAVAILABLE_TEXT = {
  NOT_LICENSED: 'La fuente no permite descargar esta canción; solo reproducirla.',
  NOT_IMPLEMENTED: 'Las descargas no están activadas en este servidor.',
  SOURCE_UNAVAILABLE: 'La fuente ofrece la descarga, pero ahora no se puede obtener el archivo.',
  TOO_LARGE: 'El archivo supera el tamaño máximo que admite este servidor.',
};

/** DownloadErrorCode: por qué falló la preparación. */
export const JOB_ERROR_TEXT = {
  HOST_NOT_ALLOWED: 'El archivo apuntaba fuera de los servidores de descarga de la fuente y se ha descartado.',
  INTERNAL: 'Error inesperado al preparar la descarga.',
  NOT_AUDIO: 'Lo que entregó la fuente no era el audio esperado (una página web o un fragmento).',
  NOT_LICENSED: 'La fuente no permite descargar esta canción; solo reproducirla.',
  SOURCE_UNAVAILABLE: 'La fuente ya no ofrece el archivo.',
  STORAGE_FAILED: 'El servidor no ha podido guardar los archivos.',
  TOO_LARGE: 'El archivo supera el tamaño máximo que admite este servidor; no se ha guardado nada.',
  TRANSCODE_FAILED: 'No se ha podido convertir el audio a WAV o MP3.',
  UPSTREAM_FAILED: 'La fuente falló a mitad de la transferencia. Vuelve a intentarlo.',
};

export const JOB_STATE_TEXT = { QUEUED: 'En cola…', RUNNING: 'Preparando…', DONE: 'Lista.', FAILED: 'Ha fallado.' };

export const ALBUM_TYPES = { ALBUM: 'Álbum', SINGLE: 'Sencillo', EP: 'EP', COMPILATION: 'Recopilatorio', OTHER: 'Otro' };

/** MatchMethod: cómo se supo que otra fuente tiene la misma grabación. */
export const MATCH_TEXT = {
  ISRC: 'mismo ISRC',
  LINK: 'enlace publicado por la fuente',
  METADATA: 'coincidencia por título, artista y duración',
};

/** Album.formats: los formatos de MusicBrainz más comunes; el resto se muestra tal cual. */
export const FORMAT_NAMES = {
  CD: 'CD',
  'Digital Media': 'digital',
  Vinyl: 'vinilo',
  '12" Vinyl': 'vinilo 12"',
  '7" Vinyl': 'vinilo 7"',
  '10" Vinyl': 'vinilo 10"',
  Cassette: 'casete',
  DVD: 'DVD',
  'Blu-ray': 'Blu-ray',
  SACD: 'SACD',
  'Hybrid SACD': 'SACD híbrido',
  'Enhanced CD': 'CD mejorado',
  'CD-R': 'CD-R',
};

export const FIELD_NAMES = {
  searchTracks: 'Búsqueda de canciones',
  searchAlbums: 'Búsqueda de álbumes',
  searchArtists: 'Búsqueda de artistas',
  track: 'Canción',
  album: 'Álbum',
  artist: 'Artista',
  node: 'Ficha',
  lyrics: 'Letra',
  cover: 'Portada',
  chart: 'Lista de éxitos',
  'Artist.biography': 'Biografía',
  'Artist.photo': 'Foto',
  'Artist.discography': 'Discografía',
  'Track.related': 'Canciones relacionadas',
  'Track.availability': 'La misma canción en otras fuentes',
  'Album.cover/Track.cover': 'Portadas',
};

export const OUTCOME_TEXT = {
  ok: 'respondió',
  empty: 'sin resultados',
  stale: 'copia guardada',
  'lost-hedge': 'más lenta',
  'skipped-inactive': 'desactivada',
  'skipped-unconfigured': 'sin configurar',
  'skipped-circuit-open': 'en pausa por fallos',
  'rejected-mismatch': 'no coincidía',
  timeout: 'tiempo agotado',
  rate_limited: 'límite de peticiones',
  unavailable: 'no disponible',
  bad_response: 'respuesta no válida',
  not_found: 'no lo tiene',
  unconfigured: 'sin configurar',
  unauthorized: 'sin permiso',
  host_not_allowed: 'servidor no permitido',
  aborted: 'cancelada',
  bad_input: 'petición no válida para esta fuente',
  budget_exceeded: 'sin llamadas disponibles en esta petición',
  deadline_exceeded: 'fuera de plazo',
  cache_miss: 'sin copia guardada',
};
