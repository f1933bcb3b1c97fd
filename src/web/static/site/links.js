// Direcciones de las vistas (#/…): las ids globales conservan sus «:» para que se lean.

const encodeId = (id) => encodeURIComponent(id).replace(/%3A/gi, ':');

export const trackHref = (id) => `#/cancion/${encodeId(id)}`;
export const albumHref = (id) => `#/album/${encodeId(id)}`;
export const artistHref = (id) => `#/artista/${encodeId(id)}`;
export const searchHref = (q, kind) => `#/buscar?${new URLSearchParams({ q, tipo: kind })}`;
export const chartHref = (code) => `#/listas/${code}`;
export const lyricsHref = (artist, title) => `#/letras?${new URLSearchParams({ artista: artist, titulo: title })}`;

/** La vista de cada tipo de nodo (`__typename`). */
export const NODE_HREF = { Track: trackHref, Album: albumHref, Artist: artistHref };

/** La dirección correcta para un id que resultó ser de otro tipo (un álbum pegado en /cancion/…). */
export function hrefForOtherKind(node, id) {
  const href = NODE_HREF[node.__typename];
  return href ? href(id) : null;
}
