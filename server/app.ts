/**
 * The gatewatch server: GraphQL over HTTP and WebSocket on one port, the upload, download and
 * feed endpoints, the explorer and the dashboard. `gatewatch serve` and the tests start it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import compression from 'compression';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import {
  getOperationAST,
  getVariableValues,
  GraphQLError,
  parse,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type GraphQLSchema,
} from 'graphql';
import type { SubscribePayload } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Config } from './config/config.js';
import { openDatabase, type Database } from './db/orm.js';
import { createContext, type Context } from './graphql/context.js';
import {
  ApiError,
  classify,
  ErrorCode,
  formatError,
  logInternal,
  withCode,
} from './graphql/errors.js';
import { checkQueryLimits, type QueryLimits } from './graphql/limits.js';
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
  const db = await openDatabase(config.database.target);
  const pool = createParserPool();
  const events = createEvents();
  const deps: AppDeps = { db, config, events, pool };
  try {
    const schema = await buildSchema();
    const app = express();
    const httpServer = createServer(app);
    // Node cuts a request that takes longer than 5 minutes: too short for a large upload
    // over a slow link. Headers still have to arrive within headersTimeout (60 s).
    httpServer.requestTimeout = 60 * 60_000;
    const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql' });
    const wsCleanup = serveWebSocket(schema, wsServer, deps);
    const apollo = new ApolloServer<Context>({
      schema,
      introspection: true,
      formatError: formatError(config.server.dev),
      includeStacktraceInErrorResponses: config.server.dev,
      // `gatewatch serve` owns the signals: Apollo's handler would re-raise SIGTERM once
      // stopped and so kill the process before the CLI closes the pool and the database.
      stopOnTerminationSignals: false,
      plugins: [
        ApolloServerPluginDrainHttpServer({ httpServer }),
        ApolloServerPluginLandingPageDisabled(),
        // Its per-field hook costs more than the field itself on a 10,000-result timeline,
        // and nothing here sets cache hints.
        ApolloServerPluginCacheControlDisabled(),
        limitsPlugin(schema, queryLimits(config)),
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
    requireJsonBody,
    express.json({ limit: '1mb' }),
    expressMiddleware(apollo, {
      context: async ({ req }) =>
        createContext({ ...deps, authorization: req.headers.authorization ?? null }),
    }),
    graphqlRequestError(deps.config.server.dev),
  );
  app.use(runRoutes(deps));
  app.use(feedRoutes(deps));
  app.use('/graphiql', compress, express.static(`${CLIENT_DIR}graphiql`, { index: 'index.html' }));
  app.use(compress, express.static(CLIENT_DIR, { index: 'index.html' }));
  // The dashboard's own routes (client-side) all load its page.
  app.get(/^\/(?:(?:tests|jobs|runs)(?:\/.*)?)?$/, (_req, res) => {
    res.sendFile(`${CLIENT_DIR}index.html`);
  });
  app.use(errorHandler);
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

/**
 * The simple content types a browser sends cross-site without a CORS preflight. Apollo's CSRF
 * prevention answers those itself (400, naming the headers that make a request safe).
 */
const SIMPLE_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

/**
 * GraphQL POST bodies are JSON (GraphQL over HTTP: a server MUST support application/json
 * and MAY refuse other media types); anything else is 415 Unsupported Media Type.
 */
const requireJsonBody: RequestHandler = (req, _res, next) => {
  const type = req.headers['content-type'];
  if (
    req.method !== 'POST' ||
    type === undefined ||
    req.is(['application/json', ...SIMPLE_TYPES])
  ) {
    next();
    return;
  }
  next(
    new ApiError(
      ErrorCode.BAD_REQUEST,
      `unsupported content type "${type}": send the request as application/json`,
      415,
    ),
  );
};

/**
 * What never reaches Apollo (a body that is not JSON, too large, of another media type),
 * answered as Apollo answers: a GraphQL response with the error, and its HTTP status.
 */
function graphqlRequestError(dev: boolean): ErrorRequestHandler {
  const format = formatError(dev);
  return (error, _req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const { status } = classify(error);
    const message = error instanceof Error ? error.message : String(error);
    res.status(status).json({ errors: [format({ message }, error)] });
  };
}

/** graphql-ws on the same path: the same schema, context, limits and error shapes. */
function serveWebSocket(schema: GraphQLSchema, wsServer: WebSocketServer, deps: AppDeps) {
  const format = formatError(deps.config.server.dev);
  const limits = queryLimits(deps.config);
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
      onSubscribe: (_ctx, _id, payload) => prepareOperation(schema, payload, limits),
      onNext: (_ctx, _id, _payload, args, result) => {
        // graphql-ws asks for the next event only once this one is sent: the loaders renewed
        // here serve the next event alone, which must not see what this one cached.
        (args.contextValue as Context).renewLoaders();
        return result.errors
          ? { ...result, errors: result.errors.map((e) => format(e.toJSON(), e)) }
          : result;
      },
      onError: (_ctx, _id, _payload, errors) => errors.map((e) => format(e.toJSON(), e)),
    },
    wsServer,
  );
}

/**
 * What Apollo's request pipeline does before execution, for a graphql-ws `subscribe`: parse,
 * validate, pick the operation, coerce the variables and check the limits, each failure with
 * the code Apollo would give it. Returns what to execute, or the errors to answer with.
 */
function prepareOperation(
  schema: GraphQLSchema,
  payload: SubscribePayload,
  limits: QueryLimits,
): ExecutionArgs | readonly GraphQLError[] {
  let document: DocumentNode;
  try {
    document = parse(payload.query);
  } catch (error) {
    if (error instanceof GraphQLError) return [withCode(error, ErrorCode.GRAPHQL_PARSE_FAILED)];
    throw error;
  }
  const invalid = validate(schema, document);
  if (invalid.length > 0) {
    return invalid.map((e) => withCode(e, ErrorCode.GRAPHQL_VALIDATION_FAILED));
  }
  const operation = getOperationAST(document, payload.operationName);
  if (!operation) {
    const name = payload.operationName ? ` named "${payload.operationName}"` : '';
    return [
      new ApiError(
        ErrorCode.OPERATION_RESOLUTION_FAILURE,
        `the document has no operation${name}, or several and no operationName`,
      ),
    ];
  }
  const variables = getVariableValues(
    schema,
    operation.variableDefinitions ?? [],
    payload.variables ?? {},
  );
  if (variables.errors) return variables.errors.map((e) => withCode(e, ErrorCode.BAD_USER_INPUT));
  try {
    checkQueryLimits(schema, document, payload.operationName, payload.variables, limits);
  } catch (error) {
    if (error instanceof GraphQLError) return [error];
    throw error;
  }
  return {
    schema,
    document,
    operationName: payload.operationName,
    variableValues: payload.variables,
  };
}

function queryLimits(config: Config): QueryLimits {
  return { maxDepth: config.server.maxQueryDepth, maxCost: config.server.maxQueryCost };
}

/** Checks what HTTP cannot or must not run before it runs: subscriptions, limits. */
function limitsPlugin(schema: GraphQLSchema, limits: QueryLimits): ApolloServerPlugin<Context> {
  return {
    requestDidStart: async () => ({
      didResolveOperation: async ({ document, operation, operationName, request }) => {
        if (operation?.operation === 'subscription') {
          throw new ApiError(
            ErrorCode.BAD_REQUEST,
            'subscriptions need a WebSocket: connect to ws(s)://HOST/graphql with graphql-ws',
            400,
          );
        }
        checkQueryLimits(schema, document, operationName, request.variables, limits);
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
