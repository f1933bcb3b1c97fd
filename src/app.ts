import 'reflect-metadata';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { unwrapResolverError } from '@apollo/server/errors';
import express, { type Request, type Response, type NextFunction } from 'express';
import type { GraphQLFormattedError } from 'graphql';
import { setMaxListeners } from 'node:events';
import path from 'node:path';
import { isAdmin } from './auth/types.js';
import { ApiError, isSourceError } from './errors.js';
import { buildApiSchema } from './schema/index.js';
import { depthLimit } from './schema/depthLimit.js';
import { createRequestContext, type RequestContext } from './schema/context.js';
import type { Services } from './services.js';
import { graphiqlAssets, STATIC_DIR } from './web/assets.js';
import { graphiqlPage } from './web/graphiql.js';

export interface AppOptions {
  /** Extra routers mounted before the GraphQL endpoint (`/files`, …), by path. */
  routers?: Record<string, express.RequestHandler>;
}

export interface GatewayApp {
  app: express.Express;
  apollo: ApolloServer<RequestContext>;
  stop(): Promise<void>;
}

/** Deep enough for chart → track → album → tracks → artists → artist → discography → nodes; no deeper. */
const MAX_QUERY_DEPTH = 10;

/** HTTP status for errors raised before GraphQL runs (authentication, scope). */
const HTTP_STATUS: Partial<Record<string, number>> = { UNAUTHENTICATED: 401, FORBIDDEN: 403, SOURCE_INACTIVE: 403 };

/** Codes produced by graphql-js / Apollo itself, passed through untouched. */
const FRAMEWORK_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
]);

export async function createApp(services: Services, options: AppOptions = {}): Promise<GatewayApp> {
  const { config, logger } = services;
  const schema = await buildApiSchema();

  const apollo = new ApolloServer<RequestContext>({
    schema,
    introspection: true,
    includeStacktraceInErrorResponses: false,
    plugins: [provenancePlugin(services)],
    validationRules: [depthLimit(MAX_QUERY_DEPTH)],
    formatError: (formatted, error) => formatError(formatted, error, services),
  });
  await apollo.start();

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(cors(config.corsOrigins));

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  // Prometheus scrapes with the admin key as its bearer token.
  app.get('/metrics', async (req, res, next) => {
    try {
      const principal = await services.access.authenticate(req.headers);
      if (!isAdmin(principal)) {
        res.status(403).type('text').send('Only the admin key may read metrics.\n');
        return;
      }
      res.type(services.metrics.registry.contentType).send(await services.metrics.registry.metrics());
    } catch (error) {
      if (error instanceof ApiError) {
        res.status(HTTP_STATUS[String(error.extensions.code)] ?? 401).type('text').send(`${error.message}\n`);
        return;
      }
      next(error);
    }
  });

  app.get('/ready', (_req, res) => {
    res.json({ status: 'ready', sources: services.providers.all().length });
  });

  const assets = graphiqlAssets();
  app.get('/graphiql/:asset', (req, res, next) => {
    const file = assets[req.params.asset];
    if (!file) return next();
    res.sendFile(file, { maxAge: '1d' });
  });

  for (const [mount, router] of Object.entries(options.routers ?? {})) app.use(mount, router);
  app.use('/admin', express.static(path.join(STATIC_DIR, 'admin'), { index: 'index.html' }));

  // A browser asking for /graphql gets GraphiQL; API clients get GraphQL over HTTP.
  app.get('/graphql', (req, res, next) => {
    if (req.accepts(['application/json', 'application/graphql-response+json', 'text/html']) === 'text/html' && !req.query.query) {
      res.type('html').send(graphiqlPage());
      return;
    }
    next();
  });

  app.use(
    '/graphql',
    express.json({ limit: '64kb' }),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const principal = await services.access.authenticate(req.headers).catch(withHttpStatus);
        // Waited for: with Redis the count is acknowledged before the reply, so a crash after answering loses none.
        await services.access.recordUsage(principal);
        const abort = new AbortController();
        // Every upstream call of the request listens to this signal (25 covers, 25 artists, …).
        setMaxListeners(500, abort.signal);
        res.on('close', () => {
          if (!res.writableEnded) abort.abort();
        });
        return createRequestContext(services, principal, { signal: abort.signal, acceptLanguage: req.headers['accept-language'] });
      },
    }),
  );

  app.use(express.static(path.join(STATIC_DIR, 'site'), { index: 'index.html' }));

  app.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    const status = (error as { status?: number }).status ?? 500;
    if (status >= 500) logger.error('unhandled HTTP error', { error });
    res.status(status).json({ error: status >= 500 ? 'Internal server error' : (error as Error).message });
  });

  return { app, apollo, stop: () => apollo.stop() };
}

/** Errors raised before GraphQL runs carry the HTTP status Apollo should answer with. */
function withHttpStatus(error: unknown): never {
  if (error instanceof ApiError) {
    const code = String(error.extensions.code);
    const status = HTTP_STATUS[code] ?? 400;
    throw new ApiError(code as ConstructorParameters<typeof ApiError>[0], error.message, { ...error.extensions, code, http: { status } });
  }
  throw error;
}

/**
 * Puts the request's provenance into `extensions.sources` of every single-result response, and
 * counts how the request ended.
 */
function provenancePlugin(services: Services): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          services.metrics.observeRequest(!result.errors?.length ? 'ok' : result.data ? 'partial' : 'error');
          if (!contextValue?.provenance) return;
          result.extensions = { ...result.extensions, sources: contextValue.provenance.toJSON() };
        },
      };
    },
  };
}

function formatError(formatted: GraphQLFormattedError, error: unknown, services: Services): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const code = formatted.extensions?.code as string | undefined;
  if (original instanceof ApiError) {
    const { http: _http, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  if (code && FRAMEWORK_CODES.has(code)) return formatted;
  if (isSourceError(original)) {
    return { message: original.message, path: formatted.path, extensions: { code: 'SOURCES_UNAVAILABLE', source: original.source } };
  }
  services.logger.error('unexpected resolver error', { error: original, path: formatted.path });
  return { message: 'Internal server error.', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}

function cors(origins: readonly string[]): express.RequestHandler {
  return (req, res, next) => {
    const origin = req.headers.origin;
    if (origin && (origins.includes('*') || origins.includes(origin))) {
      res.setHeader('access-control-allow-origin', origins.includes('*') ? '*' : origin);
      res.setHeader('vary', 'Origin');
      res.setHeader('access-control-allow-headers', 'authorization, x-api-key, content-type, apollo-require-preflight');
      res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
      if (req.method === 'OPTIONS') {
        res.status(204).end();
        return;
      }
    }
    next();
  };
}

