import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { CiReport } from './ci-report.entity.js';
import { Run } from './run.entity.js';

/** One job line of a CI report, linked to the ingested run whose artifacts URL is its log URL. */
export const CiBuild = defineEntity({
  name: 'CiBuild',
  tableName: 'ci_builds',
  properties: (p) => ({
    id: p.integer().primary().autoincrement(),
    report: p.manyToOne(CiReport).deleteRule('cascade'),
    job: p.string().length(255),
    logUrl: p.string().length(2048).nullable(),
    /** sha256 of the log URL without trailing slashes: URLs are longer than MySQL can index. */
    logKey: p.string().length(64).nullable().index(),
    /** SUCCESS, FAILURE, … as the report wrote it. */
    result: p.string().length(32),
    /** Zuul v3's error detail after `ERROR`. */
    detail: p.string().length(512).nullable(),
    /** Seconds. */
    duration: p.integer().nullable(),
    voting: p.boolean(),
    run: p.manyToOne(Run).nullable().deleteRule('set null').index(),
  }),
  indexes: [{ properties: ['job', 'report'] }],
});
export type CiBuild = InferEntity<typeof CiBuild>;
