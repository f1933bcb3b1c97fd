import type { AddressInfo } from 'node:net';
import type Keyv from 'keyv';
import { loadGot } from './gotModule.js';
import { refuseUrl } from './hosts.js';

/**
 * A request that reaches no key: well formed, so it is looked up in the key table like any
 * other, and refused (401) like any unknown key. Nothing is counted against a key.
 */
const NO_SUCH_KEY = `mk_warmup_${'0'.repeat(54)}`;

/**
 * Runs, once and in the background right after the server listens, the code a first request
 * would otherwise compile on its own time: V8 compiles functions and regular expressions on
 * first use and several libraries load parts of themselves lazily. Measured with
 * bench/peer.mjs (40 ms upstream), a fresh process answered its first artist query in about
 * 125 ms against 70 ms once warm; what this covers is most of the difference:
 * - got (loaded here, not at start: gotModule.ts) and Node's HTTP client (the upstream path's
 *   first request), through a request to this same server over loopback, which also runs
 *   express, body-parser (its charset decoder loads iconv-lite's tables on first use), Apollo's
 *   request pipeline and the key lookup in SQLite;
 * - the URL guard's IP-literal check (node:net's IPv6 expression is large to compile);
 * - the first read of the shared cache.
 * No upstream source is asked and no rate limit is spent. Failures are irrelevant: the next
 * request simply pays for whatever was not warmed.
 */
export async function warmUp(address: AddressInfo | string | null, cache: Keyv): Promise<void> {
  refuseUrl(new URL('https://musicbrainz.org/ws/2/'), () => true);
  await cache.get('warm-up:never-written').catch(() => undefined);
  const base = loopbackBase(address);
  if (!base) return;
  const { default: got } = await loadGot();
  await got
    .post(`${base}/graphql`, {
      json: { query: '{ __typename }' },
      headers: { authorization: `Bearer ${NO_SUCH_KEY}`, accept: 'application/json' },
      responseType: 'text',
      throwHttpErrors: false,
      retry: { limit: 0 },
      timeout: { request: 5_000 },
    })
    .catch(() => undefined);
}

/** Where this process itself can be reached: a wildcard listen is reached over loopback. */
function loopbackBase(address: AddressInfo | string | null): string | null {
  if (!address || typeof address === 'string') return null;
  if (address.address === '0.0.0.0') return `http://127.0.0.1:${address.port}`;
  if (address.address === '::') return `http://[::1]:${address.port}`;
  return address.family === 'IPv6' ? `http://[${address.address}]:${address.port}` : `http://${address.address}:${address.port}`;
}
