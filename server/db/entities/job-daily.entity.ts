import { defineEntity, type InferEntity } from '@mikro-orm/core';

/**
 * Runs of a job per UTC day, maintained on ingest. A run failed if it has failures, passed
 * if it has passes, else it was skipped (openstack-health's rule).
 */
export const JobDaily = defineEntity({
  name: 'JobDaily',
  tableName: 'job_daily',
  // The natural key is the primary key: upserts then hit the clustered index directly.
  primaryKeys: ['buildName', 'day'],
  properties: (p) => ({
    buildName: p.string().length(255).primary(),
    day: p.date().primary(),
    runs: p.integer(),
    passedRuns: p.integer(),
    failedRuns: p.integer(),
    skippedRuns: p.integer(),
    /** Sum of runs' wall times, microseconds (integers: exact when a run is taken out). */
    wallUs: p.bigint('number'),
  }),
});
export type JobDaily = InferEntity<typeof JobDaily>;
