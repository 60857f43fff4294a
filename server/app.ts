/**
 * The gatewatch server: GraphQL over HTTP and WebSocket on one port, every domain's endpoints,
 * the explorer and the dashboard, under a runtime. `gatewatch serve` and the tests start it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import compression from 'compression';
import express, { type ErrorRequestHandler, type Express } from 'express';
import { composeApi, type ComposedApi } from './api.js';
import type { Config, ConfiguredGerrit } from './config/config.js';
import { createContext, type Context } from './graphql/context.js';
import { ApiError, classify, ErrorCode, formatError, logInternal } from './graphql/errors.js';
import {
  graphqlRequestError,
  limitsPlugin,
  MAX_GRAPHQL_BODY,
  refuseLargeBody,
  requireJsonBody,
} from './graphql/http.js';
import type { QueryLimits } from './graphql/limits.js';
import { createRateLimiter } from './graphql/rate-limit.js';
import { createWebSocketServer, serveWebSocket } from './graphql/websocket.js';
import { listen } from './http/listen.js';
import { startInsightDelivery } from './webhooks/delivery-loop.js';
import { sendPage, staticFiles } from './http/static.js';
import { openRuntime, type Runtime, type Services } from './runtime.js';
import { createFetcher } from './scrape/fetcher.js';
import { startScrapeQueue } from './scrape/queue.js';
import { authenticate } from './tokens/token.auth.js';

export interface App {
  /** `http://host:port`, with the port actually bound (port 0 picks a free one). */
  readonly url: string;
  readonly runtime: Runtime;
  readonly services: Services;
  /** Stops the runtime: HTTP first (requests drain, sockets close), the database last. */
  close(): Promise<void>;
}

/** The built dashboard and explorer (`npm run build` puts them there). */
export const CLIENT_DIR = fileURLToPath(
  new URL(import.meta.url.endsWith('.ts') ? '../dist/client/' : '../client/', import.meta.url),
);

export interface AppOptions {
  /** The configured Gerrit servers: the collector's, and where changes are looked up. */
  readonly gerrit?: readonly ConfiguredGerrit[];
}

/** Opens a runtime for `config` and serves it over HTTP. */
export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  const runtime = await openRuntime(config, options.gerrit ? { gerrit: options.gerrit } : {});
  try {
    const url = await serveHttp(runtime, await composeApi());
    // Scrape tasks asked of this server (or of another on the same database) run here.
    startScrapeQueue(runtime, createFetcher(runtime.services));
    // So are the insights events recorded on the database: published once, POSTed to webhooks.
    startInsightDelivery(runtime);
    return { url, runtime, services: runtime.services, close: () => runtime.stop() };
  } catch (error) {
    await runtime.stop();
    throw error;
  }
}

/** Starts the HTTP server as the runtime's intake; resolves to its URL. */
async function serveHttp(runtime: Runtime, api: ComposedApi): Promise<string> {
  const { services } = runtime;
  const { config } = services;
  const rateLimiter = createRateLimiter();
  const context = (authorization: string | null, clientAddress: string): Context =>
    createContext({
      db: services.db,
      config,
      events: services.events,
      clientAddress,
      rateLimiter,
      gerrit: services.gerrit,
      createLoaders: () => api.createLoaders(services.db),
      authenticate: () => authenticate(services.db, authorization),
    });
  const app = express();
  const httpServer = createServer(app);
  // Node cuts a request that takes longer than 5 minutes: too short for a large upload
  // over a slow link. Headers still have to arrive within headersTimeout (60 s).
  httpServer.requestTimeout = 60 * 60_000;
  httpServer.on('checkContinue', continueOnRead(httpServer));
  const limits = queryLimits(config);
  let wsCleanup: ReturnType<typeof serveWebSocket> | undefined;
  const apollo = new ApolloServer<Context>({
    schema: api.schema,
    introspection: true,
    formatError: formatError(config.server.dev),
    includeStacktraceInErrorResponses: config.server.dev,
    parseOptions: { maxTokens: limits.maxTokens },
    // The runtime owns the signals: Apollo's handler would re-raise SIGTERM once stopped and
    // so kill the process before the pool and the database are closed.
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      // Its per-field hook costs more than the field itself on a 10,000-result timeline,
      // and nothing here sets cache hints.
      ApolloServerPluginCacheControlDisabled(),
      limitsPlugin(api.schema, limits),
      {
        serverWillStart: async () => ({
          drainServer: async () => {
            await wsCleanup?.dispose();
          },
        }),
      },
    ],
  });
  await apollo.start();
  try {
    mountRoutes(app, services, api, apollo, context);
    await listen(httpServer, config.server.port, config.server.host);
    // Only once bound: ws re-emits the HTTP server's errors, and graphql-ws logs each one as
    // its own internal error with a stack trace (a busy port included).
    const wsServer = createWebSocketServer(httpServer, {
      maxMessageBytes: config.server.maxWsMessageBytes,
      maxSocketsPerAddress: config.server.maxSocketsPerAddress,
    });
    wsCleanup = serveWebSocket(api.schema, wsServer, {
      dev: config.server.dev,
      limits,
      maxOperations: config.server.maxSubscriptions,
      context,
    });
  } catch (error) {
    await apollo.stop();
    throw error;
  }
  runtime.add({ name: 'HTTP server', stage: 'intake', stop: () => apollo.stop() });
  const { port } = httpServer.address() as AddressInfo;
  const host = config.server.host.includes(':') ? `[${config.server.host}]` : config.server.host;
  return `http://${host}:${port}`;
}

function mountRoutes(
  app: Express,
  services: Services,
  api: ComposedApi,
  apollo: ApolloServer<Context>,
  context: (authorization: string | null, clientAddress: string) => Context,
): void {
  app.disable('x-powered-by');
  // Only then do req.protocol and req.host read X-Forwarded-Proto and X-Forwarded-Host.
  app.set('trust proxy', services.config.server.trustProxy);
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      await services.db.knex.raw('select 1');
      res.json({ status: 'ready' });
    } catch {
      // A probe polls: the reason is for whoever looks, not for the log.
      res.status(503).json({
        status: 'unavailable',
        error: { code: ErrorCode.DATABASE_UNAVAILABLE, message: 'the database does not answer' },
      });
    }
  });
  // Answers and assets shrink 3–10× gzipped: a timeline or the explorer's bundle crosses a
  // real network in a fraction of the time. Blobs set their own encoding and are left alone.
  const compress = compression();
  app.use(
    '/graphql',
    compress,
    refuseLargeBody,
    requireJsonBody,
    express.json({ limit: MAX_GRAPHQL_BODY }),
    expressMiddleware(apollo, {
      context: async ({ req }) =>
        context(req.headers.authorization ?? null, req.ip ?? req.socket.remoteAddress ?? ''),
    }),
    graphqlRequestError(services.config.server.dev),
  );
  for (const router of api.routes(services)) app.use(router);
  // Machine endpoints answer in JSON, an unknown one too (not with Express's HTML page).
  app.use(['/api', '/feeds', '/blob'], (req, _res, next) => {
    const path = req.originalUrl.split('?')[0]!.slice(0, 200);
    next(new ApiError(ErrorCode.NOT_FOUND, `no endpoint ${req.method} ${path}`));
  });
  app.use('/graphiql', compress, staticFiles(`${CLIENT_DIR}graphiql`));
  app.use(compress, staticFiles(CLIENT_DIR));
  // The dashboard's own routes (client-side) all load its page.
  app.get(
    /^\/(?:(?:tests|jobs|runs|cis|changes|projects|live|go|flaky|signatures|rechecks)(?:\/.*)?)?$/,
    (_req, res) => {
      sendPage(res, `${CLIENT_DIR}index.html`);
    },
  );
  app.use(errorHandler);
}

/**
 * `Expect: 100-continue`: the client holds the body back until told to send it. It is told
 * when a handler starts reading the body, so that an upload refused on its headers (too
 * large, no token) is never sent: its answer arrives whole, not cut by `write EPIPE`. The
 * request then goes the usual way, as a `request` event: the drain on shutdown counts the
 * requests in flight by that event, and would cut one it never saw.
 */
function continueOnRead(server: Server) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const onListener = (event: string | symbol) => {
      if (event !== 'data' && event !== 'readable') return;
      req.off('newListener', onListener);
      if (!res.headersSent) res.writeContinue();
    };
    req.on('newListener', onListener);
    server.emit('request', req, res);
  };
}

/** Errors of the plain HTTP endpoints, as `{ error: { code, message } }`. */
const errorHandler: ErrorRequestHandler = (error, _req, res, next) => {
  // Too late for an answer: Express's own handler cuts the response short.
  if (res.headersSent) {
    next(error);
    return;
  }
  const { code, message, status } = classify(error);
  if (code === ErrorCode.INTERNAL_SERVER_ERROR) logInternal(error);
  res.status(status).json({ error: { code, message } });
};

function queryLimits(config: Config): QueryLimits {
  const { server } = config;
  return {
    maxDepth: server.maxQueryDepth,
    maxCost: server.maxQueryCost,
    maxAliases: server.maxQueryAliases,
    maxFields: server.maxQueryFields,
    maxTokens: server.maxQueryTokens,
  };
}
