// Todas las operaciones GraphQL que envía el cliente web, cada una con nombre, para que una
// prueba pueda validarlas contra el esquema y calcular su coste (ver test/web/queries.test.ts).
// Cada exportación es un documento completo: la operación y los fragmentos que usa.

const DOWNLOAD_OPTION = `fragment DownloadOptionFields on DownloadOption {
  format available reason detail license { name url } url sizeBytes lossless expiresAt source trackId
}`;

const JOB = `fragment JobFields on DownloadJob {
  id state progress trackId error { code message } downloads { ...DownloadOptionFields }
}`;

const LYRICS = `fragment LyricsFields on Lyrics {
  text synced { timeMs text } partial copyright instrumental language source url
}`;

/** La clave que entra y las fuentes que puede usar. */
export const VIEWER = `query Viewer {
  viewer { label scope isAdmin allowedSources }
}`;

/** Nombre y endpoints de esas fuentes (aparte: si falla, la aplicación ofrece todo y usa ids). */
export const SOURCES = `query Sources {
  sources { id name endpoints status configured }
}`;

const PAGE = 'source totalCount pageInfo { hasNextPage endCursor }';

export const SEARCH_TRACKS = `query SearchTracks($query: String!, $first: Int!, $after: String) {
  searchTracks(query: $query, first: $first, after: $after) {
    ${PAGE}
    nodes { id title artist albumTitle duration releaseDate cover { small } }
  }
}`;

export const SEARCH_ALBUMS = `query SearchAlbums($query: String!, $first: Int!, $after: String) {
  searchAlbums(query: $query, first: $first, after: $after) {
    ${PAGE}
    nodes { id title artist year type trackCount country formats label barcode cover { small } }
  }
}`;

export const SEARCH_ARTISTS = `query SearchArtists($query: String!, $first: Int!, $after: String) {
  searchArtists(query: $query, first: $first, after: $after) {
    ${PAGE}
    nodes { id name type country disambiguation genres }
  }
}`;

export const TRACK = `query Track($id: ID!) {
  node(id: $id) {
    __typename
    ... on Track {
      id title artist artists { id name joinPhrase } albumTitle album { id title }
      duration releaseDate isrc isrcs genres source playbackUrl playbackSource previewUrl
      cover { small medium large source }
      license { name url }
      links { platform url }
      availability {
        source sourceName confidence matchedBy durationDeltaSec
        track { id title artist playbackUrl }
      }
      downloads { ...DownloadOptionFields }
    }
  }
}
${DOWNLOAD_OPTION}`;

export const TRACK_LYRICS = `query TrackLyrics($id: ID!) {
  node(id: $id) { ... on Track { lyrics { ...LyricsFields } } }
}
${LYRICS}`;

export const LYRICS_SEARCH = `query LyricsSearch($artist: String!, $title: String!) {
  lyrics(artist: $artist, title: $title) { trackTitle artistName ...LyricsFields }
}
${LYRICS}`;

export const PREPARE_DOWNLOAD = `mutation PrepareDownload($trackId: ID!) {
  prepareDownload(trackId: $trackId) { ...JobFields }
}
${JOB}
${DOWNLOAD_OPTION}`;

export const DOWNLOAD_JOB = `query DownloadJob($id: ID!) {
  download(id: $id) { ...JobFields }
}
${JOB}
${DOWNLOAD_OPTION}`;

export const ALBUM = `query Album($id: ID!) {
  node(id: $id) {
    __typename
    ... on Album {
      id title artist artists { id name joinPhrase } year releaseDate type label trackCount genres source url
      country formats barcode
      cover { small medium large source }
      license { name url }
      tracks { id title artist duration trackNumber discNumber }
    }
  }
}`;

const DISCOGRAPHY_PAGE = `${PAGE} nodes { id title year type cover { small } }`;

/** La discografía, solo si la clave llega a alguna fuente que la dé. */
export const ARTIST = `query Artist($id: ID!, $first: Int!, $withDiscography: Boolean!) {
  node(id: $id) {
    __typename
    ... on Artist {
      id name typeLabel country disambiguation genres source url
      photo { small medium large source }
      biography(lang: "es") { summary content language source url }
      socialLinks { platform url }
      discography(first: $first) @include(if: $withDiscography) { ${DISCOGRAPHY_PAGE} }
    }
  }
}`;

export const DISCOGRAPHY = `query Discography($id: ID!, $first: Int!, $after: String) {
  node(id: $id) { ... on Artist { discography(first: $first, after: $after) { ${DISCOGRAPHY_PAGE} } } }
}`;

export const CHART = `query Chart($country: String, $first: Int!) {
  chart(country: $country, first: $first) {
    source scope title fetchedAt
    entries { position track { id title artist duration cover { small } } }
  }
}`;
