import { createHash, randomBytes } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { Token } from '../db/entities/index.js';
import type { Database } from '../db/orm.js';
import { timeParam } from '../db/sql.js';
import { GatewatchError } from '../errors.js';

/** What is known of a token besides its secret. */
export interface TokenInfo {
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const NAME = /^[A-Za-z0-9._-]{1,64}$/;

/** Tokens are stored as their sha256: a leaked database leaks no token. */
export function hashToken(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/**
 * Creates a token named `name` (1 to 64 of `A-Z a-z 0-9 . _ -`, unique among live and revoked
 * tokens). The secret is returned here and never again: only its hash is stored.
 */
export async function createToken(
  db: Database,
  name: string,
): Promise<{ token: TokenInfo; secret: string }> {
  if (!NAME.test(name)) {
    throw new GatewatchError(
      'BAD_ARGUMENT',
      `token name "${name.slice(0, 80)}" must be 1 to 64 characters of A-Z a-z 0-9 . _ -`,
    );
  }
  // 256 random bits; the prefix lets secret scanners and people recognise it.
  const secret = `gw_${randomBytes(32).toString('base64url')}`;
  const createdAt = new Date();
  try {
    await db.em().insert(Token, { name, hash: hashToken(secret), createdAt });
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) {
      throw new GatewatchError(
        'BAD_ARGUMENT',
        `a token named "${name}" already exists (revoked tokens keep their names); choose another`,
      );
    }
    throw error;
  }
  return { token: { name, createdAt, lastUsedAt: null, revokedAt: null }, secret };
}

/** Every token, revoked ones included, oldest first. */
export async function listTokens(db: Database): Promise<TokenInfo[]> {
  const tokens = await db.em().find(Token, {}, { orderBy: { createdAt: 'asc', id: 'asc' } });
  return tokens.map((t) => ({
    name: t.name,
    createdAt: t.createdAt,
    lastUsedAt: t.lastUsedAt ?? null,
    revokedAt: t.revokedAt ?? null,
  }));
}

/** Revokes a token at once: requests carrying it are refused from now on. */
export async function revokeToken(db: Database, name: string): Promise<TokenInfo> {
  const em = db.em();
  const token = await em.findOne(Token, { name });
  if (!token) {
    throw new GatewatchError(
      'BAD_ARGUMENT',
      `no token named "${name}" (gatewatch token list shows them)`,
    );
  }
  if (token.revokedAt) {
    throw new GatewatchError(
      'BAD_ARGUMENT',
      `token "${name}" was already revoked on ${token.revokedAt.toISOString()}`,
    );
  }
  token.revokedAt = new Date();
  await em.flush();
  return {
    name: token.name,
    createdAt: token.createdAt,
    lastUsedAt: token.lastUsedAt ?? null,
    revokedAt: token.revokedAt,
  };
}

/** The name of the live token with this secret, else null; records when it was used. */
export async function verifyToken(db: Database, secret: string): Promise<string | null> {
  const hash = hashToken(secret);
  const row: { name: string } | undefined = await db
    .knex('tokens')
    .select('name')
    .where('hash', hash)
    .whereNull('revoked_at')
    .first();
  if (!row) return null;
  await db
    .knex('tokens')
    .where('hash', hash)
    .update({ last_used_at: timeParam(db.dialect, new Date()) });
  return row.name;
}
