import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryCache } from '../../src/cache/store.js';
import { loadConfig } from '../../src/config.js';
import { guardedLookup, hostMatches, isPublicAddress, refuseUrl } from '../../src/http/hosts.js';
import { newTrace } from '../../src/catalog/traced.js';
import { RequestBudget } from '../../src/catalog/budget.js';
import { createClientFactory } from '../../src/http/upstream.js';
import { silentLogger, type Logger } from '../../src/logger.js';
import { callContext, sourceErrorOf } from '../support/providerHarness.js';
import { startReplayServer, type ReplayServer } from '../support/replayServer.js';

/**
 * The catalogue's upstream client as a hostile upstream (or a caller choosing ids) would use it:
 * redirects to loopback or to hosts the source never declared, names resolving to private
 * addresses, bodies that are not what was asked for.
 */
describe('upstream client: where it may connect', () => {
  let replay: ReplayServer;
  /** A stand-in for Redis or an admin port on the gateway's own machine. */
  let internal: Server;
  let internalPort = 0;
  let internalHits = 0;

  beforeAll(async () => {
    replay = await startReplayServer({ extraHosts: ['musicbrainz.org', 'elsewhere.test'] });
    internal = createServer((_req, res) => {
      internalHits += 1;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"secret":true}');
    });
    await new Promise<void>((resolve) => internal.listen(0, '127.0.0.1', resolve));
    internalPort = (internal.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await replay.close();
    await new Promise((resolve) => internal.close(resolve));
  });
  afterEach(() => {
    replay.reset();
    internalHits = 0;
  });

  function client(options: { cache?: ReturnType<typeof createMemoryCache>; hosts?: string[]; logger?: Logger } = {}) {
    const config = loadConfig({ LOG_LEVEL: 'silent', UPSTREAM_RETRIES: '0', UPSTREAM_TIMEOUT_MS: '2000' });
    Object.defineProperty(config, 'upstreamOverrides', { get: () => replay.overrides });
    return createClientFactory({ config, cache: options.cache ?? createMemoryCache(), logger: options.logger ?? silentLogger })({
      source: 'musicbrainz',
      hosts: options.hosts ?? ['musicbrainz.org'],
    });
  }

  function redirect(path: string, location: string, status = 302) {
    replay.intercept((req, res) => {
      if (req.path !== path) return false;
      res.writeHead(status, { location }).end();
      return true;
    });
  }

  it('refuses a redirect to a loopback port: nothing reaches it', async () => {
    redirect('/ws/2/artist/x', `http://127.0.0.1:${internalPort}/internal`);
    const error = await sourceErrorOf(client().json('https://musicbrainz.org/ws/2/artist/x', { ctx: callContext(), cache: 'entity' }));
    expect(error.kind).toBe('HOST_NOT_ALLOWED');
    expect(internalHits).toBe(0);
  });

  it('refuses a redirect to a host the source did not declare, and says so in a warn line', async () => {
    const lines: { message: string; fields?: Record<string, unknown> }[] = [];
    const logger: Logger = { ...silentLogger, warn: (message, fields) => void lines.push({ message, fields }), child: () => logger };
    redirect('/ws/2/artist/y', 'https://elsewhere.test/steal');
    const ctx = { ...callContext(), requestId: 'req-1' };
    const error = await sourceErrorOf(client({ logger }).json('https://musicbrainz.org/ws/2/artist/y', { ctx, cache: 'entity' }));
    expect(error.kind).toBe('HOST_NOT_ALLOWED');
    expect(replay.count('elsewhere.test')).toBe(0);
    expect(lines).toEqual([
      expect.objectContaining({ message: 'upstream host refused', fields: expect.objectContaining({ kind: 'HOST_NOT_ALLOWED', reason: 'undeclared-host', requestId: 'req-1' }) }),
    ]);
  });

  it('follows a redirect within the declared hosts', async () => {
    redirect('/ws/2/artist/old', 'https://musicbrainz.org/ws/2/artist/new', 301);
    replay.route('GET', 'https://musicbrainz.org/ws/2/artist/new', { body: '{"id":"new"}' });
    expect(await client().json('https://musicbrainz.org/ws/2/artist/old', { ctx: callContext(), cache: 'entity' })).toEqual({ id: 'new' });
  });

  it('refuses an https to http downgrade even on a declared host', async () => {
    redirect('/ws/2/artist/down', 'http://musicbrainz.org/ws/2/artist/plain');
    expect((await sourceErrorOf(client().json('https://musicbrainz.org/ws/2/artist/down', { ctx: callContext(), cache: 'entity' }))).kind).toBe(
      'HOST_NOT_ALLOWED',
    );
    expect(replay.count('/plain')).toBe(0);
  });

  it('never connects to a declared name that resolves to a private address', async () => {
    // `localhost` is declared here and not overridden, so only the resolved address can stop it.
    const error = await sourceErrorOf(client({ hosts: ['localhost'] }).json('http://localhost/anything', { ctx: callContext(), cache: 'none' }));
    expect(error.kind).toBe('HOST_NOT_ALLOWED');
    expect(error.message).toMatch(/not a public address/);
  });

  it('refuses an undeclared host before queueing: it costs neither the request budget nor a call', async () => {
    replay.route('GET', 'https://musicbrainz.org/ws/2/artist/z', { body: '{"id":"z"}' });
    const budget = new RequestBudget(1);
    const api = client();
    for (let i = 0; i < 3; i += 1) {
      expect((await sourceErrorOf(api.json('https://elsewhere.test/x', { ctx: callContext({ budget }), cache: 'none' }))).kind).toBe('HOST_NOT_ALLOWED');
    }
    // The one call the budget allows is still there for a declared host; then it is spent.
    expect(await api.json('https://musicbrainz.org/ws/2/artist/z', { ctx: callContext({ budget }), cache: 'none' })).toEqual({ id: 'z' });
    expect((await sourceErrorOf(api.json('https://musicbrainz.org/ws/2/artist/z', { ctx: callContext({ budget }), cache: 'none' }))).kind).toBe('BUDGET_EXCEEDED');
  });

  it('reaches a host the source named only after trustHost, on every client sharing the cache', async () => {
    const cache = createMemoryCache();
    replay.route('GET', 'https://elsewhere.test/page', { body: '{"ok":true}' });
    const first = client({ cache });
    expect((await sourceErrorOf(first.json('https://elsewhere.test/page', { ctx: callContext(), cache: 'none' }))).kind).toBe('HOST_NOT_ALLOWED');
    expect(replay.count('elsewhere.test')).toBe(0);
    await first.trustHost('elsewhere.test');
    expect(await first.json('https://elsewhere.test/page', { ctx: callContext(), cache: 'none' })).toEqual({ ok: true });
    expect(await client({ cache }).json('https://elsewhere.test/page', { ctx: callContext(), cache: 'none' })).toEqual({ ok: true });
  });
});

describe('upstream client: what it stores', () => {
  let replay: ReplayServer;
  beforeAll(async () => {
    replay = await startReplayServer({ extraHosts: ['api.test'] });
  });
  afterAll(() => replay.close());
  afterEach(() => replay.reset());

  function client(cache = createMemoryCache()) {
    const config = loadConfig({ LOG_LEVEL: 'silent', UPSTREAM_RETRIES: '0' });
    Object.defineProperty(config, 'upstreamOverrides', { get: () => replay.overrides });
    return { cache, api: createClientFactory({ config, cache, logger: silentLogger })({ source: 'api', hosts: ['api.test'] }) };
  }

  it('never stores an HTML page served with 200 where JSON was asked: the next call asks again', async () => {
    replay.route('GET', 'https://api.test/search', { body: '<html><body>Maintenance</body></html>', contentType: 'text/html' });
    const { api } = client();
    for (let i = 0; i < 2; i += 1) {
      expect((await sourceErrorOf(api.json('https://api.test/search', { ctx: callContext(), cache: 'search' }))).kind).toBe('BAD_RESPONSE');
    }
    expect(replay.count('/search')).toBe(2);
  });

  it('never stores a truncated JSON body', async () => {
    replay.route('GET', 'https://api.test/cut', { body: '{"results":[{"id":1},' });
    const { api } = client();
    await sourceErrorOf(api.json('https://api.test/cut', { ctx: callContext(), cache: 'search' }));
    await sourceErrorOf(api.json('https://api.test/cut', { ctx: callContext(), cache: 'search' }));
    expect(replay.count('/cut')).toBe(2);
  });

  it('deletes a stored entry that no longer passes validation', async () => {
    replay.route('GET', 'https://api.test/entity', { body: '{"error":"rate limited"}' });
    const cache = createMemoryCache();
    const { api } = client(cache);
    // Stored by a version without validation: now it is rejected once and then gone.
    await api.json('https://api.test/entity', { ctx: callContext(), cache: 'entity' });
    const validate = (body: unknown) => {
      if ((body as { error?: string }).error) throw new Error('an error payload');
    };
    expect((await sourceErrorOf(api.json('https://api.test/entity', { ctx: callContext(), cache: 'entity', validate }))).kind).toBe('BAD_RESPONSE');
    expect(replay.count('/entity')).toBe(1);
    await sourceErrorOf(api.json('https://api.test/entity', { ctx: callContext(), cache: 'entity', validate }));
    expect(replay.count('/entity')).toBe(2);
  });

  it('inside a catalog call, holds the write until the provider accepts the answer', async () => {
    replay.route('GET', 'https://api.test/held', { body: '{"ok":true}' });
    const { api } = client();
    const trace = newTrace();
    await api.json('https://api.test/held', { ctx: callContext({ trace }), cache: 'entity' });
    expect(trace.pendingWrites).toHaveLength(1);
    expect(trace.networkCalls).toBe(1);
    // Not committed: the next call goes upstream again.
    await api.json('https://api.test/held', { ctx: callContext(), cache: 'entity' });
    expect(replay.count('/held')).toBe(2);
  });

  it('shares one upstream call between callers, and a caller leaving does not fail the others', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    replay.intercept(async (req, res) => {
      if (req.path !== '/slow') return false;
      await gate;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      return true;
    });
    const { api } = client();
    const leaving = new AbortController();
    const first = api.json('https://api.test/slow', { ctx: callContext({ signal: leaving.signal }), cache: 'none' });
    const second = api.json('https://api.test/slow', { ctx: callContext(), cache: 'none' });
    leaving.abort();
    expect((await sourceErrorOf(first)).kind).toBe('ABORTED');
    release();
    expect(await second).toEqual({ ok: true });
    expect(replay.count('/slow')).toBe(1);
  });
});

describe('host rules', () => {
  it('matches declared hosts exactly or as subdomains of a wildcard', () => {
    expect(hostMatches('ia801200.us.archive.org', ['*.archive.org'])).toBe(true);
    expect(hostMatches('archive.org', ['*.archive.org'])).toBe(false);
    expect(hostMatches('evilarchive.org', ['*.archive.org'])).toBe(false);
    expect(hostMatches('MusicBrainz.org.', ['musicbrainz.org'])).toBe(true);
  });

  it('refuses IP literals, ports, credentials and other schemes before any lookup', () => {
    const any = () => true;
    expect(refuseUrl(new URL('http://169.254.169.254/latest/meta-data'), any)?.reason).toBe('ip-literal');
    expect(refuseUrl(new URL('http://[::1]/'), any)?.reason).toBe('ip-literal');
    expect(refuseUrl(new URL('https://musicbrainz.org:6379/'), any)?.reason).toBe('port');
    expect(refuseUrl(new URL('https://user:pw@musicbrainz.org/'), any)?.reason).toBe('credentials');
    expect(refuseUrl(new URL('file:///etc/passwd'), any)?.reason).toBe('scheme');
    expect(refuseUrl(new URL('https://musicbrainz.org/ws/2'), any)).toBeNull();
  });

  it('calls only ordinary unicast addresses public', () => {
    for (const address of ['127.0.0.1', '10.0.0.5', '172.16.3.4', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fe80::1', 'fc00::1', '::ffff:127.0.0.1', '224.0.0.1']) {
      expect(isPublicAddress(address), address).toBe(false);
    }
    for (const address of ['138.201.227.205', '2a01:4f8:1c1c:b0b5::1']) expect(isPublicAddress(address), address).toBe(true);
  });

  it('resolves localhost to a refusal', async () => {
    const error = await new Promise<Error | null>((resolve) => guardedLookup('localhost', { all: true }, (err) => resolve(err)));
    expect(error?.message).toMatch(/not a public address/);
  });
});
