import { defineEntity, type InferEntity } from '@mikro-orm/core';

/**
 * An API token for CI jobs (uploads, deletions). Only the secret's sha256 is kept; a revoked
 * token keeps its row, and so its name, for the record.
 */
export const Token = defineEntity({
  name: 'Token',
  tableName: 'tokens',
  properties: (p) => ({
    id: p.integer().primary().autoincrement(),
    name: p.string().length(64).unique(),
    /** sha256 of the secret, hex. */
    hash: p.string().length(64).unique(),
    createdAt: p.datetime(),
    lastUsedAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
  }),
});
export type Token = InferEntity<typeof Token>;
