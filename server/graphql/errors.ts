import { GraphQLEnumType, GraphQLError, GraphQLSchema, type GraphQLFormattedError } from 'graphql';
import {
  apiCodeOf,
  apiCodes,
  errorCatalogue,
  GatewatchError,
  httpStatusOf,
  type ApiCode,
} from '../errors.js';

/**
 * Every `extensions.code` the API answers with, over GraphQL and in the JSON errors of the
 * plain HTTP endpoints: the API codes of the error catalogue (`server/errors.ts`).
 */
export const ErrorCode = apiCodes;
export type ErrorCode = ApiCode;

/**
 * ErrorCode as a GraphQL enum. No field returns it, so type-graphql would leave it out of the
 * schema; {@link withErrorCodes} adds it, so that clients can generate the codes from the SDL.
 */
const errorCodeType = new GraphQLEnumType({
  name: 'ErrorCode',
  description: 'The `extensions.code` of every error this API returns.',
  values: Object.fromEntries(
    Object.values(ErrorCode).map((code) => [
      code,
      { value: code, description: errorCatalogue[code].description },
    ]),
  ),
});

/** The schema plus the ErrorCode enum. */
export function withErrorCodes(schema: GraphQLSchema): GraphQLSchema {
  const config = schema.toConfig();
  return new GraphQLSchema({ ...config, types: [...config.types, errorCodeType] });
}

/**
 * An error a client caused or can act on; its message is shown as is. `status` is the HTTP
 * status Apollo answers with when the error stops a request before execution.
 */
export class ApiError extends GraphQLError {
  constructor(code: ErrorCode, message: string, status?: number) {
    super(message, { extensions: status === undefined ? { code } : { code, http: { status } } });
    this.name = 'ApiError';
  }
}

/** A graphql-js request error (a syntax or validation error) under one of our codes. */
export function withCode(error: GraphQLError, code: ErrorCode): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    extensions: { ...error.extensions, code },
  });
}

const known = new Set<string>(Object.values(ErrorCode));

/** How an error is answered: its code, client-facing message and HTTP status. */
export interface Classified {
  code: ErrorCode;
  message: string;
  status: number;
}

/**
 * The code, client-facing message and HTTP status of any error thrown while answering a
 * request. Unknown errors are INTERNAL_SERVER_ERROR and say nothing of themselves.
 */
export function classify(error: unknown): Classified {
  // Apollo's request errors wrap graphql-js's (which carry no code) as their originalError:
  // the outermost known code wins; a resolver's error is the originalError of a code-less one.
  for (let e: unknown = error; e instanceof GraphQLError; e = e.originalError) {
    const code = String(e.extensions.code ?? '');
    if (known.has(code)) {
      const http = e.extensions.http as { status?: unknown } | undefined;
      return answer(code as ErrorCode, e.message, http?.status);
    }
  }
  const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
  if (original instanceof GatewatchError) return answer(apiCodeOf(original.code), original.message);
  // knex's pool gave no connection in time: the database answers, but is held by others.
  if (original instanceof Error && original.name === 'KnexTimeoutError') {
    return answer(ErrorCode.DATABASE_BUSY, 'the database is busy: try again');
  }
  if (isConnectionFailure(original)) {
    return answer(ErrorCode.DATABASE_UNAVAILABLE, 'the database is unavailable');
  }
  const client = clientHttpError(original);
  if (client) return client;
  // Express decodes path parameters: a `%` not followed by two hex digits fails there.
  if (original instanceof URIError) {
    return answer(
      ErrorCode.BAD_REQUEST,
      `the URL is not valid percent-encoding (${original.message})`,
    );
  }
  return answer(ErrorCode.INTERNAL_SERVER_ERROR, '');
}

function answer(code: ErrorCode, message: string, status?: unknown): Classified {
  return {
    code,
    message: code === ErrorCode.INTERNAL_SERVER_ERROR ? 'internal server error' : message,
    status: typeof status === 'number' ? status : httpStatusOf(code),
  };
}

/**
 * body-parser's errors (http-errors with a 4xx `status` and `expose`): a body that is not
 * JSON, too large, in an unknown charset or encoding.
 */
function clientHttpError(error: unknown): Classified | undefined {
  if (!(error instanceof Error)) return undefined;
  const { status, expose, type, limit } = error as {
    status?: unknown;
    expose?: unknown;
    type?: unknown;
    limit?: unknown;
  };
  if (typeof status !== 'number' || status < 400 || status > 499 || expose !== true) {
    return undefined;
  }
  if (status === 413) {
    const max = typeof limit === 'number' ? ` (${limit} bytes)` : '';
    return answer(ErrorCode.PAYLOAD_TOO_LARGE, `the body is larger than this server accepts${max}`);
  }
  const message =
    type === 'entity.parse.failed' ? `the body is not valid JSON: ${error.message}` : error.message;
  return answer(ErrorCode.BAD_REQUEST, message, status);
}

/**
 * Apollo's `formatError`, also applied to graphql-ws messages: one code from {@link ErrorCode}
 * on every error; unknown errors become INTERNAL_SERVER_ERROR with no message or stack trace
 * of theirs, unless `dev`. Internal errors are logged here, where the client stops seeing them.
 */
export function formatError(dev: boolean) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const { code, message } = classify(error);
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

/** Error codes of a database that cannot be reached or opened (mysql2, Node, libsql). */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_BAD_DB_ERROR',
  'ER_ACCESS_DENIED_ERROR',
  'ER_DBACCESS_DENIED_ERROR',
  'SQLITE_BUSY',
  'SQLITE_NOTADB',
  'SQLITE_CORRUPT',
  'SQLITE_FULL',
]);
/** SQLite's extended codes of these families: `SQLITE_IOERR_WRITE`, `SQLITE_READONLY_DBMOVED`… */
const UNAVAILABLE_FAMILIES = /^SQLITE_(?:CANTOPEN|IOERR|READONLY)(?:_|$)/;

/**
 * Whether the database itself failed (down, gone, unopenable, its disk full or read-only),
 * rather than the query: knex and the drivers throw these with a `code`; MikroORM wraps
 * them as a ConnectionException (knex's pool creates connections eagerly and propagates their
 * failure; its KnexTimeoutError means that every connection is taken: busy, not unavailable).
 */
function isConnectionFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'ConnectionException') return true;
  // libsql's failure to open a file carries no code, only this message.
  if (error.message.startsWith('ConnectionFailed(')) return true;
  const code = (error as { code?: unknown }).code;
  return (
    typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || UNAVAILABLE_FAMILIES.test(code))
  );
}
