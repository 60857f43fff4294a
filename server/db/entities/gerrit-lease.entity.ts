import { defineEntity, type InferEntity } from '@mikro-orm/core';

/** Who collects from a Gerrit server, until when (see server/gerrit/lease.ts). */
export const GerritLease = defineEntity({
  name: 'GerritLease',
  tableName: 'gerrit_leases',
  properties: (p) => ({
    server: p.string().length(191).primary(),
    holder: p.string().length(255),
    expiresAt: p.datetime(),
  }),
});
export type GerritLease = InferEntity<typeof GerritLease>;
