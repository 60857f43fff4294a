import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { GerritAccount } from './gerrit-account.entity.js';
import { GerritProject } from './gerrit-project.entity.js';
import { GerritServer } from './gerrit-server.entity.js';

/** A change under review, known by its number on its server. */
export const GerritChange = defineEntity({
  name: 'GerritChange',
  tableName: 'gerrit_changes',
  properties: (p) => ({
    id: p.integer().primary().autoincrement(),
    server: p.manyToOne(GerritServer).deleteRule('cascade').index(false),
    number: p.integer(),
    project: p.manyToOne(GerritProject).deleteRule('cascade').index(false),
    branch: p.string().length(255),
    subject: p.string().length(1024).nullable(),
    owner: p.manyToOne(GerritAccount).nullable().deleteRule('set null'),
    /** NEW, MERGED or ABANDONED: the status of the newest event that told it. */
    status: p.string().length(16).nullable(),
    /** When the status was last told (the event's time): older events do not overwrite it. */
    statusAt: p.datetime().nullable(),
    createdAt: p.datetime().nullable(),
    /** The newest event seen on the change. */
    updatedAt: p.datetime(),
  }),
  uniques: [{ properties: ['server', 'number'] }],
  indexes: [{ properties: ['project', 'updatedAt'] }],
});
export type GerritChange = InferEntity<typeof GerritChange>;
