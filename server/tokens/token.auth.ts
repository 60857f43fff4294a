import type { Database } from '../db/orm.js';
import { ApiError, ErrorCode } from '../graphql/errors.js';
import { verifyToken } from './token.service.js';

/** The token name for an `Authorization: Bearer …` value; throws UNAUTHENTICATED. */
export async function authenticate(
  db: Database,
  authorization: string | null | undefined,
): Promise<string> {
  const secret = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
  if (!secret) {
    throw new ApiError(
      ErrorCode.UNAUTHENTICATED,
      'this needs a token: send "Authorization: Bearer TOKEN" (gatewatch token create NAME)',
    );
  }
  const name = await verifyToken(db, secret);
  if (name === null)
    throw new ApiError(ErrorCode.UNAUTHENTICATED, 'the token is unknown or revoked');
  return name;
}
