import { afterEach, describe, expect, it } from 'vitest';
import type { Track } from '../../src/domain/types.js';
import { SourceError } from '../../src/errors/source.js';
import { createLogger, REDACTED, type LogLevel } from '../../src/logger.js';
import { EVIL_HOST, FILE_HOST, licensedTrack, startDownloads, type DownloadHarness } from '../downloads/support.js';
import { replayedGateways, type TestGateway } from '../support/gateway.js';
import { results, searchProvider } from '../support/testProviders.js';

/**
 * Structured logging (issue 9 §7): one JSON line per event, each event that matters to an
 * operator logged once as a warn line that says which source, what kind and which request, and
 * no credential in any line.
 */
type Line = Record<string, any> & { level: string; msg: string; time: string };

/** A logger as the server builds it, writing into memory instead of stderr. */
function capture(level: LogLevel) {
  const raw: string[] = [];
  const logger = createLogger(level, { destination: { write: (line: string) => void raw.push(line) } });
  return {
    logger,
    raw,
    lines: (): Line[] => raw.map((line) => JSON.parse(line) as Line),
  };
}

const API_KEY = 'k3y-5f0e8a1c9b7d4e2f';
const BEARER = 'tok-9d8c7b6a5f4e3d2c';

const SEARCH = `query($q: String!) { searchTracks(query: $q, first: 5) { nodes { title } } }`;

describe('log lines', () => {
  it('are JSON with an ISO time, a level name and the message; fields and child bindings are top-level', () => {
    const { logger, lines } = capture('info');
    logger.child({ source: 'deezer' }).warn('upstream fault', { kind: 'TIMEOUT', requestId: 'r-1' });
    logger.debug('not at info');
    expect(lines()).toEqual([
      { level: 'warn', time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/), pid: process.pid, source: 'deezer', kind: 'TIMEOUT', requestId: 'r-1', msg: 'upstream fault' },
    ]);
  });

  it('redact credentials by path: in a line, one level down, in headers and in child bindings', () => {
    const { logger, raw, lines } = capture('debug');
    logger.child({ apiKey: API_KEY }).info('configured', {
      key: API_KEY,
      config: { api_key: API_KEY, client_id: API_KEY, secret: API_KEY, token: API_KEY, password: API_KEY, name: 'lastfm' },
      headers: { authorization: `Bearer ${BEARER}`, 'x-api-key': API_KEY, accept: 'application/json' },
      request: { headers: { authorization: `Bearer ${BEARER}`, cookie: `session=${BEARER}` } },
      authorization: `Bearer ${BEARER}`,
    });
    expect(raw.join('')).not.toContain(API_KEY);
    expect(raw.join('')).not.toContain(BEARER);
    expect(lines()[0]).toMatchObject({
      apiKey: REDACTED,
      key: REDACTED,
      config: { api_key: REDACTED, client_id: REDACTED, secret: REDACTED, token: REDACTED, password: REDACTED, name: 'lastfm' },
      headers: { authorization: REDACTED, 'x-api-key': REDACTED, accept: 'application/json' },
      request: { headers: { authorization: REDACTED, cookie: REDACTED } },
      authorization: REDACTED,
    });
  });

  it('write errors as name and message (and kind or code), with the stack only in error lines', () => {
    const { logger, lines } = capture('info');
    const failure = new SourceError('deezer', 'TIMEOUT', 'no answer within 8000 ms');
    logger.warn('band_details failed', { error: failure });
    logger.error('unexpected resolver error', { error: Object.assign(new TypeError('x is undefined'), { code: 'E_BUG' }) });
    const [warn, error] = lines();
    expect(warn!.error).toEqual({ name: 'SourceError', message: 'deezer: no answer within 8000 ms', kind: 'TIMEOUT' });
    expect(error!.error).toMatchObject({ name: 'TypeError', message: 'x is undefined', code: 'E_BUG', stack: expect.stringContaining('TypeError: x is undefined') });
  });
});

describe('what the gateway logs at LOG_LEVEL=info', () => {
  const { replay, start } = replayedGateways({ extraHosts: ['alpha.test'] });

  async function ask(g: TestGateway, q: string): Promise<{ requestId: string; body: any }> {
    const response = await fetch(`${g.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: SEARCH, variables: { q } }),
    });
    return { requestId: response.headers.get('x-request-id')!, body: await response.json() };
  }

  it('logs each fault, circuit change, stale answer and refused host once, as a warn line naming source, kind and request; never a credential', async () => {
    const log = capture('info');
    let clock = Date.parse('2026-03-01T12:00:00Z');
    const gateway = await start({
      factories: [searchProvider('alpha', { withoutPlayback: true, credential: { bearer: BEARER, apiKey: API_KEY } })],
      logger: log.logger,
      now: () => clock,
      env: { LOG_LEVEL: 'info', CHAIN_SEARCH_TRACKS: 'alpha', BREAKER_THRESHOLD: '1', BREAKER_COOLDOWN_MS: '1000' },
    });
    const down = (q: string) =>
      replay.intercept((req, res) => (req.host === 'alpha.test' && req.query.get('q') === q ? (res.writeHead(503).end('down'), true) : false));
    for (const q of ['vieja', 'uno', 'dos']) replay.route('GET', `https://alpha.test/search?q=${q}&limit=5`, { body: results(q) });
    replay.route('GET', 'https://alpha.test/search?q=desvio&limit=5', { status: 302, body: '', headers: { location: 'https://evil.test/collect' } });

    const requests: Record<string, string> = {};
    const step = async (name: string, q: string, expectAnswer: boolean) => {
      const { requestId, body } = await ask(gateway, q);
      expect(body.data?.searchTracks ? 'answered' : 'failed', name).toBe(expectAnswer ? 'answered' : 'failed');
      requests[name] = requestId;
    };

    await step('fresh answer', 'vieja', true);
    down('rota');
    await step('fault opens the circuit', 'rota', false);
    // Seven hours on, the cool-down is over and `vieja` is stale; the probe fails.
    clock += 7 * 60 * 60 * 1000;
    down('vieja');
    await step('stale answer', 'vieja', true);
    clock += 2000;
    await step('first good probe', 'uno', true);
    await step('second good probe closes', 'dos', true);
    await step('redirect refused', 'desvio', false);

    const lines = log.lines();
    expect(lines.every((line) => line.level === 'warn'), 'nothing but warn lines at info in this run').toBe(true);
    const warned = (name: string) =>
      lines.filter((line) => line.requestId === requests[name]).map((line) => [line.msg, line.source, line.kind]);
    expect(warned('fresh answer')).toEqual([]);
    expect(warned('fault opens the circuit')).toEqual([
      ['upstream fault', 'alpha', 'UNAVAILABLE'],
      ['circuit opened', 'alpha', 'CIRCUIT_OPENED'],
    ]);
    expect(warned('stale answer')).toEqual([
      ['upstream fault', 'alpha', 'UNAVAILABLE'],
      ['stale answer served', 'alpha', 'STALE'],
    ]);
    expect(warned('first good probe')).toEqual([]);
    expect(warned('second good probe closes')).toEqual([['circuit closed', 'alpha', 'CIRCUIT_CLOSED']]);
    expect(warned('redirect refused')).toEqual([
      ['upstream host refused', 'alpha', 'HOST_NOT_ALLOWED'],
      ['circuit opened', 'alpha', 'CIRCUIT_OPENED'],
    ]);
    // Every line belongs to one of these requests.
    expect(lines.map((line) => line.requestId).filter((id) => !Object.values(requests).includes(id))).toEqual([]);
    expect(lines.find((line) => line.msg === 'upstream host refused')).toMatchObject({ reason: 'undeclared-host', url: 'https://evil.test/collect' });
    expect(lines.find((line) => line.msg === 'upstream fault')!.message).toMatch(/api_key=REDACTED/);

    expect(log.raw.join('')).not.toContain(API_KEY);
    expect(log.raw.join('')).not.toContain(BEARER);
    expect(replay.count('alpha.test')).toBe(6);
    expect(replay.requests.every((request) => request.query.get('api_key') === API_KEY)).toBe(true);
  });

  it('keeps credentials out of debug lines too, where every upstream URL is logged', async () => {
    const log = capture('debug');
    const gateway = await start({ factories: [searchProvider('alpha', { withoutPlayback: true, credential: { bearer: BEARER, apiKey: API_KEY } })], logger: log.logger, env: { LOG_LEVEL: 'debug', CHAIN_SEARCH_TRACKS: 'alpha' } });
    replay.route('GET', 'https://alpha.test/search?q=clave&limit=5', { body: results('Clave') });
    await ask(gateway, 'clave');
    expect(log.lines().some((line) => line.level === 'debug' && String(line.url).includes('api_key=REDACTED'))).toBe(true);
    expect(log.raw.join('')).not.toContain(API_KEY);
    expect(log.raw.join('')).not.toContain(BEARER);
  });
});

describe('what the download pipeline logs when it refuses a file', () => {
  let h: DownloadHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  async function refusal(env: Record<string, string>, setUp: (harness: DownloadHarness) => void, track: Track) {
    const log = capture('info');
    h = await startDownloads({ env: { SERVER_SECRET: 's'.repeat(40), ...env }, logger: log.logger });
    setUp(h);
    const job = await h.service.prepare(track.id, async () => track);
    await h.service.settled(job.id);
    return log;
  }

  it.each([
    [
      'NOT_AUDIO',
      {},
      (harness: DownloadHarness) =>
        harness.server.route('GET', `https://${FILE_HOST}/audio/pagina.flac`, { body: '<!DOCTYPE html><p>Inicia sesión</p>', contentType: 'text/html' }),
      'pagina',
    ],
    [
      'HOST_NOT_ALLOWED',
      {},
      (harness: DownloadHarness) =>
        harness.server.route('GET', `https://${FILE_HOST}/audio/desvio.flac`, { status: 302, body: '', headers: { location: `https://${EVIL_HOST}/x.flac` } }),
      'desvio',
    ],
    [
      'TOO_LARGE',
      { DOWNLOAD_MAX_BYTES: '1K' },
      (harness: DownloadHarness) =>
        harness.server.route('GET', `https://${FILE_HOST}/audio/enorme.flac`, { body: Buffer.alloc(4096), contentType: 'audio/flac' }),
      'enorme',
    ],
  ] as const)('logs one warn line for a %s refusal, with source, kind and track id', async (kind, env, setUp, nativeId) => {
    const track = licensedTrack({ nativeId });
    const log = await refusal({ ...env }, setUp, track);
    const refusals = log.lines().filter((line) => line.msg === 'download refused');
    expect(refusals).toEqual([expect.objectContaining({ level: 'warn', source: 'filehost', kind, trackId: track.id, jobId: expect.any(String) })]);
    expect(log.lines().filter((line) => line.level === 'warn')).toHaveLength(1);
  });

  it('logs one warn line when a track that is not licensed for download is asked for', async () => {
    const log = capture('info');
    h = await startDownloads({ env: { SERVER_SECRET: 's'.repeat(40) }, logger: log.logger });
    const track = licensedTrack({ nativeId: 'cerrada', download: { allowed: false, reason: 'NOT_LICENSED' } });
    await expect(h.service.prepare(track.id, async () => track)).rejects.toMatchObject({ extensions: { code: 'DOWNLOAD_UNAVAILABLE', reason: 'NOT_LICENSED' } });
    expect(log.lines()).toEqual([expect.objectContaining({ level: 'warn', msg: 'download refused', source: 'filehost', kind: 'NOT_LICENSED', trackId: track.id })]);
  });
});
