import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { registerEnumType } from 'type-graphql';
import { GatewatchError, type GatewatchErrorCode } from '../errors.js';

/**
 * Every `extensions.code` the API answers with, over GraphQL and in the JSON errors of the
 * plain HTTP endpoints. Apollo's own codes are included under their own names.
 */
export enum ErrorCode {
  GRAPHQL_PARSE_FAILED = 'GRAPHQL_PARSE_FAILED',
  GRAPHQL_VALIDATION_FAILED = 'GRAPHQL_VALIDATION_FAILED',
  BAD_REQUEST = 'BAD_REQUEST',
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  QUERY_TOO_DEEP = 'QUERY_TOO_DEEP',
  QUERY_TOO_COSTLY = 'QUERY_TOO_COSTLY',
  PERSISTED_QUERY_NOT_SUPPORTED = 'PERSISTED_QUERY_NOT_SUPPORTED',
  OPERATION_RESOLUTION_FAILURE = 'OPERATION_RESOLUTION_FAILURE',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  NOT_FOUND = 'NOT_FOUND',
  NOT_SUBUNIT = 'NOT_SUBUNIT',
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  DATABASE_UNAVAILABLE = 'DATABASE_UNAVAILABLE',
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
}

registerEnumType(ErrorCode, {
  name: 'ErrorCode',
  description: 'The `extensions.code` of every error this API returns.',
});

/** An error a client caused or can act on; its message is shown as is. */
export class ApiError extends GraphQLError {
  constructor(code: ErrorCode, message: string) {
    super(message, { extensions: { code } });
    this.name = 'ApiError';
  }
}

const fromGatewatch: Record<GatewatchErrorCode, ErrorCode> = {
  BAD_CONFIG: ErrorCode.INTERNAL_SERVER_ERROR,
  BAD_ARGUMENT: ErrorCode.BAD_USER_INPUT,
  NOT_SUBUNIT: ErrorCode.NOT_SUBUNIT,
  INPUT_UNREADABLE: ErrorCode.BAD_USER_INPUT,
  DB_UNAVAILABLE: ErrorCode.DATABASE_UNAVAILABLE,
  RUN_NOT_FOUND: ErrorCode.NOT_FOUND,
  TOO_LARGE: ErrorCode.PAYLOAD_TOO_LARGE,
};

const known = new Set<string>(Object.values(ErrorCode));

/** The code and client-facing message of any error thrown while answering a request. */
export function classify(error: unknown): { code: ErrorCode; message: string } {
  const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
  if (original instanceof GatewatchError) {
    const code = fromGatewatch[original.code];
    return {
      code,
      message:
        code === ErrorCode.INTERNAL_SERVER_ERROR ? 'internal server error' : original.message,
    };
  }
  if (original instanceof GraphQLError) {
    const code = String(original.extensions.code ?? '');
    if (known.has(code)) return { code: code as ErrorCode, message: original.message };
  }
  if (isConnectionFailure(original)) {
    return { code: ErrorCode.DATABASE_UNAVAILABLE, message: 'the database is unavailable' };
  }
  return { code: ErrorCode.INTERNAL_SERVER_ERROR, message: 'internal server error' };
}

/**
 * Apollo's `formatError`: one code from {@link ErrorCode} on every error; unknown errors
 * become INTERNAL_SERVER_ERROR with no message or stack trace of theirs, unless `dev`.
 */
export function formatError(dev: boolean) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const { code, message } = classify(error);
    // What the client no longer sees, the operator must.
    if (code === ErrorCode.INTERNAL_SERVER_ERROR) logInternal(error);
    const extensions: Record<string, unknown> = { code };
    if (dev) {
      const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
      if (original instanceof Error && original.stack)
        extensions.stacktrace = original.stack.split('\n');
      if (message !== formatted.message) extensions.originalMessage = formatted.message;
    }
    return { ...formatted, message, extensions };
  };
}

/** An unexpected error, with its stack, for the server's log. */
export function logInternal(error: unknown): void {
  const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
  console.error('gatewatch: internal error:', original);
}

function isConnectionFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return (
    typeof code === 'string' &&
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'PROTOCOL_CONNECTION_LOST'].includes(code)
  );
}

const httpStatus: Partial<Record<ErrorCode, number>> = {
  [ErrorCode.GRAPHQL_PARSE_FAILED]: 400,
  [ErrorCode.GRAPHQL_VALIDATION_FAILED]: 400,
  [ErrorCode.BAD_REQUEST]: 400,
  [ErrorCode.BAD_USER_INPUT]: 400,
  [ErrorCode.NOT_SUBUNIT]: 400,
  [ErrorCode.QUERY_TOO_DEEP]: 400,
  [ErrorCode.QUERY_TOO_COSTLY]: 400,
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.PAYLOAD_TOO_LARGE]: 413,
  [ErrorCode.DATABASE_UNAVAILABLE]: 503,
};

/** The HTTP status of the plain (non-GraphQL) endpoints for an error code. */
export function httpStatusOf(code: ErrorCode): number {
  return httpStatus[code] ?? 500;
}
