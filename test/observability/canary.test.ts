import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logger.js';
import { CANARY_PROBES, SourceChecker } from '../../src/observability/canary.js';
import { runCheckCli } from '../../src/observability/checkCli.js';
import { PROVIDER_FACTORIES, ProviderRegistry } from '../../src/providers/registry.js';
import { startReplayServer, type ReplayServer } from '../support/replayServer.js';
import { skipWithoutRecordings } from '../support/recordings.js';

/**
 * Source checks through the real providers and upstream client, against the genuine
 * recordings: sources whose canary query was recorded must pass; a server error, an HTML page
 * instead of JSON, an empty answer and a silent server must fail with the right kind.
 */
const RECORDED = ['musicbrainz', 'coverartarchive', 'lrclib', 'vagalume', 'wikipedia', 'youtubemusic', 'soundcloud', 'bandcamp', 'apple'];
const CREDENTIALS = { VAGALUME_API_KEY: 'test-key' };

function checkerFor(replay: ReplayServer, env: Record<string, string> = {}, deadlineMs?: number) {
  const fullEnv = { LOG_LEVEL: 'silent', UPSTREAM_RETRIES: '0', ...CREDENTIALS, ...env };
  const config = loadConfig(fullEnv);
  Object.defineProperty(config, 'upstreamOverrides', { get: () => replay.overrides });
  return new SourceChecker({ config, env: fullEnv, logger: silentLogger }, deadlineMs ? { deadlineMs } : {});
}

describe('the canary table', () => {
  it('has one probe per registered source, calling a capability that source has', () => {
    const registry = ProviderRegistry.create(
      { config: loadConfig({ LOG_LEVEL: 'silent' }), env: {}, createClient: () => ({}) as never, logger: silentLogger },
      PROVIDER_FACTORIES,
    );
    expect(Object.keys(CANARY_PROBES).sort()).toEqual(registry.all().map((p) => p.id).sort());
    for (const provider of registry.all()) {
      const probe = CANARY_PROBES[provider.id]!;
      expect(typeof provider[probe.capability], `${provider.id}.${probe.capability}`).toBe('function');
      expect(probe.description).not.toBe('');
    }
  });
});

describe.skipIf(RECORDED.some((source) => skipWithoutRecordings(source)))('source checks on recorded answers', () => {
  let replay: ReplayServer;
  beforeAll(async () => {
    replay = await startReplayServer({ sources: RECORDED });
  });
  afterAll(() => replay?.close());

  it('passes every source whose canary query was recorded, asking the source itself each time', async () => {
    const checker = checkerFor(replay);
    for (const round of [1, 2]) {
      replay.reset();
      const results = await checker.checkAll(RECORDED);
      for (const result of results) {
        expect(result, `${result.sourceId} (round ${round})`).toMatchObject({ ok: true, errorKind: null, message: null });
        expect(result.latencyMs).toEqual(expect.any(Number));
        expect(Date.parse(result.checkedAt)).not.toBeNaN();
        // Never from the cache: the second round asks every source again.
        expect(replay.requests.some((request) => request.url.includes(hostOf(result.sourceId))), result.sourceId).toBe(true);
      }
      expect(replay.unmatched).toEqual([]);
    }
  });

  it('fails with UNAVAILABLE on a server error and BAD_RESPONSE on an HTML page where JSON was expected', async () => {
    const checker = checkerFor(replay);
    const stop = replay.intercept((request, response) => {
      if (request.host === 'musicbrainz.org') {
        response.writeHead(503, { 'content-type': 'text/plain' }).end('Service Temporarily Unavailable');
        return true;
      }
      if (request.host === 'lrclib.net') {
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!DOCTYPE html><html><body><h1>Maintenance</h1></body></html>');
        return true;
      }
      return false;
    });
    try {
      const [musicbrainz, lrclib] = await checker.checkAll(['musicbrainz', 'lrclib']);
      expect(musicbrainz).toMatchObject({ sourceId: 'musicbrainz', ok: false, errorKind: 'UNAVAILABLE' });
      expect(musicbrainz!.message).toMatch(/^No se pudo conectar con la fuente o respondió con un error de servidor \(.*HTTP 503/);
      expect(musicbrainz!.latencyMs).toEqual(expect.any(Number));
      expect(lrclib).toMatchObject({ sourceId: 'lrclib', ok: false, errorKind: 'BAD_RESPONSE' });
      expect(lrclib!.message).toContain('ya no sabemos leer');
    } finally {
      stop();
    }
  });

  it('fails with EMPTY when the source answers a query that always has results with nothing', async () => {
    const checker = checkerFor(replay);
    const stop = replay.intercept((request, response) => {
      if (request.host !== 'musicbrainz.org') return false;
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ created: '2026-01-01T00:00:00.000Z', count: 0, offset: 0, artists: [] }));
      return true;
    });
    try {
      expect(await checker.check('musicbrainz')).toMatchObject({ ok: false, errorKind: 'EMPTY' });
    } finally {
      stop();
    }
  });

  it('fails with TIMEOUT when the source never finishes answering', async () => {
    const checker = checkerFor(replay, {}, 300);
    const stop = replay.intercept((request, response) => {
      if (request.host !== 'lrclib.net') return false;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{');
      return true;
    });
    try {
      const result = await checker.check('lrclib');
      expect(result).toMatchObject({ ok: false, errorKind: 'TIMEOUT' });
      expect(result!.message).toContain('no respondió a tiempo');
    } finally {
      stop();
    }
  });

  it('does not call an unconfigured source, and says which credential is missing', async () => {
    const checker = checkerFor(replay, { VAGALUME_API_KEY: '' });
    replay.reset();
    expect(await checker.check('vagalume')).toMatchObject({ ok: false, errorKind: 'UNCONFIGURED', latencyMs: null, message: expect.stringContaining('VAGALUME_API_KEY') });
    expect(replay.requests).toEqual([]);
    expect(await checker.check('spotify')).toBeUndefined();
  });

  it('prints a Spanish table and the same results as JSON from npm run sources:check', async () => {
    const env = { LOG_LEVEL: 'silent', UPSTREAM_RETRIES: '0', ...CREDENTIALS, UPSTREAM_OVERRIDES: JSON.stringify(replay.overrides) };
    const stop = replay.intercept((request, response) => {
      if (request.host !== 'musicbrainz.org') return false;
      response.writeHead(502, { 'content-type': 'text/plain' }).end('Bad Gateway');
      return true;
    });
    try {
      let out = '';
      const code = await runCheckCli(['apple', 'musicbrainz'], { env, out: (t) => (out += t), err: () => undefined });
      expect(code).toBe(1);
      expect(out).toMatch(/^apple +OK +\d+ ms +lista de éxitos de US$/m);
      expect(out).toMatch(/^musicbrainz +FALLO +\d+ ms +UNAVAILABLE +búsqueda de artistas «Leonard Cohen»$/m);
      expect(out).toContain('1 de 2 fuentes comprobadas fallaron.');

      let json = '';
      expect(await runCheckCli(['apple', '--json'], { env, out: (t) => (json += t), err: () => undefined })).toBe(0);
      const [apple] = JSON.parse(json).results;
      expect(Object.keys(apple).sort()).toEqual(['checkedAt', 'errorKind', 'latencyMs', 'message', 'name', 'ok', 'probe', 'sourceId']);
      expect(apple).toMatchObject({ sourceId: 'apple', ok: true, errorKind: null });

      let err = '';
      expect(await runCheckCli(['spotify'], { env, out: () => undefined, err: (t) => (err += t) })).toBe(2);
      expect(err).toContain('Fuente desconocida: spotify');
    } finally {
      stop();
    }
  });
});

/** A host each source's canary reaches (recorded requests keep the real upstream host). */
function hostOf(sourceId: string): string {
  const hosts: Record<string, string> = {
    musicbrainz: 'musicbrainz.org',
    coverartarchive: 'coverartarchive.org',
    lrclib: 'lrclib.net',
    vagalume: 'vagalume.com.br',
    wikipedia: 'wikipedia.org',
    youtubemusic: 'music.youtube.com',
    soundcloud: 'soundcloud.com',
    bandcamp: 'bandcamp.com',
    apple: 'applemarketingtools.com',
  };
  return hosts[sourceId]!;
}
