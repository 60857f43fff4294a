import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { GerritAccount } from './gerrit-account.entity.js';
import { GerritChange } from './gerrit-change.entity.js';
import { GerritProject } from './gerrit-project.entity.js';

/**
 * A patch set of a change. Its project is the change's, repeated here because the figures and
 * the CI matrix select patch sets by project and time.
 */
export const GerritPatchSet = defineEntity({
  name: 'GerritPatchSet',
  tableName: 'gerrit_patch_sets',
  properties: (p) => ({
    id: p.integer().primary().autoincrement(),
    change: p.manyToOne(GerritChange).deleteRule('cascade').index(false),
    project: p.manyToOne(GerritProject).deleteRule('cascade').index(false),
    number: p.integer(),
    revision: p.string().length(64).nullable(),
    createdAt: p.datetime(),
    uploader: p.manyToOne(GerritAccount).nullable().deleteRule('set null'),
    /** REWORK, TRIVIAL_REBASE, NO_CODE_CHANGE, NO_CHANGE, MERGE_FIRST_PARENT_UPDATE. */
    kind: p.string().length(32).nullable(),
    /** Its commit message, from its patchset-created event or REST revision, cut to 64 KiB. */
    commitMessage: p.text().columnType('mediumtext').nullable(),
    /** When the first later patch set of the change was created. */
    supersededAt: p.datetime().nullable(),
    mergedAt: p.datetime().nullable(),
    abandonedAt: p.datetime().nullable(),
  }),
  uniques: [{ properties: ['change', 'number'] }],
  indexes: [{ properties: ['project', 'createdAt'] }, { properties: ['createdAt'] }],
});
export type GerritPatchSet = InferEntity<typeof GerritPatchSet>;
