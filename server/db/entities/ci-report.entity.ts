import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { CiSystem } from './ci-system.entity.js';
import { GerritComment } from './gerrit-comment.entity.js';
import { GerritPatchSet } from './gerrit-patch-set.entity.js';
import { GerritProject } from './gerrit-project.entity.js';

/**
 * A CI result: the report a CI's comment parsed into. Patch set, project, CI and time are the
 * comment's, repeated so that the figures and the CI matrix read this table alone.
 */
export const CiReport = defineEntity({
  name: 'CiReport',
  tableName: 'ci_reports',
  properties: (p) => ({
    id: p.integer().primary().autoincrement(),
    comment: p.manyToOne(GerritComment).deleteRule('cascade').index(false).unique(),
    patchSet: p.manyToOne(GerritPatchSet).deleteRule('cascade').index(false),
    project: p.manyToOne(GerritProject).deleteRule('cascade').index(false),
    ci: p.manyToOne(CiSystem).deleteRule('cascade').index(false),
    pipeline: p.string().length(255).nullable(),
    /** SUCCESS, FAILURE, UNSTABLE, MERGE_FAILED, DEPENDENCY_FAILED, ERROR; null when not said. */
    verdict: p.string().length(24).nullable(),
    /** The Verified vote it carried. */
    vote: p.integer().nullable(),
    createdAt: p.datetime(),
  }),
  indexes: [
    // Reports per CI over time; the figures.
    { properties: ['ci', 'createdAt'] },
    // The CI matrix: a page of patch sets × CIs; whether a CI reported on a patch set by then.
    { properties: ['patchSet', 'ci', 'createdAt'] },
    // The CIs reporting on each project in a window (coverage), from the index alone.
    { properties: ['createdAt', 'ci', 'project'] },
    // Who reports on a project.
    { properties: ['project', 'createdAt'] },
  ],
});
export type CiReport = InferEntity<typeof CiReport>;
