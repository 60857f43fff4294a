/** The GraphQL-over-HTTP side of the server: what Apollo does not check or answer itself. */
import type { ApolloServerPlugin } from '@apollo/server';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { GraphQLSchema } from 'graphql';
import type { Context } from './context.js';
import { ApiError, classify, ErrorCode, formatError } from './errors.js';
import { checkQueryLimits, type QueryLimits } from './limits.js';

/**
 * The simple content types a browser sends cross-site without a CORS preflight. Apollo's CSRF
 * prevention answers those itself (400, naming the headers that make a request safe).
 */
const SIMPLE_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

/** Largest GraphQL request body. */
export const MAX_GRAPHQL_BODY = 1 << 20;

/**
 * Refuses a body whose declared length is over {@link MAX_GRAPHQL_BODY} before reading any of it:
 * the JSON parser would refuse it too, but only after reading (and discarding) all the bytes
 * the client says it will send — forever, for a declared 4 GiB.
 */
export const refuseLargeBody: RequestHandler = (req, res, next) => {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared <= MAX_GRAPHQL_BODY) {
    next();
    return;
  }
  // What the client still sends is not read: the connection ends with the answer.
  res.set('Connection', 'close');
  next(
    new ApiError(
      ErrorCode.PAYLOAD_TOO_LARGE,
      `the body is ${declared} bytes; a GraphQL request may have at most ${MAX_GRAPHQL_BODY}`,
      413,
    ),
  );
};

/**
 * GraphQL POST bodies are JSON (GraphQL over HTTP: a server MUST support application/json
 * and MAY refuse other media types); anything else is 415 Unsupported Media Type.
 */
export const requireJsonBody: RequestHandler = (req, _res, next) => {
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
export function graphqlRequestError(dev: boolean): ErrorRequestHandler {
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

/** Checks what HTTP cannot or must not run before it runs: subscriptions, limits. */
export function limitsPlugin(
  schema: GraphQLSchema,
  limits: QueryLimits,
): ApolloServerPlugin<Context> {
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
