import 'reflect-metadata';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerErrorCode, unwrapResolverError } from '@apollo/server/errors';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import express, { type Request, type Response, type NextFunction } from 'express';
import type { GraphQLFormattedError, GraphQLSchema } from 'graphql';
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import path from 'node:path';
import { readOnlyKeysPlugin } from './auth/readOnly.js';
import { isAdmin } from './auth/types.js';
import { ApiError, textIn } from './errors/api.js';
import { bilingual, type ApiLanguage } from './domain/text.js';
import { DeadlineReached, isSourceError } from './errors/source.js';
import { buildApiSchema, printApiSchema } from './schema/index.js';
import { beforeResponse } from './schema/beforeResponse.js';
import { costLimitPlugin } from './schema/cost.js';
import { documentLimitsChecker, type DocumentLimits } from './schema/documentLimits.js';
import { apiLanguage, createRequestContext, type RequestContext } from './schema/context.js';
import { errorLanguagePlugin, withLocalizedMessage } from './schema/errorLanguage.js';
import type { Services } from './services.js';
import { assetLinks } from './web/assetlinks.js';
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

/** HTTP status for errors raised before GraphQL runs (authentication, scope). */
const HTTP_STATUS: Partial<Record<string, number>> = { UNAUTHENTICATED: 401, FORBIDDEN: 403, SOURCE_INACTIVE: 403 };

const METRICS_REFUSAL = bilingual('Only the admin key may read metrics.', 'Solo la clave de administración puede leer las métricas.');

/** Codes produced by graphql-js / Apollo itself, passed through untouched. */
const FRAMEWORK_CODES: ReadonlySet<string> = new Set(Object.values(ApolloServerErrorCode).filter((code) => code !== ApolloServerErrorCode.INTERNAL_SERVER_ERROR));

export async function createApp(services: Services, options: AppOptions = {}): Promise<GatewayApp> {
  const { config, logger } = services;
  const schema = await buildApiSchema();
  const documentLimits: DocumentLimits = {
    maxTokens: config.maxQueryTokens,
    maxSelections: config.maxQuerySelections,
    maxAliases: config.maxQueryAliases,
    maxDepth: config.maxQueryDepth,
  };

  const apollo = new ApolloServer<RequestContext>({
    schema,
    introspection: true,
    includeStacktraceInErrorResponses: false,
    plugins: [
      provenancePlugin(services),
      costLimitPlugin(config.maxQueryCost),
      readOnlyKeysPlugin(),
      errorLanguagePlugin(),
      // No field declares a cache hint, so Apollo's per-field cache accounting only ever
      // concluded `no-store` (now set by provenancePlugin); and the schema is no federation
      // subgraph, so inline traces never apply (the plugin would still load protobufjs at start).
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
    ],
    parseOptions: { maxTokens: documentLimits.maxTokens },
    formatError: (formatted, error) => formatError(formatted, error, services),
  });
  await apollo.start();

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(cors(config.corsOrigins));

  // The SDL the repository checks in, for codegen and clients in other languages.
  const sdl = printApiSchema(schema);
  app.get('/schema.graphql', (_req, res) => {
    res.type('text/plain; charset=utf-8').set('cache-control', 'no-cache').send(sdl);
  });

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  // Prometheus scrapes with the admin key as its bearer token.
  app.get('/metrics', async (req, res, next) => {
    const language = apiLanguage(req.headers['accept-language']);
    try {
      const principal = await services.access.authenticate(req.headers);
      if (!isAdmin(principal)) {
        res.status(403).type('text').send(`${textIn(METRICS_REFUSAL, language)}\n`);
        return;
      }
      res.type(services.metrics.registry.contentType).send(await services.metrics.registry.metrics());
    } catch (error) {
      if (error instanceof ApiError) {
        res.status(HTTP_STATUS[String(error.extensions.code)] ?? 401).type('text').send(`${textIn(error.text, language)}\n`);
        return;
      }
      next(error);
    }
  });

  app.get('/ready', (_req, res) => {
    res.json({ status: 'ready', sources: services.providers.all().length });
  });

  // express.static skips dot-folders, and this answer comes from configuration anyway.
  app.get('/.well-known/assetlinks.json', assetLinks(config.androidApp));

  const assets = graphiqlAssets();
  app.get('/graphiql/:asset', (req, res, next) => {
    const file = assets[req.params.asset];
    if (!file) return next();
    res.sendFile(file, { maxAge: '1d' });
  });

  for (const [mount, router] of Object.entries(options.routers ?? {})) app.use(mount, router);
  app.use('/admin', express.static(path.join(STATIC_DIR, 'admin'), { index: 'index.html' }));
  // ES modules both pages import (`../shared/…` from `/` and from `/admin/`).
  app.use('/shared', express.static(path.join(STATIC_DIR, 'shared'), { index: false }));

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
    refuseOversizedDocuments(schema, documentLimits, services),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const principal = await services.access.authenticate(req.headers).catch((error: unknown) => withHttpStatus(error, apiLanguage(req.headers['accept-language'])));
        // Waited for: with Redis the count is acknowledged before the reply, so a crash after answering loses none.
        await services.access.recordUsage(principal);
        const abort = new AbortController();
        // Every upstream call of the request listens to this signal (25 covers, 25 artists, …).
        setMaxListeners(500, abort.signal);
        // What is still unanswered at the deadline gets DEADLINE_EXCEEDED; the rest is returned.
        const deadline = setTimeout(() => abort.abort(new DeadlineReached(config.requestDeadlineMs)), config.requestDeadlineMs);
        deadline.unref();
        res.on('close', () => {
          clearTimeout(deadline);
          if (!res.writableEnded) abort.abort();
        });
        const requestId = requestIdOf(req.headers['x-request-id']);
        res.setHeader('x-request-id', requestId);
        return createRequestContext(services, principal, { signal: abort.signal, acceptLanguage: req.headers['accept-language'], requestId });
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

/** A caller's own request id when it is a sane token (to correlate logs across systems), else a new one. */
function requestIdOf(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && /^[\w.:-]{8,128}$/.test(value) ? value : randomUUID();
}

/**
 * Floods of fields, aliases or nesting are refused here, before Apollo validates the document
 * (graphql-js's validation is what they would make expensive; see documentLimits.ts).
 */
function refuseOversizedDocuments(schema: GraphQLSchema, limits: DocumentLimits, services: Services): express.RequestHandler {
  const checkDocumentLimits = documentLimitsChecker(schema, limits);
  return (req, res, next) => {
    const query: unknown = req.method === 'GET' ? req.query.query : (req.body as { query?: unknown } | undefined)?.query;
    const refusal = typeof query === 'string' ? checkDocumentLimits(query, apiLanguage(req.headers['accept-language'])) : null;
    if (!refusal) return next();
    services.metrics.observeRequest('error');
    const type = req.accepts(['application/json', 'application/graphql-response+json']) || 'application/json';
    res.status(400).type(type).send(JSON.stringify({ errors: [refusal.toJSON()] }));
  };
}

/**
 * Errors raised before GraphQL runs carry the HTTP status Apollo should answer with, and their
 * message already in the request's language: Apollo answers them without a request context, so
 * errorLanguagePlugin never sees them.
 */
function withHttpStatus(error: unknown, language: ApiLanguage): never {
  if (error instanceof ApiError) {
    const code = String(error.extensions.code);
    const status = HTTP_STATUS[code] ?? 400;
    throw new ApiError(code as ConstructorParameters<typeof ApiError>[0], textIn(error.text, language), { ...error.extensions, code, http: { status } });
  }
  throw error;
}

/**
 * Puts the request's provenance into `extensions.sources` of every single-result response, and
 * counts how the request ended. Answers depend on the caller's key and on live sources: no
 * cache may keep them (`cache-control: no-store`, what Apollo's cache-control plugin said).
 */
function provenancePlugin(services: Services): ApolloServerPlugin<RequestContext> {
  return beforeResponse<RequestContext>((result, context, headers) => {
    headers.set('cache-control', 'no-store');
    services.metrics.observeRequest(!result.errors?.length ? 'ok' : result.data ? 'partial' : 'error');
    if (!context?.provenance) return;
    result.extensions = { ...result.extensions, sources: context.provenance.toJSON() };
  });
}

function formatError(formatted: GraphQLFormattedError, error: unknown, services: Services): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const code = formatted.extensions?.code as string | undefined;
  if (original instanceof ApiError) {
    const { http: _http, ...extensions } = formatted.extensions ?? {};
    return withLocalizedMessage({ ...formatted, extensions }, original.text);
  }
  if (code && FRAMEWORK_CODES.has(code)) return formatted;
  if (isSourceError(original)) {
    return withLocalizedMessage(
      { message: original.message, path: formatted.path, extensions: { code: 'SOURCES_UNAVAILABLE', source: original.source } },
      bilingual(original.message, `La fuente ${original.source} no ha podido responder (${original.message}).`),
    );
  }
  services.logger.error('unexpected resolver error', { error: original, path: formatted.path });
  return withLocalizedMessage(
    { message: 'Internal server error.', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } },
    bilingual('Internal server error.', 'Error interno del servidor.'),
  );
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

