/**
 * The gatewatch server: GraphQL over HTTP and WebSocket on one port, the upload, download and
 * feed endpoints, the explorer and the dashboard. `gatewatch serve` and the tests start it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type ErrorRequestHandler, type Express } from 'express';
import { parse, validate, type GraphQLError, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Config } from './config.js';
import { openDatabase, type Database } from './db/orm.js';
import { createContext, type Context } from './graphql/context.js';
import { classify, ErrorCode, formatError, httpStatusOf, logInternal } from './graphql/errors.js';
import { checkQueryLimits } from './graphql/limits.js';
import { createEvents, type Events } from './graphql/pubsub.js';
import { buildSchema } from './graphql/schema.js';
import { createParserPool, type ParserPool } from './ingest/pool.js';
import { feedRoutes } from './jobs/job.feed.js';
import { runRoutes } from './runs/run.routes.js';

/** What the HTTP endpoints share. */
export interface AppDeps {
  readonly db: Database;
  readonly config: Config;
  readonly events: Events;
  readonly pool: ParserPool;
}

export interface App {
  /** `http://host:port`, with the port actually bound (port 0 picks a free one). */
  readonly url: string;
  readonly deps: AppDeps;
  /** Stops accepting, drains requests and sockets, closes the pool and the database. */
  close(): Promise<void>;
}

/** The built dashboard and explorer (`npm run build` puts them there). */
export const CLIENT_DIR = fileURLToPath(
  new URL(import.meta.url.endsWith('.ts') ? '../dist/client/' : '../client/', import.meta.url),
);

export async function createApp(config: Config): Promise<App> {
  const db = await openDatabase(config.db);
  const pool = createParserPool();
  const events = createEvents();
  const deps: AppDeps = { db, config, events, pool };
  try {
    const schema = await buildSchema();
    const app = express();
    const httpServer = createServer(app);
    const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql' });
    const wsCleanup = serveWebSocket(schema, wsServer, deps);
    const apollo = new ApolloServer<Context>({
      schema,
      introspection: true,
      formatError: formatError(config.server.dev),
      includeStacktraceInErrorResponses: config.server.dev,
      plugins: [
        ApolloServerPluginDrainHttpServer({ httpServer }),
        ApolloServerPluginLandingPageDisabled(),
        limitsPlugin(schema, config),
        {
          serverWillStart: async () => ({
            drainServer: async () => {
              await wsCleanup.dispose();
            },
          }),
        },
      ],
    });
    await apollo.start();
    mountRoutes(app, deps, apollo);
    await listen(httpServer, config.server.port, config.server.host);
    const { port } = httpServer.address() as AddressInfo;
    const host = config.server.host.includes(':') ? `[${config.server.host}]` : config.server.host;
    let closing: Promise<void> | undefined;
    return {
      url: `http://${host}:${port}`,
      deps,
      close: () =>
        (closing ??= (async () => {
          await apollo.stop();
          await pool.close();
          await db.close();
        })()),
    };
  } catch (error) {
    await pool.close();
    await db.close();
    throw error;
  }
}

function mountRoutes(app: Express, deps: AppDeps, apollo: ApolloServer<Context>): void {
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      await deps.db.knex.raw('select 1');
      res.json({ status: 'ready' });
    } catch {
      res.status(503).json({ status: 'unavailable', error: 'the database does not answer' });
    }
  });
  app.use(
    '/graphql',
    express.json({ limit: '1mb' }),
    expressMiddleware(apollo, {
      context: async ({ req }) =>
        createContext({ ...deps, authorization: req.headers.authorization ?? null }),
    }),
  );
  app.use(runRoutes(deps));
  app.use(feedRoutes(deps));
  app.use('/graphiql', express.static(`${CLIENT_DIR}graphiql`, { index: 'index.html' }));
  app.use(express.static(CLIENT_DIR, { index: 'index.html' }));
  app.use(errorHandler);
}

/** Errors of the plain HTTP endpoints, as `{ error: { code, message } }`. */
const errorHandler: ErrorRequestHandler = (error, _req, res, _next) => {
  const status = (error as { status?: unknown }).status;
  if (status === 413 || (error as { type?: unknown }).type === 'entity.too.large') {
    res
      .status(413)
      .json({ error: { code: 'PAYLOAD_TOO_LARGE', message: 'the body is too large' } });
    return;
  }
  const { code, message } = classify(error);
  if (code === ErrorCode.INTERNAL_SERVER_ERROR) logInternal(error);
  res.status(httpStatusOf(code)).json({ error: { code, message } });
};

/** graphql-ws on the same path: the same schema, context, limits and error shapes. */
function serveWebSocket(schema: GraphQLSchema, wsServer: WebSocketServer, deps: AppDeps) {
  const format = formatError(deps.config.server.dev);
  return useServer<{ authorization?: unknown }>(
    {
      schema,
      context: (ctx) => {
        const authorization = ctx.connectionParams?.authorization;
        return createContext({
          ...deps,
          authorization: typeof authorization === 'string' ? authorization : null,
        });
      },
      onSubscribe: (_ctx, _id, payload) => {
        try {
          const document = parse(payload.query);
          const errors = validate(schema, document);
          if (errors.length > 0) return errors;
          checkQueryLimits(schema, document, payload.operationName, payload.variables, {
            maxDepth: deps.config.server.maxQueryDepth,
            maxCost: deps.config.server.maxQueryCost,
          });
        } catch (error) {
          return [error as GraphQLError];
        }
        return undefined;
      },
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors
          ? { ...result, errors: result.errors.map((e) => format(e, e) as never) }
          : result,
    },
    wsServer,
  );
}

function limitsPlugin(schema: GraphQLSchema, config: Config): ApolloServerPlugin<Context> {
  return {
    requestDidStart: async () => ({
      didResolveOperation: async ({ document, operationName, request }) => {
        checkQueryLimits(schema, document, operationName, request.variables, {
          maxDepth: config.server.maxQueryDepth,
          maxCost: config.server.maxQueryCost,
        });
      },
    }),
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
