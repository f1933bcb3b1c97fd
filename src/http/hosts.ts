import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions, type LookupOneOptions } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Where upstream calls may go. A source declares its hosts; the upstream client and the download
 * fetcher check every URL they are about to connect to (the first one and each redirect hop)
 * against that list, and refuse IP literals, odd ports, credentials in URLs and downgrades from
 * https to http. Names are then resolved through `guardedLookup`, which refuses any address that
 * is not public unicast, so a public name that resolves (or is re-pointed) to 127.0.0.1, a
 * private network or a cloud metadata address is never connected to. `UPSTREAM_OVERRIDES`
 * targets (tests, a proxy) are the one exception: the operator named them.
 */

/** `archive.org` matches only itself; `*.archive.org` matches any subdomain (not the apex). */
export function hostMatches(hostname: string, patterns: readonly string[]): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return patterns.some((entry) => {
    const rule = entry.toLowerCase();
    if (rule.startsWith('*.')) return host.endsWith(rule.slice(1)) && host.length > rule.length - 1;
    return host === rule;
  });
}

export type HostRefusal =
  | 'scheme'
  | 'credentials'
  | 'port'
  | 'ip-literal'
  | 'undeclared-host'
  | 'downgrade'
  | 'private-address';

/** Why a URL may not be fetched, or null when it may. `previous` is the URL that redirected here. */
export function refuseUrl(url: URL, allowed: (hostname: string) => boolean, previous?: URL): { reason: HostRefusal; message: string } | null {
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { reason: 'scheme', message: `refusing a ${url.protocol} URL` };
  if (previous?.protocol === 'https:' && url.protocol === 'http:') {
    return { reason: 'downgrade', message: `refusing a redirect from https to http (${url.hostname})` };
  }
  if (url.username || url.password) return { reason: 'credentials', message: 'refusing a URL with credentials' };
  // A non-default port on a declared name is a different service than the one the source declared.
  if (url.port !== '') return { reason: 'port', message: `refusing port ${url.port} on ${url.hostname}` };
  const bare = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(bare) !== 0) return { reason: 'ip-literal', message: `refusing the IP address ${bare}; sources are reached by name` };
  if (!allowed(url.hostname)) return { reason: 'undeclared-host', message: `${url.hostname} is not one of the source's hosts` };
  return null;
}

/** Only ordinary public addresses: no loopback, private, link-local, CGNAT, multicast, reserved… */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  return parsed.range() === 'unicast';
}

export class PrivateAddressError extends Error {
  override readonly name = 'PrivateAddressError';
  readonly code = 'ERR_PRIVATE_ADDRESS';
  constructor(
    readonly hostname: string,
    readonly address: string,
  ) {
    super(`${hostname} resolves to ${address}, which is not a public address`);
  }
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A drop-in for `dns.lookup` (the `lookup` option of http/https requests) that fails when any
 * address of the name is not public. Checking every address, not just the first, keeps a name
 * that mixes public and private answers from being connected to its private one on a retry.
 */
export function guardedLookup(hostname: string, options: LookupOneOptions | LookupAllOptions | number | LookupCallback, callback?: LookupCallback): void {
  const done = (typeof options === 'function' ? options : callback) as LookupCallback;
  const settings: LookupOneOptions | LookupAllOptions = typeof options === 'object' ? options : typeof options === 'number' ? { family: options } : {};
  dnsLookup(hostname, { ...settings, all: true }, (error, addresses) => {
    if (error) return done(error, []);
    const list = addresses as LookupAddress[];
    const refused = list.find((entry) => !isPublicAddress(entry.address));
    if (refused || list.length === 0) {
      return done(new PrivateAddressError(hostname, refused?.address ?? 'nothing') as unknown as NodeJS.ErrnoException, []);
    }
    if ((settings as LookupAllOptions).all) return done(null, list);
    return done(null, list[0]!.address, list[0]!.family);
  });
}
