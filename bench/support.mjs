/**
 * What the self-contained benches share: the compiled gateway (BENCH_DIST, default ./dist)
 * started in this process on loopback, with an in-memory cache and every request let in as the
 * admin key, so a figure measures the catalog and not key storage; and the median they report.
 */
import http from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const dist = path.resolve(process.env.BENCH_DIST ?? 'dist');

/** Imports a module of the compiled gateway, e.g. `load('providers/deezer/index.js')`. */
export const load = (module) => import(pathToFileURL(path.join(dist, module)).href);

const { createApp } = await load('app.js');
const { composeCoreServices } = await load('compose.js');
const { loadConfig } = await load('config.js');
const { createMemoryCache } = await load('cache/store.js');
const { silentLogger } = await load('logger.js');

const ADMIN = { authenticate: async () => ({ keyId: 'bench', scope: '*', label: 'bench', readOnly: false }), sourceStatus: () => 'active', recordUsage() {} };

/**
 * Starts a gateway configured by `env` (as the environment would), whose upstream hosts are
 * sent to `upstreamOverrides` (host → base URL of a loopback stand-in). Returns its GraphQL URL.
 */
export async function startGateway({ env, upstreamOverrides, factories }) {
  const config = loadConfig(env);
  config.upstreamOverrides = upstreamOverrides;
  const services = composeCoreServices({ config, env, logger: silentLogger, cache: createMemoryCache(), access: ADMIN, factories });
  const app = await createApp(services);
  const server = await new Promise((resolve) => {
    const listening = app.app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  return {
    url: `http://127.0.0.1:${server.address().port}/graphql`,
    async close() {
      server.closeAllConnections();
      server.close();
      await app.stop();
    },
  };
}

/**
 * A loopback stand-in for the upstream hosts: the gateway's overrides send `https://<host>/<path>`
 * to `<base>/<host>/<path>`. `answer` sees each request as it arrives and returns the JSON text
 * to send after `latencyMs`, or undefined to never answer.
 */
export async function startUpstream(latencyMs, answer) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://bench');
    const [, host, ...rest] = url.pathname.split('/');
    const body = answer({ host, path: rest, url });
    if (body === undefined) return;
    setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end(body), latencyMs);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { base: `http://127.0.0.1:${server.address().port}`, close: () => server.close() };
}

export const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
