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
import type { WebSocketServer } from 'ws';
import type { Context } from './context.js';
import { ApiError, ErrorCode, formatError, withCode } from './errors.js';
import { checkQueryLimits, type QueryLimits } from './limits.js';

/** graphql-ws on the same path: the same schema, context, limits and error shapes. */
export function serveWebSocket(
  schema: GraphQLSchema,
  wsServer: WebSocketServer,
  options: {
    dev: boolean;
    limits: QueryLimits;
    /** The operation's context, from the `authorization` connection parameter. */
    context(authorization: string | null): Context;
  },
) {
  const format = formatError(options.dev);
  const { limits } = options;
  return useServer<{ authorization?: unknown }>(
    {
      schema,
      context: (ctx) => {
        const authorization = ctx.connectionParams?.authorization;
        return options.context(typeof authorization === 'string' ? authorization : null);
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
