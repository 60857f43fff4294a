import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { GerritServer } from './gerrit-server.entity.js';

/**
 * A Gerrit account of one server. `key` identifies it whatever Gerrit sent: the username,
 * else `email:…`, else `id:…`, else `name:…` (old servers send no username).
 */
export const GerritAccount = defineEntity({
  name: 'GerritAccount',
  tableName: 'gerrit_accounts',
  properties: (p) => ({
    id: p.integer().primary().autoincrement(),
    server: p.manyToOne(GerritServer).deleteRule('cascade').index(false),
    key: p.string().length(255),
    username: p.string().length(255).nullable(),
    name: p.string().length(255).nullable(),
    email: p.string().length(255).nullable(),
    accountId: p.integer().nullable(),
  }),
  uniques: [{ properties: ['server', 'key'] }],
});
export type GerritAccount = InferEntity<typeof GerritAccount>;
