// Cliente web de Música API. Sin dependencias ni paso de compilación: habla con /graphql con la
// clave del usuario y solo muestra lo que la API devuelve. Todo texto que llega de la API (de
// fuentes de terceros) entra en la página como texto (textContent), nunca como HTML.
'use strict';

(function () {
  const KEY_NAME = 'musica.key';
  const CHART_COUNTRY_NAME = 'musica.chartCountry';
  // Relativo a la página, para que funcione también detrás de un prefijo de proxy.
  const GRAPHQL_URL = new URL('graphql', document.baseURI).toString();
  const PAGE_SIZE = 20;
  const CHART_SIZE = 50;
  const DISCOGRAPHY_SIZE = 25;
  const POLL_MS = 1500;
  // Con audio de la duración de la canción (± esto) la letra sincronizada se puede seguir; un
  // fragmento de 30 s empieza en un punto desconocido y marcaría líneas equivocadas.
  const SYNC_TOLERANCE_SEC = 3;

  // ── Textos ────────────────────────────────────────────────────────────────────────────

  const COUNTRIES = [
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

  const SOURCE_NAMES = {
    apple: 'Apple Music',
    audiomack: 'Audiomack',
    bandcamp: 'Bandcamp',
    coverartarchive: 'Cover Art Archive',
    deezer: 'Deezer',
    fanarttv: 'fanart.tv',
    internetarchive: 'Internet Archive',
    jamendo: 'Jamendo',
    lastfm: 'Last.fm',
    listenbrainz: 'ListenBrainz',
    lrclib: 'LRCLIB',
    musicbrainz: 'MusicBrainz',
    musixmatch: 'Musixmatch',
    soundcloud: 'SoundCloud',
    theaudiodb: 'TheAudioDB',
    wikipedia: 'Wikipedia',
    youtubemusic: 'YouTube Music',
  };

  const PLATFORM_NAMES = {
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

  const ERROR_TEXT = {
    UNAUTHENTICATED: 'Tu clave no es válida o ha sido revocada. Vuelve a introducirla.',
    SOURCES_UNAVAILABLE: 'Ninguna fuente ha podido responder ahora mismo. Inténtalo de nuevo dentro de un rato.',
    NOT_FOUND: 'No se ha encontrado en las fuentes consultadas.',
    FORBIDDEN: 'Tu clave no permite usar esta fuente.',
    SOURCE_INACTIVE: 'La fuente está desactivada en este servidor.',
    BAD_USER_INPUT: 'La petición no es válida: revisa lo que has escrito.',
    DOWNLOAD_UNAVAILABLE: 'Esta canción no se puede descargar.',
    GRAPHQL_VALIDATION_FAILED: 'El servidor no entiende esta consulta: puede que tenga otra versión de la API.',
    NETWORK: 'No se ha podido contactar con el servidor. Comprueba la conexión.',
    BAD_RESPONSE: 'El servidor ha dado una respuesta inesperada.',
  };

  /** DownloadUnavailableReason: por qué una descarga no se ofrece. */
  const UNAVAILABLE_TEXT = {
    NOT_LICENSED: 'La fuente no permite descargar esta canción; solo reproducirla.',
    NOT_IMPLEMENTED: 'Las descargas no están activadas en este servidor.',
    SOURCE_UNAVAILABLE: 'La fuente ofrece la descarga, pero ahora no se puede obtener el archivo.',
    TOO_LARGE: 'El archivo supera el tamaño máximo que admite este servidor.',
  };

  /** DownloadErrorCode: por qué falló la preparación. */
  const JOB_ERROR_TEXT = {
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

  const JOB_STATE_TEXT = { QUEUED: 'En cola…', RUNNING: 'Preparando…', DONE: 'Lista.', FAILED: 'Ha fallado.' };

  const ALBUM_TYPES = { ALBUM: 'Álbum', SINGLE: 'Sencillo', EP: 'EP', COMPILATION: 'Recopilatorio', OTHER: 'Otro' };

  const FIELD_NAMES = {
    searchTracks: 'Búsqueda de canciones',
    searchAlbums: 'Búsqueda de álbumes',
    searchArtists: 'Búsqueda de artistas',
    track: 'Canción',
    album: 'Álbum',
    artist: 'Artista',
    lyrics: 'Letra',
    cover: 'Portada',
    'Artist.biography': 'Biografía',
    'Artist.photo': 'Foto',
    'Artist.discography': 'Discografía',
  };

  const OUTCOME_TEXT = {
    ok: 'respondió',
    empty: 'sin resultados',
    stale: 'copia guardada',
    'lost-hedge': 'más lenta',
    'skipped-inactive': 'desactivada',
    'skipped-unconfigured': 'sin configurar',
    'skipped-circuit-open': 'en pausa por fallos',
    'skipped-out-of-scope': 'fuera de tu clave',
    'skipped-unsupported': 'no lo ofrece',
    'rejected-mismatch': 'no coincidía',
    timeout: 'tiempo agotado',
    rate_limited: 'límite de peticiones',
    unavailable: 'no disponible',
    bad_response: 'respuesta no válida',
    not_found: 'no lo tiene',
    unconfigured: 'sin configurar',
    unauthorized: 'sin permiso',
  };

  const LANGUAGES = { es: 'español', en: 'inglés', fr: 'francés', pt: 'portugués', de: 'alemán', it: 'italiano', ca: 'catalán' };

  const SEARCH_KINDS = {
    canciones: {
      label: 'Canciones',
      field: 'searchTracks',
      nodes: 'id title artist albumTitle duration releaseDate cover { small }',
      item: trackItem,
      empty: 'canciones',
    },
    albumes: {
      label: 'Álbumes',
      field: 'searchAlbums',
      nodes: 'id title artist year type trackCount cover { small }',
      item: albumItem,
      empty: 'álbumes',
    },
    artistas: {
      label: 'Artistas',
      field: 'searchArtists',
      nodes: 'id name type country disambiguation genres',
      item: artistItem,
      empty: 'artistas',
    },
  };

  // ── Consultas ─────────────────────────────────────────────────────────────────────────

  const VIEWER = 'query Viewer { viewer { label scope } }';

  const searchQuery = (kind) => `query Search($query: String!, $first: Int!, $after: String) {
    ${kind.field}(query: $query, first: $first, after: $after) {
      source totalCount pageInfo { hasNextPage endCursor }
      nodes { ${kind.nodes} }
    }
  }`;

  const DOWNLOAD_FIELDS = 'format available reason detail license { name url } url sizeBytes lossless expiresAt';

  const TRACK = `query Track($id: ID!) {
    track(id: $id) {
      id title artist artists { id name joinPhrase } albumTitle album { id title }
      duration releaseDate isrc genres source playbackUrl previewUrl
      cover { small medium large source }
      license { name url }
      links { platform url }
      downloads { ${DOWNLOAD_FIELDS} }
    }
  }`;

  const TRACK_LYRICS = `query TrackLyrics($id: ID!) {
    track(id: $id) { lyrics { text synced { timeMs text } partial copyright instrumental source url } }
  }`;

  const JOB_FIELDS = `id state progress trackId error { code message } downloads { ${DOWNLOAD_FIELDS} }`;
  const PREPARE = `mutation Prepare($trackId: ID!) { prepareDownload(trackId: $trackId) { ${JOB_FIELDS} } }`;
  const JOB = `query Job($id: ID!) { download(id: $id) { ${JOB_FIELDS} } }`;

  const ALBUM = `query Album($id: ID!) {
    album(id: $id) {
      id title artist artists { id name joinPhrase } year releaseDate type label trackCount genres source url
      cover { small medium large source }
      license { name url }
      tracks { id title artist duration trackNumber discNumber }
    }
  }`;

  const DISCOGRAPHY_FIELDS = 'source totalCount pageInfo { hasNextPage endCursor } nodes { id title year type cover { small } }';

  const ARTIST = `query Artist($id: ID!, $first: Int!) {
    artist(id: $id) {
      id name type country disambiguation genres source url
      photo { small medium large source }
      biography(lang: "es") { summary content language source url }
      socialLinks { platform url }
      discography(first: $first) { ${DISCOGRAPHY_FIELDS} }
    }
  }`;

  const DISCOGRAPHY = `query Discography($id: ID!, $first: Int!, $after: String) {
    artist(id: $id) { discography(first: $first, after: $after) { ${DISCOGRAPHY_FIELDS} } }
  }`;

  const CHART = `query Chart($country: String, $first: Int!) {
    chart(country: $country, first: $first) {
      source scope title fetchedAt
      entries { position track { id title artist duration cover { small } } }
    }
  }`;

  // ── Utilidades ────────────────────────────────────────────────────────────────────────

  const $ = (id) => document.getElementById(id);
  const numbers = new Intl.NumberFormat('es-ES');
  const dateTimes = new Intl.DateTimeFormat('es-ES', { dateStyle: 'medium', timeStyle: 'short' });
  const times = new Intl.DateTimeFormat('es-ES', { timeStyle: 'short' });
  const regions = typeof Intl.DisplayNames === 'function' ? new Intl.DisplayNames(['es'], { type: 'region' }) : null;

  /**
   * Crea un elemento. `props.text` se pone como texto; `href` y `src` solo si son http(s);
   * el resto son atributos. Los hijos de tipo cadena entran como nodos de texto.
   */
  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(props || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === 'text') node.textContent = String(value);
      else if (name === 'className') node.className = value;
      else if (name === 'href' || name === 'src') {
        const url = safeUrl(value);
        if (url) node.setAttribute(name, url);
      } else node.setAttribute(name, value === true ? '' : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(typeof child === 'string' ? document.createTextNode(child) : child);
    }
    return node;
  }

  /** Solo http(s) (o rutas de este servidor): nada de javascript:, data: ni similares. */
  function safeUrl(value) {
    if (typeof value !== 'string' || !value) return null;
    if (value.startsWith('#')) return value;
    try {
      const url = new URL(value, document.baseURI);
      return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
    } catch {
      return null;
    }
  }

  function externalLink(url, text, className) {
    if (!safeUrl(url)) return null;
    return el('a', { href: url, className, target: '_blank', rel: 'noopener noreferrer external' }, text);
  }

  function image(url, alt, className, size) {
    if (!safeUrl(url)) return null;
    const img = el('img', { src: url, alt: alt || '', className, loading: 'lazy', decoding: 'async', width: size, height: size });
    img.referrerPolicy = 'no-referrer';
    // Una imagen que no carga se quita: nunca se pone otra en su lugar.
    img.addEventListener('error', () => img.remove(), { once: true });
    return img;
  }

  function thumb(imageSet, alt) {
    const url = imageSet && (imageSet.small || imageSet.medium || imageSet.large);
    return el('span', { className: 'thumb', 'aria-hidden': 'true' }, image(url, alt, null, 56));
  }

  function sourceName(id) {
    return SOURCE_NAMES[id] || id || '';
  }

  function formatDuration(seconds) {
    if (typeof seconds !== 'number' || !isFinite(seconds) || seconds < 0) return null;
    const total = Math.round(seconds);
    const h = Math.floor(total / 3600);
    const m = Math.floor((total % 3600) / 60);
    const s = String(total % 60).padStart(2, '0');
    return h ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
  }

  /** YYYY, YYYY-MM o YYYY-MM-DD, en español. */
  function formatDate(value) {
    const match = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(value || '');
    if (!match) return value || null;
    const [, year, month, day] = match;
    if (!month) return year;
    const when = Date.UTC(Number(year), Number(month) - 1, Number(day || 1));
    const options = day ? { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' } : { month: 'long', year: 'numeric', timeZone: 'UTC' };
    return new Intl.DateTimeFormat('es-ES', options).format(when);
  }

  function formatBytes(bytes) {
    if (typeof bytes !== 'number') return null;
    const mb = bytes / (1024 * 1024);
    return mb >= 1 ? `${mb.toLocaleString('es-ES', { maximumFractionDigits: 1 })} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
  }

  function countryName(code) {
    if (!code) return null;
    try {
      return (regions && regions.of(code)) || code;
    } catch {
      return code;
    }
  }

  const songs = (count) => `${numbers.format(count)} ${count === 1 ? 'canción' : 'canciones'}`;

  function joinParts(parts, separator) {
    return parts.filter((part) => part !== null && part !== undefined && part !== '').join(separator || ' · ');
  }

  const encodeId = (id) => encodeURIComponent(id).replace(/%3A/gi, ':');
  const trackHref = (id) => `#/cancion/${encodeId(id)}`;
  const albumHref = (id) => `#/album/${encodeId(id)}`;
  const artistHref = (id) => `#/artista/${encodeId(id)}`;
  const searchHref = (q, kind) => `#/buscar?${new URLSearchParams({ q, tipo: kind })}`;
  const chartHref = (code) => `#/listas/${code}`;

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  // ── Clave ─────────────────────────────────────────────────────────────────────────────

  /** La clave vive en sessionStorage, o en localStorage solo si el usuario pidió recordarla. */
  const keyStore = {
    get() {
      return read(sessionStorage, KEY_NAME) || read(localStorage, KEY_NAME);
    },
    set(key, remember) {
      this.clear();
      write(remember ? localStorage : sessionStorage, KEY_NAME, key);
    },
    clear() {
      write(sessionStorage, KEY_NAME, null);
      write(localStorage, KEY_NAME, null);
    },
  };

  // Algunos WebView tienen el almacenamiento desactivado: entonces la clave dura lo que la página.
  const memory = new Map();
  function read(storage, name) {
    try {
      return storage.getItem(name);
    } catch {
      return memory.get(name) || null;
    }
  }
  function write(storage, name, value) {
    try {
      if (value === null) storage.removeItem(name);
      else storage.setItem(name, value);
    } catch {
      if (value === null) memory.delete(name);
      else memory.set(name, value);
    }
  }

  // ── GraphQL ───────────────────────────────────────────────────────────────────────────

  class ApiFailure extends Error {
    constructor(code, message, extensions) {
      super(message || code);
      this.code = code || 'INTERNAL_SERVER_ERROR';
      this.extensions = extensions || {};
    }
  }

  /** Devuelve `{ data, errors, sources }`; solo lanza si no hay respuesta GraphQL o la clave no vale. */
  async function gql(query, variables) {
    const key = keyStore.get();
    if (!key) throw new ApiFailure('UNAUTHENTICATED', 'No key');
    let response;
    try {
      response = await fetch(GRAPHQL_URL, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${key}` },
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
    const errors = Array.isArray(body && body.errors) ? body.errors : [];
    const denied = errors.find((error) => codeOf(error) === 'UNAUTHENTICATED');
    if (response.status === 401 || denied) throw failureOf(denied || { extensions: { code: 'UNAUTHENTICATED' } });
    if (!body || (body.data === undefined && errors.length)) throw failureOf(errors[0]);
    return { data: body.data || null, errors, sources: (body.extensions && body.extensions.sources) || [] };
  }

  const codeOf = (error) => (error && error.extensions && error.extensions.code) || null;
  const failureOf = (error) => new ApiFailure(codeOf(error) || 'INTERNAL_SERVER_ERROR', error && error.message, error && error.extensions);

  /** El campo raíz pedido, o la causa de que falte. */
  function rootOf(result, field) {
    const value = result.data && result.data[field];
    if (value === null || value === undefined) throw failureOf(errorAt(result.errors, [field]) || result.errors[0]);
    return value;
  }

  /** El primer error cuyo `path` empieza por `path`. */
  function errorAt(errors, path) {
    return errors.find((error) => Array.isArray(error.path) && path.every((part, index) => error.path[index] === part)) || null;
  }

  function describeFailure(failure) {
    const source = failure.extensions && failure.extensions.source;
    if (failure.code === 'FORBIDDEN' && source) return `Tu clave no permite usar la fuente ${sourceName(source)}.`;
    if (failure.code === 'SOURCE_INACTIVE' && source) return `La fuente ${sourceName(source)} está desactivada en este servidor.`;
    if (failure.code === 'DOWNLOAD_UNAVAILABLE' && UNAVAILABLE_TEXT[failure.extensions.reason]) return UNAVAILABLE_TEXT[failure.extensions.reason];
    return ERROR_TEXT[failure.code] || 'Error inesperado del servidor.';
  }

  /** Aviso de error en español; el mensaje técnico de la API queda plegado debajo. */
  function errorNotice(failure, lead) {
    const box = el('div', { className: 'notice notice--error', role: 'alert', 'data-code': failure.code });
    box.append(el('p', { text: joinParts([lead, describeFailure(failure)], ' ') }));
    if (failure.message && failure.code !== 'NETWORK') {
      box.append(el('details', { className: 'notice__details' }, el('summary', { text: 'Detalles técnicos' }), el('code', { text: `${failure.code}: ${failure.message}` })));
    }
    return box;
  }

  /** Para errores dentro de una vista: si la clave ya no vale se vuelve a pedir; si no, se pinta el aviso. */
  function handleFailure(error, lead) {
    const failure = error instanceof ApiFailure ? error : new ApiFailure('INTERNAL_SERVER_ERROR', String(error && error.message));
    if (failure.code === 'UNAUTHENTICATED') {
      expireSession();
      return null;
    }
    return errorNotice(failure, lead);
  }

  /**
   * Procedencia de los datos (`extensions.sources`), discreta y plegada. Los informes iguales
   * (p. ej. una portada por resultado) se agrupan con su número de veces.
   */
  function provenance(sources) {
    if (!sources || !sources.length) return null;
    const groups = new Map();
    for (const report of sources) {
      const attempts = (report.attempts || []).map((attempt) => `${sourceName(attempt.source)}: ${OUTCOME_TEXT[attempt.outcome] || attempt.outcome}`);
      const answer = report.answeredBy ? sourceName(report.answeredBy) : 'sin respuesta';
      const text = `${fieldName(report.field)} — ${answer}${report.stale ? ' (copia guardada)' : ''}${attempts.length ? ` (${attempts.join('; ')})` : ''}`;
      const group = groups.get(text) || { text, count: 0, ms: [] };
      group.count += 1;
      for (const attempt of report.attempts || []) if (typeof attempt.ms === 'number') group.ms.push(attempt.ms);
      groups.set(text, group);
    }
    const items = [...groups.values()].map((group) => {
      const timing = group.count === 1 && group.ms.length ? `, ${group.ms.map((ms) => `${numbers.format(ms)} ms`).join(' / ')}` : '';
      return el('li', { text: `${group.text}${group.count > 1 ? ` ×${group.count}` : timing}` });
    });
    return el('details', { className: 'provenance' }, el('summary', { text: 'Procedencia de los datos' }), el('ul', null, items));
  }

  function fieldName(field) {
    if (FIELD_NAMES[field]) return FIELD_NAMES[field];
    const chart = /^chart\((.+)\)$/.exec(field || '');
    if (chart) return chart[1] === 'GLOBAL' ? 'Lista mundial' : `Lista de ${countryName(chart[1])}`;
    return field;
  }

  // ── Sesión ────────────────────────────────────────────────────────────────────────────

  let signedIn = false;

  function showLogin(message, isError) {
    signedIn = false;
    cancelWork();
    $('view').hidden = true;
    $('view').replaceChildren();
    $('nav').hidden = true;
    $('login').hidden = false;
    const box = $('login-error');
    box.textContent = message || '';
    box.className = isError === false ? 'notice' : 'notice notice--error';
    box.hidden = !message;
    $('api-key').value = '';
    document.title = 'Entrar · Música';
    $('api-key').focus();
  }

  function showApp() {
    signedIn = true;
    $('login').hidden = true;
    $('login-error').hidden = true;
    $('login-error').textContent = '';
    $('view').hidden = false;
    $('nav').hidden = false;
  }

  function expireSession() {
    keyStore.clear();
    searchCache.clear();
    showLogin(ERROR_TEXT.UNAUTHENTICATED);
  }

  async function signIn(event) {
    event.preventDefault();
    const key = $('api-key').value.trim();
    if (!key) return;
    const button = $('sign-in');
    button.disabled = true;
    keyStore.set(key, $('remember').checked);
    try {
      rootOf(await gql(VIEWER), 'viewer');
    } catch (error) {
      keyStore.clear();
      const failure = error instanceof ApiFailure ? error : new ApiFailure('INTERNAL_SERVER_ERROR');
      const message =
        failure.code === 'UNAUTHENTICATED'
          ? 'La clave no es válida o ha sido revocada.'
          : failure.code === 'SOURCE_INACTIVE'
            ? 'La fuente de esta clave está desactivada. Pide a quien administra el servidor que la active.'
            : describeFailure(failure);
      showLogin(message);
      return;
    } finally {
      button.disabled = false;
    }
    $('remember').checked = false;
    if (!location.hash || location.hash === '#' || location.hash === '#/') location.replace('#/buscar');
    route();
  }

  function signOut() {
    keyStore.clear();
    searchCache.clear();
    showLogin('Sesión cerrada. La clave se ha borrado de este dispositivo.', false);
  }

  // ── Rutas ─────────────────────────────────────────────────────────────────────────────

  let renderToken = 0;
  const alive = (token) => token === renderToken && signedIn;
  function cancelWork() {
    renderToken += 1;
  }

  function parseRoute() {
    const raw = location.hash.replace(/^#\/?/, '');
    const at = raw.indexOf('?');
    const pathPart = at === -1 ? raw : raw.slice(0, at);
    const params = new URLSearchParams(at === -1 ? '' : raw.slice(at + 1));
    const [name, ...rest] = pathPart.split('/');
    let arg = null;
    if (rest.length && rest.join('/')) {
      try {
        arg = decodeURIComponent(rest.join('/'));
      } catch {
        arg = null;
      }
    }
    return { name: name || 'buscar', arg, params };
  }

  const scrollPositions = new Map();
  let currentHash = location.hash;

  function onHashChange() {
    scrollPositions.set(currentHash, window.scrollY);
    currentHash = location.hash;
    route({ navigated: true });
  }

  function route(options) {
    if (!keyStore.get()) {
      showLogin('');
      return;
    }
    showApp();
    cancelWork();
    const token = renderToken;
    const { name, arg, params } = parseRoute();
    for (const link of document.querySelectorAll('#nav a')) {
      if (link.dataset.section === (name === 'listas' ? 'listas' : 'buscar')) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    const navigated = Boolean(options && options.navigated);
    switch (name) {
      case 'buscar':
        return renderSearch(params, token, navigated);
      case 'cancion':
        return arg ? renderTrack(arg, token, navigated) : location.replace('#/buscar');
      case 'album':
        return arg ? renderAlbum(arg, token, navigated) : location.replace('#/buscar');
      case 'artista':
        return arg ? renderArtist(arg, token, navigated) : location.replace('#/buscar');
      case 'listas':
        return renderChart(arg, token, navigated);
      default:
        return location.replace('#/buscar');
    }
  }

  /** Pone una vista nueva en la página; al navegar, sube arriba y lleva el foco al título. */
  function mount(nodes, title, navigated) {
    $('view').replaceChildren(...nodes.filter(Boolean));
    document.title = title ? `${title} · Música` : 'Música';
    if (navigated) {
      window.scrollTo(0, 0);
      const heading = $('view').querySelector('h1');
      if (heading) {
        heading.tabIndex = -1;
        heading.focus({ preventScroll: true });
      }
    }
  }

  function loadingView(text) {
    return el('p', { className: 'loading', role: 'status', text });
  }

  // ── Búsqueda ──────────────────────────────────────────────────────────────────────────

  /** Resultados ya cargados por ruta, para que «atrás» los devuelva al instante y en su sitio. */
  const searchCache = new Map();
  /** Si el usuario cambió de pestaña, la vista nueva le devuelve el foco a las pestañas. */
  let focusTabs = false;

  function renderSearch(params, token, navigated) {
    const q = (params.get('q') || '').trim();
    const kindName = SEARCH_KINDS[params.get('tipo')] ? params.get('tipo') : 'canciones';
    const kind = SEARCH_KINDS[kindName];

    const input = el('input', { id: 'search-q', name: 'q', type: 'search', value: q, placeholder: 'Canción, álbum o artista', autocomplete: 'off', enterkeyhint: 'search', required: true });
    const form = el(
      'form',
      { className: 'search', role: 'search', 'aria-label': 'Buscar música' },
      el('label', { for: 'search-q', className: 'visually-hidden', text: 'Buscar' }),
      input,
      el('button', { type: 'submit', className: 'button', text: 'Buscar' }),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const value = input.value.trim();
      if (value) location.hash = searchHref(value, kindName);
    });

    const tabs = el('div', { className: 'tabs', role: 'tablist', 'aria-label': 'Tipo de resultado' });
    for (const [name, entry] of Object.entries(SEARCH_KINDS)) {
      const selected = name === kindName;
      const tab = el('button', { type: 'button', role: 'tab', className: 'tab', id: `tab-${name}`, 'aria-selected': String(selected), 'aria-controls': 'results', tabindex: selected ? '0' : '-1', text: entry.label });
      tab.addEventListener('click', () => {
        if (selected) return;
        focusTabs = true;
        location.hash = searchHref(input.value.trim() || q, name);
      });
      tabs.append(tab);
    }
    tabs.addEventListener('keydown', (event) => {
      if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
      const names = Object.keys(SEARCH_KINDS);
      const next = names[(names.indexOf(kindName) + (event.key === 'ArrowRight' ? 1 : names.length - 1)) % names.length];
      focusTabs = true;
      location.hash = searchHref(input.value.trim() || q, next);
    });

    const results = el('section', { id: 'results', role: 'tabpanel', 'aria-labelledby': `tab-${kindName}`, className: 'results' });
    const heading = el('h1', { className: q ? 'visually-hidden' : null, text: q ? `Resultados de «${q}»` : 'Buscar música' });
    mount([heading, form, tabs, results], q ? `${q} (${kind.label})` : 'Buscar', navigated && Boolean(q) && !focusTabs);
    if (focusTabs) {
      focusTabs = false;
      $(`tab-${kindName}`).focus();
    }
    if (!q) {
      results.append(el('p', { className: 'hint', text: 'Escribe el título de una canción o un álbum, o el nombre de un artista.' }));
      if (navigated) input.focus();
      return;
    }

    const cacheKey = location.hash;
    const cached = searchCache.get(cacheKey);
    if (cached) {
      drawResults(results, kind, q, cached, token, cacheKey);
      const y = scrollPositions.get(cacheKey);
      if (typeof y === 'number') window.scrollTo(0, y);
      return;
    }
    results.append(loadingView('Buscando…'));
    loadSearchPage(kind, q, null)
      .then((page) => {
        if (!alive(token)) return;
        const state = { items: page.nodes, pageInfo: page.pageInfo, source: page.source, totalCount: page.totalCount, sources: page.sources };
        searchCache.set(cacheKey, state);
        drawResults(results, kind, q, state, token, cacheKey);
      })
      .catch((error) => {
        if (!alive(token)) return;
        results.replaceChildren(handleFailure(error, 'No se ha podido buscar.') || '');
      });
  }

  async function loadSearchPage(kind, q, after) {
    const result = await gql(searchQuery(kind), { query: q, first: PAGE_SIZE, after });
    const page = rootOf(result, kind.field);
    return { ...page, sources: result.sources };
  }

  function drawResults(results, kind, q, state, token, cacheKey) {
    const meta = el('p', {
      className: 'meta',
      text: joinParts([
        `Resultados de ${sourceName(state.source)}`,
        typeof state.totalCount === 'number' ? `${numbers.format(state.totalCount)} en total` : null,
      ]),
    });
    if (!state.items.length) {
      results.replaceChildren(meta, el('p', { className: 'empty', text: `No hay ${kind.empty} para «${q}».` }), provenance(state.sources) || '');
      return;
    }
    const list = el('ol', { className: 'list', 'aria-label': kind.label }, state.items.map(kind.item));
    const more = el('button', { type: 'button', className: 'button button--ghost more', text: 'Cargar más' });
    const moreStatus = el('div', { className: 'more__status' });
    more.hidden = !state.pageInfo.hasNextPage;
    more.addEventListener('click', async () => {
      more.disabled = true;
      moreStatus.replaceChildren(loadingView('Cargando más resultados…'));
      try {
        const page = await loadSearchPage(kind, q, state.pageInfo.endCursor);
        if (!alive(token)) return;
        state.items = state.items.concat(page.nodes);
        state.pageInfo = page.pageInfo;
        state.sources = state.sources.concat(page.sources);
        searchCache.set(cacheKey, state);
        list.append(...page.nodes.map(kind.item));
        more.hidden = !page.pageInfo.hasNextPage || page.nodes.length === 0;
        moreStatus.replaceChildren();
      } catch (error) {
        if (!alive(token)) return;
        moreStatus.replaceChildren(handleFailure(error, 'No se han podido cargar más resultados.') || '');
      } finally {
        more.disabled = false;
      }
    });
    results.replaceChildren(meta, list, moreStatus, more, provenance(state.sources) || '');
  }

  function listItem(href, image, title, subtitle, aside, leading) {
    return el(
      'li',
      null,
      el(
        'a',
        { className: 'item', href },
        leading ? el('span', { className: 'item__pos', text: leading }) : null,
        image,
        el('span', { className: 'item__text' }, el('span', { className: 'item__title', text: title }), subtitle ? el('span', { className: 'item__sub', text: subtitle }) : null),
        aside ? el('span', { className: 'item__aside', text: aside }) : null,
      ),
    );
  }

  function trackItem(track) {
    return listItem(trackHref(track.id), thumb(track.cover, ''), track.title, joinParts([track.artist, track.albumTitle]), formatDuration(track.duration));
  }

  function albumItem(album) {
    const kind = album.type && album.type !== 'ALBUM' ? ALBUM_TYPES[album.type] : null;
    const count = typeof album.trackCount === 'number' && album.trackCount > 0 ? songs(album.trackCount) : null;
    return listItem(albumHref(album.id), thumb(album.cover, ''), album.title, joinParts([album.artist, album.year, kind, count]), null);
  }

  function artistItem(artist) {
    const detail = joinParts([artist.disambiguation, countryName(artist.country), (artist.genres || []).slice(0, 3).join(', ')]);
    return listItem(artistHref(artist.id), el('span', { className: 'thumb thumb--round', 'aria-hidden': 'true' }), artist.name, detail, null);
  }

  // ── Canción ───────────────────────────────────────────────────────────────────────────

  async function renderTrack(id, token, navigated) {
    mount([loadingView('Cargando la canción…')], 'Canción', false);
    let result;
    let track;
    try {
      result = await gql(TRACK, { id });
      track = rootOf(result, 'track');
    } catch (error) {
      if (!alive(token)) return;
      mount([el('h1', { text: 'Canción' }), handleFailure(error, 'No se ha podido cargar la canción.')], 'Canción', navigated);
      return;
    }
    if (!alive(token)) return;

    const albumLink = track.album && track.album.id ? el('a', { href: albumHref(track.album.id), text: track.album.title || track.albumTitle }) : track.albumTitle ? el('span', { text: track.albumTitle }) : null;
    const facts = factList([
      ['Artista', credits(track.artists, track.artist)],
      ['Álbum', albumLink],
      ['Duración', formatDuration(track.duration)],
      ['Publicación', formatDate(track.releaseDate)],
      ['Géneros', (track.genres || []).join(', ')],
      ['ISRC', track.isrc],
      ['Licencia', licence(track.license)],
      ['Fuente', sourceName(track.source)],
    ]);

    const hero = el(
      'header',
      { className: 'hero' },
      cover(track.cover, `Portada de ${track.albumTitle || track.title}`),
      el('div', { className: 'hero__text' }, el('p', { className: 'eyebrow', text: 'Canción' }), el('h1', { text: track.title }), facts),
    );

    const lyricsBox = el('section', { className: 'panel', 'aria-labelledby': 'lyrics-title' }, el('h2', { id: 'lyrics-title', text: 'Letra' }), loadingView('Buscando la letra…'));
    const listen = listenPanel(track);
    const downloads = downloadsPanel(track, token);

    mount([hero, listen.panel, lyricsBox, downloads, provenance(result.sources)], `${track.title} · ${track.artist}`, navigated);
    loadLyrics(track, lyricsBox, listen.audio, token);
  }

  function factList(rows) {
    const list = el('dl', { className: 'facts' });
    for (const [label, value] of rows) {
      if (value === null || value === undefined || value === '') continue;
      list.append(el('div', { className: 'facts__row' }, el('dt', { text: label }), el('dd', null, typeof value === 'string' || typeof value === 'number' ? String(value) : value)));
    }
    return list;
  }

  /** Artistas acreditados, con enlace a cada uno que tenga id. */
  function credits(artists, fallback) {
    if (!artists || !artists.length) return fallback || null;
    const span = el('span');
    artists.forEach((credit, index) => {
      span.append(credit.id ? el('a', { href: artistHref(credit.id), text: credit.name }) : el('span', { text: credit.name }));
      const join = credit.joinPhrase || (index < artists.length - 1 ? ', ' : '');
      if (join) span.append(document.createTextNode(join));
    });
    return span;
  }

  function licence(license) {
    if (!license) return null;
    return externalLink(license.url, license.name) || license.name;
  }

  function cover(imageSet, alt) {
    const url = imageSet && (imageSet.large || imageSet.medium || imageSet.small);
    const img = image(imageSet && (imageSet.medium || imageSet.large || imageSet.small), alt, 'cover__img', 500);
    if (!img) return null;
    const figure = el('figure', { className: 'cover' }, img);
    img.addEventListener('error', () => figure.remove(), { once: true });
    if (imageSet.source) figure.append(el('figcaption', { className: 'cover__credit' }, externalLink(url, `Imagen: ${sourceName(imageSet.source)}`) || `Imagen: ${sourceName(imageSet.source)}`));
    return figure;
  }

  function listenPanel(track) {
    const panel = el('section', { className: 'panel', 'aria-labelledby': 'listen-title' }, el('h2', { id: 'listen-title', text: 'Escuchar' }));
    let audio = null;
    if (safeUrl(track.previewUrl)) {
      audio = el('audio', { controls: true, preload: 'none', src: track.previewUrl, 'aria-label': `Muestra de ${track.title}` });
      panel.append(el('p', { className: 'hint', text: 'Muestra que ofrece la fuente:' }), audio);
    }
    const play = externalLink(track.playbackUrl, `Escuchar en ${sourceName(track.source)}`, 'button');
    if (play) panel.append(el('p', null, play));
    const others = (track.links || []).filter((link) => safeUrl(link.url) && link.url !== track.playbackUrl);
    if (others.length) {
      panel.append(el('p', { className: 'links' }, 'También en: ', joinNodes(others.map((link) => externalLink(link.url, PLATFORM_NAMES[link.platform] || link.platform)))));
    }
    if (!audio && !play && !others.length) panel.append(el('p', { className: 'empty', text: 'La fuente no ofrece ningún enlace para escucharla.' }));
    return { panel, audio };
  }

  function joinNodes(nodes) {
    const out = [];
    nodes.filter(Boolean).forEach((node, index) => {
      if (index) out.push(', ');
      out.push(node);
    });
    return out;
  }

  async function loadLyrics(track, box, audio, token) {
    let lyrics;
    let result;
    try {
      result = await gql(TRACK_LYRICS, { id: track.id });
      if (!alive(token)) return;
      const owner = result.data && result.data.track;
      if (!owner) throw failureOf(errorAt(result.errors, ['track']) || result.errors[0]);
      lyrics = owner.lyrics;
      const failed = !lyrics && errorAt(result.errors, ['track', 'lyrics']);
      if (failed) throw failureOf(failed);
    } catch (error) {
      if (!alive(token)) return;
      box.replaceChildren(box.firstChild, handleFailure(error, 'No se ha podido buscar la letra.') || '');
      return;
    }
    const title = box.firstChild;
    if (!lyrics) {
      box.replaceChildren(title, el('p', { className: 'empty', text: 'No se ha encontrado la letra de esta canción.' }));
      return;
    }
    const parts = [title];
    if (lyrics.instrumental) parts.push(el('p', { className: 'empty', text: 'Es una pieza instrumental: no tiene letra.' }));
    if (lyrics.partial) parts.push(el('p', { className: 'notice', text: 'La fuente solo permite mostrar parte de la letra.' }));
    const synced = (lyrics.synced || []).filter((line) => typeof line.timeMs === 'number');
    if (synced.length) {
      const list = el(
        'ol',
        { className: 'lyrics lyrics--synced' },
        synced.map((line) => el('li', { 'data-ms': line.timeMs }, el('span', { className: 'lyrics__time', text: formatDuration(Math.floor(line.timeMs / 1000)) }), el('span', { className: 'lyrics__line', text: line.text || ' ' }))),
      );
      parts.push(list);
      if (audio) followLyrics(audio, list, track.duration);
    } else if (lyrics.text) {
      parts.push(el('p', { className: 'lyrics lyrics--plain', text: lyrics.text }));
    }
    if (lyrics.copyright) parts.push(el('p', { className: 'fineprint', text: lyrics.copyright }));
    const origin = `Letra: ${sourceName(lyrics.source)}`;
    parts.push(el('p', { className: 'fineprint' }, externalLink(lyrics.url, origin) || origin));
    box.replaceChildren(...parts);
  }

  /** Resalta la línea que suena, solo si el audio es la canción entera (no un fragmento). */
  function followLyrics(audio, list, trackDuration) {
    const lines = [...list.children];
    let active = null;
    audio.addEventListener('timeupdate', () => {
      const full = typeof trackDuration === 'number' && isFinite(audio.duration) && Math.abs(audio.duration - trackDuration) <= SYNC_TOLERANCE_SEC;
      if (!full) return;
      const now = audio.currentTime * 1000;
      let current = null;
      for (const line of lines) {
        if (Number(line.dataset.ms) <= now) current = line;
        else break;
      }
      if (current === active) return;
      if (active) active.removeAttribute('aria-current');
      active = current;
      if (active) {
        active.setAttribute('aria-current', 'true');
        active.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
      }
    });
  }

  // ── Descargas ─────────────────────────────────────────────────────────────────────────

  function downloadsPanel(track, token) {
    const panel = el('section', { className: 'panel', 'aria-labelledby': 'downloads-title' }, el('h2', { id: 'downloads-title', text: 'Descargar' }));
    const list = el('ul', { className: 'downloads' });
    const status = el('div', { className: 'downloads__status', role: 'status' });
    panel.append(list, status);
    drawDownloadOptions(list, track.downloads || []);
    const needsPreparing = (track.downloads || []).some((option) => option.available && !option.url);
    if (needsPreparing) {
      const button = el('button', { type: 'button', className: 'button', text: 'Preparar descarga' });
      button.addEventListener('click', () => prepareDownload(track.id, list, status, button, token));
      panel.append(button);
    }
    if (!(track.downloads || []).length) list.append(el('li', { className: 'empty', text: 'La fuente no ofrece descargas de esta canción.' }));
    return panel;
  }

  function drawDownloadOptions(list, options) {
    list.replaceChildren(...options.map(downloadOption));
  }

  function downloadOption(option) {
    const item = el('li', { className: 'download', 'data-format': option.format });
    item.append(el('strong', { className: 'download__format', text: option.format }));
    if (option.available && safeUrl(option.url)) {
      item.append(el('a', { className: 'button button--small', href: option.url, download: true, text: `Descargar ${option.format}` }));
      const details = [
        formatBytes(option.sizeBytes),
        // Un MP3 nunca es sin pérdida; lo que interesa saber es si el WAV sale de un original que sí lo era.
        option.format === 'WAV' && option.lossless === true ? 'sin pérdida' : null,
        option.format === 'WAV' && option.lossless === false ? 'convertido de un original con pérdida' : null,
        option.expiresAt ? `el enlace caduca a las ${times.format(new Date(option.expiresAt))}` : null,
      ];
      item.append(el('span', { className: 'download__detail', text: joinParts(details) }));
    } else if (option.available) {
      item.append(el('span', { className: 'download__detail', text: 'Disponible: pulsa «Preparar descarga» para que el servidor la prepare.' }));
    } else {
      item.append(el('span', { className: 'download__reason', text: UNAVAILABLE_TEXT[option.reason] || 'No disponible.' }));
      if (option.detail) item.append(el('span', { className: 'download__detail', text: option.detail }));
    }
    if (option.license) item.append(el('span', { className: 'download__detail' }, 'Licencia: ', licence(option.license)));
    return item;
  }

  async function prepareDownload(trackId, list, status, button, token) {
    button.disabled = true;
    const progress = el('progress', { max: '1', value: '0', 'aria-label': 'Progreso de la preparación' });
    const label = el('span', { text: 'Pidiendo la descarga…' });
    status.replaceChildren(label, progress);
    try {
      let job = rootOf(await gql(PREPARE, { trackId }), 'prepareDownload');
      while (job.state === 'QUEUED' || job.state === 'RUNNING') {
        if (!alive(token)) return;
        progress.value = typeof job.progress === 'number' ? job.progress : 0;
        label.textContent = `${JOB_STATE_TEXT[job.state]} ${Math.round((job.progress || 0) * 100)} %`;
        await sleep(POLL_MS);
        if (!alive(token)) return;
        const result = await gql(JOB, { id: job.id });
        const next = result.data && result.data.download;
        if (!next) {
          if (result.errors.length) throw failureOf(result.errors[0]);
          status.replaceChildren(el('p', { className: 'notice notice--error', text: 'La preparación ha caducado en el servidor. Vuelve a intentarlo.' }));
          button.disabled = false;
          return;
        }
        job = next;
      }
      if (!alive(token)) return;
      if (job.state === 'DONE') {
        drawDownloadOptions(list, job.downloads);
        status.replaceChildren(el('p', { className: 'notice', text: 'Descarga lista.' }));
        button.remove();
        return;
      }
      const code = job.error && job.error.code;
      status.replaceChildren(el('p', { className: 'notice notice--error', 'data-code': code, text: JOB_ERROR_TEXT[code] || 'No se ha podido preparar la descarga.' }));
      button.textContent = 'Intentar de nuevo';
      button.disabled = false;
    } catch (error) {
      if (!alive(token)) return;
      status.replaceChildren(handleFailure(error, 'No se ha podido preparar la descarga.') || '');
      button.disabled = false;
    }
  }

  // ── Álbum ─────────────────────────────────────────────────────────────────────────────

  async function renderAlbum(id, token, navigated) {
    mount([loadingView('Cargando el álbum…')], 'Álbum', false);
    let result;
    let album;
    try {
      result = await gql(ALBUM, { id });
      album = rootOf(result, 'album');
    } catch (error) {
      if (!alive(token)) return;
      mount([el('h1', { text: 'Álbum' }), handleFailure(error, 'No se ha podido cargar el álbum.')], 'Álbum', navigated);
      return;
    }
    if (!alive(token)) return;

    const tracks = album.tracks || [];
    const total = tracks.reduce((sum, track) => sum + (typeof track.duration === 'number' ? track.duration : 0), 0);
    const facts = factList([
      ['Artista', credits(album.artists, album.artist)],
      ['Año', album.year || formatDate(album.releaseDate)],
      ['Publicación', album.releaseDate && album.releaseDate.length > 4 ? formatDate(album.releaseDate) : null],
      ['Tipo', ALBUM_TYPES[album.type]],
      ['Sello', album.label],
      ['Canciones', tracks.length ? `${tracks.length}${total ? ` · ${formatDuration(total)}` : ''}` : null],
      ['Géneros', (album.genres || []).join(', ')],
      ['Licencia', licence(album.license)],
      ['Fuente', externalLink(album.url, sourceName(album.source)) || sourceName(album.source)],
    ]);
    const hero = el(
      'header',
      { className: 'hero' },
      cover(album.cover, `Portada de ${album.title}`),
      el('div', { className: 'hero__text' }, el('p', { className: 'eyebrow', text: ALBUM_TYPES[album.type] || 'Álbum' }), el('h1', { text: album.title }), facts),
    );

    const section = el('section', { className: 'panel', 'aria-labelledby': 'tracks-title' }, el('h2', { id: 'tracks-title', text: 'Canciones' }));
    if (!tracks.length) {
      section.append(el('p', { className: 'empty', text: 'La fuente no da la lista de canciones de este álbum.' }));
    } else {
      const discs = new Set(tracks.map((track) => track.discNumber || 1));
      let disc = null;
      let list = null;
      tracks.forEach((track, index) => {
        const number = track.discNumber || 1;
        if (!list || (discs.size > 1 && number !== disc)) {
          disc = number;
          if (discs.size > 1) section.append(el('h3', { text: `Disco ${number}` }));
          list = el('ol', { className: 'list list--tracks', 'aria-label': discs.size > 1 ? `Canciones del disco ${number}` : 'Canciones' });
          section.append(list);
        }
        const artist = track.artist && track.artist !== album.artist ? track.artist : null;
        list.append(listItem(trackHref(track.id), null, track.title, artist, formatDuration(track.duration), String(track.trackNumber || index + 1)));
      });
    }
    mount([hero, section, provenance(result.sources)], `${album.title} · ${album.artist}`, navigated);
  }

  // ── Artista ───────────────────────────────────────────────────────────────────────────

  async function renderArtist(id, token, navigated) {
    mount([loadingView('Cargando el artista…')], 'Artista', false);
    let result;
    let artist;
    try {
      result = await gql(ARTIST, { id, first: DISCOGRAPHY_SIZE });
      artist = rootOf(result, 'artist');
    } catch (error) {
      if (!alive(token)) return;
      mount([el('h1', { text: 'Artista' }), handleFailure(error, 'No se ha podido cargar el artista.')], 'Artista', navigated);
      return;
    }
    if (!alive(token)) return;

    const facts = factList([
      ['Tipo', artist.type],
      ['País', countryName(artist.country)],
      ['Géneros', (artist.genres || []).join(', ')],
      ['Fuente', externalLink(artist.url, sourceName(artist.source)) || sourceName(artist.source)],
    ]);
    const photo = artist.photo ? cover(artist.photo, `Foto de ${artist.name}`) : null;
    const hero = el(
      'header',
      { className: 'hero' },
      photo ? (photo.classList.add('cover--photo'), photo) : null,
      el(
        'div',
        { className: 'hero__text' },
        el('p', { className: 'eyebrow', text: 'Artista' }),
        el('h1', { text: artist.name }),
        artist.disambiguation ? el('p', { className: 'hint', text: artist.disambiguation }) : null,
        facts,
      ),
    );

    const links = (artist.socialLinks || []).filter((link) => safeUrl(link.url));
    const linkList = links.length
      ? el('section', { className: 'panel', 'aria-labelledby': 'links-title' }, el('h2', { id: 'links-title', text: 'Enlaces' }), el('ul', { className: 'chips' }, links.map((link) => el('li', null, externalLink(link.url, PLATFORM_NAMES[link.platform] || link.platform, 'chip')))))
      : null;

    mount([hero, biographyPanel(artist, result.errors), linkList, discographyPanel(artist, result.errors, token), provenance(result.sources)], artist.name, navigated);
  }

  function biographyPanel(artist, errors) {
    const panel = el('section', { className: 'panel', 'aria-labelledby': 'bio-title' }, el('h2', { id: 'bio-title', text: 'Biografía' }));
    const bio = artist.biography;
    const failed = !bio && errorAt(errors, ['artist', 'biography']);
    if (failed) {
      panel.append(handleFailure(failureOf(failed), 'No se ha podido cargar la biografía.') || '');
      return panel;
    }
    if (!bio || (!bio.summary && !bio.content)) {
      panel.append(el('p', { className: 'empty', text: 'Ninguna fuente tiene una biografía de este artista.' }));
      return panel;
    }
    const summary = bio.summary || bio.content;
    panel.append(el('p', { className: 'bio', text: summary }));
    if (bio.content && bio.content.trim() !== summary.trim()) {
      panel.append(el('details', { className: 'bio__more' }, el('summary', { text: 'Leer la biografía completa' }), el('p', { className: 'bio', text: bio.content })));
    }
    const language = bio.language && bio.language !== 'es' ? ` (en ${LANGUAGES[bio.language] || bio.language})` : '';
    const origin = `Biografía: ${sourceName(bio.source)}${language}`;
    panel.append(el('p', { className: 'fineprint' }, externalLink(bio.url, origin) || origin));
    return panel;
  }

  function discographyPanel(artist, errors, token) {
    const panel = el('section', { className: 'panel', 'aria-labelledby': 'discography-title' }, el('h2', { id: 'discography-title', text: 'Discografía' }));
    const page = artist.discography;
    if (!page) {
      const failed = errorAt(errors, ['artist', 'discography']);
      panel.append(failed ? handleFailure(failureOf(failed), 'No se ha podido cargar la discografía.') || '' : el('p', { className: 'empty', text: 'La fuente no tiene la discografía de este artista.' }));
      return panel;
    }
    if (!page.nodes.length) {
      panel.append(el('p', { className: 'empty', text: 'La fuente no tiene la discografía de este artista.' }));
      return panel;
    }
    const list = el('ol', { className: 'list', 'aria-label': 'Discografía' }, page.nodes.map(discographyItem));
    const more = el('button', { type: 'button', className: 'button button--ghost more', text: 'Cargar más' });
    const status = el('div', { className: 'more__status' });
    let pageInfo = page.pageInfo;
    more.hidden = !pageInfo.hasNextPage;
    more.addEventListener('click', async () => {
      more.disabled = true;
      status.replaceChildren(loadingView('Cargando más…'));
      try {
        const result = await gql(DISCOGRAPHY, { id: artist.id, first: DISCOGRAPHY_SIZE, after: pageInfo.endCursor });
        if (!alive(token)) return;
        const next = rootOf(result, 'artist').discography;
        if (!next) throw failureOf(errorAt(result.errors, ['artist', 'discography']) || result.errors[0]);
        list.append(...next.nodes.map(discographyItem));
        pageInfo = next.pageInfo;
        more.hidden = !pageInfo.hasNextPage || next.nodes.length === 0;
        status.replaceChildren();
      } catch (error) {
        if (!alive(token)) return;
        status.replaceChildren(handleFailure(error, 'No se ha podido cargar más discografía.') || '');
      } finally {
        more.disabled = false;
      }
    });
    panel.append(el('p', { className: 'meta', text: joinParts([`Según ${sourceName(page.source)}`, typeof page.totalCount === 'number' ? `${numbers.format(page.totalCount)} lanzamientos` : null]) }), list, status, more);
    return panel;
  }

  function discographyItem(album) {
    return listItem(albumHref(album.id), thumb(album.cover, ''), album.title, joinParts([album.year, ALBUM_TYPES[album.type]]), null);
  }

  // ── Listas ────────────────────────────────────────────────────────────────────────────

  function renderChart(arg, token, navigated) {
    const requested = (arg || '').trim();
    const code = /^mundial$/i.test(requested) ? 'mundial' : /^[a-z]{2}$/i.test(requested) ? requested.toUpperCase() : null;
    if (!code) {
      location.replace(chartHref(read(localStorage, CHART_COUNTRY_NAME) || 'ES'));
      return;
    }
    write(localStorage, CHART_COUNTRY_NAME, code);
    const label = (COUNTRIES.find(([value]) => value === code) || [code, countryName(code)])[1];

    const select = el('select', { id: 'chart-country', name: 'country' });
    const known = COUNTRIES.some(([value]) => value === code);
    for (const [value, name] of known ? COUNTRIES : COUNTRIES.concat([[code, label]])) {
      select.append(el('option', { value, selected: value === code, text: name }));
    }
    select.addEventListener('change', () => {
      location.hash = chartHref(select.value);
    });
    const picker = el('div', { className: 'picker' }, el('label', { for: 'chart-country', text: 'País' }), select);
    const body = el('section', { className: 'results', 'aria-live': 'polite' }, loadingView('Cargando la lista…'));
    const heading = el('h1', { text: code === 'mundial' ? 'Lo más escuchado en el mundo' : `Lo más escuchado en ${label}` });
    mount([heading, picker, body], `Listas · ${label}`, navigated);

    gql(CHART, { country: code === 'mundial' ? null : code, first: CHART_SIZE })
      .then((result) => {
        if (!alive(token)) return;
        const chart = rootOf(result, 'chart');
        const parts = [];
        parts.push(el('p', { className: 'meta', text: joinParts([chart.title, `Fuente: ${sourceName(chart.source)}`, chart.fetchedAt ? `consultada ${dateTimes.format(new Date(chart.fetchedAt))}` : null]) }));
        const asked = code === 'mundial' ? 'GLOBAL' : code;
        if (chart.scope && chart.scope !== asked) {
          const shown = chart.scope === 'GLOBAL' ? 'la mundial' : `la de ${countryName(chart.scope)}`;
          parts.push(el('p', { className: 'notice', text: `${sourceName(chart.source)} no tiene lista ${code === 'mundial' ? 'mundial' : `de ${label}`}; se muestra ${shown}.` }));
        }
        if (!chart.entries.length) parts.push(el('p', { className: 'empty', text: 'La lista está vacía.' }));
        else {
          parts.push(
            el(
              'ol',
              { className: 'list list--chart', 'aria-label': heading.textContent },
              chart.entries.map((entry) => listItem(trackHref(entry.track.id), thumb(entry.track.cover, ''), entry.track.title, entry.track.artist, formatDuration(entry.track.duration), String(entry.position))),
            ),
          );
        }
        parts.push(provenance(result.sources));
        body.replaceChildren(...parts.filter(Boolean));
      })
      .catch((error) => {
        if (!alive(token)) return;
        body.replaceChildren(handleFailure(error, 'No se ha podido cargar la lista.') || '');
      });
  }

  // ── Arranque ──────────────────────────────────────────────────────────────────────────

  if ('scrollRestoration' in history) history.scrollRestoration = 'manual';
  $('login-form').addEventListener('submit', signIn);
  $('sign-out').addEventListener('click', signOut);
  window.addEventListener('hashchange', onHashChange);
  if (!location.hash || location.hash === '#' || location.hash === '#/') location.replace('#/buscar');
  currentHash = location.hash;
  route();
})();
