// Utilidades de DOM compartidas por el cliente web y la página /admin. Todo texto que llega de
// la API (de fuentes de terceros) entra en la página como texto, nunca como HTML.

export const $ = (id) => document.getElementById(id);

/**
 * Crea un elemento. `props.text` se pone como texto; `href` y `src` solo si son http(s);
 * `className` es la clase; el resto son atributos (`true` = atributo vacío; `null`,
 * `undefined` y `false` se omiten). Los hijos de tipo cadena entran como nodos de texto.
 */
export function el(tag, props, ...children) {
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
export function safeUrl(value) {
  if (typeof value !== 'string' || !value) return null;
  if (value.startsWith('#')) return value;
  try {
    const url = new URL(value, document.baseURI);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

/** Enlace a otro sitio, en otra pestaña y sin pasarle esta página. */
export function externalLink(url, text, className) {
  if (!safeUrl(url)) return null;
  return el('a', { href: url, className, target: '_blank', rel: 'noopener noreferrer external' }, text);
}
