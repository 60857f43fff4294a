import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { GerritServer } from './gerrit-server.entity.js';

/** A Gerrit project (`openstack/nova`) of one server. */
export const GerritProject = defineEntity({
  name: 'GerritProject',
  tableName: 'gerrit_projects',
  properties: (p) => ({
    id: p.integer().primary().autoincrement(),
    server: p.manyToOne(GerritServer).deleteRule('cascade').index(false),
    name: p.string().length(255),
  }),
  uniques: [{ properties: ['server', 'name'] }],
});
export type GerritProject = InferEntity<typeof GerritProject>;
