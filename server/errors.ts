/**
 * Errors a user can act on, outside GraphQL. Each has a stable code and a message that names
 * the offending value; the CLI prints the message and exits non-zero.
 */
export type GatewatchErrorCode =
  | 'BAD_CONFIG'
  | 'BAD_ARGUMENT'
  | 'NOT_SUBUNIT'
  | 'INPUT_UNREADABLE'
  | 'DB_UNAVAILABLE'
  | 'RUN_NOT_FOUND'
  | 'TOO_LARGE';

export class GatewatchError extends Error {
  constructor(
    readonly code: GatewatchErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'GatewatchError';
  }
}
