import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppleProvider } from '../../src/providers/apple/index.js';
import { createLrclibProvider } from '../../src/providers/lrclib/index.js';
import { startReplayServer, type ReplayServer } from '../support/replayServer.js';
import { skipWithoutRecordings } from '../support/recordings.js';
import { startKeyedGateway, type KeyedGateway } from '../auth/gateway.js';

const CHECK = 'query($s: String!) { checkSource(sourceId: $s) { sourceId probe ok latencyMs errorKind message checkedAt } }';

describe.skipIf(skipWithoutRecordings('apple', 'lrclib'))('checkSource over GraphQL', () => {
  let replay: ReplayServer;
  let gateway: KeyedGateway;
  let admin: Record<string, string>;

  beforeAll(async () => {
    replay = await startReplayServer({ sources: ['apple', 'lrclib'] });
    gateway = await startKeyedGateway({ factories: [createAppleProvider, createLrclibProvider], replay });
    admin = { authorization: `Bearer ${gateway.keys.get('*')!.key}` };
  });
  afterAll(async () => {
    await gateway?.close();
    await replay?.close();
  });

  it('checks a source live for an admin key, read-only ones included', async () => {
    const readOnly = (await gateway.auth.createKey('*', 'Panel', { readOnly: true })).key;
    for (const headers of [admin, { authorization: `Bearer ${readOnly}` }]) {
      replay.reset();
      const { body } = await gateway.post(CHECK, { s: 'apple' }, headers);
      expect(body.errors).toBeUndefined();
      expect(body.data!.checkSource).toMatchObject({ sourceId: 'apple', probe: 'lista de éxitos de US', ok: true, errorKind: null, message: null });
      expect(body.data!.checkSource.latencyMs).toEqual(expect.any(Number));
      expect(replay.count('rss.applemarketingtools.com')).toBe(1);
    }
  });

  it('reports a failing source with its error kind and a Spanish message', async () => {
    const stop = replay.intercept((request, response) => {
      if (request.host !== 'lrclib.net') return false;
      response.writeHead(500, { 'content-type': 'text/html' }).end('<html>Internal Server Error</html>');
      return true;
    });
    try {
      const { body } = await gateway.post(CHECK, { s: 'lrclib' }, admin);
      expect(body.data!.checkSource).toMatchObject({ sourceId: 'lrclib', ok: false, errorKind: 'UNAVAILABLE' });
      expect(body.data!.checkSource.message).toMatch(/^No se pudo conectar con la fuente/);
    } finally {
      stop();
    }
  });

  it('refuses source keys and unknown sources', async () => {
    const apple = { authorization: `Bearer ${gateway.keys.get('apple')!.key}` };
    replay.reset();
    expect((await gateway.post(CHECK, { s: 'apple' }, apple)).body.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    expect((await gateway.post(CHECK, { s: 'spotify' }, admin)).body.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(replay.requests).toEqual([]);
  });
});
