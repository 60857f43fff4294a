import { defineEntity, type InferEntity } from '@mikro-orm/core';

/** A Gerrit server gatewatch collects from, known by the name its configuration gives it. */
export const GerritServer = defineEntity({
  name: 'GerritServer',
  tableName: 'gerrit_servers',
  properties: (p) => ({
    id: p.integer().primary().autoincrement(),
    name: p.string().length(191).unique(),
    url: p.string().length(1024),
    /** The newest event time stored: where a catch-up starts. */
    lastEventAt: p.datetime().nullable(),
  }),
});
export type GerritServer = InferEntity<typeof GerritServer>;
