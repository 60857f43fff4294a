import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { Test } from './test.entity.js';

/**
 * Results of a test per UTC day and job, maintained on ingest so trends never scan results.
 * `buildName` is empty for runs without a job.
 */
export const TestDaily = defineEntity({
  name: 'TestDaily',
  tableName: 'test_daily',
  // The natural key is the primary key: upserts then hit the clustered index directly.
  primaryKeys: ['test', 'buildName', 'day'],
  properties: (p) => ({
    // No FK constraint: InnoDB's shared locks on parent rows would deadlock parallel ingests
    // updating the same tests' aggregates. A test is deleted only once it has no results, and so no rows here.
    test: p.manyToOne(Test).primary().createForeignKeyConstraint(false),
    buildName: p.string().length(255).primary(),
    day: p.date().primary(),
    runs: p.integer(),
    successes: p.integer(),
    failures: p.integer(),
    skips: p.integer(),
    /** Microseconds summed over successful results, as `tests.success_us`. */
    successUs: p.bigint('number'),
  }),
  indexes: [
    {
      // Covering: a job's per-test table over a window reads the index alone, in test order.
      name: 'test_daily_job_covering_index',
      properties: [
        'buildName',
        'test',
        'day',
        'runs',
        'successes',
        'failures',
        'skips',
        'successUs',
      ],
    },
  ],
});
export type TestDaily = InferEntity<typeof TestDaily>;
