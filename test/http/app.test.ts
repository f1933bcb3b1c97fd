import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReplayServer, type ReplayServer } from '../support/replayServer.js';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { results, searchProvider } from '../support/testProviders.js';

describe('HTTP surface', () => {
  let replay: ReplayServer;
  let gateway: TestGateway;

  beforeAll(async () => {
    replay = await startReplayServer({ extraHosts: ['alpha.test'] });
    gateway = await startGateway({
      factories: [searchProvider('alpha')],
      replay,
      env: { CHAIN_SEARCH_TRACKS: 'alpha', MUSICA_CONTACT: 'dueño@example.org' },
    });
  });
  afterAll(async () => {
    await gateway.close();
    await replay.close();
  });

  it('serves the schema as SDL at /schema.graphql, the same text the repository checks in', async () => {
    const response = await fetch(`${gateway.url}/schema.graphql`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await response.text()).toBe(await readFile(path.join(import.meta.dirname, '../../schema.graphql'), 'utf8'));
  });

  it('answers a GET query only with the preflight header, as the README says', async () => {
    const url = `${gateway.url}/graphql?query=${encodeURIComponent('{ viewer { scope } }')}`;
    expect((await fetch(url)).status).toBe(400);
    const answered = await fetch(url, { headers: { 'apollo-require-preflight': 'true' } });
    expect(answered.status).toBe(200);
    expect(await answered.json()).toMatchObject({ data: { viewer: { scope: '*' } } });
  });

  it('answers /health', async () => {
    const response = await fetch(`${gateway.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('shows GraphiQL to a browser, with every asset served locally', async () => {
    const page = await fetch(`${gateway.url}/graphql`, { headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('GraphiQL');
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(assets.length).toBeGreaterThanOrEqual(4);
    for (const asset of assets) {
      expect(asset.startsWith('/'), `${asset} must be local, not a CDN`).toBe(true);
      const response = await fetch(`${gateway.url}${asset}`);
      expect(response.status, asset).toBe(200);
      expect((await response.arrayBuffer()).byteLength, asset).toBeGreaterThan(1000);
    }
  });

  it('refuses a request with an unknown key with 401 UNAUTHENTICATED', async () => {
    const { status, body } = await gateway.query('{ searchTracks(query: "x") { source } }', {}, 'invalid');
    expect(status).toBe(401);
    expect(body.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
  });

  it('identifies itself upstream with a User-Agent that carries the contact', async () => {
    replay.route('GET', 'https://alpha.test/search?q=ua&limit=10', { body: results('UA') });
    await gateway.query('{ searchTracks(query: "ua") { source } }');
    const request = replay.requests.find((r) => r.url.includes('q=ua'))!;
    expect(request.headers['user-agent']).toMatch(/^MusicaAPI\/\d+\.\d+\.\d+ \( dueño@example\.org \)$/);
  });

  it('exposes Prometheus metrics to the admin key only', async () => {
    replay.route('GET', 'https://alpha.test/search?q=metricas&limit=10', { body: results('Métricas') });
    await gateway.query('{ searchTracks(query: "metricas") { source } }');
    const admin = await fetch(`${gateway.url}/metrics`, { headers: { authorization: 'Bearer admin' } });
    expect(admin.status).toBe(200);
    const text = await admin.text();
    expect(text).toMatch(/musica_source_attempts_total\{source="alpha",outcome="ok"\} [1-9]/);
    expect(text).toMatch(/musica_source_circuit_state\{source="alpha"\} 0/);
    expect(text).toMatch(/musica_graphql_requests_total\{result="ok"\} [1-9]/);
    expect((await fetch(`${gateway.url}/metrics`, { headers: { authorization: 'Bearer alpha' } })).status).toBe(403);
    expect((await fetch(`${gateway.url}/metrics`, { headers: { authorization: 'Bearer invalid' } })).status).toBe(401);
  });
});
