import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { CiSystem } from './ci-system.entity.js';

/**
 * A CI's builds of a job per UTC day, with their failures, results and flips (README "A CI's
 * record"): maintained where reports are written (server/cis/job-days.ts), so that a CI's jobs
 * over weeks never pass over every build.
 */
export const CiJobDay = defineEntity({
  name: 'CiJobDay',
  tableName: 'ci_job_days',
  // The natural key is the primary key; a CI's window is one range of it.
  primaryKeys: ['ci', 'day', 'job'],
  properties: (p) => ({
    ci: p.manyToOne(CiSystem).primary().deleteRule('cascade'),
    day: p.date().primary(),
    job: p.string().length(255).primary(),
    builds: p.integer(),
    failures: p.integer(),
    /** Builds that passed or failed (not skipped, not built, cancelled or aborted). */
    results: p.integer(),
    /** Flips counted on this day: the later patch set's newest build is on it. */
    flips: p.integer(),
  }),
});
export type CiJobDay = InferEntity<typeof CiJobDay>;
