import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { keyPrefix } from '../../src/auth/keys.js';
import { createMemoryCache } from '../../src/cache/store.js';
import { warmUp } from '../../src/http/warmUp.js';

interface Seen {
  method: string;
  url: string;
  authorization: string | undefined;
  body: string;
}

let server: Server | null = null;

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = null;
});

/** A stand-in for the gateway that answers like it does to an unknown key, and remembers what it was asked. */
async function listen(host: string): Promise<{ address: AddressInfo; seen: Seen[] }> {
  const seen: Seen[] = [];
  server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization, body });
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"errors":[{"message":"unknown key"}]}');
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, host, resolve));
  return { address: server.address() as AddressInfo, seen };
}

describe('warmUp', () => {
  it('asks the server itself one GraphQL question with a well-formed key that no one holds', async () => {
    const { address, seen } = await listen('127.0.0.1');
    await warmUp(address, createMemoryCache());
    expect(seen).toHaveLength(1);
    const [request] = seen;
    expect(request!.method).toBe('POST');
    expect(request!.url).toBe('/graphql');
    expect(JSON.parse(request!.body)).toEqual({ query: '{ __typename }' });
    // Well formed, so the gateway looks it up in the key table (the path a real first request takes)…
    const key = /^Bearer (\S+)$/.exec(request!.authorization ?? '')?.[1] ?? '';
    expect(keyPrefix(key)).not.toBeNull();
    // …and not one the gateway issues: those carry random secrets, never a run of zeros.
    expect(key.endsWith('0'.repeat(54))).toBe(true);
  });

  it('reaches a server listening on every interface over loopback', async () => {
    const { address, seen } = await listen('0.0.0.0');
    await warmUp(address, createMemoryCache());
    expect(address.address).toBe('0.0.0.0');
    expect(seen).toHaveLength(1);
  });

  it('settles without asking anyone when the server has no TCP address, and never throws when refused', async () => {
    await expect(warmUp(null, createMemoryCache())).resolves.toBeUndefined();
    await expect(warmUp({ address: '127.0.0.1', family: 'IPv4', port: 1 }, createMemoryCache())).resolves.toBeUndefined();
  });
});
