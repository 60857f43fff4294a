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
import type { Server } from 'node:http';
import { WebSocketServer } from 'ws';
import type { Context } from './context.js';
import { ApiError, ErrorCode, formatError, withCode } from './errors.js';
import { checkQueryLimits, type QueryLimits } from './limits.js';

/** What one client may hold open over WebSocket. */
export interface SocketLimits {
  /** Largest message, bytes: a larger one closes the socket (1009). */
  maxMessageBytes: number;
  /** Open sockets from one address; more are refused at the handshake with 429. */
  maxSocketsPerAddress: number;
}

/** The WebSocket endpoint `/graphql` on the HTTP server, within `limits`. */
export function createWebSocketServer(server: Server, limits: SocketLimits): WebSocketServer {
  const open = new Map<string, number>();
  return new WebSocketServer({
    server,
    path: '/graphql',
    maxPayload: limits.maxMessageBytes,
    verifyClient: ({ req }, accept) => {
      const address = req.socket.remoteAddress ?? '';
      const sockets = open.get(address) ?? 0;
      if (sockets >= limits.maxSocketsPerAddress) {
        accept(
          false,
          429,
          `too many WebSocket connections from ${address} (${limits.maxSocketsPerAddress}; GATEWATCH_MAX_SOCKETS_PER_ADDRESS)`,
        );
        return;
      }
      open.set(address, sockets + 1);
      // The TCP socket closes however the WebSocket ends, a failed handshake included.
      req.socket.once('close', () => {
        const left = (open.get(address) ?? 1) - 1;
        if (left === 0) open.delete(address);
        else open.set(address, left);
      });
      accept(true);
    },
  });
}

/** graphql-ws on that endpoint: the same schema, context, limits and error shapes. */
export function serveWebSocket(
  schema: GraphQLSchema,
  wsServer: WebSocketServer,
  options: {
    dev: boolean;
    limits: QueryLimits;
    maxOperations: number;
    /**
     * The operation's context, from the `authorization` connection parameter and the socket's
     * address (a proxy's X-Forwarded-For is not read here).
     */
    context(authorization: string | null, clientAddress: string): Context;
  },
) {
  const format = formatError(options.dev);
  const { limits, maxOperations } = options;
  return useServer<{ authorization?: unknown }>(
    {
      schema,
      context: (ctx) => {
        const authorization = ctx.connectionParams?.authorization;
        return options.context(
          typeof authorization === 'string' ? authorization : null,
          ctx.extra.request.socket.remoteAddress ?? '',
        );
      },
      onSubscribe: (ctx, _id, payload) => {
        // graphql-ws has already reserved this operation's place.
        const inFlight = Object.keys(ctx.subscriptions).length - 1;
        if (inFlight >= maxOperations) {
          return [
            new ApiError(
              ErrorCode.BAD_REQUEST,
              `this socket has ${inFlight} operations in flight; the limit is ${maxOperations} (GATEWATCH_MAX_SUBSCRIPTIONS): complete some first`,
            ),
          ];
        }
        return prepareOperation(schema, payload, limits);
      },
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
    document = parse(payload.query, { maxTokens: limits.maxTokens });
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
