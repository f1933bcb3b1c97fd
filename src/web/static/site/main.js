// Cliente web de Música API. Sin dependencias ni paso de compilación: módulos ES que hablan con
// /graphql con la clave del usuario y solo muestran lo que la API devuelve.
import { $ } from '../shared/dom.js';
import { onSessionExpired } from './errors.js';
import { homeHash, route, startRouting } from './router.js';
import { clearSearchCache } from './search.js';
import { expireSession, signIn, signOut } from './session.js';

onSessionExpired(() => {
  clearSearchCache();
  expireSession();
});

$('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  if (!(await signIn())) return;
  if (!location.hash || location.hash === '#' || location.hash === '#/') location.replace(homeHash());
  route();
});

$('sign-out').addEventListener('click', () => {
  clearSearchCache();
  signOut();
});

if (!location.hash || location.hash === '#' || location.hash === '#/') location.replace('#/buscar');
startRouting();
