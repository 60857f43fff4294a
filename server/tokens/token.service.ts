import { createHash } from 'node:crypto';
import type { Database } from '../db/orm.js';

/** Tokens are stored as their sha256: a leaked database leaks no token. */
export function hashToken(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** The name of the live token with this secret, else null. */
export async function verifyToken(db: Database, secret: string): Promise<string | null> {
  const row: { name: string } | undefined = await db
    .knex('tokens')
    .select('name')
    .where('hash', hashToken(secret))
    .whereNull('revoked_at')
    .first();
  return row?.name ?? null;
}
