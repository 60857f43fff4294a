/**
 * The error catalogue: every error code gatewatch knows, declared once. Adding a code is one
 * entry here; the GraphQL `ErrorCode` enum, the HTTP statuses, the API code of internal errors
 * and the CLI's exit statuses are all derived from it.
 */

/** One code of {@link errorCatalogue}. */
interface CatalogueEntry {
  /** What the code means; the GraphQL enum value's description. */
  readonly description: string;
  /** The HTTP status it is answered with when it stops a request. */
  readonly http: number;
  /** The CLI's exit status; present on the codes a {@link GatewatchError} can carry. */
  readonly exit?: number;
  /**
   * For internal codes, the API code a client sees instead; codes without one are API codes
   * themselves (the values of the GraphQL `ErrorCode` enum).
   */
  readonly api?: string;
}

/** Every error code, with its description, HTTP status, exit status and API code. */
export const errorCatalogue = {
  // Apollo's own request errors, under their own names.
  GRAPHQL_PARSE_FAILED: { description: 'The query is not valid GraphQL syntax.', http: 400 },
  GRAPHQL_VALIDATION_FAILED: {
    description: 'The query does not fit the schema (an unknown field, a wrong argument).',
    http: 400,
  },
  BAD_REQUEST: {
    description: 'The HTTP request is malformed (not JSON, no query, an unknown charset).',
    http: 400,
  },
  BAD_USER_INPUT: {
    description: 'An argument, variable, upload parameter or command option is invalid.',
    http: 400,
  },
  QUERY_TOO_DEEP: { description: 'The query nests deeper than this server allows.', http: 400 },
  QUERY_TOO_COSTLY: { description: 'The query asks for more than this server allows.', http: 400 },
  PERSISTED_QUERY_NOT_SUPPORTED: {
    description: 'Persisted queries are not supported: send the query text.',
    http: 400,
  },
  OPERATION_RESOLUTION_FAILURE: {
    description: 'The operation to run cannot be chosen (a missing or unknown operationName).',
    http: 400,
  },
  UNAUTHENTICATED: { description: 'The bearer token is missing, unknown or revoked.', http: 401 },
  NOT_FOUND: { description: 'The named run, test, job or artifact does not exist.', http: 404 },
  NOT_SUBUNIT: {
    description: 'The input is not a subunit stream, or is damaged beyond reading.',
    http: 400,
    exit: 1,
  },
  PAYLOAD_TOO_LARGE: { description: 'The body is larger than this server accepts.', http: 413 },
  RATE_LIMITED: {
    description: 'Too many requests from this client address of late; try again later.',
    http: 429,
  },
  DATABASE_UNAVAILABLE: { description: 'The database does not answer; try again.', http: 503 },
  DATABASE_BUSY: {
    description:
      'Every database connection stayed taken (by long queries; SQLite has one) for longer than a request waits for one (`database.waitTimeout`); try again.',
    http: 503,
  },
  INTERNAL_SERVER_ERROR: {
    description: 'Anything else; the server logs the cause and tells the client nothing of it.',
    http: 500,
  },

  // Internal codes: raised as GatewatchError, answered under their `api` code.
  BAD_CONFIG: {
    description: 'A setting (flag, environment variable or config file) is invalid.',
    http: 500,
    exit: 2,
    api: 'INTERNAL_SERVER_ERROR',
  },
  BAD_ARGUMENT: {
    description: 'A command-line argument or request argument is invalid.',
    http: 400,
    exit: 2,
    api: 'BAD_USER_INPUT',
  },
  INPUT_UNREADABLE: {
    description: 'An input file cannot be read.',
    http: 400,
    exit: 1,
    api: 'BAD_USER_INPUT',
  },
  CORRUPT_INPUT: {
    description: 'An input is damaged below the format (its gzip data is corrupt).',
    http: 400,
    exit: 1,
    api: 'NOT_SUBUNIT',
  },
  NOT_DSTAT: {
    description: 'A dstat CSV holds no usable sample.',
    http: 400,
    exit: 1,
    api: 'BAD_USER_INPUT',
  },
  DB_UNAVAILABLE: {
    description: 'The database cannot be reached.',
    http: 503,
    exit: 1,
    api: 'DATABASE_UNAVAILABLE',
  },
  RUN_NOT_FOUND: {
    description: 'No stored run has the given uuid or prefix.',
    http: 404,
    exit: 1,
    api: 'NOT_FOUND',
  },
  CI_NOT_FOUND: {
    description: 'No CI system has the given account.',
    http: 404,
    exit: 1,
    api: 'NOT_FOUND',
  },
  RULE_NOT_FOUND: {
    description: 'No known-issue rule has the given id.',
    http: 404,
    exit: 1,
    api: 'NOT_FOUND',
  },
  SERVER_UNREACHABLE: {
    description: 'The gatewatch server an upload goes to cannot be reached, or cut it off.',
    http: 502,
    exit: 1,
    api: 'INTERNAL_SERVER_ERROR',
  },
  TOO_LARGE: {
    description: 'An input is larger than allowed.',
    http: 413,
    exit: 1,
    api: 'PAYLOAD_TOO_LARGE',
  },
  CANNOT_LISTEN: {
    description: 'The server cannot listen on its address and port (taken, or not allowed).',
    http: 500,
    exit: 1,
    api: 'INTERNAL_SERVER_ERROR',
  },
  UPSTREAM_UNREACHABLE: {
    description: 'An outgoing request found no server (refused, reset, no such host).',
    http: 502,
    exit: 1,
    api: 'INTERNAL_SERVER_ERROR',
  },
  UPSTREAM_TIMEOUT: {
    description: 'An outgoing request took longer than its time-out (connect, idle or total).',
    http: 504,
    exit: 1,
    api: 'INTERNAL_SERVER_ERROR',
  },
  UPSTREAM_TOO_LARGE: {
    description: 'An outgoing request was answered with a body larger than its cap.',
    http: 502,
    exit: 1,
    api: 'INTERNAL_SERVER_ERROR',
  },
  UPSTREAM_STATUS: {
    description: 'An outgoing request was answered with an error status.',
    http: 502,
    exit: 1,
    api: 'INTERNAL_SERVER_ERROR',
  },
  UPSTREAM_BAD_BODY: {
    description:
      'An outgoing request was answered with a body that is not what was asked (bad JSON).',
    http: 502,
    exit: 1,
    api: 'INTERNAL_SERVER_ERROR',
  },
  HOST_REFUSED: {
    description:
      'A fetch was refused: its host is not on the allow-list, resolves to a private address, or its scheme is not http(s).',
    http: 400,
    exit: 1,
    api: 'BAD_USER_INPUT',
  },
  NO_ARTIFACTS: {
    description: "A job's log directory holds neither a subunit stream nor a console log.",
    http: 404,
    exit: 1,
    api: 'NOT_FOUND',
  },
  CHANGE_NOT_FOUND: {
    description: 'A change is neither known to gatewatch nor found on a configured Gerrit.',
    http: 404,
    exit: 1,
    api: 'NOT_FOUND',
  },
} as const satisfies Record<string, CatalogueEntry>;

type Catalogue = typeof errorCatalogue;

/** Every code of the catalogue. */
export type AnyErrorCode = keyof Catalogue;

/** The codes a client sees in `extensions.code` and in the HTTP endpoints' JSON errors. */
export type ApiCode = {
  [K in AnyErrorCode]: Catalogue[K] extends { api: string } ? never : K;
}[AnyErrorCode];

/** The codes a {@link GatewatchError} carries. */
export type GatewatchErrorCode = {
  [K in AnyErrorCode]: Catalogue[K] extends { exit: number } ? K : never;
}[AnyErrorCode];

const entries = Object.entries(errorCatalogue) as [AnyErrorCode, CatalogueEntry][];

/** The API codes by name (`apiCodes.NOT_FOUND === 'NOT_FOUND'`). */
export const apiCodes = Object.freeze(
  Object.fromEntries(entries.filter(([, e]) => e.api === undefined).map(([code]) => [code, code])),
) as { readonly [K in ApiCode]: K };

/** The API code a client sees for any code: its `api`, or itself. */
export function apiCodeOf(code: AnyErrorCode): ApiCode {
  const entry: CatalogueEntry = errorCatalogue[code];
  return (entry.api ?? code) as ApiCode;
}

/** The HTTP status of a code. */
export function httpStatusOf(code: AnyErrorCode): number {
  return errorCatalogue[code].http;
}

/**
 * Errors a user can act on, outside GraphQL. Each has a stable code and a message that names
 * the offending value; the CLI prints the message and exits with {@link exitStatusOf}.
 */
export class GatewatchError extends Error {
  /** Where in the input (a byte offset) the problem was seen, when known. */
  readonly offset?: number;

  constructor(
    readonly code: GatewatchErrorCode,
    message: string,
    options: { offset?: number } = {},
  ) {
    super(message);
    this.name = 'GatewatchError';
    if (options.offset !== undefined) this.offset = options.offset;
  }
}

/** The CLI's exit status for an error that ends a command: its code's, or 1. */
export function exitStatusOf(error: unknown): number {
  return error instanceof GatewatchError ? errorCatalogue[error.code].exit : 1;
}
