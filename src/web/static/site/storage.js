// Almacenamiento local con respaldo en memoria: algunos WebView lo tienen desactivado, y entonces
// lo guardado dura lo que la página.

const memory = new Map();

export function read(storage, name) {
  try {
    return storage.getItem(name);
  } catch {
    return memory.get(name) || null;
  }
}

export function write(storage, name, value) {
  try {
    if (value === null) storage.removeItem(name);
    else storage.setItem(name, value);
  } catch {
    if (value === null) memory.delete(name);
    else memory.set(name, value);
  }
}

const KEY_NAME = 'musica.key';

/** La clave vive en sessionStorage, o en localStorage solo si el usuario pidió recordarla. */
export const keyStore = {
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
