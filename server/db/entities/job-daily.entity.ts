import { defineEntity, type InferEntity } from '@mikro-orm/core';

/**
 * Runs of a job per UTC day, maintained on ingest. A run failed if it has failures, passed
 * if it has passes, else it was skipped (openstack-health's rule).
 */
export const JobDaily = defineEntity({
  name: 'JobDaily',
  tableName: 'job_daily',
  properties: (p) => ({
    id: p.integer().primary().autoincrement(),
    buildName: p.string().length(255),
    day: p.date(),
    runs: p.integer(),
    passedRuns: p.integer(),
    failedRuns: p.integer(),
    skippedRuns: p.integer(),
    /** Sum of runs' wall times, seconds. */
    wallTime: p.double().$type<number>().runtimeType('number'),
  }),
  uniques: [{ properties: ['buildName', 'day'] }],
});
export type JobDaily = InferEntity<typeof JobDaily>;
